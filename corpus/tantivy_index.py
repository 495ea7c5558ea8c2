"""A tantivy index of a corpus: derived, disposable, kept in step.

An SQLite corpus ``corpus.sqlite`` gets ``corpus.sqlite.tantivy/`` beside it;
a PostgreSQL corpus gets one folder per machine that searches it, under
``PLANCHECK_INDEX_DIR`` (default ``~/.cache/plancheck/tantivy``), named for
the corpus and the server and database holding it. An index holds one
document per measure — the jieba ``tokens`` and ``chars`` columns of
measures_fts (whitespace tokenizer) and the chars as adjacent pairs
(positions, for phrases: see PAIR_JOIN), plan, year, agency, dimension, items
and units as fast fields for filters and facets — and one marker document
(plan_id -1) stating which corpus (``meta.corpus_id``), which generation of it
and which layout (``layout``: LAYOUT and the corpus's schema version) the
index reflects. The marker is committed with the documents, so a searcher sees
the generation of exactly the documents it searches.

The database stays the source of truth. Every insert, update or delete of a
``plans`` row logs its plan id in ``search_changes`` (triggers: SQLite's
migration 5, PostgreSQL's migration 5), numbered in commit order; the
generation of the corpus is the last number given out. ``sync`` brings the
index up to it: it deletes every document of each plan changed since the
index's generation and adds the plan's current measures again, if it still
exists — replaying a change twice gives the same index, so a crash between
the two commits costs only a redone sync. Only one process writes an index at
a time, and it reads one consistent state of the corpus: on SQLite both come
from SQLite's write lock (BEGIN IMMEDIATE, which also holds writers back); on
PostgreSQL from a lock file beside the folder and a REPEATABLE READ snapshot
(writers go on). A missing index, another corpus's, or an older layout is
rebuilt from a read snapshot into a new folder, brought up to date under the
lock and moved into place. Search uses the index only when its generation
equals the corpus's (``corpus.tantivy_search``); otherwise the database's own
full-text search answers.

``PLANCHECK_SEARCH_ENGINE=fts5`` turns the index off (neither written nor
read); ``python -m corpus.reindex CORPUS`` rebuilds it.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from corpus.backend import is_postgres

log = logging.getLogger(__name__)

ENV_ENGINE = "PLANCHECK_SEARCH_ENGINE"
SUFFIX = ".tantivy"
# The documents' layout; a change rebuilds every index. So does a migration of
# the corpus (its PRAGMA user_version is part of the layout an index records).
LAYOUT = 2
# Where this machine keeps its indexes of PostgreSQL corpora (index_home).
ENV_INDEX_DIR = "PLANCHECK_INDEX_DIR"


def layout(conn) -> int:
    """The layout an index of this corpus must have: LAYOUT and the corpus's schema version."""
    if is_postgres(conn):
        return _layout_of(conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])
    return _layout_of(conn.execute("PRAGMA user_version").fetchone()[0])


def _layout_of(schema_version: int | str) -> int:
    return LAYOUT * 1000 + int(schema_version)


MARKER_PLAN = -1
# Two adjacent tokens of the chars column, as one token of the pairs field. A
# phrase of n characters is the phrase of its n-1 pairs (a plain term for two):
# pairs are far rarer than single characters, so their position lists are short.
PAIR_JOIN = "|"  # never inside a token: chars tokens are one word character or [a-z0-9]+
NAME_FIELDS = ("agency_key", "agency", "dimension_key", "dimension", "item", "unit_key", "unit")
WRITER_HEAP = 128_000_000
READ_BATCH = 20_000


def engine_mode() -> str:
    """``PLANCHECK_SEARCH_ENGINE``: ``auto`` (the default: tantivy when its index
    is current, else FTS5), ``tantivy`` (a stale or missing index is brought up
    to date before a search; needs write access) or ``fts5`` (no index at all)."""
    value = os.environ.get(ENV_ENGINE, "").strip().lower()
    return value if value in ("fts5", "tantivy") else "auto"


def engine_wanted() -> bool:
    """Whether the tantivy engine may be used: not turned off, and installed."""
    return engine_mode() != "fts5" and tantivy_module() is not None


def tantivy_module():
    """The tantivy package, or None when it is not installed."""
    try:
        import tantivy
    except ImportError:
        return None
    return tantivy


def corpus_file(conn: sqlite3.Connection) -> Path | None:
    """The file of an SQLite corpus connection (None in memory or temporary)."""
    for row in conn.execute("PRAGMA database_list"):
        if row[1] == "main":
            return Path(row[2]) if row[2] else None
    return None


def index_folder(db: Path) -> Path:
    """The index folder of an SQLite corpus file."""
    return db.with_name(db.name + SUFFIX)


def index_home() -> Path:
    """Where this machine keeps the indexes of PostgreSQL corpora."""
    explicit = os.environ.get(ENV_INDEX_DIR, "").strip()
    if explicit:
        return Path(explicit)
    from models.datacache import cache_dir

    return cache_dir().parent / "tantivy"


def pg_index_folder(conn, identity: str) -> Path:
    """The folder of a PostgreSQL corpus's index on this machine: one per
    corpus, server and database, so that a copy of the database restored
    elsewhere (same corpus_id, diverging changes) never shares one."""
    info = conn.raw.info
    place = "\n".join((identity, str(info.host), str(info.port), info.dbname))
    return index_home() / f"corpus-{hashlib.sha256(place.encode()).hexdigest()[:24]}"


def index_folder_of(conn) -> Path | None:
    """The index folder of an open corpus (None: an SQLite corpus in memory)."""
    if is_postgres(conn):
        return pg_index_folder(conn, corpus_id(conn))
    db = corpus_file(conn)
    return index_folder(db) if db is not None else None


def generation(conn) -> int:
    """The corpus's generation: the last change number given out (0: none yet)."""
    if is_postgres(conn):
        return conn.execute("SELECT value FROM search_generation").fetchone()[0]
    row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'search_changes'").fetchone()
    return row[0] if row else 0


def corpus_id(conn) -> str:
    row = conn.execute("SELECT value FROM meta WHERE key = 'corpus_id'").fetchone()
    return row[0] if row else ""


def schema():
    tantivy = tantivy_module()
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("rowid", stored=True, indexed=True, fast=True)
    builder.add_text_field("tokens", tokenizer_name="whitespace", index_option="position")
    builder.add_text_field("chars", tokenizer_name="whitespace", index_option="freq")  # single characters only
    builder.add_text_field("pairs", tokenizer_name="whitespace", index_option="position")
    builder.add_integer_field("plan_id", stored=True, indexed=True, fast=True)
    builder.add_integer_field("roc_year", indexed=True, fast=True)
    for name in NAME_FIELDS:
        builder.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    # The marker document's fields.
    builder.add_integer_field("generation", stored=True)
    builder.add_integer_field("layout", stored=True)
    builder.add_text_field("corpus_id", stored=True, tokenizer_name="raw")
    return builder.build()


@dataclass(frozen=True)
class Marker:
    """What an index reflects: which corpus, which generation, which layout."""

    corpus_id: str
    generation: int
    layout: int


def wanted_marker(conn) -> Marker:
    """The marker an index must bear to answer for this corpus as the
    connection sees it now (on PostgreSQL read in one statement)."""
    if not is_postgres(conn):
        return Marker(corpus_id(conn), generation(conn), layout(conn))
    identity, current, version = conn.execute(
        """SELECT (SELECT value FROM meta WHERE key = 'corpus_id'), (SELECT value FROM search_generation),
                  (SELECT value FROM meta WHERE key = 'schema_version')""").fetchone()
    return Marker(identity, current, _layout_of(version))


def marker_query(index):
    tantivy = tantivy_module()
    return tantivy.Query.range_query(index.schema, "plan_id", tantivy.FieldType.Integer, MARKER_PLAN, MARKER_PLAN)


def read_marker(index, searcher) -> Marker | None:
    """The marker of the index as ``searcher`` sees it (None: no marker)."""
    result = searcher.search(marker_query(index), limit=1, count=False)
    if not result.hits:
        return None
    doc = searcher.doc(result.hits[0][1])
    return Marker(doc["corpus_id"][0], doc["generation"][0], doc["layout"][0])


def _measure_rows(conn, where: str, params: list) -> Iterator[list]:
    """The indexed columns of the measures ``where`` selects (a condition on m),
    in batches of READ_BATCH, with their items and units."""
    last = 0
    while True:
        rows = conn.execute(
            f"""SELECT f.rowid, f.tokens, f.chars, m.plan_id, p.roc_year, p.agency_key, p.agency, m.dimension_key, m.dimension
                FROM measure_keys m CROSS JOIN measures_fts f ON f.rowid = m.id CROSS JOIN plans p ON p.id = m.plan_id
                WHERE m.id > ? AND {where} ORDER BY m.id LIMIT ?""",
            [last, *params, READ_BATCH],
        ).fetchall()
        if not rows:
            return
        low, high = rows[0][0], rows[-1][0]
        items: dict[int, list[str]] = {}
        for rowid, item in conn.execute("SELECT measure_rowid, item_id FROM item_matches WHERE measure_rowid BETWEEN ? AND ?", (low, high)):
            items.setdefault(rowid, []).append(item)
        units: dict[int, list[tuple[str, str]]] = {}
        for rowid, unit, key in conn.execute(
                "SELECT measure_rowid, unit, unit_key FROM measure_units WHERE measure_rowid BETWEEN ? AND ?", (low, high)):
            units.setdefault(rowid, []).append((unit, key))
        yield [(row, items.get(row[0], ()), units.get(row[0], ())) for row in rows]
        last = high


def pairs_of(chars: list[str]) -> str:
    """The pairs field of a chars token list (see PAIR_JOIN).

    >>> pairs_of(["电", "话", "odf"])
    '电|话 话|odf'
    """
    return " ".join(a + PAIR_JOIN + b for a, b in zip(chars, chars[1:]))


def _document(row, items: Iterable[str], units: Iterable[tuple[str, str]]):
    tantivy = tantivy_module()
    rowid, tokens, chars, plan_id, roc_year, agency_key, agency, dimension_key, dimension = row
    doc = tantivy.Document(rowid=rowid, tokens=tokens, chars=chars, pairs=pairs_of(chars.split()), plan_id=plan_id)
    if roc_year is not None:
        doc.add_integer("roc_year", roc_year)
    for name, value in (("agency_key", agency_key), ("agency", agency), ("dimension_key", dimension_key), ("dimension", dimension)):
        if value is not None:
            doc.add_text(name, value)
    for item in items:
        doc.add_text("item", item)
    for unit, key in units:
        doc.add_text("unit", unit)
        doc.add_text("unit_key", key)
    return doc


def _add_measures(writer, conn, where: str, params: list) -> int:
    count = 0
    for batch in _measure_rows(conn, where, params):
        for row, items, units in batch:
            writer.add_document(_document(row, items, units))
        count += len(batch)
    return count


def _write_marker(writer, marker: Marker) -> None:
    tantivy = tantivy_module()
    writer.delete_documents_by_term("plan_id", MARKER_PLAN)
    writer.add_document(tantivy.Document(plan_id=MARKER_PLAN, corpus_id=marker.corpus_id, generation=marker.generation,
                                         layout=marker.layout))


def _catch_up(writer, conn, since: int) -> int:
    """Apply to the index every plan change after generation ``since``;
    returns how many plans were rewritten."""
    changed = [row[0] for row in conn.execute("SELECT DISTINCT plan_id FROM search_changes WHERE seq > ?", (since,))]
    for plan_id in changed:
        writer.delete_documents_by_term("plan_id", plan_id)
    for start in range(0, len(changed), 500):
        chunk = changed[start:start + 500]
        _add_measures(writer, conn, f"m.plan_id IN ({','.join('?' * len(chunk))})", chunk)
    return len(changed)


def _open(folder: Path):
    tantivy = tantivy_module()
    try:
        if not folder.is_dir() or not tantivy.Index.exists(str(folder)):
            return None
        return tantivy.Index.open(str(folder))
    except (ValueError, OSError):  # a damaged or foreign folder: rebuilt
        return None


def current_marker(folder: Path) -> Marker | None:
    index = _open(folder)
    if index is None:
        return None
    try:
        return read_marker(index, index.searcher())
    except ValueError:  # another layout's schema
        return None


# Open indexes by folder: opening one reads its meta and segment list (about
# 3 ms at 1M measures), which a search must not pay each time. An index is
# opened again when its folder was replaced (a rebuild).
_INDEXES: dict[Path, object] = {}


def _opened(folder: Path, again: bool):
    """The index in ``folder``, opened once per process (``again``: anew), or None."""
    index = None if again else _INDEXES.get(folder)
    if index is None:
        index = _open(folder)
        if index is None:
            return None
        _INDEXES[folder] = index
    index.reload()
    return index


def searcher_at(folder: Path, wanted: Marker):
    """(index, searcher) of ``folder`` whose marker is ``wanted``, or None."""
    for again in (False, True):
        index = _opened(folder, again)
        if index is None:
            return None
        searcher = index.searcher()
        try:
            if read_marker(index, searcher) == wanted:
                return index, searcher
        except ValueError:  # another layout's schema
            pass
    return None


def _of_this_corpus(marker: Marker | None, conn, wanted_layout: int) -> bool:
    """Whether an index with this marker can be caught up (else it is rebuilt)."""
    return marker is not None and marker.layout == wanted_layout and marker.corpus_id == corpus_id(conn)


@contextmanager
def _snapshot(conn) -> Iterator[None]:
    """A read transaction: one state of the corpus throughout."""
    if is_postgres(conn):
        with conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("COMMIT")


@contextmanager
def _locked(conn, folder: Path) -> Iterator[None]:
    """This process alone writes the index in ``folder``, reading one state of
    the corpus: SQLite's write lock (writers wait); for PostgreSQL a lock on a
    file beside the folder and a snapshot (writers go on)."""
    if not is_postgres(conn):
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return
    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(folder.with_name(folder.name + ".lock"), "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes
        with _snapshot(conn):
            yield


def sync(conn) -> str:
    """Bring the index of this corpus up to its generation (building it when it
    is missing or unusable). Returns what was done: off, current, updated,
    rebuilt. Never called inside a transaction."""
    folder = index_folder_of(conn) if engine_wanted() else None
    if folder is None:
        return "off"
    marker = current_marker(folder)
    wanted = layout(conn)
    if _of_this_corpus(marker, conn, wanted) and marker.generation == generation(conn):
        return "current"  # read without the lock: a stale answer here only skips work a later sync does
    if not _of_this_corpus(marker, conn, wanted):
        rebuild(conn, folder)
        return "rebuilt"
    with _locked(conn, folder):
        index = _open(folder)
        marker = read_marker(index, index.searcher()) if index is not None else None
        usable = _of_this_corpus(marker, conn, wanted)
        target = generation(conn)
        if usable and marker.generation != target:
            def catch_up(writer) -> None:
                _catch_up(writer, conn, marker.generation)
                _write_marker(writer, Marker(marker.corpus_id, target, wanted))

            _write(index, catch_up, WRITER_HEAP // 2, 1)
    if not usable:
        rebuild(conn, folder)
        return "rebuilt"
    return "updated"


def _write(index, apply, heap: int, threads: int) -> None:
    """``apply(writer)`` to the index and commit. The writer (and its lock on
    the folder) is released here whatever happens, not when a traceback that
    still holds it is collected."""
    writer = index.writer(heap_size=heap, num_threads=threads)
    try:
        apply(writer)
        writer.commit()
    except BaseException:
        writer.rollback()
        raise
    finally:
        writer.wait_merging_threads()  # consumes the writer: the lock is freed
        del writer


def rebuild(conn, folder: Path) -> int:
    """A new index of the whole corpus, built beside ``folder`` from a read
    snapshot (writers go on meanwhile), brought up to date under the lock
    and moved into place. Returns the number of measures indexed."""
    tantivy = tantivy_module()
    folder.parent.mkdir(parents=True, exist_ok=True)
    fresh = folder.with_name(f".{folder.name}.{uuid.uuid4().hex}.tmp")
    fresh.mkdir()
    old = folder.with_name(f".{folder.name}.{uuid.uuid4().hex}.old")
    try:
        index = tantivy.Index(schema(), path=str(fresh))
        counted: list[int] = []
        with _snapshot(conn):
            snapshot = generation(conn)
            identity = corpus_id(conn)
            wanted = layout(conn)
            _write(index, lambda writer: counted.append(_add_measures(writer, conn, "1 = 1", [])), WRITER_HEAP, 2)
        with _locked(conn, folder):
            target = generation(conn)

            def catch_up(writer) -> None:
                _catch_up(writer, conn, snapshot)
                _write_marker(writer, Marker(identity, target, wanted))

            _write(index, catch_up, WRITER_HEAP // 2, 1)
            # Readers holding the old folder keep its files open; new ones find this one.
            if folder.exists():
                folder.rename(old)
            fresh.rename(folder)
        shutil.rmtree(old, ignore_errors=True)
        return counted[0]
    finally:
        shutil.rmtree(fresh, ignore_errors=True)


def sync_quietly(conn) -> None:
    """``sync`` after a committed write: the corpus is already saved, so a
    failure here only leaves the index stale (search then uses the database's
    own full-text search)."""
    if conn.in_transaction:
        return  # a write still open: the sync after its commit does this
    try:
        sync(conn)
    except Exception as error:  # noqa: BLE001 - the SQLite write has committed; search falls back
        log.warning("tantivy index not updated: %s", str(error))  # the text only: the traceback would keep its frames


# A search catches the index up itself when it lags by at most this many plan
# changes: a plan written logs two or three, so about 80 plans, some 8,000
# measures, under a second at the 18,500 measures/s a rebuild from PostgreSQL
# runs at. Further behind, the database answers until ``plancheck index``,
# ``serve``'s keeper or ``python -m corpus.reindex`` brings the index up.
CATCH_UP_CHANGES = 200


def catch_up_quietly(conn) -> None:
    """Before a search of a PostgreSQL corpus: this machine's index of it,
    when it exists and lags by at most CATCH_UP_CHANGES changes (another
    process or machine wrote since), brought up to date. Never builds a
    missing index; a failure only leaves it stale."""
    if not is_postgres(conn) or conn.in_transaction:
        return
    wanted = wanted_marker(conn)
    folder = pg_index_folder(conn, wanted.corpus_id)
    if not folder.is_dir() or searcher_at(folder, wanted) is not None:
        return  # no index here, or a current one
    marker = current_marker(folder)
    if (marker is None or marker == wanted or marker.corpus_id != wanted.corpus_id or marker.layout != wanted.layout
            or not 0 < wanted.generation - marker.generation <= CATCH_UP_CHANGES):
        return
    sync_quietly(conn)


# How often a long-running process looks for changes to index (seconds).
KEEPER_INTERVAL_S = 30.0


def keep_current(url: str, stop, interval: float = KEEPER_INTERVAL_S):
    """A daemon thread, started and returned, that brings this machine's index
    of the PostgreSQL corpus at ``url`` up to date now and then every
    ``interval`` seconds until ``stop`` (a ``threading.Event``) is set,
    building it when missing: each web server worker runs one, so searches find
    the index current however many plans other machines write. The lock file
    lets one process at a time write; the others find the index current."""
    import threading

    from corpus import pg_store

    def run() -> None:
        while not stop.is_set():
            try:
                with pg_store.connect(url) as conn:
                    sync(conn)
            except Exception as error:  # noqa: BLE001 - a keeper outlives a database restart
                log.warning("tantivy index not updated: %s", str(error))
            stop.wait(interval)

    thread = threading.Thread(target=run, name="plancheck-index-keeper", daemon=True)
    thread.start()
    return thread
