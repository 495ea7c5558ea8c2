"""Step 5, values: units, deadlines and benefits put beside the measures of their row.

A row's values cells hold the values of the row's top items (the items whose parent is not also in the
row). They are paired item by item on the same line band where the reader knows where each paragraph
sits (PDF), else by count (extractor.align); a values-only row below adds to the values of the row
above; the first row of a page under a merged values cell, or a row under a vertically merged cell,
has the values of the row above (extractor.continuation.carries_values)."""

from __future__ import annotations

from dataclasses import dataclass

from extractor.align import align_deadlines, align_units, band_groups, deadline_values, unit_tokens
from extractor.continuation import carries_values, rejoin_cut_value
from extractor.elements import Cell
from extractor.tree.nodes import ClassifiedRow, Node
from normalizers.text import join_lines

Values = tuple[list[list[str]], list[str]]  # (unit tokens per paragraph, deadlines)


@dataclass
class PendingRow:
    """A row whose measures wait for their values: values-only rows below may add to them."""

    row: ClassifiedRow
    items: list[Node]
    units: list[list[str]]
    deadlines: list[str]
    new_heading: bool
    extended: bool = False  # values-only rows below added to its values


def row_values(row: ClassifiedRow) -> Values:
    units = unit_tokens(row.units_cell.paragraphs) if row.units_cell else []
    deadlines = deadline_values(row.deadline_cell.paragraphs) if row.deadline_cell else []
    return units, deadlines


def bands_of(cell: Cell | None, items: list[Node]) -> list[list[list[str]]] | None:
    """Per item, the paragraphs of the values cell on its line band, where the reader knows where each
    paragraph sits (PDF) and the layout shows bands; None for alignment by count."""
    tops = [node.position for node in items]
    if cell is None or cell.positions is None or len(cell.positions) != len(cell.paragraphs) \
            or len(items) < 2 or None in tops:
        return None
    groups = band_groups(tops, cell.positions)
    if groups is None:
        return None
    return [[cell.paragraphs[index] for index in group] for group in groups]


def top_items(items: list[Node], own_values: bool = False) -> list[Node]:
    """The row's items that take values: those whose parent is neither in the row nor already aligned.
    A row with values of its own gives them to its items even under an aligned parent: a table
    flattened one cell per line puts a spanning sub-heading in the row of its first child only, and
    every later child row carries its own units and deadline."""
    in_row = set(map(id, items))
    return [node for node in items
            if id(node.parent) not in in_row and (own_values or not (node.parent and node.parent.aligned))]


def _unit_groups(pending: PendingRow, top: list[Node], units: list[list[str]]) -> tuple[list[list[str]], bool]:
    row = pending.row
    unit_bands = None if pending.extended else bands_of(row.units_cell, top)
    if unit_bands is not None:
        row.note("values", "units aligned by line band")
        # a band's lines are read together: a name wrapped over a page break is whole again
        return [list(dict.fromkeys(token for tokens in unit_tokens([sum(band, [])]) for token in tokens))
                for band in unit_bands], False
    cut = None if pending.extended else rejoin_cut_value(row.units_cell, len(top))
    return align_units(unit_tokens(cut) if cut else units, len(top))


def _deadline_list(pending: PendingRow, top: list[Node], deadlines: list[str]) -> tuple[list[str | None], bool]:
    row = pending.row
    deadline_bands = None if pending.extended else bands_of(row.deadline_cell, top)
    if deadline_bands is not None:
        row.note("values", "deadlines aligned by line band")
        return ["、".join(dict.fromkeys(deadline_values(band))) or None for band in deadline_bands], False
    cut = None if pending.extended else rejoin_cut_value(row.deadline_cell, len(top))
    return align_deadlines(deadline_values(cut) if cut else deadlines, len(top))


def attach_values(pending: PendingRow, previous: Values, row_values_own: bool = False) -> Values:
    """Give the pending row's top items their units, deadline and benefit; returns the values the next
    row inherits. ``row_values_own``: the rows' values cells belong to the row's items even under an
    aligned parent (see top_items)."""
    units, deadlines = pending.units, pending.deadlines
    row = pending.row
    top = top_items(pending.items, own_values=row_values_own and bool(units or deadlines))
    carry = carries_values(row.continues_page, pending.new_heading)
    if not units and (carry or row.inherit_units):
        units = previous[0]
    if not deadlines and (carry or row.inherit_deadline):
        deadlines = previous[1]
    unit_groups, uncertain = _unit_groups(pending, top, units)
    deadline_list, deadline_uncertain = _deadline_list(pending, top, deadlines)
    for node, group, deadline in zip(top, unit_groups, deadline_list):
        node.units = group if units else None
        node.units_uncertain = uncertain
        node.deadline = deadline
        node.aligned = bool(units or deadlines)
    benefit_cell = row.benefit_cell
    if benefit_cell is not None and not benefit_cell.is_empty:
        paragraphs = [join_lines(lines) for lines in benefit_cell.paragraphs]
        for index, node in enumerate(top):
            node.benefit = paragraphs[index] if len(paragraphs) == len(top) else "\n".join(paragraphs)
    row.note("values", f"values: {len(top)} item(s) ← units {units} deadlines {deadlines}"
             + (" (uncertain)" if uncertain or deadline_uncertain else ""))
    return units or previous[0], deadlines or previous[1]
