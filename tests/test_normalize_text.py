"""normalizers.text: width, converter spaces, simplified input, matching keys.

Phrases are copied from the sample plans (seed number in the id)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normalizers.text import _converter, fold_key, is_simplified, normalize_text, remove_converter_spaces, to_halfwidth

SETTINGS = settings(max_examples=150, deadline=None)


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        pytest.param("三、創新 加 值 服 務", "三、創新加值服務", id="001-spaced-dimension"),
        pytest.param("建構有價值的 創意服務，提 升服務產出之 效率與效能", "建構有價值的創意服務，提升服務產出之效率與效能", id="001-wrapped-strategy"),
        pytest.param("受理網路、信函、電話、傳真及「台灣電力」App 申辦案件", "受理網路、信函、電話、傳真及「台灣電力」App 申辦案件", id="004-latin-word-kept"),
        pytest.param("高雄市政府 105 年度提升服務品質實施計畫", "高雄市政府 105 年度提升服務品質實施計畫", id="002-number-spaces-kept"),
        pytest.param("注重電話禮貌,不定期進行禮貌測試,每3個\n月至少測試1次。", "注重電話禮貌，不定期進行禮貌測試，每3個月至少測試1次。", id="000-line-break-in-clause"),
        pytest.param("(4)機關網站(頁)通過無障礙檢測,並取得認\n證標章。", "(4)機關網站(頁)通過無障礙檢測，並取得認證標章。", id="000-wrapped-word"),
        pytest.param("進行環境美 (綠) 化及提供舒適", "進行環境美(綠)化及提供舒適", id="000-spaced-parentheses"),
        pytest.param("研（修）訂，年度內至少１次。", "研(修)訂，年度內至少1次。", id="001-fullwidth-parens-digit"),
        pytest.param("（一）服務一致及正確性", "(一)服務一致及正確性", id="fullwidth-marker"),
        pytest.param("提供 iTaiwan 免費無線網路平台。", "提供 iTaiwan 免費無線網路平台。", id="004-台-not-converted"),
        pytest.param("強化機關服務人員(含機關委外 call\ncenter 人員)", "強化機關服務人員(含機關委外 call center 人員)", id="000-latin-across-lines"),
        pytest.param("ＯＤＦ　格式", "ODF 格式", id="fullwidth-latin-and-ideographic-space"),
        pytest.param("1、依業務性質設置綜合櫃檯、疼您櫃檯", "1、依業務性質設置綜合櫃檯、疼您櫃檯", id="003-櫃檯-kept"),
        pytest.param("⾏動載具", "行動載具", id="kangxi-radical-debris"),
    ],
)
def test_normalize_text(raw: str, normalized: str) -> None:
    assert normalize_text(raw) == normalized


@pytest.mark.parametrize(
    ("raw", "traditional"),
    [
        ("提供标准作业流程，每3个月至少测试1次", "提供標準作業流程，每3個月至少測試1次"),
        ("网站设置主动公开信息专区", "網站設置主動公開資訊專區"),  # 信息 → 資訊, but 設置 kept
        ("设置单一窗口，公开标准作业程序与服务项目", "設置單一窗口，公開標準作業程序與服務項目"),  # data/s2twp_keep.yaml
        # data/s2twp_keep.yaml taiwan: (tests/fixtures/variants/d_simplified_runon_004.txt)
        ("执行计划，运用本处网际网路发布最新服务讯息，根据服务对象", "執行計畫，運用本處網際網路發布最新服務訊息，根據服務對象"),
        # d_simplified_runon_004: a strategy's name (its path label), a unit (調度組) and the plan's words
        ("服务成长及优化，辅助抢修及调度作业，承办单位：调度组", "服務成長及優化，輔助搶修及調度作業，承辦單位：調度組"),
        ("导入「导师制度」，检查用电设备，社区节电服务，审核及行政程序，服务消息",
         "導入「導師制度」，檢查用電設備，社區節電服務，審核及行政程序，服務消息"),
    ],
)
def test_simplified_input_becomes_taiwan_traditional(raw: str, traditional: str) -> None:
    assert is_simplified(raw)
    assert normalize_text(raw) == traditional


@pytest.mark.parametrize(
    "text",
    [
        "台電公司台北市區營業處112年度提升服務效能執行計畫",  # 台 is Traditional too
        "里長等民意代表及參與公所業務聯繫會報、里鄰長會議",
        "經濟部水利署第二河川局 102 年度提升服務品質執行計畫",
    ],
)
def test_traditional_is_not_detected_as_simplified(text: str) -> None:
    assert not is_simplified(text)


def test_simplified_detection_asks_opencc_once_per_distinct_character(monkeypatch) -> None:
    """A two-million-character cell once cost 3.6 million OpenCC calls (issue 15)."""
    import normalizers.text as text_module

    calls = []

    class Counting:
        def convert(self, text: str) -> str:
            calls.append(text)
            return _converter("s2tw").convert(text)

    text_module.is_simplified_char.cache_clear()
    monkeypatch.setattr(text_module, "_s2tw_characters", lambda: Counting())
    huge = "提升服务品質，簡化申辦流程。" * 150_000
    assert 0 < text_module.simplified_ratio(huge) < 0.2
    text_module.is_simplified_char.cache_clear()
    assert len(calls) == len(set(text_module._CJK_RE.findall(huge)))


def test_the_character_converter_converts_every_han_character_as_s2tw_does() -> None:
    """Simplified detection asks a converter without s2tw's phrase tables (40 MB
    in memory): one character can match no phrase, so every answer is s2tw's."""
    import normalizers.text as text_module

    whole, characters = _converter("s2tw"), text_module._s2tw_characters()
    han = [chr(code) for first, last in ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
           for code in range(first, last + 1)]
    assert all(text_module._CJK_RE.fullmatch(ch) for ch in han) and len(han) == 28_096
    differ = [ch for ch in han if characters.convert(ch) != whole.convert(ch)]
    assert differ == []
    assert sum(characters.convert(ch) != ch for ch in han) > 2_000  # it does convert: 2,000+ simplified forms


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("臺中市政府", "台中市政府"),
        ("櫃檯", "櫃台"),
        ("裡面", "裏面"),
        ("穿著", "穿着"),
        ("每週", "每周"),
        ("電話禮貌測試", "电话礼貌测试"),
        ("ODF 格式", "ＯＤＦ格式"),
        ("敘獎", "敍獎"),  # data/folds.yaml
        ("數值", "數値"),  # data/folds.yaml
        ("民眾", "⺠眾"),  # radical debris
    ],
)
def test_fold_key_treats_variants_alike(a: str, b: str) -> None:
    assert fold_key(a) == fold_key(b)


@pytest.mark.parametrize(("a", "b"), [("單一窗口", "單一視窗"), ("網頁", "網站"), ("每月", "每年")])
def test_fold_key_keeps_different_words_apart(a: str, b: str) -> None:
    assert fold_key(a) != fold_key(b)


def test_remove_converter_spaces_keeps_space_before_latin() -> None:
    assert remove_converter_spaces("「台灣電力」App  申辦") == "「台灣電力」App 申辦"


# -- properties --------------------------------------------------------------

def _traditional_alphabet() -> str:
    """Han characters of the sample plans that read as Traditional (OpenCC's
    s2tw leaves them alone)."""
    from pathlib import Path

    samples = Path(__file__).resolve().parents[1] / "corpus" / "samples"
    han = {ch for path in samples.glob("*.txt") for ch in path.read_text(encoding="utf-8") if "\u4e00" <= ch <= "\u9fff"}
    s2tw = _converter("s2tw")
    return "".join(sorted(ch for ch in han if s2tw.convert(ch) == ch))


TRADITIONAL = _traditional_alphabet()
HAN = st.sampled_from(TRADITIONAL)
PUNCT = st.sampled_from("，。、「」；：（）()1234567890１２３ＡＢａｂAbc ,;:\n　")
traditional_text = st.text(st.one_of(HAN, HAN, HAN, PUNCT), max_size=40)
any_text = st.text(st.one_of(HAN, PUNCT, st.sampled_from("标准作业流程电话礼貌测试台湾网站")), max_size=40)


def _han(text: str) -> list[str]:
    return [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]


def _width_oracle(text: str) -> str:
    """Width folding as Unicode defines it (NFKC), independent of to_halfwidth."""
    return "".join(
        unicodedata.normalize("NFKC", ch) if "\uff01" <= ch <= "\uff5e" and ch not in "，；：！？" else ch for ch in text
    )


def _without_space_and_comma_width(text: str) -> str:
    return "".join(text.split()).replace(",", "，").replace(";", "；").replace(":", "：")


@SETTINGS
@given(any_text)
def test_normalization_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


@SETTINGS
@given(traditional_text)
def test_normalization_never_drops_a_cjk_character(text: str) -> None:
    assert _han(normalize_text(text)) == _han(text)


@SETTINGS
@given(traditional_text)
def test_traditional_text_changes_only_by_documented_folds(text: str) -> None:
    """Only whitespace, width and ,;: inside Chinese text may differ."""
    assert _without_space_and_comma_width(normalize_text(text)) == _without_space_and_comma_width(_width_oracle(text))


@SETTINGS
@given(st.text(st.one_of(HAN, st.sampled_from("，。、「」；：")), max_size=40))
def test_clean_traditional_text_is_left_exactly_as_written(text: str) -> None:
    assert normalize_text(text) == text


@SETTINGS
@given(any_text)
def test_halfwidth_keeps_length(text: str) -> None:
    """Offsets found on the folded text are offsets into the original."""
    assert len(to_halfwidth(text)) == len(text)
