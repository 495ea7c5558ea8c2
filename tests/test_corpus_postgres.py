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


def _plan_nodes(node: dict):
    yield node
    for child in node.get("Plans", ()):
        yield from _plan_nodes(child)


@pytest.mark.parametrize("corpus_backend", ["postgresql"], indirect=True, scope="session")
def test_filter_only_page_reads_the_hits_and_the_plans_once(sample_conn):
    """Work, not time: the filter-only page (an item filter, so counted from
    the hits) reads the hits table once and looks plans up once per plan or per row
    of the page, never once per hit, nor the hits once per plan (the join that
    took 5 s for 20,471 hits at 1M measures)."""
    from corpus import pg_search
    from corpus.search import Filters, _query_plan

    limit = 2
    (item,) = sample_conn.execute(
        "SELECT item_id FROM item_matches GROUP BY item_id ORDER BY count(DISTINCT plan_id) DESC, item_id LIMIT 1").fetchone()
    plan = _query_plan(sample_conn, Filters(item=item), [])
    explained: list[dict] = []

    class Explaining:
        def execute(self, sql, params=()):
            if "FROM hits h JOIN plans p" not in sql:
                return sample_conn.execute(sql, params)
            row = sample_conn.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params).fetchone()
            explained.append(row[0][0]["Plan"])

    with sample_conn.transaction():
        total, _floor = pg_search._fill_hits(sample_conn, None, plan)
        plans = sample_conn.execute("SELECT count(DISTINCT plan_id) FROM hits").fetchone()[0]
        pg_search._page_in_plan_order(Explaining(), limit, 0)
    assert total > plans > limit, (item, total, plans)  # a per-hit or per-plan loop would show
    (tree,) = explained
    loops: dict[str, int] = {}
    for node in _plan_nodes(tree):
        if node.get("Relation Name") in ("hits", "plans"):
            loops[node["Relation Name"]] = loops.get(node["Relation Name"], 0) + node["Actual Loops"]
        assert node.get("Rows Removed by Join Filter", 0) == 0
    assert loops["hits"] == 1 and loops["plans"] <= 1 + limit, loops


@pytest.mark.parametrize("corpus_backend", ["postgresql"], indirect=True, scope="session")
def test_unit_filter_reads_its_hits_from_the_unit_rows(sample_conn):
    """Work, not time: a unit filter without text (alone, with years or with a
    面向) gathers its hits without reading measure_keys, whose row per unit
    row cost 66,404 lookups at 1M measures; the unit rows carry the plan and
    面向 the hits need, written by the trigger of migration 4 and equal to
    measure_keys' own."""
    from corpus.search import Filters

    (unit, n) = sample_conn.execute(
        "SELECT unit, count(*) FROM measure_units GROUP BY unit ORDER BY count(*) DESC, unit LIMIT 1").fetchone()
    differing = sample_conn.execute(
        """SELECT count(*) FROM measure_units u JOIN measure_keys m ON m.id = u.measure_rowid
           WHERE u.plan_id <> m.plan_id OR u.dimension IS DISTINCT FROM m.dimension
              OR u.dimension_key IS DISTINCT FROM m.dimension_key""").fetchone()[0]
    assert n > 1 and differing == 0
    statements: list[str] = []
    sample_conn.set_trace_callback(statements.append)
    try:
        alone = search(sample_conn, "", Filters(unit=unit), limit=1000)
        with_years = search(sample_conn, "", Filters(unit=unit, year_from=105, year_to=112), limit=1000)
        dimension = next(h.dimension for h in alone.hits if h.dimension)
        with_dimension = search(sample_conn, "", Filters(unit=unit, dimension=dimension), limit=1000)
    finally:
        sample_conn.set_trace_callback(None)
    assert alone.total == len({h.measure_rowid for h in alone.hits}) > 1
    assert [h.measure_rowid for h in with_years.hits] == [
        h.measure_rowid for h in alone.hits if h.roc_year is not None and 105 <= h.roc_year <= 112]
    assert 0 < with_dimension.total <= alone.total and {h.dimension for h in with_dimension.hits} == {dimension}
    inserts = [s for s in statements if "INSERT INTO hits" in s]
    assert len(inserts) == 3 and all("measure_units d" in s and "measure_keys" not in s for s in inserts)
