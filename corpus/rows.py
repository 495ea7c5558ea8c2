"""The rows one plan becomes in the corpus tables, the same for every
back-end (corpus/ingest.py writes them to SQLite, corpus/pg_ingest.py to
PostgreSQL): pure functions of the plan and its check report."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache

from models import CheckReport, Plan
from normalizers.text import fold_key

# A plan repeats its few dimensions and units on every measure.
_fold = lru_cache(maxsize=4096)(fold_key)


def _units(measure) -> list[tuple[str, str]]:
    """(unit as written, folded key) of each unit of a measure, one per key."""
    units = list(measure.departments)
    if measure.norm is not None:
        units.extend(measure.norm.departments)
    seen: dict[str, str] = {}
    for unit in units:
        unit = unit.strip()
        if unit:
            seen.setdefault(_fold(unit), unit)
    return [(unit, key) for key, unit in seen.items()]


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


PLAN_COLUMNS = ("source_path, sha256, format, pages, agency, agency_key, roc_year, year, title, kind, framework_id,"
                " framework_confidence, status, measure_count, checked, ingest_signature, plan_json, report_json, indexed_at")
MEASURE_COLUMNS = ("id, plan_id, measure_id, ord, path_json, number, text, departments_json, deadline, dimension,"
                   " dimension_key, page, line, row, per_year")


@dataclass(frozen=True)
class PlanRows:
    """Everything one plan becomes in the corpus, before it has ids: plain
    values, built where the file is read (a worker process, a cluster), so the
    one writer receives tuples and strings instead of the plan's models, which
    cost it more to unpickle than to write."""

    sha256: str  # of the content read (the file may have changed since it was hashed)
    plan: tuple  # the plans columns from format to checked
    plan_json: str
    report_json: str | None
    measures: list[tuple]  # the measures columns from measure_id to per_year
    keys: list[tuple[str | None, str | None]]  # each measure's (dimension, dimension key)
    units: list[tuple[int, str, str]]  # (measure's ord, unit, unit key)
    items: list[tuple[int, str, str]]  # (measure's ord, item id, verdict status)
    columns: list[tuple[str, str]]  # (tokens, chars) of each measure's text

    def plan_values(self, *, source_path: str, sha256: str, signature: str) -> tuple:
        """The row of ``plans``, in the column order of the INSERT."""
        return (source_path, sha256, *self.plan, signature, self.plan_json, self.report_json, _now())

    def dimensions(self) -> list[str | None]:
        return [dimension for dimension, _ in self.keys]


def plan_rows(plan: Plan, report: CheckReport | None, columns: list[tuple[str, str]]) -> PlanRows:
    """The rows of one plan whose measures' texts were tokenized into ``columns``."""
    if len(columns) != len(plan.measures):
        raise ValueError("one (tokens, chars) pair per measure is needed")
    matches = item_matches(report)
    keys = [(m.dimension, _fold(m.dimension) if m.dimension else None) for m in plan.measures]
    return PlanRows(
        sha256=plan.source.sha256,
        plan=(
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
        ),
        plan_json=plan.model_dump_json(exclude={"measures", "tables"}),
        report_json=report.model_dump_json() if report is not None else None,
        measures=[
            (
                measure.id,
                order,
                json.dumps(measure.path, ensure_ascii=False),
                measure.number,
                measure.text,
                json.dumps(measure.departments, ensure_ascii=False),
                measure.deadline,
                *keys[order],
                measure.location.page,
                measure.location.line,
                measure.location.row,
                _per_year(measure),
            )
            for order, measure in enumerate(plan.measures)
        ],
        keys=keys,
        units=[(order, unit, key) for order, measure in enumerate(plan.measures) for unit, key in _units(measure)],
        items=[(order, item, status) for order, measure in enumerate(plan.measures)
               for item, status in matches.get(measure.id, [])],
        columns=columns,
    )


def insert_measure_rows(conn, rows: PlanRows, plan_id: int, ids: list[int] | range) -> None:
    """A plan's measures with their key, unit and item rows, one prepared
    statement per table. Written once for both back-ends: `?` marks (the
    PostgreSQL connection translates them) and the standard upsert clause,
    which SQLite also reads."""
    ids = list(ids)
    conn.executemany(f"INSERT INTO measures ({MEASURE_COLUMNS}) VALUES ({', '.join('?' * 15)})",
                     [(rowid, plan_id, *measure) for rowid, measure in zip(ids, rows.measures)])
    conn.executemany("INSERT INTO measure_keys (id, plan_id, dimension, dimension_key) VALUES (?, ?, ?, ?)",
                     [(rowid, plan_id, dimension, key) for rowid, (dimension, key) in zip(ids, rows.keys)])
    conn.executemany("INSERT INTO measure_units (measure_rowid, unit, unit_key) VALUES (?, ?, ?)",
                     [(ids[order], unit, key) for order, unit, key in rows.units])
    conn.executemany("INSERT INTO item_matches (measure_rowid, plan_id, item_id, status) VALUES (?, ?, ?, ?) "
                     "ON CONFLICT DO NOTHING", [(ids[order], plan_id, item, status) for order, item, status in rows.items])


@dataclass(frozen=True)
class Stored:
    plan_id: int
    source_path: str  # where the content is stored (another path when it was already in)
    written: bool  # False: the same content was already stored, by this signature
