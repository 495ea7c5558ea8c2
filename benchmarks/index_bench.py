"""Index throughput against check throughput on the same files, in one run.

    .venv/bin/python -m benchmarks.index_bench [--jobs 1 2] [--repeat 2]

The files are the sample plans and the fixture renderings of them (docx, odt,
html, pdf, xlsx, …: every readable fixture). "check" is `plancheck check FILES
--out DIR` (the default formats: html, json, csv, xlsx); "index" is `plancheck
index FILES --db NEW.sqlite`: read, check, tokenize and write every plan. Both
read and check each file once; index writes the corpus where check writes
reports. Each figure is the best of --repeat runs (the machine is shared),
by wall time and by CPU time (this process and its workers): on a busy
machine the CPU ratio is the steadier of the two. Each index run starts with
no runs of text remembered (normalizers.terms), as a new `plancheck index`
does, also with --jobs 1 where every run is in this process; with --jobs 1 it
prints how many of the runs jieba would cut were remembered."""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def bench_files() -> list[Path]:
    import library

    candidates = sorted((ROOT / "corpus" / "samples").iterdir()) + sorted((ROOT / "tests" / "fixtures" / "formats").iterdir())
    readable = []
    for path in candidates:
        try:
            library.read_plan(path)  # also warms every reader's imports before timing
        except Exception:  # noqa: BLE001 - the damaged fixtures are not a benchmark's input
            continue
        readable.append(path)
    return readable


def _cpu_seconds() -> float:
    """CPU time of this process and of its waited-for children (the workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _load() -> str:
    """The 1- and 5-minute load averages: other work on the machine."""
    one, five, _ = os.getloadavg()
    return f"{one:.1f} / {five:.1f}"


def _timed(run: Callable[[], None]) -> tuple[float, float]:
    """(wall, CPU) seconds of one run."""
    wall, cpu = time.perf_counter(), _cpu_seconds()
    run()
    return time.perf_counter() - wall, _cpu_seconds() - cpu


def check_seconds(files: list[Path], jobs: int, folder: Path) -> tuple[float, float]:
    from plancheck import batch

    settings = batch.BatchSettings(out_dir=folder / "reports", formats=batch.DEFAULT_FORMATS, jobs=jobs)

    def run() -> None:
        outcomes = batch.run(batch.tasks_for([str(f) for f in files]), settings)
        batch.write_summary(batch.summarize(outcomes), settings)
        assert not [o for o in outcomes if o.failure], [o.failure for o in outcomes if o.failure]

    return _timed(run)


def forget_runs() -> None:
    """A new process's segmentation memo: the runs remembered by an earlier
    repeat in this process would make a --jobs 1 index run look faster than
    any `plancheck index`."""
    from normalizers import terms

    terms._run_spans.cache_clear()
    terms._run_search_tokens.cache_clear()


def remembered_runs() -> str:
    """How many runs were remembered in this process since forget_runs."""
    from normalizers import terms

    info = terms._run_search_tokens.cache_info()
    return f"{info.hits:,} of {info.hits + info.misses:,} runs remembered"


def index_seconds(files: list[Path], jobs: int, folder: Path) -> tuple[float, float]:
    from corpus import store
    from library import index_files
    from plancheck.executors import index_reader

    conn = store.connect(folder / "corpus.sqlite", create=True)

    def run() -> None:
        summary = index_files(conn, files, read_many=index_reader(jobs, None))
        assert not summary.failed, [o.message for o in summary.failed]

    forget_runs()
    try:
        return _timed(run)
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    files = bench_files()
    print(f"{len(files)} files (the samples and their fixture renderings); load average {_load()}")
    for jobs in args.jobs:
        checks, indexes = [], []
        for _ in range(args.repeat):  # interleaved, so a busy moment hits both alike
            with tempfile.TemporaryDirectory() as tmp:
                checks.append(check_seconds(files, jobs, Path(tmp)))
            with tempfile.TemporaryDirectory() as tmp:
                indexes.append(index_seconds(files, jobs, Path(tmp)))
        check_rate = len(files) / min(wall for wall, _ in checks)
        index_rate = len(files) / min(wall for wall, _ in indexes)
        check_cpu, index_cpu = min(cpu for _, cpu in checks), min(cpu for _, cpu in indexes)
        memo = f" ({remembered_runs()})" if jobs == 1 else ""
        print(f"--jobs {jobs}: check {check_rate:5.2f} files/s, index {index_rate:5.2f} files/s; "
              f"index/check {index_rate / check_rate:.2f}× (target ≥ 1); "
              f"CPU check {check_cpu:.1f} s, index {index_cpu:.1f} s, by CPU {check_cpu / index_cpu:.2f}×{memo}; load average {_load()}")


if __name__ == "__main__":
    main()
