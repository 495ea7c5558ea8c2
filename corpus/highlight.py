"""Snippets with highlights on the text as written.

The index only holds folded text, so FTS5's own snippet() would show
Simplified, width-folded characters. Here each character of the original is
folded alone, the query's folded needles are found in that folded string, and
the spans are mapped back onto the original characters.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from normalizers.text import fold_key


@lru_cache(maxsize=65536)
def _fold_char(ch: str) -> str:
    return fold_key(ch)


def folded_with_map(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each folded character, the index of the original
    character it came from (whitespace is dropped, as fold_key drops it)."""
    out: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        piece = _fold_char(ch)
        out.append(piece)
        origin.extend([index] * len(piece))
    return "".join(out), origin


def find_spans(text: str, needles: list[str]) -> list[tuple[int, int]]:
    """Merged [start, end) spans of the original text that match any folded needle.

    >>> find_spans("注重電話禮貌，不定期進行禮貌測試", ["礼貌"])
    [(4, 6), (12, 14)]
    >>> find_spans("臺北市", ["台北"])
    [(0, 2)]
    """
    folded, origin = folded_with_map(text)
    spans: list[tuple[int, int]] = []
    for needle in needles:
        needle = "".join(needle.split())
        if not needle:
            continue
        start = folded.find(needle)
        while start >= 0:
            end = start + len(needle)
            spans.append((origin[start], origin[end - 1] + 1))
            start = folded.find(needle, start + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


@dataclass(frozen=True)
class Snippet:
    """A window of the original text as (text, highlighted) parts."""

    parts: tuple[tuple[str, bool], ...]
    leading: bool  # text was cut before the window
    trailing: bool  # text was cut after the window
    spans: tuple[tuple[int, int], ...] = ()  # every match in the whole text, [start, end)

    def marked(self, open_mark: str = "<mark>", close_mark: str = "</mark>", escape=lambda s: s) -> str:
        body = "".join(open_mark + escape(t) + close_mark if hit else escape(t) for t, hit in self.parts)
        return ("…" if self.leading else "") + body + ("…" if self.trailing else "")

    @property
    def plain(self) -> str:
        return self.marked("", "")


def _best_window(spans: list[tuple[int, int]], length: int, width: int) -> tuple[int, int]:
    """The window of ``width`` characters covering the most highlighted spans,
    starting a little before the first of them."""
    if length <= width or not spans:
        return 0, min(length, width)
    best_start, best_count = 0, -1
    for start, _ in spans:
        window_start = max(0, min(start - width // 5, length - width))
        count = sum(1 for s, e in spans if s >= window_start and e <= window_start + width)
        if count > best_count:
            best_start, best_count = window_start, count
    return best_start, best_start + width


def make_snippet(text: str, needles: list[str], width: int = 90) -> Snippet:
    """The part of ``text`` around the matches, matches marked.

    >>> make_snippet("注重電話禮貌", ["电话"]).marked("[", "]")
    '注重[電話]禮貌'
    """
    spans = find_spans(text, needles)
    start, end = _best_window(spans, len(text), width)
    parts: list[tuple[str, bool]] = []
    cursor = start
    for s, e in spans:
        s, e = max(s, start), min(e, end)
        if s >= e:
            continue
        if s > cursor:
            parts.append((text[cursor:s], False))
        parts.append((text[s:e], True))
        cursor = e
    if cursor < end:
        parts.append((text[cursor:end], False))
    return Snippet(parts=tuple(parts), leading=start > 0, trailing=end < len(text), spans=tuple(spans))
