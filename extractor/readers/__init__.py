"""One reader per format, chosen from the file's content (not its name).

A reader takes the path, the bytes and the read limits and returns a Document.
Adding a format means adding a module here and one line in READERS.

Zip-based formats (.docx, .odt) are checked before any member is inflated:
the sizes the archive declares (ZipInfo.file_size) must stay under the limits,
so a zip bomb is refused in milliseconds without reading it."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from extractor.elements import Document
from extractor.errors import CorruptFile, EmptyFile, EncryptedFile, LegacyWord, TooLarge, UnsupportedFormat
from extractor.readers.docx import read_docx
from extractor.readers.html import read_html
from extractor.readers.image import read_image
from extractor.readers.odt import read_odt
from extractor.readers.pdf import read_pdf
from extractor.readers.text import read_text
from extractor.ocr.run import OcrOptions
from models import SourceFormat


@dataclass(frozen=True)
class ReadLimits:
    """What a reader may spend on one file (set from ExtractSettings)."""

    max_unpacked_bytes: int = 200 * 1024 * 1024
    max_compression_ratio: float = 200.0
    max_archive_members: int = 5000
    max_pdf_pages: int = 2000
    ocr: OcrOptions | None = None  # None: scans are refused



Reader = Callable[[Path, bytes, ReadLimits], Document]

READERS: dict[str, Reader] = {
    "text": lambda path, data, limits: read_text(path, data),
    "docx": lambda path, data, limits: read_docx(path, data),
    "odt": lambda path, data, limits: read_odt(path, data),
    "html": lambda path, data, limits: read_html(path, data),
    "pdf": lambda path, data, limits: read_pdf(path, data, max_pages=limits.max_pdf_pages, ocr=limits.ocr),
    "image": lambda path, data, limits: read_image(path, data, limits.ocr, max_pages=limits.max_pdf_pages),
}
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_archive(path: Path, archive: zipfile.ZipFile, limits: ReadLimits) -> None:
    """Refuse an archive whose declared contents exceed the limits (zip bombs)."""
    members = archive.infolist()
    if len(members) > limits.max_archive_members:
        raise TooLarge(path, f"the archive holds {len(members)} files, limit {limits.max_archive_members}")
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members) or 1
    if unpacked > limits.max_unpacked_bytes:
        raise TooLarge(path, f"unpacks to {unpacked // (1024 * 1024)} MB, limit {limits.max_unpacked_bytes // (1024 * 1024)} MB; "
                             "possibly a zip bomb")
    if unpacked > 10 * 1024 * 1024 and unpacked / packed > limits.max_compression_ratio:
        raise TooLarge(path, f"compression ratio {unpacked / packed:.0f}:1 exceeds {limits.max_compression_ratio:.0f}:1; "
                             "possibly a zip bomb")


def _zip_format(path: Path, data: bytes, limits: ReadLimits) -> SourceFormat:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            check_archive(path, archive, limits)
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.open("mimetype").read(100)
                if b"opendocument.text" in mimetype:
                    if "META-INF/manifest.xml" in names and b"encryption-data" in archive.open("META-INF/manifest.xml").read(1 << 20):
                        raise EncryptedFile(path)
                    return "odt"
            if "word/document.xml" in names:
                return "docx"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as error:
        raise CorruptFile(path, f"damaged zip archive ({error})") from None
    raise UnsupportedFormat(path, "a zip archive that is neither .docx nor .odt")


def detect_format(path: Path, data: bytes, limits: ReadLimits | None = None) -> SourceFormat:
    """The format of a plan file, from its first bytes."""
    if not data.strip():
        raise EmptyFile(path)
    head = data[:2048].lstrip()
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(path, data, limits or ReadLimits())
    if data.startswith(_IMAGE_MAGIC):
        return "image"
    if data.startswith(_OLE_MAGIC):
        # Password-protected .docx/.odt files are wrapped in an OLE container too.
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data:
            raise EncryptedFile(path)
        raise LegacyWord(path)
    lowered = head[:1024].lower()
    if b"<html" in lowered or b"<!doctype html" in lowered or b"<table" in lowered:
        return "html"
    return "text"


def read_document(path: Path, data: bytes, limits: ReadLimits | None = None) -> tuple[SourceFormat, Document]:
    limits = limits or ReadLimits()
    fmt = detect_format(path, data, limits)
    reader = READERS.get(fmt)
    if reader is None:
        raise UnsupportedFormat(path, f"{fmt} files are not supported yet")
    return fmt, reader(path, data, limits)
