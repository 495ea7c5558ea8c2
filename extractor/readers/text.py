"""Text plans as converters produce them: plain text with tab-separated table
rows, markdown pipe tables, tables drawn with box-drawing characters, and HTML
fragments inside cells."""

from __future__ import annotations

import re
from pathlib import Path

from extractor.boxtable import with_box_tables
from extractor.cells import cell_paragraphs
from extractor.elements import Cell, Document, Paragraph, Row, Table
from extractor.readers.base import Probe, ReadLimits
from extractor.readers.encoding import decode_text

_MD_SEPARATOR = re.compile(r"^\|?[\s:|-]*-{3,}[\s:|-]*\|?$")
_MD_PREFIX = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+(?=\S))")


def _markdown_cells(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|"):
        body = body[:-1]
    return body.split("|")


def _row(raw_cells: list[str], line: int) -> Row:
    return Row(cells=[Cell(paragraphs=cell_paragraphs(raw), col=index) for index, raw in enumerate(raw_cells)], line=line)


def _paragraph_text(line: str) -> str:
    # Markdown headings and list bullets that converters add are not plan text.
    text = line
    while True:
        stripped = _MD_PREFIX.sub("", text, count=1)
        if stripped == text:
            return text.strip()
        text = stripped


def parse_text(text: str, encoding: str | None = None) -> Document:
    """Elements of a converted plan text, with 1-based line numbers."""
    elements: list[Paragraph | Table] = []
    table: Table | None = None
    kind = None
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.rstrip("\r\n")
        if line.lstrip().startswith("|"):
            this_kind, positional = "markdown", True
        elif "\t" in line and line.strip():
            this_kind, positional = "tsv", False
        else:
            this_kind = None
        if this_kind is None:
            table = None
            if line.strip():
                elements.append(Paragraph(text=_paragraph_text(line), line=number))
            continue
        if table is None or kind != this_kind:
            table = Table(rows=[], positional=positional, line=number)
            kind = this_kind
            elements.append(table)
        if this_kind == "markdown":
            if _MD_SEPARATOR.match(line.strip()):
                continue
            table.rows.append(_row(_markdown_cells(line), number))
        else:
            table.rows.append(_row(line.split("\t"), number))
    return Document(elements=with_box_tables(elements), encoding=encoding)


def read_text(path: Path, data: bytes) -> Document:
    text, encoding = decode_text(data, str(path))
    return parse_text(text, encoding)


def sniff(probe: Probe) -> bool:
    """Anything that is not a container is read as text: the decoder then says
    whether it is text at all."""
    return probe.zip_names is None and probe.ole_streams is None


def read(path: Path, data: bytes, limits: ReadLimits) -> Document:
    return read_text(path, data)
