"""`python -m tests.golden [--update]`: show how fresh outputs differ from the
golden ones; with ``--update``, replace the golden ones (read the diff first)."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from tests.golden import committed, differences, generate, update


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.golden", description=__doc__)
    parser.add_argument("--update", action="store_true", help="overwrite tests/golden/ with fresh outputs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        fresh = generate(Path(scratch))
    problems = differences(committed(), fresh)
    for problem in problems:
        print(problem, end="\n\n")
    if args.update:
        update(fresh)
        print(f"tests/golden/: {len(fresh)} outputs written ({len(problems)} changed)")
        return 0
    print(f"{len(problems)} of {len(fresh)} outputs differ" if problems else f"all {len(fresh)} outputs agree")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
