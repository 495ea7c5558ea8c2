"""RapidOCR (PaddleOCR's PP-OCRv4 models on onnxruntime; the models ship inside
the rapidocr-onnxruntime wheel, nothing is downloaded). One box per character.

Its recognition model was trained mostly on Simplified text, so characters it
reads in their Simplified form (项, 询) are turned to Traditional one by one
(OpenCC, the plan-aware table of normalizers.text), keeping each box its text."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from extractor.ocr.words import OcrUnavailable, TextLine, Word
from extractor.ocr.settings import OcrSettings
from normalizers.text import to_traditional

_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _engine():
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as error:
        raise OcrUnavailable(f"RapidOCR is not installed ({error})") from None
    # The page was turned upright already; its own angle classifier only costs time.
    return RapidOCR(params={"Global.use_cls": False, "Global.print_verbose": False})


def _traditional(text: str) -> str:
    """The line in Traditional characters, one for one (phrase context helps
    OpenCC choose: 发现 → 發現, 头发 → 頭髮); unchanged if a phrase changes length."""
    converted = to_traditional(text)
    return converted if len(converted) == len(text) else text


def recognise(image: np.ndarray, dpi: int, settings: OcrSettings) -> list[TextLine]:
    with _LOCK:  # one onnxruntime session per process; it uses every core by itself
        result, _ = _engine()(image, return_word_box=True, use_cls=False)
    lines = []
    for item in result or []:
        box, text, score = item[0], _traditional(item[1]), float(item[2])
        char_boxes = item[3] if len(item) > 3 and item[3] and len(item[3]) == len(text) else None
        if char_boxes is None:  # no box per character: the line box is the one word
            xs, ys = [point[0] for point in box], [point[1] for point in box]
            words = [Word(text, min(xs), min(ys), max(xs), max(ys), score)]
        else:
            words = []
            for ch, quad in zip(text, char_boxes):
                xs, ys = [point[0] for point in quad], [point[1] for point in quad]
                words.append(Word(ch, float(min(xs)), float(min(ys)), float(max(xs)), float(max(ys)), score))
        lines.append(TextLine(tuple(words)))
    return lines


def recognise_blocks(images: Sequence[np.ndarray], dpi: int, settings: OcrSettings,
                     kind: str = "block") -> list[list[TextLine]]:
    """Each image on its own (its detector finds the lines, one or several): one model session serves them all."""
    return [recognise(image, dpi, settings) for image in images]
