"""A page image in, a RecognisedPage out: prepare the image, find the ruling
lines, run the engine, and express everything in PDF points."""

from __future__ import annotations

import cv2
import numpy as np

from extractor.ocr import image as prep
from extractor.ocr.engine import engine
from extractor.ocr.page import OcrLine, OcrRuling, OcrWord, RecognisedPage
from extractor.ocr.settings import OcrSettings
from extractor.ocr.tesseract import orientation


def _fit(image: np.ndarray, dpi: int, max_pixels: int) -> tuple[np.ndarray, int]:
    pixels = image.shape[0] * image.shape[1]
    if pixels <= max_pixels:
        return image, dpi
    scale = (max_pixels / pixels) ** 0.5
    return cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA), max(72, int(dpi * scale))


def upright(binary: np.ndarray, settings: OcrSettings) -> int:
    """Degrees to turn the page clockwise so that its text reads upright."""
    if not settings.detect_orientation:
        return 0
    return orientation(binary) or 0


def recognise(image: np.ndarray, dpi: int, settings: OcrSettings) -> RecognisedPage:
    gray, dpi = _fit(prep.gray(image), dpi, settings.max_ocr_pixels)
    binary = prep.binarise(gray)
    turned = upright(binary, settings)
    if turned:
        gray, binary = prep.turn(gray, turned), prep.turn(binary, turned)
    skew = prep.skew_angle(binary, settings.max_skew_degrees) if settings.deskew else 0.0
    if skew:
        binary = prep.binarise(prep.rotate(gray, skew))
    segments, cleaned = prep.rulings(binary, dpi)
    lines = engine(settings.engine)(cleaned, dpi, settings)
    scale = 72.0 / dpi
    return RecognisedPage(
        width=binary.shape[1] * scale,
        height=binary.shape[0] * scale,
        lines=[OcrLine(words=[OcrWord(text=w.text, x0=w.x0 * scale, top=w.top * scale, x1=w.x1 * scale,
                                      bottom=w.bottom * scale, confidence=round(w.confidence, 3)) for w in line.words],
                       top=line.top * scale, bottom=line.bottom * scale)
               for line in lines if line.words],
        rulings=[OcrRuling(x0=s.x0 * scale, top=s.y0 * scale, x1=s.x1 * scale, bottom=s.y1 * scale, horizontal=s.horizontal)
                 for s in segments],
        turned=turned,
        skew=round(skew, 2),
        engine=settings.engine,
    )
