"""``python -m corpus.reindex CORPUS``: rebuild the tantivy index of a corpus
(corpus/tantivy_index.py) from the corpus itself. CORPUS is an SQLite file
(the index beside it) or a ``postgresql://`` URL (this machine's index of
it). For example after copying the file elsewhere, on a machine that searches
a shared PostgreSQL corpus it has not indexed, or to have the index ready
before the first search rather than at the next ``plancheck index``."""

from __future__ import annotations

import sys

from corpus import store
from corpus.tantivy_index import index_folder_of, rebuild, tantivy_module


def main(argv: list[str] | None = None) -> int:
    """Rebuild the index of the corpus named in ``argv``; the exit status."""
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 1:
        print("usage: python -m corpus.reindex CORPUS.sqlite|postgresql://…", file=sys.stderr)
        return 2
    if tantivy_module() is None:
        print("tantivy is not installed: search uses the database's own full-text index alone", file=sys.stderr)
        return 1
    try:
        conn = store.connect(args[0])
    except store.CorpusError as error:
        print(f"plancheck: {error}", file=sys.stderr)
        return 1
    try:
        folder = index_folder_of(conn)
        if folder is None:
            print(f"plancheck: {args[0]}: not a corpus file", file=sys.stderr)
            return 1
        count = rebuild(conn, folder)
    finally:
        conn.close()
    print(f"{count} measures indexed in {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
