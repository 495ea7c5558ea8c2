"""Writing one plan into the PostgreSQL corpus: ``corpus.ingest.store_rows``'s
rows, with what several writers at once need.

Two processes may index the same content, or the same path, at the same
moment. Each write takes transaction-level advisory locks on the content hash
and the path (in a fixed order) before it looks for a stored twin, so the
check and the insert see every plan committed before; the unique keys on
``sha256`` and ``source_path`` are the backstop. Measure ids come from a
sequence, never from ``max(id) + 1``, so concurrent writers never collide.
"""

from __future__ import annotations

from corpus.rows import PLAN_COLUMNS, PlanRows, Stored, insert_measure_rows
from corpus.pg_store import PgConnection
from corpus.pg_text import index_length, tsvector_text
from corpus.store import write_plan_facets


def _lock(conn: PgConnection, *names: str) -> None:
    """Hold, until the transaction ends, a lock per name (content hash, path)."""
    for name in sorted(set(names)):
        conn.run("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (name,), prepare=True)


def _delete_path(conn: PgConnection, source_path: str) -> None:
    """The plan stored for a path, out (its measures, index rows, units and matches cascade)."""
    conn.run("DELETE FROM plans WHERE source_path = %s", (source_path,), prepare=True)


def store_rows(conn: PgConnection, rows: PlanRows, *, source_path: str, sha256: str, signature: str) -> Stored:
    """``corpus.ingest.store_rows`` for PostgreSQL (see there)."""
    vectors = [tsvector_text(tokens, chars) for tokens, chars in rows.columns]
    lengths = [index_length(tokens, chars) for tokens, chars in rows.columns]
    with conn.transaction():
        _lock(conn, f"sha256:{sha256}", f"path:{source_path}")
        twin = conn.run(
            "SELECT id, source_path, ingest_signature FROM plans WHERE sha256 = %s AND source_path != %s",
            (sha256, source_path), prepare=True,
        ).fetchone()
        if twin is not None:
            _delete_path(conn, source_path)
            if twin[2] == signature:
                return Stored(twin[0], twin[1], written=False)
            source_path = twin[1]
            _lock(conn, f"path:{source_path}")
        _delete_path(conn, source_path)
        plan_id = conn.run(
            f"INSERT INTO plans ({PLAN_COLUMNS}) VALUES ({', '.join(['%s'] * 19)}) RETURNING id",
            rows.plan_values(source_path=source_path, sha256=sha256, signature=signature),
        ).fetchone()[0]
        ids = [row[0] for row in conn.run(
            "SELECT nextval('measures_id_seq') FROM generate_series(1, %s) ORDER BY 1", (len(rows.measures),)
        ).fetchall()]
        insert_measure_rows(conn, rows, plan_id, ids)
        conn.executemany(
            "INSERT INTO measures_fts (rowid, tokens, chars, tsv, length, plan_id, dimension) VALUES (?, ?, ?, ?::tsvector, ?, ?, ?)",
            [(rowid, tokens, chars, vector, length, plan_id, dimension)
             for rowid, (tokens, chars), vector, length, dimension in zip(ids, rows.columns, vectors, lengths, rows.dimensions())],
        )
        conn.run("UPDATE plans SET fts_length = %s WHERE id = %s", (sum(lengths), plan_id))
        write_plan_facets(conn, plan_id)
    return Stored(plan_id, source_path, written=True)
