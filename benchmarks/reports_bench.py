"""Report writers: what writing all seven formats costs against JSON alone.

    .venv/bin/python -m benchmarks.reports_bench [--copies 4] [--repeats 3]

Two figures, each measured in this run on the same inputs: (1) the batch
(``plancheck check DIR --out OUT --jobs 1``, in process: read, check, write)
over ``--copies`` copies of the five samples with ``--format json`` and with
all seven formats, interleaved, best of ``--repeats``, as a ratio; (2) each
writer alone (``render_report`` on the samples' report views), in ms a plan.
The target (issue 15) is a ratio of at most 2. Nothing generated is kept."""

from __future__ import annotations

import argparse
import platform
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

from corpus import samples_folder
from outputs.reports import FORMATS, build_view, renderer
from plancheck.batch import BatchSettings, check_batch
from library import check_file

ALL = tuple(FORMATS)


def _inputs(folder: Path, copies: int) -> list[Path]:
    for copy in range(copies):
        for sample in sorted(samples_folder().glob("*.txt")):
            shutil.copy(sample, folder / f"{copy}_{sample.name}")
    return sorted(folder.iterdir())


def _batch_seconds(inputs: list[Path], formats: tuple[str, ...], scratch: Path) -> float:
    out = Path(tempfile.mkdtemp(dir=scratch))
    started = time.perf_counter()
    check_batch(inputs, BatchSettings(out_dir=out, formats=formats, jobs=1), None, lambda _: None, lambda _: None)
    elapsed = time.perf_counter() - started
    shutil.rmtree(out)
    return elapsed


def writer_ms(repeats: int) -> dict[str, float]:
    """Each writer's best time over the samples' views, in ms a plan."""
    views = [build_view(check_file(path, None)) for path in sorted(samples_folder().glob("*.txt"))]
    result = {}
    for name in ALL:
        render = renderer(name).render_report
        render(views[0])
        best = min(_timed(lambda: [render(v) for v in views]) for _ in range(repeats))
        result[name] = best / len(views) * 1000
    return result


def _timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.reports_bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=4, help="copies of the five samples in the batch")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"{date.today()} · {platform.machine()}, {platform.python_version()}")
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        folder = scratch / "in"
        folder.mkdir()
        inputs = _inputs(folder, args.copies)
        _batch_seconds(inputs[:5], ALL, scratch)  # warm: imports, templates, jieba
        json_only, every = [], []
        for _ in range(args.repeats):
            json_only.append(_batch_seconds(inputs, ("json",), scratch))
            every.append(_batch_seconds(inputs, ALL, scratch))
    plans = len(inputs)
    print(f"batch of {plans} plans, --jobs 1: json alone {min(json_only):.2f} s, all seven {min(every):.2f} s, "
          f"ratio {min(every) / min(json_only):.2f}× (target ≤ 2)")
    for name, ms in writer_ms(args.repeats).items():
        print(f"  {name:5} {ms:7.1f} ms a plan")


if __name__ == "__main__":
    main()
