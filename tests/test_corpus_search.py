"""Searching the sample corpus. Expected measures and counts were read off the
seed files (corpus/samples): e.g. 謄本 stands in the measure cells of seed 000
twice (lines 21, 115), 001 twice, 002 twice (lines 50, 54), 003 five times
(lines 59, 63) and 004 once (line 53); the other occurrences are in annexes,
scoring sheets or strategy headings, which are not measures."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus import Filters, QueryError, search, year_range
from corpus.highlight import find_spans

PHONE_TEST = {
    ("000", "t1-1-2-2-2"),  # 注重電話禮貌,不定期進行禮貌測試,每3個月至少測試1次。
    ("001", "t1-1-1-2-2"),  # 實施電話禮貌測試至少2次。
    ("002", "t1-1-3-4"),  # …「電話服務品質及禮貌測試」。
    ("003", "t1-1-1-4-5"),  # 透過電話互測、服務稽核…
    ("003", "t1-1-2-3-2"),  # …訂定電話禮貌測試要點…電話禮貌互測作業。
    ("004", "t1-1-1-3-4"),  # …「電話禮貌考核作業原則」，每月不定期進行電話測試。
}


def found(result) -> set[tuple[str, str]]:
    return {(Path(hit.source_path).name[:3], hit.measure_id) for hit in result.hits}


def run(conn, query: str, limit: int = 500, **filters):
    return search(conn, query, Filters(**filters), limit=limit)


def test_traditional_simplified_and_synonyms_find_the_same_measures(sample_conn):
    traditional = run(sample_conn, "電話禮貌測試")
    simplified = run(sample_conn, "电话礼貌测试")
    assert found(traditional) == found(simplified) == PHONE_TEST
    assert traditional.total == 6


def test_variant_characters_and_width_are_folded(sample_conn):
    taiwan = run(sample_conn, "台電")
    assert found(taiwan) == found(run(sample_conn, "臺電")) == found(run(sample_conn, "台电"))
    assert taiwan.total == 5
    assert found(run(sample_conn, "ＯＤＦ")) == found(run(sample_conn, "odf")) != set()


def test_phrase_is_an_exact_substring(sample_conn):
    result = run(sample_conn, '"電話禮貌測試"')
    assert found(result) == {("001", "t1-1-1-2-2"), ("003", "t1-1-2-3-2")}
    assert found(run(sample_conn, "「电话礼貌测试」")) == found(result)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("謄本", 12),
        ("隱私", 3),  # 000 line 96, 001 line 40, 004 line 57; seed 002's is in a section, not a measure
        ("隐私", 3),
        ("免謄本", 4),
    ],
)
def test_one_and_two_character_queries(sample_conn, query, expected):
    assert run(sample_conn, query).total == expected


def test_single_character_query_works(sample_conn):
    result = run(sample_conn, "隱")
    assert found(result) == found(run(sample_conn, "隱私"))


def test_boolean_operators_and_prefix(sample_conn):
    phone = run(sample_conn, "電話").total
    courtesy = run(sample_conn, "電話 禮貌").total
    without = run(sample_conn, "電話 NOT 禮貌").total
    assert courtesy + without == phone
    assert run(sample_conn, "電話 -禮貌").total == without
    either = found(run(sample_conn, "謄本 OR 隱私"))
    assert either == found(run(sample_conn, "謄本")) | found(run(sample_conn, "隱私"))
    assert found(run(sample_conn, "(謄本 OR 隱私) 線上")) <= either
    prefix = run(sample_conn, "禮貌*")
    assert found(run(sample_conn, "禮貌")) <= found(prefix)


def test_snippets_highlight_the_original_text(sample_conn):
    result = run(sample_conn, "电话礼貌测试")
    by_id = {(Path(h.source_path).name[:3], h.measure_id): h for h in result.hits}
    hit = by_id[("001", "t1-1-1-2-2")]
    assert hit.snippet.marked("[", "]") == "實施[電話禮貌測試]至少2次。"
    # The contract's snippet is HTML: text escaped, matches in <mark>.
    assert "<mark>電話禮貌測試</mark>" in hit.to_json()["snippet"]
    for hit in result.hits:
        assert any(marked for _, marked in hit.snippet.parts), hit.text
        # highlights are offsets into the original text
        assert all(hit.text[s:e] for s, e in hit.snippet.spans)


def test_highlight_spans_map_folded_matches_back():
    assert find_spans("臺中市 台中市", ["台中"]) == [(0, 2), (4, 6)]


def test_facet_counts(sample_conn):
    result = run(sample_conn, "謄本")
    assert dict(result.facets["agency"]) == {
        "臺中市龍井區戶政事務所": 5,
        "經濟部水利署": 2,
        "經濟部水利署第二河川局": 2,
        "高雄市政府": 2,
        "台電公司台北市區營業處": 1,
    }
    assert dict(result.facets["roc_year"]) == {107: 5, 105: 4, 102: 2, 112: 1}
    # seed 003 line 59: three items of 全體同仁; line 63: 承辦人 and 全體同仁; seed 004 line 53: 業務組
    assert dict(result.facets["unit"]) == {"全體同仁": 4, "承辦人": 1, "業務組": 1}


def test_filters(sample_conn):
    assert run(sample_conn, "謄本", agency="水利署").total == 4  # part of a name: both 水利署 plans
    assert run(sample_conn, "謄本", agency="經濟部水利署").total == 2  # a whole name: only that plan
    assert run(sample_conn, "謄本", agency="臺電公司").total == 1
    start, end = year_range(years="102-105")
    assert run(sample_conn, "謄本", year_from=start, year_to=end).total == 6
    start, end = year_range(year="2018")
    assert run(sample_conn, "謄本", year_from=start, year_to=end).total == 5
    assert run(sample_conn, "謄本", unit="承辦人").total == 1
    assert run(sample_conn, "謄本", unit="業務組", agency="台電").total == 1
    assert run(sample_conn, "謄本", unit="業務組", agency="高雄").total == 0


def test_empty_query_lists_by_filters(sample_conn):
    assert run(sample_conn, "", agency="經濟部水利署第二河川局").total == 51


def test_ranking_prefers_the_whole_phrase(sample_conn):
    top = run(sample_conn, "電話禮貌測試").hits[0]
    assert "電話禮貌測試" in top.text or "電話禮貌" in top.text
    scores = [hit.score for hit in run(sample_conn, "謄本").hits]
    assert scores == sorted(scores, reverse=True)


def test_bad_year_range_is_a_clear_error():
    with pytest.raises(QueryError, match="起-迄"):
        year_range(years="百零二")
    with pytest.raises(QueryError, match="擇一"):
        year_range(year="105", years="102-105")
