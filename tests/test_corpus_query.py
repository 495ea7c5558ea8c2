"""The search language: parsing, compiling to safe FTS5, and the messages a
malformed query gets."""

from __future__ import annotations

import pytest

from corpus import textindex
from corpus.query import All, Any, Phrase, QueryError, Word, compile_query, parse


def compiled(query: str) -> str:
    return compile_query(parse(query), textindex.term_tokens, textindex.expansions).fts


def test_parse_operators_groups_and_phrases():
    assert parse("電話 OR 網路") == Any((Word("電話"), Word("網路")))
    assert parse("電話 AND 禮貌") == All((Word("電話"), Word("禮貌")))
    assert parse("(電話 OR 網路) 禮貌 -互測") == All(
        (Any((Word("電話"), Word("網路"))), Word("禮貌")), (Word("互測"),)
    )
    assert parse("「禮貌測試」 禮貌*") == All((Phrase("禮貌測試"), Word("禮貌", prefix=True)))
    assert parse('"call center"') == Phrase("call center")
    # A hyphen inside a word is text, not NOT.
    assert parse("e-mail") == Word("e-mail")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"電話禮貌', "引號未閉合"),
        ("「電話禮貌", "引號未閉合"),
        ("(電話 OR 網路", "括號未閉合"),
        ("(", "括號未閉合"),
        ("電話)", "多了一個右括號"),
        ("OR 電話", "OR 前面缺少"),
        ("電話 OR", "OR 後面缺少"),
        ("電話 AND", "AND 後面缺少"),
        ("AND 電話", "AND 前面缺少"),
        ("NOT 電話", "只有排除的詞"),
        ("-電話", "只有排除的詞"),
        ("電話 NOT", "NOT（或 -）後面缺少"),
        ("()", "括號內沒有"),
        ("*", "「*」前面缺少字詞"),
        ("禮*貌", "「*」只能放在詞尾"),
        ('""', "引號內沒有文字"),
        ("", "查詢是空的"),
        ("，。！", "沒有可搜尋的字詞"),
    ],
)
def test_malformed_queries_get_a_clear_message(query, message):
    with pytest.raises(QueryError) as error:
        compiled(query)
    assert message in str(error.value)


@pytest.mark.parametrize("query", ['電話"', 'a" OR "b', "電話 NEAR(x)", "col:電話", "電話^2", "{tokens}: x", "'; DROP TABLE plans; --"])
def test_fts_syntax_in_user_text_is_quoted(query):
    """User text reaches FTS5 only inside double-quoted strings: every bare
    stretch of the expression is our own syntax."""
    try:
        fts = compiled(query)
    except QueryError:
        return
    outside_quotes = "".join(part for index, part in enumerate(fts.split('"')) if index % 2 == 0)
    assert set(outside_quotes) <= set("()*: ANDORNOTtokenschars")


def test_variant_and_simplified_forms_compile_identically():
    assert compiled("電話禮貌測試") == compiled("电话礼貌测试") == compiled("電話禮貌測試 ")
    assert compiled("臺電") == compiled("台電") == compiled("台电")
    assert compiled("ＯＤＦ") == compiled("odf")


def test_a_term_jieba_cannot_make_words_of_matches_its_exact_characters_only():
    assert compiled("台電") == '((chars : "台 电"))'


def test_words_of_a_term_are_the_finest_cut():
    # 電話互測: jieba gives 電話 and the whole 電話互測; 互 and 測 fill the gap.
    assert textindex.term_tokens("電話互測").words == ("电话", "互", "测")
    assert textindex.term_tokens("電話禮貌測試").words == ("电话", "礼貌", "测试")


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from corpus import search, store  # noqa: E402

_PIECES = st.sampled_from(
    ['"', "「", "」", "(", ")", "（", "）", "*", "-", " ", "AND", "OR", "NOT", "電話", "禮貌", "謄本", "台", "臺", "ODF",
     ":", "^", "'", ";", "NEAR", "{", "}", "\\", "，", "电话", "x"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_PIECES, max_size=12).map(" ".join) | st.lists(_PIECES, max_size=12).map("".join))
def test_any_input_gives_results_or_a_query_error(sample_db, query):
    """Whatever is typed, the answer is results or a QueryError — never an SQL error."""
    conn = store.connect(sample_db)
    try:
        result = search(conn, query, limit=3, facets=False)
        assert result.total >= 0
    except QueryError as error:
        assert str(error) and "查詢無法執行" not in str(error)  # the fallback for SQL errors never fires
    finally:
        conn.close()


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from("電話禮貌台臺ＡＢＣ１２ab9_-、。（）() \t①Ⅱİßǅ٣𠀋☎"), max_size=24) | st.text(max_size=24))
def test_char_tokens_are_the_word_like_pieces_of_the_folded_text(text):
    """char_tokens picks word-like tokens in one pattern; the definition is:
    ASCII runs and single characters of the folded text, without the ones
    unicode61 drops (no word character)."""
    import re

    from normalizers.text import fold_key

    defined = [token for piece in text.split() for token in re.findall(r"[a-z0-9]+|[^\sa-z0-9]", fold_key(piece))
               if re.search(r"\w", token)]
    assert textindex.char_tokens(text) == defined
