"""The normalize stage: a plan in, the same plan with normalized forms beside
the text as written (Measure.norm). Nothing the extractor wrote is changed."""

from __future__ import annotations

from models import MeasureNorm, NormalizedPlan, Plan
from models.stages import advanced
from normalizers.deadlines import parse_deadline
from normalizers.frequency import find_frequencies
from normalizers.text import fold_key, is_simplified, normalize_text, to_traditional
from normalizers.units import fold_units


def _plan_is_simplified(plan: Plan) -> bool:
    """Decided once for the whole plan: a short Traditional measure full of
    characters shared with Simplified must not flip on its own."""
    return is_simplified("\n".join([plan.title or "", *(measure.text for measure in plan.measures)]))


def normalize_plan(plan: Plan) -> NormalizedPlan:
    """A copy of the plan whose measures carry ``norm``. Callers that hold a
    NormalizedPlan already have this and must not call it again."""
    simplified = _plan_is_simplified(plan)

    def traditional(text: str) -> str:
        return to_traditional(text) if simplified else text

    measures = []
    for measure in plan.measures:
        text = normalize_text(traditional(measure.text))
        named, shared = fold_units(traditional(name) for name in measure.departments)
        deadline = parse_deadline(traditional(measure.deadline), plan.roc_year) if measure.deadline else None
        norm = MeasureNorm(
            text=text,
            key=fold_key(text),
            deadline=deadline,
            frequencies=find_frequencies(text),
            departments=named,
            shared_owners=shared,
        )
        measures.append(measure.model_copy(update={"norm": norm}))
    return advanced(plan, NormalizedPlan, measures=measures)
