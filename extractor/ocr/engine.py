"""The interface every recognition engine implements, and the registry of engines.

An engine takes a prepared page image (grayscale, upright, deskewed, ruling
lines erased) and returns its text lines: each line's words with their pixel
boxes and a confidence in 0..1. Adding an engine is one module and one line
in ENGINES."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from extractor.ocr.settings import EngineName, OcrSettings


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float  # 0..1


@dataclass(frozen=True)
class TextLine:
    words: tuple[Word, ...]

    @property
    def top(self) -> float:
        return min(word.top for word in self.words)

    @property
    def bottom(self) -> float:
        return max(word.bottom for word in self.words)


Engine = Callable[[np.ndarray, int, OcrSettings], list[TextLine]]  # image, its dpi, settings


class OcrUnavailable(RuntimeError):
    """The engine is not installed (a Debian package or a wheel is missing)."""


def engine(name: EngineName) -> Engine:
    if name == "tesseract":
        from extractor.ocr.tesseract import recognise
    elif name == "rapidocr":
        from extractor.ocr.rapid import recognise
    else:
        raise OcrUnavailable(f"unknown OCR engine {name!r}")
    return recognise
