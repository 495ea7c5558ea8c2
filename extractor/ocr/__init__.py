"""Optical character recognition of scanned pages (image-only PDF pages, page images).

    image.py      photo unwarping, orientation, deskew, binarisation, ruling lines, cells, specks (OpenCV)
    engine.py     the engine interface and registry: tesseract.py (default), rapid.py (RapidOCR); words.py their output
    recognise.py  one page image → RecognisedPage (words with boxes and confidences, rulings) in points:
                  table cells read line by line, the rest of the page by layout analysis, large type again
    page.py       a RecognisedPage as a page the PDF geometry reader reads like a digital one
    cache.py      results cached by file sha256 + engine + settings

No engine downloads anything: Tesseract's models are Debian packages and
RapidOCR's ship inside its wheel."""

from extractor.ocr.words import OcrUnavailable
from extractor.ocr.page import OcrPage, RecognisedPage
from extractor.ocr.settings import OcrSettings

__all__ = ["OcrPage", "OcrSettings", "OcrUnavailable", "RecognisedPage"]
