"""Frequencies stated in measure text, as times per year.

Mandated items set bars in times per year (a phone-courtesy test at least every
3 months = 4 a year), and plans state them in a dozen ways: 每3個月至少1次,
每季, 逐季, 上、下半年各1次, 於6月、12月各進行考核1次, 年度內至少1次, 至少2次.
Each frequency comes back with the exact span that states it, because a plan
often has several in one measure ("透過電話互測…及年度 2 次禮貌人員選拔": the
2 belongs to the election, not the phone test) and only the checks stage knows
which subject a span belongs to.

Counts with no period of their own (至少2次, 年度內至少1次) are per plan year.
A count later in the same sentence counts per the period stated before it
(每 3 個月檢視並維護…之檢查至少 1 次 → 4). 不定期 is a frequency with no
number (per_year None). 定期 alone states no frequency and is not returned.
"""

from __future__ import annotations

import re

from models import Frequency
from normalizers.numbering import NUMBER, read_number
from normalizers.text import to_halfwidth

_PER_YEAR = {"年": 1.0, "年度": 1.0, "半年": 2.0, "季": 4.0, "月": 12.0, "週": 52.0, "周": 52.0,
             "星期": 52.0, "日": 365.0, "天": 365.0}
_UNIT = "半年|年度|年|季|月|週|周|星期|日|天"

_EVERY = re.compile(rf"每\s*(?:隔\s*)?(?:(?P<n>{NUMBER})\s*個?\s*)?(?P<unit>{_UNIT})(?P<irregular>\s*不定期)?")
_SUCCESSIVE = re.compile(r"逐\s*(?P<unit>年|季|月|週|周)")
_HALVES = re.compile(r"上\s*[、,，及與和]?\s*下\s*半\s*年度?")
_MONTH_LIST = re.compile(rf"(?<![\d個])(?:{NUMBER})\s*月(?:\s*[、,，及與和]\s*(?:{NUMBER})\s*月)+")
_YEARLY_COUNT = re.compile(rf"(?:年度內?|全年度?|一年|整年)(?P<gap>[^\d。；;，,、！？!?\s]{{0,8}}?)\s*(?:至少|最少)?\s*(?P<n>{NUMBER})\s*次")
_AT_LEAST = re.compile(rf"(?<!第)(?:(?:至少|最少)\s*(?P<n>{NUMBER})\s*次|(?P<m>\d+)\s*次以上)")
_IRREGULAR = re.compile(r"不定期")

# A count that follows a period in the same sentence; another period word in
# between starts a new frequency instead.
_COUNT_AFTER = re.compile(rf"(?<!第)(?:至少|最少|各)?\s*(?P<n>{NUMBER})\s*次")
_SENTENCE_END = re.compile(r"[。；;！？!?]")
_OTHER_PERIOD = re.compile(r"每|逐|年度|全年|半年|一年|不定期")
_EACH_COUNT = re.compile(rf"[^。；;！？!?]{{0,30}}?各\s*(?:[^\d。；;，,\s]{{0,6}}?)\s*(?P<n>{NUMBER})\s*次")


def _count(token: str) -> float | None:
    try:
        return float(read_number(token))
    except ValueError:
        return None


def _count_after(text: str, end: int) -> tuple[float, int] | None:
    """The (count, end) of 至少N次 later in the sentence that begins before ``end``."""
    stop = _SENTENCE_END.search(text, end)
    window = text[end: stop.start() if stop else len(text)]
    match = _COUNT_AFTER.search(window)
    if not match or _OTHER_PERIOD.search(window[: match.start()]):
        return None
    count = _count(match.group("n"))
    return (count, end + match.end()) if count else None


def _each_count(text: str, end: int) -> tuple[float, int] | None:
    """各N次 shortly after a list of occasions (上、下半年度自行實施考核各1次)."""
    match = _EACH_COUNT.match(text, end)
    if not match:
        return None
    count = _count(match.group("n"))
    return (count, match.end()) if count else None


def find_frequencies(text: str) -> list[Frequency]:
    """Every frequency stated in text, in order, with offsets into text.

    >>> [(f.per_year, f.quote) for f in find_frequencies("注重電話禮貌,不定期進行禮貌測試,每3個月至少測試1次。")]
    [(None, '不定期'), (4.0, '每3個月至少測試1次')]
    """
    folded = to_halfwidth(text)  # one character for one: offsets stay valid
    found: list[tuple[int, int, float | None]] = []

    def taken(start: int, end: int) -> bool:
        return any(start < other_end and other_start < end for other_start, other_end, _ in found)

    def add(start: int, end: int, per_year: float | None) -> None:
        if not taken(start, end):
            found.append((start, end, per_year))

    for match in _EVERY.finditer(folded):
        n = _count(match.group("n")) if match.group("n") else 1.0
        if not n:
            continue
        per_year, end = _PER_YEAR[match.group("unit")] / n, match.end()
        if after := _count_after(folded, end):
            per_year, end = per_year * after[0], after[1]
        add(match.start(), end, per_year)
    for match in _HALVES.finditer(folded):
        each = _each_count(folded, match.end())
        add(match.start(), each[1] if each else match.end(), 2 * (each[0] if each else 1))
    for match in _MONTH_LIST.finditer(folded):
        if each := _each_count(folded, match.end()):
            months = len(re.findall("月", match.group(0)))
            add(match.start(), each[1], months * each[0])
    for match in _SUCCESSIVE.finditer(folded):
        add(match.start(), match.end(), _PER_YEAR[match.group("unit")])
    for match in _YEARLY_COUNT.finditer(folded):
        if (count := _count(match.group("n"))) and "每" not in match.group("gap"):
            add(match.start(), match.end(), count)
    for match in _AT_LEAST.finditer(folded):
        if count := _count(match.group("n") or match.group("m")):
            add(match.start(), match.end(), count)
    for match in _IRREGULAR.finditer(folded):
        add(match.start(), match.end(), None)

    return [
        Frequency(per_year=per_year, quote=text[start:end], start=start, end=end)
        for start, end, per_year in sorted(found)
    ]
