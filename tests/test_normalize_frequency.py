"""normalizers.frequency: frequencies as times per year, with exact spans."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normalizers.frequency import find_frequencies
from normalizers.text import normalize_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # seed 000: two frequencies in one measure, both returned
        ("注重電話禮貌,不定期進行禮貌測試,每3個月至少測試1次。", [(None, "不定期"), (4, "每3個月至少測試1次")]),
        ("每季", [(4, "每季")]),
        ("每月", [(12, "每月")]),
        ("每週", [(52, "每週")]),
        ("每半年", [(2, "每半年")]),
        ("逐季追蹤檢討改善情形", [(4, "逐季")]),  # seed 004
        ("上、下半年各1次", [(2, "上、下半年各1次")]),
        # seed 000
        ("於上、下半年度自行實施考核各1次，相關評核結果需登載於機關網頁。", [(2, "上、下半年度自行實施考核各1次")]),
        # seed 001
        ("於6月、12月各進行考核1次，並將考核結果", [(2, "6月、12月各進行考核1次")]),
        ("(2)實施電話禮貌測試至少2次。", [(2, "至少2次")]),  # seed 001
        ("共同參與政策措施及服務事項之規劃研(修)訂，年度內至少1次。", [(1, "年度內至少1次")]),  # seed 001
        # seed 003: the 2 belongs to the election, and the span says so
        ("透過電話互測、服務稽核及年度 2 次禮貌人員選拔，強化服務禮儀", [(2, "年度 2 次")]),
        ("年度辦理2次禮貌人員選拔及洽公環境滿意度調查", [(2, "年度辦理2次")]),  # seed 003
        ("每月辦理本所與東區、清水區及烏日區戶政事務所之電話禮貌互測作業。", [(12, "每月")]),  # seed 003
        ("依本公司「電話禮貌考核作業原則」，每月不定期進行電話測試。", [(12, "每月不定期")]),  # seed 004
        # seed 002: the count later in the sentence counts per year
        ("每年至少辦理洽公環境設備檢查及使用者滿意度調查1次，適時更新改善。", [(1, "每年至少辦理洽公環境設備檢查及使用者滿意度調查1次")]),
        ("對於民眾興革建議及陳情案件，每月彙陳機關(單位)首長(主管)至少1次。", [(12, "每月彙陳機關(單位)首長(主管)至少1次")]),  # seed 001
        ("每三個月至少一次", [(4, "每三個月至少一次")]),  # Chinese numerals
        ("一年兩次", [(2, "一年兩次")]),
        ("每兩年", [(0.5, "每兩年")]),
        ("每半年並採自行考核提升服務效能工作之執行成果", [(2, "每半年")]),  # seed 004
        ("不定期", [(None, "不定期")]),
        # not frequencies
        ("局長嘉獎二次", []),  # seed 001: a reward
        ("本府電話服務品質及禮貌測試(第 1 次)", []),  # seed 002: an ordinal
        ("力行一次告知服務", []),  # seed 004
        ("定期檢討各項創意服務措施", []),
    ],
)
def test_frequencies(text: str, expected: list[tuple[float | None, str]]) -> None:
    found = find_frequencies(text)
    assert [(f.per_year, f.quote) for f in found] == expected
    assert all(text[f.start:f.end] == f.quote for f in found)


def test_seed_001_count_at_the_end_of_the_sentence_counts_per_quarter() -> None:
    text = ("每 3 個月檢視並維護服務場所內外環境規劃，提供舒適、明亮、整潔、具特色之洽公場所，"
            "以及各類硬體設施(如飲水機、公用電話、座椅、盥洗室等)之檢查至少 1 次。 (2) 提供各種申辦書表及填寫範例。")
    [frequency] = find_frequencies(text)
    assert frequency.per_year == 4
    assert frequency.quote.startswith("每 3 個月") and frequency.quote.endswith("至少 1 次")


def test_clause_split_by_converter_is_one_clause_after_normalization() -> None:
    """「每 3 個」+「月至少測試 1 次」 on two lines still reads as one clause."""
    text = normalize_text("不定期進行禮貌測試,每 3 個\n月至少測試 1 次。")
    assert [(f.per_year, f.quote) for f in find_frequencies(text)] == [(None, "不定期"), (4, "每 3 個月至少測試 1 次")]


FRAGMENTS = st.sampled_from([
    "每3個月至少測試1次", "每季", "逐季", "每月", "不定期", "年度 2 次", "至少2次", "上、下半年各1次",
    "辦理", "電話禮貌測試", "，", "。", " ", "禮貌人員選拔", "第1次", "嘉獎二次", "3", "月",
])


@settings(max_examples=100, deadline=None)
@given(st.lists(FRAGMENTS, max_size=12).map("".join))
def test_spans_are_exact_and_disjoint(text: str) -> None:
    found = find_frequencies(text)
    assert all(text[f.start:f.end] == f.quote for f in found)
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))
