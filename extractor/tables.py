"""Finding the plan's measure tables among a document's tables.

A measure table starts at a header row naming column roles (面向, 執行策略,
具體作法, …). Tables that follow it with nothing but blank lines (or a page
number) between are its continuation: blocks of the same table, whose rows
extractor.continuation makes once the roles are known. Scoring sheets (評分表)
and everything in the annexes (附件, 附錄, blank templates) are skipped."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractor.columns import annex_kind, header_roles, is_scoring_header
from extractor.continuation import Block, rows_of_blocks
from extractor.elements import Document, Paragraph, Row, Table
from extractor.rows import item_cells, looks_like_deadlines, looks_like_units
from models import ColumnRole
from normalizers.numbering import parse_marker

_PAGE_DEBRIS = re.compile(r"^[-–—\s]*(第\s*)?\d+\s*(頁|/\s*\d+)?[-–—\s]*$")


@dataclass
class LogicalTable:
    """A measure table: its header and roles, the blocks the reader wrote it in, and its rows once
    ``assemble`` has joined the blocks."""

    header: list[str]
    roles: list[ColumnRole]
    positional: bool
    blocks: list[Block] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    line: int | None = None
    page: int | None = None
    header_lines: list[int | None] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)  # what the continuation stage joined
    # The first path level given above the table instead of in a column: the heading paragraph of
    # a table split into one table per 面向 (see section_headings).
    heading: str | None = None

    @property
    def flattened(self) -> bool:
        """Put back from one cell per line: every row carries its own values cells."""
        return any(block.table.flattened for block in self.blocks)

    @property
    def layout(self) -> bool:
        """Layout text (pdftotext): heading columns arrive cut into short
        fragments without markers on most lines."""
        if self.positional or not self.rows:
            return False
        fragment_rows = 0
        for row in self.rows:
            cells = [cell for cell in item_cells(row, self.roles) if not looks_like_units(cell) and not looks_like_deadlines(cell)]
            for cell in cells[:-1]:
                text = "".join(cell.text.split())
                if 0 < len(text) <= 6 and parse_marker(text)[0] is None:
                    fragment_rows += 1
                    break
        return fragment_rows >= max(3, len(self.rows) * 0.25)


@dataclass
class TableScan:
    """What the finder saw, for ``plancheck debug``."""

    tables: list[LogicalTable]
    skipped: list[str]
    annex_start: int | None  # element index where the annexes begin


def _cell_texts(row: Row) -> list[str]:
    return [cell.text for cell in row.cells]


def _header_texts(row: Row) -> list[str]:
    """Header cell texts per grid column: a header cell spanning columns
    (具體作法 over a sub-heading column and the items column) names each of them."""
    texts = _cell_texts(row)
    for cell in row.cells:
        for col in range(cell.col + 1, cell.col + cell.colspan):
            if col < len(texts) and row.cells[col].covered:
                texts[col] = cell.text
    return texts


def _header_of(table: Table) -> tuple[int, list[ColumnRole]] | None:
    for index, row in enumerate(table.rows[:2]):
        roles = header_roles(_header_texts(row))
        if roles is not None:
            return index, roles
    return None


def _is_scoring_sheet(row: Row) -> bool:
    """A header row of short cells naming a scoring column (配分, 評分, 自評 …); a
    continuation row of measures, whose text may well say 評分, is not one."""
    texts = [text for text in _cell_texts(row) if text.strip()]
    return len(texts) >= 2 and all(len("".join(text.split())) <= 12 for text in texts) and is_scoring_header(texts)


def _compatible(a: list[ColumnRole], b: list[ColumnRole]) -> bool:
    core = {ColumnRole.measure, ColumnRole.units, ColumnRole.deadline}
    return ({role for role in a if role in core}) == ({role for role in b if role in core})


def _numbered_heading(text: str | None) -> str | None:
    """The text when it is a short heading-style numbered line (一、基礎服務)."""
    if not text:
        return None
    marker, rest = parse_marker(text.strip())
    return " ".join(text.split()) if marker is not None and marker.is_heading_style and rest and len(rest) <= 30 else None


def section_headings(headings: list[str | None]) -> list[str | None]:
    """The headings that give each table its first path level: only when two or more tables each sit
    under a numbered heading of one marker style (一、…, 二、…), the layout of a plan that splits its
    measure table by 面向; a single table under its section title (肆、執行策略) keeps its own paths.

    >>> section_headings(["一、基礎服務", "二、服務遞送"])
    ['一、基礎服務', '二、服務遞送']
    >>> section_headings(["肆、執行策略及具體作法", None])
    [None, None]
    >>> section_headings(["肆、執行策略及具體作法", "肆、執行策略及具體作法"])
    [None, None]
    """
    markers = [parse_marker(heading)[0] if heading else None for heading in headings]
    counted = [marker.style for marker in markers if marker is not None]
    if not counted:
        return [None] * len(headings)
    common = max(set(counted), key=counted.count)
    values = [marker.value for marker in markers if marker is not None and marker.style == common]
    if len(values) < 2 or len(set(values)) < len(values):  # one heading above two tables: a section title
        return [None] * len(headings)
    return [heading if marker is not None and marker.style == common else None
            for heading, marker in zip(headings, markers)]


def find_measure_tables(document: Document) -> TableScan:
    tables: list[LogicalTable] = []
    skipped: list[str] = []
    current: LogicalTable | None = None
    annex_start: int | None = None
    above: str | None = None  # the last paragraph before the element
    for index, element in enumerate(document.elements):
        if isinstance(element, Paragraph):
            if _PAGE_DEBRIS.match(element.text):
                continue
            above = element.text
            kind = annex_kind(element.text)
            if kind and annex_start is None:
                annex_start = index
            current = None
            continue
        if annex_start is not None:
            skipped.append(f"table at line {element.line}: in the annexes")
            continue
        header = _header_of(element)
        if header is None and element.rows and _is_scoring_sheet(element.rows[0]):
            # A scoring sheet or checklist needs no measure words to be skipped as one.
            skipped.append(f"table at line {element.line}: scoring sheet header")
            current = None
            continue
        if header is not None:
            header_index, roles = header
            header_row = element.rows[header_index]
            if is_scoring_header(_cell_texts(header_row)):
                skipped.append(f"table at line {element.line}: scoring sheet header")
                current = None
                continue
            block = Block(table=element, body_start=header_index + 1)
            if current is not None and _compatible(current.roles, roles):
                current.blocks.append(block)
                current.header_lines.append(header_row.line)
                continue
            current = LogicalTable(
                header=[" ".join(cell.text.split()) for cell in header_row.cells],
                roles=roles,
                positional=element.positional,
                blocks=[block],
                line=element.line,
                page=element.page,
                header_lines=[header_row.line],
                heading=_numbered_heading(above),
            )
            tables.append(current)
            continue
        if current is not None:
            current.blocks.append(Block(table=element))
            continue
        skipped.append(f"table at line {element.line}: no measure-table header")
    for table, heading in zip(tables, section_headings([table.heading for table in tables])):
        table.heading = heading
    return TableScan(tables=tables, skipped=skipped, annex_start=annex_start)


def assemble(table: LogicalTable) -> LogicalTable:
    """The table with its rows made from its blocks (extractor.continuation)."""
    table.rows = rows_of_blocks(table.blocks, table.roles, table.repairs)
    return table
