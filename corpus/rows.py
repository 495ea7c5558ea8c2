"""The rows one plan becomes in the corpus tables, the same for every
back-end (corpus/ingest.py writes them to SQLite, corpus/pg_ingest.py to
PostgreSQL): pure functions of the plan and its check report."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

from models import CheckReport, Plan
from normalizers.text import fold_key


def _units(measure) -> list[str]:
    units = list(measure.departments)
    if measure.norm is not None:
        units.extend(measure.norm.departments)
    seen: dict[str, str] = {}
    for unit in units:
        unit = unit.strip()
        if unit and fold_key(unit) not in seen:
            seen[fold_key(unit)] = unit
    return list(seen.values())


def _per_year(measure) -> float | None:
    if measure.norm is None:
        return None
    values = [f.per_year for f in measure.norm.frequencies if f.per_year is not None]
    return max(values) if values else None


def item_matches(report: CheckReport | None) -> dict[str, list[tuple[str, str]]]:
    """measure id → [(item id, verdict status)] from the verdicts' evidence."""
    out: dict[str, list[tuple[str, str]]] = {}
    if report is None:
        return out
    for verdict in report.items:
        if verdict.status not in ("present", "partial"):
            continue
        for evidence in verdict.evidence:
            if evidence.measure_id:
                pairs = out.setdefault(evidence.measure_id, [])
                if all(item != verdict.id for item, _ in pairs):
                    pairs.append((verdict.id, verdict.status))
    return out


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def plan_values(plan: Plan, report: CheckReport | None, *, source_path: str, sha256: str, signature: str) -> tuple:
    """The row of ``plans`` for one plan, in the column order of the INSERT."""
    return (
        source_path,
        sha256,
        plan.source.format,
        plan.source.pages,
        plan.agency,
        fold_key(plan.agency) if plan.agency else None,
        plan.roc_year,
        plan.year,
        plan.title,
        plan.plan_kind.value,
        plan.framework.id if plan.framework else None,
        plan.framework.confidence if plan.framework else None,
        plan.status.value,
        len(plan.measures),
        1 if report is not None else 0,
        signature,
        plan.model_dump_json(exclude={"measures", "tables"}),
        report.model_dump_json() if report is not None else None,
        _now(),
    )


PLAN_COLUMNS = ("source_path, sha256, format, pages, agency, agency_key, roc_year, year, title, kind, framework_id,"
                " framework_confidence, status, measure_count, checked, ingest_signature, plan_json, report_json, indexed_at")
MEASURE_COLUMNS = ("id, plan_id, measure_id, ord, path_json, number, text, departments_json, deadline, dimension,"
                   " dimension_key, page, line, row, per_year")


def measure_values(plan: Plan, plan_id: int, ids: Iterable[int]) -> list[tuple]:
    """The rows of ``measures`` for one plan whose measures get ``ids``."""
    return [
        (
            rowid,
            plan_id,
            measure.id,
            order,
            json.dumps(measure.path, ensure_ascii=False),
            measure.number,
            measure.text,
            json.dumps(measure.departments, ensure_ascii=False),
            measure.deadline,
            measure.dimension,
            fold_key(measure.dimension) if measure.dimension else None,
            measure.location.page,
            measure.location.line,
            measure.location.row,
            _per_year(measure),
        )
        for order, (rowid, measure) in enumerate(zip(ids, plan.measures))
    ]


def key_values(plan: Plan, plan_id: int, ids: Iterable[int], matches: dict[str, list[tuple[str, str]]]) -> tuple[list, list, list]:
    """The rows of measure_keys, measure_units and item_matches for one plan."""
    pairs = list(zip(ids, plan.measures))
    keys = [(rowid, plan_id, m.dimension, fold_key(m.dimension) if m.dimension else None) for rowid, m in pairs]
    units = [(rowid, unit, fold_key(unit)) for rowid, m in pairs for unit in _units(m)]
    items = [(rowid, plan_id, item, status) for rowid, m in pairs for item, status in matches.get(m.id, [])]
    return keys, units, items



def insert_measure_rows(conn, plan: Plan, plan_id: int, ids: list[int] | range,
                        matches: dict[str, list[tuple[str, str]]]) -> None:
    """A plan's measures with their key, unit and item rows, one prepared
    statement per table. Written once for both back-ends: `?` marks (the
    PostgreSQL connection translates them) and the standard upsert clause,
    which SQLite also reads."""
    conn.executemany(f"INSERT INTO measures ({MEASURE_COLUMNS}) VALUES ({', '.join('?' * 15)})",
                     measure_values(plan, plan_id, ids))
    keys, units, items = key_values(plan, plan_id, ids, matches)
    conn.executemany("INSERT INTO measure_keys (id, plan_id, dimension, dimension_key) VALUES (?, ?, ?, ?)", keys)
    conn.executemany("INSERT INTO measure_units (measure_rowid, unit, unit_key) VALUES (?, ?, ?)", units)
    conn.executemany("INSERT INTO item_matches (measure_rowid, plan_id, item_id, status) VALUES (?, ?, ?, ?) "
                     "ON CONFLICT DO NOTHING", items)

@dataclass(frozen=True)
class Stored:
    plan_id: int
    source_path: str  # where the content is stored (another path when it was already in)
    written: bool  # False: the same content was already stored, by this signature
