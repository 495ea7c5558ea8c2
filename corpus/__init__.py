"""The searchable corpus of plans: an SQLite + FTS5 file, ingest, search,
exemplars for the gap reports and a bulk export. See corpus/README.md.
The five sample plans ship with it as package data (``samples_folder``)."""

from importlib import resources
from pathlib import Path

from corpus.exemplars import exemplars
from corpus.ingest import discover, index_files, index_paths
from corpus.query import QueryError
from corpus.search import Filters, SearchResult, search, year_range
from corpus.store import CorpusError, CorpusMissing, DataUnavailable, connect, default_db_path



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
