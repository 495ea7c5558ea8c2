"""One reader per format, chosen from the file's content (not its name).

``FORMATS`` is the registry: one line per input format, in the order the
formats are tried. Everything that lists formats derives from it — the format
names of ``SourceFile.format``, the extensions a folder is searched for, the
web page's upload list, the README's list and the format tests. Adding a
format is one reader module (its ``sniff`` and ``read``) and one line here.

Zip-based formats are checked before any member is inflated: the sizes the
archive declares must stay under the limits, so a zip bomb is refused in
milliseconds without reading it."""

from __future__ import annotations

from pathlib import Path

from extractor.elements import Document
from extractor.errors import EmptyFile, UnsupportedFormat
from extractor.readers import archive, csvfile, docx, html, image, legacy, ods, odt, pdf, text, xlsx
from extractor.readers.base import InputFormat, Probe, ReadLimits, Reader, check_archive

__all__ = ["FORMATS", "InputFormat", "Probe", "ReadLimits", "Reader", "check_archive", "detect_format",
           "document_extensions", "format_named", "plan_extensions", "read_document"]

FORMATS: tuple[InputFormat, ...] = (
    InputFormat("pdf", "PDF", (".pdf",), pdf.sniff, pdf.read),
    InputFormat("image", "page image (scan or photo)", (".png", ".jpg", ".jpeg", ".tif", ".tiff"), image.sniff, image.read),
    InputFormat("docx", "Word", (".docx",), docx.sniff, docx.read),
    InputFormat("odt", "OpenDocument text", (".odt",), odt.sniff, odt.read),
    InputFormat("xlsx", "Excel workbook", (".xlsx",), xlsx.sniff, xlsx.read),
    InputFormat("ods", "OpenDocument spreadsheet", (".ods",), ods.sniff, ods.read),
    InputFormat("zip", "zip archive of plans", (".zip",), archive.sniff, archive.read, archive=True),
    InputFormat("doc", "Word 97–2003", (".doc",), legacy.sniff_doc, legacy.read),
    InputFormat("wps", "Works / WPS Writer", (".wps",), legacy.sniff_wps, legacy.read),
    InputFormat("rtf", "Rich Text Format", (".rtf",), legacy.sniff_rtf, legacy.read),
    InputFormat("html", "web page", (".html", ".htm"), html.sniff, html.read),
    InputFormat("csv", "comma-separated table", (".csv",), csvfile.sniff, csvfile.read),
    InputFormat("text", "text or markdown", (".txt", ".md"), text.sniff, text.read),
)


def format_named(name: str) -> InputFormat:
    return next(fmt for fmt in FORMATS if fmt.name == name)


def plan_extensions() -> tuple[str, ...]:
    """Every extension a folder is searched for, archives included."""
    return tuple(ext for fmt in FORMATS for ext in fmt.extensions)


def document_extensions() -> tuple[str, ...]:
    """The extensions of single plans (what the web page accepts)."""
    return tuple(ext for fmt in FORMATS if not fmt.archive for ext in fmt.extensions)


def detect_format(path: Path, data: bytes, limits: ReadLimits | None = None) -> InputFormat:
    """The format of a plan file, from its content."""
    if not data.strip():
        raise EmptyFile(path)
    probe = Probe(Path(path), data, limits or ReadLimits())
    for fmt in FORMATS:
        if fmt.sniff(probe):
            return fmt
    kind = "OLE2 檔案，但不是 Word 或 Works 文件；若是 Excel 97–2003 活頁簿，請另存為 .xlsx" \
        if probe.ole_streams is not None else "無法辨識的容器格式"
    raise UnsupportedFormat(path, f"{kind}；plancheck 能讀 {' '.join(plan_extensions())}")


def read_document(path: Path, data: bytes, limits: ReadLimits | None = None) -> tuple[str, Document]:
    """The format's name and the document its reader made."""
    limits = limits or ReadLimits()
    fmt = detect_format(path, data, limits)
    return fmt.name, fmt.read(path, data, limits)
