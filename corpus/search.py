"""Searching the corpus: query → FTS5 match with filters → ranked hits, snippets
on the original text, facet counts.

Filters on names (agency, unit, dimension) compare folding keys, so 台/臺 and
width differences do not matter. A name that equals a stored name exactly
selects just that one; otherwise every name containing it matches (水利署 →
經濟部水利署 and 經濟部水利署第二河川局, while 經濟部水利署 picks only itself).
Years are ROC years; a value of 1912 or more is read as a Western year.
"""

from __future__ import annotations

import html
import json
import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from corpus import textindex
from corpus.highlight import Snippet, make_snippet
from corpus.query import Compiled, QueryError, QueryLimitError, compile_query, parse
from corpus.store import DataUnavailable
from normalizers.text import fold_key

# bm25 weights of the (tokens, chars) columns: a word match counts more than
# the same characters matched one by one.
BM25_WEIGHTS = (1.0, 0.6)
FACET_LIMIT = 30
# Bounds on per-hit work. A text search with no filter scores the RANK_CAP
# most recently indexed matches by BM25 (at 1M measures, scoring all 52,635
# matches of 網路申辦 NOT 臨櫃 cost 2–3× finding them); they come first, the rest
# follow newest first, unscored. With a filter every hit is scored. Up to
# FACET_CAP hits the item and unit facets are counted hit by hit; beyond that
# from an even sample of about FACET_CAP hits, scaled to the total and marked
# as approximate (約). Totals and the agency, year and dimension facets are
# always exact.
RANK_CAP = 500
FACET_CAP = 2000
FACETS = ("agency", "roc_year", "dimension", "item", "unit")
# Bounds on paging: a page of results and how far into them one may skip.
MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000


@dataclass(frozen=True)
class Filters:
    agency: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    dimension: str | None = None
    item: str | None = None
    unit: str | None = None

    def active(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}


def roc_year(value: int) -> int:
    """ROC year of a year given either way.

    >>> roc_year(2023), roc_year(112)
    (112, 112)
    """
    return value - 1911 if value >= 1912 else value


_RANGE = re.compile(r"^\s*(\d{2,4})\s*[-–~～至到]\s*(\d{2,4})\s*$")


def year_range(year: str | int | None = None, years: str | None = None) -> tuple[int | None, int | None]:
    """(from, to) ROC years of ``--year Y`` or ``--years Y1-Y2``.

    >>> year_range(years="102-105")
    (102, 105)
    >>> year_range(year="2016")
    (105, 105)
    """
    if year not in (None, "") and years not in (None, ""):
        raise QueryError("--year 與 --years 只能擇一使用")
    if year not in (None, ""):
        text = str(year).strip()
        if not text.isdigit():
            raise QueryError(f"年度應為數字（民國或西元），例如 112：{year}")
        if len(text) > 4:
            raise QueryLimitError(f"年度超出範圍（民國或西元年，最多 4 位數）：{text[:12]}{'…' if len(text) > 12 else ''}")
        value = roc_year(int(text))
        return value, value
    if years not in (None, ""):
        match = _RANGE.match(str(years))
        if not match:
            raise QueryError(f"年度範圍的寫法是 起-迄，例如 102-105：{years}")
        start, end = sorted((roc_year(int(match.group(1))), roc_year(int(match.group(2)))))
        return start, end
    return None, None


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


@dataclass
class Hit:
    measure_rowid: int
    measure_id: str
    plan_id: int
    agency: str | None
    roc_year: int | None
    path: list[str]
    number: str
    text: str
    score: float
    source_path: str
    dimension: str | None
    departments: list[str]
    deadline: str | None
    location: dict[str, int | None]
    snippet: Snippet
    items: list[str] = field(default_factory=list)
    item_statuses: dict[str, str] = field(default_factory=dict)  # item id → the plan's verdict (present, partial)
    plan_key: str = ""  # the plan's lasting address: the start of its content hash
    source_format: str = ""
    title: str | None = None

    def to_json(self) -> dict:
        return {
            "agency": self.agency,
            "roc_year": self.roc_year,
            "path": self.path,
            "text": self.text,
            # HTML: the text escaped, matches in <mark>; "highlights" gives the same
            # matches as [start, end) offsets into "text" for non-HTML consumers.
            "snippet": self.snippet.marked(escape=_escape),
            "highlights": [list(span) for span in self.snippet.spans],
            "score": round(self.score, 6),
            "source": {"path": self.source_path, "format": self.source_format},
            "plan_key": self.plan_key,
            "measure_id": self.measure_id,
            "number": self.number,
            "dimension": self.dimension,
            "departments": self.departments,
            "deadline": self.deadline,
            "location": self.location,
            "items": self.items,
            "plan_id": self.plan_id,
        }


@dataclass
class SearchResult:
    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[object, int]]]
    filters: Filters
    fts: str | None = None
    notes: list[str] = field(default_factory=list)
    # Facets whose counts are estimates from a sample of the hits (see FACET_CAP).
    approximate: tuple[str, ...] = ()
    # Which engine found the hits: fts5, tantivy (corpus/tantivy_search.py) or postgresql.
    engine: str = "fts5"

    def to_json(self) -> dict:
        return {
            "query": self.query,
            "total": self.total,
            "results": [hit.to_json() for hit in self.hits],
            "facets": {name: [{"value": v, "count": c} for v, c in values] for name, values in self.facets.items()},
            "facets_approximate": list(self.approximate),
            "filters": self.filters.active(),
            "notes": self.notes,
        }


PLAN_KEY_LENGTH = 16


def plan_key(sha256: str) -> str:
    """A plan's address in links: the first 16 hex digits of its content hash,
    so it survives re-indexing (the row id does not)."""
    return sha256[:PLAN_KEY_LENGTH]


def plan_by_key(conn: sqlite3.Connection, key: str) -> sqlite3.Row | None:
    """The plan whose content hash starts with ``key`` (an index range read)."""
    key = key.lower()
    if len(key) != PLAN_KEY_LENGTH or any(c not in "0123456789abcdef" for c in key):
        return None
    return conn.execute("SELECT * FROM plans WHERE sha256 >= ? AND sha256 < ? LIMIT 1", (key, key + "g")).fetchone()


def compile_text(query: str) -> Compiled | None:
    """The compiled query, or None for an empty query (filters only)."""
    if not query.strip():
        return None
    return compile_query(parse(query), textindex.term_tokens, textindex.expansions)


def distinct_keys(conn: sqlite3.Connection, table: str, column: str) -> list[str]:
    """Every distinct non-null value of an indexed column, read by hopping through
    the index (one seek per value) rather than scanning the rows."""
    rows = conn.execute(
        f"""WITH RECURSIVE k(v) AS (
                SELECT min({column}) FROM {table}
                UNION ALL
                SELECT (SELECT min({column}) FROM {table} WHERE {column} > k.v) FROM k WHERE k.v IS NOT NULL)
            SELECT v FROM k WHERE v IS NOT NULL"""
    ).fetchall()
    return [row[0] for row in rows]


def matching_keys(conn: sqlite3.Connection, table: str, column: str, value: str) -> list[str]:
    """The stored folded names a filter value selects: the one equal to it when
    there is one, else every name containing it (possibly none)."""
    key = fold_key(value)
    if conn.execute(f"SELECT 1 FROM {table} WHERE {column} = ? LIMIT 1", (key,)).fetchone():
        return [key]
    containing = getattr(conn, "names_containing", None)
    if containing is not None:  # the back-end has an index for it (PostgreSQL: pg_trgm)
        return containing(table, column, key)
    return [name for name in distinct_keys(conn, table, column) if key in name]


def _in(column: str, values: list, params: list) -> str:
    params.extend(values)
    return f"{column} IN ({','.join('?' * len(values))})"


def _checked_plans(conn: sqlite3.Connection) -> tuple[int, int]:
    row = conn.execute("SELECT coalesce(sum(checked), 0), count(*) FROM plans").fetchone()
    return row[0], row[1]


def _require_checked(conn: sqlite3.Connection, notes: list[str]) -> None:
    checked, total = _checked_plans(conn)
    if total and not checked:
        raise DataUnavailable(
            "語料庫中的計畫都沒有經過面向對應與必辦項目檢查（checks 模組未安裝或收錄時不可用），"
            "無法依面向或必辦項目篩選；安裝後請重新執行 plancheck index"
        )
    if checked < total:
        notes.append(f"有 {total - checked} 份計畫收錄時未經檢查，依面向或必辦項目篩選時不會出現")


@dataclass
class _Plan:
    """The filters as SQL over ``m`` (measure_keys) and ``p`` (plans): one
    condition per filter, and for each index-backed filter the FROM clause that
    starts from that index and the number of rows it would read."""

    conditions: dict[str, tuple[str, list]] = field(default_factory=dict)
    # FROM, WHERE, params, and the query counting the rows it would read
    drivers: dict[str, tuple[str, str, list, tuple[str, list]]] = field(default_factory=dict)
    empty: bool = False  # a name filter matched no stored name: nothing to read
    # The stored folded names each name filter selects (agency, dimension, unit).
    keys: dict[str, list[str]] = field(default_factory=dict)

    def dimension(self, table: str = "m") -> tuple[str, list]:
        """The 面向 filter as a condition on ``table``'s dimension_key (each
        table that carries one: measure_keys, plan_facets, measure_units),
        TRUE without the filter."""
        if "dimension" not in self.keys:
            return "TRUE", []
        params: list = []
        return _in(f"{table}.dimension_key", self.keys["dimension"], params), params


# The join to the rest of a hit's row, appended to each driver; CROSS JOIN keeps
# the driver as the outer loop so each hit costs primary-key lookups only.
_TAIL = "CROSS JOIN plans p ON p.id = m.plan_id"


MAX_FILTER_CHARS = 100


def _query_plan(conn: sqlite3.Connection, filters: Filters, notes: list[str]) -> _Plan:
    for name in ("agency", "dimension", "item", "unit"):
        value = getattr(filters, name)
        if value and len(value) > MAX_FILTER_CHARS:
            raise QueryLimitError(f"篩選條件最多 {MAX_FILTER_CHARS} 個字（{name}）")
    plan = _Plan()
    plan_clauses: list[str] = []
    plan_params: list = []
    if filters.agency:
        keys = plan.keys["agency"] = matching_keys(conn, "plans", "agency_key", filters.agency)
        if not keys:
            return _Plan(empty=True)
        plan_clauses.append(_in("p.agency_key", keys, plan_params))
    if filters.year_from is not None:
        plan_clauses.append("p.roc_year >= ?")
        plan_params.append(filters.year_from)
    if filters.year_to is not None:
        plan_clauses.append("p.roc_year <= ?")
        plan_params.append(filters.year_to)
    if plan_clauses:
        where = " AND ".join(plan_clauses)
        plan.conditions["plan"] = (where, plan_params)
        size = (f"SELECT coalesce(sum(measure_count), 0) FROM plans p WHERE {where}", plan_params)
        plan.drivers["plan"] = ("plans p CROSS JOIN measure_keys m INDEXED BY measure_keys_plan ON m.plan_id = p.id", where, plan_params, size)
    if filters.dimension or filters.item:
        _require_checked(conn, notes)
    if filters.dimension:
        keys = plan.keys["dimension"] = matching_keys(conn, "measure_keys", "dimension_key", filters.dimension)
        if not keys:
            return _Plan(empty=True)
        condition, params = plan.conditions["dimension"] = plan.dimension()
        size = (f"SELECT count(*) FROM measure_keys m WHERE {condition}", params)
        plan.drivers["dimension"] = (f"measure_keys m INDEXED BY measure_keys_dimension_key {_TAIL}", condition, params, size)
    if filters.item:
        item = filters.item.strip().upper()
        plan.conditions["item"] = ("EXISTS (SELECT 1 FROM item_matches i WHERE i.measure_rowid = m.id AND i.item_id = ?)", [item])
        size = ("SELECT count(*) FROM item_matches WHERE item_id = ?", [item])
        plan.drivers["item"] = (
            f"item_matches d INDEXED BY item_matches_item CROSS JOIN measure_keys m ON m.id = d.measure_rowid {_TAIL}",
            "d.item_id = ?", [item], size,
        )
    if filters.unit:
        params = []
        keys = plan.keys["unit"] = matching_keys(conn, "measure_units", "unit_key", filters.unit)
        if not keys:
            return _Plan(empty=True)
        condition = _in("u.unit_key", keys, params)
        plan.conditions["unit"] = (f"EXISTS (SELECT 1 FROM measure_units u WHERE u.measure_rowid = m.id AND {condition})", params)
        size = (f"SELECT count(*) FROM measure_units u WHERE {condition}", params)
        plan.drivers["unit"] = (
            f"measure_units d INDEXED BY measure_units_key CROSS JOIN measure_keys m ON m.id = d.measure_rowid {_TAIL}",
            condition.replace("u.unit_key", "d.unit_key"), params, size,
        )
    return plan


def _where(plan: _Plan, skip: str | None = None) -> tuple[str, list]:
    clauses, params = [], []
    for name, (clause, values) in plan.conditions.items():
        if name != skip:
            clauses.append(clause)
            params.extend(values)
    return (" AND ".join(clauses) or "1"), params


def _fill_hits(conn: sqlite3.Connection, compiled: Compiled | None, plan: _Plan) -> int | None:
    """Every matching measure into temp.hits; plan and dimension ride along so
    the facets need no join back to the measures.

    With a text query the full-text match drives and each filter costs a
    primary-key lookup per match. With no filter the match is read newest
    first, the first RANK_CAP hits scored by BM25 and the rest, if any, stored
    unscored (0.0); with one, every hit is scored. Returns the lowest scored
    rowid when some were left unscored, else None.
    Without one, the filter that selects the fewest rows drives through its
    index and the others are checked per row. Either way no big table is scanned."""
    if compiled is None:
        if plan.drivers:
            # Counting each candidate's rows reads index entries only, and only
            # when no text query drives.
            def rows(key: str) -> int:
                sql, params = plan.drivers[key][3]
                return conn.execute(sql, params).fetchone()[0]

            name = min(plan.drivers, key=rows)
            source, driver_where, driver_params, _rows = plan.drivers[name]
        else:
            name, source, driver_where, driver_params = None, f"measure_keys m {_TAIL}", "1", []
        where, params = _where(plan, skip=name)
        # OR IGNORE: a measure reached twice through the index (two matching units) counts once.
        conn.execute(
            f"""INSERT OR IGNORE INTO temp.hits SELECT m.id, 0.0, m.plan_id, m.dimension
                FROM {source} WHERE {driver_where} AND {where}""",
            [*driver_params, *params],
        )
        return None
    where, params = _where(plan)
    # The plans row is needed only to test an agency or year.
    tail = _TAIL if "plan" in plan.conditions else ""
    matches = f"""FROM measures_fts f CROSS JOIN measure_keys m ON m.id = f.rowid {tail}
                  WHERE measures_fts MATCH ? AND {where}"""
    try:
        if plan.conditions:
            # A filter usually leaves few of the matches, and reading the match
            # newest first costs more than reading it forward: one forward pass
            # scores every hit (the ranking is then exact).
            conn.execute(f"INSERT INTO temp.hits SELECT f.rowid, -bm25(measures_fts, ?, ?), m.plan_id, m.dimension {matches}",
                         [*BM25_WEIGHTS, compiled.fts, *params])
            return None
        cap = scored_limit(plan)
        scored = conn.execute(
            f"""INSERT INTO temp.hits SELECT f.rowid, -bm25(measures_fts, ?, ?), m.plan_id, m.dimension
                {matches} ORDER BY f.rowid DESC LIMIT ?""",
            [*BM25_WEIGHTS, compiled.fts, *params, cap],
        ).rowcount
        if scored < cap:
            return None
        floor = conn.execute("SELECT min(rowid) FROM temp.hits").fetchone()[0]
        older = conn.execute(f"INSERT INTO temp.hits SELECT f.rowid, 0.0, m.plan_id, m.dimension {matches} AND f.rowid < ?",
                             [compiled.fts, *params, floor]).rowcount
        return floor if older else None
    except sqlite3.OperationalError as error:
        # The compiler only emits quoted tokens, so this means a bug, not user input;
        # still, the user gets a sentence rather than a traceback.
        raise QueryError(f"查詢無法執行（{error}）；請改用較簡單的寫法") from None


def scored_limit(plan: _Plan) -> int | None:
    """How many of a text query's matches BM25 scores: the RANK_CAP most
    recently indexed when nothing filters, else every one (None)."""
    return None if plan.conditions else RANK_CAP


def rank_note() -> str:
    """The note of a search whose ranking covered only the RANK_CAP newest matches."""
    return f"相符措施超過 {RANK_CAP:,} 項：依相關度排序的是最近收錄的 {RANK_CAP:,} 項，其餘依收錄先後（新者在前）列在後面"


def _rank_page(conn: sqlite3.Connection, floor: int | None, total: int, limit: int, offset: int) -> None:
    """The page of a text search into temp.page: the scored hits best first
    (ties in reading order), then — when more than RANK_CAP matched — the
    unscored older ones newest first, so paging still reaches every hit."""
    ranked = total if floor is None else RANK_CAP
    page = []
    if offset < ranked:
        page = conn.execute(
            "SELECT rowid, score FROM temp.hits WHERE rowid >= ? ORDER BY score DESC, rowid LIMIT ? OFFSET ?",
            (floor or 0, limit, offset),
        ).fetchall()
    if floor is not None and offset + limit > ranked:
        page += conn.execute(
            "SELECT rowid, score FROM temp.hits WHERE rowid < ? ORDER BY rowid DESC LIMIT ? OFFSET ?",
            (floor, limit - len(page), max(0, offset - ranked)),
        ).fetchall()
    conn.executemany("INSERT INTO temp.page (ord, measure, score) VALUES (?, ?, ?)",
                     [(number, rowid, score) for number, (rowid, score) in enumerate(page)])


def _reset_temp(conn: sqlite3.Connection) -> None:
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS hits (rowid INTEGER PRIMARY KEY, score REAL NOT NULL, plan_id INTEGER NOT NULL, dimension TEXT)"
    )
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS page (ord INTEGER PRIMARY KEY, measure INTEGER NOT NULL, score REAL NOT NULL)")
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS sample (rowid INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.hits")
    conn.execute("DELETE FROM temp.page")


def _aggregable(compiled: Compiled | None, plan: _Plan) -> bool:
    """Whether the plan_facets counts answer this search: no text, and only
    filters those counts are kept by (agency, year, dimension)."""
    return compiled is None and bool(plan.conditions) and not ({"item", "unit"} & plan.conditions.keys())


def _top(counts: dict, by_value_desc: bool = False) -> list[tuple[object, int]]:
    """The FACET_LIMIT largest counts, ties by value (years newest first)."""
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], -kv[0] if by_value_desc else kv[0]))
    return ordered[:FACET_LIMIT]


def page_slices(plans: Iterable[tuple[int, int]], limit: int, offset: int) -> list[tuple[int, int, int]]:
    """(plan, skip, take) for each plan a filter-only page reads, given the
    plans in page order with their hits; the plans are read only until the
    page is full.

    >>> page_slices([(7, 5), (3, 4), (9, 10), (2, 1)], limit=6, offset=3)
    [(7, 3, 2), (3, 0, 4)]
    """
    out: list[tuple[int, int, int]] = []
    skip, wanted = offset, limit
    if wanted <= 0:
        return out
    for plan_id, n in plans:
        if skip >= n:
            skip -= n
            continue
        take = min(n - skip, wanted)
        out.append((plan_id, skip, take))
        wanted -= take
        skip = 0
        if not wanted:
            break
    return out


def _from_aggregates(conn: sqlite3.Connection, plan: _Plan, limit: int, offset: int, facets: bool) -> tuple[int, dict]:
    """Total and facets from plan_facets, and the page's measures into temp.page,
    in the filter-only order (year newest first, agency, reading order): reads
    one row per selected plan and dimension, then only the page's measures."""
    plan_where, plan_params = plan.conditions.get("plan", ("1", []))
    dimension_where, dimension_params = plan.dimension()
    facet_dimension, _ = plan.dimension("f")
    per_plan = conn.execute(
        f"""SELECT p.id, p.agency, p.roc_year, sum(f.n) n
            FROM plans p CROSS JOIN plan_facets f ON f.plan_id = p.id AND f.facet = 'all'
            WHERE {plan_where} AND {facet_dimension}
            GROUP BY p.id ORDER BY p.roc_year DESC, p.agency, p.id""",
        [*plan_params, *dimension_params],
    ).fetchall()
    total = sum(row["n"] for row in per_plan)
    # The page: whole plans up to the offset skipped unread, then measures plan by plan.
    order = 0
    for plan_id, skip, take in page_slices(((row["id"], row["n"]) for row in per_plan), limit, offset):
        rows = conn.execute(
            f"""SELECT m.id FROM measure_keys m INDEXED BY measure_keys_plan
                WHERE m.plan_id = ? AND {dimension_where} ORDER BY m.id LIMIT ? OFFSET ?""",
            [plan_id, *dimension_params, take, skip],
        ).fetchall()
        conn.executemany("INSERT INTO temp.page (ord, measure, score) VALUES (?, ?, 0.0)",
                         [(order + i, r[0]) for i, r in enumerate(rows)])
        order += len(rows)
    if not facets:
        return total, {}
    agencies: dict = {}
    years: dict = {}
    for row in per_plan:
        if row["agency"] is not None:
            agencies[row["agency"]] = agencies.get(row["agency"], 0) + row["n"]
        if row["roc_year"] is not None:
            years[row["roc_year"]] = years.get(row["roc_year"], 0) + row["n"]
    out = {"agency": _top(agencies), "roc_year": _top(years, by_value_desc=True)}
    for name in ("dimension", "item", "unit"):
        rows = conn.execute(
            f"""SELECT f.value, sum(f.n) c FROM plans p CROSS JOIN plan_facets f ON f.plan_id = p.id AND f.facet = ?
                WHERE {plan_where} AND {facet_dimension} GROUP BY f.value""",
            [name, *plan_params, *dimension_params],
        ).fetchall()
        out[name] = _top({row[0]: row[1] for row in rows})
    return total, out


# A hit belongs to the facet sample when this hash of its rowid falls in one
# residue class; hashing (rather than rowid % step) keeps the sample from
# lining up with the position of measures inside their plans.
_SAMPLE_HASH = "((h.rowid * 2654435761) / 4096) % ?"


def _facets(conn: sqlite3.Connection, total: int) -> tuple[dict[str, list[tuple[object, int]]], tuple[str, ...]]:
    """Facet counts over temp.hits and the names of those that are estimates.

    Agency, year and dimension come from one grouping of the hits by plan and
    dimension (plus one plans row per distinct plan), so they are exact at any
    size. Items and units cost a lookup per hit: above FACET_CAP hits they are
    counted on a sample of about FACET_CAP hits and scaled to the total."""
    agencies: Counter = Counter()
    years: Counter = Counter()
    dimensions: Counter = Counter()
    for agency, year, dimension, n in conn.execute(
        """SELECT p.agency, p.roc_year, h.dimension, h.n
           FROM (SELECT plan_id, dimension, count(*) n FROM temp.hits GROUP BY plan_id, dimension) h
           CROSS JOIN plans p ON p.id = h.plan_id"""
    ):
        if agency is not None:
            agencies[agency] += n
        if year is not None:
            years[year] += n
        if dimension is not None:
            dimensions[dimension] += n
    out: dict[str, list[tuple[object, int]]] = {
        "agency": _top(agencies), "roc_year": _top(years, by_value_desc=True), "dimension": _top(dimensions)}
    source = "temp.hits"
    sampled = total
    if total > FACET_CAP:
        conn.execute("DELETE FROM temp.sample")
        sampled = conn.execute(f"INSERT INTO temp.sample SELECT h.rowid FROM temp.hits h WHERE {_SAMPLE_HASH} = 0",
                               (-(-total // FACET_CAP),)).rowcount
        source = "temp.sample"
    # CROSS JOIN keeps the hits as the outer loop: the temp table has no
    # statistics, and SQLite would otherwise scan every unit or item row.
    queries = {
        "item": f"SELECT i.item_id, count(*) FROM {source} h CROSS JOIN item_matches i ON i.measure_rowid = h.rowid GROUP BY i.item_id",
        "unit": f"SELECT u.unit, count(*) FROM {source} h CROSS JOIN measure_units u ON u.measure_rowid = h.rowid GROUP BY u.unit",
    }
    for name, sql in queries.items():
        out[name] = _top({value: scaled(count, sampled, total) for value, count in conn.execute(sql)})
    return out, (("item", "unit") if sampled < total else ())


def scaled(count: int, sampled: int, total: int) -> int:
    """A count among ``sampled`` hits scaled to ``total`` hits (at least 1);
    the count itself when every hit was counted.

    >>> scaled(3, 2000, 52635), scaled(3, 40, 40)
    (79, 3)
    """
    if sampled == total:
        return count
    return max(1, round(count * total / sampled)) if sampled else 0


def _items_of(conn: sqlite3.Connection, rowids: list[int]) -> dict[int, dict[str, str]]:
    """measure rowid → {item id: the plan's verdict status on it}, items in ID order."""
    out: dict[int, dict[str, str]] = {}
    if not rowids:
        return out
    marks = ",".join("?" * len(rowids))
    for row in conn.execute(f"SELECT measure_rowid, item_id, status FROM item_matches WHERE measure_rowid IN ({marks}) ORDER BY item_id", rowids):
        out.setdefault(row[0], {})[row[1]] = row[2]
    return out


def check_paging(limit: int, offset: int) -> None:
    """QueryLimitError when a page is larger, or starts further in, than allowed."""
    if not 0 <= limit <= MAX_LIMIT:
        raise QueryLimitError(f"一次最多顯示 {MAX_LIMIT} 筆結果（--limit 應介於 0 與 {MAX_LIMIT} 之間）")
    if not 0 <= offset <= MAX_OFFSET:
        raise QueryLimitError(f"位移（--offset 或頁數）應介於 0 與 {MAX_OFFSET:,} 之間")


def hit_of_row(row, score: float, needles: list[str], items: dict[str, str], snippet_width: int) -> Hit:
    """One result from a row of the page query (measure, plan, score), its
    snippet highlighted on the original text; ``items`` maps item ID → the
    plan's verdict status on it."""
    return Hit(
        measure_rowid=row["rowid"],
        measure_id=row["measure_id"],
        plan_id=row["plan_id"],
        agency=row["agency"],
        roc_year=row["roc_year"],
        path=json.loads(row["path_json"]),
        number=row["number"],
        text=row["text"],
        score=score,
        source_path=row["source_path"],
        dimension=row["dimension"],
        departments=json.loads(row["departments_json"]),
        deadline=row["deadline"],
        location={"page": row["page"], "line": row["line"], "row": row["row"]},
        snippet=make_snippet(row["text"], needles, snippet_width),
        items=list(items),
        item_statuses=items,
        plan_key=plan_key(row["sha256"]),
        source_format=row["format"],
        title=row["title"],
    )


def search(
    conn: sqlite3.Connection,
    query: str,
    filters: Filters | None = None,
    *,
    limit: int = 20,
    offset: int = 0,
    facets: bool = True,
    snippet_width: int = 90,
) -> SearchResult:
    """Ranked measures matching ``query`` (may be empty: filters only)."""
    filters = filters or Filters()
    check_paging(limit, offset)
    compiled = compile_text(query)
    if conn.in_transaction:
        return _search(conn, query, compiled, filters, limit, offset, facets, snippet_width)
    _sync_when_required(conn)
    # One read transaction: the tantivy index is checked against the generation
    # of the rows the page is read from.
    conn.execute("BEGIN")
    try:
        return _search(conn, query, compiled, filters, limit, offset, facets, snippet_width)
    finally:
        conn.execute("COMMIT")


def _sync_when_required(conn: sqlite3.Connection) -> None:
    """With PLANCHECK_SEARCH_ENGINE=tantivy, the index brought up to date first."""
    from corpus import tantivy_index

    if tantivy_index.engine_mode() == "tantivy":
        tantivy_index.sync_quietly(conn)


def _engine_answer(conn: sqlite3.Connection, compiled: Compiled, filters: Filters, keys: dict[str, list[str]],
                   limit: int, offset: int, facets: bool):
    """The tantivy index's answer to a text search, or None (not installed, not
    current, or turned off: FTS5 answers)."""
    from corpus import tantivy_search

    pair = tantivy_search.current_searcher(conn)
    if pair is None:
        return None
    return tantivy_search.search(compiled.tree, filters, keys, limit=limit, offset=offset,
                                 facet_limit=FACET_LIMIT if facets else None, searcher_pair=pair)


# Up to this many plans with hits are ordered by looking each up; with more,
# the plans are walked in page order until the page is full (cheaper then:
# hits are dense, and a full walk of 10,417 plans costs about 20 ms).
LOOKED_UP_PLANS = 1000


def _plans_in_page_order(conn: sqlite3.Connection, plan: _Plan, counts: dict[int, int]) -> Iterator[tuple[int, int]]:
    """(plan, hits) of each plan with hits, in the filter-only order: year
    newest first, agency, id (SQLite orders them, so NULLs and names sort as
    in the FTS5 path)."""
    order = "ORDER BY p.roc_year DESC, p.agency, p.id"
    if len(counts) <= LOOKED_UP_PLANS:
        sql, params = f"SELECT p.id FROM plans p WHERE p.id IN (SELECT value FROM json_each(?)) {order}", [json.dumps(list(counts))]
    else:
        where, params = plan.conditions.get("plan", ("1", []))
        sql = f"SELECT p.id FROM plans p WHERE {where} {order}"
    cursor = conn.execute(sql, params)
    left = len(counts)
    try:
        for (plan_id,) in cursor:
            if not left:
                return
            if plan_id in counts:
                left -= 1
                yield plan_id, counts[plan_id]
    finally:
        cursor.close()


def _engine_browse(conn: sqlite3.Connection, filters: Filters, plan: _Plan, limit: int, offset: int, facets: bool,
                   plans_in_order: Callable = _plans_in_page_order):
    """The tantivy index's answer to a search by filters alone, or None (not
    installed, not current, or turned off: the database answers). The plans
    with hits are put in page order by ``plans_in_order`` (the back-end's)."""
    from corpus import tantivy_search

    pair = tantivy_search.current_searcher(conn)
    if pair is None:
        return None
    browse = tantivy_search.FilterSearch(filters, plan.keys, pair)
    counted = browse.count(FACET_LIMIT if facets else None)
    slices = page_slices(plans_in_order(conn, plan, counted.plans), limit, offset)
    page = [(rowid, 0.0) for rowid in browse.rowids(slices, counted.plans)]
    return tantivy_search.Answer(total=counted.total, page=page, facets=counted.facets)


def _search(conn: sqlite3.Connection, query: str, compiled: Compiled | None, filters: Filters, limit: int, offset: int,
            facets: bool, snippet_width: int) -> SearchResult:
    notes: list[str] = []
    plan = _query_plan(conn, filters, notes)
    _reset_temp(conn)
    facet_values: dict = {}
    approximate: tuple[str, ...] = ()
    answer = None
    if not plan.empty:
        answer = (_engine_answer(conn, compiled, filters, plan.keys, limit, offset, facets) if compiled
                  else _engine_browse(conn, filters, plan, limit, offset, facets))
    engine = "fts5"
    if answer is not None:
        engine = "tantivy"
        total = answer.total
        conn.executemany("INSERT INTO temp.page (ord, measure, score) VALUES (?, ?, ?)",
                         [(number, rowid, score) for number, (rowid, score) in enumerate(answer.page)])
        if facets:
            facet_values = {name: _top(answer.facets[name], by_value_desc=name == "roc_year") for name in FACETS}
    elif plan.empty:
        total = 0
        facet_values = {name: [] for name in FACETS} if facets else {}
    elif _aggregable(compiled, plan):
        total, facet_values = _from_aggregates(conn, plan, limit, offset, facets)
    else:
        floor = _fill_hits(conn, compiled, plan)
        total = conn.execute("SELECT count(*) FROM temp.hits").fetchone()[0]
        # The page is chosen before the wide measure rows are read.
        if compiled:
            _rank_page(conn, floor, total, limit, offset)
            if floor is not None:
                notes.append(rank_note())
        else:
            # Rows are inserted plan by plan in document order, so rowid keeps reading order.
            conn.execute(
                """INSERT INTO temp.page (measure, score)
                   SELECT h.rowid, h.score FROM temp.hits h JOIN plans p ON p.id = h.plan_id
                   ORDER BY p.roc_year DESC, p.agency, p.id, h.rowid LIMIT ? OFFSET ?""",
                (limit, offset),
            )
        if facets:
            facet_values, approximate = _facets(conn, total)
    rows = conn.execute(
        """SELECT g.measure AS rowid, g.score, m.measure_id, m.plan_id, m.path_json, m.number, m.text, m.dimension,
                  m.departments_json, m.deadline, m.page, m.line, m.row, p.agency, p.roc_year, p.source_path,
                  p.sha256, p.format, p.title
           FROM temp.page g JOIN measures m ON m.id = g.measure JOIN plans p ON p.id = m.plan_id
           ORDER BY g.ord"""
    ).fetchall()
    needles = compiled.needles if compiled else []
    items = _items_of(conn, [row["rowid"] for row in rows])
    hits = [hit_of_row(row, row["score"], needles, items.get(row["rowid"], {}), snippet_width) for row in rows]
    return SearchResult(
        query=query,
        total=total,
        hits=hits,
        facets=facet_values,
        filters=filters,
        fts=compiled.fts if compiled else None,
        notes=notes,
        approximate=approximate,
        engine=engine,
    )
