"""Measure tables drawn with box-drawing characters, as law databases print
older plans (tests/realworld/docs/lawmoea-trade-service-fl035467):

    ┌────────────┬───────────────┐
    │實施項目                │具體作法                      │
    ├────────────┼───────────────┤
    │一、軟體服務態度        │(一)第一線服務人員應嫻熟業務│
    │                        │      ,了解相關法令規定。    │

Cell text wraps inside the fixed-width cells: a fragment that starts with a
numbering marker opens a new paragraph of its cell, any other fragment is the
wrapped rest of the line above (the indent is the law database's, not the
author's). A rule line (├┼┤, ┌┬┐, └┴┘) closes a row. The cells are the pieces
between 「│」, so full-width text that takes two columns needs no width
arithmetic. A drawing is a table only when its first row names measure-table
columns: a flowchart drawn with the same characters (mojlaw-aee-branch-service)
stays paragraphs, which the outline reader then skips."""

from __future__ import annotations

import re

from extractor.columns import header_roles
from extractor.elements import Cell, Paragraph, Row, Table
from normalizers.numbering import parse_marker

_VERTICAL = "│┃║"
_BOX_LINE = re.compile(r"^\s*[┌├└┏┣┗╔╠╚│┃║]")
_RULE = re.compile(r"^\s*[┌├└┏┣┗╔╠╚][─━═┬┼┴┳╋┻╦╬╩┐┤┘┓┫┛╗╣╝\s]*$")
_SPLIT = re.compile(f"[{_VERTICAL}]")


def is_box_line(text: str) -> bool:
    return bool(_BOX_LINE.match(text))


def _fragments(text: str) -> list[str]:
    """The cell fragments of one content line (the text between the verticals)."""
    pieces = _SPLIT.split(text.strip())
    return [piece.strip() for piece in pieces[1:-1]] if len(pieces) > 2 else []


def _add(cell: list[list[str]], fragment: str) -> None:
    if not fragment:
        return
    marker, _ = parse_marker(fragment, lenient=True)
    if cell and marker is None:
        cell[-1].append(fragment)  # the wrapped rest of the line above
    else:
        cell.append([fragment])


def _rows(lines: list[Paragraph]) -> list[tuple[int | None, list[list[list[str]]]]]:
    """Rows as (line of the row, cells of paragraphs of lines)."""
    rows: list[tuple[int | None, list[list[list[str]]]]] = []
    open_row: list[list[list[str]]] | None = None
    for paragraph in lines:
        if _RULE.match(paragraph.text):
            open_row = None
            continue
        fragments = _fragments(paragraph.text)
        if not any(fragments):
            continue
        if open_row is None:
            open_row = []
            rows.append((paragraph.line, open_row))
        while len(open_row) < len(fragments):
            open_row.append([])
        for cell, fragment in zip(open_row, fragments):
            _add(cell, fragment)
    return rows


def table_of_drawing(lines: list[Paragraph]) -> Table | None:
    """The measure table a run of box-drawn lines draws, or None when its first
    row is not a header of known column names."""
    rows = _rows(lines)
    if not rows:
        return None
    header = ["".join(line for paragraph in cell for line in paragraph) for cell in rows[0][1]]
    if header_roles(header) is None:
        return None
    width = max(len(cells) for _, cells in rows)
    table_rows = [
        Row(cells=[Cell(paragraphs=cells[index] if index < len(cells) else [], col=index) for index in range(width)],
            line=line)
        for line, cells in rows
    ]
    closed = bool(re.match(r"^\s*[└┗╚]", lines[-1].text))
    return Table(rows=table_rows, positional=True, line=rows[0][0], unclosed=not closed)


def with_box_tables(elements: list[Paragraph | Table]) -> list[Paragraph | Table]:
    """The elements with each box-drawn measure table turned into a Table."""
    result: list[Paragraph | Table] = []
    index = 0
    while index < len(elements):
        element = elements[index]
        if not (isinstance(element, Paragraph) and is_box_line(element.text)):
            result.append(element)
            index += 1
            continue
        end = index
        while end < len(elements) and isinstance(elements[end], Paragraph) and is_box_line(elements[end].text):
            end += 1
        run: list[Paragraph] = elements[index:end]  # type: ignore[assignment]
        table = table_of_drawing(run)
        result.extend([table] if table is not None else run)
        index = end
    return result
