"""The interface every recognition engine implements, and the registry of engines.

An engine takes a prepared page image (grayscale, upright, deskewed, ruling
lines erased) and returns its text lines (extractor.ocr.words): each line's
words with their pixel boxes and a confidence in 0..1; and it reads a list of
blocks (parts of a page), or of single lines, each image on its own. Adding an engine is one module and
one line in ENGINES."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from extractor.ocr import rapid, tesseract
from extractor.ocr.settings import EngineName, OcrSettings
from extractor.ocr.words import OcrUnavailable, TextLine


@dataclass(frozen=True)
class Engine:
    page: Callable[[np.ndarray, int, OcrSettings], list[TextLine]]  # image, its dpi, settings
    blocks: Callable[..., list[list[TextLine]]]  # images, their dpi, settings, kind: "block", "line" or "raw_line"


ENGINES: dict[str, Engine] = {
    "tesseract": Engine(tesseract.recognise, tesseract.recognise_blocks),
    "rapidocr": Engine(rapid.recognise, rapid.recognise_blocks),
}


def engine(name: EngineName) -> Engine:
    if name not in ENGINES:
        raise OcrUnavailable(f"unknown OCR engine {name!r}")
    return ENGINES[name]
