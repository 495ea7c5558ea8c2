"""A page image in, a RecognisedPage out: prepare the image, find the ruling
lines, run the engine (on the table cells one by one, on the rest of the page
as a whole), and express everything in PDF points."""

from __future__ import annotations

import cv2
import numpy as np

from extractor.ocr import image as prep
from extractor.ocr.engine import engine
from extractor.ocr.page import OcrLine, OcrRuling, OcrWord, RecognisedPage
from extractor.ocr.settings import OcrSettings
from extractor.ocr.tesseract import orientation
from extractor.ocr.words import TextLine, Word


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


_CELL_MARGIN = 12  # white pixels around a cell's image: engines misread text that touches the border
_CELL_DPI = 300  # cells of smaller scans are enlarged to this: small glyphs lose their strokes


def has_ink(image: np.ndarray) -> bool:
    """Whether a cell holds more than a few specks."""
    return int(np.count_nonzero(image < 128)) > max(30, image.size // 2000)


def _shifted(line: TextLine, box: prep.Box, scale: float) -> TextLine:
    """A line read in a cell's (enlarged, bordered) image, in page pixels."""
    def place(x: float, y: float) -> tuple[float, float]:
        return box.x0 + (x - _CELL_MARGIN) / scale, box.y0 + (y - _CELL_MARGIN) / scale
    words = []
    for word in line.words:
        x0, top = place(word.x0, word.top)
        x1, bottom = place(word.x1, word.bottom)
        words.append(Word(word.text, x0, top, x1, bottom, word.confidence))
    return TextLine(tuple(words))


def read_text(cleaned: np.ndarray, lines: np.ndarray, dpi: int, settings: OcrSettings) -> list[TextLine]:
    """The text lines of a prepared page: each table cell the ruling lines close
    read as one block of text, and the page around them by the engine's own layout analysis."""
    run = engine(settings.engine)
    boxes = prep.cell_boxes(lines, dpi) if settings.read_cells else []
    rest = cleaned.copy()
    for box in boxes:
        rest[box.y0:box.y1, box.x0:box.x1] = 255
    found = run.page(rest, dpi, settings)
    inked = [box for box in boxes if has_ink(cleaned[box.y0:box.y1, box.x0:box.x1])]
    scale = max(1.0, _CELL_DPI / dpi)
    crops = []
    for box in inked:
        crop = cleaned[box.y0:box.y1, box.x0:box.x1]
        if scale > 1:
            crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        crops.append(cv2.copyMakeBorder(crop, *[_CELL_MARGIN] * 4, cv2.BORDER_CONSTANT, value=255))
    for box, cell in zip(inked, run.blocks(crops, round(dpi * scale), settings)):
        found.extend(_shifted(line, box, scale) for line in cell if line.words)
    return found


def recognise(image: np.ndarray, dpi: int, settings: OcrSettings) -> RecognisedPage:
    gray, dpi = _fit(prep.gray(image), dpi, settings.max_ocr_pixels)
    binary = prep.binarise(gray)
    turned = upright(binary, settings)
    if turned:
        gray, binary = prep.turn(gray, turned), prep.turn(binary, turned)
    skew = prep.skew_angle(binary, settings.max_skew_degrees) if settings.deskew else 0.0
    if skew:
        binary = prep.binarise(prep.rotate(gray, skew))
    segments, cleaned, ruled = prep.rulings(binary, dpi)
    lines = read_text(cleaned, ruled, dpi, settings)
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
