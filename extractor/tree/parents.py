"""Step 3, parents: each item placed under its parent, by its level, in one tree.

Items are placed by marker style, not by the column they sit in, since converters shift cells:
- a style already open on the stack closes everything below it (siblings); a new style nests under
  the current item, a rank at or above the current item's closes it;
- an unnumbered heading nests under the heading of the column to its left;
- a heading cell typed again after a page break is the open heading of its column
  (extractor.continuation.repeats_heading);
- in layout text, a fragment without a marker extends the open heading of its column;
- a row that numbers a heading column and the measure cell in parallel (執行方法 (1) | 具體作法 (1)):
  the measure cell's items are a list of their own under the heading column's item (builder.py gives
  them their own style key);
- a numbered item that continues the list of the previous heading of the same level (its number is
  the next one there and the current heading has no such list yet) goes back to that heading:
  converters put the first row of a new page under the next label.
Numbering anomalies (skipped, repeated, restarted, out-of-order numbers) are recorded on the way.

``Placer`` holds what placing needs to remember (the open items, the open heading of each column, the
last item of each style); each method is one rule and says what it did in the row's ``parents`` step."""

from __future__ import annotations

from extractor.continuation import repeats_heading
from extractor.tree.levels import Level
from extractor.tree.nodes import ClassifiedRow, Node, root_node
from extractor.tree.numbering import HeadingFragment
from models import Location, NumberingAnomaly

OPENED, REOPENED, EXTENDED = "opened", "reopened", "extended"


def new_node(fragment_marker, lines: list[str], level: Level, row: ClassifiedRow, col: int | None,
             rank: float) -> Node:
    return Node(marker=fragment_marker, lines=list(lines), side=level.side, style_key=level.style_key, rank=rank,
                line=row.line, page=row.page, col=col)


class Placer:
    def __init__(self, layout: bool = False) -> None:
        self.layout = layout
        self.root = root_node()
        self.stack: list[Node] = [self.root]
        self.open_heading: dict[int, Node] = {}
        self.last_by_style: dict[str, Node] = {}
        self.anomalies: list[NumberingAnomaly] = []

    # -- the stack ------------------------------------------------------------------------------

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

    def place(self, node: Node, row: ClassifiedRow, relabel: bool = True) -> None:
        """Put a node under its parent (or, with ``relabel``, back under the heading whose list it
        continues)."""
        parent = self._pop_to_parent(node)
        owner = self._continued_list_owner(node, parent) if relabel else None
        if owner is not None:
            node.parent = owner
            owner.children.append(node)
            row.note("parents", f"{node.label[:24]!r} continues the list of {owner.label[:24]!r} (page-break relabel)")
        else:
            self._record_anomaly(node, parent)
            node.parent = parent
            parent.children.append(node)
            self.stack.append(node)
            row.note("parents", f"{node.label[:24]!r} under {parent.label[:24]!r}")
        if node.marker is not None:
            self.last_by_style[node.style_key] = node

    # -- heading columns --------------------------------------------------------------------------

    def _parent_for_column(self, col: int) -> Node:
        shallower = [key for key in self.open_heading if key < col]
        return self.open_heading[max(shallower)] if shallower else self.root

    def _close_deeper_columns(self, col: int) -> None:
        for deeper in [key for key in self.open_heading if key > col]:
            del self.open_heading[deeper]

    def _reopen_repeated_heading(self, col: int, text: str, row: ClassifiedRow) -> bool:
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
        self._close_deeper_columns(col)
        row.note("parents", f"{text[:24]!r} repeats the open heading of its column: continues it")
        return True

    def place_heading_fragment(self, fragment: HeadingFragment, level: Level, row: ClassifiedRow) -> tuple[str, Node]:
        """Place one heading fragment: it reopens, extends or opens a node, which is returned."""
        col = fragment.col
        if fragment.beside_prefix and self.open_heading:
            col = max(max(self.open_heading), col)
        if self._reopen_repeated_heading(col, fragment.text, row):
            return REOPENED, self.open_heading[col]
        if fragment.marker is None and self.layout and col in self.open_heading:
            self.open_heading[col].lines.append(fragment.text)
            row.note("parents", f"fragment {fragment.text!r} extends {self.open_heading[col].label[:24]!r}")
            return EXTENDED, self.open_heading[col]
        if fragment.marker is None:
            parent = self._parent_for_column(col)
            while len(self.stack) > 1 and self.stack[-1] is not parent and parent in self.stack:
                self.stack.pop()
            node = new_node(None, [fragment.text], level, row, col, rank=parent.rank + 0.5)
        else:
            node = new_node(fragment.marker, [fragment.rest], level, row, col, rank=level.rank)
        self.place(node, row)
        self.open_heading[col] = node
        self._close_deeper_columns(col)
        return OPENED, node

    def extend_deepest_heading(self, prefix: str, row: ClassifiedRow) -> None:
        """Characters of the deepest heading column that overflowed into the measure cell."""
        if not self.open_heading:
            return
        deepest = self.open_heading[max(self.open_heading)]
        deepest.lines.append(prefix)
        row.note("parents", f"prefix {prefix!r} extends {deepest.label[:24]!r}")

    # -- the measure cell ---------------------------------------------------------------------------

    def place_measure_item(self, node: Node, row: ClassifiedRow, relabel: bool = True) -> None:
        top = self.stack[-1]
        if node.marker is None and top.side == "measure" and top.col is None and top is not self.root:
            self.stack.pop()  # an unnumbered paragraph after an item of the cell is its sibling
        self.place(node, row, relabel)
