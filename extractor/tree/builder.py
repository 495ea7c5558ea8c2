"""The numbering tree of a measure table, built row by row through the five steps.

    numbering   (numbering.py)   a row's cells cut into numbered items           — pure, per row
    levels      (levels.py)      each item's side, style and rank from its marker — pure, per item
    parents     (parents.py)     each item placed under its parent                — the open items
    boundaries  (boundaries.py)  an unnumbered paragraph: new measure or the rest of one — pure
    values      (values.py)      units, deadlines and benefits beside the row's items

``TreeBuilder`` is the fold over the rows that calls them in that order and remembers between rows
only what the rules need: the placer's open items, the last measure and heading (for boundaries) and
the row waiting for its values. Each step writes what it decided into the row (``ClassifiedRow.steps``)
for ``plancheck debug``."""

from __future__ import annotations

from extractor.tree.boundaries import continued_by
from extractor.tree.levels import heading_cell_level, measure_cell_level
from extractor.tree.nodes import ClassifiedRow, Node
from extractor.tree.numbering import CellItem, RowItems, row_items
from extractor.tree.parents import OPENED, Placer, new_node
from extractor.tree.values import PendingRow, Values, attach_values, row_values
from normalizers.text import join_lines


class TreeBuilder:
    def __init__(self, layout: bool = False, row_values_own: bool = False) -> None:
        self.layout = layout
        self.row_values_own = row_values_own
        self.placer = Placer(layout)
        self.last_measure: Node | None = None
        self.last_heading: Node | None = None
        self.pending: PendingRow | None = None
        self.previous_values: Values = ([], [])

    @property
    def root(self) -> Node:
        return self.placer.root

    @property
    def anomalies(self):
        return self.placer.anomalies

    def _add_headings(self, row: ClassifiedRow, items: RowItems) -> tuple[bool, dict[str, Node]]:
        """Place the row's heading fragments; whether a new heading opened, and the list items the
        heading columns opened by style."""
        opened = False
        listed: dict[str, Node] = {}
        levels = [heading_cell_level(fragment.marker, fragment.col) for fragment in items.headings]
        if levels:
            row.note("levels", " | ".join(f"col {f.col} {level.describe()}" for f, level in zip(items.headings, levels)))
        for fragment, level in zip(items.headings, levels):
            outcome, node = self.placer.place_heading_fragment(fragment, level, row)
            if outcome == OPENED:
                opened = True
                if node.side == "heading":
                    self.last_heading = node
                elif node.marker is not None:
                    listed[node.style_key] = node
        if items.prefix:
            self.placer.extend_deepest_heading(items.prefix, row)
        return opened, listed

    def _add_measures(self, row: ClassifiedRow, measures: list[CellItem], opened_heading: bool,
                      listed: dict[str, Node]) -> list[Node]:
        created: list[Node] = []
        positions = row.measure_cell.positions if row.measure_cell is not None else None
        levels = [measure_cell_level(item.marker) for item in measures]
        if levels:
            row.note("levels", " | ".join(f"¶{item.paragraph} {level.describe()}" for item, level in zip(measures, levels)))
        for item, level in zip(measures, levels):
            owner = continued_by(item, created, self.last_measure, self.last_heading, opened_heading)
            if owner is not None:
                owner.lines.extend(item.lines)
                row.note("boundaries", f"continuation {join_lines(item.lines)[:16]!r} joins {owner.label[:24]!r}")
                continue
            node = new_node(item.marker, item.lines, level, row, None, rank=level.rank)
            parallel = listed.get(level.style_key)
            if parallel is not None and level.side == "measure":
                # 執行方法 (1) | 具體作法 (1): a row numbering two columns in parallel; the measure
                # cell's list is a list of its own under the heading column's item.
                node.style_key, node.rank = f"{level.style_key}@measure", parallel.rank + 0.5
            if level.side == "heading":
                self.placer.place(node, row)
                self.last_heading = node
                continue
            row.note("boundaries", f"new measure {node.label[:16]!r}")
            if positions is not None and item.paragraph < len(positions):
                node.position = positions[item.paragraph]
            # an item numbered beside its heading column's item belongs to it, whatever its number
            self.placer.place_measure_item(node, row, relabel=parallel is None)
            created.append(node)
            self.last_measure = node
        return created

    def _finish_pending(self) -> None:
        pending, self.pending = self.pending, None
        if pending is not None:
            self.previous_values = attach_values(pending, self.previous_values, self.row_values_own)

    def add_row(self, row: ClassifiedRow) -> None:
        units, deadlines = row_values(row)
        if row.values_only:
            if self.pending is not None:
                self.pending.units.extend(units)
                self.pending.deadlines.extend(deadlines)
                self.pending.extended = bool(units or deadlines)
                row.note("values", "values-only row: joins the values of the row above")
            return
        items = row_items(row, self.layout)
        opened, listed = self._add_headings(row, items)
        created = self._add_measures(row, items.measures, opened, listed)
        if not created:
            if self.pending is not None and (units or deadlines) and not opened:
                self.pending.units.extend(units)
                self.pending.deadlines.extend(deadlines)
                self.pending.extended = True
            return
        self._finish_pending()
        self.pending = PendingRow(row=row, items=created, units=units, deadlines=deadlines, new_heading=opened)

    def finish(self) -> None:
        self._finish_pending()

    def leaves(self) -> list[Node]:
        """The measures: every leaf on the measure side with text. A table whose
        measure cells hold only heading-numbered items ((一) (二) under 實施項目
        一、, lawmoea-trade-service-fl035467) has those leaves as its measures:
        there the heading style is the measure level, not a strategy above it."""
        measures: list[Node] = []
        numbered_in_cell: list[Node] = []

        def walk(node: Node) -> None:
            for child in node.children:
                if child.children:
                    walk(child)
                elif child.side == "measure" and child.text:
                    measures.append(child)
                elif child.side == "heading" and child.col is None and child.marker is not None and child.text:
                    numbered_in_cell.append(child)

        walk(self.root)
        return measures or numbered_in_cell
