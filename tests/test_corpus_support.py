"""The sample corpus index, built once per test session and shared by the
corpus and web tests (read-only: tests that write build their own)."""

from __future__ import annotations

import atexit
import shutil
import sqlite3
import tempfile
from functools import lru_cache
from pathlib import Path

import pytest

from corpus import store
from library import index_paths

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"
# Measures per seed as the extractor finds them (tests/expected holds the hand-checked lists).
MEASURES_PER_SEED = {"000": 64, "001": 51, "002": 75, "003": 83, "004": 105}


@lru_cache(maxsize=1)
def sample_db_path() -> Path:
    """The sample plans indexed into a fresh database, once per process."""
    folder = Path(tempfile.mkdtemp(prefix="plancheck-corpus-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    db = folder / "corpus.sqlite"
    conn = store.connect(db, create=True)
    try:
        summary = index_paths(conn, [SAMPLES])
    finally:
        conn.close()
    assert not summary.failed, [o.message for o in summary.failed]
    return db


@pytest.fixture
def sample_conn():
    conn = store.connect(sample_db_path())
    yield conn
    conn.close()


def copy_samples(target: Path, seeds: tuple[str, ...] = tuple(MEASURES_PER_SEED)) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    copies = []
    for path in sorted(SAMPLES.glob("*.txt")):
        if path.name[:3] in seeds:
            copies.append(Path(shutil.copy(path, target / path.name)))
    return copies


def test_sample_index_holds_every_measure_of_every_seed(sample_conn: sqlite3.Connection):
    rows = sample_conn.execute("SELECT source_path, measure_count FROM plans").fetchall()
    per_seed = {Path(row[0]).name[:3]: row[1] for row in rows}
    assert per_seed == MEASURES_PER_SEED
    counts = store.counts(sample_conn)
    assert counts["measures"] == counts["fts"] == sum(MEASURES_PER_SEED.values())
    assert sample_conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
