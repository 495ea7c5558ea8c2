"""The searchable corpus of plans: an SQLite + FTS5 file, ingest, search,
exemplars for the gap reports and a bulk export. See corpus/README.md.

The names below are loaded on first use (PEP 562), so a command that only
opens the store does not import ingest, search and their normalizers."""

from __future__ import annotations

from importlib import import_module

_WHERE = {
    "exemplars": "corpus.exemplars",
    "discover": "corpus.ingest", "index_files": "corpus.ingest", "index_paths": "corpus.ingest",
    "QueryError": "corpus.query",
    "Filters": "corpus.search", "SearchResult": "corpus.search", "search": "corpus.search", "year_range": "corpus.search",
    "CorpusError": "corpus.store", "CorpusMissing": "corpus.store", "DataUnavailable": "corpus.store",
    "connect": "corpus.store", "default_db_path": "corpus.store",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'corpus' has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name]), name)
    globals()[name] = value
    return value
