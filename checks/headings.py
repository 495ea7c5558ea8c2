"""Matching a plan's headings against a framework's dimension and sub-item
names. Headings come as written — with markers (一、, (一)), converter cuts
(「四、」 … 「的創新整合」) and variant wording (服務一致及正確性)."""

from __future__ import annotations

from checks.frameworks import Dimension, Framework, SubItem
from checks.matching import fold_term
from normalizers.numbering import parse_marker

MIN_PARTIAL = 4  # a cut heading must keep at least this many characters to match a name


def heading_key(heading: str) -> str:
    """A heading without its markers, folded for comparison."""
    rest = heading
    for _ in range(3):
        marker, stripped = parse_marker(rest)
        if marker is None:
            break
        rest = stripped
    return fold_term(rest.strip("：: "))


def names_match(heading: str, names: list[str]) -> str | None:
    """The first name the heading names: equal, containing it, or a cut piece of it."""
    key = heading_key(heading)
    if not key:
        return None
    for name in names:
        folded = fold_term(name)
        if key == folded or folded in key or (len(key) >= MIN_PARTIAL and key in folded):
            return name
    return None


def match_dimension(heading: str, framework: Framework) -> tuple[Dimension, str] | None:
    for scheme in framework.schemes:
        for dimension in scheme.dimensions:
            if name := names_match(heading, dimension.names):
                return dimension, name
    return None


def match_sub_item(headings: list[str], dimension: Dimension) -> tuple[SubItem, str, str] | None:
    """(sub-item, matched name, heading) of the first heading that names one."""
    for heading in headings:
        for sub in dimension.sub_items:
            if name := names_match(heading, sub.names):
                return sub, name, heading
    return None
