"""HTML plans (.html/.htm), read with lxml.html.

Tables keep their grid: a cell with rowspan/colspan is one Cell at its first
grid position and the positions it covers are ``covered`` cells. A cell's
paragraphs come from its <p>/<li>/<br> structure (extractor.cells), which also
reads the flattened form where every item of a cell is its own <p>. A table
nested in a cell is flattened into that cell's paragraphs. Text outside tables
becomes paragraphs, one per block element.

Location: ``line`` is the 1-based ordinal of the block in document order,
counting paragraphs outside tables and table rows."""

from __future__ import annotations

from pathlib import Path

from extractor.boxtable import with_box_tables
from extractor.cells import cell_paragraphs
from extractor.elements import Cell, Document, Paragraph, Row, Table
from extractor.errors import CorruptFile
from extractor.grid import place_cells
from extractor.readers.base import Probe, ReadLimits
from extractor.readers.encoding import decode_text

_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dt", "dd", "caption", "title"}
_SKIP = {"script", "style", "head", "noscript", "template"}


def _span_attribute(element, name: str) -> int:
    """A rowspan/colspan attribute of an HTML cell, 1 to 1000; anything else is 1."""
    try:
        return max(1, min(int(element.get(name, "1").strip() or 1), 1000))
    except ValueError:
        return 1


def _rows_of(table) -> list:
    """The table's own rows (not those of nested tables), thead/tbody/tfoot included."""
    rows = []
    for child in table:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(row for row in child if isinstance(row.tag, str) and row.tag == "tr")
    return rows


def _inner_html(element) -> str:
    from lxml import etree

    parts = [element.text or ""]
    for child in element:
        parts.append(etree.tostring(child, encoding="unicode", method="html", with_tail=True))
    return "".join(parts)


def _cell_content(td) -> list[list[str]]:
    nested = td.xpath(".//table")
    if not nested:
        return cell_paragraphs(_inner_html(td))
    # A nested table: each of its cells' paragraphs, in reading order.
    paragraphs: list[list[str]] = []
    for cell in td.xpath(".//td | .//th"):
        if not cell.xpath(".//table"):
            paragraphs.extend(cell_paragraphs(_inner_html(cell)))
    return paragraphs


def read_table(table, first_line: int) -> Table:
    written = [
        [Cell(paragraphs=_cell_content(td), col=0, rowspan=_span_attribute(td, "rowspan"), colspan=_span_attribute(td, "colspan"))
         for td in tr if isinstance(td.tag, str) and td.tag in ("td", "th")]
        for tr in _rows_of(table)
    ]
    rows = [Row(cells=cells, line=first_line + index) for index, cells in enumerate(place_cells(written))]
    return Table(rows=rows, positional=True, line=first_line)


def _text(element) -> str:
    return " ".join(" ".join(element.itertext()).split())


def _walk(element, elements: list, counter: list[int]) -> None:
    """Paragraphs and tables in document order."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _SKIP:
        return
    if tag == "table":
        table = read_table(element, counter[0])
        counter[0] += max(1, len(table.rows))
        elements.append(table)
        return
    if tag == "pre":
        # Preformatted text keeps its lines: law databases print plans (and tables drawn with
        # box-drawing characters) in <pre>, wrapped at a fixed width.
        for line in "".join(element.itertext()).splitlines():
            if line.strip():
                elements.append(Paragraph(text=line.strip(), line=counter[0]))
            counter[0] += 1
        return
    has_block_children = any(isinstance(child.tag, str) and (child.tag in _BLOCKS or child.tag == "table" or child.xpath(".//table"))
                             for child in element)
    if tag in _BLOCKS and not has_block_children:
        text = _text(element)
        if text:
            elements.append(Paragraph(text=text, line=counter[0]))
            counter[0] += 1
        return
    if element.text and element.text.strip() and tag not in ("html", "body"):
        elements.append(Paragraph(text=element.text.strip(), line=counter[0]))
        counter[0] += 1
    for child in element:
        _walk(child, elements, counter)
        if child.tail and child.tail.strip():
            elements.append(Paragraph(text=child.tail.strip(), line=counter[0]))
            counter[0] += 1


def parse_html(text: str, encoding: str | None = None) -> Document:
    import lxml.html  # on first use: lxml is 7 MB that a PDF plan never needs

    root = lxml.html.document_fromstring(text)
    body = root.find("body")
    elements: list[Paragraph | Table] = []
    _walk(body if body is not None else root, elements, [1])
    return Document(elements=with_box_tables(elements), encoding=encoding)


def read_html(path: Path, data: bytes) -> Document:
    from lxml import etree

    text, encoding = decode_text(data, str(path))
    try:
        return parse_html(text, encoding)
    except (etree.ParserError, ValueError) as error:
        raise CorruptFile(path, f"HTML 無法讀取：{type(error).__name__}") from None


def sniff(probe: Probe) -> bool:
    # Also a web page saved under a Word name (.doc), as Word and web mail do.
    lowered = probe.head[:1024].lower()
    return b"<html" in lowered or b"<!doctype html" in lowered or b"<table" in lowered


def read(path: Path, data: bytes, limits: ReadLimits) -> Document:
    return read_html(path, data)
