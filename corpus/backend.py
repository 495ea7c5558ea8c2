"""Which database holds a corpus, and what each back-end provides.

SQLite (one file, the embedded default) is ``corpus.store`` / ``ingest`` /
``search`` / ``exemplars`` as they are; PostgreSQL (``--db postgresql://…``,
a corpus shared by several people and processes) lives in ``corpus.pg_*``.
The rest of the package asks this module which one a database or connection
is and calls the matching function; everything above ``corpus`` sees the same
functions and the same ``SearchResult``, whatever the back-end.

What a back-end provides (the SQLite names, then the PostgreSQL ones):

    connect(db, create) → connection         store.connect        pg_store.connect
    migrate(connection)                      store.migrate        pg_store.migrate
    transaction(connection)                  store.transaction    pg_store.PgConnection.transaction
    store_plan(connection, plan, …)          ingest.store_plan    pg_ingest.store_plan
    search(connection, query, filters, …)    search.search        pg_search.search
    (filters, facets, ranking and the page of hits with their highlights)
    exemplar candidates and their relevance  exemplars            pg_search.exemplar_relevance

A connection of either kind answers ``execute(sql, params)`` with ``?``
placeholders and rows readable by position and by column name, so the few
plain queries the web page and the export run are shared.
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
