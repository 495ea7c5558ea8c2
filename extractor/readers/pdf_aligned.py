"""A table drawn without ruling lines (a Word table with its borders removed), found from where its
words start: the cell boxes a ruled table would have, for extractor.readers.pdf to read like one.

    words → column starts  (x positions where words start on several lines)
          → table band     (from the first line with words in three columns to the last table line)
          → rows           (a row opens where a column left of the widest one — the measures' — starts
                            a numbered paragraph, or a new one that stays inside its column)
          → cell boxes     (a word running over the next column's start makes its cell span it)

Values typed one per item at the top of a row are paired with the items by count within the row,
as in a ruled table; only the heading columns can tell where a row begins."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from normalizers.numbering import parse_marker

_SAME_X = 3.0  # words starting this close start in one column
_MIN_LINES = 3  # a column starts words on at least this many lines
_MIN_COLUMNS = 3
_HEADER_WORD = 8
_SPACE = 0.6  # a gap narrower than this many line heights is a space inside a cell
_PAGE_NUMBER = re.compile(r"^[-–—\s]*(第\s*)?\d+\s*(頁|/\s*\d+)?[-–—\s]*$")
_FOOTER_GAP = 2.5  # line heights of blank space above a page footer
_NEW_PARAGRAPH = 1.2  # a gap above a line, in line heights, that only a new paragraph leaves
_BAND_LABEL = 20  # a band row closing a page is a short numbered label
_HANGING = re.compile(r"[。，、；：！？」』）]$")


@dataclass
class AlignedRow:
    cells: list[tuple[float, float, float, float] | None]  # the row's grid boxes (None: covered)
    text_boxes: dict[int, tuple[float, float, float, float]]  # per column, where the cell's text is


@dataclass
class AlignedTable:
    rows: list[AlignedRow]
    bbox: tuple[float, float, float, float]


def _bands(words: list[dict]) -> list[list[dict]]:
    """Words grouped by line (their tops within a few points), top to bottom."""
    bands: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if bands and abs(word["top"] - bands[-1][0]["top"]) <= 3:
            bands[-1].append(word)
        else:
            bands.append([word])
    return [_joined(sorted(band, key=lambda w: w["x0"])) for band in bands]


def _joined(band: list[dict]) -> list[dict]:
    """Words a space apart are one run of text ("(二) 服務友善"); a column gap is wider."""
    runs: list[dict] = []
    for word in band:
        last = runs[-1] if runs else None
        if last is not None and word["x0"] - last["x1"] < _SPACE * (word["bottom"] - word["top"]):
            runs[-1] = {**last, "text": f"{last['text']} {word['text']}", "x1": word["x1"],
                        "bottom": max(last["bottom"], word["bottom"])}
        else:
            runs.append(word)
    return runs


def _header_index(bands: list[list[dict]]) -> int | None:
    """The first line of short words in _MIN_COLUMNS places or more: a header row."""
    return next((index for index, band in enumerate(bands)
                 if len(band) >= _MIN_COLUMNS and all(len(word["text"].strip()) <= _HEADER_WORD for word in band)), None)


def column_starts(bands: list[list[dict]]) -> list[float]:
    """The header's word starts (a narrow 面向 column may start a word only there) and the x positions
    where words start on at least _MIN_LINES lines below it."""
    header = bands[0]
    counts: list[list[float]] = []
    for x in sorted([word["x0"] for band in bands for word in band] + [word["x0"] for word in header] * _MIN_LINES):
        if counts and x - counts[-1][0] <= _SAME_X:
            counts[-1].append(x)
        else:
            counts.append([x])
    return [min(group) for group in counts if len(group) >= _MIN_LINES]


def _column_of(x: float, starts: list[float]) -> int:
    """The column a word starting at x is in (an indented line is still in its column)."""
    return max(0, sum(1 for start in starts if start <= x + _SAME_X) - 1)


def _runs_across(band: list[dict], starts: list[float]) -> bool:
    """One line of text starting in the first column and running over the next one: prose, or a band
    row over the table's width."""
    return len(band) == 1 and _column_of(band[0]["x0"], starts) == 0 and band[0]["x1"] > starts[1] + _SAME_X


def _is_table_band(bands: list[list[dict]], index: int, starts: list[float]) -> bool:
    """Not a prose line (the text after the table, a section title: _runs_across), unless the table
    goes on below it (a band row: the next line has text in two columns or more), or it is a numbered
    label closing the page (a band row whose rows are on the next page)."""
    band = bands[index]
    if not _runs_across(band, starts):
        return True
    below = bands[index + 1] if index + 1 < len(bands) else []
    if len({_column_of(word["x0"], starts) for word in below}) >= 2:
        return True
    text = band[0]["text"]
    return (not below or _is_footer(band, below)) and len(text) <= _BAND_LABEL \
        and parse_marker(text)[0] is not None and not re.search(r"[，。；：:]", text)


def _is_footer(above: list[dict], band: list[dict]) -> bool:
    """A lone line far below the last one (a page number under the table)."""
    height = band[0]["bottom"] - band[0]["top"]
    return len(band) == 1 and (band[0]["top"] - max(word["bottom"] for word in above) > _FOOTER_GAP * height
                               or bool(_PAGE_NUMBER.match(band[0]["text"])))


def aligned_tables(words: list[dict]) -> list[AlignedTable]:
    """The ruling-less table of a page, if any, as rows of cell boxes."""
    bands = _bands(words)
    first = _header_index(bands)
    if first is None:
        return []
    starts = column_starts(bands[first:])
    if len(starts) < _MIN_COLUMNS:
        return []
    last = first
    while last + 1 < len(bands) and _is_table_band(bands, last + 1, starts) \
            and not _is_footer(bands[last], bands[last + 1]):
        last += 1
    table_bands = bands[first:last + 1]
    if len(table_bands) < 2:
        return []
    right = max(word["x1"] for band in table_bands for word in band)
    edges = starts + [right]
    widest = max(range(len(starts)), key=lambda index: edges[index + 1] - edges[index])
    owners = _row_owners(table_bands, starts, edges, widest)
    # A column's text edge: where its widest line clearly inside it ends (wrapping is judged against
    # it; a line ending at the next column's start is part of a cell spanning both).
    # Punctuation hanging past that edge still belongs to the cell (ink_right). Only text of the
    # body's size counts: a band row set larger over the whole width is no line of the column.
    text_right, ink_right = list(edges[1:]), list(edges[1:])
    body = _body_height(table_bands)
    for column in range(len(starts)):
        inside = [word for band in table_bands for word in band
                  if _column_of(word["x0"], starts) == column and word["x1"] < edges[column + 1] - _SAME_X]
        text_right[column] = max((_text_end(word) for word in inside if abs(word["bottom"] - word["top"] - body) <= 1),
                                 default=edges[column + 1] - _SAME_X) + 1
        ink_right[column] = max([word["x1"] + 1 for word in inside] + [text_right[column]])
    text_right[-1] = ink_right[-1] = right + 1  # the last column ends where the table's text does
    n_rows = max(owners.values()) + 1
    tops = [min(word["top"] for word, row in _owned(table_bands, owners) if row == index) - 1 for index in range(n_rows)]
    bottom_of_table = max(word["bottom"] for band in table_bands for word in band) + 1
    rows = []
    for row_index in range(n_rows):
        top, bottom = tops[row_index], (tops + [bottom_of_table])[row_index + 1]
        mine = [word for word, row in _owned(table_bands, owners) if row == row_index]
        spans = [1] * len(starts)
        filled = {_column_of(word["x0"], starts) for word in mine}
        for word in mine:
            column = _column_of(word["x0"], starts)
            reach = sum(1 for edge in edges[column + 1:-1] if word["x1"] > edge + _SAME_X)
            if row_index == 0:  # a header word names the empty columns after it (具體作法 over two)
                while column + 1 + reach < len(starts) and column + 1 + reach not in filled:
                    reach += 1
            spans[column] = max(spans[column], 1 + reach)
        cells: list[tuple[float, float, float, float] | None] = []
        text: dict[int, tuple[float, float, float, float]] = {}
        covered_until = -1
        for column in range(len(starts)):
            if column <= covered_until:
                cells.append(None)
                continue
            end = column + spans[column]
            box = (edges[column] - 1, top, text_right[min(end, len(starts)) - 1], bottom)
            cells.append(box)
            own = [word for word in mine if _column_of(word["x0"], starts) == column]
            # A heading cell's text is its own paragraphs, which may wrap below the next row's top.
            text[column] = (box[0], min((w["top"] for w in own), default=top) - 0.5,
                            ink_right[min(end, len(starts)) - 1],
                            max((w["bottom"] for w in own), default=top) + 0.5)
            covered_until = end - 1
        rows.append(AlignedRow(cells=cells, text_boxes=text))
    bbox = (edges[0], tops[0], right, bottom_of_table)
    return [AlignedTable(rows=rows, bbox=bbox)]


def _body_height(bands: list[list[dict]]) -> float:
    """The height of most of the table's text."""
    heights = Counter(round(word["bottom"] - word["top"]) for band in bands for word in band)
    return float(heights.most_common(1)[0][0])


def _text_end(word: dict) -> float:
    """Where a line's text reaches the column's text edge: a closing CJK punctuation mark at its end
    may hang past the edge (Word and LibreOffice let 。，、 hang), so the edge is at its start."""
    if _HANGING.search(word["text"]):
        return word["x1"] - (word["bottom"] - word["top"])
    return word["x1"]


def _owned(bands: list[list[dict]], owners: dict[int, int]):
    return [(word, owners[id(word)]) for band in bands for word in band]


def _row_owners(bands: list[list[dict]], starts: list[float], edges: list[float], widest: int) -> dict[int, int]:
    """The row each word belongs to (by id). A row opens at a line where a column left of the widest
    starts a numbered paragraph, or a new one (more than a blank line below its last line), that stays
    inside the column or runs over a column already holding text of its own in the row, and at a band
    row running across the table and at the line below it. A wrapped
    line of a heading cell stays in the row its paragraph opened in, even when the next row has
    opened beside it."""
    owners: dict[int, int] = {id(word): 0 for word in bands[0]}
    row = 0
    last_bottom: dict[int, float] = {}
    paragraph_row: dict[int, int] = {}
    used: set[int] = set()  # the columns holding text of their own in the current row
    for index, band in enumerate(bands[1:], start=1):
        starts_paragraph: dict[int, bool] = {}
        # the first body row follows the header; a band row is a row of its own
        opened = index == 1 or _runs_across(band, starts) or _runs_across(bands[index - 1], starts)
        for word in band:
            column = _column_of(word["x0"], starts)
            below = word["top"] - last_bottom.get(column, float("-inf"))
            last_bottom[column] = word["bottom"]
            marker, _ = parse_marker(word["text"])
            new = marker is not None or below > _NEW_PARAGRAPH * (word["bottom"] - word["top"])
            starts_paragraph[id(word)] = new
            inside = word["x1"] <= edges[column + 1] + _SAME_X
            # A paragraph running over the next columns cannot share a row with their own text
            # (a row continued from the last page above a measure cell spanning the sub column).
            spans_used = not inside and any(column < other and edges[other] + _SAME_X < word["x1"] for other in used)
            if column < widest and new and (inside or spans_used):
                opened = True
        if opened:
            row += 1
            used = set()
        used.update(_column_of(word["x0"], starts) for word in band)
        for word in band:
            column = _column_of(word["x0"], starts)
            if column < widest and not starts_paragraph[id(word)] and column in paragraph_row:
                owners[id(word)] = paragraph_row[column]
            else:
                owners[id(word)] = row
                paragraph_row[column] = row
    return owners
