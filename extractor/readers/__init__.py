"""One reader per format, chosen from the file's content (not its name).

A reader takes the path and bytes and returns a Document. Adding a format means
adding a module here and one line in READERS."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

from extractor.elements import Document
from extractor.errors import CorruptFile, EmptyFile, EncryptedFile, LegacyWord, UnsupportedFormat
from extractor.readers.text import read_text
from models import SourceFormat

Reader = Callable[[Path, bytes], Document]

READERS: dict[str, Reader] = {
    "text": read_text,
}

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _zip_format(path: Path, data: bytes) -> SourceFormat:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100]
                if b"opendocument.text" in mimetype:
                    return "odt"
            if "word/document.xml" in names:
                return "docx"
    except zipfile.BadZipFile as error:
        raise CorruptFile(path, str(error)) from None
    raise UnsupportedFormat(path, "a zip archive that is neither .docx nor .odt")


def detect_format(path: Path, data: bytes) -> SourceFormat:
    """The format of a plan file, from its first bytes."""
    if not data.strip():
        raise EmptyFile(path)
    head = data[:2048].lstrip()
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(path, data)
    if data.startswith(_OLE_MAGIC):
        # Password-protected .docx/.odt files are wrapped in an OLE container too.
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data:
            raise EncryptedFile(path)
        raise LegacyWord(path)
    lowered = head[:1024].lower()
    if b"<html" in lowered or b"<!doctype html" in lowered or b"<table" in lowered:
        return "html"
    return "text"


def read_document(path: Path, data: bytes) -> tuple[SourceFormat, Document]:
    fmt = detect_format(path, data)
    reader = READERS.get(fmt)
    if reader is None:
        raise UnsupportedFormat(path, f"{fmt} files are not supported yet")
    return fmt, reader(path, data)
