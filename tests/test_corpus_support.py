"""The sample corpus index that conftest.py builds once per session holds every measure."""

from __future__ import annotations

import sqlite3

from pathlib import Path

from corpus import store
from tests import MEASURES_PER_SEED

def test_sample_index_holds_every_measure_of_every_seed(sample_conn: sqlite3.Connection):
    rows = sample_conn.execute("SELECT source_path, measure_count FROM plans").fetchall()
    per_seed = {Path(row[0]).name[:3]: row[1] for row in rows}
    assert per_seed == MEASURES_PER_SEED
    counts = store.counts(sample_conn)
    assert counts["measures"] == counts["fts"] == sum(MEASURES_PER_SEED.values())
    if isinstance(sample_conn, sqlite3.Connection):
        assert sample_conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    else:  # every measure has its index row and its lexemes
        assert sample_conn.execute(
            "SELECT count(*) FROM measures m JOIN measures_fts f ON f.rowid = m.id WHERE f.tsv != ''::tsvector"
        ).fetchone()[0] == counts["measures"]
