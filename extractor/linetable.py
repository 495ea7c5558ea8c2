"""Measure tables that a web page or a text copy flattened into one cell per
line: the header words one per line (or on one line between spaces), then the
cells of every row in reading order, with or without blank lines between.

    實施要項 / 執行策略 / 執行方法 / 承辦 / 單位          header (承辦 / 單位 is one word)
    一、提升服務品質,深化服務績效                         a cell of the first column
    (一)訂定機關年度提升服務品質執行計畫…                 a cell of the second
    本處針對業務特性…                                     the measure cell
    各組                                                  the units cell; the next row begins

``rebuild_tables`` puts such a run back into a positional Table that the table
finder reads like any other. Cells are told apart by what they hold, in the
header's column order: a heading marker (一、 (一)) or a short unmarked label
(服務 / 流程) is a heading cell, unit names and deadlines are values cells, the
rest is text; a text cell after the last text column, or a heading cell after
the last heading column, starts the next row. Blank lines (gaps in the line
numbers) separate cells; lines without a gap are one cell unless a new heading
marker, a values line or a numbered list starting again at 1 begins another.

A heading label over the measures (「1. 突破成長」, 「深化服務量能」: in the real table a
column of its own under a 具體作法 header spanning two columns) is a short line
without sentence punctuation that more measure text follows before any values:
a measure ends at its values lines, so a line followed by more text before them is
no measure of its own (extractor.labels). The table is then rebuilt with that label
column and the measure header spanning it, as converters give the real table."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from extractor import labels
from extractor.columns import annex_kind, header_roles, role_of_header
from extractor.elements import Cell, Document, Paragraph, Row, Table
from extractor.rows import looks_like_deadlines, looks_like_units
from models import ColumnRole
from normalizers.numbering import parse_marker

_HEADING_ROLES = {ColumnRole.dimension, ColumnRole.strategy}
_HEADER_WORD_MAX = 8
_SHORT_LABEL_MAX = 8
_TERMINAL = re.compile(r"[。；;：:！？!?]$")
_SENTENCE_END = re.compile(r"[。；;：:！？!?」』)）]$")


@dataclass
class _Cell:
    kind: str  # heading | text | units | deadline
    paragraphs: list[list[str]]
    line: int | None
    fresh: bool = False  # a list restarting at 1: never merged into the cell before


@dataclass
class _Header:
    texts: list[str]
    roles: list[ColumnRole]
    start: int  # element index of the first header paragraph
    end: int  # element index after the header
    line: int | None = None


@dataclass
class _Rows:
    kinds: list[str]
    rows: list[dict[int, _Cell]] = field(default_factory=list)
    pointer: int = -1
    styles: dict[str, int] = field(default_factory=dict)  # heading marker style → the column it was seen in

    @property
    def first_values(self) -> int:
        return next((index for index, kind in enumerate(self.kinds) if kind in ("units", "deadline")), len(self.kinds))


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _word(text: str) -> str | None:
    """The header word a short paragraph names, or None."""
    key = _compact(text)
    if not key or len(key) > _HEADER_WORD_MAX or role_of_header(key) is None:
        return None
    return key


def header_at(paragraphs: list[Paragraph], start: int) -> _Header | None:
    """A header of known column names starting at ``paragraphs[start]``: one
    word per paragraph (a word split over two paragraphs, 承辦 / 單位, joined),
    or one paragraph of words between spaces, or both: the first words on one
    line and the rest one per line (a web table whose header cells wrapped)."""
    first = paragraphs[start].text.split()
    words: list[str] = []
    index = start
    if len(first) >= 2 and all(len(word) <= _HEADER_WORD_MAX for word in first):
        if header_roles(first) is not None:
            words, index = first, start + 1
    while index < len(paragraphs):
        key = _word(paragraphs[index].text)
        if index + 1 < len(paragraphs):
            joined = _compact(paragraphs[index].text + paragraphs[index + 1].text)
            if _word(paragraphs[index + 1].text) is None and _word(joined) is not None:
                key, index = joined, index + 1
        if key is None:
            break
        words.append(key)
        index += 1
    roles = header_roles(words) if len(words) >= 2 else None
    if roles is None:
        return None
    return _Header(words, roles, start, index, paragraphs[start].line)


def _column_kind(role: ColumnRole) -> str:
    if role in _HEADING_ROLES:
        return "heading"
    if role is ColumnRole.units:
        return "units"
    if role is ColumnRole.deadline:
        return "deadline"
    return "text"


def line_kind(text: str) -> str:
    """What one line of a flattened table holds.

    >>> [line_kind(t) for t in ("(一)單一窗口全功能程度", "服務", "第一組至第七組", "1.辦理洽公環境檢查:包括…")]
    ['heading', 'heading', 'units', 'text']
    """
    marker, rest = parse_marker(text, lenient=True)
    if marker is not None and marker.is_heading_style:
        return "heading"
    probe = Cell(paragraphs=[[text]], col=0)
    if marker is None and looks_like_deadlines(probe):
        return "deadline"
    if marker is None and looks_like_units(probe):
        return "units"
    if marker is None and len(_compact(text)) <= _SHORT_LABEL_MAX and not _TERMINAL.search(text.strip()):
        return "heading"  # a first-level label split over lines (服務 / 流程)
    return "text"


def _blocks(paragraphs: list[Paragraph]) -> list[list[Paragraph]]:
    """Paragraphs separated by blank lines. A page whose every cell is its own
    paragraph without line numbers to tell (HTML, Word) gives one block each."""
    lines = [p.line for p in paragraphs]
    gaps = any(a is not None and b is not None and b > a + 1 for a, b in zip(lines, lines[1:]))
    if not gaps:
        return [[p] for p in paragraphs]
    blocks: list[list[Paragraph]] = []
    for paragraph in paragraphs:
        previous = blocks[-1][-1] if blocks else None
        if previous is not None and previous.line is not None and paragraph.line == previous.line + 1:
            blocks[-1].append(paragraph)
        else:
            blocks.append([paragraph])
    return blocks


def cells_of_block(block: list[Paragraph]) -> list[_Cell]:
    """The cells of one block of adjacent lines."""
    cells: list[_Cell] = []
    for paragraph in block:
        text = paragraph.text.strip()
        kind = line_kind(text)
        marker, _ = parse_marker(text, lenient=True)
        current = cells[-1] if cells else None
        if current is not None and kind == current.kind == "units":
            current.paragraphs[0].append(text)
            continue
        if current is not None and current.kind in ("heading", "text") and kind in ("heading", "text") and marker is None \
                and (current.kind == "text" or not _TERMINAL.search(current.paragraphs[-1][-1])):
            current.paragraphs[-1].append(text)  # a wrapped line
            continue
        if current is not None and kind == current.kind == "text" and marker is not None:
            first = parse_marker(current.paragraphs[0][0], lenient=True)[0]
            if not (marker.value == 1 and first is not None and first.style == marker.style):
                current.paragraphs.append([text])
                continue
            cells.append(_Cell("text", [[text]], paragraph.line, fresh=True))
            continue
        cells.append(_Cell(kind, [[text]], paragraph.line))
    return cells


def _next_column(rows: _Rows, kind: str) -> int | None:
    for index in range(rows.pointer + 1, len(rows.kinds)):
        if rows.kinds[index] == kind:
            return index
    return None


def _first_column(rows: _Rows, kind: str) -> int | None:
    return next((index for index, column in enumerate(rows.kinds) if column == kind), None)


def _heading_style(cell: _Cell) -> str | None:
    marker, _ = parse_marker(cell.paragraphs[0][0], lenient=True)
    return marker.style if marker is not None else None


def _label_column(rows: _Rows) -> int | None:
    return _first_column(rows, "label")


def _is_lone_label(cell: _Cell, width: int) -> bool:
    """One short line without sentence punctuation (its marker aside)."""
    if cell.kind != "text" or len(cell.paragraphs) != 1 or len(cell.paragraphs[0]) != 1:
        return False
    return labels.reads_as_label(parse_marker(cell.paragraphs[0][0], lenient=True)[1], width)


def _ends_sentence(cell: _Cell) -> bool:
    return cell.kind != "text" or bool(_SENTENCE_END.search(cell.paragraphs[-1][-1].strip()))


def with_labels(cells: list[_Cell], width: int) -> list[_Cell]:
    """The cells with every heading label over the measures marked as one: a lone short
    line that more measure text follows, after a heading, the values of a row or the end
    of a sentence (after an unfinished one it is the tail of a wrap)."""
    marked = []
    for index, cell in enumerate(cells):
        following = cells[index + 1] if index + 1 < len(cells) else None
        previous = cells[index - 1] if index else None
        is_label = following is not None and following.kind == "text" and _is_lone_label(cell, width) \
            and (previous is None or _ends_sentence(previous))
        marked.append(replace(cell, kind="label") if is_label else cell)
    return marked


def place(rows: _Rows, cell: _Cell) -> None:
    """Put a cell in the current row, or open the next row when the current one
    has no column of its kind left."""
    kind = cell.kind
    if kind == "heading" and "heading" not in rows.kinds:
        kind = "text"
    current = rows.rows[-1] if rows.rows else None
    if current is not None and rows.pointer >= 0:
        held = current.get(rows.pointer)
        mergeable = held is not None and held.kind == kind and kind in ("units", "deadline", "text") and not cell.fresh
        if mergeable and (kind != "text" or rows.pointer < rows.first_values):
            held.paragraphs.extend(cell.paragraphs) if kind == "text" else held.paragraphs[0].extend(cell.paragraphs[0])
            return
    column = _next_column(rows, kind) if current is not None else None
    style = _heading_style(cell) if kind == "heading" else None
    if kind == "heading" and style is None and current is not None and column is None \
            and rows.pointer < rows.first_values and _next_column(rows, "text") is not None:
        # an unnumbered label after the row's heading cells heads the measures (深化服務量能): the
        # label column, else the measure cell
        label = _next_column(rows, "label")
        kind, column = ("label", label) if label is not None else ("text", _next_column(rows, "text"))
    if style in rows.styles:
        # a heading numbered like an earlier column's headings is that column's: (二) after a
        # row's last cell is the next strategy, not a new dimension
        known = rows.styles[style]
        column = known if current is not None and known > rows.pointer else None
        if column is None:
            current = {}
            rows.rows.append(current)
            column = known
    if column is None:
        current = {}
        rows.rows.append(current)
        rows.pointer = -1
        column = _next_column(rows, kind)
        if column is None:
            column = _first_column(rows, "text") or 0
    if style is not None and kind == "heading":
        rows.styles.setdefault(style, column)
    current[column] = cell
    rows.pointer = column


def _ends_body(paragraph: Paragraph) -> bool:
    """A new top-level section (伍、) or the annexes end the flattened table."""
    marker, _ = parse_marker(paragraph.text)
    return (marker is not None and marker.style == "壹") or annex_kind(paragraph.text) is not None


def _kinds_with_label(roles: list[ColumnRole]) -> list[str]:
    """The column kinds, with a label column before the measure column when the header names
    one measure column (two already give the left one to the labels, extractor.rows)."""
    kinds = [_column_kind(role) for role in roles]
    measures = [index for index, role in enumerate(roles) if role is ColumnRole.measure]
    if len(measures) == 1:
        kinds.insert(measures[0], "label")
    return kinds


def _measure_text_width(body: list[Paragraph]) -> int:
    return labels.label_width([len(_compact(p.text)) for p in body if line_kind(p.text.strip()) == "text"])


def _settled_labels(rows: _Rows) -> bool:
    """A label that no measure text followed is the row's measure; whether any label is left."""
    label = _label_column(rows)
    if label is None:
        return False
    for row in rows.rows:
        if label in row and label + 1 not in row:
            row[label + 1] = row.pop(label)
    return any(label in row for row in rows.rows)


def _without_column(rows: _Rows, column: int) -> None:
    rows.kinds.pop(column)
    rows.rows[:] = [{(index - 1 if index > column else index): cell for index, cell in row.items()} for row in rows.rows]


def _header_row(header: _Header, rows: _Rows) -> Row:
    """The header, its measure cell spanning the label column where there is one."""
    cells: list[Cell] = []
    label = _label_column(rows)
    for text in header.texts:
        if len(cells) == label:
            cells.append(Cell(paragraphs=[[text]], col=len(cells), colspan=2))
            cells.append(Cell(paragraphs=[], col=len(cells), covered=True))
        else:
            cells.append(Cell(paragraphs=[[text]], col=len(cells)))
    return Row(cells=cells, line=header.line)


def table_of(header: _Header, body: list[Paragraph]) -> Table:
    rows = _Rows(kinds=_kinds_with_label(header.roles))
    cells = [cell for block in _blocks(body) for cell in cells_of_block(block)]
    if _label_column(rows) is not None:
        cells = with_labels(cells, _measure_text_width(body))
    for cell in cells:
        place(rows, cell)
    label = _label_column(rows)
    if label is not None and not _settled_labels(rows):
        _without_column(rows, label)
    table_rows = [_header_row(header, rows)]
    for row in rows.rows:
        cells = [Cell(paragraphs=row[index].paragraphs if index in row else [], col=index) for index in range(len(rows.kinds))]
        first_line = min((cell.line for cell in row.values() if cell.line is not None), default=None)
        table_rows.append(Row(cells=cells, line=first_line))
    return Table(rows=table_rows, positional=True, line=header.line, flattened=True)


def rebuild_tables(document: Document) -> Document:
    """The document with every flattened measure table put back as a Table; the
    same document when there is none."""
    elements = list(document.elements)
    result: list[Paragraph | Table] = []
    index = 0
    found = False
    while index < len(elements):
        element = elements[index]
        if not isinstance(element, Paragraph):
            result.append(element)
            index += 1
            continue
        run_end = index
        while run_end < len(elements) and isinstance(elements[run_end], Paragraph):
            run_end += 1
        run: list[Paragraph] = elements[index:run_end]  # type: ignore[assignment]
        offset = 0
        while offset < len(run):
            header = header_at(run, offset)
            if header is None:
                result.append(run[offset])
                offset += 1
                continue
            end = header.end
            while end < len(run) and not _ends_body(run[end]) and header_at(run, end) is None:
                end += 1
            body = run[header.end:end]
            if not body:
                result.extend(run[offset:header.end])
                offset = header.end
                continue
            result.append(table_of(header, body))
            found = True
            offset = end
        index = run_end
    return replace(document, elements=result) if found else document
