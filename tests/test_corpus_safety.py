"""Hostile or mistaken input to the corpus commands: a --db that is not a
corpus, schema versions, out-of-range numbers and queries built to cost a lot.
Each gets one line and an exit code, never a traceback, and the work a bounded
query may cause is counted (terms cut, SQL statements), not timed."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest
from typer.testing import CliRunner

from corpus import Filters, QueryError, search, store, textindex
from corpus.query import MAX_DEPTH, MAX_QUERY_CHARS, MAX_TERMS, QueryLimitError, parse
from plancheck.cli import app
from tests import copy_samples

runner = CliRunner()


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_line_error(result, *words: str) -> None:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr and all(word in lines[0] for word in words), lines[0]


@pytest.mark.parametrize("command", ["index", "search", "export-bulk"])
def test_a_db_that_is_not_sqlite_is_refused_and_left_alone(tmp_path, command):
    db = tmp_path / "notes.txt"
    db.write_text("這是一份筆記，不是資料庫。\n" * 50, encoding="utf-8")
    before = digest(db)
    args = {"index": [str(copy_samples(tmp_path / "p", ("001",))[0])], "search": ["電話"], "export-bulk": []}[command]
    result = runner.invoke(app, [command, *args, "--db", str(db)])
    assert result.exit_code == 1
    one_line_error(result, str(db), "不是 plancheck 語料庫")
    assert digest(db) == before and not (tmp_path / "notes.txt-wal").exists()


def test_an_empty_file_is_never_made_into_a_corpus(tmp_path):
    db = tmp_path / "empty.sqlite"
    db.touch()
    (plan,) = copy_samples(tmp_path / "p", ("001",))
    result = runner.invoke(app, ["index", str(plan), "--db", str(db)])
    assert result.exit_code == 1
    one_line_error(result, str(db), "檔案是空的")
    assert db.stat().st_size == 0


def test_another_sqlite_database_is_refused_and_unchanged(tmp_path):
    db = tmp_path / "other.sqlite"
    raw = sqlite3.connect(db)
    raw.execute("CREATE TABLE budget (year INTEGER, amount INTEGER)")
    raw.execute("INSERT INTO budget VALUES (112, 1000)")
    raw.commit()
    raw.close()
    before = digest(db)
    (plan,) = copy_samples(tmp_path / "p", ("001",))
    for args in (["index", str(plan)], ["search", "電話"], ["serve"]):
        result = runner.invoke(app, [*args, "--db", str(db)])
        assert result.exit_code == 1, args
        one_line_error(result, "是 SQLite 資料庫，但不是 plancheck 語料庫")
    assert digest(db) == before
    raw = sqlite3.connect(db)
    assert [row[0] for row in raw.execute("SELECT name FROM sqlite_master")] == ["budget"]


def test_a_corpus_from_a_newer_plancheck_is_refused(tmp_path):
    db = tmp_path / "new.sqlite"
    store.connect(db, create=True).close()
    raw = sqlite3.connect(db)
    raw.execute(f"PRAGMA user_version = {store.SCHEMA_VERSION + 1}")
    raw.close()
    result = runner.invoke(app, ["search", "電話", "--db", str(db)])
    assert result.exit_code == 1
    one_line_error(result, f"結構版本 {store.SCHEMA_VERSION + 1}", "請更新 plancheck")


def test_a_corpus_from_an_older_plancheck_is_migrated_and_searchable(tmp_path):
    """A version-1 corpus file with a real plan in it (written as version 1 wrote
    it: no measure_keys) comes through the search command migrated."""
    db = tmp_path / "old.sqlite"
    raw = sqlite3.connect(db, isolation_level=None)
    for statement in store._statements(store.MIGRATIONS[0]):
        raw.execute(statement)
    raw.execute("PRAGMA user_version = 1")
    raw.execute(
        "INSERT INTO plans (id, source_path, sha256, format, agency, agency_key, roc_year, status, measure_count, checked,"
        " ingest_signature, plan_json, indexed_at) VALUES (1, '/old/001.txt', 'abc', 'text', '經濟部水利署第二河川局',"
        " '经济部水利署第二河川局', 102, 'ok', 1, 0, 'v1', '{}', 'then')"
    )
    raw.execute(
        "INSERT INTO measures (id, plan_id, measure_id, ord, path_json, number, text, departments_json)"
        " VALUES (5, 1, 't1-1-1-2-2', 0, '[]', '(2)', '實施電話禮貌測試至少2次。', '[]')"
    )
    tokens, chars = textindex.index_columns("實施電話禮貌測試至少2次。")
    raw.execute("INSERT INTO measures_fts (rowid, tokens, chars) VALUES (5, ?, ?)", (tokens, chars))
    raw.close()
    result = runner.invoke(app, ["search", "電話禮貌測試", "--db", str(db), "--agency", "第二河川局", "--json"])
    assert result.exit_code == 0, result.stderr
    assert '"total": 1' in result.stdout
    raw = sqlite3.connect(db)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    assert raw.execute("PRAGMA application_id").fetchone()[0] == store.APPLICATION_ID


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("--limit", str(10**30), ["--limit"]),
        ("--limit", "-1", ["--limit"]),
        ("--offset", str(10**30), ["位移"]),
        ("--year", str(10**30), ["年度超出範圍"]),
        ("--years", f"{10**30}-105", ["年度範圍"]),
    ],
)
def test_out_of_range_numbers_get_one_line_and_exit_2(sample_db, option, value, words):
    result = runner.invoke(app, ["search", "電話", "--db", str(sample_db), option, value])
    assert result.exit_code == 2
    one_line_error(result, "查詢有誤", *words)


class Counted:
    """Counts the SQL statements a search runs and the terms it cuts."""

    def __init__(self, conn, monkeypatch) -> None:
        self.statements: list[str] = []
        self.cuts = 0
        conn.set_trace_callback(self.statements.append)
        real = textindex.term_tokens

        def term_tokens(term):
            self.cuts += 1
            return real(term)

        monkeypatch.setattr(textindex, "term_tokens", term_tokens)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (" ".join(["電話禮貌測試"] * 1500), "查詢最多 200 個字"),
        ("(" * 1000 + "電話" + ")" * 1000, "查詢最多 200 個字"),
        ("(" * (MAX_DEPTH + 1) + "電話" + ")" * (MAX_DEPTH + 1), f"括號最多只能套 {MAX_DEPTH} 層"),
        (" ".join(["電話"] * (MAX_TERMS + 1)), f"查詢最多 {MAX_TERMS} 個詞"),
    ],
)
def test_costly_queries_are_refused_before_any_work(sample_conn, monkeypatch, query, message):
    count = Counted(sample_conn, monkeypatch)
    with pytest.raises(QueryLimitError, match=message):
        search(sample_conn, query)
    assert count.statements == [] and count.cuts == 0


def test_the_largest_allowed_query_does_bounded_work(sample_conn, monkeypatch):
    """At the bounds (24 terms, 8 levels) the parser does not overflow, and a
    term repeated costs nothing more: the same SQL statements (full-text
    segment reads included) as the query with each term once."""
    count = Counted(sample_conn, monkeypatch)
    once = search(sample_conn, "電話禮貌測試 謄本")
    statements_once = len(count.statements)
    count.statements.clear()
    deep = "(" * MAX_DEPTH + " ".join(["電話禮貌測試"] * (MAX_TERMS - 1)) + " 謄本" + ")" * MAX_DEPTH
    assert len(deep) <= MAX_QUERY_CHARS
    result = search(sample_conn, deep)
    assert result.fts == once.fts and result.total == once.total
    assert len(count.statements) <= statements_once  # (the first search also reads the FTS config)
    synonyms = len(textindex.expansions("電話禮貌測試"))
    assert count.cuts <= 2 * MAX_TERMS * (synonyms + 1)


def test_a_plain_parse_error_is_still_a_query_error():
    with pytest.raises(QueryError) as error:
        parse('"電話')
    assert not isinstance(error.value, QueryLimitError)


def test_filter_values_are_bounded(sample_conn):
    with pytest.raises(QueryLimitError):
        search(sample_conn, "電話", Filters(agency="署" * 10_000))
