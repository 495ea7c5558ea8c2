"""Decoding plan text files: BOM, UTF-8, UTF-16 without BOM, Big5 (cp950), GB18030."""

from __future__ import annotations

import codecs
import re

from extractor.errors import BinaryFile, EmptyFile, EncodingError

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _plausible(text: str) -> bool:
    """Decoded text that is mostly printable and, if long, has Chinese in it."""
    if not text.strip():
        return True
    controls = len(_CONTROL.findall(text))
    return controls <= max(2, len(text) // 1000)


def _utf16_without_bom(data: bytes) -> str | None:
    if len(data) < 4 or len(data) % 2:
        return None
    even_zeros = data[0::2].count(0)
    odd_zeros = data[1::2].count(0)
    half = len(data) // 2
    for encoding, zeros in (("utf-16-le", odd_zeros), ("utf-16-be", even_zeros)):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        han = len(_HAN.findall(text))
        if (zeros > half * 0.1 or han > len(text) * 0.3) and _plausible(text):
            return text
    return None


def decode_text(data: bytes, path: str) -> tuple[str, str]:
    """The text of a plan file and the encoding it was read with.

    Raises EmptyFile, BinaryFile or EncodingError with a plain reason."""
    if not data.strip(b" \t\r\n\x00"):
        raise EmptyFile(path)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.replace("-sig", "") + " with BOM"
            except UnicodeDecodeError as error:
                raise EncodingError(path, f"不是有效的 {encoding.removesuffix('-sig').upper()} 編碼：第 {error.start} 位元組") from None
    try:
        text = data.decode("utf-8")
        if _plausible(text):
            return text, "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is not None:
            return text, "utf-16"
        raise BinaryFile(path)
    for encoding in ("cp950", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _plausible(text) and _HAN.search(text):
            return text, encoding
    if _CONTROL.search(data.decode("latin-1")):
        raise BinaryFile(path)
    raise EncodingError(path)
