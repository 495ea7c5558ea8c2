"""Zip-based documents (XLSX, ODT, DOCX) with nothing in them that changes from
run to run: every member dated the same fixed moment, the document's own
created/modified stamps likewise. The same inputs then give the same bytes in
every format, so re-running a batch changes no file that did not change."""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

FIXED_DATE = (2000, 1, 1, 0, 0, 0)
# zlib level 1: a third of the default level's time for reports a few percent larger;
# the archive is rewritten once per report, so this is most of a zip writer's cost.
_LEVEL = 1
FIXED_STAMP = "2000-01-01T00:00:00Z"
_STAMPS = re.compile(
    rb"(<(dcterms:created|dcterms:modified|meta:creation-date|dc:date)\b[^>]*>)[^<]*(</\2>)"
)
_METADATA = ("docProps/core.xml", "meta.xml")


def canonical_xml(payload: bytes) -> bytes:
    """XML with attributes and namespace declarations in canonical (C14N) order:
    odfpy writes them in hash order, which changes from process to process."""
    return etree.tostring(etree.fromstring(payload), method="c14n")


def stable_zip(data: bytes, canonical: bool = False) -> bytes:
    """The archive rewritten member by member, in the same order and with the
    same compression (ODF's uncompressed ``mimetype`` first stays so); with
    ``canonical`` its XML members are put in canonical form."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            payload = source.read(info)
            if canonical and info.filename.endswith(".xml"):
                payload = canonical_xml(payload)
            if info.filename in _METADATA:
                payload = _STAMPS.sub(lambda m: m.group(1) + FIXED_STAMP.encode() + m.group(3), payload)
            member = zipfile.ZipInfo(info.filename, date_time=FIXED_DATE)
            member.compress_type = info.compress_type
            member.external_attr = 0o644 << 16
            target.writestr(member, payload, compresslevel=_LEVEL)
    return buffer.getvalue()
