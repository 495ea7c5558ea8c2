"""Search on whichever back-end holds the corpus: ``corpus.search.search``
on SQLite, ``corpus.pg_search.search`` on PostgreSQL, one answer
(``SearchResult``) either way. The command line, the web page and the
package's ``corpus.search`` name call this."""

from __future__ import annotations

from corpus.backend import is_postgres
from corpus.search import Filters, SearchResult, check_paging
from corpus.search import search as sqlite_search


def search(
    conn,
    query: str,
    filters: Filters | None = None,
    *,
    limit: int = 20,
    offset: int = 0,
    facets: bool = True,
    snippet_width: int = 90,
) -> SearchResult:
    """Ranked measures matching ``query`` (may be empty: filters only)."""
    if not is_postgres(conn):
        return sqlite_search(conn, query, filters, limit=limit, offset=offset, facets=facets, snippet_width=snippet_width)
    from corpus import pg_search

    check_paging(limit, offset)
    return pg_search.search(conn, query, filters or Filters(), limit=limit, offset=offset, facets=facets,
                            snippet_width=snippet_width)
