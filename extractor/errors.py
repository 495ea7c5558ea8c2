"""Errors a reader or the extractor raises for input it cannot use.

Each carries the file and a one-line reason in plain language; the CLI prints
them as ``plancheck: FILE: reason`` and exits 1."""

from __future__ import annotations

from pathlib import Path


class PlanError(Exception):
    """Base class: a plan file that cannot be processed."""

    reason = "cannot be read"

    def __init__(self, path: str | Path, detail: str | None = None) -> None:
        self.path = str(path)
        self.detail = detail
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return f"{self.path}: {self.reason}" + (f" ({self.detail})" if self.detail else "")


class FileMissing(PlanError):
    reason = "no such file"


class EmptyFile(PlanError):
    reason = "the file is empty"


class UnsupportedFormat(PlanError):
    reason = "not a plan format plancheck reads (.pdf .docx .odt .html .htm .txt .md .png .jpg .tif)"


class EncodingError(PlanError):
    reason = "the text is in an encoding plancheck cannot identify (save it as UTF-8)"


class BinaryFile(PlanError):
    reason = "binary data, not a text, PDF, Word, ODF or HTML document"


class CorruptFile(PlanError):
    reason = "the file is damaged and cannot be opened"


class EncryptedFile(PlanError):
    reason = "the file is password-protected; save an unprotected copy and check that"


class ScannedPdf(PlanError):
    reason = "scanned PDF with no text layer; run OCR on it or ask for the original document"


class PageImage(PlanError):
    reason = "a page image (scan or photo) and OCR is switched off; run without --no-ocr"


class NoTextFound(ScannedPdf):
    reason = "OCR found no text on any page (a blank or unreadable scan)"


class LegacyWord(PlanError):
    reason = "old binary Word (.doc) file; save it as .docx or .odt and check that"


class TooLarge(PlanError):
    reason = "the file exceeds plancheck's size limits"


class NoMeasureTable(PlanError):
    reason = "no measure table found (no table with 面向/執行策略/具體作法-style columns)"
