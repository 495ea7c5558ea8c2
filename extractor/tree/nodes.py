"""What the tree steps exchange: a row sorted by role (from extractor.rows) and the tree's nodes."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from extractor.elements import Cell
from normalizers.numbering import Marker
from normalizers.text import join_lines

_TERMINAL = re.compile(r"[。；;！？!?]\s*$|[)）」』]\s*[。；]?\s*$")

# Creation order of nodes: a list continued across headings goes back to an earlier heading only.
_counter = itertools.count()

STEPS = ("columns", "numbering", "levels", "parents", "boundaries", "values")


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


def root_node() -> Node:
    return Node(marker=None, lines=[], side="heading", style_key="root", rank=0)


@dataclass
class ClassifiedRow:
    """A table row with its cells sorted by role (see rows.py), and what each step decided about it
    (``plancheck debug`` shows them step by step)."""

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
    steps: dict[str, list[str]] = field(default_factory=dict)

    @property
    def values_only(self) -> bool:
        return not self.heading_cells and self.measure_cell is None

    def note(self, step: str, text: str) -> None:
        """Record a decision of one step (one of STEPS)."""
        self.steps.setdefault(step, []).append(text)

    @property
    def decisions(self) -> list[str]:
        """Every decision, step by step."""
        return [text for step in STEPS for text in self.steps.get(step, [])]
