"""The tantivy index of a corpus (corpus/tantivy_index.py), beside an SQLite
file or on each machine searching a PostgreSQL corpus, stays in step with it:
written with each committed batch, old documents of a replaced plan deleted,
rebuilt when missing or another corpus's, never used when stale (the
database's own search answers instead), and several `index` processes at once
neither lose nor duplicate a measure. On PostgreSQL, change numbers follow
commit order, a search catches up an index a few changes behind, and a
machine without one searches PostgreSQL until it is built. The search
results themselves are checked by the corpus suites on the "tantivy" and
"postgresql-tantivy" back-ends (tests/conftest.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from corpus import Filters, reindex, search, store, tantivy_index
from corpus.backend import is_postgres
from library import index_paths
from tests import MEASURES_PER_SEED, ROOT, copy_samples
from tests.conftest import HANG_S

QUERIES = ("謄本", "電話禮貌測試", "網路 NOT 臨櫃", '"免書證免謄本"', "禮貌*", "服務")
# Searches by filters alone: every measure, and every year (the filter an index short of a plan would miss).
BROWSE = (Filters(), Filters(year_from=1, year_to=9999))


@pytest.fixture
def engine(monkeypatch):
    """Set PLANCHECK_SEARCH_ENGINE for the rest of the test."""
    def use(mode: str) -> None:
        monkeypatch.setenv(tantivy_index.ENV_ENGINE, mode)

    use("auto")
    return use


def documents_by_plan(folder: Path) -> Counter:
    """How many measure documents the index in ``folder`` holds per plan id."""
    import tantivy

    index = tantivy.Index.open(str(folder))
    searcher = index.searcher()
    result = searcher.aggregate(tantivy.Query.all_query(),
                                {"plans": {"terms": {"field": "plan_id", "size": 100_000, "segment_size": 100_000}}})
    counts = Counter({int(b["key"]): b["doc_count"] for b in result["plans"]["buckets"]})
    assert counts.pop(tantivy_index.MARKER_PLAN) == 1
    return counts


def measures_by_plan(conn) -> Counter:
    return Counter(dict(conn.execute("SELECT plan_id, count(*) FROM measures GROUP BY plan_id").fetchall()))


def indexed(tmp_path: Path, seeds: tuple[str, ...] = tuple(MEASURES_PER_SEED)):
    """A new corpus ``c.sqlite`` with the seeds' samples copied into
    ``plans/`` and indexed: (connection, corpus file, folder)."""
    db, folder = tmp_path / "c.sqlite", tmp_path / "plans"
    copy_samples(folder, seeds)
    conn = store.connect(db, create=True)
    index_paths(conn, [folder])
    return conn, db, folder


def assert_in_step(conn) -> None:
    folder = tantivy_index.index_folder_of(conn)
    assert tantivy_index.current_marker(folder) == tantivy_index.wanted_marker(conn)
    assert documents_by_plan(folder) == measures_by_plan(conn)


def own_engine(conn) -> str:
    """The engine that answers when the index does not: the database's own."""
    return "postgresql" if is_postgres(conn) else "fts5"


def same_answers(conn, engine) -> None:
    """Each query's total and hits (every page) alike on both engines, tantivy answering."""
    for query in QUERIES:
        engine("fts5")
        fts = search(conn, query, limit=1000)
        engine("auto")
        tv = search(conn, query, limit=1000)
        assert tv.engine == "tantivy" and fts.engine == own_engine(conn)
        assert tv.total == fts.total and {h.measure_rowid for h in tv.hits} == {h.measure_rowid for h in fts.hits}, query
    for filters in BROWSE:
        engine("fts5")
        fts = search(conn, "", filters, limit=1000)
        engine("auto")
        tv = search(conn, "", filters, limit=1000)
        assert tv.engine == "tantivy" and fts.engine == own_engine(conn)
        assert tv.total == fts.total and [h.measure_rowid for h in tv.hits] == [h.measure_rowid for h in fts.hits], filters


def test_index_writes_the_index_in_step_and_a_replaced_plan_leaves_no_old_documents(tmp_path, engine):
    conn, db, folder = indexed(tmp_path, ("000", "001", "003"))
    assert_in_step(conn)
    assert sum(documents_by_plan(tantivy_index.index_folder(db)).values()) == sum(MEASURES_PER_SEED[s] for s in ("000", "001", "003"))
    same_answers(conn, engine)
    # A changed file replaces its plan: the old measures' documents go, the new ones come.
    changed = next(folder.glob("001_*"))
    text = changed.read_text(encoding="utf-8")
    assert "謄本" in text
    changed.write_text(text.replace("謄本", "戶籍資料"), encoding="utf-8")
    before = search(conn, "謄本").total
    summary = index_paths(conn, [folder])
    assert [o.action for o in summary.outcomes].count("replaced") == 1
    assert_in_step(conn)
    after = search(conn, "謄本")
    assert after.engine == "tantivy" and after.total < before
    same_answers(conn, engine)
    conn.close()


def test_each_committed_batch_updates_the_index_once(tmp_path, engine, monkeypatch):
    from corpus import ingest

    monkeypatch.setattr(ingest, "BATCH_PLANS", 2)
    monkeypatch.setattr(ingest, "BATCH_SECONDS", float("inf"))  # the count alone, however busy the machine
    db = tmp_path / "c.sqlite"
    folder = tmp_path / "plans"
    copy_samples(folder)
    conn = store.connect(db, create=True)
    outcomes: list[str] = []
    real_sync = tantivy_index.sync

    def counting(connection):
        outcome = real_sync(connection)
        # Right after each batch the index holds exactly what the corpus holds.
        assert documents_by_plan(tantivy_index.index_folder(db)) == measures_by_plan(connection)
        outcomes.append(outcome)
        return outcome

    monkeypatch.setattr(tantivy_index, "sync", counting)
    index_paths(conn, [folder])
    assert outcomes == ["rebuilt", "updated", "updated"]  # 2 + 2 + 1 plans; the first batch finds no index
    assert_in_step(conn)
    conn.close()


def test_a_stale_index_is_never_searched_and_the_next_write_brings_it_up_to_date(tmp_path, engine):
    conn, _db, folder = indexed(tmp_path, ("000",))
    assert search(conn, "服務").engine == "tantivy"
    # A writer with the engine off (or one killed between its two commits) leaves the index behind.
    engine("fts5")
    copy_samples(folder, ("002",))
    index_paths(conn, [folder])
    engine("auto")
    stale = search(conn, "服務")
    stale_browse = [search(conn, "", filters) for filters in BROWSE]
    assert stale.engine == "fts5" and {b.engine for b in stale_browse} == {"fts5"}
    engine("fts5")
    assert stale.total == search(conn, "服務").total
    assert [b.total for b in stale_browse] == [search(conn, "", filters).total for filters in BROWSE]
    assert stale_browse[0].total == MEASURES_PER_SEED["000"] + MEASURES_PER_SEED["002"]
    engine("auto")
    copy_samples(folder, ("004",))
    index_paths(conn, [folder])  # any later write catches up on every change since the index's generation
    assert_in_step(conn)
    same_answers(conn, engine)
    conn.close()


def test_a_failed_index_update_keeps_the_corpus_and_search_falls_back(tmp_path, engine, monkeypatch):
    conn, _db, folder = indexed(tmp_path, ("000",))

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(tantivy_index, "_catch_up", broken)
    copy_samples(folder, ("003",))
    summary = index_paths(conn, [folder])
    assert not summary.failed and measures_by_plan(conn).total() == MEASURES_PER_SEED["000"] + MEASURES_PER_SEED["003"]
    assert search(conn, "服務").engine == "fts5"
    monkeypatch.undo()
    engine("auto")
    assert tantivy_index.sync(conn) == "updated"
    assert_in_step(conn)
    conn.close()


def test_a_missing_or_foreign_index_is_rebuilt_and_meanwhile_not_used(tmp_path, engine):
    folder = tmp_path / "plans"
    copy_samples(folder, ("000", "002"))
    first, second = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    for db in (first, second):
        conn = store.connect(db, create=True)
        index_paths(conn, [next(folder.glob("000_*") if db == first else folder.glob("002_*"))])
        conn.close()
    # b's index replaced by a's: same generation number, another corpus.
    shutil.rmtree(tantivy_index.index_folder(second))
    shutil.copytree(tantivy_index.index_folder(first), tantivy_index.index_folder(second))
    conn = store.connect(second)
    assert search(conn, "服務").engine == "fts5"
    assert tantivy_index.sync(conn) == "rebuilt"
    assert_in_step(conn)
    # Gone altogether: the next write rebuilds it; so does the module's command.
    shutil.rmtree(tantivy_index.index_folder(second))
    copy_samples(folder, ("004",))
    index_paths(conn, [next(folder.glob("004_*"))])
    assert_in_step(conn)
    conn.close()
    shutil.rmtree(tantivy_index.index_folder(second))
    assert reindex.main([str(second)]) == 0
    conn = store.connect(second)
    assert_in_step(conn)
    same_answers(conn, engine)
    conn.close()


def index_at_once(tmp_path: Path, db: str, engine) -> None:
    """Two `plancheck index` processes writing the corpus at ``db`` at the same
    time (one sample in both folders: stored once); then every measure is
    stored and indexed once and both engines answer alike."""
    folders = [tmp_path / "a", tmp_path / "b"]
    copy_samples(folders[0], ("000", "001", "002"))
    copy_samples(folders[1], ("002", "003", "004"))
    store.connect(db, create=True).close()
    procs = [subprocess.Popen([sys.executable, "-m", "plancheck", "index", str(f), "--db", db], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for f in folders]
    for proc in procs:
        _out, err = proc.communicate(timeout=HANG_S)
        assert proc.returncode == 0, err
    conn = store.connect(db)
    assert measures_by_plan(conn).total() == sum(MEASURES_PER_SEED.values())
    assert_in_step(conn)
    same_answers(conn, engine)
    conn.close()


def test_concurrent_index_processes_neither_lose_nor_duplicate_a_measure(tmp_path, engine):
    index_at_once(tmp_path, str(tmp_path / "c.sqlite"), engine)


def test_another_layout_or_schema_version_is_not_searched_and_is_rebuilt(tmp_path, engine, monkeypatch):
    conn, _db, _folder = indexed(tmp_path, ("001",))
    assert search(conn, "服務").engine == "tantivy"
    # An index built before the corpus's last migration: the migration makes it stale.
    conn.execute(f"PRAGMA user_version = {store.SCHEMA_VERSION - 1}")
    assert tantivy_index.sync(conn) == "rebuilt"
    conn.execute(f"PRAGMA user_version = {store.SCHEMA_VERSION}")
    assert search(conn, "服務").engine == "fts5"
    assert tantivy_index.sync(conn) == "rebuilt"
    assert search(conn, "服務").engine == "tantivy"
    # A plancheck whose documents differ from the index's.
    monkeypatch.setattr(tantivy_index, "LAYOUT", tantivy_index.LAYOUT + 1)
    assert search(conn, "服務").engine == "fts5"
    assert tantivy_index.sync(conn) == "rebuilt"
    assert_in_step(conn)
    assert search(conn, "服務").engine == "tantivy"
    conn.close()


def test_a_text_search_counts_its_facets_on_another_thread_as_it_ranks(tmp_path, engine, monkeypatch):
    """The facet pass runs beside the ranking (tantivy lets go of the GIL), and
    the answer is the one the two passes give one after the other."""
    import threading

    from corpus import tantivy_search

    conn, _db, _folder = indexed(tmp_path)
    real_count, threads = tantivy_search.count, []

    def counting(*args, **kwargs):
        threads.append(threading.get_ident())
        return real_count(*args, **kwargs)

    monkeypatch.setattr(tantivy_search, "count", counting)
    together = search(conn, "電話禮貌測試", Filters(year_from=100, year_to=115))
    assert together.engine == "tantivy" and together.total > 0
    assert threads and threading.get_ident() not in threads
    alone = search(conn, "電話禮貌測試", Filters(year_from=100, year_to=115), facets=False)
    assert (together.total, [h.measure_id for h in together.hits]) == (alone.total, [h.measure_id for h in alone.hits])
    facets = {name: dict(values) for name, values in together.facets.items()}
    assert sum(facets["roc_year"].values()) == together.total
    conn.close()


# PostgreSQL: each machine keeps its own index of a shared corpus (under
# PLANCHECK_INDEX_DIR, a folder per test process: tests/conftest.py).


def pg_indexed(url: str, tmp_path: Path, seeds: tuple[str, ...]):
    """The seeds' samples copied into ``plans/`` and indexed into the
    PostgreSQL corpus at ``url``: (connection, folder)."""
    folder = tmp_path / "plans"
    copy_samples(folder, seeds)
    conn = store.connect(url, create=True)
    index_paths(conn, [folder])
    return conn, folder


def test_a_postgresql_corpus_is_indexed_on_this_machine_in_step_with_each_write(pg_cluster, tmp_path, engine):
    conn, folder = pg_indexed(pg_cluster.create_database(), tmp_path, ("000", "001", "003"))
    index = tantivy_index.index_folder_of(conn)
    assert index.parent == Path(os.environ[tantivy_index.ENV_INDEX_DIR])
    assert_in_step(conn)
    same_answers(conn, engine)
    changed = next(folder.glob("001_*"))
    changed.write_text(changed.read_text(encoding="utf-8").replace("謄本", "戶籍資料"), encoding="utf-8")
    before = search(conn, "謄本").total
    summary = index_paths(conn, [folder])
    assert [o.action for o in summary.outcomes].count("replaced") == 1
    assert_in_step(conn)  # the replaced plan's old documents are gone
    after = search(conn, "謄本")
    assert after.engine == "tantivy" and after.total < before
    same_answers(conn, engine)
    conn.close()


def _plan_row(conn, name: str) -> None:
    conn.execute(
        """INSERT INTO plans (source_path, sha256, format, status, measure_count, checked, ingest_signature, plan_json,
                              indexed_at) VALUES (?, ?, 'txt', 'ok', 0, 0, '', '{}', '')""", (name, name))


def test_change_numbers_follow_commit_order_whatever_order_the_writers_began(pg_cluster):
    """A snapshot that sees change n sees every change before it: the number is
    given when the writer commits, not when it writes (a sequence would give
    the first writer 1 and let it commit after the second's 2)."""
    url = pg_cluster.create_database()
    first, second, reader = (store.connect(url, create=True) for _ in range(3))
    try:
        first.execute("BEGIN")
        _plan_row(first, "first")
        second.execute("BEGIN")
        _plan_row(second, "second")
        second.execute("COMMIT")
        assert tantivy_index.generation(reader) == 1
        assert reader.execute("SELECT p.source_path FROM search_changes c JOIN plans p ON p.id = c.plan_id").fetchall() \
            == [("second",)]
        first.execute("COMMIT")
        assert tantivy_index.generation(reader) == 2
        order = reader.execute(
            "SELECT p.source_path FROM search_changes c JOIN plans p ON p.id = c.plan_id ORDER BY c.seq").fetchall()
        assert [row[0] for row in order] == ["second", "first"]
    finally:
        for conn in (first, second, reader):
            conn.close()


def test_a_search_catches_up_an_index_a_few_changes_behind_but_never_waits_for_more(pg_cluster, tmp_path, engine,
                                                                                    monkeypatch):
    conn, folder = pg_indexed(pg_cluster.create_database(), tmp_path, ("000",))
    # Another machine (here: a writer with the engine off) writes: this index falls behind.
    engine("fts5")
    copy_samples(folder, ("002",))
    index_paths(conn, [folder])
    engine("auto")
    behind = tantivy_index.current_marker(tantivy_index.index_folder_of(conn))
    assert behind.generation < tantivy_index.generation(conn)
    caught_up = search(conn, "服務")
    assert caught_up.engine == "tantivy"
    assert_in_step(conn)
    # Further behind than a search will catch up: the database answers, the index is left as it is.
    monkeypatch.setattr(tantivy_index, "CATCH_UP_CHANGES", 1)
    engine("fts5")
    copy_samples(folder, ("004",))
    index_paths(conn, [folder])
    engine("auto")
    left = tantivy_index.current_marker(tantivy_index.index_folder_of(conn))
    far = search(conn, "服務")
    assert far.engine == "postgresql"
    assert tantivy_index.current_marker(tantivy_index.index_folder_of(conn)) == left
    assert [b.engine for b in (search(conn, "", f) for f in BROWSE)] == ["postgresql"] * len(BROWSE)
    assert tantivy_index.sync(conn) == "updated"
    assert_in_step(conn)
    assert search(conn, "服務").total == far.total
    conn.close()


def test_a_machine_without_the_index_searches_postgresql_until_reindex_builds_it(pg_cluster, tmp_path, engine,
                                                                                monkeypatch):
    url = pg_cluster.create_database()
    conn, _folder = pg_indexed(url, tmp_path, ("000", "002"))
    assert_in_step(conn)
    # Another machine: its own (empty) index folder.
    monkeypatch.setenv(tantivy_index.ENV_INDEX_DIR, str(tmp_path / "elsewhere"))
    assert search(conn, "服務").engine == "postgresql"
    assert not (tmp_path / "elsewhere").exists()  # a search never builds an index
    assert reindex.main([url]) == 0
    assert tantivy_index.index_folder_of(conn).parent == tmp_path / "elsewhere"
    assert_in_step(conn)
    same_answers(conn, engine)
    conn.close()


def test_a_restored_copy_of_a_postgresql_corpus_gets_an_index_of_its_own(pg_cluster, tmp_path):
    original = store.connect(pg_cluster.create_database(), create=True)
    copy = store.connect(pg_cluster.create_database(), create=True)
    identity = tantivy_index.corpus_id(original)
    copy.execute("UPDATE meta SET value = ? WHERE key = 'corpus_id'", (identity,))
    assert tantivy_index.corpus_id(copy) == identity
    assert tantivy_index.index_folder_of(copy) != tantivy_index.index_folder_of(original)
    original.close()
    copy.close()


def test_concurrent_index_processes_on_postgresql_keep_the_index_in_step(pg_cluster, tmp_path, engine):
    index_at_once(tmp_path, pg_cluster.create_database(), engine)


def wait_in_step(conn, deadline: float) -> None:
    """Poll until this machine's index is of the corpus's generation (a real
    hang fails at ``deadline``; nothing here is timed)."""
    import time

    folder = tantivy_index.index_folder_of(conn)
    while tantivy_index.current_marker(folder) != tantivy_index.wanted_marker(conn):
        assert time.monotonic() < deadline, "the index never caught up"
        time.sleep(0.1)
    assert_in_step(conn)


def test_a_keeper_thread_builds_the_index_and_follows_other_machines_writes(pg_cluster, tmp_path, engine):
    import threading
    import time

    url = pg_cluster.create_database()
    engine("fts5")  # written by "another machine": no index here
    conn, folder = pg_indexed(url, tmp_path, ("000",))
    engine("auto")
    assert not tantivy_index.index_folder_of(conn).exists()
    stop = threading.Event()
    keeper = tantivy_index.keep_current(url, stop, interval=0.1)
    try:
        wait_in_step(conn, time.monotonic() + HANG_S)
        engine("fts5")
        copy_samples(folder, ("002", "003"))
        index_paths(conn, [folder])
        engine("auto")
        wait_in_step(conn, time.monotonic() + HANG_S)
        same_answers(conn, engine)
    finally:
        stop.set()
        keeper.join(timeout=HANG_S)
    assert not keeper.is_alive()
    conn.close()


def test_serve_workers_build_this_machines_index_of_a_postgresql_corpus(pg_cluster, tmp_path, engine):
    import re
    import time

    url = pg_cluster.create_database()
    engine("fts5")
    conn, _folder = pg_indexed(url, tmp_path, ("000", "001"))
    engine("auto")
    proc = subprocess.Popen(
        [sys.executable, "-m", "plancheck", "serve", "--port", "0", "--workers", "2", "--db", url,
         "--data-dir", str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert re.search(r"http://127\.0\.0\.1:\d+/", proc.stdout.readline())
        wait_in_step(conn, time.monotonic() + HANG_S)
    finally:
        proc.terminate()
        proc.wait(timeout=HANG_S)
    assert search(conn, "服務").engine == "tantivy"
    conn.close()


def test_tied_hits_are_ranked_in_reading_order_whatever_the_index_segments(tmp_path, engine, monkeypatch):
    """Four renderings of one plan (identical measures, so tied scores), each
    written in a batch of its own: a segment each, which tantivy orders by
    segment id, not by corpus order. The ranking still puts ties in reading
    order, on every page, as FTS5 does."""
    from corpus import ingest

    monkeypatch.setattr(ingest, "BATCH_PLANS", 1)
    folder = tmp_path / "plans"
    original = copy_samples(folder, ("000",))[0]
    for number in range(1, 4):  # another file each: stored as a plan of its own
        (folder / f"{original.stem}_{number}.txt").write_text(original.read_text(encoding="utf-8") + f"\n附註{number}\n",
                                                              encoding="utf-8")
    conn = store.connect(tmp_path / "c.sqlite", create=True)
    for path in sorted(folder.iterdir()):
        index_paths(conn, [path])
    assert len(measures_by_plan(conn)) == 4
    for query in ("服務", "謄本", "電話禮貌測試"):
        whole = search(conn, query, limit=1000)
        assert whole.engine == "tantivy" and whole.total >= 4
        order = [(-h.score, h.measure_rowid) for h in whole.hits]
        assert order == sorted(order), query
        assert len({h.score for h in whole.hits}) < len(whole.hits)  # there are ties to order
        pages = [h.measure_rowid for offset in range(0, whole.total, 3) for h in search(conn, query, limit=3, offset=offset).hits]
        assert pages == [h.measure_rowid for h in whole.hits], query
    conn.close()
