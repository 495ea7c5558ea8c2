"""Sorting a row's cells by role: heading cells, the measure cell, units,
deadline and benefit.

Positional tables (markdown, HTML, DOCX, ODT, ruled PDF) take roles from the
header by column. Layout text (tab-separated converter output) shifts cells
left and right, so there roles come from content: values cells are peeled off
the right end when they look like units or deadlines, the last text cell left
is the measure cell and the cells before it are headings."""

from __future__ import annotations

import re

from extractor.align import looks_like_deadline
from extractor.elements import Cell, Row
from extractor.tree import ClassifiedRow
from models import ColumnRole
from normalizers.numbering import parse_marker

_UNIT = re.compile(
    r"^(全體同仁|各部門|各單位|各課室|各組室|各科室|承辦人|承辦單位|各服務專員|"
    r"[\u4e00-\u9fff()（）]{1,10}(組|課|室|處|段|股|科|隊|中心|部門|同仁|人|客服|局|所|會|站|員|廠|部|署|司|館|院|辦公室|小組))$"
)
_HEADING_ROLES = {ColumnRole.dimension, ColumnRole.strategy}
# Columns whose text is never a heading or a measure, however it is numbered or repeated.
_NEVER_ITEMS = {ColumnRole.number, ColumnRole.remarks}


def looks_like_units(cell: Cell) -> bool:
    tokens = [token for token in re.split(r"[\s、，,/／]+", cell.text) if token]
    return bool(tokens) and all(_UNIT.match(token) for token in tokens)


def looks_like_deadlines(cell: Cell) -> bool:
    pieces = [piece for piece in re.split(r"\s+", cell.text) if piece]
    joined = "".join(cell.text.split())
    return bool(pieces) and (all(looks_like_deadline(piece) for piece in pieces) or looks_like_deadline(joined))


def classify_positional(row: Row, roles: list[ColumnRole]) -> ClassifiedRow:
    result = ClassifiedRow(heading_cells=[], measure_cell=None, line=row.line, page=row.page, continues_page=row.continues_page)
    # Under a measure header spanning two columns, the left one holds the items'
    # parent headings: only the rightmost filled measure cell is the measure cell.
    measure_cols = [cell.col for cell in row.cells if not cell.covered and not cell.is_empty
                    and cell.col < len(roles) and roles[cell.col] is ColumnRole.measure]
    for cell in row.cells:
        role = roles[cell.col] if cell.col < len(roles) else ColumnRole.other
        if role is ColumnRole.measure and not cell.covered and not cell.is_empty and cell.col != measure_cols[-1]:
            role = ColumnRole.strategy
        if cell.covered:
            # Under a vertically merged values cell: the values of the row above hold.
            result.inherit_units |= role is ColumnRole.units
            result.inherit_deadline |= role is ColumnRole.deadline
            continue
        if cell.is_empty:
            continue
        if role in _HEADING_ROLES:
            result.heading_cells.append((cell.col, cell))
        elif role is ColumnRole.measure:
            result.measure_cell = cell
        elif role is ColumnRole.units:
            result.units_cell = cell
        elif role is ColumnRole.deadline:
            result.deadline_cell = cell
        elif role is ColumnRole.benefit:
            result.benefit_cell = cell
        elif role is ColumnRole.other and cell.col == 0 and ColumnRole.dimension in roles:
            # An unnamed first column (seed 002) holds the programme's items.
            result.heading_cells.append((cell.col, cell))
    result.note("columns", "positional: " + ", ".join(
        f"{cell.col}:{(roles[cell.col].value if cell.col < len(roles) else 'other')}" for cell in row.cells if not cell.is_empty
    ))
    return result


def _is_heading_fragment(cell: Cell, row: Row) -> bool:
    """In layout text, a short unmarked piece with empty cells after it is a
    piece of a heading column, not measure text ("\t資訊使\t\t")."""
    text = "".join(cell.text.split())
    trailing = [other for other in row.cells if other.col > cell.col]
    return (
        bool(trailing) and all(other.is_empty for other in trailing) and len(trailing) >= 2
        and 0 < len(text) <= 8 and parse_marker(text)[0] is None and not re.search(r"[。；]$", text)
    )


def item_cells(row: Row, roles: list[ColumnRole]) -> list[Cell]:
    """The row's filled cells without those of a row-number or remarks column, where the row has the
    header's shape (its cells then sit under their header cells)."""
    never = {col for col, role in enumerate(roles) if role in _NEVER_ITEMS}
    keep_all = not never or len(row.cells) != len(roles)
    return [cell for cell in row.cells if not cell.is_empty and (keep_all or cell.col not in never)]


def _units_before_measures(roles: list[ColumnRole]) -> bool:
    measures = [col for col, role in enumerate(roles) if role is ColumnRole.measure]
    units = [col for col, role in enumerate(roles) if role is ColumnRole.units]
    return bool(measures and units) and units[0] < measures[-1]


def classify_by_content(row: Row, roles: list[ColumnRole], layout: bool = False) -> ClassifiedRow:
    cells = item_cells(row, roles)
    result = ClassifiedRow(heading_cells=[], measure_cell=None, line=row.line, page=row.page, continues_page=row.continues_page)
    wants_units = ColumnRole.units in roles
    wants_deadline = ColumnRole.deadline in roles
    while cells:
        last = cells[-1]
        if wants_deadline and result.deadline_cell is None and looks_like_deadlines(last):
            result.deadline_cell = cells.pop()
        elif wants_units and result.units_cell is None and looks_like_units(last):
            result.units_cell = cells.pop()
        else:
            break
    if wants_units and result.units_cell is None and _units_before_measures(roles):
        # 執行策略 | 執行方法 | 主辦單位 | 具體作法: the owner column stands before the measures.
        units = [cell for cell in cells[:-1] if looks_like_units(cell)]
        if units:
            result.units_cell = units[-1]
            cells.remove(units[-1])
    if cells and layout and _is_heading_fragment(cells[-1], row):
        result.heading_cells = [(cell.col, cell) for cell in cells]
    elif cells:
        result.measure_cell = cells[-1]
        result.heading_cells = [(cell.col, cell) for cell in cells[:-1]]
    result.note("columns",
        "by content: headings " + str([cell.col for _, cell in result.heading_cells])
        + f", measure {result.measure_cell.col if result.measure_cell else None}"
        + f", units {result.units_cell.col if result.units_cell else None}"
        + f", deadline {result.deadline_cell.col if result.deadline_cell else None}"
    )
    return result


def classify_row(row: Row, roles: list[ColumnRole], positional: bool, layout: bool = False) -> ClassifiedRow:
    if positional:
        return classify_positional(row, roles)
    return classify_by_content(row, roles, layout)
