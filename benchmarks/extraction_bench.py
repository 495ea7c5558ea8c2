"""Extraction benchmark: time per page against plain pdfplumber, peak memory, batch scaling.

    .venv/bin/python -m benchmarks.extraction_bench                 # quick: fixtures, 60-page plan, 50-plan batch
    .venv/bin/python -m benchmarks.extraction_bench --full          # 240-page plan, 500-plan batch
    .venv/bin/python -m benchmarks.extraction_bench --only fixtures --json figures.json

Three parts, each printing ratios measured in the same run on the same machine:

1. fixtures — the full pipeline (``library.read_plan``: extract, normalize,
   map onto the framework) on each fixture PDF against plain pdfplumber
   ``page.extract_text()`` over all pages of the same file. Both are warmed once
   and timed as the best of ``--repeats`` runs, interleaved. Target: ≤ 0.6×.
2. long — a long plan made by repeating real content: a fixture plan is rendered
   to DOCX (scripts/make_fixtures.py), its body repeated, and converted to PDF with
   LibreOffice in a temporary folder (nothing is committed). Each side runs in a
   fresh subprocess, which reports its time and its peak resident memory
   (``VmHWM``, the high-water mark of its own address space: ``ru_maxrss`` of a
   child starts at its parent's size, since Linux carries it across fork and
   exec, and this parent holds hundreds of MB). Targets: ratio ≤ 0.6×, pipeline
   peak ≤ 80 MiB; and the peak after each step of ``read_plan``.
3. batch — N plans in mixed formats (copies of the fixtures .pdf/.docx/.odt/.html
   and the sample .txt plans) in a temporary folder, run with
   ``plancheck check DIR --out OUT --jobs 1`` and ``--jobs 2``. Reports plans/s and
   the scaling ratio. Target: ≥ 1.7×.
"""

from __future__ import annotations

import argparse
import copy
import itertools
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from corpus import samples_folder

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ROOT / "tests" / "fixtures" / "formats"
SAMPLES = samples_folder()
PYTHON = sys.executable
PLANCHECK = str(Path(sys.executable).with_name("plancheck"))

TARGET_RATIO = 0.6  # the pipeline reads chars with PDFium: faster than pdfplumber's text extraction alone
TARGET_PEAK_MIB = 80
TARGET_SCALING = 1.7


def fixture_pdfs() -> list[Path]:
    return sorted(p for p in FORMATS.glob("0*.pdf"))


# -- 1. fixtures ---------------------------------------------------------------------


def plain_extract(path: Path) -> int:
    """Plain pdfplumber text extraction of every page; returns the page count."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()
        return len(pdf.pages)


def pipeline(path: Path) -> int:
    from library import read_plan

    return len(read_plan(path).measures)


def _best(fn, path: Path, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn(path)
        best = min(best, time.perf_counter() - t0)
    return best


def bench_fixtures(repeats: int) -> dict:
    files = fixture_pdfs()
    # warm imports, jieba/OpenCC setup and pdfminer caches once, untimed
    pipeline(files[0])
    plain_extract(files[0])
    rows = []
    total_plain = total_pipe = 0.0
    total_pages = 0
    for path in files:
        pages = plain_extract(path)
        plain = pipe = float("inf")
        for _ in range(repeats):  # interleaved, so drift in machine load hits both sides
            plain = min(plain, _best(plain_extract, path, 1))
            pipe = min(pipe, _best(pipeline, path, 1))
        total_plain += plain
        total_pipe += pipe
        total_pages += pages
        rows.append({"file": path.name, "pages": pages, "plain_ms_per_page": round(plain / pages * 1000, 1),
                     "pipeline_ms_per_page": round(pipe / pages * 1000, 1), "ratio": round(pipe / plain, 2)})
    return {"files": rows, "pages": total_pages,
            "plain_ms_per_page": round(total_plain / total_pages * 1000, 1),
            "pipeline_ms_per_page": round(total_pipe / total_pages * 1000, 1),
            "ratio": round(total_pipe / total_plain, 2)}


# -- 2. long plan ----------------------------------------------------------------------


def make_long_pdf(folder: Path, seed: str, repeat: int) -> Path:
    """A long PDF plan: the seed's rendered DOCX with its body repeated, converted by LibreOffice."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from make_fixtures import render_docx  # noqa: PLC0415
    from docx import Document  # noqa: PLC0415

    single = render_docx(seed, folder / f"{seed}_single.docx")
    document = Document(str(single))
    body = document.element.body
    content = [child for child in body if not child.tag.endswith("}sectPr")]
    sect = body[-1] if body[-1].tag.endswith("}sectPr") else None
    for _ in range(repeat - 1):
        for child in content:
            clone = copy.deepcopy(child)
            if sect is not None:
                sect.addprevious(clone)
            else:
                body.append(clone)
    long_docx = folder / f"long_{seed}.docx"
    document.save(str(long_docx))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{folder}/lo-profile",
                    "--convert-to", "pdf", "--outdir", str(folder), str(long_docx)],
                   check=True, capture_output=True, timeout=900)
    return folder / f"long_{seed}.pdf"


# The process's own peak resident memory in MiB: VmHWM where /proc has it (Linux).
_PEAK = """
import resource
def peak_mib():
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""

_MEASURE = _PEAK + """
import json, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from benchmarks.extraction_bench import {fn} as fn
path = Path({path!r})
t0 = time.perf_counter()
result = fn(path)
elapsed = time.perf_counter() - t0
print(json.dumps({{"seconds": elapsed, "result": result, "max_rss_mib": peak_mib()}}))
"""


def in_subprocess(fn: str, path: Path) -> dict:
    code = _MEASURE.format(root=str(ROOT), fn=fn, path=str(path))
    out = subprocess.run([PYTHON, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


# The peak after each step of read_plan, one process: where the pipeline's memory goes.
_STAGES = _PEAK + """
import json, sys
from pathlib import Path
sys.path.insert(0, {root!r})
peaks = []
def mark(step):
    peaks.append((step, peak_mib()))
mark("the interpreter")
import pydantic
class First(pydantic.BaseModel):
    x: int
mark("pydantic, its first model built")
import library
mark("import library")
import pdfplumber, pypdfium2
mark("PDF libraries (pdfplumber, pdfminer, cryptography, PDFium)")
from checks import map_plan
from extractor import extract
from normalizers.pipeline import normalize_plan
plan = extract(Path({path!r}))
mark("extract (read every page, measures, metadata)")
plan = normalize_plan(plan)
mark("normalize")
plan = map_plan(plan)
mark("map")
print(json.dumps(peaks))
"""


def memory_stages(path: Path) -> list[tuple[str, float]]:
    """The peak resident memory (MiB) after each step of reading ``path``."""
    code = _STAGES.format(root=str(ROOT), path=str(path))
    out = subprocess.run([PYTHON, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT)
    return [(step, round(mib, 1)) for step, mib in json.loads(out.stdout.strip().splitlines()[-1])]


def _page_count(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def bench_long(repeat: int, seed: str, keep: Path | None) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="plancheck-long-"))
    try:
        t0 = time.perf_counter()
        pdf = make_long_pdf(folder, seed, repeat)
        made = time.perf_counter() - t0
        pages = _page_count(pdf)
        if keep:
            shutil.copy(pdf, keep)
        # import cost is the same on both sides of the ratio only if both import their stack before the clock;
        # the subprocess times just the call, so imports are outside the figure.
        plain = in_subprocess("plain_extract", pdf)
        pipe = in_subprocess("pipeline", pdf)
        stages = memory_stages(pdf)
        return {"stages": stages,"seed": seed, "repeat": repeat, "pages": pages, "bytes": pdf.stat().st_size,
                "measures": pipe["result"], "make_seconds": round(made, 1),
                "plain_seconds": round(plain["seconds"], 2), "pipeline_seconds": round(pipe["seconds"], 2),
                "plain_ms_per_page": round(plain["seconds"] / pages * 1000, 1),
                "pipeline_ms_per_page": round(pipe["seconds"] / pages * 1000, 1),
                "ratio": round(pipe["seconds"] / plain["seconds"], 2),
                "plain_peak_mib": round(plain["max_rss_mib"]), "pipeline_peak_mib": round(pipe["max_rss_mib"])}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- 3. batch ---------------------------------------------------------------------------


def batch_sources() -> list[Path]:
    sources = [p for p in sorted(FORMATS.iterdir())
               if p.stem[:3].isdigit() and "_" not in p.stem and p.suffix in {".pdf", ".docx", ".odt", ".html"}]
    return sources + sorted(SAMPLES.glob("*.txt"))


def make_batch(folder: Path, count: int) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for number, source in zip(range(count), itertools.cycle(batch_sources())):
        shutil.copy(source, folder / f"{number:04d}_{source.stem}{source.suffix}")
        kinds[source.suffix] = kinds.get(source.suffix, 0) + 1
    return kinds


def run_batch(folder: Path, out: Path, jobs: int) -> float:
    t0 = time.perf_counter()
    done = subprocess.run([PLANCHECK, "check", str(folder), "--out", str(out), "--jobs", str(jobs)],
                          capture_output=True, text=True, cwd=ROOT)
    elapsed = time.perf_counter() - t0
    if done.returncode not in (0, 3):
        raise RuntimeError(f"plancheck check --jobs {jobs} exited {done.returncode}: {done.stderr[-2000:]}")
    return elapsed


def bench_batch(count: int) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="plancheck-batch-"))
    try:
        plans = folder / "plans"
        plans.mkdir()
        kinds = make_batch(plans, count)
        one = run_batch(plans, folder / "out1", 1)
        two = run_batch(plans, folder / "out2", 2)
        reports = len(list((folder / "out2" / "plans").glob("*.json")))
        return {"plans": count, "formats": kinds, "reports_written": reports,
                "jobs1_seconds": round(one, 1), "jobs2_seconds": round(two, 1),
                "jobs1_plans_per_second": round(count / one, 2), "jobs2_plans_per_second": round(count / two, 2),
                "scaling": round(one / two, 2)}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- main ----------------------------------------------------------------------------------


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{date.today().isoformat()} · {platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GiB · "
            f"Python {platform.python_version()}")


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.extraction_bench", description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help="240-page long plan and a 500-plan batch")
    parser.add_argument("--only", choices=["fixtures", "long", "batch"], action="append",
                        help="run only this part (repeatable)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per fixture (best is kept)")
    parser.add_argument("--long-repeat", type=int, help="times the plan body is repeated (default 20 full, 5 quick)")
    parser.add_argument("--seed", default="004", help="fixture plan repeated for the long plan")
    parser.add_argument("--plans", type=int, help="plans in the batch (default 500 full, 50 quick)")
    parser.add_argument("--keep-long", type=Path, help="copy the long PDF here")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)
    parts = args.only or ["fixtures", "long", "batch"]
    figures: dict = {"machine": machine()}
    print(figures["machine"], flush=True)

    if "fixtures" in parts:
        print("\n== fixture PDFs: full pipeline vs plain pdfplumber extract_text ==", flush=True)
        fx = bench_fixtures(args.repeats)
        for row in fx["files"]:
            print(f"  {row['file']:<26} {row['pages']:>3} pages  plain {row['plain_ms_per_page']:>6} ms/page  "
                  f"pipeline {row['pipeline_ms_per_page']:>6} ms/page  ×{row['ratio']}")
        print(f"  all {fx['pages']} pages: plain {fx['plain_ms_per_page']} ms/page, pipeline "
              f"{fx['pipeline_ms_per_page']} ms/page → ratio {fx['ratio']}× "
              f"(target ≤ {TARGET_RATIO}×: {_verdict(fx['ratio'] <= TARGET_RATIO)})", flush=True)
        figures["fixtures"] = fx

    if "long" in parts:
        repeat = args.long_repeat or (20 if args.full else 5)
        print(f"\n== long plan: {args.seed} body ×{repeat}, each side in a fresh subprocess ==", flush=True)
        lg = bench_long(repeat, args.seed, args.keep_long)
        print(f"  {lg['pages']} pages, {lg['measures']} measures (made in {lg['make_seconds']} s)")
        print(f"  plain {lg['plain_seconds']} s ({lg['plain_ms_per_page']} ms/page, peak {lg['plain_peak_mib']} MiB)")
        print(f"  pipeline {lg['pipeline_seconds']} s ({lg['pipeline_ms_per_page']} ms/page, "
              f"peak {lg['pipeline_peak_mib']} MiB)")
        print(f"  ratio {lg['ratio']}× (target ≤ {TARGET_RATIO}×: {_verdict(lg['ratio'] <= TARGET_RATIO)}); "
              f"peak {lg['pipeline_peak_mib']} MiB (target ≤ {TARGET_PEAK_MIB} MiB: "
              f"{_verdict(lg['pipeline_peak_mib'] <= TARGET_PEAK_MIB)})")
        print("  peak resident memory after each step (one process):")
        previous = 0.0
        for step, mib in lg["stages"]:
            print(f"    {mib:6.1f} MiB  (+{mib - previous:5.1f})  {step}")
            previous = mib
        sys.stdout.flush()
        figures["long"] = lg

    if "batch" in parts:
        count = args.plans or (500 if args.full else 50)
        print(f"\n== batch: {count} plans in mixed formats, plancheck check --out --jobs 1 / 2 ==", flush=True)
        bt = bench_batch(count)
        print(f"  formats {bt['formats']}, {bt['reports_written']} reports written")
        print(f"  --jobs 1: {bt['jobs1_seconds']} s, {bt['jobs1_plans_per_second']} plans/s")
        print(f"  --jobs 2: {bt['jobs2_seconds']} s, {bt['jobs2_plans_per_second']} plans/s")
        print(f"  scaling {bt['scaling']}× (target ≥ {TARGET_SCALING}×: {_verdict(bt['scaling'] >= TARGET_SCALING)})",
              flush=True)
        figures["batch"] = bt

    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    return figures


if __name__ == "__main__":
    main()
