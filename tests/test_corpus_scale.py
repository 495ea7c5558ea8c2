"""Search at scale with the same answers: the page is BM25's top of the hits
(only the hits that can reach the page are scored), facets are exact up to
FACET_CAP hits and above it estimated from a sample, marked 約 on the page and
in the CLI, and the synonym expansion is computed once per term. The caps are
lowered here so the sample corpus crosses them; the figures they buy are in
benchmarks/README.md, never asserted here. The caps and their rules live in
corpus/search.py and the PostgreSQL search (corpus/pg_search.py) applies them
too, so every cap test runs on both. The tantivy engine (of either corpus)
(corpus/tantivy_search.py) has no caps: it ranks every hit by its own BM25 and
counts every facet exactly. Its rule, checked here: the same set of hits and
total as FTS5's match, pages that are slices of its one ranking (scores never
rising), exact facets and no 約 or ranking note even with the caps lowered;
how far its top 20 agrees with FTS5's is printed (-s), not asserted."""

from __future__ import annotations

import importlib
import json
import os
import re

import pytest

from corpus import Filters, pg_search, search, textindex
from corpus.backend import is_postgres
from corpus.pg_text import tsquery_text
from corpus.search import BM25_WEIGHTS, compile_text
from tests.conftest import search_engine
from tests.test_corpus_filters import every_measure, facets_by_hand

# The module, not the function corpus re-exports under the same name.
search_module = importlib.import_module("corpus.search")

QUERIES = ("謄本", "電話禮貌測試", "服務", "網路 NOT 臨櫃", "滿意度 OR 陳情", '"免書證免謄本"', "禮貌*")


# The back-ends whose ranking and facets are bounded by RANK_CAP and FACET_CAP.
CAPPED_BACKENDS = pytest.mark.parametrize("corpus_backend", ["sqlite", "postgresql"], indirect=True, scope="session")
TANTIVY_ONLY = pytest.mark.parametrize("corpus_backend", ["tantivy", "postgresql-tantivy"], indirect=True, scope="session")


def fts5_hits(conn, query: str, filters: Filters | None = None) -> list[int]:
    """The hits FTS5 finds for ``query`` (SQLite's own search, ranked its way)."""
    with search_engine("sqlite"):
        result = search(conn, query, filters, limit=1000, facets=False)
    assert result.engine == ("postgresql" if is_postgres(conn) else "fts5")
    return [h.measure_rowid for h in result.hits]


def tantivy_ranking(conn, query: str, filters: Filters | None = None) -> list[tuple[int, float]]:
    """Every hit of ``query`` ranked by the tantivy engine, checked to be the
    very hits FTS5 finds, scores never rising; prints the top-20 agreement."""
    result = search(conn, query, filters, limit=1000, facets=False)
    assert result.engine == "tantivy"
    ranking = [(h.measure_rowid, h.score) for h in result.hits]
    reference = fts5_hits(conn, query, filters)
    assert sorted(r for r, _ in ranking) == sorted(reference), query
    scores = [s for _, s in ranking]
    assert scores == sorted(scores, reverse=True)
    top = {r for r, _ in ranking[:20]}
    print(f"top-20 agreement with FTS5, {query!r}: {len(top & set(reference[:20]))} of {min(20, len(reference))}")
    return ranking


def full_ranking(conn, query: str, filters: Filters | None = None) -> list[tuple[int, float]]:
    """Every hit of ``query`` scored by BM25, best first, ties in reading order:
    the ranking as computed before the cap, over all matches."""
    if os.environ.get("PLANCHECK_SEARCH_ENGINE") == "tantivy":
        return tantivy_ranking(conn, query, filters)
    hits = {h.measure_rowid for h in search(conn, query, filters, limit=1000, facets=False).hits}
    fts = compile_text(query).fts
    if is_postgres(conn):  # the back-end's BM25 (FTS5's formula) over every match
        rank = pg_search.ranking(conn, fts)
        lexemes, params = pg_search.kept_lexemes(rank.phrases)
        rows = conn.execute(f"SELECT f.rowid, f.length, {lexemes} FROM measures_fts f WHERE f.tsv @@ ?::tsquery",
                            [*params, tsquery_text(fts)]).fetchall()
        rows = list(pg_search.scores(rank, rows).items())
    else:
        rows = conn.execute("SELECT rowid, -bm25(measures_fts, ?, ?) FROM measures_fts WHERE measures_fts MATCH ?",
                            (*BM25_WEIGHTS, fts)).fetchall()
    return sorted(((r, s) for r, s in rows if r in hits), key=lambda rs: (-rs[1], rs[0]))


@pytest.mark.parametrize("query", QUERIES)
def test_page_is_the_top_of_the_full_ranking(sample_conn, query):
    expected = full_ranking(sample_conn, query)
    assert expected, query
    for limit, offset in ((20, 0), (5, 3), (len(expected), 0)):
        result = search(sample_conn, query, limit=limit, offset=offset)
        got = [(h.measure_rowid, h.score) for h in result.hits]
        assert [r for r, _ in got] == [r for r, _ in expected[offset:offset + limit]]
        assert [s for _, s in got] == pytest.approx([s for _, s in expected[offset:offset + limit]])
        assert result.total == len(expected)
        assert not result.notes


def test_filtered_page_is_the_top_of_the_filtered_ranking(sample_conn):
    filters = Filters(agency="水利署")
    expected = full_ranking(sample_conn, "服務", filters)
    got = search(sample_conn, "服務", filters, limit=10).hits
    assert [h.measure_rowid for h in got] == [r for r, _ in expected[:10]] and len(expected) > 10


@CAPPED_BACKENDS
def test_capped_ranking_scores_the_newest_hits_and_paging_reaches_every_hit(sample_conn, monkeypatch):
    cap = 7
    monkeypatch.setattr(search_module, "RANK_CAP", cap)
    expected_all = full_ranking(sample_conn, "服務")
    assert len(expected_all) > 3 * cap
    newest = sorted(r for r, _ in expected_all)[-cap:]
    ranked = [rs for rs in expected_all if rs[0] in newest]
    rest = sorted((r for r, _ in expected_all if r not in newest), reverse=True)

    first = search(sample_conn, "服務", limit=cap)
    assert [h.measure_rowid for h in first.hits] == [r for r, _ in ranked]
    assert [h.score for h in first.hits] == pytest.approx([s for _, s in ranked])
    assert first.total == len(expected_all)
    assert any("最近收錄的 7 項" in note for note in first.notes)

    paged = [h.measure_rowid for offset in range(0, first.total + 5, 5)
             for h in search(sample_conn, "服務", limit=5, offset=offset, facets=False).hits]
    assert paged == [r for r, _ in ranked] + rest


@CAPPED_BACKENDS
def test_capped_ranking_scores_at_most_the_cap(sample_conn, monkeypatch):
    """Work, not time: BM25 runs on the RANK_CAP newest hits only (the others
    are stored with score 0), and exactly RANK_CAP hits are all ranked."""
    monkeypatch.setattr(search_module, "RANK_CAP", 7)
    if is_postgres(sample_conn):  # the temp table empties with the search's transaction: count the rows scored
        counted: list[int] = []
        original = pg_search.scores
        monkeypatch.setattr(pg_search, "scores", lambda rank, rows: counted.append(len(rows)) or original(rank, rows))
        result = search(sample_conn, "服務", limit=20)
        scored = sum(counted)
    else:
        result = search(sample_conn, "服務", limit=20)
        scored = sample_conn.execute("SELECT count(*) FROM temp.hits WHERE score != 0").fetchone()[0]
    assert result.total > 20 and scored == 7
    monkeypatch.setattr(search_module, "RANK_CAP", result.total)
    whole = search(sample_conn, "服務", limit=1000)
    assert not whole.notes and [h.measure_rowid for h in whole.hits] == [r for r, _ in full_ranking(sample_conn, "服務")]


FILTERS = [Filters(), Filters(agency="水利署"), Filters(year_from=102, year_to=107),
           Filters(dimension="服務"), Filters(unit="組"), Filters(item="SATISFACTION-SURVEY")]


@pytest.mark.parametrize("query", ["服務", "謄本 OR 電話", ""])
def test_facets_below_the_cap_are_exact(sample_conn, query):
    rows = every_measure(sample_conn)
    for filters in FILTERS:
        if not query and not filters.active():
            continue
        result = search(sample_conn, query, filters, limit=1000)
        expected = {h.measure_rowid for h in result.hits}
        assert result.total == len(expected)
        assert result.facets == facets_by_hand(rows, expected)
        assert result.approximate == ()


def sample_of(hits: set[int], step: int) -> set[int]:
    """The hits the facet sample takes: the same hash of the rowid as corpus.search."""
    return {r for r in hits if ((r * 2654435761) // 4096) % step == 0}


@CAPPED_BACKENDS
def test_capped_facets_are_estimates_from_a_sample_and_the_rest_exact(sample_conn, monkeypatch):
    cap = 25
    monkeypatch.setattr(search_module, "FACET_CAP", cap)
    rows = every_measure(sample_conn)
    result = search(sample_conn, "服務", limit=1000)
    hits = {h.measure_rowid for h in result.hits}
    assert result.total == len(hits) > 2 * cap
    assert result.approximate == ("item", "unit")
    exact = facets_by_hand(rows, hits)
    for name in ("agency", "roc_year", "dimension"):
        assert result.facets[name] == exact[name]
    step = -(-len(hits) // cap)
    sampled = sample_of(hits, step)
    assert 0 < len(sampled) < len(hits)
    from_sample = facets_by_hand(rows, sampled)
    for name in ("item", "unit"):
        estimate = {value: search_module.scaled(count, len(sampled), len(hits)) for value, count in from_sample[name]}
        assert dict(result.facets[name]) == estimate
        # an estimate never names a value the hits do not carry
        assert set(estimate) <= set(dict(exact[name]))
    # exactly at the cap nothing is estimated
    monkeypatch.setattr(search_module, "FACET_CAP", len(hits))
    at_cap = search(sample_conn, "服務", limit=1000)
    assert at_cap.approximate == () and at_cap.facets == exact


@CAPPED_BACKENDS
def test_capped_facets_say_約_in_the_cli_and_json(cli, sample_db, monkeypatch):
    monkeypatch.setattr(search_module, "FACET_CAP", 25)
    table = cli("search", "服務", "--db", str(sample_db))
    assert table.returncode == 0, table.stderr
    unit_line = next(line for line in table.stdout.splitlines() if line.startswith("承辦單位："))
    assert re.search(r"約 \d+", unit_line)
    agency_line = next(line for line in table.stdout.splitlines() if line.startswith("機關："))
    assert "約" not in agency_line
    assert "依部分結果估計" in table.stdout
    as_json = cli("search", "服務", "--db", str(sample_db), "--json")
    assert json.loads(as_json.stdout)["facets_approximate"] == ["item", "unit"]
    monkeypatch.setattr(search_module, "FACET_CAP", 100_000)
    exact = cli("search", "服務", "--db", str(sample_db)).stdout
    assert not re.search(r"約 \d", exact) and "依部分結果估計" not in exact


@CAPPED_BACKENDS
def test_capped_facets_say_約_on_the_page(sample_db, tmp_path, monkeypatch):
    from plancheck.web import create_app

    client = create_app(sample_db, tmp_path).test_client()
    monkeypatch.setattr(search_module, "FACET_CAP", 25)
    page = client.get("/", query_string={"q": "服務"}).get_data(as_text=True)
    unit = re.search(r'<section data-facet="unit">(.*?)</section>', page, re.S).group(1)
    agency = re.search(r'<section data-facet="agency">(.*?)</section>', page, re.S).group(1)
    assert re.search(r'<span class="count">約 \d+</span>', unit) and "依部分結果估計" in unit
    assert "約" not in agency
    monkeypatch.setattr(search_module, "FACET_CAP", 100_000)
    assert "約" not in client.get("/", query_string={"q": "服務"}).get_data(as_text=True).split('id="facets"')[1].split("</aside>")[0]


@TANTIVY_ONLY
def test_tantivy_ranks_every_hit_and_counts_every_facet_whatever_the_caps(sample_db, sample_conn, cli, tmp_path, monkeypatch):
    from plancheck.web import create_app

    monkeypatch.setattr(search_module, "RANK_CAP", 7)
    monkeypatch.setattr(search_module, "FACET_CAP", 25)
    rows = every_measure(sample_conn)
    whole = search(sample_conn, "服務", limit=1000)
    assert whole.engine == "tantivy" and whole.total > 3 * 25
    assert not whole.notes and whole.approximate == ()
    assert whole.facets == facets_by_hand(rows, {h.measure_rowid for h in whole.hits})
    ranking = [(h.measure_rowid, h.score) for h in whole.hits]
    assert ranking == tantivy_ranking(sample_conn, "服務")
    paged = [h.measure_rowid for offset in range(0, whole.total + 5, 5)
             for h in search(sample_conn, "服務", limit=5, offset=offset, facets=False).hits]
    assert paged == [r for r, _ in ranking]
    assert not re.search(r"約 \d", cli("search", "服務", "--db", str(sample_db)).stdout)
    page = create_app(sample_db, tmp_path).test_client().get("/", query_string={"q": "服務"}).get_data(as_text=True)
    assert "依部分結果估計" not in page and not re.search(r'<span class="count">約', page)


def test_synonym_expansion_is_computed_once_per_term(monkeypatch):
    terms = textindex._terms()
    calls: list[str] = []
    original = terms.expand

    def counting(term):
        calls.append(term)
        return original(term)

    monkeypatch.setattr(terms, "expand", counting)
    textindex._expansions.cache_clear()
    first = textindex.expansions("電話禮貌測試")
    for _ in range(5):
        assert textindex.expansions("電話禮貌測試") == first
    assert calls == ["電話禮貌測試"] and len(first) > 1
    textindex._expansions.cache_clear()
