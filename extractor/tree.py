"""The numbering tree of a measure table.

Rows come in already classified (heading cells, the measure cell, values
cells). Each cell is cut into items by its numbering markers; items are placed
in one tree by their marker style — not by the column they sit in, since
converters shift cells — and every leaf on the measure side is one measure.

Rules, each from a quirk of real plans:
- 壹、 一、 (一) are heading styles wherever they appear; 1. (1) 甲 a ◎ and
  unnumbered paragraphs of the measure cell are the measure side.
- A marker style already open on the stack closes everything below it
  (siblings); a new style nests under the current item.
- An unnumbered first paragraph of a measure cell that continues an unfinished
  sentence belongs to the previous measure (text cut by a page break).
- A numbered item that continues the list of the previous heading of the same
  level (its number is the next one there and the current heading has no such
  list yet) goes back to that heading: converters put the first row of a new
  page under the next label.
- In layout text (pdftotext), heading columns arrive as fragments spread over
  several lines; fragments without a marker extend the open heading of their
  column.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from extractor.align import align_deadlines, align_units, band_groups, deadline_values, unit_tokens
from extractor.continuation import carries_values, rejoin_cut_value, repeats_heading
from extractor.elements import Cell
from models import Location, Measure, NumberingAnomaly
from normalizers.numbering import Marker, parse_marker, split_items
from normalizers.text import CJK, has_cjk, join_lines

_TERMINAL = re.compile(r"[。；;！？!?]\s*$|[)）」』]\s*[。；]?\s*$")
_PREFIX_FRAGMENT = re.compile(f"^([{CJK}]{{1,3}})(?=[(（]\\d|\\d+[.．、])")
_EMBEDDED_MARKER = re.compile(r"(?<=[\u4e00-\u9fff])(?=(?:[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[.．、](?!\d)))")
_DEBRIS = re.compile(r"^[\W_]*$")

_counter = itertools.count()


@dataclass(eq=False)
class Node:
    marker: Marker | None
    lines: list[str]
    side: str  # "heading" or "measure"
    style_key: str
    rank: float
    line: int | None = None
    page: int | None = None
    col: int | None = None
    parent: "Node | None" = None
    children: list["Node"] = field(default_factory=list)
    units: list[str] | None = None
    units_uncertain: bool = False
    deadline: str | None = None
    benefit: str | None = None
    aligned: bool = False
    position: tuple[int, float] | None = None  # (page, top) where the layout is known
    order: int = field(default_factory=lambda: next(_counter))

    @property
    def text(self) -> str:
        return join_lines(self.lines)

    @property
    def label(self) -> str:
        return f"{self.marker.raw}{self.text}" if self.marker else self.text

    @property
    def value(self) -> int | None:
        return self.marker.value if self.marker else None

    def is_unfinished(self) -> bool:
        return bool(self.text) and not _TERMINAL.search(self.text)


@dataclass
class ClassifiedRow:
    """A table row with its cells sorted by role (see rows.py)."""

    heading_cells: list[tuple[int, Cell]]
    measure_cell: Cell | None
    units_cell: Cell | None = None
    deadline_cell: Cell | None = None
    benefit_cell: Cell | None = None
    line: int | None = None
    page: int | None = None
    continues_page: bool = False
    inherit_units: bool = False  # the units cell is merged with the row above
    inherit_deadline: bool = False
    decisions: list[str] = field(default_factory=list)

    @property
    def values_only(self) -> bool:
        return not self.heading_cells and self.measure_cell is None


@dataclass
class _PendingRow:
    row: ClassifiedRow
    items: list[Node]
    units: list[list[str]]
    deadlines: list[str]
    new_heading: bool
    extended: bool = False  # values-only rows below added to its values


def _cell_items(cell: Cell) -> list[tuple[Marker | None, list[str], bool, int]]:
    """(marker, lines, starts_paragraph, paragraph index) for every item of a cell."""
    items: list[list] = []
    for paragraph, lines in enumerate(cell.paragraphs):
        if cell.lines_wrap:
            lines = [join_lines(lines)]
        current: list | None = None
        for line in lines:
            marker, rest = parse_marker(line, lenient=True)
            if marker is not None or current is None:
                current = [marker, [rest if marker else line], current is None, paragraph]
                items.append(current)
            else:
                current[1].append(line)
    # Several numbered items may run together in one line ("(1)… (2)…").
    expanded: list[tuple[Marker | None, list[str], bool, int]] = []
    for marker, lines, starts_paragraph, paragraph in items:
        text = join_lines(lines)
        pieces = split_items((marker.raw + " " if marker else "") + text) if text or marker else []
        if len(pieces) <= 1:
            expanded.append((marker, lines, starts_paragraph, paragraph))
            continue
        for index, (piece_marker, piece_text) in enumerate(pieces):
            expanded.append((piece_marker, [piece_text], starts_paragraph and index == 0, paragraph))
    return [item for item in expanded if item[0] is not None or join_lines(item[1])]


def _layout_fragments(cell: Cell) -> list[str]:
    """Fragments of a heading cell in layout text: the cell may hold pieces of
    two columns ("捷、透 程便捷性", "(一)推動便1.提升服務")."""
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


def _bands_of(cell: Cell | None, items: list[Node]) -> list[list[list[str]]] | None:
    """Per item, the paragraphs of the values cell on its line band, where the reader
    knows where each paragraph sits (PDF) and the layout shows bands; None for
    alignment by count."""
    tops = [node.position for node in items]
    if cell is None or cell.positions is None or len(cell.positions) != len(cell.paragraphs) \
            or len(items) < 2 or None in tops:
        return None
    groups = band_groups(tops, cell.positions)
    if groups is None:
        return None
    return [[cell.paragraphs[index] for index in group] for group in groups]


class TreeBuilder:
    """Builds the numbering tree row by row and keeps each row's decisions for
    ``plancheck debug``."""

    def __init__(self, layout: bool = False) -> None:
        self.layout = layout
        self.root = Node(marker=None, lines=[], side="heading", style_key="root", rank=0)
        self.stack: list[Node] = [self.root]
        self.open_heading: dict[int, Node] = {}
        self.last_measure: Node | None = None
        self.last_heading: Node | None = None
        self.last_by_style: dict[str, Node] = {}
        self.anomalies: list[NumberingAnomaly] = []
        self.pending: _PendingRow | None = None
        self.previous_values: tuple[list[list[str]], list[str]] = ([], [])

    # -- placing nodes -----------------------------------------------------

    def _pop_to_parent(self, node: Node) -> Node:
        keys = [entry.style_key for entry in self.stack]
        if node.style_key in keys:
            del self.stack[keys.index(node.style_key):]
        else:
            while len(self.stack) > 1 and self.stack[-1].rank >= node.rank:
                self.stack.pop()
        return self.stack[-1]

    def _continued_list_owner(self, node: Node, parent: Node) -> Node | None:
        """The previous heading whose list this numbered item continues, if any."""
        if node.marker is None or node.value is None or node.value <= 1:
            return None
        if node.col is not None:
            return None  # an item in a heading column heads its row's items where it stands
        if any(child.style_key == node.style_key for child in parent.children):
            return None
        previous = self.last_by_style.get(node.style_key)
        if previous is None or previous.value != node.value - 1 or previous.parent is None:
            return None
        owner = previous.parent
        if owner is parent or owner.style_key != parent.style_key or owner.order > parent.order:
            return None
        return owner

    def _record_anomaly(self, node: Node, parent: Node) -> None:
        if node.marker is None or node.value is None:
            return
        # the nearest earlier sibling of the same style, scanned from the end (a full scan made long tables quadratic)
        sibling = next((child for child in reversed(parent.children)
                        if child.style_key == node.style_key and child is not node), None)
        location = Location(line=node.line, page=node.page)
        if sibling is None:
            previous = self.last_by_style.get(node.style_key)
            # A list numbered on across headings (1. under (一), 2. under (二)) is a
            # numbering style, not a gap.
            continues = previous is not None and previous.value == node.value - 1
            if node.value > 1 and not continues:
                self.anomalies.append(NumberingAnomaly(
                    code="skipped", marker=node.marker.raw, location=location,
                    message=f"「{node.marker.raw}」在「{parent.label[:20]}」下從 {node.value} 起編，前面的編號缺漏",
                ))
            return
        last = sibling.value
        if last is None or node.value == last + 1:
            return
        if node.value == last:
            code, message = "duplicate", f"「{node.marker.raw}」與前一項編號重複"
        elif node.value == 1:
            code, message = "restart", f"「{node.marker.raw}」在「{sibling.marker.raw}」之後重新起編"
        elif node.value < last:
            code, message = "out_of_order", f"「{node.marker.raw}」排在「{sibling.marker.raw}」之後，順序顛倒"
        else:
            code, message = "skipped", f"「{node.marker.raw}」接在「{sibling.marker.raw}」之後，中間編號跳號"
        self.anomalies.append(NumberingAnomaly(code=code, marker=node.marker.raw, message=message, location=location))

    def _place(self, node: Node, decisions: list[str]) -> None:
        parent = self._pop_to_parent(node)
        owner = self._continued_list_owner(node, parent)
        if owner is not None:
            node.parent = owner
            owner.children.append(node)
            decisions.append(f"{node.label[:24]!r} continues the list of {owner.label[:24]!r} (page-break relabel)")
        else:
            self._record_anomaly(node, parent)
            node.parent = parent
            parent.children.append(node)
            self.stack.append(node)
            decisions.append(f"{node.label[:24]!r} under {parent.label[:24]!r}")
        if node.marker is not None:
            self.last_by_style[node.style_key] = node

    def _new_node(self, marker: Marker | None, lines: list[str], side: str, style_key: str, row: ClassifiedRow, col: int | None) -> Node:
        if marker is not None:
            rank: float = marker.rank
        elif side == "heading":
            rank = self.stack[-1].rank + 0.5
        else:
            rank = 99
        return Node(marker=marker, lines=list(lines), side=side, style_key=style_key, rank=rank, line=row.line, page=row.page, col=col)

    # -- headings ------------------------------------------------------------

    def _take_layout_prefix(self, row: ClassifiedRow) -> str | None:
        """"流(1)設置…": characters of a heading column that overflowed into the
        measure cell. Removed from the cell and returned."""
        if not self.layout or row.measure_cell is None or not row.measure_cell.paragraphs:
            return None
        first = row.measure_cell.paragraphs[0]
        match = _PREFIX_FRAGMENT.match(first[0])
        if not match:
            return None
        first[0] = first[0][match.end():]
        return match.group(1)

    def _heading_fragments(self, row: ClassifiedRow, prefix: str | None) -> list[tuple[int, str]]:
        fragments: list[tuple[int, str]] = []
        for col, cell in row.heading_cells:
            if self.layout:
                pieces = _layout_fragments(cell)
                fragments.extend((col + offset, piece) for offset, piece in enumerate(pieces))
            else:
                for marker, lines, _, _ in _cell_items(cell):
                    fragments.append((col, (marker.raw if marker else "") + join_lines(lines)))
        if prefix and len(fragments) == 1 and parse_marker(fragments[0][1])[0] is None and self.open_heading:
            # "理情形流 | 程(2)…": a lone fragment beside an overflowing prefix
            # belongs to the same, deepest, heading column as the prefix.
            fragments = [(max(max(self.open_heading), fragments[0][0]), fragments[0][1])]
        return fragments

    def _parent_for_column(self, col: int) -> Node:
        shallower = [key for key in self.open_heading if key < col]
        return self.open_heading[max(shallower)] if shallower else self.root

    def _reopen_repeated_heading(self, col: int, text: str, row: ClassifiedRow) -> bool:
        """A heading cell repeating the open heading of its column word for word
        (a row continued after a page break, its strategy typed again) is that
        heading, not a new sibling."""
        existing = self.open_heading.get(col)
        if existing is None or existing.parent is None or not repeats_heading(existing.label, text):
            return False
        if existing not in self.stack:
            if existing.parent not in self.stack:
                return False
            del self.stack[self.stack.index(existing.parent) + 1:]
            self.stack.append(existing)
        else:
            del self.stack[self.stack.index(existing) + 1:]
        for deeper in [key for key in self.open_heading if key > col]:
            del self.open_heading[deeper]
        row.decisions.append(f"{text[:24]!r} repeats the open heading of its column: continues it")
        return True

    def _add_heading_cells(self, row: ClassifiedRow) -> bool:
        """Place the heading cells of a row; True when a new heading opened."""
        opened = False
        prefix = self._take_layout_prefix(row)
        for col, text in self._heading_fragments(row, prefix):
            marker, rest = parse_marker(text, lenient=True)
            if marker is None and not has_cjk(text) and not re.search(r"[A-Za-z0-9]", text):
                continue
            if self._reopen_repeated_heading(col, text, row):
                continue
            if marker is None and self.layout and col in self.open_heading:
                self.open_heading[col].lines.append(text)
                row.decisions.append(f"fragment {text!r} extends {self.open_heading[col].label[:24]!r}")
                continue
            if marker is None:
                # An unnumbered heading nests under the heading of the column to its left.
                parent = self._parent_for_column(col)
                while len(self.stack) > 1 and self.stack[-1] is not parent and parent in self.stack:
                    self.stack.pop()
                node = self._new_node(None, [text], "heading", f"plain-heading-{col}", row, col)
                node.rank = parent.rank + 0.5
            else:
                side = "heading" if marker.is_heading_style else "measure"
                node = self._new_node(marker, [rest], side, marker.style, row, col)
            self._place(node, row.decisions)
            if node.side == "heading":
                self.last_heading = node
            self.open_heading[col] = node
            for deeper in [key for key in self.open_heading if key > col]:
                del self.open_heading[deeper]
            opened = True
        if prefix and self.open_heading:
            deepest = self.open_heading[max(self.open_heading)]
            deepest.lines.append(prefix)
            row.decisions.append(f"prefix {prefix!r} extends {deepest.label[:24]!r}")
        return opened

    # -- measures -----------------------------------------------------------

    def _unfinished_owner(self, created: list[Node], opened_heading: bool) -> Node | None:
        """The item an unnumbered paragraph continues: the previous measure when
        its sentence is unfinished ("2. 內部效益" + its description; text cut by
        a page break), else an unfinished heading (a strategy cut by a page)."""
        previous = created[-1] if created else self.last_measure
        if previous is not None and previous.is_unfinished():
            return previous
        heading = self.last_heading
        if created or opened_heading or heading is None or not heading.is_unfinished():
            return None
        # Only a sentence-long strategy is cut mid-sentence; short names never end in 。.
        if len(heading.text) >= 25 and re.search(r"[，；,;]", heading.text):
            return heading
        return None

    def _add_measure_cell(self, row: ClassifiedRow, opened_heading: bool) -> list[Node]:
        if row.measure_cell is None:
            return []
        created: list[Node] = []
        positions = row.measure_cell.positions
        for marker, lines, starts_paragraph, paragraph in _cell_items(row.measure_cell):
            if marker is None:
                owner = self._unfinished_owner(created, opened_heading)
                if owner is not None or (not starts_paragraph and created):
                    owner = owner or created[-1]
                    owner.lines.extend(lines)
                    row.decisions.append(f"continuation {join_lines(lines)[:16]!r} joins {owner.label[:24]!r}")
                    continue
            if marker is not None and marker.is_heading_style:
                node = self._new_node(marker, lines, "heading", marker.style, row, None)
                self._place(node, row.decisions)
                self.last_heading = node
                continue
            style_key = marker.style if marker else "plain-measure"
            node = self._new_node(marker, lines, "measure", style_key, row, None)
            if positions is not None and paragraph < len(positions):
                node.position = positions[paragraph]
            top = self.stack[-1]
            if marker is None and top.side == "measure" and top.col is None and top is not self.root:
                self.stack.pop()  # an unnumbered paragraph after an item of the cell is its sibling
            self._place(node, row.decisions)
            created.append(node)
            self.last_measure = node
        return created

    # -- values ---------------------------------------------------------------

    def _finish_pending(self) -> None:
        pending, self.pending = self.pending, None
        if pending is None:
            return
        in_row = set(map(id, pending.items))
        top = [node for node in pending.items if id(node.parent) not in in_row and not (node.parent and node.parent.aligned)]
        units, deadlines = pending.units, pending.deadlines
        carry = carries_values(pending.row.continues_page, pending.new_heading)
        # The first row of a page under a values cell merged across the page
        # break, or a row under a vertically merged cell: same values as above.
        if not units and (carry or pending.row.inherit_units):
            units = self.previous_values[0]
        if not deadlines and (carry or pending.row.inherit_deadline):
            deadlines = self.previous_values[1]
        row = pending.row
        unit_bands = None if pending.extended else _bands_of(row.units_cell, top)
        if unit_bands is not None:
            # a band's lines are read together: a name wrapped over a page break is whole again
            unit_groups = [list(dict.fromkeys(token for tokens in unit_tokens([sum(band, [])]) for token in tokens))
                           for band in unit_bands]
            uncertain = False
            row.decisions.append("units aligned by line band")
        else:
            cut = None if pending.extended else rejoin_cut_value(row.units_cell, len(top))
            unit_groups, uncertain = align_units(unit_tokens(cut) if cut else units, len(top))
        deadline_bands = None if pending.extended else _bands_of(row.deadline_cell, top)
        if deadline_bands is not None:
            deadline_list = ["、".join(dict.fromkeys(deadline_values(band))) or None for band in deadline_bands]
            deadline_uncertain = False
            row.decisions.append("deadlines aligned by line band")
        else:
            cut = None if pending.extended else rejoin_cut_value(row.deadline_cell, len(top))
            deadline_list, deadline_uncertain = align_deadlines(deadline_values(cut) if cut else deadlines, len(top))
        for node, group, deadline in zip(top, unit_groups, deadline_list):
            node.units = group if units else None
            node.units_uncertain = uncertain
            node.deadline = deadline
            node.aligned = bool(units or deadlines)
        benefit_cell = pending.row.benefit_cell
        if benefit_cell is not None and not benefit_cell.is_empty:
            paragraphs = [join_lines(lines) for lines in benefit_cell.paragraphs]
            for index, node in enumerate(top):
                node.benefit = paragraphs[index] if len(paragraphs) == len(top) else "\n".join(paragraphs)
        self.previous_values = (units or self.previous_values[0], deadlines or self.previous_values[1])
        pending.row.decisions.append(
            f"values: {len(top)} item(s) ← units {units} deadlines {deadlines}" + (" (uncertain)" if uncertain or deadline_uncertain else "")
        )

    def add_row(self, row: ClassifiedRow) -> None:
        units = unit_tokens(row.units_cell.paragraphs) if row.units_cell else []
        deadlines = deadline_values(row.deadline_cell.paragraphs) if row.deadline_cell else []
        if row.values_only:
            if self.pending is not None:
                self.pending.units.extend(units)
                self.pending.deadlines.extend(deadlines)
                self.pending.extended = bool(units or deadlines)
                row.decisions.append("values-only row: joins the values of the row above")
            return
        opened = self._add_heading_cells(row)
        created = self._add_measure_cell(row, opened)
        if not created:
            if self.pending is not None and (units or deadlines) and not opened:
                self.pending.units.extend(units)
                self.pending.deadlines.extend(deadlines)
                self.pending.extended = True
            return
        self._finish_pending()
        self.pending = _PendingRow(row=row, items=created, units=units, deadlines=deadlines, new_heading=opened)

    def finish(self) -> None:
        self._finish_pending()

    # -- output ---------------------------------------------------------------

    def leaves(self) -> list[Node]:
        result: list[Node] = []

        def walk(node: Node) -> None:
            for child in node.children:
                if child.children:
                    walk(child)
                elif child.side == "measure" and child.text:
                    result.append(child)

        walk(self.root)
        return result


def _inherited(node: Node, attribute: str):
    current: Node | None = node
    while current is not None:
        value = getattr(current, attribute)
        if current.aligned or value:
            return value, current
        current = current.parent
    return None, None


def _ancestors(node: Node) -> list[Node]:
    chain = []
    current = node.parent
    while current is not None and current.style_key != "root":
        chain.append(current)
        current = current.parent
    return list(reversed(chain))


def measure_id(node: Node) -> str:
    parts = []
    for entry in [*_ancestors(node), node]:
        if entry.value is not None:
            parts.append(str(entry.value))
        else:
            siblings = entry.parent.children if entry.parent else []
            parts.append(f"u{siblings.index(entry) + 1}")
    return "-".join(parts)


def measures_from_tree(builder: TreeBuilder, table_index: int) -> list[Measure]:
    measures: list[Measure] = []
    seen: dict[str, int] = {}
    for node in builder.leaves():
        units, owner = _inherited(node, "units")
        deadline, _ = _inherited(node, "deadline")
        base = f"t{table_index + 1}-{measure_id(node)}"
        seen[base] = seen.get(base, 0) + 1
        identifier = base if seen[base] == 1 else f"{base}-{seen[base]}"
        measures.append(Measure(
            id=identifier,
            path=[entry.label for entry in _ancestors(node)],
            number=node.marker.raw if node.marker else "",
            text=node.text,
            departments=list(units or []),
            departments_uncertain=bool(owner and owner.units_uncertain),
            deadline=deadline,
            expected_benefit=node.benefit,
            location=Location(line=node.line, page=node.page),
        ))
    return measures
