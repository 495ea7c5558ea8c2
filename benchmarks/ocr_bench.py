"""OCR benchmark: both engines on the scanned fixtures (tests/fixtures/scans/,
scripts/make_scans.py), and the cache.

    .venv/bin/python -m benchmarks.ocr_bench [--engines tesseract,rapidocr] [--scans 000_300,001_200 ...]

For each engine and scan, in a fresh process with an empty cache: measure F1
against tests/expected/ (tests/scoring.py; for the 200-dpi scans, which hold
the first three pages, against the expected measures on those pages of the
digital PDF), agency/year and framework right, the share of check verdicts
that agree with the digital file's (the 200-dpi scans: with the same pages of the digital PDF) and
the items that differ, seconds per page, peak memory (the process and its children: tesseract runs as a child
process, RapidOCR inside). Then the same file read again with the cache
filled: the second read's time and whether any page was recognised again.
Figures go in benchmarks/README.md by hand; nothing here asserts a time."""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCANS = ROOT / "tests" / "fixtures" / "scans"
DEFAULT_SCANS = ["000_300", "001_300", "002_300", "003_300", "004_300", "000_200", "001_200", "002_200", "003_200", "004_200"]


def _child(scan: str, engine: str) -> dict:
    """Runs inside the measuring process."""
    sys.path.insert(0, str(ROOT))
    from extractor import ExtractSettings
    from extractor.ocr import recognise as recognise_module
    from extractor.ocr.settings import OcrSettings
    from library import read_plan
    from tests.scoring import check_agreement, expected_on_pages, load_expected, pdf_pages, score_plan

    calls = 0
    original = recognise_module.recognise

    def counting(*args, **kwargs):
        nonlocal calls
        calls += 1
        return original(*args, **kwargs)

    import extractor.ocr.run as run_module
    run_module.recognise = counting
    settings = ExtractSettings(ocr=OcrSettings(engine=engine), ocr_jobs=1, progress=False)
    path = SCANS / f"{scan}.pdf"
    started = time.perf_counter()
    plan = read_plan(path, settings)
    first = time.perf_counter() - started
    first_calls = calls
    started = time.perf_counter()
    again = read_plan(path, settings)
    second = time.perf_counter() - started
    expected = load_expected(scan[:3])
    digital_pdf = ROOT / "tests" / "fixtures" / "formats" / f"{scan[:3]}.pdf"
    digital = read_plan(digital_pdf, ExtractSettings(progress=False))
    if plan.source.pages < digital.source.pages:  # the 200-dpi scans hold the first pages only
        opening = pdf_pages(digital_pdf, Path(tempfile.mkdtemp()) / "digital.pdf", list(range(plan.source.pages)))
        digital = read_plan(opening, ExtractSettings(progress=False))
        expected = expected_on_pages(scan[:3], digital)
    score = score_plan(plan, expected)
    agreement, differ = check_agreement(digital, plan)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "scan": scan, "engine": engine, "pages": plan.source.pages, "f1": round(score.f1, 3),
        "agency_year": plan.agency == expected.get("agency") and plan.roc_year == expected["roc_year"],
        "roc_year": plan.roc_year, "agency": plan.agency, "framework": plan.framework and plan.framework.id,
        "framework_right": plan.framework is not None and digital.framework is not None
        and plan.framework.id == digital.framework.id,
        "check_agreement": round(agreement, 3), "verdicts_differ": differ,
        "s_per_page": round(first / plan.source.pages, 2), "peak_mb": round(max(own, children) / 1024),
        "pages_recognised": first_calls, "second_read_s": round(second, 3), "second_read_recognised": calls - first_calls,
        "same_measures": [m.text for m in again.measures] == [m.text for m in plan.measures],
    }


def measure(scan: str, engine: str) -> dict:
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "XDG_CACHE_HOME": cache, "OMP_THREAD_LIMIT": "1"}
        output = subprocess.run([sys.executable, "-m", "benchmarks.ocr_bench", "--child", scan, engine], cwd=ROOT,
                                env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engines", default="tesseract,rapidocr")
    parser.add_argument("--scans", nargs="*", default=DEFAULT_SCANS)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(*args.child), ensure_ascii=False))
        return
    for engine in args.engines.split(","):
        for scan in args.scans:
            print(json.dumps(measure(scan, engine), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
