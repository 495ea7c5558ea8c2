"""How pages are recognised: the one settings object every OCR step reads.

The settings are part of the OCR cache key (extractor.ocr.cache), so two runs
with different settings never share a result."""

from __future__ import annotations

import json
import os
from typing import Literal

from pydantic import BaseModel, Field

EngineName = Literal["tesseract", "rapidocr"]


class OcrSettings(BaseModel):
    model_config = {"frozen": True}

    engine: EngineName = Field(default="tesseract", description="Recognition engine.")
    languages: str = Field(default="chi_tra", description="Tesseract language models (chi_tra holds Latin and digits too).")
    pdf_dpi: int = Field(default=300, ge=100, le=600, description="Resolution scanned PDF pages are rasterised at.")
    image_dpi: int = Field(default=200, ge=72, le=1200, description="Resolution assumed for an image file that does not say.")
    max_ocr_pixels: int = Field(default=9_000_000, gt=0,
                                description="Larger page images are scaled down before recognition (speed; text stays legible).")
    deskew: bool = True
    max_skew_degrees: float = Field(default=3.0, ge=0, le=15)
    unwarp_photos: bool = Field(default=True, description="Map a photographed sheet (perspective) back to a rectangle.")
    read_cells: bool = Field(default=True, description="Read each ruled table cell as a block of its own.")
    detect_orientation: bool = Field(default=True, description="Turn pages scanned sideways or upside down.")
    min_line_confidence: float = Field(default=0.2, ge=0, le=1,
                                       description="A recognised line is kept only above this mean word confidence: blots, "
                                                   "stamps and specks come back as a stray character or two at confidence 0.")
    min_text_chars: int = Field(default=20, ge=0,
                                description="A PDF page with fewer text characters than this is read by OCR.")

    def key(self) -> str:
        """A stable text of the settings for the cache key."""
        return json.dumps(self.model_dump(), sort_keys=True)


def ocr_from_environment() -> OcrSettings | None:
    """The OCR settings the command line chose (``plancheck --no-ocr`` /
    ``--ocr-engine``), passed in PLANCHECK_OCR so that batch worker processes
    see them too: "off", or an engine name; unset means the default engine."""
    choice = os.environ.get("PLANCHECK_OCR", "").strip()
    if choice == "off":
        return None
    return OcrSettings(engine=choice) if choice else OcrSettings()


def ocr_jobs_from_environment() -> int:
    """Pages of one file recognised at once: PLANCHECK_OCR_JOBS, else one per CPU."""
    try:
        return max(1, int(os.environ.get("PLANCHECK_OCR_JOBS", "")))
    except ValueError:
        return os.cpu_count() or 1
