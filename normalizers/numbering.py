"""Numbering markers of Taiwanese official documents: 壹、 一、 (一) 1. (1) 甲、 a. ◎ 1-1, and as agencies
also write them: 構面一 / 構面1, ㄧ、 typed with the bopomofo letter, "一 " without 、 (at a paragraph
start), Ⅰ. Roman numerals, A. (A), ※ □ • and "- " bullets.

A marker has a style (which list it belongs to), a value (its number, None for
bullets) and a canonical rank: the level at which official documents use that
style (公文 numbering: 壹、→一、→(一)→1.→(1)→甲→a→◎).

Lines cut by a hard wrap may start with a number that is not a marker ("102 年底…", "三十日;…"); the
markers are narrow enough to leave those alone, and ``starts_item`` tells a wrapped line that starts
with a marker-like token inside a sentence from a new item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100}
FORMAL_DIGITS = {"壹": 1, "貳": 2, "參": 3, "叁": 3, "肆": 4, "伍": 5, "陸": 6, "柒": 7, "捌": 8, "玖": 9}
FORMAL_UNITS = {"拾": 10, "佰": 100}
HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
BULLETS = "◎●○■□◆◇★☆▲►▶➢➤•▪※☐"
ROMAN = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ"
# ㄧ (bopomofo yi) typed for 一: the same glyph in most fonts.
_LOOKALIKES = str.maketrans({"ㄧ": "一"})


def chinese_numeral(text: str) -> int:
    """Value of a Chinese numeral up to the hundreds: 二十一 → 21, 一百零五 → 105,
    一一二 → 112 (digit by digit), 拾壹 → 11.

    Raises ValueError for text that is not a numeral."""
    if not text:
        raise ValueError("empty numeral")
    digits = {**CN_DIGITS, **FORMAL_DIGITS}
    units = {**CN_UNITS, **FORMAL_UNITS}
    if any(ch not in digits and ch not in units for ch in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if all(ch in digits for ch in text):
        if len(text) == 1:
            return digits[text]
        # Digit-by-digit form used for years: 一一二 → 112.
        return int("".join(str(digits[ch]) for ch in text))
    total, current = 0, 0
    for ch in text:
        if ch in digits:
            current = digits[ch]
        else:
            total += (current or 1) * units[ch]
            current = 0
    return total + current


# A number as plans write it in running text: 3, １２, 三, 十二, 一一二.
NUMBER = r"\d{1,4}|[〇零一二兩三四五六七八九十百]{1,5}"


def read_number(token: str) -> int:
    """Value of an Arabic (any width) or Chinese number token.

    >>> [read_number(t) for t in ("3", "１２", "兩", "二十一", "一一二")]
    [3, 12, 2, 21, 112]
    """
    token = token.strip()
    if token.isdigit():
        return int(token)
    return chinese_numeral(token)


@dataclass(frozen=True)
class Marker:
    style: str
    value: int | None
    raw: str
    rank: int

    @property
    def is_heading_style(self) -> bool:
        """壹、 一、 (一): the styles official documents use for headings, never for
        the concrete measures of a plan."""
        return self.rank <= 3


_CN = "〇零一二三四五六七八九十百兩"
_FORMAL = "壹貳參叁肆伍陸柒捌玖拾佰"
_OPEN = r"[(（]"
_CLOSE = r"[)）]"

# (style, rank, pattern, how to read the value). Order matters: longer forms first.
_PATTERNS: list[tuple[str, int, re.Pattern[str], str]] = [
    # 構面一、優質便民服務 / 構面1(400分): the award framework's dimensions, the top of a plan's tree
    ("構面", 1, re.compile(rf"構面\s*([{_CN}]{{1,3}}|\d{{1,2}})(?:\s*[、.．:：]|\s+|(?=[(（]))"), "cn_or_int"),
    ("壹", 1, re.compile(rf"([{_FORMAL}]+)\s*[、.．]"), "cn"),
    ("(一)", 3, re.compile(rf"{_OPEN}\s*([{_CN}]+)\s*{_CLOSE}\s*[、.．]?"), "cn"),
    ("一", 2, re.compile(rf"([{_CN}]+)\s*[、．]"), "cn"),
    ("(1)", 5, re.compile(rf"{_OPEN}\s*(\d{{1,3}})\s*{_CLOSE}\s*[、.．]?"), "int"),
    ("1-1", 5, re.compile(r"(\d{1,2}-\d{1,2})(?=[\s\u3400-\u9fff])"), "dash"),
    ("1", 4, re.compile(r"(\d{1,3})\s*(?:[.．](?![\d.．])|、|\s*[)）](?!\d))"), "int"),
    ("甲", 6, re.compile(rf"([{HEAVENLY_STEMS}])\s*[、.．]"), "stem"),
    ("(a)", 7, re.compile(rf"{_OPEN}([a-zA-Z]){_CLOSE}"), "latin"),
    ("a", 6, re.compile(r"([a-zA-Z])\s*[.．](?![a-zA-Z0-9])"), "latin"),
    ("Ⅰ", 4, re.compile(rf"([{ROMAN}])\s*[.．、]?"), "roman"),
    ("①", 7, re.compile(rf"([{CIRCLED}])\s*"), "circled"),
    ("◎", 8, re.compile(rf"([{BULLETS}])\s*"), "bullet"),
    ("-", 8, re.compile(r"([-－])\s+(?=\S)"), "bullet"),
]


def _value(kind: str, token: str) -> int | None:
    if kind == "cn":
        return chinese_numeral(token)
    if kind == "int":
        return int(token)
    if kind == "dash":
        return int(token.split("-")[1])
    if kind == "stem":
        return HEAVENLY_STEMS.index(token) + 1
    if kind == "latin":
        return ord(token.lower()) - ord("a") + 1
    if kind == "circled":
        return CIRCLED.index(token) + 1
    if kind == "roman":
        return ROMAN.index(token) + 1
    if kind == "cn_or_int":
        return int(token) if token.isdigit() else chinese_numeral(token)
    return None


def _is_positional_numeral(token: str) -> bool:
    """一, 十二, 二十一, 一百零五: how lists count. Digit-by-digit strings
    (一一二) write years and codes, never list markers."""
    has_unit = any(ch in CN_UNITS or ch in FORMAL_UNITS for ch in token)
    return len(token) <= 5 and (len(token) == 1 or has_unit)


# "2 網站資訊檢索服務": a number and a space at the start of a paragraph, dot
# lost in conversion. Only trusted at a paragraph start, and not before the
# counters that follow numbers in running text (年, 月, 次, 個 …).
_LENIENT_ARABIC = re.compile(r"(\d{1,2})\s+(?=[\u4e00-\u9fff])(?![年月日次個件人分時項種歲週周天名])")
# "一 共同措施:": a Chinese numeral and a space, 、 left out; the same caution.
_LENIENT_CHINESE = re.compile(r"([一二三四五六七八九十]{1,3})[ \u3000]+(?=[\u4e00-\u9fff])(?![年月日次個件人分時項種歲週周天名位級期])")


def parse_marker(text: str, lenient: bool = False) -> tuple[Marker | None, str]:
    """Split a leading numbering marker from text.

    Returns (marker, rest) with rest stripped, or (None, text) when text does not
    start with a marker. ``lenient`` also accepts a bare number followed by a
    space, for the start of a paragraph.

    >>> parse_marker("(一) 服務一致及正確性")
    (Marker(style='(一)', value=1, raw='(一)', rank=3), '服務一致及正確性')
    """
    original = text.lstrip()
    # Markers are matched on the text with look-alike letters read as digits (same lengths), and
    # reported as written.
    stripped = original[:12].translate(_LOOKALIKES) + original[12:]
    for style, rank, pattern, kind in _PATTERNS:
        match = pattern.match(stripped)
        if not match:
            continue
        rest = original[match.end():]
        if kind == "cn" and not _is_positional_numeral(match.group(1)):
            continue
        if style == "a" and rest[:1].isascii() and rest[:1].isalpha():
            continue  # "e.g." and Latin words, not a list
        try:
            value = _value(kind, match.group(1))
        except ValueError:
            continue
        raw = original[:match.end()].strip()
        if kind == "bullet":
            inner, inner_rest = parse_marker(rest)
            if inner is not None and inner.value is not None:
                # "• 十一、職務代理人…", "•肆、 計畫內容": a web page's list bullet before the author's number
                return inner, inner_rest
        return Marker(style=style, value=value, raw=raw, rank=rank), rest.strip()
    if lenient and (match := _LENIENT_ARABIC.match(stripped)):
        return Marker(style="1", value=int(match.group(1)), raw=match.group(1), rank=4), original[match.end():].strip()
    if lenient and (match := _LENIENT_CHINESE.match(stripped)) and _is_positional_numeral(match.group(1)):
        return (Marker(style="一", value=chinese_numeral(match.group(1)), raw=original[:len(match.group(1))], rank=2),
                original[match.end():].strip())
    return None, text


# Where an item may start inside running text: after a space or a sentence end.
_INLINE_START = re.compile(r"(?:(?<=\s)|(?<=[。；;：:！？]))(?=[(（\d甲乙丙丁戊己庚辛壬癸a-zA-Z一二三四五六七八九十ㄧ壹貳參叁肆伍陸柒捌玖拾◎●○■◆①-⑳Ⅰ-Ⅻ])")


def split_items(text: str) -> list[tuple[Marker | None, str]]:
    """Split a paragraph in which several numbered items run together
    ("(1)提供整合服務。 (2)簡化申辦流程") into (marker, text) pairs.

    An inline marker only starts a new item when it continues a list already
    seen in this paragraph (the next number of that style) or starts a new one
    at 1, so numbers inside sentences ("每 3 個月", "Web 2.0") are left alone."""
    first_marker, first_rest = parse_marker(text, lenient=True)
    items: list[list] = [[first_marker, first_rest if first_marker else text.strip()]]
    last_value: dict[str, int | None] = {}
    if first_marker:
        last_value[first_marker.style] = first_marker.value

    pieces: list[tuple[Marker, int, int]] = []
    body = items[0][1]
    for match in _INLINE_START.finditer(body):
        marker, _ = parse_marker(body[match.start():])
        if marker is None:
            continue
        pieces.append((marker, match.start(), match.start() + len(marker.raw)))

    accepted: list[tuple[Marker, int, int]] = []
    for marker, start, end in pieces:
        if not accepted and first_marker is None and re.search(r"[。；;]\s*$", body[:start]):
            # A paragraph that finishes the previous page's item ("…妥適安全。 (8) 定期…")
            # continues a list begun before it, whatever its number.
            accepted.append((marker, start, end))
            last_value[marker.style] = marker.value
            continue
        if accepted and start < accepted[-1][2]:
            continue
        expected = last_value.get(marker.style)
        continues_list = marker.value is not None and expected is not None and marker.value == expected + 1
        starts_list = marker.style not in last_value and (marker.value == 1 or marker.value is None)
        repeats_bullet = marker.value is None and marker.style in last_value
        if continues_list or starts_list or repeats_bullet:
            accepted.append((marker, start, end))
            last_value[marker.style] = marker.value

    if not accepted:
        return [(first_marker, items[0][1])]
    result: list[tuple[Marker | None, str]] = [(first_marker, body[: accepted[0][1]].strip())]
    for index, (marker, _start, end) in enumerate(accepted):
        stop = accepted[index + 1][1] if index + 1 < len(accepted) else len(body)
        result.append((marker, body[end:stop].strip()))
    if not result[0][1] and result[0][0] is None:
        result.pop(0)
    return result


_SENTENCE_END = re.compile(r"[。；;：:！？!?」』)）]\s*$")


def fits_list(marker: Marker, open_lists: dict[str, int | None]) -> bool:
    """Whether a marker continues a list already open (the next number of its style), starts a list at
    1 (a new one, or the same style again: lists restart inside one block) or repeats a bullet."""
    if marker.value is None or marker.value == 1:
        return True
    last = open_lists.get(marker.style)
    return last is not None and marker.value == last + 1


def starts_item(line: str, previous: str | None, open_lists: dict[str, int | None]) -> bool:
    """Whether ``line`` opens a new item rather than continuing ``previous`` across a hard wrap.

    A line without a marker never does. After a finished line (a sentence end, or no line before) a
    marker does; after a line cut mid-sentence only a marker that fits a list does (``fits_list``),
    so "…於每年\n2、3月份辦理" stays one sentence while "6. 地價業務\n7. 地用業務" is two items.

    >>> starts_item("2、3月份辦理說明會", "於每年", {})
    False
    >>> starts_item("7. 地用業務及公地租用等業務。", "6. 地價業務", {"1": 6})
    True
    """
    marker, _ = parse_marker(line, lenient=True)
    if marker is None:
        return False
    if previous is None or not previous.strip() or _SENTENCE_END.search(previous):
        return True
    return fits_list(marker, open_lists)
