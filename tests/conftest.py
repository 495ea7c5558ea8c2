"""Fixtures shared by the whole suite, and the one way tests run the command line.

``cli`` runs `plancheck` in this process with typer's CliRunner: fast, and it
reports exit code, stdout and stderr as a user sees them. ``cli_process`` runs
it as a real process, for what only a process boundary shows (signals, the
interpreter's own exit, file descriptors). Both take the same arguments.

Timeouts here only catch a real hang; nothing in the suite asserts speed."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import ROOT, SAMPLES, SAMPLES_DIR

HANG_S = 900  # a command this slow has hung; idle runs of the slowest take well under a minute


@dataclass(frozen=True)
class CliResult:
    """What a user sees of one command: its exit code and its two streams."""

    returncode: int
    stdout: str
    stderr: str


def run_in_process(*args: str, cwd: Path | str = ROOT, input: str | None = None) -> CliResult:
    from typer.testing import CliRunner

    from plancheck.cli import app

    runner = CliRunner()
    with contextlib.chdir(cwd):
        result = runner.invoke(app, list(args), input=input, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        # an escaped exception is what a user would see as a traceback: show it as one
        import traceback

        trace = "".join(traceback.format_exception(result.exception))
        return CliResult(returncode=1, stdout=result.stdout, stderr=result.stderr + "Traceback (in process)\n" + trace)
    return CliResult(returncode=result.exit_code, stdout=result.stdout, stderr=result.stderr)


def run_process(*args: str, cwd: Path | str = ROOT, input: str | None = None, timeout: float = HANG_S,
                env: dict[str, str] | None = None, **popen) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "plancheck", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd, input=input, timeout=timeout,
                          env={**os.environ, **(env or {})}, **popen)


@pytest.fixture(scope="session")
def cli():
    """Run `plancheck ARGS…` in process: ``cli("check", path, cwd=...)`` → CliResult."""
    return run_in_process


@pytest.fixture(scope="session")
def cli_process():
    """Run `plancheck ARGS…` as a real process → subprocess.CompletedProcess."""
    return run_process


@pytest.fixture(scope="session")
def sample_reports(tmp_path_factory) -> Path:
    """`check corpus/samples --out DIR` in every report format, once per session:
    the report tests read these outputs instead of each running the batch."""
    from outputs.reports import FORMATS

    out = tmp_path_factory.mktemp("sample-reports") / "out"
    result = run_in_process("check", *map(str, SAMPLES), "--out", str(out), "--format", ",".join(FORMATS), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    return out


# The corpus tests run once per back-end: SQLite searched by FTS5, SQLite
# searched by its tantivy index (corpus/tantivy_index.py), PostgreSQL (a
# database in a throwaway cluster of this session) searched by its own
# tsvector index, and PostgreSQL searched by this machine's tantivy index.
CORPUS_BACKENDS = ("sqlite", "tantivy", "postgresql", "postgresql-tantivy")
# PLANCHECK_SEARCH_ENGINE for each: "tantivy" brings the index up to date
# before a search, so a test on that back-end never falls back unseen; "fts5"
# is the database's own full-text search (FTS5, or PostgreSQL's).
SEARCH_ENGINES = {"sqlite": "fts5", "tantivy": "tantivy", "postgresql": "fts5", "postgresql-tantivy": "tantivy"}


def pytest_configure(config) -> None:
    """Each test process keeps the tantivy indexes of PostgreSQL corpora in a
    folder of its own, removed at its end, never in the user's cache."""
    import tempfile

    if "PLANCHECK_INDEX_DIR" not in os.environ:
        os.environ["PLANCHECK_INDEX_DIR"] = config._plancheck_index_dir = tempfile.mkdtemp(prefix="plancheck-index-")


def pytest_unconfigure(config) -> None:
    import shutil

    folder = getattr(config, "_plancheck_index_dir", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        os.environ.pop("PLANCHECK_INDEX_DIR", None)


@contextlib.contextmanager
def search_engine(backend: str):
    """PLANCHECK_SEARCH_ENGINE set for ``backend`` inside the block."""
    before = os.environ.get("PLANCHECK_SEARCH_ENGINE")
    os.environ["PLANCHECK_SEARCH_ENGINE"] = SEARCH_ENGINES[backend]
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("PLANCHECK_SEARCH_ENGINE", None)
        else:
            os.environ["PLANCHECK_SEARCH_ENGINE"] = before


@pytest.fixture(autouse=True)
def _search_engine_of_backend(request):
    """A test on a corpus back-end searches with that back-end's engine."""
    if "corpus_backend" not in request.fixturenames:
        yield
        return
    with search_engine(request.getfixturevalue("corpus_backend")):
        yield


@pytest.fixture(scope="session")
def pg_cluster():
    """A PostgreSQL cluster of this session (tests/pgcluster.py): a temporary
    folder, a Unix socket, no TCP port. Missing server programs fail the tests
    that need them (scripts/setup.sh installs them), never skip them."""
    from tests.pgcluster import ClusterUnavailable, start_cluster

    try:
        cluster = start_cluster()
    except ClusterUnavailable as error:
        pytest.fail(str(error))
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session", params=CORPUS_BACKENDS)
def corpus_backend(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def new_corpus_db(corpus_backend, request):
    """``new_corpus_db(folder)`` → where a new, empty corpus of this back-end
    goes (a ``--db`` value): a file in ``folder``, or a new database."""
    cluster = request.getfixturevalue("pg_cluster") if corpus_backend.startswith("postgresql") else None

    def location(folder: Path) -> str:
        return cluster.create_database() if cluster else str(folder / f"corpus-{uuid.uuid4().hex[:8]}.sqlite")

    return location


@pytest.fixture
def corpus_db(new_corpus_db, tmp_path) -> str:
    """A new, empty corpus location of each back-end (``--db`` value)."""
    return new_corpus_db(tmp_path)


@pytest.fixture(scope="session")
def sample_db(new_corpus_db, corpus_backend, tmp_path_factory) -> str:
    """The sample plans indexed into a corpus once per session and back-end
    (read-only: tests that write build their own)."""
    from corpus import store
    from library import index_paths

    db = new_corpus_db(tmp_path_factory.mktemp("sample-corpus"))
    conn = store.connect(db, create=True)
    try:
        with search_engine(corpus_backend):
            summary = index_paths(conn, [SAMPLES_DIR])
    finally:
        conn.close()
    assert not summary.failed, [outcome.message for outcome in summary.failed]
    return db


@pytest.fixture
def sample_conn(sample_db):
    from corpus import store

    conn = store.connect(sample_db)
    yield conn
    conn.close()


@pytest.fixture(scope="session")
def ocr_cache(tmp_path_factory):
    """One OCR cache for the whole session (of a worker), empty at its start like CI's: each page is
    recognised once, and the OCR tests and the whole-scan tests share it."""
    directory = tmp_path_factory.mktemp("ocr-cache")
    patcher = pytest.MonkeyPatch()
    patcher.setenv("XDG_CACHE_HOME", str(directory))
    patcher.delenv("PLANCHECK_OCR", raising=False)
    yield directory
    patcher.undo()
