"""Continuation: what a page break (or a converter's cut) did to a measure table, repaired in one place.

The table finder (extractor.tables) collects the blocks of one measure table: the block under its header
and every block that continues it (the table's next page, a markdown table per page, an untagged PDF's
table per page, later an OCR table per page). This stage, run once the column roles are known and before
the rows are classified, makes the table's rows out of those blocks, the same way for every format:

- a header row repeated at the top of a block is dropped, and so is the empty header row a markdown
  converter writes above a continued block;
- the first row of every continuing block is marked ``continues_page``;
- a row that a page break cut in two is one row again: where the reader knows the pages (the block starts
  on the page after the previous block) and the block's first row opens no new heading, its cells are
  appended to the cells of the last row above (``join_cut_row``).

Three repairs need the numbering tree's state and are applied by extractor.tree while it is built; their
rules live here so that every continuation rule is in this module:

- ``repeats_heading``: a heading cell typed again after the break is the open heading, not a sibling;
- ``carries_values``: the first row of a page under a values cell merged across the break has the
  values of the row above;
- ``rejoin_cut_value``: a values cell whose last value the break cut in two is aligned as if whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.elements import Cell, Row, Table
from models import ColumnRole
from normalizers.numbering import parse_marker

_TERMINAL = re.compile(r"[。；;！？!?：:]$")
_VALUE_ROLES = (ColumnRole.units, ColumnRole.deadline, ColumnRole.benefit, ColumnRole.results, ColumnRole.remarks)


@dataclass
class Block:
    """One piece of a measure table as a reader wrote it: a table element and where its body starts
    (after its own header row, if it has one)."""

    table: Table
    body_start: int = 0

    @property
    def body(self) -> list[Row]:
        return self.table.rows[self.body_start:]


# -- blocks → rows ---------------------------------------------------------------------------------


def _is_empty_row(row: Row) -> bool:
    return all(cell.is_empty for cell in row.cells)


def continued_body(block: Block) -> list[Row]:
    """The rows a continuing block adds: its body, without the empty header row a markdown converter
    writes above a table continued on the next page.

    >>> from extractor.elements import Cell
    >>> rows = [Row([Cell([], 0), Cell([], 1)]), Row([Cell([["甲"]], 0), Cell([["乙"]], 1)])]
    >>> [row.cells[0].text for row in continued_body(Block(Table(rows, positional=True)))]
    ['甲']
    """
    rows = list(block.body)
    if block.body_start == 0 and rows and block.table.positional and _is_empty_row(rows[0]):
        rows = rows[1:]
    return rows


def opens_no_heading(row: Row, roles: list[ColumnRole]) -> bool:
    """A row at the top of a page continues the last row of the previous page when no new heading opens
    in it: every cell before its first text is empty, and that first text sits in a values column or in
    the items column (or a cell spanning it), or is not numbered (a row number in a 項次 column always
    opens a row)."""
    filled = [cell for cell in row.cells if not cell.covered and not cell.is_empty]
    if not filled:
        return False
    first = filled[0]
    measure_cols = [col for col, role in enumerate(roles) if role is ColumnRole.measure]
    role = roles[first.col] if first.col < len(roles) else ColumnRole.other
    if role is ColumnRole.number:
        return False  # a row number opens a new row
    if role in _VALUE_ROLES:
        return True
    if measure_cols and first.col <= measure_cols[-1] < first.col + first.colspan:
        return True  # the items column, or a cell spanning it (no sub-heading in this row)
    return parse_marker(first.paragraphs[0][0], lenient=True)[0] is None


def merge_cell(previous: Cell, continued: Cell, joins_text: bool) -> None:
    """Append a continued cell to the cell it continues; in a text cell a paragraph cut by the page break
    is one paragraph again. Values are never joined here: their line bands place them (extractor.tree),
    the ones continued over the break too."""
    if continued.covered or continued.is_empty or previous.covered:
        return
    paragraphs = [list(p) for p in continued.paragraphs]
    positions = list(continued.positions or [])
    last = previous.paragraphs[-1][-1] if previous.paragraphs else ""
    if joins_text and last and not _TERMINAL.search(last) and parse_marker(paragraphs[0][0], lenient=True)[0] is None:
        previous.paragraphs[-1].extend(paragraphs.pop(0))
        positions = positions[1:]
    previous.paragraphs.extend(paragraphs)
    previous.positions = (previous.positions or []) + positions


def is_cut_row(last: Row, first: Row, roles: list[ColumnRole], next_page: bool) -> bool:
    """Whether ``first`` (a continuing block's first row) is the rest of ``last`` (the row above the
    break): the block starts on the next page, the rows have the same cells and no heading opens."""
    return next_page and len(first.cells) == len(last.cells) and opens_no_heading(first, roles)


def join_cut_row(last: Row, first: Row, roles: list[ColumnRole]) -> None:
    """Append the cells of ``first`` to the cells of ``last``, column by column."""
    for col, (before, after) in enumerate(zip(last.cells, first.cells)):
        role = roles[col] if col < len(roles) else ColumnRole.other
        merge_cell(before, after, joins_text=role not in (ColumnRole.units, ColumnRole.deadline))


def _starts_next_page(previous: Block, block: Block) -> bool:
    return previous.table.page is not None and block.table.page == previous.table.page + 1


def rows_of_blocks(blocks: list[Block], roles: list[ColumnRole], notes: list[str] | None = None) -> list[Row]:
    """The measure table's rows: the first block's body, then each continuing block's rows with its first
    row marked ``continues_page`` and a row cut by the page break joined to the row it continues.

    A joined row is removed from the document's table as well (it is part of the row above now).
    After a join, the block's next row is the first whole row of the page and keeps the mark (the tree
    carries a merged values cell's values down to it). ``notes`` receives what was repaired, for
    ``plancheck debug``."""
    rows: list[Row] = list(blocks[0].body) if blocks else []
    for previous, block in zip(blocks, blocks[1:]):
        body = continued_body(block)
        if body and rows and previous.table.rows and is_cut_row(rows[-1], body[0], roles,
                                                                _starts_next_page(previous, block)):
            join_cut_row(rows[-1], body[0], roles)
            if notes is not None:
                notes.append(f"row at line {body[0].line} (page {block.table.page}) continues the row at line "
                             f"{rows[-1].line} (page {previous.table.page}): joined")
            # The document is repaired too: the sections' text reads the joined row once.
            block.table.rows.remove(body[0])
            body = body[1:]
        if body:
            body[0].continues_page = True
        rows.extend(body)
    return rows


# -- rules the tree applies ---------------------------------------------------------------------------


def repeats_heading(open_label: str, text: str) -> bool:
    """A heading cell repeating the open heading of its column word for word (a row continued after a
    page break, its strategy typed again) is that heading.

    >>> repeats_heading("(一)服務一致及正確性", "(一) 服務一致\\n及正確性")
    True
    """
    return re.sub(r"\s", "", open_label) == re.sub(r"\s", "", text)


def carries_values(continues_page: bool, opens_heading: bool) -> bool:
    """The first row of a page, when it opens no heading, sits under a values cell merged across the
    break: it has the values of the row above."""
    return continues_page and not opens_heading


def rejoin_cut_value(cell: Cell | None, n_items: int) -> list[list[str]] | None:
    """A values cell's paragraphs for alignment by count where a page break cut one value in two (one
    paragraph more than the row has items, the extra one opening the next page): its two parts one
    paragraph again. None when nothing was cut."""
    if cell is None or cell.positions is None or len(cell.paragraphs) != n_items + 1:
        return None
    paragraphs, positions = cell.paragraphs, cell.positions
    for index in range(1, min(len(paragraphs), len(positions))):
        if positions[index][0] > positions[index - 1][0]:
            return paragraphs[:index - 1] + [paragraphs[index - 1] + paragraphs[index]] + paragraphs[index + 1:]
    return None
