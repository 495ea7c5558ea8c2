"""Start-up: cold `plancheck --version` and cold `plancheck search 電話禮貌` on
the sample corpus, each a new process timed from start to exit, against
`python -c pass` (the interpreter's own start) measured in the same run.

    .venv/bin/python -m benchmarks.startup_bench [--runs 15]

"Cold" is a new process, as a user starts it; what is prepared once per
installation is prepared first, as after any first run: the bytecode of the
modules (the benchmark allows writing it even where PYTHONDONTWRITEBYTECODE is
set) and jieba's dictionary file in the cache folder."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"version": 0.15, "search": 0.30}


def _timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def sample_corpus(folder: Path) -> Path:
    from corpus import store
    from library import index_paths

    db = folder / "corpus.sqlite"
    conn = store.connect(db, create=True)
    try:
        index_paths(conn, [ROOT / "corpus" / "samples"])
    finally:
        conn.close()
    return db


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as tmp:
        db = sample_corpus(Path(tmp))
        commands = {
            "floor": [sys.executable, "-c", "pass"],
            "version": [sys.executable, "-m", "plancheck", "--version"],
            "search": [sys.executable, "-m", "plancheck", "search", "電話禮貌", "--db", str(db)],
        }
        for command in commands.values():  # bytecode and the jieba dictionary, once
            _timed(command, env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):  # interleaved, so a busy moment hits all three alike
            for name, command in commands.items():
                times[name].append(_timed(command, env))
    medians = {name: statistics.median(values) for name, values in times.items()}
    floor = medians["floor"]
    print(f"runs: {args.runs} each, interleaved; medians from process start to exit")
    print(f"python -c pass (floor)          {floor * 1000:7.0f} ms")
    for name, label in (("version", "plancheck --version"), ("search", "plancheck search 電話禮貌")):
        print(f"{label:<31} {medians[name] * 1000:7.0f} ms  ({medians[name] / floor:4.1f}× the floor, "
              f"{(medians[name] - floor) * 1000:.0f} ms above it; target ≤ {TARGETS[name] * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
