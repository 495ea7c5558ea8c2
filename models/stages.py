"""The plan's stage, carried by its type: each stage's function returns the next
type, and a later stage asks for the type it needs instead of redoing work.

    Plan (extracted) → NormalizedPlan (normalizers) → MappedPlan (checks.map_plan)

The subclasses add no field to the plan's JSON, so `extract --format json` and the
corpus store the same document whatever the stage."""

from __future__ import annotations

from typing import TypeVar

from pydantic import Field

from models.plan import Plan
from models.report import MeasureMapping


class NormalizedPlan(Plan):
    """A plan after the normalize stage: every measure carries ``norm``."""


class MappedPlan(NormalizedPlan):
    """A plan after mapping: framework detected, every measure's dimension decided
    (None where none fits). The per-measure mappings are kept for the check report;
    they are left out of the plan's JSON and cannot be rebuilt from it, so a
    MappedPlan only ever comes from ``checks.map_plan``. A copy whose measures
    or framework were changed must be mapped again."""

    mappings: list[MeasureMapping] = Field(exclude=True, description="Each measure's mapping, in plan order.")


Stage = TypeVar("Stage", bound=Plan)


def advanced(plan: Plan, stage: type[Stage], **changes: object) -> Stage:
    """``plan`` as an instance of ``stage`` with some fields changed; the models are
    already validated, so nothing is validated again."""
    values = {**dict(plan), **changes}
    if not issubclass(stage, MappedPlan):
        values.pop("mappings", None)
    return stage.model_construct(_fields_set=plan.model_fields_set | set(changes), **values)
