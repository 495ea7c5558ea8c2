"""Ingest: idempotent by content, a changed file replaces its old version, and
a failure or a kill in the middle of a plan leaves the previous state."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corpus import Filters, search, store
from corpus.ingest import ingest_signature
from library import index_file, index_paths
from plancheck.cli import app
from tests import MEASURES_PER_SEED, ROOT, copy_samples

runner = CliRunner()


def snapshot(conn) -> dict:
    return {
        **store.counts(conn),
        "plans_by_path": sorted(tuple(row) for row in conn.execute("SELECT source_path, sha256, measure_count FROM plans")),
    }


def test_reindexing_twice_changes_nothing(tmp_path, corpus_db):
    folder = tmp_path / "plans"
    copy_samples(folder, ("001", "004"))
    conn = store.connect(corpus_db, create=True)
    first = index_paths(conn, [folder])
    assert [o.action for o in first.outcomes] == ["added", "added"]
    before = snapshot(conn)
    for _ in range(2):
        again = index_paths(conn, [folder, *folder.iterdir()])  # the same files twice over
        assert [o.action for o in again.outcomes] == ["unchanged", "unchanged"]
        assert snapshot(conn) == before
    assert before["measures"] == MEASURES_PER_SEED["001"] + MEASURES_PER_SEED["004"]


def test_same_content_under_another_path_is_not_added_twice(tmp_path, corpus_db):
    (plan,) = copy_samples(tmp_path / "a", ("001",))
    (twin,) = copy_samples(tmp_path / "b", ("001",))
    conn = store.connect(corpus_db, create=True)
    assert index_file(conn, plan).action == "added"
    outcome = index_file(conn, twin)
    assert outcome.action == "unchanged" and str(plan.resolve()) in (outcome.message or "")
    assert store.counts(conn)["plans"] == 1


def test_a_changed_file_replaces_its_old_version(tmp_path, corpus_db):
    (plan,) = copy_samples(tmp_path / "plans", ("001",))
    conn = store.connect(corpus_db, create=True)
    index_file(conn, plan)
    assert search(conn, "實施電話禮貌測試至少2次").total == 1
    plan.write_text(plan.read_text(encoding="utf-8").replace("實施電話禮貌測試至少2次", "實施電話禮貌測試每季1次"), encoding="utf-8")
    outcome = index_file(conn, plan)
    assert outcome.action == "replaced"
    assert store.counts(conn)["plans"] == 1
    assert store.counts(conn)["measures"] == store.counts(conn)["fts"] == MEASURES_PER_SEED["001"]
    assert search(conn, '"每季1次"').total == 1
    assert search(conn, '"禮貌測試至少2次"', Filters(agency="第二河川局")).total == 0


class ExplodingConnection:
    """A connection that fails on the n-th full-text insert: a crash halfway
    through writing a plan."""

    def __init__(self, conn, fail_at: int) -> None:
        self.conn, self.fail_at, self.seen = conn, fail_at, 0

    def execute(self, sql, *args):
        if sql.startswith("INSERT INTO measures_fts"):
            self.seen += 1
            if self.seen == self.fail_at:
                raise OSError("disk unplugged")
        return self.conn.execute(sql, *args)

    def executemany(self, sql, rows):
        if sql.startswith("INSERT INTO measures_fts"):
            return self.conn.executemany(sql, self._counted(rows))
        return self.conn.executemany(sql, rows)

    def _counted(self, rows):
        for row in rows:  # sqlite3 has written the rows before this one when it raises
            self.seen += 1
            if self.seen == self.fail_at:
                raise OSError("disk unplugged")
            yield row

    @property
    def in_transaction(self) -> bool:
        return self.conn.in_transaction

    def __getattr__(self, name):  # the rest of the connection as it is (PostgreSQL's transaction, run)
        return getattr(self.conn, name)


def test_a_failure_halfway_through_a_plan_keeps_the_previous_version(tmp_path, corpus_db):
    (plan,) = copy_samples(tmp_path / "plans", ("001",))
    conn = store.connect(corpus_db, create=True)
    index_file(conn, plan)
    before = snapshot(conn)
    plan.write_text(plan.read_text(encoding="utf-8").replace("謄本", "證明文件"), encoding="utf-8")
    outcome = index_file(ExplodingConnection(conn, fail_at=20), plan)
    assert outcome.action == "failed" and "disk unplugged" in outcome.message
    assert snapshot(conn) == before
    assert search(conn, "謄本").total == 2  # the old wording is still what is indexed
    assert search(conn, "證明文件").total == 0
    # and the next run does the replacement properly
    assert index_file(conn, plan).action == "replaced"
    assert search(conn, "證明文件").total == 2


KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    import library
    from corpus import ingest, store

    real_store_rows = ingest.store_rows
    calls = {"plans": 0}

    class KillMidway:
        # SIGKILL the process after a few full-text rows of the third plan:
        # no Python cleanup, no rollback, just a dead process mid-transaction.
        def __init__(self, conn):
            self.conn, self.rows = conn, 0
        def execute(self, sql, *args):
            if sql.startswith("INSERT INTO measures_fts"):
                self.rows += 1
                if self.rows == 7:
                    os.kill(os.getpid(), signal.SIGKILL)
            return self.conn.execute(sql, *args)
        def executemany(self, sql, rows):
            if sql.startswith("INSERT INTO measures_fts"):
                rows = self.counted(rows)
            return self.conn.executemany(sql, rows)
        def counted(self, rows):
            for row in rows:
                self.rows += 1
                if self.rows == 7:
                    os.kill(os.getpid(), signal.SIGKILL)
                yield row
        @property
        def in_transaction(self):
            return self.conn.in_transaction
        def __getattr__(self, name):
            return getattr(self.conn, name)

    def store_rows(conn, *args, **kwargs):
        calls["plans"] += 1
        return real_store_rows(KillMidway(conn) if calls["plans"] == 3 else conn, *args, **kwargs)

    ingest.store_rows = store_rows
    ingest.BATCH_PLANS = 2  # plans 1 and 2 commit together, the kill comes in the next batch
    conn = store.connect(sys.argv[1], create=True)
    library.index_paths(conn, [Path(sys.argv[2])])
    """
)


def test_a_killed_ingest_leaves_a_usable_index(tmp_path, corpus_db):
    folder = tmp_path / "plans"
    copy_samples(folder)
    db = corpus_db
    proc = subprocess.run([sys.executable, "-c", KILLER, str(db), str(folder)], cwd=ROOT, capture_output=True, timeout=300)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    conn = store.connect(db)
    if corpus_db.endswith(".sqlite"):
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.execute("INSERT INTO measures_fts(measures_fts) VALUES ('integrity-check')")
    seeds = sorted(Path(p).name[:3] for (p,) in conn.execute("SELECT source_path FROM plans"))
    assert seeds == ["000", "001"]  # the two committed plans, nothing of the third
    counts = store.counts(conn)
    assert counts["measures"] == counts["fts"] == MEASURES_PER_SEED["000"] + MEASURES_PER_SEED["001"]
    assert search(conn, "謄本").total == 4
    # Running again completes the corpus.
    summary = index_paths(conn, [folder])
    assert [o.action for o in summary.outcomes] == ["unchanged", "unchanged", "added", "added", "added"]
    assert store.counts(conn)["measures"] == sum(MEASURES_PER_SEED.values())


def test_index_command_reports_bad_files_one_line_each_and_goes_on(tmp_path, corpus_db):
    folder = tmp_path / "plans"
    copy_samples(folder, ("001", "003"))
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "notes.xyz").write_text("ignored: not a plan suffix", encoding="utf-8")
    db = corpus_db
    result = runner.invoke(app, ["index", str(folder), "--db", str(db)])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if not line.startswith("plancheck: 注意")]
    assert len(errors) == 2
    assert any("broken.pdf" in line for line in errors) and any("empty.txt" in line for line in errors)
    assert "新增 2 份" in result.stdout and "失敗 2 份" in result.stdout
    again = runner.invoke(app, ["index", str(folder / "001_dc73fa876cd20475.txt"), "--db", str(db)])
    assert again.exit_code == 0 and "未變更 1 份" in again.stdout


def test_db_location_from_environment(tmp_path, monkeypatch):
    (plan,) = copy_samples(tmp_path / "plans", ("001",))
    monkeypatch.setenv("PLANCHECK_DB", str(tmp_path / "env.sqlite"))
    assert store.default_db_path() == tmp_path / "env.sqlite"
    assert runner.invoke(app, ["index", str(plan)]).exit_code == 0
    assert (tmp_path / "env.sqlite").exists()
    monkeypatch.delenv("PLANCHECK_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert store.default_db_path() == tmp_path / "xdg" / "plancheck" / "corpus.sqlite"


def test_search_command_json_contract(sample_db, tmp_path):
    result = runner.invoke(app, ["search", "电话礼貌测试", "--db", str(sample_db), "--json", "--limit", "3"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["query"] == "电话礼貌测试" and data["total"] == 6 and len(data["results"]) == 3
    for hit in data["results"]:
        assert {"agency", "roc_year", "path", "text", "snippet", "score", "source", "measure_id"} <= set(hit)
        assert isinstance(hit["path"], list) and "path" in hit["source"] and "<mark>" in hit["snippet"]
    assert set(data["facets"]) == {"agency", "roc_year", "dimension", "item", "unit"}
    table = runner.invoke(app, ["search", "謄本", "--db", str(sample_db)])
    assert table.exit_code == 0 and "共 12 項措施" in table.stdout


def test_search_command_errors(sample_db, tmp_path):
    bad = runner.invoke(app, ["search", '"電話', "--db", str(sample_db)])
    assert bad.exit_code == 2 and "查詢有誤" in bad.stderr and "引號未閉合" in bad.stderr
    assert "Traceback" not in bad.stderr and "sqlite" not in bad.stderr.lower()
    missing = runner.invoke(app, ["search", "電話", "--db", str(tmp_path / "none.sqlite")])
    assert missing.exit_code == 1 and "找不到語料庫" in missing.stderr
    assert not (tmp_path / "none.sqlite").exists()


def test_export_bulk_ndjson(sample_db, tmp_path):
    out = tmp_path / "bulk.ndjson"
    result = runner.invoke(app, ["export-bulk", "--db", str(sample_db), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 * sum(MEASURES_PER_SEED.values())
    ids = set()
    for action_line, doc_line in zip(lines[::2], lines[1::2]):
        action, doc = json.loads(action_line), json.loads(doc_line)
        assert action["index"]["_index"] == "plancheck-measures"
        ids.add(action["index"]["_id"])
        assert doc["text"] and " " in doc["text_segmented"] or len(doc["text"]) <= 4
        assert doc["text_tokens"] and doc["text_chars"]
    assert len(ids) == sum(MEASURES_PER_SEED.values())
    sample = next(json.loads(l) for l in lines[1::2] if "實施電話禮貌測試至少2次" in l)
    assert "電話" in sample["text_segmented"].split() and "电话" in sample["text_tokens"].split()


def test_signature_names_the_checks_state():
    assert ingest_signature().startswith("v")
    assert "checks=" in ingest_signature()


def test_an_older_schema_is_migrated_in_place(tmp_path):
    import sqlite3

    db = tmp_path / "old.sqlite"
    raw = sqlite3.connect(db, isolation_level=None)
    for statement in store._statements(store.MIGRATIONS[0]):
        raw.execute(statement)
    raw.execute("PRAGMA user_version = 1")
    raw.execute(
        "INSERT INTO plans (id, source_path, sha256, format, status, measure_count, checked, ingest_signature, plan_json, indexed_at)"
        " VALUES (1, '/x.txt', 'abc', 'text', 'ok', 1, 0, 'old', '{}', 'now')"
    )
    raw.execute(
        "INSERT INTO measures (id, plan_id, measure_id, ord, path_json, number, text, departments_json, dimension)"
        " VALUES (7, 1, 'm1', 0, '[]', '', '電話禮貌測試', '[]', '基礎服務')"
    )
    raw.close()
    conn = store.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    assert tuple(conn.execute("SELECT id, plan_id, dimension FROM measure_keys").fetchone()) == (7, 1, "基礎服務")
    conn.close()


def test_a_newer_schema_is_refused(tmp_path):
    import sqlite3

    db = tmp_path / "new.sqlite"
    raw = sqlite3.connect(db)
    raw.execute(f"PRAGMA user_version = {store.SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(store.CorpusError, match="請更新 plancheck"):
        store.connect(db)


def test_corpus_commands_and_options_are_documented():
    readme = (ROOT / "corpus" / "README.md").read_text(encoding="utf-8")
    for command in ("index", "search", "serve", "export-bulk"):
        assert f"plancheck {command}" in readme, command
        assert runner.invoke(app, [command, "--help"]).exit_code == 0
    help_text = runner.invoke(app, ["search", "--help"], env={"COLUMNS": "200"}).stdout
    # the options of docs/cli.md, plus --unit
    for option in ("--db", "--agency", "--year", "--years", "--dimension", "--item", "--unit", "--limit", "--json"):
        assert option in help_text, option
        if option not in ("--db", "--json", "--limit"):
            assert f"`{option}`" in readme, option


RACER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import library
    from corpus import ingest, store

    db = sys.argv[1]
    plan, ready, peer = (Path(a) for a in sys.argv[2:5])
    real_analyse = library.analyse

    def analyse(path):
        # Both processes have looked the content up (and found nothing) and read
        # the plan before either writes: the race of two `plancheck index` runs.
        result = real_analyse(path)
        ready.touch()
        deadline = time.monotonic() + 120
        while not peer.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        return result

    conn = store.connect(db, create=True)
    print(ingest.index_file(conn, plan, analyse).action)
    """
)


def test_one_file_indexed_under_two_names_at_once_yields_one_plan(tmp_path, corpus_db):
    (plan,) = copy_samples(tmp_path / "a", ("001",))
    (twin,) = copy_samples(tmp_path / "b", ("001",))
    db = corpus_db
    flags = [tmp_path / "ready-a", tmp_path / "ready-b"]
    procs = [
        subprocess.Popen([sys.executable, "-c", RACER, str(db), str(path), str(mine), str(other)], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for path, mine, other in ((plan, flags[0], flags[1]), (twin, flags[1], flags[0]))
    ]
    outputs = [proc.communicate(timeout=300) for proc in procs]
    assert all(proc.returncode == 0 for proc in procs), [err for _, err in outputs]
    assert sorted(out.strip() for out, _ in outputs) == ["added", "unchanged"]
    conn = store.connect(db)
    assert store.counts(conn)["plans"] == 1
    assert store.counts(conn)["measures"] == store.counts(conn)["fts"] == MEASURES_PER_SEED["001"]
    assert search(conn, "電話禮貌測試").total == 1


def test_duplicates_an_older_version_let_in_are_dropped_by_the_migration(tmp_path):
    """A version-2 corpus holding one content twice (the race above, before the
    unique key) comes out of the migration with one plan and a consistent index."""
    import sqlite3

    db = tmp_path / "old.sqlite"
    raw = sqlite3.connect(db, isolation_level=None)
    for migration in store.MIGRATIONS[:2]:
        for statement in store._statements(migration):
            raw.execute(statement)
    raw.execute("PRAGMA user_version = 2")
    for plan_id, path in ((1, "/a/x.txt"), (2, "/b/x.txt")):
        raw.execute(
            "INSERT INTO plans (id, source_path, sha256, format, status, measure_count, checked, ingest_signature,"
            " plan_json, indexed_at) VALUES (?, ?, 'same', 'text', 'ok', 1, 0, 'old', '{}', 'now')",
            (plan_id, path),
        )
        raw.execute(
            "INSERT INTO measures (id, plan_id, measure_id, ord, path_json, number, text, departments_json)"
            " VALUES (?, ?, 'm1', 0, '[]', '', '電話禮貌測試', '[]')",
            (plan_id * 10, plan_id),
        )
        raw.execute("INSERT INTO measure_keys (id, plan_id) VALUES (?, ?)", (plan_id * 10, plan_id))
        raw.execute("INSERT INTO measures_fts (rowid, tokens, chars) VALUES (?, '電話 禮貌 測試', '電 話 禮 貌 測 試')", (plan_id * 10,))
    raw.close()
    conn = store.connect(db)
    assert [tuple(r) for r in conn.execute("SELECT id, source_path FROM plans")] == [(1, "/a/x.txt")]
    assert store.counts(conn) == {"plans": 1, "measures": 1, "fts": 1, "item_matches": 0}
    assert conn.execute("SELECT count(*) FROM measure_keys").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO plans (source_path, sha256, format, status, measure_count, checked, ingest_signature,"
            " plan_json, indexed_at) VALUES ('/c/x.txt', 'same', 'text', 'ok', 1, 0, 'old', '{}', 'now')"
        )
