"""The interface every recognition engine implements, and the registry of engines.

An engine takes a prepared page image (grayscale, upright, deskewed, ruling
lines erased) and returns its text lines (extractor.ocr.words): each line's
words with their pixel boxes and a confidence in 0..1. Adding an engine is one
module and one line in ENGINES."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from extractor.ocr import rapid, tesseract
from extractor.ocr.settings import EngineName, OcrSettings
from extractor.ocr.words import OcrUnavailable, TextLine

Engine = Callable[[np.ndarray, int, OcrSettings], list[TextLine]]  # image, its dpi, settings

ENGINES: dict[str, Engine] = {
    "tesseract": tesseract.recognise,
    "rapidocr": rapid.recognise,
}


def engine(name: EngineName) -> Engine:
    if name not in ENGINES:
        raise OcrUnavailable(f"unknown OCR engine {name!r}")
    return ENGINES[name]
