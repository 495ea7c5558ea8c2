"""PDF chars into text lines: the one place that knows how glyphs make words.

Upright chars are grouped by baseline band and read left to right; vertical
text — glyphs turned 90°, or CJK set one under the other — is read down or up
its columns. Spaces: a space char the PDF carries is one, a visible gap
between Latin words or numbers is one, and between CJK chars neither is."""

from __future__ import annotations

import statistics
from dataclasses import dataclass


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


def is_cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef" or "\u3000" <= ch <= "\u303f"


def chars_to_lines(chars: list[dict]) -> list[Line]:
    """Text lines of a set of chars: upright chars grouped by baseline band;
    vertical text — rotated chars, or CJK set one under the other — by column,
    each column read in its direction and neighbouring columns joined."""
    upright = [c for c in chars if c.get("upright", True) and c["text"]]
    rotated = [c for c in chars if not c.get("upright", True) and c["text"].strip()]
    bands = _bands(upright, across="top", along="x0")
    if _set_vertically(bands):
        rotated += [c for c in upright if c["text"].strip()]
        bands = []
    lines = [_line_of(group, horizontal=True) for group in bands if any(c["text"].strip() for c in group)]
    lines += [_line_of(group, horizontal=False) for group in _vertical_runs(rotated)]
    lines.sort(key=lambda line: (round(line.top), line.x0))
    return lines


def _set_vertically(bands: list[list[dict]]) -> bool:
    """Upright CJK written top to bottom (a 執行策略 cell set vertically): most
    "lines" are a single char, one under the other."""
    texts = [band for band in bands if any(c["text"].strip() for c in band)]
    single = sum(1 for band in texts if len([c for c in band if c["text"].strip()]) == 1)
    return len(texts) >= 3 and single >= 0.6 * len(texts)


def _vertical_runs(chars: list[dict]) -> list[list[dict]]:
    """Vertical text in reading order: columns of chars, each read top to
    bottom, or bottom to top where the glyphs are turned that way (text
    rotated 90° anticlockwise), and adjacent columns of one text joined (right
    to left for top-to-bottom text, left to right for bottom-to-top)."""
    runs: list[tuple[list[dict], bool]] = []  # (chars in reading order, read upward)
    previous: list[dict] | None = None
    for column in _bands(chars, across="x0", along="top"):
        turned = [c for c in column if not c.get("upright", True) and c.get("matrix")]
        upward = sum(1 for c in turned if c["matrix"][1] > 0) > len(turned) / 2
        column = column[::-1] if upward else column
        size = column[0].get("size") or 10
        if previous is not None and runs[-1][1] == upward and _overlaps(previous, column) \
                and column[0]["x0"] - previous[0]["x1"] <= 1.5 * size:
            run = runs[-1][0]
            runs[-1] = (run + column if upward else column + run, upward)
        else:
            runs.append((column, upward))
        previous = column
    return [run for run, _ in runs]


def _overlaps(a: list[dict], b: list[dict]) -> bool:
    return min(c["top"] for c in a) < max(c["bottom"] for c in b) and min(c["top"] for c in b) < max(c["bottom"] for c in a)


def _bands(chars: list[dict], across: str, along: str) -> list[list[dict]]:
    """Chars grouped into bands by one coordinate, each band read along the other."""
    bands: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: (round(c[across]), c[along])):
        size = char.get("size") or (char["bottom"] - char["top"]) or 10
        if bands and abs(bands[-1][0][across] - char[across]) <= size * 0.5:
            bands[-1].append(char)
        else:
            bands.append([char])
    return [sorted(band, key=lambda c: c[along]) for band in bands]


def _line_of(chars: list[dict], horizontal: bool) -> Line:
    """One line of text. A space char the PDF carries is a space; otherwise a
    visible gap between Latin words or numbers is one. Between CJK chars
    neither is: it is layout."""
    parts: list[str] = []
    previous = None
    spaced = False
    for char in chars:
        if not char["text"].strip():
            spaced = previous is not None
            continue
        if previous is not None:
            if horizontal:
                gap = char["x0"] - previous["x1"]
            else:  # down the column, or up it
                gap = max(char["top"] - previous["bottom"], previous["top"] - char["bottom"])
            size = char.get("size") or 10
            if (spaced or gap > size * 0.25) and not (is_cjk(previous["text"][-1]) and is_cjk(char["text"][0])):
                parts.append(" ")
        parts.append(char["text"])
        previous = char
        spaced = False
    chars = [char for char in chars if char["text"].strip()]
    sizes = [char.get("size") or 10 for char in chars]
    return Line(
        text="".join(parts).strip(),
        x0=min(c["x0"] for c in chars), x1=max(c["x1"] for c in chars),
        top=min(c["top"] for c in chars), bottom=max(c["bottom"] for c in chars),
        size=statistics.median(sizes),
    )
