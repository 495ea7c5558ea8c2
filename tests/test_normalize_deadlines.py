"""normalizers.deadlines: deadline cells as typed values, wording kept."""

from __future__ import annotations

import pytest

from models import DeadlineKind
from normalizers.deadlines import parse_deadline


@pytest.mark.parametrize(
    ("text", "kind", "period", "due"),
    [
        ("持續辦理", DeadlineKind.continuous, None, None),  # seeds 003, 004
        ("持續\n辦理", DeadlineKind.continuous, None, None),  # seed 003: 持續<br/>辦理
        ("隨時辦理", DeadlineKind.continuous, None, None),  # seed 004
        ("配合辦理", DeadlineKind.continuous, None, None),  # seed 004
        ("配合公服處更新作業", DeadlineKind.continuous, None, None),  # seed 004
        ("全年", DeadlineKind.continuous, None, None),
        ("每年辦理", DeadlineKind.periodic, "year", None),  # seed 004
        ("每季", DeadlineKind.periodic, "quarter", None),
        ("每月", DeadlineKind.periodic, "month", None),
        ("每半年", DeadlineKind.periodic, "half_year", None),
        ("每3個月", DeadlineKind.periodic, "quarter", None),
        ("6月底前", DeadlineKind.by_date, None, "2023-06-30"),
        ("112年6月30日前", DeadlineKind.by_date, None, "2023-06-30"),
        ("111年12月31日前", DeadlineKind.by_date, None, "2022-12-31"),  # the cell's own year wins
        ("年底前", DeadlineKind.by_date, None, "2023-12-31"),
        ("上半年", DeadlineKind.by_date, None, "2023-06-30"),  # seed 002 schedule
        ("下半年", DeadlineKind.by_date, None, "2023-12-31"),  # seed 002 schedule
        ("2 月至 4 月", DeadlineKind.by_date, None, "2023-04-30"),  # seed 002 schedule: a range is due at its end
        ("12 月下旬至次年 1 月", DeadlineKind.by_date, None, "2024-01-31"),  # seed 002 schedule
        ("次年 1 月至 2 月上旬", DeadlineKind.by_date, None, "2024-02-10"),  # seed 002 schedule
        ("第3季", DeadlineKind.by_date, None, "2023-09-30"),
        ("112.3.2前", DeadlineKind.by_date, None, "2023-03-02"),
        ("持續辦理，每年6月底前檢討", DeadlineKind.by_date, None, "2023-06-30"),  # a date beats open-ended
        ("依計畫辦理", DeadlineKind.unknown, None, None),
    ],
)
def test_deadlines(text: str, kind: DeadlineKind, period: str | None, due: str | None) -> None:
    deadline = parse_deadline(text, roc_year=112)
    assert (deadline.kind, deadline.period, deadline.due) == (kind, period, due)


def test_original_text_is_kept() -> None:
    assert parse_deadline("6 月底前", roc_year=112).text == "6 月底前"


@pytest.mark.parametrize("text", ["6月底前", "年底前", "上半年"])
def test_no_due_without_a_year(text: str) -> None:
    deadline = parse_deadline(text)
    assert deadline.kind is DeadlineKind.by_date and deadline.due is None
