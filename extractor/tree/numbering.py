"""Step 1, numbering: a row's cells cut into numbered items.

A heading cell gives heading fragments (in layout text, the pieces of the heading columns a converter
spread over lines); the measure cell gives its items, several of which may run together on one line.
Nothing here depends on the rows before: the same row always gives the same items."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.elements import Cell
from extractor.tree.nodes import ClassifiedRow
from normalizers.numbering import Marker, parse_marker, split_items, starts_item
from normalizers.text import CJK, has_cjk, join_lines

_PREFIX_FRAGMENT = re.compile(f"^([{CJK}]{{1,3}})(?=[(（]\\d|\\d+[.．、])")
_EMBEDDED_MARKER = re.compile(r"(?<=[\u4e00-\u9fff])(?=(?:[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[.．、](?!\d)))")
_DEBRIS = re.compile(r"^[\W_]*$")


@dataclass
class CellItem:
    """One item of a cell: its marker (None for an unnumbered paragraph), its lines, whether it opens a
    paragraph, and the index of that paragraph in the cell."""

    marker: Marker | None
    lines: list[str]
    starts_paragraph: bool
    paragraph: int

    def describe(self) -> str:
        return f"¶{self.paragraph} {(self.marker.raw if self.marker else '∅')!s} {join_lines(self.lines)[:16]!r}"


@dataclass
class HeadingFragment:
    """A piece of a heading column: its column, its text, the marker it opens with and the rest.
    ``beside_prefix``: the row's only heading piece, unnumbered, beside characters that overflowed into
    the measure cell ("理情形流 | 程(2)…"): both belong to the deepest open heading column."""

    col: int
    text: str
    marker: Marker | None
    rest: str
    beside_prefix: bool = False

    def describe(self) -> str:
        return f"col {self.col} {(self.marker.raw if self.marker else '∅')} {self.rest[:16]!r}" + (
            " (beside prefix)" if self.beside_prefix else "")


@dataclass
class RowItems:
    headings: list[HeadingFragment]
    measures: list[CellItem]
    prefix: str | None  # heading characters that overflowed into the measure cell (layout text)


def cell_items(cell: Cell) -> list[CellItem]:
    """Every item of a cell, in order.

    >>> [(i.marker.raw if i.marker else None, i.lines) for i in cell_items(Cell([["(1)甲。 (2)乙。"]], 0))]
    [('(1)', ['甲。']), ('(2)', ['乙。'])]
    """
    items: list[CellItem] = []
    open_lists: dict[str, int | None] = {}
    for paragraph, lines in enumerate(cell.paragraphs):
        if cell.lines_wrap:
            lines = [join_lines(lines)]
        current: CellItem | None = None
        for line in lines:
            # A line that a hard wrap cut inside a sentence stays with its item even when it starts
            # with a number ("…辦理\n2、3月份…"): only a marker that fits a list opens an item there.
            if current is None or starts_item(line, current.lines[-1], open_lists):
                marker, rest = parse_marker(line, lenient=True)
                current = CellItem(marker, [rest if marker else line], current is None, paragraph)
                items.append(current)
                if marker is not None:
                    open_lists[marker.style] = marker.value
            else:
                current.lines.append(line)
    # Several numbered items may run together in one line ("(1)… (2)…").
    expanded: list[CellItem] = []
    for item in items:
        marker, text = item.marker, join_lines(item.lines)
        pieces = split_items((marker.raw + " " if marker else "") + text) if text or marker else []
        if len(pieces) <= 1:
            expanded.append(item)
            continue
        for index, (piece_marker, piece_text) in enumerate(pieces):
            expanded.append(CellItem(piece_marker, [piece_text], item.starts_paragraph and index == 0, item.paragraph))
    return [item for item in expanded if item.marker is not None or join_lines(item.lines)]


def layout_fragments(cell: Cell) -> list[str]:
    """Fragments of a heading cell in layout text: the cell may hold pieces of two columns
    ("捷、透 程便捷性", "(一)推動便1.提升服務").

    >>> layout_fragments(Cell([["(一)推動便1.提升服務"]], 0))
    ['(一)推動便', '1.提升服務']
    """
    fragments: list[str] = []
    for lines in cell.paragraphs:
        for line in lines:
            for piece in re.split(r"\s+", line.strip()):
                fragments.extend(part for part in _EMBEDDED_MARKER.split(piece) if part)
    # A marker cut from its text by a space ("1. 提升") stays with it.
    merged: list[str] = []
    for fragment in fragments:
        if merged and parse_marker(merged[-1])[0] is not None and not parse_marker(merged[-1])[1]:
            merged[-1] = merged[-1] + fragment
        else:
            merged.append(fragment)
    return [fragment for fragment in merged if not _DEBRIS.match(fragment)]


def take_layout_prefix(row: ClassifiedRow, layout: bool) -> str | None:
    """"流(1)設置…": characters of a heading column that overflowed into the measure cell, removed from
    the cell (so that the cell's text, also in the document, reads without them) and returned."""
    if not layout or row.measure_cell is None or not row.measure_cell.paragraphs:
        return None
    first = row.measure_cell.paragraphs[0]
    match = _PREFIX_FRAGMENT.match(first[0])
    if not match:
        return None
    first[0] = first[0][match.end():]
    return match.group(1)


def _is_debris(marker: Marker | None, text: str) -> bool:
    return marker is None and not has_cjk(text) and not re.search(r"[A-Za-z0-9]", text)


def heading_fragments(row: ClassifiedRow, layout: bool, prefix: str | None) -> list[HeadingFragment]:
    """The heading cells' fragments, each with its marker; punctuation debris left out."""
    pieces: list[tuple[int, str]] = []
    for col, cell in row.heading_cells:
        if layout:
            pieces.extend((col + offset, piece) for offset, piece in enumerate(layout_fragments(cell)))
        else:
            pieces.extend((col, (item.marker.raw if item.marker else "") + join_lines(item.lines))
                          for item in cell_items(cell))
    beside_prefix = bool(prefix) and len(pieces) == 1 and parse_marker(pieces[0][1])[0] is None
    fragments = []
    for col, text in pieces:
        marker, rest = parse_marker(text, lenient=True)
        if not _is_debris(marker, text):
            fragments.append(HeadingFragment(col, text, marker, rest, beside_prefix))
    return fragments


def row_items(row: ClassifiedRow, layout: bool) -> RowItems:
    """Step 1 for one row: its heading fragments and measure items."""
    prefix = take_layout_prefix(row, layout)
    headings = heading_fragments(row, layout, prefix)
    measures = cell_items(row.measure_cell) if row.measure_cell is not None else []
    items = RowItems(headings=headings, measures=measures, prefix=prefix)
    if headings or measures or prefix:
        row.note("numbering", " | ".join(
            [f"heading {fragment.describe()}" for fragment in headings]
            + [f"measure {item.describe()}" for item in measures]
            + ([f"prefix {prefix!r}"] if prefix else [])))
    return items
