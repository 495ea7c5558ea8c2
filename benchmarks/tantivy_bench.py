"""The corpus searches on a dedicated engine, side by side with SQLite FTS5.

    .venv/bin/python -m benchmarks.tantivy_bench --db big.sqlite            # build the index beside it, time both
    .venv/bin/python -m benchmarks.tantivy_bench --db big.sqlite --json t.json

Builds a tantivy index (https://github.com/quickwit-oss/tantivy-py) next to an
existing corpus from what the corpus already holds — the jieba-pretokenized
``tokens`` column and the ``chars`` column of measures_fts (whitespace
tokenizer, positions for phrases), plan and dimension keys, items and units as
fast fields — then runs the benchmark's fixed query set and every filter
combination on both engines in one process, interleaved, each search as the web
page runs it: total count, top 20 and the five facets. The query language is
compiled for tantivy from the same syntax tree, with the same jieba tokens and
synonyms, as corpus.query compiles it for FTS5; filter names are resolved to
stored keys through SQLite as corpus.search does. Reports p50/p95 per engine,
whether totals agree, and how many of SQLite's top 20 tantivy also ranks in its
top 20 (the two BM25 implementations differ in detail).

Needs the ``tantivy`` package (``pip install -e '.[bench]'``); plancheck itself
does not use it.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sqlite3
import statistics
import time
from pathlib import Path

from benchmarks.corpus_bench import FILTER_QUERIES, QUERIES, filter_combinations, filters_of, percentile
from corpus import Filters, search, store, textindex
from corpus.query import All, Any, Node, Phrase, Word, parse
from corpus.search import BM25_WEIGHTS, FACET_LIMIT, matching_keys

FIELDS_TEXT = ("tokens", "chars")


def _tantivy():
    import tantivy

    return tantivy


def schema():
    tantivy = _tantivy()
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("rowid", stored=True, indexed=True, fast=True)
    for name in FIELDS_TEXT:
        builder.add_text_field(name, tokenizer_name="whitespace", index_option="position")
    builder.add_integer_field("plan_id", indexed=True, fast=True)
    builder.add_integer_field("roc_year", indexed=True, fast=True)
    for name in ("agency_key", "agency", "dimension_key", "dimension", "item", "unit_key", "unit"):
        builder.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    return builder.build()


def build_index(db: Path, folder: Path, batch: int = 20_000) -> dict:
    """A tantivy index of every measure of the corpus in ``folder`` (replaced)."""
    tantivy = _tantivy()
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    index = tantivy.Index(schema(), path=str(folder))
    writer = index.writer(heap_size=256_000_000, num_threads=2)
    conn = sqlite3.connect(db)
    start = time.perf_counter()
    count = 0
    last = 0
    while True:
        rows = conn.execute(
            """SELECT f.rowid, f.tokens, f.chars, m.plan_id, p.roc_year, p.agency_key, p.agency, m.dimension_key, m.dimension
               FROM measures_fts f JOIN measure_keys m ON m.id = f.rowid JOIN plans p ON p.id = m.plan_id
               WHERE f.rowid > ? ORDER BY f.rowid LIMIT ?""", (last, batch)).fetchall()
        if not rows:
            break
        low, high = rows[0][0], rows[-1][0]
        items: dict[int, list[str]] = {}
        for rowid, item in conn.execute("SELECT measure_rowid, item_id FROM item_matches WHERE measure_rowid BETWEEN ? AND ?", (low, high)):
            items.setdefault(rowid, []).append(item)
        units: dict[int, list[tuple[str, str]]] = {}
        for rowid, unit, key in conn.execute("SELECT measure_rowid, unit, unit_key FROM measure_units WHERE measure_rowid BETWEEN ? AND ?", (low, high)):
            units.setdefault(rowid, []).append((unit, key))
        for rowid, tokens, chars, plan_id, roc_year, agency_key, agency, dimension_key, dimension in rows:
            doc = tantivy.Document(rowid=rowid, tokens=tokens, chars=chars, plan_id=plan_id)
            if roc_year is not None:
                doc.add_integer("roc_year", roc_year)
            for name, value in (("agency_key", agency_key), ("agency", agency), ("dimension_key", dimension_key), ("dimension", dimension)):
                if value is not None:
                    doc.add_text(name, value)
            for item in items.get(rowid, ()):
                doc.add_text("item", item)
            for unit, key in units.get(rowid, ()):
                doc.add_text("unit", unit)
                doc.add_text("unit_key", key)
            writer.add_document(doc)
        count += len(rows)
        last = high
    writer.commit()
    writer.wait_merging_threads()
    conn.close()
    elapsed = time.perf_counter() - start
    size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
    return {"tantivy_docs": count, "tantivy_build_seconds": round(elapsed, 1), "tantivy_bytes": size}


class Engine:
    """The corpus searches on a tantivy index: the same query language, filters and facets."""

    def __init__(self, folder: Path, conn: sqlite3.Connection) -> None:
        tantivy = _tantivy()
        self.t = tantivy
        self.index = tantivy.Index.open(str(folder))
        self.index.reload()
        self.schema = self.index.schema
        self.searcher = self.index.searcher()
        self.conn = conn

    def _all(self, musts: list, must_nots: list = ()):
        Occur = self.t.Occur
        if len(musts) == 1 and not must_nots:
            return musts[0]
        return self.t.Query.boolean_query([(Occur.Must, q) for q in musts] + [(Occur.MustNot, q) for q in must_nots])

    def _any(self, parts: list):
        Occur = self.t.Occur
        return parts[0] if len(parts) == 1 else self.t.Query.boolean_query([(Occur.Should, q) for q in parts])

    def _chars(self, chars: tuple[str, ...]):
        Query = self.t.Query
        if len(chars) == 1:
            query = Query.term_query(self.schema, "chars", chars[0])
        else:
            query = Query.phrase_query(self.schema, "chars", list(chars))
        return Query.boost_query(query, BM25_WEIGHTS[1])

    def _word(self, word: Word):
        Query = self.t.Query
        alternatives = []
        for variant in textindex.expansions(word.text) if not word.prefix else [word.text]:
            tt = textindex.term_tokens(variant)
            parts = []
            if tt.words and (word.prefix or any(len(w) >= 2 for w in tt.words)):
                terms = [Query.term_query(self.schema, "tokens", w) for w in tt.words]
                if word.prefix:
                    terms[-1] = Query.regex_query(self.schema, "tokens", re.escape(tt.words[-1]) + ".*")
                parts.append(self._all(terms))
            if tt.chars and not word.prefix:
                parts.append(self._chars(tt.chars))
            if parts:
                alternatives.append(self._any(parts))
        return self._any(alternatives) if alternatives else None

    def compile(self, node: Node):
        if isinstance(node, Word):
            return self._word(node)
        if isinstance(node, Phrase):
            tt = textindex.term_tokens(node.text)
            return self._chars(tt.chars) if tt.chars else None
        if isinstance(node, Any):
            parts = [p for p in (self.compile(i) for i in node.items) if p is not None]
            return self._any(parts) if parts else None
        positive = [p for p in (self.compile(i) for i in node.items) if p is not None]
        negative = [p for p in (self.compile(i) for i in node.excluded) if p is not None]
        return self._all(positive, negative) if positive else None

    def _filters(self, filters: Filters) -> list:
        Query = self.t.Query
        out = []

        def keys(field: str, table: str, column: str, value: str):
            return Query.term_set_query(self.schema, field, matching_keys(self.conn, table, column, value) or ["\x00"])

        if filters.agency:
            out.append(keys("agency_key", "plans", "agency_key", filters.agency))
        if filters.year_from is not None:
            out.append(Query.range_query(self.schema, "roc_year", self.t.FieldType.Integer, filters.year_from, filters.year_to))
        if filters.dimension:
            out.append(keys("dimension_key", "measure_keys", "dimension_key", filters.dimension))
        if filters.item:
            out.append(Query.term_query(self.schema, "item", filters.item.strip().upper()))
        if filters.unit:
            out.append(keys("unit_key", "measure_units", "unit_key", filters.unit))
        return out

    def search(self, query: str, filters: Filters, limit: int = 20) -> tuple[int, list[int], dict]:
        """(total, rowids of the top ``limit``, facets) as the web page needs them."""
        Query = self.t.Query
        musts = self._filters(filters)
        if query.strip():
            text = self.compile(parse(query))
            musts.insert(0, text)
        combined = self._all(musts) if musts else Query.all_query()
        if not query.strip() and musts:
            combined = Query.const_score_query(combined, 0.0)
        result = self.searcher.search(combined, limit=limit, count=True)
        rowids = [self.searcher.doc(address)["rowid"][0] for _, address in result.hits]
        aggregations = {
            name: {"terms": {"field": field, "size": FACET_LIMIT}}
            for name, field in (("agency", "agency"), ("roc_year", "roc_year"), ("dimension", "dimension"), ("item", "item"), ("unit", "unit"))
        }
        facets = self.searcher.aggregate(combined, aggregations)
        return result.count, rowids, facets


def timed(function, repeats: int) -> tuple[list[float], object]:
    function()  # warm
    times, value = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        value = function()
        times.append((time.perf_counter() - t0) * 1000)
    return times, value


def compare(db: Path, folder: Path, repeats: int, filter_repeats: int) -> dict:
    conn = store.connect(db)
    engine = Engine(folder, conn)
    runs = []
    for query, kwargs in QUERIES:
        runs.append(("fixed", query, Filters(**kwargs), repeats, "+".join(kwargs) or "(none)"))
    for names in filter_combinations():
        for query in FILTER_QUERIES:
            if query or names:
                runs.append(("filters", query, filters_of(names), filter_repeats, "+".join(names) or "(none)"))
    rows = []
    times: dict[tuple[str, str], list[float]] = {}
    for kind, query, filters, count, label in runs:
        sqlite_times, sqlite_result = timed(lambda: search(conn, query, filters, limit=20), count)
        tantivy_times, (total, rowids, _facets) = timed(lambda: engine.search(query, filters), count)
        top = [h.measure_rowid for h in sqlite_result.hits]
        rows.append({
            "set": kind, "query": query, "filters": label, "hits_sqlite": sqlite_result.total, "hits_tantivy": total,
            "top20_overlap": len(set(top) & set(rowids)), "top20_size": len(top),
            "sqlite_p50_ms": round(statistics.median(sqlite_times), 1), "tantivy_p50_ms": round(statistics.median(tantivy_times), 1),
            "sqlite_p95_ms": round(percentile(sqlite_times, 0.95), 1), "tantivy_p95_ms": round(percentile(tantivy_times, 0.95), 1),
        })
        # As corpus_bench groups them: the fixed set, searches under a filter, and text with no filter.
        group = kind if kind == "fixed" or filters.active() else "unfiltered"
        times.setdefault((group, "sqlite"), []).extend(sqlite_times)
        times.setdefault((group, "tantivy"), []).extend(tantivy_times)
    conn.close()
    summary = {
        f"{kind}_{engine_name}_{q}_ms": round(statistics.median(values) if q == "p50" else percentile(values, 0.95), 1)
        for (kind, engine_name), values in times.items() for q in ("p50", "p95")
    }
    summary["totals_agree"] = sum(r["hits_sqlite"] == r["hits_tantivy"] for r in rows)
    summary["searches"] = len(rows)
    summary["runs"] = rows
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="An existing corpus (e.g. built by benchmarks.corpus_bench --db).")
    parser.add_argument("--index", type=Path, help="Where the tantivy index goes (default: beside the corpus, NAME.tantivy).")
    parser.add_argument("--reuse", action="store_true", help="Use the index already there instead of rebuilding it.")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--filter-repeats", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    folder = args.index or args.db.with_name(args.db.name + ".tantivy")
    figures: dict = {}
    if not args.reuse:
        figures |= build_index(args.db, folder)
        print(json.dumps(figures))
    figures |= compare(args.db, folder, args.repeats, args.filter_repeats)
    print(json.dumps({k: v for k, v in figures.items() if k != "runs"}, ensure_ascii=False, indent=2))
    print(f"{'set':<8}{'filters':<34}{'query':<20}{'hits':>9}{'tantivy':>9}{'top20':>7}{'sqlite p95':>12}{'tantivy p95':>13}")
    for r in figures["runs"]:
        print(f"{r['set']:<8}{r['filters']:<34}{r['query'] or '(none)':<20}{r['hits_sqlite']:>9,}{r['hits_tantivy']:>9,}"
              f"{r['top20_overlap']:>4}/{r['top20_size']:<2}{r['sqlite_p95_ms']:>12}{r['tantivy_p95_ms']:>13}")
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
