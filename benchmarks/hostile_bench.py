"""Hostile inputs at full size: the time and peak memory of reading them, against
the library underneath reading the same file. The test suite only checks that
these inputs end in a result or a one-line error and that work grows linearly
(tests/test_robustness.py, by counting calls); the seconds are measured here.

    .venv/bin/python -m benchmarks.hostile_bench

Each side runs in a fresh subprocess that reports its time and peak resident
memory (``ru_maxrss``): the full read (``library.read_plan``:
extract, normalize, map) against python-docx / odfpy / lxml loading the file
and walking every table cell's text."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[3])
path, side = sys.argv[1], sys.argv[2]
started = time.perf_counter()
if side == "pipeline":
    from extractor.errors import PlanError
    from library import read_plan
    try:
        read_plan(path)
    except PlanError:
        pass
elif path.endswith(".docx"):
    import docx
    document = docx.Document(path)
    stack = list(document.tables)
    while stack:
        table = stack.pop()
        for row in table.rows:
            for cell in row.cells:
                cell.text
                stack.extend(cell.tables)
elif path.endswith(".odt"):
    from odf import teletype
    from odf.opendocument import load
    from odf.table import TableCell
    for cell in load(path).getElementsByType(TableCell):
        teletype.extractText(cell)
else:
    import lxml.html
    for cell in lxml.html.parse(path).iter("td"):
        cell.text_content()
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure(path: Path, side: str) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, str(path), side, str(ROOT)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from tests import hostile

    with tempfile.TemporaryDirectory(prefix="plancheck-hostile-") as folder:
        paths = hostile.structural(Path(folder), rows=10_000, repeats=150_000)
        print(f"{'file':<24} {'pipeline s':>10} {'library s':>10} {'ratio':>7} {'pipeline MB':>12} {'library MB':>11}")
        for path in paths:
            ours, theirs = measure(path, "pipeline"), measure(path, "library")
            ratio = ours["seconds"] / max(theirs["seconds"], 1e-6)
            print(f"{path.name:<24} {ours['seconds']:>10.2f} {theirs['seconds']:>10.2f} {ratio:>6.1f}x "
                  f"{ours['peak_mb']:>12.0f} {theirs['peak_mb']:>11.0f}")


if __name__ == "__main__":
    main()
