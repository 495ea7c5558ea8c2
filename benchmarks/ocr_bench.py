"""OCR benchmark: both engines on the scanned fixtures (tests/fixtures/scans/,
scripts/make_scans.py), and the cache.

    .venv/bin/python -m benchmarks.ocr_bench [--engines tesseract,rapidocr] [--scans 000_300,001_200 ...]

For each engine and scan, in a fresh process with an empty cache: measure F1
against tests/expected/ (tests/scoring.py; for the 200-dpi scans, which hold
the first three pages, against the expected measures on those pages of the
digital PDF), agency/year and framework right, the share of check verdicts
that agree with the digital file's (whole documents only), seconds per page, peak memory (the process and its children: tesseract runs as a child
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
    from checks import check_plan, load_profile, map_plan
    from extractor import ExtractSettings, extract
    from extractor.ocr import recognise as recognise_module
    from extractor.ocr.settings import OcrSettings
    from normalizers.pipeline import normalize_plan
    from tests.scoring import load_expected, score_plan

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
    plan = extract(path, settings)
    first = time.perf_counter() - started
    first_calls = calls
    started = time.perf_counter()
    again = extract(path, settings)
    second = time.perf_counter() - started
    expected = load_expected(scan[:3])
    digital = extract(ROOT / "tests" / "fixtures" / "formats" / f"{scan[:3]}.pdf")
    if plan.source.pages < digital.source.pages:  # the 200-dpi scans hold the first pages only
        on_pages = [got for got in digital.measures if got.location.page <= plan.source.pages]
        kept = {id(wanted) for wanted, got in score_plan(digital, expected).matched if got in on_pages}
        expected = {**expected, "measures": [wanted for wanted in expected["measures"] if id(wanted) in kept]}
    score = score_plan(plan, expected)
    profile = load_profile("default")
    mapped, mapped_digital = map_plan(normalize_plan(plan)), map_plan(normalize_plan(digital))
    verdicts = {item.id: item.status for item in check_plan(mapped_digital, profile).items}
    scanned = {item.id: item.status for item in check_plan(mapped, profile).items}
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "scan": scan, "engine": engine, "pages": plan.source.pages, "f1": round(score.f1, 3),
        "agency_year": plan.agency == expected.get("agency") and plan.roc_year == expected["roc_year"],
        "roc_year": plan.roc_year, "agency": plan.agency, "framework": mapped.framework and mapped.framework.id,
        "framework_right": mapped.framework is not None and mapped_digital.framework is not None
        and mapped.framework.id == mapped_digital.framework.id,
        "check_agreement": round(sum(verdicts[item] == scanned.get(item) for item in verdicts) / len(verdicts), 3)
        if plan.source.pages == digital.source.pages else None,
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
