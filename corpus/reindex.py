"""``python -m corpus.reindex CORPUS.sqlite``: rebuild the tantivy index
beside an SQLite corpus (corpus/tantivy_index.py) from the corpus itself, for
example after copying the file elsewhere or to have it ready before the first
search rather than at the next ``plancheck index``."""

from __future__ import annotations

import sys
from pathlib import Path

from corpus import store
from corpus.tantivy_index import index_folder, rebuild, tantivy_module


def main(argv: list[str] | None = None) -> int:
    """Rebuild the index of the corpus named in ``argv``; the exit status."""
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 1:
        print("usage: python -m corpus.reindex CORPUS.sqlite", file=sys.stderr)
        return 2
    if tantivy_module() is None:
        print("tantivy is not installed: search uses SQLite FTS5 alone", file=sys.stderr)
        return 1
    try:
        conn = store.connect(args[0])
    except store.CorpusError as error:
        print(f"plancheck: {error}", file=sys.stderr)
        return 1
    folder = index_folder(Path(args[0]).resolve())
    try:
        count = rebuild(conn, folder)
    finally:
        conn.close()
    print(f"{count} measures indexed in {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
