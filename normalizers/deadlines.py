"""Deadline cells (完成期限) as typed values.

The OWNER-AND-DEADLINE check must tell a real date (6月底前, 112年6月30日前)
from an open-ended promise (持續辦理, 每年辦理), and schedules want a date to
sort by. The cell's wording is kept as written beside the reading.

Precedence when a cell mixes kinds: a date beats a period, a period beats an
open-ended word — "持續辦理，每年6月底前檢討" commits to the date.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from models import Deadline, DeadlineKind
from normalizers.dates import ROC_OFFSET, find_dates
from normalizers.numbering import NUMBER, read_number
from normalizers.text import clean_text, to_halfwidth

_CONTINUOUS = re.compile(r"持續|隨時|配合|全年|常態|經常|賡續|長期|不定期|隨到隨辦")

# 每/逐 + period, and 每 N 個月 (every 3 months is a quarter).
_PERIOD_WORDS = {"年": "year", "年度": "year", "半年": "half_year", "季": "quarter", "月": "month",
                 "週": "week", "周": "week", "星期": "week", "日": "day", "天": "day"}
_PERIODIC = re.compile(r"(?:每|逐)\s*(半年|年度|年|季|月|週|周|星期|日|天)")
_EVERY_N_MONTHS = re.compile(rf"每\s*(?:隔\s*)?({NUMBER})\s*個?\s*月")
_MONTHS_TO_PERIOD = {12: "year", 6: "half_year", 3: "quarter", 1: "month"}

_MONTH = re.compile(rf"(?<![\d個])({NUMBER})\s*月\s*(?:({NUMBER})\s*日|(底|初|上旬|中旬|下旬))?")
_HALF = re.compile(r"(上|下)半年")
_QUARTER = re.compile(r"第\s*([1-4一二三四])\s*季")
_YEAR_END = re.compile(r"年底|年終|年度結束|年度終了|年度截止")
_NEXT_YEAR = re.compile(r"次年|翌年|明年")


def _end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _time_points(text: str) -> list[tuple[int, int | None, int, int | None]]:
    """(position, explicit AD year or None, month, day or None) of every point
    in time the text names; day None means the end of the month."""
    dated = [found for found in find_dates(text) if found.month]
    points: list[tuple[int, int | None, int, int | None]] = [
        (found.start, found.year, found.month, found.day) for found in dated
    ]
    for match in _MONTH.finditer(text):
        if any(found.start <= match.start() < found.end for found in dated):
            continue
        try:
            month = read_number(match.group(1))
            day = read_number(match.group(2)) if match.group(2) else None
        except ValueError:
            continue
        if not 1 <= month <= 12:
            continue
        part = match.group(3)
        day = {"初": 5, "上旬": 10, "中旬": 20}.get(part or "", day)
        points.append((match.start(), None, month, day))
    points.extend((m.start(), None, 6 if m.group(1) == "上" else 12, None) for m in _HALF.finditer(text))
    points.extend((m.start(), None, read_number(m.group(1)) * 3, None) for m in _QUARTER.finditer(text))
    points.extend((m.start(), None, 12, None) for m in _YEAR_END.finditer(text))
    return sorted(points)


def _year_at(text: str, position: int, roc_year: int | None) -> int | None:
    """The AD year in force at a position: the last year written before it,
    else the plan's year; 次年 moves it on by one."""
    written = [found.year for found in find_dates(text) if found.start <= position]
    year = written[-1] if written else (roc_year + ROC_OFFSET if roc_year else None)
    if year is not None and any(m.start() < position for m in _NEXT_YEAR.finditer(text)):
        year += 1
    return year


def _period(text: str) -> str | None:
    if match := _EVERY_N_MONTHS.search(text):
        months = read_number(match.group(1))
        return _MONTHS_TO_PERIOD.get(months, f"{months}_months")
    if match := _PERIODIC.search(text):
        return _PERIOD_WORDS[match.group(1)]
    return None


def parse_deadline(text: str, roc_year: int | None = None) -> Deadline:
    """Read a deadline cell. ``roc_year`` is the plan's 民國 year, used when the
    cell names a month but no year.

    >>> parse_deadline("6月底前", roc_year=112).due
    '2023-06-30'
    >>> parse_deadline("每年辦理").period
    'year'
    """
    written = clean_text(text)
    folded = to_halfwidth(written)
    points = _time_points(folded)
    if points:
        position, year, month, day = points[-1]  # a range (2 月至 4 月) is due at its end
        year = year or _year_at(folded, position, roc_year)
        due = None
        if year is not None:
            due = (date(year, month, day) if day and day <= calendar.monthrange(year, month)[1]
                   else _end_of_month(year, month)).isoformat()
        return Deadline(text=written, kind=DeadlineKind.by_date, due=due)
    if period := _period(folded):
        return Deadline(text=written, kind=DeadlineKind.periodic, period=period)
    if _CONTINUOUS.search(folded):
        return Deadline(text=written, kind=DeadlineKind.continuous)
    return Deadline(text=written, kind=DeadlineKind.unknown)
