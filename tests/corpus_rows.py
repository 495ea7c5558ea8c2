"""Every row a corpus holds, for comparing two corpora built from the same
files in different ways (only the time of indexing may differ)."""

from __future__ import annotations

from pathlib import Path

from corpus import store

TABLES = {
    "plans": "SELECT * FROM plans ORDER BY id",
    "measures": "SELECT * FROM measures ORDER BY id",
    "measure_keys": "SELECT * FROM measure_keys ORDER BY id",
    "measure_units": "SELECT * FROM measure_units ORDER BY measure_rowid, unit",
    "item_matches": "SELECT * FROM item_matches ORDER BY measure_rowid, item_id",
    "measures_fts": "SELECT rowid, tokens, chars FROM measures_fts ORDER BY rowid",
}


def corpus_rows(db: Path | str) -> dict[str, list[tuple]]:
    """Every row of either back-end's corpus (a file or a postgresql:// URL)."""
    conn = store.connect(db)
    try:
        rows = {}
        for table, query in TABLES.items():
            rows[table] = [tuple(value for name, value in zip(row.keys(), row) if name != "indexed_at")
                           for row in conn.execute(query).fetchall()]
        return rows
    finally:
        conn.close()
