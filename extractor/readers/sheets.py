"""A worksheet's grid as the other readers' document: what the spreadsheet
readers (xlsx, ods, csv) share.

A measure table kept in a spreadsheet usually has a title above its header
(the plan's name, often merged across the columns; the header then sits on
row 3), merged cells for 面向 and 執行策略, and sometimes one sheet per 面向
with no 面向 column at all: the sheet's name or a title row above the header
names it. The rows above the header become paragraphs; a sheet of one 面向
gets the 面向 column the other formats have (one merged cell down the table),
so the table and tree stages see the same table model as from a .docx."""

from __future__ import annotations

import re

from extractor.columns import header_roles
from extractor.elements import Cell, Paragraph, Row, Table
from models import ColumnRole
from normalizers.numbering import parse_marker

DIMENSION_HEADER = "面向"
# Names a spreadsheet program gives a sheet nobody renamed.
_DEFAULT_SHEET = re.compile(r"^(?:sheet|工作表|工作表\s*|feuille|tabelle)\s*\d*$", re.IGNORECASE)


def text_paragraphs(text: str) -> list[list[str]]:
    """A cell's paragraphs: every line break in a spreadsheet cell was typed
    (nothing wraps into the text), so each line is a paragraph."""
    return [[line.strip()] for line in text.splitlines() if line.strip()]


def _texts(row: Row) -> list[str]:
    return [cell.text.strip() for cell in row.cells if not cell.covered]


def _is_blank(row: Row) -> bool:
    return all(cell.is_empty and not cell.covered for cell in row.cells)


def _dimension_label(titles: list[str], sheet_name: str | None) -> str | None:
    """The 面向 a sheet is about: a title row numbered like one (一、基礎服務),
    else the sheet's own name when somebody gave it one."""
    for title in reversed(titles):
        marker, rest = parse_marker(title)
        if marker is not None and marker.style in ("一", "壹") and rest:
            return title
    if sheet_name and not _DEFAULT_SHEET.match(sheet_name.strip()):
        return sheet_name.strip()
    return None


def _with_dimension_column(header: Row, body: list[Row], label: str) -> list[Row]:
    def shifted(row: Row, first: Cell) -> Row:
        for cell in row.cells:
            cell.col += 1
        return Row(cells=[first, *row.cells], line=row.line, page=row.page)

    rows = [shifted(header, Cell(paragraphs=[[DIMENSION_HEADER]], col=0))]
    for index, row in enumerate(body):
        first = (Cell(paragraphs=[[label]], col=0, rowspan=len(body)) if index == 0
                 else Cell(paragraphs=[], col=0, covered=True))
        rows.append(shifted(row, first))
    return rows


def sheet_elements(rows: list[Row], sheet_name: str | None = None) -> list[Paragraph | Table]:
    """Paragraphs (the rows above the header) and the table of one sheet."""
    rows = [row for row in rows if not _is_blank(row)]
    elements: list[Paragraph | Table] = []
    titles: list[tuple[str, int | None]] = []
    start = 0
    while start < len(rows) and len(set(_texts(rows[start])) - {""}) < 2:
        titles.append((next(text for text in _texts(rows[start]) if text), rows[start].line))
        start += 1
    if start == len(rows):
        return [Paragraph(text=text, line=line) for text, line in titles]
    header, body = rows[start], rows[start + 1:]
    roles = header_roles([cell.text for cell in header.cells])
    label = None
    if roles is not None and ColumnRole.dimension not in roles and body:
        label = _dimension_label([text for text, _ in titles], sheet_name)
    elements += [Paragraph(text=text, line=line) for text, line in titles if text != label]
    table_rows = _with_dimension_column(header, body, label) if label else [header, *body]
    elements.append(Table(rows=table_rows, positional=True, line=header.line))
    return elements


def grid_rows(values: list[list[str]], merges: list[tuple[int, int, int, int]], first_line: int = 1) -> list[Row]:
    """Rows of Cells from a sheet's values (row-major, '' for empty) and its
    merged ranges as (top, left, bottom, right), 0-based and inclusive."""
    spans = {(top, left): (bottom - top + 1, right - left + 1) for top, left, bottom, right in merges}
    covered = {(r, c) for top, left, bottom, right in merges
               for r in range(top, bottom + 1) for c in range(left, right + 1) if (r, c) != (top, left)}
    width = max((len(row) for row in values), default=0)
    rows = []
    for r, row_values in enumerate(values):
        cells = []
        for c in range(width):
            if (r, c) in covered:
                cells.append(Cell(paragraphs=[], col=c, covered=True))
                continue
            rowspan, colspan = spans.get((r, c), (1, 1))
            text = row_values[c] if c < len(row_values) else ""
            cells.append(Cell(paragraphs=text_paragraphs(text), col=c, rowspan=rowspan, colspan=colspan))
        rows.append(Row(cells=cells, line=first_line + r))
    return rows
