"""normalizers.dates: 民國 years and dates in every form the plans use."""

from __future__ import annotations

from datetime import date

import pytest

from normalizers.dates import find_dates, parse_date, parse_year, plan_year_from_title


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("民國112年", 2023),
        ("112年度", 2023),
        ("一一二年", 2023),
        ("一百零五年度", 2016),
        ("中華民國112年3月2日訂定", 2023),  # seed 004
        ("112.3.2", 2023),
        ("112/3/2", 2023),
        ("高雄市政府 105 年度提升服務品質實施計畫", 2016),  # seed 002
        ("105 年 1 月 18 日高市府研發字第 10530055600 號函頒", 2016),  # seed 002
        ("行政院 96 年 7 月 23 日院授研展字第 09600152471 號函頒", 2007),  # seed 001
        ("2023年", 2023),
    ],
)
def test_years(text: str, year: int) -> None:
    assert parse_year(text) == year


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("中華民國112年3月2日訂定", date(2023, 3, 2)),
        ("依112年2月18日電業字第1120005173號函頒", date(2023, 2, 18)),  # seed 004
        ("經濟部104年8月25日經研字第10404507390號函修正", date(2015, 8, 25)),  # seed 000
        ("行政院 106 年 1 月 9 日院授發社字第 1061300008 號", date(2017, 1, 9)),  # seed 003
        ("112.3.2", date(2023, 3, 2)),
        ("96.07.23 院授研展字", date(2007, 7, 23)),
        ("112/3/2", date(2023, 3, 2)),
        ("於103年1月4日前將102年度執行績效與成果報署", date(2014, 1, 4)),  # seed 001
    ],
)
def test_dates(text: str, day: date) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize("text", ["十二年國教", "3 年內完成", "第2屆政府服務獎", "1.5.2 版", "每年辦理", "112年2月30日"])
def test_not_full_dates(text: str) -> None:
    assert parse_date(text) is None


def test_spans_point_at_the_written_date() -> None:
    text = "自 107 年 1 月 1 日起至 107 年 12 月 31 日止。"  # seed 003
    spans = [text[found.start:found.end] for found in find_dates(text)]
    assert spans == ["107 年 1 月 1 日", "107 年 12 月 31 日"]


@pytest.mark.parametrize(
    ("title", "year"),
    [
        ("經濟部水利署105年度提升服務品質執行計畫", 2016),
        ("經濟部水利署第二河川局 102 年度提升服務品質執行計畫", 2013),
        ("高雄市政府 105 年度提升服務品質實施計畫", 2016),
        ("臺中市龍井區戶政事務所107年度提升服務品質執行計畫", 2018),
        ("台電公司台北市區營業處112年度提升服務效能執行計畫", 2023),
        ("中華民國112年3月2日訂定 一一三年度提升服務品質執行計畫", 2024),  # 年度 wins over the issue date
        ("提升服務品質執行計畫", None),
        (None, None),
    ],
)
def test_plan_year_from_title(title: str | None, year: int | None) -> None:
    assert plan_year_from_title(title) == year
