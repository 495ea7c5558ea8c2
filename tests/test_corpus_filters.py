"""Search filters in every combination: the same hits as filtering every measure
by hand, and a query plan that reaches them through indexes (no statement scans
a big table), whatever the corpus size. Speed itself is measured by
benchmarks/corpus_bench.py, not here."""

from __future__ import annotations

import importlib
import itertools
import re
import sqlite3
from dataclasses import dataclass

import pytest

from corpus import Filters, search, year_range
from normalizers.text import fold_key

# Two sets of values: names matched by part (水利署 → two agencies, 服務 → most
# dimensions, 組 → four units) and names matched exactly.
VALUES = {
    "by part": {"agency": "水利署", "year": "105", "years": "102-107", "dimension": "服務", "item": "SATISFACTION-SURVEY", "unit": "組"},
    "exact": {"agency": "經濟部水利署", "year": "107", "years": "105-112", "dimension": "基礎服務", "item": "QUANTIFIED", "unit": "業務組"},
}
QUERIES = ("", "服務", "謄本 OR 電話")
corpus_search = importlib.import_module("corpus.search")  # the module (corpus.search is the function)
BIG_TABLES = ("measures", "measure_keys", "measure_units", "item_matches", "measures_fts", "plan_facets")


def combinations() -> list[tuple[str, ...]]:
    """Every subset of the filters, with no year, one year or a range."""
    out = []
    for names in itertools.chain.from_iterable(itertools.combinations(("agency", "dimension", "item", "unit"), n) for n in range(5)):
        for years in ((), ("year",), ("years",)):
            if names or years:
                out.append(tuple(names) + years)
    return out


def filters_of(names: tuple[str, ...], values: dict[str, str]) -> Filters:
    year_from, year_to = year_range(values["year"] if "year" in names else None, values["years"] if "years" in names else None)
    return Filters(
        agency=values["agency"] if "agency" in names else None,
        year_from=year_from,
        year_to=year_to,
        dimension=values["dimension"] if "dimension" in names else None,
        item=values["item"] if "item" in names else None,
        unit=values["unit"] if "unit" in names else None,
    )


@dataclass
class Row:
    rowid: int
    agency_key: str | None
    roc_year: int | None
    dimension_key: str | None
    units: set[str]
    items: set[str]
    plan_id: int = 0
    agency: str | None = None
    dimension: str | None = None
    unit_names: list[str] | None = None


def every_measure(conn: sqlite3.Connection) -> list[Row]:
    units: dict[int, set[str]] = {}
    unit_names: dict[int, list[str]] = {}
    for rowid, key, name in conn.execute("SELECT measure_rowid, unit_key, unit FROM measure_units"):
        units.setdefault(rowid, set()).add(key)
        unit_names.setdefault(rowid, []).append(name)
    items: dict[int, set[str]] = {}
    for rowid, item in conn.execute("SELECT measure_rowid, item_id FROM item_matches"):
        items.setdefault(rowid, set()).add(item)
    rows = conn.execute(
        "SELECT m.id, p.agency_key, p.roc_year, m.dimension_key, p.id, p.agency, m.dimension FROM measures m JOIN plans p ON p.id = m.plan_id"
    )
    return [Row(r[0], r[1], r[2], r[3], units.get(r[0], set()), items.get(r[0], set()), r[4], r[5], r[6], unit_names.get(r[0], []))
            for r in rows]


def facets_by_hand(rows: list[Row], hits: set[int]) -> dict[str, list[tuple[object, int]]]:
    """Facet counts over the hits, most frequent first (years newest first on ties), 30 each."""
    from collections import Counter

    chosen = [r for r in rows if r.rowid in hits]
    counts = {
        "agency": Counter(r.agency for r in chosen if r.agency is not None),
        "roc_year": Counter(r.roc_year for r in chosen if r.roc_year is not None),
        "dimension": Counter(r.dimension for r in chosen if r.dimension is not None),
        "item": Counter(item for r in chosen for item in r.items),
        "unit": Counter(unit for r in chosen for unit in r.unit_names),
    }
    return {
        name: sorted(c.items(), key=lambda kv: (-kv[1], -kv[0] if name == "roc_year" else kv[0]))[:30]
        for name, c in counts.items()
    }


def selected(value: str, stored: set[str]) -> set[str]:
    """The names a filter value selects: the equal one, else all containing it."""
    key = fold_key(value)
    return {key} if key in stored else {name for name in stored if key in name}


def by_hand(rows: list[Row], filters: Filters) -> set[int]:
    keep = rows
    if filters.agency:
        names = selected(filters.agency, {r.agency_key for r in rows if r.agency_key})
        keep = [r for r in keep if r.agency_key in names]
    if filters.year_from is not None:
        keep = [r for r in keep if r.roc_year is not None and filters.year_from <= r.roc_year <= filters.year_to]
    if filters.dimension:
        names = selected(filters.dimension, {r.dimension_key for r in rows if r.dimension_key})
        keep = [r for r in keep if r.dimension_key in names]
    if filters.item:
        keep = [r for r in keep if filters.item in r.items]
    if filters.unit:
        names = selected(filters.unit, set().union(*(r.units for r in rows)))
        keep = [r for r in keep if r.units & names]
    return {r.rowid for r in keep}


def test_every_filter_combination_gives_the_hits_of_filtering_by_hand(sample_conn):
    rows = every_measure(sample_conn)
    matched = {q: {h.measure_rowid for h in search(sample_conn, q, limit=1000).hits} for q in QUERIES if q}
    matched[""] = {r.rowid for r in rows}
    non_empty = 0
    for label, values in VALUES.items():
        for names in combinations():
            filters = filters_of(names, values)
            for query in QUERIES:
                result = search(sample_conn, query, filters, limit=1000)
                expected = by_hand(rows, filters) & matched[query]
                got = {h.measure_rowid for h in result.hits}
                assert got == expected, (label, names, query)
                assert result.total == len(expected)
                assert result.facets == facets_by_hand(rows, expected), (label, names, query)
                non_empty += bool(expected)
    # the comparison means something: most combinations select some measures
    assert non_empty > 100


def scans_of_big_tables(conn: sqlite3.Connection, statements: list[str]) -> list[tuple[str, str]]:
    """(statement, plan line) for each full scan of a big table, and each
    full-text match run once per row of another table (FTS5's plan "=M": a
    rowid given from outside with the match, which re-runs the whole query for
    every row: the 9.5-second plan of a dimension filter)."""
    aliases = re.compile(r"\b(" + "|".join(BIG_TABLES) + r")\s+(?:AS\s+)?([a-z])\b(?!\w)")
    found = []
    for sql in statements:
        if not sql.lstrip().upper().startswith(("SELECT", "INSERT", "WITH")):
            continue
        names = dict.fromkeys(BIG_TABLES)
        names.update({alias: table for table, alias in aliases.findall(sql)})
        for row in conn.execute("EXPLAIN QUERY PLAN " + sql):
            detail = row[3]
            scanned = re.match(r"SCAN (\w+)", detail)
            if not scanned or scanned.group(1) not in names:
                continue
            index = re.search(r"VIRTUAL TABLE INDEX \d+:(\S*)", detail)
            if index and "M" in index.group(1) and "=" not in index.group(1):
                continue  # the full-text index driving the match, once
            found.append((sql, detail))
    return found


def test_filter_only_pages_follow_year_agency_and_reading_order(sample_conn):
    """Paging through a filter-only search (counted from the per-plan facet
    rows) gives every hit once, newest year first, then agency, then reading order."""
    rows = {r.rowid: r for r in every_measure(sample_conn)}
    for names in [("agency",), ("years",), ("dimension",), ("agency", "dimension"), ("dimension", "years")]:
        for values in VALUES.values():
            filters = filters_of(names, values)
            whole = search(sample_conn, "", filters, limit=1000)
            paged = [h.measure_rowid for offset in range(0, whole.total + 7, 7)
                     for h in search(sample_conn, "", filters, limit=7, offset=offset, facets=False).hits]
            assert paged == [h.measure_rowid for h in whole.hits] and len(paged) == whole.total
            expected = sorted(paged, key=lambda i: (-(rows[i].roc_year or -1), rows[i].agency or "", rows[i].plan_id, i))
            assert paged == expected, names


# SQLite's query plans: PostgreSQL chooses its own by the table statistics.
SQLITE_ONLY = pytest.mark.parametrize("corpus_backend", ["sqlite"], indirect=True, scope="session")


@SQLITE_ONLY
@pytest.mark.parametrize("query", QUERIES)
def test_filtered_searches_never_scan_a_big_table(sample_conn, query):
    statements: list[str] = []
    sample_conn.set_trace_callback(statements.append)
    try:
        for label, values in VALUES.items():
            for names in combinations():
                search(sample_conn, query, filters_of(names, values), limit=20)
    finally:
        sample_conn.set_trace_callback(None)
    assert any("INSERT" in s and "temp.hits" in s for s in statements)
    assert scans_of_big_tables(sample_conn, statements) == []


@SQLITE_ONLY
def test_the_scan_detector_sees_a_scan(sample_conn):
    """The check above can fail: the plan a filter got before (the dimension
    compared per full-text row with the hits joined freely) shows its scan."""
    before = ("SELECT f.rowid FROM measures_fts f JOIN measure_keys m ON m.id = f.rowid JOIN plans p ON p.id = m.plan_id"
              " WHERE measures_fts MATCH 'tokens : \"电话\"' AND m.dimension_key = '服务递送'")
    assert [detail for _, detail in scans_of_big_tables(sample_conn, [before])] == ["SCAN f VIRTUAL TABLE INDEX 0:=M2"]
    substring = "SELECT m.id FROM measure_keys m WHERE instr(m.dimension_key, '服务') > 0"
    assert scans_of_big_tables(sample_conn, [substring])



@pytest.fixture(scope="module")
def reversed_conn(tmp_path_factory):
    """The samples indexed last first, searched with the tantivy engine: plan
    ids then run against the page order, within a year too (two plans of 105,
    whose agencies sort the other way round)."""
    from corpus import store
    from library import index_paths
    from tests import SAMPLES
    from tests.conftest import search_engine

    with search_engine("tantivy"):
        conn = store.connect(tmp_path_factory.mktemp("reversed") / "c.sqlite", create=True)
        summary = index_paths(conn, list(reversed(SAMPLES)))
        assert not summary.failed
        page_order = conn.execute("SELECT id FROM plans ORDER BY roc_year DESC, agency, id").fetchall()
        assert page_order != conn.execute("SELECT id FROM plans ORDER BY roc_year DESC, id").fetchall()
        yield conn
        conn.close()


@pytest.mark.parametrize("looked_up", [corpus_search.LOOKED_UP_PLANS, 0], ids=["plans-looked-up", "plans-walked"])
def test_filter_only_searches_on_the_index_answer_as_sqlite_does(reversed_conn, monkeypatch, looked_up):
    """A search by filters alone on the tantivy index (counts, facets and the
    hits of each plan from the index, the plans' order from SQLite) gives
    SQLite's answer for every filter combination and none: the same total,
    the same hits in the same order on every page, the same facets and notes.
    Both ways of ordering the plans run: each plan with hits looked up, and
    every plan walked in page order."""
    conn = reversed_conn
    monkeypatch.setattr(corpus_search, "LOOKED_UP_PLANS", looked_up)
    cases = [Filters()] + [filters_of(names, values) for values in VALUES.values() for names in combinations()]
    pages = 0
    for filters in cases:
        monkeypatch.setenv("PLANCHECK_SEARCH_ENGINE", "fts5")
        fts = search(conn, "", filters, limit=1000)
        monkeypatch.setenv("PLANCHECK_SEARCH_ENGINE", "tantivy")
        tv = search(conn, "", filters, limit=1000)
        assert (fts.engine, tv.engine) == ("fts5", "tantivy")
        order = [h.measure_rowid for h in fts.hits]
        assert tv.total == fts.total == len(order), filters
        assert [h.measure_rowid for h in tv.hits] == order, filters
        assert fts.approximate == tv.approximate == ()  # every FTS5 count is exact on the samples: the comparison is whole
        assert tv.facets == fts.facets and tv.notes == fts.notes, filters
        # Pages of 37 start and end inside plans.
        for offset in range(0, tv.total + 37, 37):
            page = search(conn, "", filters, limit=37, offset=offset, facets=False)
            assert page.engine == "tantivy" and page.total == tv.total
            assert [h.measure_rowid for h in page.hits] == order[offset:offset + 37], (filters, offset)
            pages += 1
    assert pages > 2 * len(cases)  # many searches select more than one page
