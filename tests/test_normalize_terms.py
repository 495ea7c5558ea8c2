"""normalizers.terms: segmentation with offsets, search tokens, synonyms, and
the validated data files."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.datafile import DataError, load
from normalizers import terms
from normalizers.schemas import Synonyms, UnitAliases
from normalizers.terms import expand, read_userdict, search_tokens, segment
from normalizers.text import _HAN, fold_key
from tests import REALWORLD_DOCS, SAMPLES


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("(2)實施電話禮貌測試至少2次。", "電話禮貌測試"),  # seed 001
        ("依據「政府資訊公開法」主動公開相關資訊於機關網頁。", "政府資訊公開法"),  # seed 001
        ("依據「政府資訊公開法」主動公開相關資訊於機關網頁。", "主動公開"),
        ("落實單一窗口全功能服務。", "單一窗口"),  # seed 003
        ("辦理「服務滿意度調查」及「電話服務品質及禮貌測試」。", "電話服務品質及禮貌測試"),  # seed 002
        ("透過電話互測、服務稽核", "電話互測"),  # seed 003
        ("利用「免書證免謄本便民服務系統」", "免書證免謄本"),  # seed 003
        ("機關網站(頁)通過無障礙檢測,並取得認證標章。", "認證標章"),  # seed 000
    ],
)
def test_domain_terms_are_never_split(text: str, term: str) -> None:
    assert term in [token for token, _, _ in segment(text)]


def test_offsets_point_into_the_original_traditional_text() -> None:
    text = "受理網路、信函及「台灣電力」App 申辦案件，臺北市區營業處"  # seed 004
    tokens = segment(text)
    assert tokens and all(text[start:end] == token for token, start, end in tokens)
    assert "台灣電力" in [token for token, _, _ in tokens]


def test_search_tokens_are_folded_words_and_single_characters() -> None:
    tokens = search_tokens("實施電話禮貌測試")
    assert fold_key("電話禮貌測試") in tokens
    assert fold_key("禮") in tokens  # one-character queries find it
    assert search_tokens("臺灣") == search_tokens("台灣")


@pytest.mark.parametrize(
    ("term", "synonym"),
    [("網頁", "網站"), ("SOP", "標準作業流程"), ("標準作業程序", "標準作業流程"), ("電話禮貌測試", "電話禮貌互測"),
     ("電話禮貌測試", "電話服務品質及禮貌測試"), ("無障礙標章", "無障礙認證標章"), ("ODF", "開放文件格式"),
     ("臺灣電力", "臺灣電力"), ("網页", "網站")],
)
def test_expand(term: str, synonym: str) -> None:
    assert synonym in expand(term)


def test_expand_keeps_different_items_apart() -> None:
    assert "一站式服務" not in expand("單一窗口")
    assert expand("禮貌人員選拔") == {"禮貌人員選拔"}


# -- tokens remembered per run ---------------------------------------------------


def _whole_text(text: str) -> tuple[list[tuple[str, int, int]], list[str]]:
    """segment and search_tokens of a text as one jieba pass over the whole text
    gives them, nothing remembered: the reference the run caches must equal."""
    spans = [(text[s:e], s, e) for _, s, e in terms._tokenizer().tokenize(terms._simplified(text), mode="search")]
    words = [(s, s - e, fold_key(token)) for token, s, e in spans if not (e - s == 1 and re.fullmatch(f"[{_HAN}]", token))]
    chars = [(m.start(), 0, fold_key(m.group())) for m in re.finditer(f"[{_HAN}]", text)]
    return spans, [key for _, _, key in sorted([w for w in words if re.search(rf"[\w{_HAN}]", w[2])] + chars)]


def _plan_lines() -> list[str]:
    """Every line of the sample plans and of the real documents, as written (odd
    spaces, bullets, full-width forms, site chrome)."""
    paths = [*SAMPLES, *sorted(REALWORLD_DOCS.glob("*.txt"))]
    return [line for path in paths for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_plan_line_cuts_as_one_pass_over_the_whole_text() -> None:
    lines = _plan_lines()
    assert len(lines) > 1500
    for text in lines + lines[::-1]:  # the second time round every run is remembered
        spans, tokens = _whole_text(text)
        assert segment(text) == spans, text
        assert search_tokens(text) == tokens, text


_PHRASES = ["電話禮貌測試", "臺灣電力", "台灣電力", "台湾电力", "網路申辦", "e化服務", "ODF格式", "Ｅ化", "2次", "單一窗口",
            "免書證免謄本", "服務", "務", "網站(頁)", "C.C", "#1", "⼀", "㐀", "豈", "\u9fd6", "ÉCOLE"]
_BETWEEN = ["", "", "，", "。", "、", " ", "  ", "\n", "\u3000", "（", "）", "「", "」", "-", "．", "+", "%", "/", "•"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_PHRASES), st.sampled_from(_BETWEEN)), max_size=8))
def test_remembered_runs_give_the_tokens_of_the_whole_text(pieces) -> None:
    text = "".join(phrase + between for phrase, between in pieces)
    spans, tokens = _whole_text(text)
    assert segment(text) == spans
    assert search_tokens(text) == tokens


def test_a_run_already_cut_is_not_cut_again(monkeypatch) -> None:
    terms._run_spans.cache_clear()
    terms._run_search_tokens.cache_clear()
    tokenizer = terms._tokenizer()
    cut: list[str] = []
    real_tokenize = tokenizer.tokenize

    def counting(run, *args, **kwargs):
        cut.append(run)
        return real_tokenize(run, *args, **kwargs)

    monkeypatch.setattr(tokenizer, "tokenize", counting)
    search_tokens("每季辦理電話禮貌測試，並檢討改進")
    search_tokens("每年辦理電話禮貌測試，並檢討改進")
    segment("每年辦理電話禮貌測試")
    assert cut == ["每季办理电话礼貌测试", "，", "并检讨改进", "每年办理电话礼貌测试"]


# -- data files ----------------------------------------------------------------

def test_shipped_data_files_load() -> None:
    assert len(read_userdict()) > 100


def test_bad_yaml_names_file_line_and_field(tmp_path) -> None:
    path = tmp_path / "synonyms.yaml"
    path.write_text("groups:\n  - [網頁, 網站]\n  - [孤單]\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"synonyms\.yaml:3: groups\.1"):
        load(path, Synonyms)


def test_missing_field_names_the_field(tmp_path) -> None:
    path = tmp_path / "unit_aliases.yaml"
    path.write_text("units: {}\nshared_owners: {}\n", encoding="utf-8")
    with pytest.raises(DataError, match="shared_patterns"):
        load(path, UnitAliases)


def test_bad_userdict_line_names_file_and_line(tmp_path) -> None:
    path = tmp_path / "userdict.txt"
    path.write_text("# terms\n單一窗口\n主動公開 很多\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"userdict\.txt:3"):
        read_userdict(path)
