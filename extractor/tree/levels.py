"""Step 2, levels: where an item sits in the numbering, from its marker alone.

壹、 一、 (一) are heading styles wherever they appear (a converter may shift a heading into the measure
column); 1. (1) 甲 a ◎ and unnumbered paragraphs of the measure cell are the measure side. The rank
is the level official documents use the style at (壹、→一、→(一)→1.→(1)→甲→a→◎). An unnumbered
heading has no rank of its own: it sits one half step below the heading it is placed under (step 3)."""

from __future__ import annotations

from dataclasses import dataclass

from normalizers.numbering import Marker

MEASURE_RANK = 99  # an unnumbered paragraph of the measure cell: below every numbered level


@dataclass(frozen=True)
class Level:
    side: str  # "heading" or "measure"
    style_key: str  # items of one style key are siblings
    rank: float | None  # None: relative to the parent (an unnumbered heading)

    def describe(self) -> str:
        return f"{self.side}/{self.style_key}" + (f" rank {self.rank:g}" if self.rank is not None else "")


def heading_cell_level(marker: Marker | None, col: int) -> Level:
    """The level of a fragment of a heading column.

    >>> heading_cell_level(None, 1)
    Level(side='heading', style_key='plain-heading-1', rank=None)
    """
    if marker is None:
        return Level("heading", f"plain-heading-{col}", None)
    return Level("heading" if marker.is_heading_style else "measure", marker.style, marker.rank)


def measure_cell_level(marker: Marker | None) -> Level:
    """The level of an item of the measure cell."""
    if marker is None:
        return Level("measure", "plain-measure", MEASURE_RANK)
    return Level("heading" if marker.is_heading_style else "measure", marker.style, marker.rank)
