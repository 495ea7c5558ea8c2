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
    """Unit names per paragraph of a units cell. Lines are names typed under
    each other, except a fragment of one or two chars after a line that does
    not end with a separator: the rest of a name the column wrapped
    ("業務組、北" / "客服").

    >>> unit_tokens([["業務組", "北客服"], ["業務組、北", "客服"]])
    [['業務組', '北客服'], ['業務組', '北客服']]
    """
    result = []
    for lines in paragraphs:
        text = ""
        for line in (line.strip() for line in lines):
            glued = text and len(line) <= 2 and not _SEPARATORS.search(text[-1]) and not _SEPARATORS.search(line)
            text = text + line if glued else f"{text} {line}"
        tokens = [token for token in _SEPARATORS.split(text) if token]
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
        if len(lines) > 1 and all(len(line.strip()) >= 3 and looks_like_deadline(line) for line in lines):
            values.extend(line.strip() for line in lines)  # one per line, typed under each other
            continue
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


_SAME_LINE = 3.0  # points: paragraphs side by side start within this of each other


def _level(a: tuple[int, float], b: tuple[int, float]) -> bool:
    return a[0] == b[0] and abs(a[1] - b[1]) <= _SAME_LINE


def band_groups(item_tops: list[tuple[int, float]], value_tops: list[tuple[int, float]]) -> list[list[int]] | None:
    """For each item, the values cell paragraphs on its line band, or None when
    the layout does not show bands and values are to be aligned by count.

    Positions are (page, top). A value belongs to the last item starting at or
    above it. The layout shows bands when every value starts level with an
    item (a blank beside an item means it has none), or when each item's band
    opens with a value level with it (the extra ones are stacked beneath, a
    second unit under the first). Values simply stacked from the top of the
    cell, one per item, show neither and stay with count alignment.

    >>> band_groups([(1, 100.0), (1, 140.0), (1, 170.0)], [(1, 100.5), (1, 170.0)])
    [[0], [], [1]]
    >>> band_groups([(1, 100.0), (1, 140.0)], [(1, 100.0), (1, 112.0), (1, 140.0)])
    [[0, 1], [2]]
    >>> band_groups([(1, 100.0), (1, 140.0)], [(1, 100.0), (1, 112.0)]) is None
    True
    """
    if len(value_tops) < 2 or any(b <= a for a, b in zip(item_tops, item_tops[1:])):
        return None
    groups: list[list[int]] = [[] for _ in item_tops]
    for index, top in enumerate(value_tops):
        owner = 0
        for item, item_top in enumerate(item_tops):
            if item_top <= top or _level(item_top, top):
                owner = item
        groups[owner].append(index)
    all_level = all(any(_level(item_top, top) for item_top in item_tops) for top in value_tops)
    each_opens = all(group and _level(item_tops[item], value_tops[group[0]]) for item, group in enumerate(groups))
    return groups if all_level or each_opens else None
