"""The `plancheck` command. Each group of commands lives in plancheck/commands/
and registers itself on ``app``; adding a command means adding a module there
and one import below."""

from __future__ import annotations

import os
from enum import Enum

import typer

app = typer.Typer(
    name="plancheck",
    help="Read, check and search Taiwanese government service-quality plans (提升服務品質執行計畫).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)



class OcrEngine(str, Enum):
    tesseract = "tesseract"
    rapidocr = "rapidocr"


@app.callback()
def options(
    no_ocr: bool = typer.Option(False, "--no-ocr", help="Refuse scanned PDFs and page images instead of reading them by OCR."),
    ocr_engine: OcrEngine = typer.Option(OcrEngine.tesseract, "--ocr-engine", help="OCR engine for scanned pages."),
    ocr_jobs: int = typer.Option(0, "--ocr-jobs", min=0, help="Pages of one scanned file recognised at once (0: one per CPU)."),
) -> None:
    """Options for every command; OCR results are cached under $XDG_CACHE_HOME/plancheck/ocr."""
    # The environment carries the choice to batch worker processes (extractor.ocr.settings).
    os.environ["PLANCHECK_OCR"] = "off" if no_ocr else ocr_engine.value
    if ocr_jobs:
        os.environ["PLANCHECK_OCR_JOBS"] = str(ocr_jobs)


from plancheck.commands import extract as _extract  # noqa: E402,F401  (registers commands)
from plancheck.commands import samples as _samples  # noqa: E402,F401
from plancheck.commands import corpus as _corpus  # noqa: E402,F401
from plancheck.commands import check as _check  # noqa: E402,F401


def main() -> None:
    app()
