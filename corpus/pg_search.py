"""Search in the PostgreSQL corpus: ``corpus.search.search``'s answer (same
filters, facets, highlights, paging and order) from PostgreSQL's indexes.

* the text query is the compiled FTS5 expression as a ``tsquery`` over the
  GIN-indexed ``measures_fts.tsv`` (corpus/pg_text.py), ranked by FTS5's
  BM25 (``Ranking``: the same formula, column weights, phrase instance counts
  from the tsvector's positions, IDFs over the corpus), ties in reading order;
* ``corpus.search``'s bounds apply unchanged (``scored_limit``, ``_rank_page``,
  ``_facets`` and the temp tables they read, through ``pg_store.dialect``):
  without a filter only the RANK_CAP newest matches are scored, the rest follow
  newest first with the same note; above FACET_CAP hits the item and unit
  facets are estimated from the same sample and marked approximate;
* the filters are ``corpus.search``'s conditions (plain SQL over measure_keys
  ``m`` and plans ``p``); a name filter that is part of a stored name finds
  its names through a ``pg_trgm`` index;
* a search by agency, year or dimension alone counts from ``plan_facets`` and
  reads only the page's measures, as on SQLite.

Text sorts as SQLite's does: by code point (``COLLATE "C"``), NULL first
ascending and last descending.
"""

from __future__ import annotations

import importlib
import math
import re
from dataclasses import dataclass
from functools import cached_property, partial

from corpus.pg_store import PgConnection
from corpus.pg_text import (
    MAX_BRANCHES_SPLIT, Phrase, branches, expression_tree, match_condition, phrase_counter, phrases, tsquery_text,
)
from corpus.search import (
    _SAMPLE_HASH, FACETS, Filters, SearchResult, _aggregable, _engine_answer, _engine_browse, _query_plan, _top,
    compile_text, hit_of_row, page_slices, rank_note, scaled, scored_limit,
)

# corpus.search's caps (RANK_CAP, FACET_CAP) are read from it at each search.
shared = importlib.import_module("corpus.search")

# corpus.search's temp tables, emptied when the search's transaction ends.
# One statement each: a search sends them in a pipeline with its first query.
_TEMP_TABLES = (
    """CREATE TEMP TABLE IF NOT EXISTS hits (
        rowid bigint NOT NULL, score double precision NOT NULL, plan_id bigint NOT NULL, dimension text
    ) ON COMMIT DELETE ROWS""",
)
# What SQLite's CROSS JOIN means in the match and facet queries: the matches
# or hits drive, one index lookup each. PostgreSQL would hash-join them against
# a full scan of measure_keys or measure_units (7 ms each for 176 hits at 45k
# measures, growing with the corpus); for the rest of the transaction only.
_HITS_OUTER = ("SET LOCAL enable_hashjoin = off", "SET LOCAL enable_mergejoin = off")
# The filter-only order: year newest first, agency, then reading order.
_PLAN_ORDER = 'p.roc_year DESC NULLS LAST, p.agency COLLATE "C" NULLS FIRST, p.id'


def _where(conditions: dict[str, tuple[str, list]]) -> tuple[str, list]:
    clauses, params = [], []
    for clause, values in conditions.values():
        clauses.append(clause)
        params.extend(values)
    return (" AND ".join(clauses) or "TRUE"), params


# IDFs by corpus state and phrase: counting the rows that hold a phrase is the
# costly part of BM25 here, and it only changes when plans are written.
_IDF_CACHE: dict[tuple, float] = {}
_IDF_CACHE_SIZE = 20_000


@dataclass(frozen=True)
class Ranking:
    """What BM25 needs of the corpus for one query: its phrases, their IDFs and
    the average row length (FTS5's formula)."""

    phrases: list[Phrase]
    idf: list[float]
    average_length: float
    tree: tuple

    @cached_property
    def counted(self):
        return phrase_counter(self.tree)

    @cached_property
    def counters(self) -> list:
        """Per phrase, its instance count in a row's positions (``instances``);
        a single word's is the length of its position list."""
        return [(lambda positions, word=p.lexemes[0]: len(positions.get(word, ())))
                if len(p.lexemes) == 1 and not p.prefix else partial(instances, p) for p in self.phrases]

    def counted_instances(self, positions: dict[str, list[int]]) -> dict[int, int]:
        """Phrase → its instances in a row, for the phrases FTS5's bm25 counts
        there: those of the sub-expressions the row satisfies."""
        found: dict[int, int] = {}
        counters = self.counters

        def present(number: int) -> int:  # asked once per phrase: each stands once in the tree
            found[number] = count = counters[number](positions)
            return count

        return {number: found[number] for number in self.counted(present) or ()}

    def score(self, counted: dict[int, int], length: int) -> float:
        """FTS5's bm25() of one row (positive: higher is better) from its
        ``counted_instances`` and its length."""
        score = 0.0
        for number, count in counted.items():
            frequency = self.phrases[number].weight * count
            score += self.idf[number] * frequency * (K1 + 1) / (frequency + K1 * (1 - B + B * length / self.average_length))
        return score


K1, B = 1.2, 0.75


def _like_prefix(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def instances(phrase: Phrase, positions: dict[str, list[int]]) -> int:
    """How often a phrase occurs in a row: the positions where its first lexeme
    stands with the next ones right after it (the last one a prefix when asked)."""
    words = phrase.lexemes
    if len(words) == 1 and not phrase.prefix:
        return len(positions.get(words[0], ()))
    last = len(words) - 1

    def spots(index: int) -> set[int]:
        if phrase.prefix and index == last:
            return {p for word, places in positions.items() if word.startswith(words[index]) for p in places}
        return set(positions.get(words[index], ()))

    # Narrowed lexeme by lexeme: most rows lack one of them, and stop early.
    starts = spots(0)
    for offset in range(1, last + 1):
        if not starts:
            return 0
        following = spots(offset)
        starts = {start for start in starts if start + offset in following}
    return len(starts)


_CORPUS_STATE = "SELECT coalesce(sum(measure_count), 0), coalesce(sum(fts_length), 0), coalesce(max(id), 0) FROM plans"


def ranking(conn: PgConnection, fts: str, state: tuple[int, int, int] | None = None) -> Ranking:
    """The phrases of a compiled query with their IDFs over the whole corpus;
    ``state`` is the row of _CORPUS_STATE when the caller has read it."""
    found = phrases(fts)
    rows, tokens, newest = state if state is not None else conn.run(_CORPUS_STATE).fetchone()
    state = (conn.url, rows, tokens, newest)  # a plan written or replaced changes it
    idf = []
    for phrase in found:
        key = (state, phrase.tsquery())
        if key not in _IDF_CACHE:
            if len(_IDF_CACHE) >= _IDF_CACHE_SIZE:
                _IDF_CACHE.clear()
            holding = conn.run("SELECT count(*) FROM measures_fts WHERE tsv @@ %s::tsquery", (phrase.tsquery(),)).fetchone()[0]
            value = math.log((rows - holding + 0.5) / (holding + 0.5)) if rows else 0.0
            _IDF_CACHE[key] = value if value > 0 else 1e-6
        idf.append(_IDF_CACHE[key])
    return Ranking(found, idf, float(tokens) / rows if rows else 1.0, expression_tree(fts))


# One lexeme of a tsvector's text and its positions ('word':1,5).
# Positions come without a weight letter (kept_lexemes leaves every one weighed D).
_LEXEME = re.compile(r"'((?:[^']|'')*)':([0-9,]+)")


def _positions(vector: str) -> dict[str, list[int]]:
    return {word.replace("''", "'").replace("\\\\", "\\"): list(map(int, spots.split(",")))
            for word, spots in _LEXEME.findall(vector)}


def kept_lexemes(found: list[Phrase]) -> tuple[str, list]:
    """SQL of a row's tsvector (``f.tsv``) cut down to the lexemes of
    ``found`` (a query's phrases), as text, and its parameters: done in
    PostgreSQL's own tsvector functions (every lexeme weighed D, the wanted
    ones C, the C ones kept and weighed D again, so that their positions print
    as bare numbers), or for a prefix by reading the lexemes one by one."""
    exact = sorted({lexeme for p in found for lexeme in (p.lexemes[:-1] if p.prefix else p.lexemes)})
    prefixes = sorted({_like_prefix(p.lexemes[-1]) for p in found if p.prefix})
    if not prefixes:
        return "setweight(ts_filter(setweight(setweight(f.tsv, 'D'), 'C', ?::text[]), '{c}'), 'D')::text", [exact]
    return ("""(SELECT coalesce(string_agg(quote_literal(u.lexeme) || ':' || array_to_string(u.positions, ','), ' '), '')
                 FROM unnest(f.tsv) u WHERE u.lexeme = ANY(?) OR u.lexeme LIKE ANY(?))""", [exact, prefixes])


def scores(rank: Ranking, rows) -> dict[int, float]:
    """BM25 of each (rowid, length, the query's lexemes of its tsvector) row;
    rows with the same lexemes at the same places (a measure repeated year
    after year) are counted once."""
    counted: dict[str, dict[int, int]] = {}
    out = {}
    for rowid, length, vector in rows:
        vector = vector or ""
        if vector not in counted:
            counted[vector] = rank.counted_instances(_positions(vector))
        out[rowid] = rank.score(counted[vector], length)
    return out


def _by_units(plan) -> bool:
    """Whether a filter-only search's hits are read from measure_units alone:
    a unit filter, with or without an agency, year or 面向 (an item filter
    needs item_matches anyway)."""
    return "unit" in plan.conditions and set(plan.conditions) <= {"unit", "plan", "dimension"}


def _fill_hits(conn: PgConnection, compiled, plan) -> tuple[int, int | None]:
    """Every matching measure into the temp table ``hits``, as
    ``corpus.search._fill_hits`` does: with a text query and no filter only the
    RANK_CAP newest matches are scored by BM25 (the rest keep 0.0), with one
    every match is. Returns the number of hits and the lowest scored rowid when
    some were left unscored, else None. Leaves the hits driving every later join.

    Two round trips: the session's temp table, join settings, the corpus
    figures BM25 needs and the match go in one pipeline; the scored hits are
    sent with the page and facet queries (``_page_and_facets``)."""
    where, params = _where(plan.conditions)
    for statement in _TEMP_TABLES:
        conn.execute(statement)
    if compiled is None and _by_units(plan):
        # The unit rows carry their measure's plan and 面向 (migration 4). The
        # planner picks the driver, hash joins still allowed: the unit key's
        # index with the selected plans hashed (unit + years 105-108 at 1M), or
        # the few plans an agency selects, each plan's units by (plan_id,
        # unit_key). A measure under two matching units counts once.
        unit_where, unit_params = plan.drivers["unit"][1:3]
        plan_where, plan_params = plan.conditions.get("plan", ("TRUE", []))
        dimension_where, dimension_params = plan.dimension("d")
        conn.execute(
            f"""INSERT INTO hits SELECT d.measure_rowid, 0.0, d.plan_id, d.dimension
                FROM measure_units d {"JOIN plans p ON p.id = d.plan_id" if "plan" in plan.conditions else ""}
                WHERE {unit_where} AND {plan_where} AND {dimension_where}
                GROUP BY d.measure_rowid, d.plan_id, d.dimension""",
            [*unit_params, *plan_params, *dimension_params],
        )
        for statement in _HITS_OUTER:
            conn.execute(statement)
        return conn.execute("SELECT count(*) FROM hits").fetchone()[0], None
    for statement in _HITS_OUTER:
        conn.execute(statement)
    if compiled is None:
        # The planner picks how the filters drive (SQLite counts the candidates' rows).
        conn.execute(
            f"""INSERT INTO hits SELECT m.id, 0.0, m.plan_id, m.dimension
                FROM measure_keys m JOIN plans p ON p.id = m.plan_id WHERE {where}""",
            params,
        )
        return conn.execute("SELECT count(*) FROM hits").fetchone()[0], None
    # measure_keys and plans are joined only to test a filter. When an agency
    # or year is the only filter and GIN reads the text branch by branch (each
    # from its rarest lexeme), the match is also narrowed to the selected plans'
    # rows through measures_fts_plan, ANDed with the text's bitmap before the
    # heap is read: 無障礙 in 臺中市's plans at 1M measures reads 1,092 rows, not
    # 22,608. Otherwise (a tsquery whose index part walks every character's
    # postings, or another filter that may drive) the planner starts where it
    # likes: through measure_keys it may start from the few plans selected.
    narrow = set(plan.conditions) == {"plan"} and len(branches(compiled.fts)[1]) <= MAX_BRANCHES_SPLIT
    if narrow:
        plan_where, plan_params = plan.conditions["plan"]
        tail = "JOIN plans p ON p.id = f.plan_id"
        where = f"{where} AND f.plan_id = ANY(ARRAY(SELECT p.id FROM plans p WHERE {plan_where}))"
        params = [*params, *plan_params]
        # An index scan of the selected plans' rows would read every one of them.
        conn.execute("SET LOCAL enable_indexscan = off")
    else:
        tail = ("JOIN measure_keys m ON m.id = f.rowid" if plan.conditions else "") + (
            " JOIN plans p ON p.id = m.plan_id" if "plan" in plan.conditions else "")
    found = phrases(compiled.fts)
    lexemes, lexeme_params = kept_lexemes(found)
    match, match_params = match_condition(compiled.fts)
    cap = scored_limit(plan)
    corpus_state = conn.run(_CORPUS_STATE, prepare=True)
    # One statement: the hits left unscored go straight into the temp table,
    # the ones to score come back with the query's lexemes of their tsvector
    # (only theirs are read) and the number of matches. LIMIT NULL is no limit.
    matched = conn.execute(
        f"""WITH matched AS MATERIALIZED (
                SELECT f.rowid, f.plan_id, f.dimension FROM measures_fts f {tail}
                WHERE {match} AND {where}),
            floor AS (SELECT min(rowid) AS rowid FROM (SELECT rowid FROM matched ORDER BY rowid DESC LIMIT ?) newest),
            unscored AS (INSERT INTO hits SELECT rowid, 0.0, plan_id, dimension FROM matched WHERE rowid < (SELECT rowid FROM floor))
            SELECT h.rowid, h.plan_id, h.dimension, f.length, {lexemes}, (SELECT count(*) FROM matched)
            FROM matched h JOIN measures_fts f ON f.rowid = h.rowid WHERE h.rowid >= (SELECT rowid FROM floor)""",
        [*match_params, *params, cap, *lexeme_params],
    )
    if narrow:
        conn.execute("SET LOCAL enable_indexscan = on")
    rank = ranking(conn, compiled.fts, corpus_state.fetchone())  # the first fetch sends the pipeline
    rows = matched.fetchall()
    if not rows:
        return 0, None
    scored = scores(rank, [(rowid, length, vector) for rowid, _plan, _dimension, length, vector, _total in rows])
    conn.execute("INSERT INTO hits SELECT * FROM unnest(?::bigint[], ?::float8[], ?::bigint[], ?::text[])",
                 [[row[0] for row in rows], [scored[row[0]] for row in rows], [row[1] for row in rows], [row[2] for row in rows]])
    # The newest `cap` matches were scored: the rest, if any, were not.
    total = rows[0][5]
    return total, (min(scored) if total > len(rows) else None)


def _page_ranks(floor: int | None, total: int, limit: int, offset: int) -> tuple[str, list]:
    """``corpus.search._rank_page`` as one query of (rowid, score, ord): the
    scored hits best first, ties in reading order, then the unscored older ones
    newest first."""
    ranked = total if floor is None else shared.RANK_CAP
    first = max(0, min(limit, ranked - offset))
    rest = limit - first if floor is not None and offset + limit > ranked else 0
    return ("""SELECT rowid, score, row_number() OVER (ORDER BY score DESC, rowid) AS ord FROM (
                   SELECT rowid, score FROM hits WHERE rowid >= ? ORDER BY score DESC, rowid LIMIT ? OFFSET ?) scored
               UNION ALL
               SELECT rowid, score, ? + row_number() OVER (ORDER BY rowid DESC) FROM (
                   SELECT rowid, score FROM hits WHERE rowid < ? ORDER BY rowid DESC LIMIT ? OFFSET ?) older""",
            [floor or 0, first, min(offset, ranked), first, floor or 0, rest, max(0, offset - ranked)])


def _page_in_plan_order(conn: PgConnection, limit: int, offset: int):
    """The filter-only page's rows (a cursor): the hits in year newest first,
    agency, reading order. Every hit needs its plan's order, so this one join
    hashes the plans: by index per hit, as _HITS_OUTER has it, PostgreSQL walks
    the sorted plans against the whole hits table instead (65 million pairs for
    the 20,471 hits of a unit filter with years 105–108 at 1M measures, 5 s)."""
    conn.execute("SET LOCAL enable_hashjoin = on")
    rows = conn.execute(*_page_rows((
        f"""SELECT h.rowid, h.score, row_number() OVER (ORDER BY {_PLAN_ORDER}, h.rowid) AS ord
            FROM hits h JOIN plans p ON p.id = h.plan_id ORDER BY {_PLAN_ORDER}, h.rowid LIMIT ? OFFSET ?""",
        [limit, offset])))
    conn.execute("SET LOCAL enable_hashjoin = off")
    return rows


def _page_by_ids(ids: list[int], scores: list[float] | None = None) -> tuple[str, list]:
    if scores is None:
        return "SELECT g.rowid, 0.0 AS score, g.ord FROM unnest(?::bigint[]) WITH ORDINALITY g(rowid, ord)", [ids]
    return ("SELECT g.rowid, g.score, g.ord FROM unnest(?::bigint[], ?::float8[]) WITH ORDINALITY g(rowid, score, ord)",
            [ids, scores])


def _plans_in_page_order(conn: PgConnection, plan, counts: dict[int, int]):
    """(plan, hits) of each plan with hits in the filter-only order, for the
    tantivy index's answer (``corpus.search._engine_browse``)."""
    rows = conn.execute(f"SELECT p.id FROM plans p WHERE p.id = ANY(?) ORDER BY {_PLAN_ORDER}", [list(counts)])
    return ((plan_id, counts[plan_id]) for (plan_id,) in rows.fetchall())


def _index_answer(conn: PgConnection, compiled, filters: Filters, plan, limit: int, offset: int, facets: bool,
                  first_statement: bool):
    """The answer of this machine's tantivy index of the corpus (total, the
    page's rows cursor, facets), or None when it is missing, not current, or
    turned off. A search's own transaction is REPEATABLE READ from its first
    statement, so the index's generation and the rows read are of one
    snapshot; inside a caller's transaction its isolation level applies."""
    from corpus import tantivy_index

    if plan.empty or not tantivy_index.engine_wanted():
        return None
    if first_statement:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    answer = (_engine_answer(conn, compiled, filters, plan.keys, limit, offset, facets) if compiled
              else _engine_browse(conn, filters, plan, limit, offset, facets, plans_in_order=_plans_in_page_order))
    if answer is None:
        return None
    rows = conn.execute(*_page_rows(_page_by_ids([rowid for rowid, _ in answer.page],
                                                 [score for _, score in answer.page]))) if answer.page else None
    facet_values = ({name: _top(answer.facets[name], by_value_desc=name == "roc_year") for name in FACETS}
                    if facets else {})
    return answer.total, rows, facet_values


def _page_rows(page: tuple[str, list]):
    """The page's measure rows in order (a cursor), with score and the item
    verdicts of each (``corpus.search._items_of``, items in ID order)."""
    sql, params = page
    return (f"""WITH g AS ({sql})
                SELECT g.rowid, g.score, m.measure_id, m.plan_id, m.path_json, m.number, m.text, m.dimension,
                       m.departments_json, m.deadline, m.page, m.line, m.row, p.agency, p.roc_year, p.source_path,
                       p.sha256, p.format, p.title,
                       (SELECT array_agg(i.item_id || chr(31) || i.status ORDER BY i.item_id COLLATE "C")
                        FROM item_matches i WHERE i.measure_rowid = g.rowid) AS items
                FROM g JOIN measures m ON m.id = g.rowid JOIN plans p ON p.id = m.plan_id ORDER BY g.ord""", params)


def _facet_query(total: int) -> tuple[str, list]:
    """``corpus.search._facets`` in one query of (kind, value, year, n): the
    hits counted by agency (kind 0), year (4) and dimension (5) over their
    plans, grouped by plan first so each plan is looked up once and only the
    counts come back; item and unit counts over the hits or, above FACET_CAP,
    over the same hash sample (1, 2), and the sample's size (3)."""
    cap = shared.FACET_CAP
    sample, params = ("TRUE", []) if total <= cap else (f"{_SAMPLE_HASH} = 0", [-(-total // cap)])
    return (f"""WITH s AS MATERIALIZED (SELECT h.rowid FROM hits h WHERE {sample}),
                per_plan AS MATERIALIZED (
                    SELECT p.agency, p.roc_year, g.n
                    FROM (SELECT plan_id, count(*) n FROM hits GROUP BY plan_id) g JOIN plans p ON p.id = g.plan_id)
                SELECT 0, agency, NULL::integer, sum(n)::bigint FROM per_plan WHERE agency IS NOT NULL GROUP BY agency
                UNION ALL SELECT 4, NULL, roc_year, sum(n)::bigint FROM per_plan WHERE roc_year IS NOT NULL GROUP BY roc_year
                UNION ALL SELECT 5, dimension, NULL, count(*) FROM hits WHERE dimension IS NOT NULL GROUP BY dimension
                UNION ALL SELECT 1, i.item_id, NULL, count(*) FROM s JOIN item_matches i ON i.measure_rowid = s.rowid
                          GROUP BY i.item_id
                UNION ALL SELECT 2, u.unit, NULL, count(*) FROM s JOIN measure_units u ON u.measure_rowid = s.rowid
                          GROUP BY u.unit
                UNION ALL SELECT 3, NULL, NULL, count(*) FROM s""", params)


def _facets_of(rows, total: int) -> tuple[dict, tuple[str, ...]]:
    """The facets (and the names of the estimated ones) from ``_facet_query``'s rows."""
    counts: dict[int, dict] = {kind: {} for kind in (0, 1, 2, 4, 5)}
    sampled = total
    for kind, value, year, n in rows:
        if kind == 3:
            sampled = n
        else:
            counts[kind][year if kind == 4 else value] = n
    out = {"agency": _top(counts[0]), "roc_year": _top(counts[4], by_value_desc=True), "dimension": _top(counts[5])}
    for kind, name in ((1, "item"), (2, "unit")):
        out[name] = _top({value: scaled(n, sampled, total) for value, n in counts[kind].items()})
    return out, (("item", "unit") if sampled < total else ())


def _from_aggregates(conn: PgConnection, plan, limit: int, offset: int, facets: bool):
    """Total, the page's measure ids and the facets' cursors from plan_facets:
    one row per selected plan and dimension, then only the page's measures."""
    plan_where, plan_params = plan.conditions.get("plan", ("TRUE", []))
    dimension_where, dimension_params = plan.dimension()
    facet_dimension, _ = plan.dimension("f")
    per_plan = conn.execute(
        f"""SELECT p.id, p.agency, p.roc_year, sum(f.n) n
            FROM plans p JOIN plan_facets f ON f.plan_id = p.id AND f.facet = 'all'
            WHERE {plan_where} AND {facet_dimension}
            GROUP BY p.id ORDER BY {_PLAN_ORDER}""",
        [*plan_params, *dimension_params],
    ).fetchall()
    total = sum(int(row["n"]) for row in per_plan)
    # The facet counts are sent now and read after the page.
    others = {name: conn.execute(
        f"""SELECT f.value, sum(f.n) c FROM plans p JOIN plan_facets f ON f.plan_id = p.id AND f.facet = ?
            WHERE {plan_where} AND {facet_dimension} GROUP BY f.value""",
        [name, *plan_params, *dimension_params],
    ) for name in (("dimension", "item", "unit") if facets else ())}
    page: list[int] = []
    for plan_id, skip, take in page_slices(((row["id"], int(row["n"])) for row in per_plan), limit, offset):
        rows = conn.execute(
            f"SELECT m.id FROM measure_keys m WHERE m.plan_id = ? AND {dimension_where} ORDER BY m.id LIMIT ? OFFSET ?",
            [plan_id, *dimension_params, take, skip],
        ).fetchall()
        page.extend(r[0] for r in rows)
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
    for name, cursor in others.items():
        out[name] = _top({row[0]: int(row[1]) for row in cursor.fetchall()})
    return total, page, out


def _items(row) -> dict[str, str]:
    return dict(entry.split("\x1f", 1) for entry in row["items"] or ())


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
    """``corpus.search.search`` on PostgreSQL (paging already checked there):
    the same caps on ranking and facets, the same notes. Statements whose
    answers are not needed before the next one is sent share a pipeline: a
    text search costs two round trips (and one per IDF not yet cached)."""
    compiled = compile_text(query)
    notes: list[str] = []
    plan = _query_plan(conn, filters, notes)
    _index_brought_up(conn)
    facet_values: dict = {}
    approximate: tuple[str, ...] = ()
    page_rows = []
    engine = "postgresql"
    own_transaction = not conn.in_transaction
    with conn.transaction(), conn.raw.pipeline():
        indexed = _index_answer(conn, compiled, filters, plan, limit, offset, facets, first_statement=own_transaction)
        if indexed is not None:
            engine = "tantivy"
            total, rows_cursor, facet_values = indexed
            page_rows = rows_cursor.fetchall() if rows_cursor is not None else []
        elif plan.empty:
            total = 0
            facet_values = {name: [] for name in FACETS} if facets else {}
        elif _aggregable(compiled, plan):
            total, ids, facet_values = _from_aggregates(conn, plan, limit, offset, facets)
            page_rows = conn.execute(*_page_rows(_page_by_ids(ids))).fetchall() if ids else []
        else:
            total, floor = _fill_hits(conn, compiled, plan)
            if compiled and floor is not None:
                notes.append(rank_note())
            rows_cursor = (conn.execute(*_page_rows(_page_ranks(floor, total, limit, offset))) if compiled
                           else _page_in_plan_order(conn, limit, offset))
            facet_cursor = conn.execute(*_facet_query(total)) if facets else None
            page_rows = rows_cursor.fetchall()
            if facet_cursor is not None:
                facet_values, approximate = _facets_of(facet_cursor.fetchall(), total)
    needles = compiled.needles if compiled else []
    hits = [hit_of_row(row, float(row["score"]), needles, _items(row), snippet_width) for row in page_rows]
    return SearchResult(query=query, total=total, hits=hits, facets=facet_values, filters=filters,
                        fts=compiled.fts if compiled else None, notes=notes, approximate=approximate, engine=engine)


def _index_brought_up(conn: PgConnection) -> None:
    """Before a search: with PLANCHECK_SEARCH_ENGINE=tantivy this machine's
    index is brought up to date (built when missing); by default only one a
    few changes behind is (``tantivy_index.catch_up_quietly``: another process
    or machine wrote), so that a search never waits for a whole build."""
    from corpus import tantivy_index

    if tantivy_index.engine_mode() == "tantivy":
        tantivy_index.sync_quietly(conn)
    elif tantivy_index.engine_wanted():
        tantivy_index.catch_up_quietly(conn)


def item_relevance(conn: PgConnection, fts: str, item_id: str) -> list[tuple[int, float]]:
    """(measure, rank) of the measures matched for ``item_id`` that match the
    compiled cue-word expression (``corpus.exemplars``' relevance)."""
    rank = ranking(conn, fts)
    lexemes, lexeme_params = kept_lexemes(rank.phrases)
    rows = conn.execute(
        f"""SELECT f.rowid, f.length, {lexemes} FROM measures_fts f
            WHERE f.tsv @@ ?::tsquery AND f.rowid IN (SELECT measure_rowid FROM item_matches WHERE item_id = ?)""",
        [*lexeme_params, tsquery_text(fts), item_id],
    ).fetchall()
    return sorted(scores(rank, rows).items())
