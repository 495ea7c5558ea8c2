"""The searchable corpus of plans: an SQLite + FTS5 file, ingest, search,
exemplars for the gap reports and a bulk export. See corpus/README.md.
The five sample plans ship with it as package data (``samples_folder``).

Ingest is loaded on first use (PEP 562): it brings the readers' error types,
and a search must not wait for them."""

from __future__ import annotations

from importlib import import_module, resources
from pathlib import Path

from corpus.exemplars import exemplars
from corpus.query import QueryError
from corpus.search import Filters, SearchResult, year_range
from corpus.find import search  # after corpus.search: the name is the function, not the module  # noqa: I001
from corpus.store import CorpusError, CorpusMissing, DataUnavailable, connect, default_db_path

_INGEST = ("discover", "index_files", "index_paths")


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
    if name not in _INGEST:
        raise AttributeError(f"module 'corpus' has no attribute {name!r}")
    return getattr(import_module("corpus.ingest"), name)
