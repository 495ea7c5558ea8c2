"""The corpus database: one SQLite file with an FTS5 index, its location and its
versioned schema.

Where the file lives, first match wins:

1. ``--db FILE`` on the command line;
2. the environment variable ``PLANCHECK_DB``;
3. ``$XDG_DATA_HOME/plancheck/corpus.sqlite``;
4. ``~/.local/share/plancheck/corpus.sqlite``.

Migrations are numbered SQL scripts applied in order inside one transaction
each; ``PRAGMA user_version`` records the last one applied, so an older file is
brought up to date when it is opened for writing and never half-migrated.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from corpus.backend import is_postgres, is_postgres_url
from corpus.errors import CorpusError, CorpusMissing, DataUnavailable  # noqa: F401 - re-exported

ENV_DB = "PLANCHECK_DB"
DB_NAME = "corpus.sqlite"


def data_home() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "plancheck"


def default_db_path() -> Path | str:
    """The database used when no ``--db`` is given (a PostgreSQL URL stays a string)."""
    env = os.environ.get(ENV_DB)
    if is_postgres_url(env):
        return env
    return Path(env) if env else data_home() / DB_NAME


def shown_db(db: str | Path | None) -> str:
    """The corpus's location for messages: the file, or the URL without its password."""
    where = resolve_db_path(db)
    if is_postgres_url(where):
        from corpus.pg_store import shown_url

        return shown_url(where)
    return str(where)


def resolve_db_path(db: str | Path | None) -> Path | str:
    """The corpus file, or the PostgreSQL URL, that ``--db`` (or the default) names."""
    if is_postgres_url(db):
        return db
    return Path(db) if db else default_db_path()


# The rows of plan_facets, per facet, for the plans matching {plan} (a condition on
# m.plan_id): '' stands for "no dimension", 'all' counts every measure.
_FACET_ROWS = {
    "all": "SELECT m.plan_id, coalesce(m.dimension_key, ''), 'all', '', count(*) FROM measure_keys m"
           " WHERE {plan} GROUP BY 1, 2",
    "dimension": "SELECT m.plan_id, coalesce(m.dimension_key, ''), 'dimension', m.dimension, count(*) FROM measure_keys m"
                 " WHERE {plan} AND m.dimension IS NOT NULL GROUP BY 1, 2, 4",
    "item": "SELECT m.plan_id, coalesce(m.dimension_key, ''), 'item', i.item_id, count(*) FROM measure_keys m"
            " JOIN item_matches i ON i.measure_rowid = m.id WHERE {plan} GROUP BY 1, 2, 4",
    "unit": "SELECT m.plan_id, coalesce(m.dimension_key, ''), 'unit', u.unit, count(*) FROM measure_keys m"
            " JOIN measure_units u ON u.measure_rowid = m.id WHERE {plan} GROUP BY 1, 2, 4",
}


def write_plan_facets(conn: sqlite3.Connection, plan_id: int) -> None:
    """Count one freshly written plan into plan_facets (inside its transaction)."""
    for select in _FACET_ROWS.values():
        conn.execute(f"INSERT INTO plan_facets {select.format(plan='m.plan_id = ?')}", (plan_id,))


# Each entry is one migration; append, never edit one that has shipped.
MIGRATIONS: tuple[str, ...] = (
    # 1: plans, measures, their units and item matches, and the full-text index.
    """
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE plans (
        id                   INTEGER PRIMARY KEY,
        source_path          TEXT NOT NULL UNIQUE,
        sha256               TEXT NOT NULL,
        format               TEXT NOT NULL,
        pages                INTEGER,
        agency               TEXT,
        agency_key           TEXT,
        roc_year             INTEGER,
        year                 INTEGER,
        title                TEXT,
        kind                 TEXT,
        framework_id         TEXT,
        framework_confidence REAL,
        status               TEXT NOT NULL,
        measure_count        INTEGER NOT NULL,
        checked              INTEGER NOT NULL,   -- 1 when the checks ran (dimensions, items)
        ingest_signature     TEXT NOT NULL,      -- what produced this row; a change re-ingests
        plan_json            TEXT NOT NULL,
        report_json          TEXT,
        indexed_at           TEXT NOT NULL
    );
    CREATE INDEX plans_sha256 ON plans(sha256);
    CREATE INDEX plans_agency_key ON plans(agency_key);
    CREATE INDEX plans_roc_year ON plans(roc_year);

    CREATE TABLE measures (
        id             INTEGER PRIMARY KEY,
        plan_id        INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        measure_id     TEXT NOT NULL,
        ord            INTEGER NOT NULL,
        path_json      TEXT NOT NULL,
        number         TEXT NOT NULL,
        text           TEXT NOT NULL,
        departments_json TEXT NOT NULL,
        deadline       TEXT,
        dimension      TEXT,
        dimension_key  TEXT,
        page           INTEGER,
        line           INTEGER,
        row            INTEGER,
        per_year       REAL,                     -- highest stated frequency, times a year
        UNIQUE (plan_id, measure_id)
    );
    CREATE INDEX measures_plan ON measures(plan_id);
    CREATE INDEX measures_dimension_key ON measures(dimension_key);

    CREATE TABLE measure_units (
        measure_rowid INTEGER NOT NULL REFERENCES measures(id) ON DELETE CASCADE,
        unit          TEXT NOT NULL,
        unit_key      TEXT NOT NULL
    );
    CREATE INDEX measure_units_measure ON measure_units(measure_rowid);
    CREATE INDEX measure_units_key ON measure_units(unit_key);

    CREATE TABLE item_matches (
        measure_rowid INTEGER NOT NULL REFERENCES measures(id) ON DELETE CASCADE,
        plan_id       INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        item_id       TEXT NOT NULL,
        status        TEXT NOT NULL,
        PRIMARY KEY (measure_rowid, item_id)
    );
    CREATE INDEX item_matches_item ON item_matches(item_id, status);

    -- tokens: folded jieba tokens (search mode) plus single characters, space-joined;
    -- chars: the folded text one character (or ASCII word) per token, in order, so a
    -- phrase query is an exact substring match. unicode61 tokenizes both on spaces.
    CREATE VIRTUAL TABLE measures_fts USING fts5(
        tokens, chars, tokenize = 'unicode61 remove_diacritics 0'
    );
    """,
    # 2: a narrow copy of each measure's plan and dimension. Search touches it once
    # per hit (filters, facets); the wide measures rows (text, path, …) are read only
    # for the page of results shown, which keeps a million-measure search in cache.
    """
    CREATE TABLE measure_keys (
        id            INTEGER PRIMARY KEY REFERENCES measures(id) ON DELETE CASCADE,
        plan_id       INTEGER NOT NULL,
        dimension     TEXT,
        dimension_key TEXT
    );
    INSERT INTO measure_keys (id, plan_id, dimension, dimension_key)
        SELECT id, plan_id, dimension, dimension_key FROM measures;
    CREATE INDEX measure_keys_dimension_key ON measure_keys(dimension_key);
    """,
    # 3: one plan per content. Its SHA-256 is the plan's lasting address and a
    # unique key, so two processes indexing one file under two names cannot both
    # add it; duplicates an older version let in are dropped (the first kept).
    # The file is marked as a plancheck corpus; measure_keys gets an index by plan
    # so a filter on agency or year reaches its measures without a scan.
    """
    DELETE FROM measures_fts WHERE rowid IN (
        SELECT m.id FROM measures m JOIN plans p ON p.id = m.plan_id
        WHERE EXISTS (SELECT 1 FROM plans q WHERE q.sha256 = p.sha256 AND q.id < p.id));
    DELETE FROM plans WHERE EXISTS (SELECT 1 FROM plans q WHERE q.sha256 = plans.sha256 AND q.id < plans.id);
    DROP INDEX plans_sha256;
    CREATE UNIQUE INDEX plans_sha256 ON plans(sha256);
    CREATE INDEX measure_keys_plan ON measure_keys(plan_id);
    PRAGMA application_id = 1347175243;
    """,
    # 4: per plan and dimension, how many measures there are and how many carry
    # each dimension, item and unit; a search by agency, year or dimension alone
    # counts its hits and facets from these few rows instead of every measure.
    """
    CREATE TABLE plan_facets (
        plan_id       INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        dimension_key TEXT NOT NULL,
        facet         TEXT NOT NULL,
        value         TEXT NOT NULL,
        n             INTEGER NOT NULL
    );
    CREATE INDEX plan_facets_plan ON plan_facets(plan_id, facet, dimension_key);
    """
    + "\n".join(f"INSERT INTO plan_facets {select};" for select in _FACET_ROWS.values()).format(plan="1"),
    # 5: a log of the plans each write changed, for the tantivy index kept beside
    # the file (corpus/tantivy_index.py): its last sequence number is the corpus's
    # generation, and the plans logged after an index's generation are what it
    # lacks. corpus_id tells this corpus from another later put at the same path.
    """
    CREATE TABLE search_changes (
        seq     INTEGER PRIMARY KEY AUTOINCREMENT,
        plan_id INTEGER NOT NULL
    );
    CREATE TRIGGER plans_changed_insert AFTER INSERT ON plans BEGIN
        INSERT INTO search_changes (plan_id) VALUES (new.id);
    END;
    CREATE TRIGGER plans_changed_update AFTER UPDATE ON plans BEGIN
        INSERT INTO search_changes (plan_id) VALUES (old.id);
        INSERT INTO search_changes (plan_id) SELECT new.id WHERE new.id != old.id;
    END;
    CREATE TRIGGER plans_changed_delete AFTER DELETE ON plans BEGIN
        INSERT INTO search_changes (plan_id) VALUES (old.id);
    END;
    INSERT OR REPLACE INTO meta (key, value) VALUES ('corpus_id', lower(hex(randomblob(16))));
    """,
)

# PRAGMA application_id of a corpus file: "PLCK".
APPLICATION_ID = 1347175243
SQLITE_HEADER = b"SQLite format 3\x00"

SCHEMA_VERSION = len(MIGRATIONS)


def _configure(conn: sqlite3.Connection) -> None:
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 10000")
    # SQLite's default page cache is 2 MB; a search over a large corpus rereads
    # the same index pages, so give it room and map the file.
    conn.execute("PRAGMA cache_size = -65536")
    conn.execute("PRAGMA mmap_size = 268435456")


def check_fts5(conn: sqlite3.Connection) -> None:
    options = {row[0] for row in conn.execute("PRAGMA compile_options")}
    if "ENABLE_FTS5" not in options:
        try:
            conn.execute("CREATE VIRTUAL TABLE temp._fts5_probe USING fts5(x)")
            conn.execute("DROP TABLE temp._fts5_probe")
        except sqlite3.OperationalError:
            raise CorpusError(f"此 Python 的 SQLite（{sqlite3.sqlite_version}）未編入 FTS5，無法建立全文索引") from None


def migrate(conn: sqlite3.Connection) -> int:
    """Apply the migrations the file lacks; returns the schema version."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise CorpusError(f"語料庫的結構版本 {version} 比此版 plancheck（{SCHEMA_VERSION}）新，請更新 plancheck")
    for number in range(version + 1, SCHEMA_VERSION + 1):
        # executescript would commit on its own; run statement by statement inside
        # one explicit transaction so a failed migration leaves the old schema.
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(MIGRATIONS[number - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return SCHEMA_VERSION


def _statements(script: str) -> Iterator[str]:
    buffer = ""
    for line in script.splitlines(keepends=True):
        stripped = line.strip()
        if stripped.startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                yield buffer.strip()
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete SQL statement in migration: {buffer[:60]!r}")


def connect(db: str | Path | None = None, *, create: bool = False) -> sqlite3.Connection:
    """Open the corpus (a ``postgresql://`` URL opens it in PostgreSQL:
    corpus/pg_store.py). With ``create`` a missing file (and folder) is made and
    migrated; without it a missing file raises CorpusMissing. An existing file
    must be a plancheck corpus: an empty file, another SQLite database or any
    other file is refused (CorpusError), never turned into a corpus; an older
    schema is migrated in place, a newer one refused."""
    path = resolve_db_path(db)
    if is_postgres_url(path):
        from corpus import pg_store

        return pg_store.connect(path, create=create)
    if not path.exists():
        if not create:
            raise CorpusMissing(f"找不到語料庫 {path}；請先執行 plancheck index 收錄計畫")
        _create(path)
    _check_file(path)
    conn = _open(path)
    try:
        check_fts5(conn)
        _check_corpus(conn, path)
        conn.execute("PRAGMA journal_mode = WAL")
        migrate(conn)
    except sqlite3.DatabaseError as error:
        conn.close()
        raise CorpusError(f"{path}: 無法讀取語料庫（{sqlite_reason(error)}）") from None
    except BaseException:
        conn.close()
        raise
    return conn


_SQLITE_REASONS = {
    "file is not a database": "不是 SQLite 資料庫",
    "database disk image is malformed": "資料庫檔案已損壞",
    "database is locked": "正由其他程式寫入（已鎖定）",
    "unable to open database file": "無法開啟檔案",
    "attempt to write a readonly database": "檔案唯讀，無法寫入",
}


def sqlite_reason(error: sqlite3.Error) -> str:
    """SQLite's English message of a corpus that cannot be used, in Chinese (its
    class name when the message is not one of the usual ones)."""
    return _SQLITE_REASONS.get(str(error), f"SQLite 錯誤 {type(error).__name__}")


def _open(path: Path) -> sqlite3.Connection:
    # isolation_level=None: transactions are explicit (BEGIN/COMMIT), never implicit.
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        _configure(conn)
    except sqlite3.DatabaseError as error:
        conn.close()
        raise CorpusError(f"{path}: 不是 plancheck 語料庫（{sqlite_reason(error)}）") from None
    return conn


def _create(path: Path) -> None:
    """A new, fully migrated corpus at ``path``, made beside it and linked into
    place, so the name never points at a half-made file; when another process
    made it first, theirs is kept."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        conn = _open(tmp)
        try:
            check_fts5(conn)
            migrate(conn)
            conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
            leftover.unlink(missing_ok=True)


def _check_file(path: Path) -> None:
    """Refuse, before SQLite touches it, a file that is not an SQLite database."""
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        from extractor.errors import os_reason  # only on this path: a search must not load the extractor

        raise CorpusError(f"{path}: 無法開啟語料庫（{os_reason(error)}）") from None
    if not header:
        raise CorpusError(f"{path}: 檔案是空的，不是 plancheck 語料庫")
    if header != SQLITE_HEADER:
        raise CorpusError(f"{path}: 不是 plancheck 語料庫（不是 SQLite 資料庫檔案）")


def _check_corpus(conn: sqlite3.Connection, path: Path) -> None:
    """An SQLite file is a corpus when it carries the corpus mark, or (written
    before the mark existed) has a schema version and the plans table."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise CorpusError(f"{path}: 語料庫的結構版本 {version} 比此版 plancheck（{SCHEMA_VERSION}）新，請更新 plancheck")
    if conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID:
        return
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if version < 1 or not {"plans", "measures", "measures_fts"} <= tables:
        raise CorpusError(f"{path}: 是 SQLite 資料庫，但不是 plancheck 語料庫；請用 --db 指定另一個檔案")


_SAVEPOINTS = itertools.count()


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction: everything inside commits together or not at all.
    Inside another one (a batch of plans written together) it is a savepoint:
    a failure undoes only its own writes, and the batch commits as one."""
    if is_postgres(conn):
        outermost = not conn.in_transaction
        with conn.transaction():
            yield conn
        if outermost:  # this machine's search index follows each committed write
            from corpus.tantivy_index import sync_quietly

            sync_quietly(conn)
        return
    if conn.in_transaction:
        name = f"nested_{next(_SAVEPOINTS)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield conn
        except BaseException:
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
            raise
        conn.execute(f"RELEASE {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    # The search index beside the file follows each committed write.
    from corpus.tantivy_index import sync_quietly

    sync_quietly(conn)


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Row counts of the main tables (for reports and tests)."""
    return {
        "plans": conn.execute("SELECT count(*) FROM plans").fetchone()[0],
        "measures": conn.execute("SELECT count(*) FROM measures").fetchone()[0],
        "fts": conn.execute("SELECT count(*) FROM measures_fts").fetchone()[0],
        "item_matches": conn.execute("SELECT count(*) FROM item_matches").fetchone()[0],
    }
