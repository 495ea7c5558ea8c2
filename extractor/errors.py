"""Errors a reader or the extractor raises for input it cannot use.

Each carries the file and a one-line reason in plain language; the CLI prints
them as ``plancheck: FILE: reason`` and exits 1."""

from __future__ import annotations

from pathlib import Path


class PlanError(Exception):
    """Base class: a file plancheck cannot process (a plan it cannot read, an
    output it must not write), with a one-line reason."""

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


class NoText(PlanError):
    reason = "the document holds no text (an empty body)"


class UnsupportedFormat(PlanError):
    reason = "not a plan format plancheck reads"


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


class NeedsLibreOffice(PlanError):
    reason = "a Word 97–2003, RTF or Works document, which plancheck reads through LibreOffice; install LibreOffice (soffice) or save it as .docx"


class ConversionFailed(PlanError):
    reason = "LibreOffice could not convert the file"


class ArchiveOfPlans(PlanError):
    reason = "a zip archive of plans, not one plan; check it as a batch (plancheck check FILE.zip --out DIR)"


class TooLarge(PlanError):
    reason = "the file exceeds plancheck's size limits"


def error_line(path: str, error: BaseException) -> str:
    """The one line printed for any failure on ``path``: a PlanError's own
    message, anything else as "could not be processed" with its type."""
    if isinstance(error, PlanError):
        return f"plancheck: {error.message}"
    reason = str(error).splitlines()[0] if str(error) else type(error).__name__
    return f"plancheck: {path}: could not be processed ({type(error).__name__}: {reason})"
