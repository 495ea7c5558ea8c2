"""Every row a corpus holds, for comparing two corpora built from the same
files in different ways (only the time of indexing may differ)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

TABLES = {
    "plans": "SELECT * FROM plans ORDER BY id",
    "measures": "SELECT * FROM measures ORDER BY id",
    "measure_keys": "SELECT * FROM measure_keys ORDER BY id",
    "measure_units": "SELECT * FROM measure_units ORDER BY measure_rowid, unit",
    "item_matches": "SELECT * FROM item_matches ORDER BY measure_rowid, item_id",
    "measures_fts": "SELECT rowid, tokens, chars FROM measures_fts ORDER BY rowid",
}


def corpus_rows(db: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db)
    try:
        rows = {}
        for table, query in TABLES.items():
            cursor = conn.execute(query)
            names = [column[0] for column in cursor.description]
            rows[table] = [tuple(value for name, value in zip(names, row) if name != "indexed_at") for row in cursor]
        return rows
    finally:
        conn.close()
