"""Exemplars: how other plans worded a mandated item, for the gap reports.

Candidates are the measures the checker found *present* for the item in other
plans. They are ranked by BM25 on the item's cue terms plus specificity (a
stated frequency, named responsible units, a deadline, a readable length), at
most one per plan and never the same wording twice.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from corpus.backend import is_postgres
from corpus.query import Any, QueryError, Word, compile_query
from corpus.store import DataUnavailable, connect
from normalizers.text import fold_key
from normalizers.units import is_shared_owner

if TYPE_CHECKING:
    from models import Exemplar


def cue_terms(item_id: str) -> list[str]:
    """The words that name a mandated item (``Item.cue_terms`` in the default
    profile), [] when the item is unknown."""
    from checks import load_profile  # on first use: a search imports this module but needs no checks

    item = load_profile("default").item(item_id.upper())
    return item.cue_terms if item is not None else []


@dataclass
class _Candidate:
    rowid: int
    plan_id: int
    measure_id: str
    text: str
    agency: str | None
    roc_year: int | None
    source_path: str
    per_year: float | None
    deadline: str | None
    units: list[str]
    relevance: float = 0.0


def specificity(candidate: _Candidate) -> float:
    """How concrete the wording is: 0 (vague) to about 2."""
    score = 0.0
    if candidate.per_year is not None:
        score += 1.0
    # Owners that name nobody in particular (全體同仁, 承辦人) are no sign of a well-worded measure.
    if any(not is_shared_owner(u) for u in candidate.units):
        score += 0.4
    if candidate.deadline:
        score += 0.2
    length = len(candidate.text)
    if 20 <= length <= 160:
        score += 0.4
    elif length < 10:
        score -= 0.5
    return score


def _candidates(conn: sqlite3.Connection, item_id: str, exclude_sha256: str | None) -> list[_Candidate]:
    rows = conn.execute(
        """SELECT m.id, m.plan_id, m.measure_id, m.text, m.per_year, m.deadline, p.agency, p.roc_year, p.source_path,
                  (SELECT group_concat(u.unit, char(31)) FROM measure_units u WHERE u.measure_rowid = m.id) AS units
           FROM item_matches i JOIN measures m ON m.id = i.measure_rowid JOIN plans p ON p.id = m.plan_id
           WHERE i.item_id = ? AND i.status = 'present' AND p.sha256 != ?""",
        (item_id, exclude_sha256 or ""),
    ).fetchall()
    return [
        _Candidate(
            rowid=row[0], plan_id=row[1], measure_id=row[2], text=row[3], per_year=row[4], deadline=row[5],
            agency=row[6], roc_year=row[7], source_path=row[8], units=(row[9] or "").split("\x1f") if row[9] else [],
        )
        for row in rows
    ]


def _relevance(conn: sqlite3.Connection, item_id: str, cues: list[str]) -> dict[int, float]:
    """BM25 of each candidate on the item's cue terms, scaled to 0..1."""
    if not cues:
        return {}
    from corpus import textindex

    try:
        compiled = compile_query(Any(tuple(Word(c) for c in cues)), textindex.term_tokens)
    except QueryError:
        return {}
    if is_postgres(conn):
        from corpus import pg_search

        rows = pg_search.item_relevance(conn, compiled.fts, item_id)
    else:
        rows = conn.execute(
            """SELECT f.rowid, -bm25(measures_fts, 1.0, 0.6) FROM measures_fts f
               WHERE measures_fts MATCH ? AND f.rowid IN (SELECT measure_rowid FROM item_matches WHERE item_id = ?)""",
            (compiled.fts, item_id),
        ).fetchall()
    best = max((score for _, score in rows), default=0.0)
    return {rowid: (score / best if best > 0 else 0.0) for rowid, score in rows}


def rank(candidates: list[_Candidate], relevance: dict[int, float], limit: int) -> list[_Candidate]:
    """Best first; one per plan; no wording twice."""
    for candidate in candidates:
        candidate.relevance = 2.0 * relevance.get(candidate.rowid, 0.0) + specificity(candidate)
    ordered = sorted(candidates, key=lambda c: (-c.relevance, -(c.roc_year or 0), c.source_path, c.measure_id))
    chosen: list[_Candidate] = []
    plans: set[int] = set()
    wordings: set[str] = set()
    for candidate in ordered:
        key = fold_key(candidate.text)
        if candidate.plan_id in plans or key in wordings:
            continue
        chosen.append(candidate)
        plans.add(candidate.plan_id)
        wordings.add(key)
        if len(chosen) >= limit:
            break
    return chosen


def exemplars(
    db: str | Path | sqlite3.Connection | None,
    item_id: str,
    exclude_source_sha256: str | None = None,
    limit: int = 3,
) -> list[Exemplar]:
    """The best-worded measures of other plans for a mandated item.

    Raises DataUnavailable when no plan in the corpus went through the checks:
    without the checker's verdicts there is nothing honest to offer."""
    from models import Exemplar  # on first use: a search imports this module but needs no model

    item_id = item_id.strip().upper()
    owned = isinstance(db, (str, Path)) or db is None
    conn = connect(db) if owned else db
    with closing(conn) if owned else nullcontext(conn):
        checked = conn.execute("SELECT count(*) FROM plans WHERE checked = 1").fetchone()[0]
        if not checked:
            raise DataUnavailable(
                "語料庫中沒有經過必辦項目檢查的計畫（收錄時 checks 模組不可用），無法提供其他機關的寫法範例"
            )
        candidates = _candidates(conn, item_id, exclude_source_sha256)
        if not candidates:
            return []
        chosen = rank(candidates, _relevance(conn, item_id, cue_terms(item_id)), limit)
    return [
        Exemplar(
            item_id=item_id,
            agency=c.agency,
            roc_year=c.roc_year,
            measure_id=c.measure_id,
            text=c.text,
            source_path=c.source_path,
        )
        for c in chosen
    ]
