"""The searchable corpus of plans: an SQLite + FTS5 file, ingest, search,
exemplars for the gap reports and a bulk export. See corpus/README.md.
The five sample plans ship with it as package data (``samples_folder``).

Ingest and exemplars are loaded on first use (PEP 562): ingest brings the
readers' error types, exemplars the unit names' data, and a search needs
neither."""

from __future__ import annotations

from importlib import import_module, resources
from pathlib import Path

from corpus.query import QueryError
from corpus.search import Filters, SearchResult, year_range
from corpus.find import search  # after corpus.search: the name is the function, not the module  # noqa: I001
from corpus.store import CorpusError, CorpusMissing, DataUnavailable, connect, default_db_path

_LAZY = {"discover": "corpus.ingest", "index_files": "corpus.ingest", "index_paths": "corpus.ingest",
         "exemplars": "corpus.exemplars"}


def samples_folder() -> Path:
    """The folder of the bundled sample plans (corpus/samples/, package data)."""
    return Path(str(resources.files(__name__).joinpath("samples")))


__all__ = [
    "CorpusError",
    "CorpusMissing",
    "DataUnavailable",
    "Filters",
    "QueryError",
    "SearchResult",
    "connect",
    "default_db_path",
    "discover",
    "exemplars",
    "index_files",
    "index_paths",
    "search",
    "samples_folder",
    "year_range",
]


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'corpus' has no attribute {name!r}")
    return getattr(import_module(_LAZY[name]), name)
