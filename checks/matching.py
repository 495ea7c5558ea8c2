"""Finding cue terms in plan text, with spans that map back to the text shown.

Matching runs on a folded, space-free copy of the normalized text (width,
case, 臺/台 and simplified/traditional folded by ``normalizers.text.fold_key``,
one character for one), so 「每3個」+「月至少測試1次」 split by the converter and
「A+ 等級」 written with or without a space match alike, while every hit still
points at the characters a reviewer can quote."""

from __future__ import annotations

import re
import unicodedata
from array import array
from dataclasses import dataclass
from functools import lru_cache

from normalizers.text import fold_key

_ASCII_WORD = re.compile(r"[0-9a-z]")
SENTENCE_END = "。；;！？!?"


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    """One character folded for matching; characters whose fold is not one
    character (NFKC expansions) keep their lower-case form, so offsets hold."""
    if ch.isspace():
        return ""
    folded = fold_key(ch)
    return folded if len(folded) == 1 else ch.lower()


@lru_cache(maxsize=4096)
def fold_term(term: str) -> str:
    return "".join(_fold_char(ch) for ch in term)


@lru_cache(maxsize=1024)
def compile_pattern(pattern: str) -> re.Pattern[str]:
    """A profile's regular expression, its CJK characters folded like the text
    (ASCII is left alone so that escapes such as \\d keep their meaning)."""
    folded = "".join(ch if ch.isascii() else _fold_char(ch) for ch in pattern)
    return re.compile(folded, re.IGNORECASE)


@dataclass(frozen=True)
class Hit:
    """A cue found in a text: its span in the normalized text and the cue."""

    cue: str
    start: int
    end: int


class FoldedText:
    """A normalized text with its folded, space-free matching form."""

    def __init__(self, text: str):
        self.text = text
        table = {ord(ch): _fold_char(ch) for ch in set(text)}
        self.folded = text.translate(table)
        # The offset of every kept character, 4 bytes each: a plan's whole text
        # (200,000 characters for 240 pages) as a list of ints took 7 MB.
        self._positions = array("I", (index for index, ch in enumerate(text) if table[ord(ch)]))
        self._sentence_breaks = [i for i, ch in enumerate(text) if ch in SENTENCE_END]

    def original_range(self, start: int, end: int) -> tuple[int, int]:
        """The offsets in the original text of the folded text's [start, end)."""
        return self._positions[start], self._positions[end - 1] + 1

    def _word_ok(self, start: int, end: int) -> bool:
        """An ASCII cue (LINE, App, FAQ) must not be part of a longer Latin word."""
        folded = self.folded
        if _ASCII_WORD.match(folded[start]) and start > 0 and _ASCII_WORD.match(folded[start - 1]):
            return False
        if _ASCII_WORD.match(folded[end - 1]) and end < len(folded) and _ASCII_WORD.match(folded[end]):
            return False
        return True

    def find(self, terms: tuple[str, ...] = (), patterns: tuple[str, ...] = ()) -> list[Hit]:
        hits: list[Hit] = []
        for term in terms:
            key = fold_term(term)
            if not key:
                continue
            start = self.folded.find(key)
            while start >= 0:
                end = start + len(key)
                if self._word_ok(start, end):
                    hits.append(Hit(term, *self.original_range(start, end)))
                start = self.folded.find(key, start + 1)
        for pattern in patterns:
            for match in compile_pattern(pattern).finditer(self.folded):
                if match.end() > match.start():
                    start, end = self.original_range(match.start(), match.end())
                    # A pattern is no wording to show: the hit names the text it matched.
                    hits.append(Hit(self.text[start:end], start, end))
        return sorted(set(hits), key=lambda hit: (hit.start, -hit.end, hit.cue))

    def sentence_of(self, position: int) -> int:
        """Index of the sentence (split at 。；！？) holding a position."""
        return sum(1 for brk in self._sentence_breaks if brk < position)

    def sentence_span(self, position: int) -> tuple[int, int]:
        before = [brk for brk in self._sentence_breaks if brk < position]
        after = [brk for brk in self._sentence_breaks if brk >= position]
        return (before[-1] + 1 if before else 0), (after[0] + 1 if after else len(self.text))


def without_masked(hits: list[Hit], masks: list[Hit]) -> list[Hit]:
    """Hits that do not overlap a confusable: 「無障礙網頁」 masks its 無障礙 for
    the facilities item, 「電話禮貌標準作業程序」 its 電話禮貌 for the phone test."""
    return [hit for hit in hits if not any(hit.start < mask.end and mask.start < hit.end for mask in masks)]


ELLIPSIS = "…"
_WORD_CHAR = re.compile(r"[0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_DIGIT = re.compile(r"[0-9\uff10-\uff19]")
_NUMBER_JOINERS = ".,:/．，：／"


def _attached(ch: str) -> bool:
    """A character that belongs to the one before it: a combining mark, a
    variation selector (CJK ideographic variants), a zero-width joiner or the
    low half of a surrogate pair."""
    return unicodedata.category(ch) in ("Mn", "Me", "Cs") or ch == "\u200d" or "\ufe00" <= ch <= "\ufe0f" \
        or "\U000e0100" <= ch <= "\U000e01ef"


def _joined(text: str, cut: int) -> bool:
    """Whether cutting ``text`` before index ``cut`` would split a number, a
    Latin word or a character from what belongs to it."""
    if cut <= 0 or cut >= len(text):
        return False
    before, after = text[cut - 1], text[cut]
    if _attached(after) or before == "\u200d" or "\ud800" <= before <= "\udbff":
        return True
    if _WORD_CHAR.match(before) and _WORD_CHAR.match(after):
        return True
    # 1.5, 1,200, 12:30, 112/12/31: a separator between digits is part of the number.
    if before in _NUMBER_JOINERS and _DIGIT.match(after) and cut >= 2 and _DIGIT.match(text[cut - 2]):
        return True
    return _DIGIT.match(before) is not None and after in _NUMBER_JOINERS and cut + 1 < len(text) \
        and _DIGIT.match(text[cut + 1]) is not None


def _cut_left(text: str, cut: int) -> int:
    while _joined(text, cut):
        cut -= 1
    return cut


def _cut_right(text: str, cut: int) -> int:
    while _joined(text, cut):
        cut += 1
    return cut


def clip(text: str, limit: int) -> str:
    """``text`` shortened to about ``limit`` characters, ending in "…" when
    cut, never inside a number, a Latin word or a character's marks."""
    text = text.strip()
    if len(text) <= limit:
        return text
    return text[:_cut_right(text, limit)].rstrip() + ELLIPSIS


def quote_around(text: str, start: int, end: int, limit: int = 90) -> str:
    """The sentence around a span, shortened to about ``limit`` characters;
    a side cut inside the sentence gets "…", and no cut splits a number, a
    Latin word or a character from its marks."""
    folded = FoldedText(text)
    sentence_left, _ = folded.sentence_span(start)
    _, sentence_right = folded.sentence_span(max(start, end - 1))
    left, right = sentence_left, sentence_right
    if right - left > limit:
        # Keep a little context after the cue: 「ODF」 reads better as 「ODF 文書格式」.
        pad = max(12, (limit - (end - start)) // 2)
        left, right = _cut_left(text, max(left, start - pad)), _cut_right(text, min(right, end + pad))
    quote = text[left:right].strip()
    if not quote:
        return quote
    if left > sentence_left and text[sentence_left:left].strip():
        quote = ELLIPSIS + quote
    if right < sentence_right and text[right:sentence_right].strip():
        quote += ELLIPSIS
    return quote
