"""Which database holds a corpus, and what each back-end provides.

SQLite (one file, the embedded default) is ``corpus.store`` / ``ingest`` /
``search`` / ``exemplars`` as they are; PostgreSQL (``--db postgresql://…``,
a corpus shared by several people and processes) lives in ``corpus.pg_*``.
Everything above ``corpus`` sees the same functions and the same
``SearchResult``, whatever the back-end:

    connect(db, create) → connection     store.connect (a postgresql:// URL: pg_store.connect)
    migrate                              store.migrate            pg_store.migrate
    transaction(connection)              store.transaction        (PgConnection.transaction)
    store_plan(connection, plan, …)      ingest.store_plan        (the same, by rows)
    store_rows(connection, rows, …)      ingest.store_rows        pg_ingest.store_rows
    the rows of a plan                   rows (shared)
    search(connection, query, filters)   find.search → search.search or pg_search.search
    (filters, facets, BM25 ranking, the page of hits with their highlights)
    exemplar relevance (BM25)            exemplars                pg_search.item_relevance

A connection of either kind answers ``execute(sql, params)`` with ``?``
placeholders and rows readable by position and by column name, so the plain
queries of the web page, the export and the filters are shared; a PostgreSQL
connection also offers ``names_containing`` (a trigram index search) to the
name filters. The SQLite modules never import the PostgreSQL ones' code back.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(db: str | Path | None) -> bool:
    """Whether a ``--db`` value names a PostgreSQL database rather than a file."""
    return isinstance(db, str) and db.lower().startswith(POSTGRES_SCHEMES)


def is_postgres(conn: object) -> bool:
    """Whether an open corpus connection is PostgreSQL's (else SQLite's); a
    wrapper that passes attributes through counts as what it wraps."""
    return not isinstance(conn, sqlite3.Connection) and getattr(conn, "backend", None) == "postgresql"
