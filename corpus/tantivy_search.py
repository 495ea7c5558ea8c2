"""Searches of a corpus (SQLite or PostgreSQL) — by text, or by filters alone —
answered by its tantivy index (corpus/tantivy_index.py), when the index is current.

The query is the same syntax tree (corpus.query) with the same jieba tokens
and synonyms (corpus.textindex) that FTS5 gets, compiled to tantivy queries
node for node: a word is its jieba words (all of them, the last as a prefix
for ``詞*``) or its exact characters as a phrase, for each synonym; phrases,
AND, OR, NOT as in the FTS5 expression, so the hits are the same set. Filters
select the same stored keys (corpus.search.matching_keys). The total is
exact, the page is the top of every hit by tantivy's BM25 (the chars field
boosted as FTS5 weights it, BM25_WEIGHTS), and the five facets are terms
aggregations over every hit, exact. Snippets and the rows of the page come
from the database (corpus.search, corpus.pg_search).

A search by filters alone (``FilterSearch``) is the same filter queries with
no text: one aggregation pass gives the total, the facets and the hits of each
plan; the database orders the plans (year newest first, agency, id) and
corpus.search.page_slices picks the page's slices of them, and one search ordered by the
rowid fast field reads those slices' measures in reading order.

Ranking differs from FTS5's in detail: tantivy's BM25 normalises by field
length per field and sums the fields, FTS5's bm25() weights the columns in
one formula; FTS5 without a filter scores only the RANK_CAP newest matches,
tantivy every match. What both engines guarantee alike — and the tests check
— is the set of hits, the total, the facets, and BM25 order on each engine.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from corpus import textindex
from corpus.backend import is_postgres
from corpus.query import All, Any, Node, Phrase, Word
from corpus.tantivy_index import (
    corpus_file,
    engine_mode,
    index_folder,
    marker_query,
    pairs_of,
    pg_index_folder,
    searcher_at,
    tantivy_module,
    wanted_marker,
)

CHARS_BOOST = 0.6  # corpus.search.BM25_WEIGHTS[1]: a match of single characters counts less than of words
FACET_FIELDS = {"agency": "agency", "roc_year": "roc_year", "dimension": "dimension", "item": "item", "unit": "unit"}
# A prefix (禮貌*) with up to this many words in the index is their BM25-scored
# union; beyond, a pattern query whose hits all score alike.
PREFIX_TERMS = 64
# Per segment, every value is counted (not only the best), so facet counts are exact.
SEGMENT_BUCKETS = 1_000_000


@dataclass
class Answer:
    total: int
    page: list[tuple[int, float]]  # (measure rowid, score), best first
    facets: dict[str, dict[object, int]] = field(default_factory=dict)


class _Compiler:
    """A syntax tree as a tantivy query over one index's schema."""

    def __init__(self, schema, searcher) -> None:
        self.t = tantivy_module()
        self.schema = schema
        self.searcher = searcher

    def prefix(self, start: str):
        """Tokens starting with ``start``: each word of the index that does, as
        its own scored term (BM25 like any word), or, past PREFIX_TERMS words,
        one unscored pattern."""
        Query = self.t.Query
        words = self.searcher.terms_with_prefix("tokens", start, limit=PREFIX_TERMS + 1)
        if len(words) > PREFIX_TERMS:
            return Query.regex_query(self.schema, "tokens", re.escape(start) + ".*")
        if not words:
            return Query.term_query(self.schema, "tokens", start)  # matches nothing, as FTS5's prefix would
        return self.any([Query.term_query(self.schema, "tokens", w, index_option="freq") for w, _count in words])

    def all(self, musts: list, must_nots: list = ()):
        Occur = self.t.Occur
        if len(musts) == 1 and not must_nots:
            return musts[0]
        return self.t.Query.boolean_query([(Occur.Must, q) for q in musts] + [(Occur.MustNot, q) for q in must_nots])

    def any(self, parts: list):
        Occur = self.t.Occur
        return parts[0] if len(parts) == 1 else self.t.Query.boolean_query([(Occur.Should, q) for q in parts])

    def chars(self, chars: tuple[str, ...]):
        """The exact characters in order (FTS5's chars phrase): one character
        as itself, more as the phrase of their adjacent pairs."""
        Query = self.t.Query
        if len(chars) == 1:
            query = Query.term_query(self.schema, "chars", chars[0], index_option="freq")
        else:
            pairs = pairs_of(list(chars)).split(" ")
            if len(pairs) == 1:
                query = Query.term_query(self.schema, "pairs", pairs[0], index_option="freq")
            else:
                query = Query.phrase_query(self.schema, "pairs", pairs)
        return Query.boost_query(query, CHARS_BOOST)

    def word(self, word: Word):
        # As corpus.query._word_expr: words only when jieba found a real word.
        Query = self.t.Query
        alternatives = []
        for variant in textindex.expansions(word.text) if not word.prefix else [word.text]:
            tt = textindex.term_tokens(variant)
            parts = []
            if tt.words and (word.prefix or any(len(w) >= 2 for w in tt.words)):
                terms = [Query.term_query(self.schema, "tokens", w, index_option="freq") for w in tt.words]
                if word.prefix:
                    terms[-1] = self.prefix(tt.words[-1])
                parts.append(self.all(terms))
            if tt.chars and not word.prefix:
                parts.append(self.chars(tt.chars))
            if parts:
                alternatives.append(self.any(parts))
        return self.any(alternatives) if alternatives else None

    def compile(self, node: Node):
        if isinstance(node, Word):
            return self.word(node)
        if isinstance(node, Phrase):
            tt = textindex.term_tokens(node.text)
            return self.chars(tt.chars) if tt.chars else None
        if isinstance(node, Any):
            parts = [p for p in (self.compile(i) for i in node.items) if p is not None]
            return self.any(parts) if parts else None
        assert isinstance(node, All)
        positive = [p for p in (self.compile(i) for i in node.items) if p is not None]
        negative = [p for p in (self.compile(i) for i in node.excluded) if p is not None]
        return self.all(positive, negative) if positive else None


def current_searcher(conn):
    """(index, searcher) when this corpus has a tantivy index at its current
    generation, else None. Call inside the read transaction the search's rows
    are read in (on PostgreSQL a REPEATABLE READ one), so index and rows are
    of one generation."""
    if engine_mode() == "fts5":
        return None
    if is_postgres(conn):
        wanted = wanted_marker(conn)
        folder = pg_index_folder(conn, wanted.corpus_id)
        return searcher_at(folder, wanted) if folder.is_dir() and tantivy_module() is not None else None
    db = corpus_file(conn)
    # The folder is looked for before tantivy is imported: a corpus without an
    # index costs its search no import.
    if db is None or not index_folder(db).is_dir() or tantivy_module() is None:
        return None
    return searcher_at(index_folder(db), wanted_marker(conn))


def _filter_queries(schema, filters, keys: dict[str, list[str]]) -> list:
    tantivy = tantivy_module()
    Query = tantivy.Query
    out = []
    if filters.agency:
        out.append(Query.term_set_query(schema, "agency_key", keys["agency"]))
    if filters.year_from is not None or filters.year_to is not None:
        out.append(Query.range_query(schema, "roc_year", tantivy.FieldType.Integer, filters.year_from, filters.year_to))
    if filters.dimension:
        out.append(Query.term_set_query(schema, "dimension_key", keys["dimension"]))
    if filters.item:
        out.append(Query.term_query(schema, "item", filters.item.strip().upper()))
    if filters.unit:
        out.append(Query.term_set_query(schema, "unit_key", keys["unit"]))
    return out


def _counts(name: str, buckets: list[dict]) -> dict[object, int]:
    """A terms aggregation's buckets as {value: count} (years as numbers)."""
    return {(int(b["key"]) if name == "roc_year" else b["key"]): b["doc_count"] for b in buckets}


def _facet_counts(searcher, query, name: str, size: int) -> dict[object, int]:
    result = searcher.aggregate(query, {name: {"terms": {"field": FACET_FIELDS[name], "size": size,
                                                         "segment_size": SEGMENT_BUCKETS}}})
    return _counts(name, result[name]["buckets"])


@dataclass
class Counted:
    """What one aggregation pass over a query's hits counts."""

    total: int
    facets: dict[str, dict[object, int]] = field(default_factory=dict)
    plans: dict[int, int] = field(default_factory=dict)  # plan id → its hits (when asked for)


def count(searcher, query, facet_limit: int | None, per_plan: bool = False) -> Counted:
    """The number of hits, counted in one pass with (when ``facet_limit``) each
    facet's values and their exact counts — at least the ``facet_limit``
    largest, and every value tied with the last of them (so ties are broken by
    value as corpus.search breaks them, not by the order tantivy returns) —
    and (when ``per_plan``) the hits of each plan."""
    spec: dict = {}
    size = (facet_limit or 0) * 2
    if facet_limit:
        spec = {name: {"terms": {"field": f, "size": size, "segment_size": SEGMENT_BUCKETS}} for name, f in FACET_FIELDS.items()}
    spec["hits"] = {"value_count": {"field": "rowid"}}  # one rowid a measure document
    if per_plan:
        spec["plans"] = {"terms": {"field": "plan_id", "size": SEGMENT_BUCKETS, "segment_size": SEGMENT_BUCKETS}}
    result = searcher.aggregate(query, spec)
    out: dict[str, dict[object, int]] = {}
    for name in FACET_FIELDS if facet_limit else ():
        buckets = result[name]["buckets"]
        tied_past_size = len(buckets) == size and buckets[facet_limit - 1]["doc_count"] == buckets[-1]["doc_count"]
        out[name] = _facet_counts(searcher, query, name, SEGMENT_BUCKETS) if tied_past_size else _counts(name, buckets)
    plans = {int(b["key"]): b["doc_count"] for b in result["plans"]["buckets"]} if per_plan else {}
    return Counted(total=int(result["hits"]["value"]), facets=out, plans=plans)


class FilterSearch:
    """A search by filters alone (no text) on the index: the measures the
    filters select (every measure with none), counted, and read plan by plan
    in reading order. The order of the plans themselves (year newest first,
    agency, id) is corpus.search's, from SQLite."""

    def __init__(self, filters, keys: dict[str, list[str]], searcher_pair) -> None:
        index, self.searcher = searcher_pair
        self.t = tantivy_module()
        self.schema = index.schema
        self.compiler = _Compiler(self.schema, self.searcher)
        parts = _filter_queries(self.schema, filters, keys)
        # With no filter: every document but the marker.
        self.query = self.compiler.all(parts) if parts else self.compiler.all([self.t.Query.all_query()], [marker_query(index)])

    def count(self, facet_limit: int | None) -> Counted:
        """Total, facets and the hits of each plan, in one pass."""
        return count(self.searcher, self.query, facet_limit, per_plan=True)

    def rowids(self, slices: list[tuple[int, int, int]], plans: dict[int, int]) -> list[int]:
        """The measures of each (plan, skip, take) slice in reading order
        (rowid), slice after slice. One search reads every hit of the slices'
        plans (``plans``: their hit counts), at most the page and two plans' more."""
        if not slices:
            return []
        ids = [plan_id for plan_id, _skip, _take in slices]
        query = self.compiler.all([self.query, self.t.Query.term_set_query(self.schema, "plan_id", ids)])
        hits = self.searcher.search(query, limit=sum(plans[i] for i in ids), count=False, order_by_field="rowid",
                                    order=self.t.Order.Asc).hits
        by_plan: dict[int, list[int]] = {}
        for (rowid, _address), plan_id in zip(hits, self.searcher.fast_field_values("plan_id", [a for _k, a in hits])):
            by_plan.setdefault(plan_id, []).append(rowid)
        return [rowid for plan_id, skip, take in slices for rowid in by_plan.get(plan_id, [])[skip:skip + take]]


def search(node: Node, filters, keys: dict[str, list[str]], *, limit: int, offset: int, facet_limit: int | None,
           searcher_pair) -> Answer | None:
    """Total, page and (when ``facet_limit``) facets of a text search on the
    index, or None when the query has nothing tantivy can search. Name
    filters select the stored folded names in ``keys`` (filter → names, as
    corpus.search resolved them)."""
    index, searcher = searcher_pair
    schema = index.schema
    compiler = _Compiler(schema, searcher)
    text = compiler.compile(node)
    if text is None:
        return None
    query = compiler.all([text, *_filter_queries(schema, filters, keys)])
    if not facet_limit:
        total, page = _ranked(searcher, query, limit, offset, count=True)
        return Answer(total=total, page=page)
    # With facets, the aggregation's pass counts the hits, and the top of the
    # ranking is found without visiting every hit (count=False lets tantivy skip).
    # tantivy lets go of the GIL while it searches, so the two passes run at
    # once: a filtered search at 1M took the longer of the two (15 ms), not
    # their sum (28 ms). The marker document has no text: never counted.
    with ThreadPoolExecutor(max_workers=1) as other:
        counting = other.submit(count, searcher, query, facet_limit)
        _, page = _ranked(searcher, query, limit, offset, count=False)
        counted = counting.result()
    return Answer(total=counted.total, page=page, facets=counted.facets)


# Hits tied with the page's last score are fetched up to this many in all, so
# that ties fall in reading order; past it (a pattern whose every hit scores
# alike) they keep the index's order.
TIE_WINDOW = 4096


def _ranked(searcher, query, limit: int, offset: int, count: bool) -> tuple[int | None, list[tuple[int, float]]]:
    """(the number of hits when ``count``, the page as (rowid, score)): best
    first, ties in reading order (rowid), as FTS5 orders them. tantivy breaks
    ties by document address, which follows the index's segments, not the
    corpus, so two indexes of one corpus (or one before and after a merge)
    would page differently: every hit tied with the page's last one is fetched
    and the window sorted."""
    wanted = offset + max(limit, 1)
    fetch = wanted + 16
    while True:
        result = searcher.search(query, limit=fetch, count=count)
        hits = result.hits
        if (len(hits) < fetch or len(hits) < wanted or hits[-1][0] < hits[wanted - 1][0]
                or fetch >= TIE_WINDOW):
            break
        fetch = min(fetch * 4, TIE_WINDOW)
    rowids = searcher.fast_field_values("rowid", [address for _score, address in hits]) if hits else []
    ranked = sorted(((-score, rowid) for rowid, (score, _address) in zip(rowids, hits)))
    return (result.count if count else None), [(rowid, -negative) for negative, rowid in ranked[offset:offset + limit]]
