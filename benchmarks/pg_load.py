"""Copy a benchmark corpus from SQLite into PostgreSQL, for timing both on the
same measures without tokenizing them again.

    .venv/bin/python -m benchmarks.pg_load --sqlite /work/bench/big1m.sqlite --db postgresql:///big1m?host=…
    .venv/bin/python -m benchmarks.pg_load --sqlite big1m.sqlite --db … --measures 200000   # a prefix of plans

``corpus_bench --db postgresql://…`` builds a PostgreSQL corpus the way
``plancheck index`` does, one plan per transaction (about 1,100 measures/s).
At a million measures that is the better part of an hour; this loader COPYs
the rows the SQLite corpus already holds and derives, per measure, what the
PostgreSQL ingest adds (``pg_text.tsvector_text`` and ``index_length`` of the
same two index columns, the same functions ``pg_ingest.store_rows`` calls), so
the result is the corpus ``store_plan`` would have written. Secondary indexes
are dropped for the copy and built afterwards, and foreign-key triggers are
skipped (the rows come from a consistent corpus). The SQLite file is opened
read-only.
"""

from __future__ import annotations

import argparse
import sqlite3
import time
from collections.abc import Iterator

from corpus import pg_store
from corpus.pg_text import index_length, tsvector_text

# (table, columns): copied as they are, in this order (foreign keys first).
TABLES = (
    ("plans", "id, source_path, sha256, format, pages, agency, agency_key, roc_year, year, title, kind, framework_id,"
              " framework_confidence, status, measure_count, checked, ingest_signature, plan_json, report_json, indexed_at"),
    ("measures", "id, plan_id, measure_id, ord, path_json, number, text, departments_json, deadline, dimension, dimension_key,"
                 " page, line, row, per_year"),
    ("measure_keys", "id, plan_id, dimension, dimension_key"),
    ("measure_units", "measure_rowid, unit, unit_key"),
    ("item_matches", "measure_rowid, plan_id, item_id, status"),
    ("plan_facets", "plan_id, dimension_key, facet, value, n"),
)
# Each table's rows of the chosen plans (?: the highest plan id taken).
_SOURCE = {
    "plans": "SELECT {cols} FROM plans WHERE id <= ? ORDER BY id",
    "measures": "SELECT {cols} FROM measures WHERE plan_id <= ? ORDER BY id",
    "measure_keys": "SELECT {cols} FROM measure_keys WHERE plan_id <= ? ORDER BY id",
    "measure_units": "SELECT {cols} FROM measure_units WHERE measure_rowid IN (SELECT id FROM measures WHERE plan_id <= ?)",
    "item_matches": "SELECT {cols} FROM item_matches WHERE plan_id <= ?",
    "plan_facets": "SELECT {cols} FROM plan_facets WHERE plan_id <= ?",
}


def last_plan(source: sqlite3.Connection, measures: int | None) -> int:
    """The highest plan id of the shortest prefix of plans holding ``measures`` (all plans without)."""
    if measures is None:
        return source.execute("SELECT max(id) FROM plans").fetchone()[0]
    total = 0
    for plan_id, count in source.execute("SELECT id, measure_count FROM plans ORDER BY id"):
        total += count
        if total >= measures:
            return plan_id
    return plan_id


def fts_rows(source: sqlite3.Connection, top: int) -> Iterator[tuple]:
    """measures_fts rows as ``pg_ingest.store_rows`` writes them."""
    for rowid, tokens, chars, plan_id, dimension in source.execute(
        """SELECT c.id, c.c0, c.c1, m.plan_id, m.dimension FROM measures_fts_content c JOIN measures m ON m.id = c.id
           WHERE m.plan_id <= ? ORDER BY c.id""",
        (top,),
    ):
        yield rowid, tokens, chars, tsvector_text(tokens, chars), index_length(tokens, chars), plan_id, dimension


def copy(conn: pg_store.PgConnection, table: str, columns: str, rows) -> int:
    count = 0
    with conn.raw.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as stream:
        for row in rows:
            stream.write_row(row)
            count += 1
    return count


def secondary_indexes(conn: pg_store.PgConnection) -> list[tuple[str, str]]:
    """(name, definition) of the indexes that back no constraint."""
    return [tuple(row) for row in conn.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
           WHERE i.schemaname = current_schema() AND NOT EXISTS (
               SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""").fetchall()]


def load(sqlite_path: str, url: str, measures: int | None) -> dict:
    source = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    top = last_plan(source, measures)
    conn = pg_store.connect(url, create=True)
    if conn.execute("SELECT count(*) FROM plans").fetchone()[0]:
        raise SystemExit(f"{url}: the corpus is not empty")
    figures: dict = {"plans": top}
    start = time.perf_counter()
    indexes = secondary_indexes(conn)
    with conn.transaction():
        conn.execute("SET LOCAL session_replication_role = replica")  # no foreign-key triggers for the copy
        for name, _definition in indexes:
            conn.execute(f"DROP INDEX {name}")
        for table, columns in TABLES:
            t0 = time.perf_counter()
            rows = source.execute(_SOURCE[table].format(cols=columns), (top,))
            figures[f"{table}_rows"] = copy(conn, table, columns, rows)
            figures[f"{table}_s"] = round(time.perf_counter() - t0, 1)
        t0 = time.perf_counter()
        figures["measures_fts_rows"] = copy(conn, "measures_fts", "rowid, tokens, chars, tsv, length, plan_id, dimension",
                                             fts_rows(source, top))
        figures["measures_fts_s"] = round(time.perf_counter() - t0, 1)
        conn.execute("""UPDATE plans p SET fts_length = s.n FROM (
                            SELECT plan_id, sum(length) n FROM measures_fts GROUP BY plan_id) s WHERE s.plan_id = p.id""")
        conn.execute("SELECT setval('measures_id_seq', (SELECT max(id) FROM measures))")
        conn.execute("SELECT setval(pg_get_serial_sequence('plans', 'id'), (SELECT max(id) FROM plans))")
    t0 = time.perf_counter()
    conn.execute("SET maintenance_work_mem = '1GB'")
    for _name, definition in indexes:
        conn.execute(definition)
    figures["indexes_s"] = round(time.perf_counter() - t0, 1)
    t0 = time.perf_counter()
    conn.execute("VACUUM ANALYZE")
    figures["analyze_s"] = round(time.perf_counter() - t0, 1)
    figures["seconds"] = round(time.perf_counter() - start, 1)
    figures["size_mb"] = round(conn.execute("SELECT pg_database_size(current_database())").fetchone()[0] / 2**20)
    conn.close()
    source.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", required=True, help="The SQLite corpus to copy (opened read-only).")
    parser.add_argument("--db", required=True, help="postgresql://… of an empty database.")
    parser.add_argument("--measures", type=int, help="Copy only the first plans holding this many measures.")
    args = parser.parse_args()
    print(load(args.sqlite, args.db, args.measures), flush=True)


if __name__ == "__main__":
    main()
