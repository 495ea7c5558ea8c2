"""Putting plans into the corpus.

    discover(paths) → files
    file_sha256 → skip when the same content is already in, with the same signature
    analyse(path) → Plan (+ CheckReport), by the function the caller hands in
    store_plan → one transaction: unless the content is already in (checked inside
                 the transaction; the content hash is a unique key), the old
                 version of the path out, the new one in

Reading and checking happen outside the transaction (they are slow); only the
writes are inside it, so a crash or a kill at any point leaves each plan either
fully in its previous state or fully replaced.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache, partial
from importlib import resources
from pathlib import Path

from corpus import textindex
from corpus.backend import is_postgres
from corpus.rows import PLAN_COLUMNS, PlanRows, Stored, insert_measure_rows, plan_rows
from corpus.store import transaction, write_plan_facets
from extractor.errors import error_line
from extractor.readers import document_extensions
from models import CheckReport, Plan

# Bump when what store_plan writes changes, so `plancheck index` redoes old rows.
INGEST_VERSION = 2

# Single plans only: a zip of plans is a batch (plancheck check), not one corpus entry.
PLAN_SUFFIXES = frozenset(document_extensions())


def discover(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The files to index: each file given, and in each folder (recursively) the
    files with a plan suffix, hidden ones skipped, in a stable order. A path that
    does not exist is yielded too, so it is reported as a failure."""
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in PLAN_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            found = [path]
        for file in found:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                yield file


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _data_fingerprint() -> str:
    """A hash of the normalizer, extractor and checks data files (dictionaries, kinds, profiles):
    when they change, tokens and matches change, so plans are re-ingested."""
    digest = hashlib.sha256()
    for package in ("normalizers", "checks", "extractor"):
        package_dir = Path(str(resources.files(package)))
        for file in sorted(p for p in (package_dir / "data").rglob("*") if p.is_file()):
            digest.update(f"{package}/{file.relative_to(package_dir).as_posix()}".encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def ingest_signature() -> str:
    return f"v{INGEST_VERSION};checks=1;data={_data_fingerprint()}"


@dataclass
class Analysed:
    """What the corpus stores of one file: the plan, its check report when it
    could be checked, and a warning for the user."""

    plan: Plan
    report: CheckReport | None
    warning: str | None = None


# Reading a file into a plan is the library's work (extract → normalize → map →
# check); the corpus is handed that function and only stores its result.
Analyse = Callable[[Path], Analysed]




def store_plan(
    conn: sqlite3.Connection,
    plan: Plan,
    report: CheckReport | None,
    *,
    source_path: str,
    sha256: str,
    signature: str,
    columns: list[tuple[str, str]] | None = None,
) -> Stored:
    """Replace whatever the corpus holds for ``source_path`` with this plan, in one
    transaction (``store_rows``). The measures are tokenized before the
    transaction starts so the write lock is held only for the writes; a caller
    that tokenized elsewhere passes ``columns``."""
    if columns is None:
        columns = [textindex.index_columns(m.text) for m in plan.measures]
    return store_rows(conn, plan_rows(plan, report, columns), source_path=source_path, sha256=sha256,
                      signature=signature)


def store_rows(conn: sqlite3.Connection, rows: PlanRows, *, source_path: str, sha256: str, signature: str) -> Stored:
    """``store_plan`` for a plan already turned into rows. The content
    (``sha256``) is stored once: when another path holds it already, by this
    signature nothing is added, by an older one that row is refreshed. The
    check runs inside the write transaction, so two processes indexing one file
    under two names cannot both add it."""
    if is_postgres(conn):
        from corpus import pg_ingest

        return pg_ingest.store_rows(conn, rows, source_path=source_path, sha256=sha256, signature=signature)
    with transaction(conn):
        twin = conn.execute(
            "SELECT id, source_path, ingest_signature FROM plans WHERE sha256 = ? AND source_path != ?", (sha256, source_path)
        ).fetchone()
        if twin is not None:
            # This path's old version (other content) goes either way.
            _delete_path(conn, source_path)
            if twin[2] == signature:
                return Stored(twin[0], twin[1], written=False)
            source_path = twin[1]
        _delete_path(conn, source_path)
        cursor = conn.execute(
            f"INSERT INTO plans ({PLAN_COLUMNS}) VALUES ({', '.join('?' * 19)})",
            rows.plan_values(source_path=source_path, sha256=sha256, signature=signature),
        )
        plan_id = cursor.lastrowid
        # Ids given here, not read back row by row, so each table is one
        # prepared statement run over all of the plan's rows.
        first = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM measures").fetchone()[0]
        ids = range(first, first + len(rows.measures))
        insert_measure_rows(conn, rows, plan_id, ids)
        conn.executemany(
            "INSERT INTO measures_fts (rowid, tokens, chars) VALUES (?, ?, ?)",
            [(rowid, tokens, chars) for rowid, (tokens, chars) in zip(ids, rows.columns)],
        )
        write_plan_facets(conn, plan_id)
    return Stored(plan_id, source_path, written=True)


def _delete_path(conn: sqlite3.Connection, source_path: str) -> None:
    """The plan stored for a path, out (its measures, units and matches cascade)."""
    conn.execute(
        "DELETE FROM measures_fts WHERE rowid IN (SELECT m.id FROM measures m JOIN plans p ON p.id = m.plan_id WHERE p.source_path = ?)",
        (source_path,),
    )
    conn.execute("DELETE FROM plans WHERE source_path = ?", (source_path,))


@dataclass
class IndexedFile:
    """What indexing did with one file."""

    path: Path
    action: str  # added, replaced, unchanged, failed
    plan_id: int | None = None
    measures: int = 0
    message: str | None = None


@dataclass
class IndexSummary:
    outcomes: list[IndexedFile] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for o in self.outcomes if o.action == action)

    @property
    def failed(self) -> list[IndexedFile]:
        return [o for o in self.outcomes if o.action == "failed"]


def _existing(conn: sqlite3.Connection, source_path: str, sha256: str) -> sqlite3.Row | None:
    """The stored plan this file would duplicate: same path, or same content under
    another path."""
    row = conn.execute(
        "SELECT id, source_path, sha256, ingest_signature, measure_count FROM plans WHERE source_path = ?",
        (source_path,),
    ).fetchone()
    if row is not None:
        return row
    return conn.execute(
        "SELECT id, source_path, sha256, ingest_signature, measure_count FROM plans WHERE sha256 = ? LIMIT 1",
        (sha256,),
    ).fetchone()


@dataclass
class Prepared:
    """One file read, checked and turned into rows: everything the writer
    needs, made wherever the reading runs (this process, a worker, a cluster)."""

    path: Path
    rows: PlanRows | None = None
    warning: str | None = None
    error: str | None = None  # the one-line message when the file could not be read


def prepare(path: Path, analyse: Analyse) -> Prepared:
    """Read a file with ``analyse``, tokenize its measures (each text once) and
    make its rows; never raises for a bad input."""
    try:
        analysed = analyse(path)
        columns = [textindex.index_columns(m.text) for m in analysed.plan.measures]
        return Prepared(path, plan_rows(analysed.plan, analysed.report, columns), analysed.warning)
    except Exception as error:  # noqa: BLE001 - one bad file never stops the run
        return Prepared(path, error=error_line(str(path), error))


@dataclass(frozen=True)
class _Pending:
    """A file to read: where it will be stored, its content hash, and the stored
    plan it would replace."""

    path: Path
    source_path: str
    sha256: str
    old: sqlite3.Row | None


def _pending_or_done(conn: sqlite3.Connection, path: Path, signature: str) -> _Pending | IndexedFile:
    """The file to read, or its outcome when there is nothing to read (missing,
    or stored already with the same content and signature)."""
    try:
        source_path = str(path.resolve())
        sha256 = file_sha256(path)
    except OSError as error:
        return IndexedFile(path, "failed", message=error_line(str(path), error))
    old = _existing(conn, source_path, sha256)
    if old is not None and old["sha256"] == sha256 and old["ingest_signature"] == signature:
        note = None if old["source_path"] == source_path else f"{path}：與已收錄的 {old['source_path']} 內容相同，未重複收錄"
        return IndexedFile(path, "unchanged", old["id"], old["measure_count"], note)
    return _Pending(path, source_path, sha256, old)


def _write(conn: sqlite3.Connection, pending: _Pending, prepared: Prepared, signature: str) -> IndexedFile:
    """Store one prepared file (its own transaction, or a savepoint of the batch's)."""
    path = pending.path
    if prepared.error is not None or prepared.rows is None:
        return IndexedFile(path, "failed", message=prepared.error)
    rows, source_path, old = prepared.rows, pending.source_path, pending.old
    # The file may have changed while it was read: the rows hold the content
    # read, and the next run picks up any later change.
    try:
        stored = store_rows(conn, rows, source_path=source_path, sha256=rows.sha256, signature=signature)
    except Exception as error:  # noqa: BLE001 - one bad file never stops the run
        return IndexedFile(path, "failed", message=error_line(str(path), error))
    if not stored.written:
        # Another path (or another process, a moment ago) holds this content.
        note = f"{path}：與已收錄的 {stored.source_path} 內容相同，未重複收錄"
        return IndexedFile(path, "unchanged", stored.plan_id, len(rows.measures), note)
    action = "replaced" if old is not None and old["source_path"] == stored.source_path else "added"
    return IndexedFile(path, action, stored.plan_id, len(rows.measures), prepared.warning)


def index_file(conn: sqlite3.Connection, path: Path, analyse: Analyse, signature: str | None = None) -> IndexedFile:
    """Index one file, read by ``analyse``; never raises for a bad input (the
    outcome says failed)."""
    signature = signature or ingest_signature()
    pending = _pending_or_done(conn, path, signature)
    if isinstance(pending, IndexedFile):
        return pending
    return _write(conn, pending, prepare(path, analyse), signature)


# Reads files into Prepared, in any order: the caller's choice of where the
# reading runs (worker processes, a cluster); None reads here, one by one.
ReadMany = Callable[[Callable[[Path], Prepared], list[Path]], Iterable[Prepared]]

BATCH_PLANS = 64  # plans written in one transaction
BATCH_SECONDS = 5.0  # …or fewer, so that readers of the corpus see progress


def _read_here(read: Callable[[Path], Prepared], paths: list[Path]) -> Iterator[Prepared]:
    return (read(path) for path in paths)


def index_files(
    conn: sqlite3.Connection,
    files: Iterable[Path],
    analyse: Analyse,
    on_done: Callable[[IndexedFile], None] | None = None,
    read_many: ReadMany | None = None,
) -> IndexSummary:
    """Index each file (see ``discover``). Files are read by ``read_many``
    (here, one by one, by default); this process is the one writer, and writes
    what has been read in batches of up to BATCH_PLANS plans per transaction.
    The write lock is never held while a file is being read, and each plan is
    still all or nothing: a batch commits whole, a plan that fails to write is
    undone alone."""
    summary = IndexSummary()
    signature = ingest_signature()
    pending: dict[Path, _Pending] = {}

    def done(outcome: IndexedFile) -> None:
        summary.outcomes.append(outcome)
        if outcome.message and outcome.action != "failed":
            summary.warnings.append(outcome.message)
        if on_done:
            on_done(outcome)

    for path in files:
        found = _pending_or_done(conn, path, signature)
        if isinstance(found, IndexedFile):
            done(found)
        else:
            pending[path] = found
    batch: list[Prepared] = []
    started = time.monotonic()

    def write_batch() -> None:
        with transaction(conn):
            outcomes = [_write(conn, pending[prepared.path], prepared, signature) for prepared in batch]
        for outcome in outcomes:  # reported once committed
            done(outcome)
        batch.clear()

    # Written in the order given, whatever order the reading finished in, so
    # that the rows (and their ids) are the same however the files were read.
    expected = iter(list(pending))
    following = next(expected, None)
    ready: dict[Path, Prepared] = {}
    for prepared in (read_many or _read_here)(partial(prepare, analyse=analyse), list(pending)):
        ready[prepared.path] = prepared
        while following is not None and following in ready:
            batch.append(ready.pop(following))
            following = next(expected, None)
        if batch and (len(batch) >= BATCH_PLANS or time.monotonic() - started >= BATCH_SECONDS):
            write_batch()
            started = time.monotonic()
    if batch:
        write_batch()
    return summary


def index_paths(conn: sqlite3.Connection, paths: Iterable[str | Path], analyse: Analyse) -> IndexSummary:
    """Index every plan file under ``paths`` (files and folders, recursively)."""
    return index_files(conn, list(discover(paths)), analyse)
