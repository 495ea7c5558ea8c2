"""Word 97–2003 (.doc), Rich Text Format (.rtf) and Works / WPS Writer (.wps)
plans: LibreOffice converts them to .docx (extractor.readers.libreoffice), and
the .docx reader reads the result, so they come out as the same document.

A password-protected .doc is told from its File Information Block before
LibreOffice is started (LibreOffice would only say that it cannot load it)."""

from __future__ import annotations

import struct
from pathlib import Path

from extractor.elements import Document
from extractor.errors import CorruptFile, EncryptedFile
from extractor.readers.base import Probe, ReadLimits
from extractor.readers.docx import read_docx
from extractor.readers.libreoffice import convert

_WORKS_STREAMS = {"CONTENTS", "MatOST", "MN0"}  # Works 2000 and later, Works 3–4 for Windows
_F_ENCRYPTED = 0x0100  # FibBase flags: fEncrypted


def sniff_doc(probe: Probe) -> bool:
    streams = probe.ole_streams
    if streams is None:
        return False
    if "EncryptedPackage" in streams:  # a password-protected .docx/.xlsx travels in an OLE container
        raise EncryptedFile(probe.path)
    return "WordDocument" in streams


def sniff_wps(probe: Probe) -> bool:
    streams = probe.ole_streams
    return streams is not None and bool(_WORKS_STREAMS & streams) and "WordDocument" not in streams


def sniff_rtf(probe: Probe) -> bool:
    return probe.head.startswith(b"{\\rtf")


def _word_encrypted(path: Path, data: bytes) -> bool:
    import olefile

    try:
        with olefile.OleFileIO(data) as ole:
            fib = ole.openstream("WordDocument").read(12)
    except OSError as error:
        raise CorruptFile(path, f"Word 97–2003 檔損壞：{type(error).__name__}") from None
    if len(fib) < 12:
        raise CorruptFile(path, "Word 97–2003 檔損壞：缺少檔案資訊區塊（FIB）")
    return bool(struct.unpack_from("<H", fib, 10)[0] & _F_ENCRYPTED)


def read(path: Path, data: bytes, limits: ReadLimits) -> Document:
    probe = Probe(Path(path), data, limits)
    # LibreOffice picks its import filter by the name too.
    suffix = ".rtf" if sniff_rtf(probe) else ".doc" if sniff_doc(probe) else ".wps"
    if suffix == ".doc" and _word_encrypted(Path(path), data):
        raise EncryptedFile(path)
    document = read_docx(path, convert(path, data, suffix, "docx", limits.convert_timeout))
    if not document.elements:  # LibreOffice opens a damaged file as an empty document
        raise CorruptFile(path, f"LibreOffice 在這個 {suffix} 檔中找不到文字")
    document.reading = f"converted from {suffix} to .docx by LibreOffice"
    return document
