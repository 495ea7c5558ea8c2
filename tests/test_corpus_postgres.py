"""What only the PostgreSQL corpus does: several `plancheck index` processes
writing at once, `serve` with several worker processes, and the database
checks (another application's database, a newer schema, an unreachable
server). The rest of the corpus suite runs on both back-ends (conftest.py)."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest

from corpus import search, store
from corpus.pg_store import SCHEMA_VERSION
from plancheck.web import create_app
from tests import MEASURES_PER_SEED, ROOT, copy_samples
from tests.conftest import HANG_S


@pytest.fixture
def pg_db(pg_cluster) -> str:
    return pg_cluster.create_database()


def test_two_index_processes_at_once_store_each_plan_once(tmp_path, pg_db):
    """Two real processes index the five plans (under two folders) at the same
    time, each in its batches: every plan once, none lost."""
    folders = [tmp_path / "a", tmp_path / "b"]
    for folder in folders:
        copy_samples(folder)
    procs = [subprocess.Popen([sys.executable, "-m", "plancheck", "index", str(folder), "--db", pg_db], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for folder in folders]
    outputs = [proc.communicate(timeout=600) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], [err for _, err in outputs]
    added = sum(int(re.search(r"新增 (\d+) 份", out).group(1)) for out, _ in outputs)
    unchanged = sum(int(re.search(r"未變更 (\d+) 份", out).group(1)) for out, _ in outputs)
    assert (added, unchanged) == (5, 5), outputs
    with store.connect(pg_db) as conn:
        counts = store.counts(conn)
        assert counts["plans"] == 5
        assert counts["measures"] == counts["fts"] == sum(MEASURES_PER_SEED.values())
        assert conn.execute("SELECT count(DISTINCT sha256) FROM plans").fetchone()[0] == 5
        hits = search(conn, "電話禮貌測試", limit=1000).hits
        assert hits and len({(h.plan_key, h.measure_id) for h in hits}) == len(hits)


def test_a_schema_another_process_created_mid_transaction_is_seen(pg_db):
    """The race of two first `index` runs on an empty database: one looked for
    the schema and found none, then waited for the migration lock while the
    other created it. Inside its transaction the waiter must see the schema
    (a name lookup from the server's cache said "no such table" and it ran the
    first migration again: "relation meta already exists")."""
    from corpus.pg_store import PgConnection, _version

    waiter = PgConnection(psycopg.connect(pg_db, autocommit=True), pg_db)
    try:
        assert _version(waiter) is None
        with waiter.transaction():
            waiter.execute("SELECT 1")
            store.connect(pg_db, create=True).close()  # the other process, committed
            assert _version(waiter) == SCHEMA_VERSION
    finally:
        waiter.close()


def _children(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


@pytest.mark.parametrize("corpus_backend", ["postgresql"], indirect=True, scope="session")
def test_serve_runs_several_workers_over_one_corpus(sample_db, tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "plancheck", "serve", "--port", "0", "--workers", "3", "--db", sample_db,
         "--data-dir", str(tmp_path)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = proc.stdout.readline()
        port = int(re.search(r"http://127\.0\.0\.1:(\d+)/", line).group(1))
        assert "3 個工作程序" in line
        deadline = time.monotonic() + HANG_S  # the workers start after the line is printed
        while len(_children(proc.pid)) < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(_children(proc.pid)) == 3
        page = "/?q=" + quote("電話禮貌測試")
        expected = create_app(sample_db, tmp_path).test_client().get(page).get_data(as_text=True).count('<article class="result">')
        answers = []
        for _ in range(9):
            conn = HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", page, headers={"Host": f"127.0.0.1:{port}"})
            response = conn.getresponse()
            answers.append((response.status, response.read().decode().count('<article class="result">')))
            conn.close()
        assert expected > 0 and answers == [(200, expected)] * 9
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def test_workers_are_for_postgresql_only(cli, tmp_path):
    result = cli("serve", "--db", str(tmp_path / "c.sqlite"), "--workers", "2")
    assert result.returncode == 2 and "PostgreSQL" in result.stderr


def test_another_applications_database_is_refused_and_unchanged(cli, pg_db, tmp_path):
    with psycopg.connect(pg_db, autocommit=True) as raw:
        raw.execute("CREATE TABLE budget (line text)")
    (plan,) = copy_samples(tmp_path / "p", ("001",))
    result = cli("index", str(plan), "--db", pg_db)
    assert result.returncode == 1 and "不是 plancheck 語料庫" in result.stderr and "Traceback" not in result.stderr
    with psycopg.connect(pg_db) as raw:
        tables = [row[0] for row in raw.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    assert tables == ["budget"]


def test_a_database_without_a_corpus_is_not_searched_or_created(cli, pg_db):
    result = cli("search", "電話", "--db", pg_db)
    assert result.returncode == 1 and "還沒有語料庫" in result.stderr
    with psycopg.connect(pg_db) as raw:
        assert raw.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] == 0


def test_a_corpus_from_a_newer_plancheck_is_refused(cli, pg_db):
    store.connect(pg_db, create=True).close()
    with psycopg.connect(pg_db, autocommit=True) as raw:
        raw.execute("UPDATE meta SET value = %s WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    result = cli("search", "電話", "--db", pg_db)
    assert result.returncode == 1 and "比此版 plancheck" in result.stderr


def test_an_unreachable_server_is_one_line_without_the_password(cli, tmp_path):
    url = f"postgresql://someone:secret@/corpus?host={tmp_path / 'no-server'}"
    result = cli("search", "電話", "--db", url)
    assert result.returncode == 1 and "無法連線到 PostgreSQL 語料庫" in result.stderr
    assert "secret" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("corpus_backend", ["postgresql"], indirect=True, scope="session")
def test_facet_query_returns_one_row_per_value_counted_in_sql(sample_conn, monkeypatch):
    """Work, not time: the facet query sends back one row per agency, year,
    dimension, item and unit (and the sample size), not one per plan and
    dimension of the hits; the agency, year and dimension counts equal the
    hits counted one by one."""
    from collections import Counter

    from corpus import pg_search

    seen: list[list] = []
    original = pg_search._facets_of
    monkeypatch.setattr(pg_search, "_facets_of", lambda rows, total: seen.append(list(rows)) or original(rows, total))
    result = search(sample_conn, "服務", limit=20)
    every = search(sample_conn, "服務", limit=1000, facets=False).hits
    assert result.total == len(every) > 20
    by_hit = {"agency": Counter(h.agency for h in every if h.agency is not None),
              "roc_year": Counter(h.roc_year for h in every if h.roc_year is not None),
              "dimension": Counter(h.dimension for h in every if h.dimension is not None)}
    (rows,) = seen
    kinds = Counter(row[0] for row in rows)
    assert kinds[0] == len(by_hit["agency"]) and kinds[4] == len(by_hit["roc_year"]) and kinds[5] == len(by_hit["dimension"])
    assert kinds[3] == 1 and set(kinds) == {0, 1, 2, 3, 4, 5}
    for name, counts in by_hit.items():
        assert dict(result.facets[name]) == {value: n for value, n in counts.items() if value in dict(result.facets[name])}
        assert sum(n for _, n in result.facets[name]) <= result.total
