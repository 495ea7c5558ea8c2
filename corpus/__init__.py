"""The searchable corpus of plans: an SQLite + FTS5 file, ingest, search,
exemplars for the gap reports and a bulk export. See corpus/README.md."""

from corpus.exemplars import exemplars
from corpus.ingest import discover, index_files, index_paths
from corpus.query import QueryError
from corpus.search import Filters, SearchResult, search, year_range
from corpus.store import CorpusError, CorpusMissing, DataUnavailable, connect, default_db_path

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
    "year_range",
]
