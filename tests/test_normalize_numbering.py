"""normalizers.numbering: every marker style of the plans, as (style, value, rank)."""

from __future__ import annotations

import pytest

from normalizers.numbering import chinese_numeral, parse_marker, read_number


@pytest.mark.parametrize(
    ("text", "style", "value", "rank", "rest"),
    [
        ("壹、計畫依據", "壹", 1, 1, "計畫依據"),
        ("貳、服務遞送", "壹", 2, 1, "服務遞送"),
        ("拾、其他", "壹", 10, 1, "其他"),
        ("拾壹、附件", "壹", 11, 1, "附件"),
        ("一、優質便民服務", "一", 1, 2, "優質便民服務"),
        ("二十一、其他", "一", 21, 2, "其他"),
        ("一百零五、其他", "一", 105, 2, "其他"),
        ("(一) 營造機關為民服務專業", "(一)", 1, 3, "營造機關為民服務專業"),
        ("（四）服務資訊透明度", "(一)", 4, 3, "服務資訊透明度"),
        ("(十二)其他", "(一)", 12, 3, "其他"),
        ("1. 提升服務流程便捷性", "1", 1, 4, "提升服務流程便捷性"),
        ("1、受理各項戶籍登記案件", "1", 1, 4, "受理各項戶籍登記案件"),
        ("１．提升服務", "1", 1, 4, "提升服務"),
        ("2 . 提高服務行為", "1", 2, 4, "提高服務行為"),
        ("(1)走動式管理與服務", "(1)", 1, 5, "走動式管理與服務"),
        ("（14）營業廳內張貼服務廳平面圖", "(1)", 14, 5, "營業廳內張貼服務廳平面圖"),
        ("1-1 說明", "1-1", 1, 5, "說明"),
        ("2-3 加強宣導", "1-1", 3, 5, "加強宣導"),
        ("甲.運用本處網際網路發布最新服務訊息。", "甲", 1, 6, "運用本處網際網路發布最新服務訊息。"),
        ("丙. 為落實「關懷」經營理念", "甲", 3, 6, "為落實「關懷」經營理念"),
        ("a. 強化主動服務", "a", 1, 6, "強化主動服務"),
        ("c. 邀請團體、學者", "a", 3, 6, "邀請團體、學者"),
        ("◎ 進階檢索功能", "◎", None, 8, "進階檢索功能"),
        ("◎根據服務對象或特性差異", "◎", None, 8, "根據服務對象或特性差異"),
        ("● 重要訊息", "◎", None, 8, "重要訊息"),
    ],
)
def test_marker_styles(text: str, style: str, value: int | None, rank: int, rest: str) -> None:
    marker, remainder = parse_marker(text)
    assert marker is not None
    assert (marker.style, marker.value, marker.rank, remainder) == (style, value, rank, rest)


@pytest.mark.parametrize(
    "text",
    [
        "3 個月",  # a count, not a list
        "112年度提升服務品質",
        "1.5倍",
        "Web 2.0 電子參與",
        "一一二年度",  # a year written digit by digit, not a marker
        "一般民眾：",
        "e.g. 範例",
    ],
)
def test_not_markers(text: str) -> None:
    assert parse_marker(text)[0] is None


def test_lenient_marker_only_at_paragraph_start() -> None:
    """seed 002: "2 網站資訊檢索服務" lost its dot in conversion."""
    assert parse_marker("2 網站資訊檢索服務")[0] is None
    marker, rest = parse_marker("2 網站資訊檢索服務", lenient=True)
    assert (marker.style, marker.value, rest) == ("1", 2, "網站資訊檢索服務")


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("二十一", 21), ("一百零五", 105), ("一百二十", 120),
     ("一一二", 112), ("兩", 2), ("拾壹", 11), ("參", 3)],
)
def test_chinese_numerals(numeral: str, value: int) -> None:
    assert chinese_numeral(numeral) == value
    assert read_number(numeral) == value


def test_read_number_reads_fullwidth_digits() -> None:
    assert read_number("１２") == 12


def test_not_a_numeral_raises() -> None:
    with pytest.raises(ValueError):
        chinese_numeral("服務")
