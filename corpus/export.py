"""The corpus for OpenSearch / Elasticsearch: as bulk NDJSON, or sent to a cluster.

One action and one document per measure, streamed row by row. Chinese text
arrives pre-segmented so the receiving cluster needs no Chinese analyzer
plugin: map ``text_segmented``, ``text_tokens`` and ``text_chars`` with the
``whitespace`` analyzer (corpus/data/opensearch-mapping.json does, and
``send_bulk`` creates a missing index with it). Sending uses opensearch-py's
bulk helper: chunks, retries with backoff on 429 answers, one result per
document.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from corpus import textindex

DEFAULT_INDEX = "plancheck-measures"
MAPPING = Path(__file__).parent / "data" / "opensearch-mapping.json"


def segmented(text: str) -> str:
    """The original text cut into jieba words (search mode), space-joined."""
    return " ".join(tok for tok, _, _ in textindex._terms().segment(text) if tok.strip())


def bulk_actions(conn: sqlite3.Connection, index: str = DEFAULT_INDEX) -> Iterator[tuple[dict, dict]]:
    """(action, document) per measure, in plan and measure order."""
    items: dict[int, list[dict]] = {}
    for row in conn.execute("SELECT measure_rowid, item_id, status FROM item_matches ORDER BY measure_rowid, item_id"):
        items.setdefault(row[0], []).append({"id": row[1], "status": row[2]})
    # A second connection cursor streams the measures without loading them all.
    rows = conn.execute(
        """SELECT m.id, m.measure_id, m.path_json, m.number, m.text, m.departments_json, m.deadline, m.dimension,
                  m.page, m.line, m.row, m.per_year, f.tokens, f.chars,
                  p.id AS plan_id, p.source_path, p.sha256, p.agency, p.roc_year, p.year, p.title, p.framework_id
           FROM measures m JOIN plans p ON p.id = m.plan_id JOIN measures_fts f ON f.rowid = m.id
           ORDER BY p.id, m.ord"""
    )
    for row in rows:
        action = {"index": {"_index": index, "_id": f"{row['sha256']}:{row['measure_id']}"}}
        doc = {
            "plan_id": row["plan_id"],
            "measure_id": row["measure_id"],
            "agency": row["agency"],
            "roc_year": row["roc_year"],
            "year": row["year"],
            "title": row["title"],
            "framework": row["framework_id"],
            "path": json.loads(row["path_json"]),
            "number": row["number"],
            "text": row["text"],
            "text_segmented": segmented(row["text"]),
            "text_tokens": row["tokens"],
            "text_chars": row["chars"],
            "departments": json.loads(row["departments_json"]),
            "deadline": row["deadline"],
            "dimension": row["dimension"],
            "per_year": row["per_year"],
            "items": items.get(row["id"], []),
            "location": {"page": row["page"], "line": row["line"], "row": row["row"]},
            "source": {"path": row["source_path"], "sha256": row["sha256"]},
        }
        yield action, doc


def bulk_lines(conn: sqlite3.Connection, index: str = DEFAULT_INDEX) -> Iterator[str]:
    """The bulk body, an action line then a document line per measure."""
    for action, doc in bulk_actions(conn, index):
        yield json.dumps(action, ensure_ascii=False)
        yield json.dumps(doc, ensure_ascii=False)


def write_bulk(conn: sqlite3.Connection, out: TextIO, index: str = DEFAULT_INDEX) -> int:
    """Write the bulk body; returns the number of documents."""
    count = 0
    for number, line in enumerate(bulk_lines(conn, index)):
        out.write(line + "\n")
        count += number % 2
    return count


@dataclass
class SendResult:
    """What the cluster answered: documents accepted, and the first few refusals."""

    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def send_bulk(conn: sqlite3.Connection, url: str, index: str = DEFAULT_INDEX, *, chunk_size: int = 500,
              max_retries: int = 5, initial_backoff: float = 1.0, progress: Callable[[int], None] | None = None,
              client=None) -> SendResult:
    """Send the corpus to the cluster at ``url`` with opensearch-py's streaming
    bulk helper (which also speaks to Elasticsearch's ``_bulk``). The index is
    created with corpus/data/opensearch-mapping.json when it does not exist.
    ``progress`` is called with the number of documents answered so far."""
    from opensearchpy import OpenSearch
    from opensearchpy.helpers import streaming_bulk

    client = client or OpenSearch(hosts=[url], timeout=60)
    if not client.indices.exists(index=index):
        client.indices.create(index=index, body=json.loads(MAPPING.read_text(encoding="utf-8")))
    actions = ({"_op_type": "index", "_index": action["index"]["_index"], "_id": action["index"]["_id"], "_source": doc}
               for action, doc in bulk_actions(conn, index))
    result = SendResult()
    for ok, answer in streaming_bulk(client, actions, chunk_size=chunk_size, max_retries=max_retries,
                                     initial_backoff=initial_backoff, raise_on_error=False, raise_on_exception=False):
        if ok:
            result.sent += 1
        else:
            result.failed += 1
            if len(result.errors) < 5:
                result.errors.append(json.dumps(answer, ensure_ascii=False)[:300])
        if progress:
            progress(result.sent + result.failed)
    return result
