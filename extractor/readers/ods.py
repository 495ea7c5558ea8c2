"""OpenDocument spreadsheets (.ods) holding the measure table, read with odfpy:
a sheet is a table:table like a text document's table, so the .odt reader's
table reading gives its cells and spans; then extractor.readers.sheets."""

from __future__ import annotations

from pathlib import Path

from odf.namespaces import TABLENS

from extractor.elements import Document, Paragraph, Row, Table
from extractor.readers.base import Probe, ReadLimits
from extractor.readers.odt import load_opendocument, node_attribute, node_name, opendocument_kind
from extractor.readers.sheets import sheet_elements


def sniff(probe: Probe) -> bool:
    return opendocument_kind(probe, b"spreadsheet")


def read(path: Path, data: bytes, limits: ReadLimits) -> Document:
    document, reader = load_opendocument(path, data, ".ods")
    elements: list[Paragraph | Table] = []
    for node in document.spreadsheet.childNodes:
        if node_name(node) != (TABLENS, "table"):
            continue
        rows = reader.table(node).rows
        numbered = [Row(cells=row.cells, line=index + 1) for index, row in enumerate(rows)]
        elements += sheet_elements(numbered, node_attribute(node, TABLENS, "name"))
    return Document(elements=elements)
