"""Search in the PostgreSQL corpus: ``corpus.search.search``'s answer (same
filters, facets, highlights, paging and order) from PostgreSQL's indexes.

* the text query is the compiled FTS5 expression as a ``tsquery`` over the
  GIN-indexed ``measures_fts.tsv`` (corpus/pg_text.py), ranked by FTS5's
  BM25 (``plancheck_bm25`` in the schema: the same formula, column weights,
  phrase counts and IDFs), ties in reading order;
* the filters are ``corpus.search``'s conditions (plain SQL over measure_keys
  ``m`` and plans ``p``); a name filter that is part of a stored name finds
  its names through a ``pg_trgm`` index;
* a search by agency, year or dimension alone counts from ``plan_facets`` and
  reads only the page's measures, as on SQLite.

Text sorts as SQLite's does: by code point (``COLLATE "C"``), NULL first
ascending and last descending.
"""

from __future__ import annotations

import math

from corpus.pg_store import PgConnection
from corpus.pg_text import phrases, tsquery_text
from corpus.search import (
    FACET_LIMIT, FACETS, Filters, SearchResult, _aggregable, _items_of, _query_plan, _top, compile_text, hit_of_row,
)

_HITS = """CREATE TEMP TABLE IF NOT EXISTS hits (
               id bigint PRIMARY KEY, score double precision NOT NULL, plan_id bigint NOT NULL, dimension text
           ) ON COMMIT DELETE ROWS"""
# The filter-only order: year newest first, agency, then reading order.
_PLAN_ORDER = 'p.roc_year DESC NULLS LAST, p.agency COLLATE "C" NULLS FIRST, p.id'


def _where(conditions: dict[str, tuple[str, list]]) -> tuple[str, list]:
    clauses, params = [], []
    for clause, values in conditions.values():
        clauses.append(clause)
        params.extend(values)
    return (" AND ".join(clauses) or "TRUE"), params


def bm25_arguments(conn: PgConnection, fts: str) -> list:
    """The arguments of ``plancheck_bm25`` after the row's tsv and length for
    one query: its phrases, their column weights and IDFs (FTS5's formula, with
    the number of rows holding each phrase), and the average row length."""
    found = phrases(fts)
    rows, tokens = conn.run("SELECT coalesce(sum(measure_count), 0), coalesce(sum(fts_length), 0) FROM plans").fetchone()
    idf = []
    for phrase in found:
        holding = conn.run("SELECT count(*) FROM measures_fts WHERE tsv @@ %s::tsquery", (phrase.tsquery(),)).fetchone()[0]
        value = math.log((rows - holding + 0.5) / (holding + 0.5)) if rows else 0.0
        idf.append(value if value > 0 else 1e-6)
    return [[" ".join(p.lexemes) for p in found], [p.prefix for p in found], [p.weight for p in found], idf,
            float(tokens) / rows if rows else 1.0]


BM25 = "plancheck_bm25(f.tsv, f.length, ?::text[], ?::boolean[], ?::float8[], ?::float8[], ?::float8)"


def _fill_hits(conn: PgConnection, compiled, conditions: dict) -> None:
    where, params = _where(conditions)
    if compiled is None:
        conn.execute(
            f"""INSERT INTO hits SELECT m.id, 0.0, m.plan_id, m.dimension
                FROM measure_keys m JOIN plans p ON p.id = m.plan_id WHERE {where}""",
            params,
        )
        return
    conn.execute(
        f"""INSERT INTO hits
            SELECT f.rowid, {BM25}, m.plan_id, m.dimension
            FROM measures_fts f JOIN measure_keys m ON m.id = f.rowid JOIN plans p ON p.id = m.plan_id
            WHERE f.tsv @@ ?::tsquery AND {where}""",
        [*bm25_arguments(conn, compiled.fts), tsquery_text(compiled.fts), *params],
    )


def _facets(conn: PgConnection) -> dict[str, list[tuple[object, int]]]:
    per_plan = "(SELECT plan_id, count(*) n FROM hits GROUP BY plan_id) h JOIN plans p ON p.id = h.plan_id"
    queries = {
        "agency": f"SELECT p.agency v, sum(h.n) c FROM {per_plan} WHERE p.agency IS NOT NULL GROUP BY p.agency",
        "roc_year": f"SELECT p.roc_year v, sum(h.n) c FROM {per_plan} WHERE p.roc_year IS NOT NULL GROUP BY p.roc_year",
        "dimension": "SELECT dimension v, count(*) c FROM hits WHERE dimension IS NOT NULL GROUP BY dimension",
        "item": "SELECT i.item_id v, count(*) c FROM hits h JOIN item_matches i ON i.measure_rowid = h.id GROUP BY i.item_id",
        "unit": "SELECT u.unit v, count(*) c FROM hits h JOIN measure_units u ON u.measure_rowid = h.id GROUP BY u.unit",
    }
    out: dict[str, list[tuple[object, int]]] = {}
    for name, sql in queries.items():
        order = "c DESC, v DESC" if name == "roc_year" else 'c DESC, v COLLATE "C"'
        rows = conn.execute(f"SELECT v, c FROM ({sql}) facet ORDER BY {order} LIMIT {FACET_LIMIT}").fetchall()
        out[name] = [(row[0], int(row[1])) for row in rows]
    return out


def _from_aggregates(conn: PgConnection, conditions: dict, limit: int, offset: int, facets: bool) -> tuple[int, list, dict]:
    """Total, the page's measure ids and the facets from plan_facets: one row per
    selected plan and dimension, then only the page's measures."""
    plan_where, plan_params = conditions.get("plan", ("TRUE", []))
    dimension_where, dimension_params = conditions.get("dimension", ("TRUE", []))
    facet_dimension = dimension_where.replace("m.dimension_key", "f.dimension_key")
    per_plan = conn.execute(
        f"""SELECT p.id, p.agency, p.roc_year, sum(f.n) n
            FROM plans p JOIN plan_facets f ON f.plan_id = p.id AND f.facet = 'all'
            WHERE {plan_where} AND {facet_dimension}
            GROUP BY p.id ORDER BY {_PLAN_ORDER}""",
        [*plan_params, *dimension_params],
    ).fetchall()
    total = sum(int(row["n"]) for row in per_plan)
    page: list[tuple[int, float]] = []
    skip = offset
    for row in per_plan:
        if len(page) >= limit:
            break
        if skip >= row["n"]:
            skip -= int(row["n"])
            continue
        rows = conn.execute(
            f"SELECT m.id FROM measure_keys m WHERE m.plan_id = ? AND {dimension_where} ORDER BY m.id LIMIT ? OFFSET ?",
            [row["id"], *dimension_params, limit - len(page), skip],
        ).fetchall()
        page.extend((r[0], 0.0) for r in rows)
        skip = 0
    if not facets:
        return total, page, {}
    agencies: dict = {}
    years: dict = {}
    for row in per_plan:
        if row["agency"] is not None:
            agencies[row["agency"]] = agencies.get(row["agency"], 0) + int(row["n"])
        if row["roc_year"] is not None:
            years[row["roc_year"]] = years.get(row["roc_year"], 0) + int(row["n"])
    out = {"agency": _top(agencies), "roc_year": _top(years, by_value_desc=True)}
    for name in ("dimension", "item", "unit"):
        rows = conn.execute(
            f"""SELECT f.value, sum(f.n) c FROM plans p JOIN plan_facets f ON f.plan_id = p.id AND f.facet = ?
                WHERE {plan_where} AND {facet_dimension} GROUP BY f.value""",
            [name, *plan_params, *dimension_params],
        ).fetchall()
        out[name] = _top({row[0]: int(row[1]) for row in rows})
    return total, page, out


_PAGE_ROWS = """SELECT m.id AS rowid, m.measure_id, m.plan_id, m.path_json, m.number, m.text, m.dimension,
                       m.departments_json, m.deadline, m.page, m.line, m.row, p.agency, p.roc_year, p.source_path,
                       p.sha256, p.format, p.title
                FROM measures m JOIN plans p ON p.id = m.plan_id WHERE m.id = ANY(%s)"""


def search(
    conn: PgConnection,
    query: str,
    filters: Filters,
    *,
    limit: int,
    offset: int,
    facets: bool,
    snippet_width: int,
) -> SearchResult:
    """``corpus.search.search`` on PostgreSQL (paging already checked there)."""
    compiled = compile_text(query)
    notes: list[str] = []
    plan = _query_plan(conn, filters, notes)
    facet_values: dict = {}
    with conn.transaction():
        if plan.empty:
            total, page = 0, []
            facet_values = {name: [] for name in FACETS} if facets else {}
        elif _aggregable(compiled, plan):
            total, page, facet_values = _from_aggregates(conn, plan.conditions, limit, offset, facets)
        else:
            conn.execute(_HITS)
            _fill_hits(conn, compiled, plan.conditions)
            total = conn.execute("SELECT count(*) FROM hits").fetchone()[0]
            order = "h.score DESC, h.id" if compiled else f"{_PLAN_ORDER}, h.id"
            page = [(row[0], row[1]) for row in conn.execute(
                f"SELECT h.id, h.score FROM hits h JOIN plans p ON p.id = h.plan_id ORDER BY {order} LIMIT ? OFFSET ?",
                (limit, offset),
            ).fetchall()]
            facet_values = _facets(conn) if facets else {}
        scores = dict(page)
        rows = {row["rowid"]: row for row in conn.run(_PAGE_ROWS, ([rowid for rowid, _ in page],)).fetchall()} if page else {}
        items = _items_of(conn, list(scores))
    needles = compiled.needles if compiled else []
    hits = [hit_of_row(rows[rowid], float(score), needles, items.get(rowid, []), snippet_width) for rowid, score in page]
    return SearchResult(query=query, total=total, hits=hits, facets=facet_values, filters=filters,
                        fts=compiled.fts if compiled else None, notes=notes)


def item_relevance(conn: PgConnection, fts: str, item_id: str) -> list[tuple[int, float]]:
    """(measure, rank) of the measures matched for ``item_id`` that match the
    compiled cue-word expression (``corpus.exemplars``' relevance)."""
    return [(row[0], float(row[1])) for row in conn.execute(
        f"""SELECT f.rowid, {BM25} FROM measures_fts f
            WHERE f.tsv @@ ?::tsquery AND f.rowid IN (SELECT measure_rowid FROM item_matches WHERE item_id = ?)""",
        [*bm25_arguments(conn, fts), tsquery_text(fts), item_id],
    ).fetchall()]
