"""Tesseract (Debian packages tesseract-ocr, tesseract-ocr-chi-tra), run as a
process on one page, its word boxes read from the TSV output."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np

from extractor.ocr.words import OcrUnavailable, TextLine, Word
from extractor.ocr.settings import OcrSettings

_TIMEOUT = 300  # seconds for one page: only a hung process gets there


def _run(image: np.ndarray | None, arguments: list[str], source: str = "stdin") -> str:
    """Tesseract's output on ``image`` (sent on stdin), or on the file ``source``."""
    binary = shutil.which("tesseract")
    if binary is None:
        raise OcrUnavailable("tesseract is not installed (Debian packages tesseract-ocr and tesseract-ocr-chi-tra)")
    data = b""
    if image is not None:
        ok, png = cv2.imencode(".png", image)
        if not ok:
            raise OcrUnavailable("the page image could not be encoded")
        data = png.tobytes()
    # One thread per process: pages are spread over processes instead, and
    # tesseract's OpenMP threads only contend with each other on a busy machine.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    result = subprocess.run([binary, source, "stdout", *arguments], input=data, capture_output=True,
                            timeout=_TIMEOUT, env=env, check=False)
    if result.returncode != 0:
        raise OcrUnavailable(f"tesseract failed: {result.stderr.decode('utf-8', 'replace').strip().splitlines()[-1:]}")
    return result.stdout.decode("utf-8")


def _lines(tsv: str) -> dict[int, list[TextLine]]:
    """The text lines of TSV output, by image (1-based ``page_num``)."""
    lines: dict[tuple[int, int, int, int], list[Word]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row["level"] != "5" or not text:
            continue
        left, top, width, height = (int(row[name]) for name in ("left", "top", "width", "height"))
        key = (int(row["page_num"]), int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
        lines.setdefault(key, []).append(Word(text, left, top, left + width, top + height, max(0.0, float(row["conf"])) / 100))
    pages: dict[int, list[TextLine]] = {}
    for (page, *_), words in lines.items():
        pages.setdefault(page, []).append(TextLine(tuple(words)))
    return pages


def recognise(image: np.ndarray, dpi: int, settings: OcrSettings) -> list[TextLine]:
    """A whole page: tesseract's own layout analysis finds its blocks and columns."""
    tsv = _run(image, ["-l", settings.languages, "--psm", "3", "--dpi", str(dpi), "tsv"])
    return _lines(tsv).get(1, [])


_PSM = {"block": "6", "line": "7", "raw_line": "13"}


def recognise_blocks(images: Sequence[np.ndarray], dpi: int, settings: OcrSettings,
                     kind: str = "block") -> list[list[TextLine]]:
    """Each image a block of text (``--psm 6``, one uniform block), a single line
    (``--psm 7``) or a raw line (``--psm 13``: without the heuristics that now
    and then drop a short line as noise), all in one process so that the model
    is loaded once: tesseract reads a file that lists image files as the pages
    of one document."""
    if not images:
        return []
    with tempfile.TemporaryDirectory(prefix="plancheck-ocr-") as folder:
        names = []
        for number, image in enumerate(images):
            name = Path(folder) / f"{number}.png"
            if not cv2.imwrite(str(name), image):
                raise OcrUnavailable("a cell image could not be written")
            names.append(str(name))
        listing = Path(folder) / "images.txt"
        listing.write_text("\n".join(names) + "\n", encoding="utf-8")
        tsv = _run(None, ["-l", settings.languages, "--psm", _PSM[kind], "--dpi", str(dpi), "tsv"], source=str(listing))
    pages = _lines(tsv)
    return [pages.get(number + 1, []) for number in range(len(images))]


def orientation(image: np.ndarray) -> int | None:
    """Degrees to turn the page clockwise so that it reads upright, by
    tesseract's orientation and script detection; None when it cannot tell."""
    try:
        output = _run(image, ["--psm", "0", "-l", "osd"])
    except (OcrUnavailable, subprocess.TimeoutExpired):
        return None
    fields = dict(line.split(":", 1) for line in output.splitlines() if ":" in line)
    try:
        rotate = int(fields["Rotate"].strip())
        confidence = float(fields["Orientation confidence"].strip())
    except (KeyError, ValueError):
        return None
    return rotate if confidence >= 2.0 else None
