"""Stacked units and deadlines: one cell holding the values of several items.

A units cell such as ``業務組 北客服 業務組 業務組`` beside four items, or
``<p>業務組 總務組</p> <p>業務組 總務組 業務組</p>`` beside three, is split into
one group per item. Paragraphs are hard boundaries; inside a paragraph a unit
name that repeats starts the next item's group (an item does not name a unit
twice). When no reading gives one group per item the cell is ambiguous: every
item gets all of the cell's units and is flagged uncertain."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s、，,/／;；]+")


def unit_tokens(paragraphs: list[list[str]]) -> list[list[str]]:
    """Unit names per paragraph of a units cell."""
    result = []
    for lines in paragraphs:
        tokens = [token for token in _SEPARATORS.split(" ".join(lines)) if token]
        if tokens:
            result.append(tokens)
    return result


def _greedy_groups(tokens: list[str]) -> list[list[str]]:
    groups: list[list[str]] = [[]]
    for token in tokens:
        if token in groups[-1]:
            groups.append([])
        groups[-1].append(token)
    return groups


def _dedupe(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def align_units(paragraphs: list[list[str]], n_items: int) -> tuple[list[list[str]], bool]:
    """One unit list per item, and whether the alignment is uncertain.

    >>> align_units([["業務組", "北客服", "業務組", "業務組"]], 4)
    ([['業務組'], ['北客服'], ['業務組'], ['業務組']], False)
    >>> align_units([["全體同仁"]], 3)
    ([['全體同仁'], ['全體同仁'], ['全體同仁']], False)
    """
    if n_items == 0:
        return [], False
    tokens = [token for paragraph in paragraphs for token in paragraph]
    if not tokens:
        return [[] for _ in range(n_items)], False
    if n_items == 1:
        return [_dedupe(tokens)], False
    groups = [group for paragraph in paragraphs for group in _greedy_groups(paragraph)]
    if len(groups) == 1:
        return [list(groups[0]) for _ in range(n_items)], False
    if len(groups) == n_items:
        return groups, False
    if len(tokens) == n_items:
        return [[token] for token in tokens], False
    union = _dedupe(tokens)
    return [list(union) for _ in range(n_items)], True


_DEADLINE_WORD = re.compile(
    r"^(持續|隨時|配合|每年|每季|每月|每週|每半年|定期|不定期|長期|常態|全年|上半年|下半年|年底|年中|即日起)"
    r"|(前|止|底|完成|辦理|作業|年度|月)$"
)


def looks_like_deadline(text: str) -> bool:
    text = text.strip()
    return bool(text) and len(text) <= 20 and bool(_DEADLINE_WORD.search(text))


def deadline_values(paragraphs: list[list[str]]) -> list[str]:
    """The deadlines of a deadline cell: one per paragraph, and a paragraph of
    several space-separated deadlines ("持續辦理 持續辦理") split into them."""
    values: list[str] = []
    for lines in paragraphs:
        text = "".join(lines) if all(len(line) < 6 for line in lines) else " ".join(lines)
        pieces = text.split()
        if len(pieces) > 1 and all(looks_like_deadline(piece) for piece in pieces):
            values.extend(pieces)
        elif text.strip():
            values.append(text.strip())
    return values


def align_deadlines(values: list[str], n_items: int) -> tuple[list[str | None], bool]:
    """One deadline per item, and whether the alignment is uncertain (then each
    item gets the cell's distinct values joined with 、)."""
    if n_items == 0:
        return [], False
    if not values:
        return [None] * n_items, False
    distinct = _dedupe(values)
    if len(distinct) == 1:
        return [distinct[0]] * n_items, False
    if len(values) == n_items:
        return list(values), False
    return ["、".join(distinct)] * n_items, True
