"""民國 years and dates in every form plans write them, as AD years and dates.

Plans date everything in the Republic of China calendar (民國 1 = 1912):
民國112年, 112年度, 一一二年, 中華民國112年3月2日, 112.3.2, 112/3/2, and the
converter may put spaces inside ("105 年 1 月 18 日"). Checks compare years
(the ODF rule is in force from 民國 104) and the corpus sorts plans by year, so
every form has to come out as one number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from normalizers.numbering import NUMBER, read_number
from normalizers.text import to_halfwidth

ROC_OFFSET = 1911

# A bare "十二年" is as likely 十二年國教 as a year: without 民國 a year must be
# a plausible plan-era year.
_MIN_BARE_ROC_YEAR, _MAX_ROC_YEAR = 30, 200

_WRITTEN = re.compile(
    rf"(?<![\d.])(?P<y>(?P<era>(?:中華)?民國\s*)?(?P<year>{NUMBER})\s*年(?P<fiscal>度)?)"
    rf"(?:\s*(?P<m>(?P<month>{NUMBER})\s*月)(?:\s*(?P<d>(?P<day>{NUMBER})\s*日))?)?"
)
_NUMERIC = re.compile(r"(?<![\d.])(?P<year>\d{2,3})(?P<sep>[./])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})(?![\d.])")


@dataclass(frozen=True)
class RocDate:
    """A year, year-month or full date found in text, with its span."""

    year: int  # AD
    month: int | None
    day: int | None
    fiscal: bool  # written 年度: the year a plan is for
    start: int
    end: int

    @property
    def roc_year(self) -> int:
        return self.year - ROC_OFFSET

    @property
    def date(self) -> date | None:
        return date(self.year, self.month, self.day) if self.month and self.day else None


def roc_to_ad(roc_year: int) -> int:
    return roc_year + ROC_OFFSET


def _year(token: str, has_era: bool) -> int | None:
    """AD year of a year token, None when it cannot be a 民國 (or AD) year."""
    try:
        value = read_number(token)
    except ValueError:
        return None
    if value >= 1912 and token.isdigit() and len(token) == 4:
        return value  # 西元 year written as is
    low = 1 if has_era else _MIN_BARE_ROC_YEAR
    return roc_to_ad(value) if low <= value <= _MAX_ROC_YEAR else None


def _month_day(year: int, month: str | None, day: str | None) -> tuple[int | None, int | None]:
    try:
        m = read_number(month) if month else None
        d = read_number(day) if day else None
    except ValueError:
        return None, None
    if m is None or not 1 <= m <= 12:
        return None, None
    if d is not None:
        try:
            date(year, m, d)
        except ValueError:
            d = None
    return m, d


def find_dates(text: str) -> list[RocDate]:
    """Every 民國 year or date in text, in order, with offsets into text.

    >>> [(d.year, d.month, d.day) for d in find_dates("中華民國112年3月2日訂定，依112.2.18函")]
    [(2023, 3, 2), (2023, 2, 18)]
    """
    folded = to_halfwidth(text)  # one character for one: offsets stay valid
    found: list[RocDate] = []
    for match in _WRITTEN.finditer(folded):
        year = _year(match["year"], bool(match["era"]))
        if year is None:
            continue
        month, day = _month_day(year, match["month"], match["day"])
        end = match.end("d") if day else match.end("m") if month else match.end("y")
        found.append(RocDate(year, month, day, bool(match["fiscal"]), match.start(), end))
    for match in _NUMERIC.finditer(folded):
        year = _year(match["year"], has_era=False)
        if year is None:
            continue
        month, day = _month_day(year, match["month"], match["day"])
        if month and day:
            found.append(RocDate(year, month, day, False, match.start(), match.end()))
    return sorted(found, key=lambda found_date: found_date.start)


def parse_date(text: str) -> date | None:
    """The first full date in text (民國 or dotted), as an AD date."""
    return next((found.date for found in find_dates(text) if found.date), None)


def parse_year(text: str) -> int | None:
    """The AD year of the first year mentioned in text."""
    dates = find_dates(text)
    return dates[0].year if dates else None


def plan_year_from_title(title: str | None) -> int | None:
    """The AD year a plan is for, from its title: the 年度 year when there is
    one (a title may also carry the date it was issued), else the first year.

    >>> plan_year_from_title("高雄市政府 105 年度提升服務品質實施計畫")
    2016
    """
    if not title:
        return None
    dates = find_dates(title)
    fiscal = [found for found in dates if found.fiscal]
    chosen = fiscal or dates
    return chosen[0].year if chosen else None
