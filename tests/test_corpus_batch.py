"""Indexing a batch: read by worker processes, written by this one in batches
of one transaction each, every measure text segmented once. Counts statements
and calls; speed is measured by benchmarks/index_bench.py."""

from __future__ import annotations

import shutil
from pathlib import Path

from corpus import ingest, store
from library import index_paths
from normalizers import terms
from tests import SAMPLES
from tests.corpus_rows import corpus_rows
from tests.test_corpus_ingest import ExplodingConnection


def _copies(folder):
    folder.mkdir()
    for path in SAMPLES:
        shutil.copy(path, folder / path.name)
    return folder


def test_index_jobs_2_writes_the_same_rows_as_jobs_1(tmp_path, cli, new_corpus_db):
    plans = _copies(tmp_path / "plans")
    one, two = new_corpus_db(tmp_path), new_corpus_db(tmp_path)
    first = cli("index", str(plans), "--db", str(one), "--jobs", "1")
    second = cli("index", str(plans), "--db", str(two), "--jobs", "2")
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert "新增 5 份" in first.stdout and "新增 5 份" in second.stdout
    rows = corpus_rows(one)
    assert len(rows["plans"]) == 5 and len(rows["measures"]) == len(rows["measures_fts"]) > 300
    assert corpus_rows(two) == rows


def test_a_batch_of_plans_is_one_transaction(tmp_path, monkeypatch):
    # A batch also ends after BATCH_SECONDS: on a busy machine reading five plans can take longer, which
    # must not fail the suite. The time bound is switched off here; the count bound is what is tested.
    monkeypatch.setattr(ingest, "BATCH_SECONDS", float("inf"))
    monkeypatch.setenv("PLANCHECK_SEARCH_ENGINE", "fts5")  # the corpus's own transactions (the index's: test_corpus_tantivy)
    plans = _copies(tmp_path / "plans")
    conn = store.connect(tmp_path / "c.sqlite", create=True)
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    summary = index_paths(conn, [plans])
    conn.set_trace_callback(None)
    assert [o.action for o in summary.outcomes] == ["added"] * 5
    assert statements.count("BEGIN IMMEDIATE") == 1 and statements.count("COMMIT") == 1
    assert sum(s.startswith("SAVEPOINT") for s in statements) == 5  # each plan all or nothing inside it
    assert store.counts(conn)["plans"] == 5


def test_a_long_batch_commits_every_batch_plans(tmp_path, monkeypatch):
    plans = _copies(tmp_path / "plans")
    monkeypatch.setattr(ingest, "BATCH_PLANS", 2)
    monkeypatch.setattr(ingest, "BATCH_SECONDS", float("inf"))  # the count alone, however busy the machine
    monkeypatch.setenv("PLANCHECK_SEARCH_ENGINE", "fts5")  # the corpus's own transactions (the index's: test_corpus_tantivy)
    conn = store.connect(tmp_path / "c.sqlite", create=True)
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    index_paths(conn, [plans])
    assert statements.count("COMMIT") == 3  # 2 + 2 + 1


def test_each_measure_text_is_segmented_once(tmp_path, monkeypatch, corpus_db):
    plans = _copies(tmp_path / "plans")
    segmented: list[str] = []
    real_search_tokens = terms.search_tokens

    def counting(text):
        segmented.append(text)
        return real_search_tokens(text)

    monkeypatch.setattr(terms, "search_tokens", counting)
    conn = store.connect(corpus_db, create=True)
    index_paths(conn, [plans])
    measures = [row[0] for row in conn.execute("SELECT text FROM measures")]
    assert sorted(segmented) == sorted(measures)


def test_a_plan_that_fails_to_write_leaves_the_rest_of_its_batch(tmp_path, monkeypatch, corpus_db):
    plans = _copies(tmp_path / "plans")
    real_store_rows = ingest.store_rows

    def failing(conn, rows, **kwargs):
        if kwargs["source_path"].endswith(SAMPLES[2].name):  # fails after writing 20 of its full-text rows
            return real_store_rows(ExplodingConnection(conn, fail_at=20), rows, **kwargs)
        return real_store_rows(conn, rows, **kwargs)

    monkeypatch.setattr(ingest, "store_rows", failing)
    conn = store.connect(corpus_db, create=True)
    summary = index_paths(conn, [plans])
    failed = [o for o in summary.outcomes if o.action == "failed"]
    assert len(failed) == 1 and "disk unplugged" in failed[0].message
    counts = store.counts(conn)
    assert counts["plans"] == 4 and counts["measures"] == counts["fts"]
    assert SAMPLES[2].name not in {Path(p).name for (p,) in conn.execute("SELECT source_path FROM plans")}
