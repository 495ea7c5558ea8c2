"""Step 4, measure boundaries: where one measure ends and the next begins.

A numbered item always starts a measure. An unnumbered paragraph of the measure cell continues an
item when the item's sentence is unfinished ("2. 內部效益" + its description; text cut by a page
break), or when it is a line of the same paragraph as the item before it in the cell; else it is a
measure of its own. A strategy cut mid-sentence (long, with a comma, no full stop) is continued by the
next row's unnumbered first paragraph."""

from __future__ import annotations

import re

from extractor.tree.nodes import Node
from extractor.tree.numbering import CellItem

_LONG_HEADING = 25  # only a sentence-long strategy is cut mid-sentence; short names never end in 。


def unfinished_owner(created: list[Node], last_measure: Node | None, last_heading: Node | None,
                     opened_heading: bool) -> Node | None:
    """The item an unnumbered paragraph continues because its sentence is unfinished: the previous
    measure (of this row, else of the rows above), else an unfinished long heading when this row opens
    no heading and has no measure yet."""
    previous = created[-1] if created else last_measure
    if previous is not None and previous.is_unfinished():
        return previous
    heading = last_heading
    if created or opened_heading or heading is None or not heading.is_unfinished():
        return None
    if len(heading.text) >= _LONG_HEADING and re.search(r"[，；,;]", heading.text):
        return heading
    return None


def continued_by(item: CellItem, created: list[Node], last_measure: Node | None, last_heading: Node | None,
                 opened_heading: bool) -> Node | None:
    """The node ``item`` continues, or None when it starts a new item."""
    if item.marker is not None:
        return None
    owner = unfinished_owner(created, last_measure, last_heading, opened_heading)
    if owner is not None:
        return owner
    if not item.starts_paragraph and created:
        return created[-1]
    return None
