"""owner_deadline — every measure names a responsible unit and a deadline, where
the plan's table has those columns (not applicable otherwise). Deadlines that are
only open-ended (持續辦理, 隨時辦理, 配合辦理, 每年辦理) commit to nothing: when
their share reaches ``open_ended_bar`` ⚙ the item is partial."""

from __future__ import annotations

SUMMARY = "措施表有承辦單位及完成期限欄時，每項措施均須填寫，且期限不宜全為持續辦理"

from typing import Literal

from pydantic import Field

from checks.matching import clip
from checks.rules.base import Context, Data, RuleResult
from models import ColumnRole, DeadlineKind, Evidence, Plan
from normalizers.deadlines import parse_deadline

OPEN_ENDED = (DeadlineKind.continuous, DeadlineKind.periodic, DeadlineKind.unknown)


class Params(Data):
    kind: Literal["owner_deadline"] = "owner_deadline"
    open_ended_bar: float = Field(default=1.0, ge=0, le=1, description="⚙ 非確定期限比例達此值為部分符合")


def table_columns(plan: Plan) -> tuple[set[str], set[str]]:
    """Ids of the measures whose table has a units column, and a deadline column."""
    units, deadlines = set(), set()
    for table in plan.tables:
        if table.has_role(ColumnRole.units):
            units |= set(table.measure_ids)
        if table.has_role(ColumnRole.deadline):
            deadlines |= set(table.measure_ids)
    return units, deadlines


def is_open_ended(deadline: str, roc_year: int | None) -> bool:
    return parse_deadline(deadline, roc_year).kind in OPEN_ENDED


def evaluate(params: Params, context: Context) -> RuleResult:
    plan = context.plan
    with_units, with_deadlines = table_columns(plan)
    if not with_units and not with_deadlines:
        return RuleResult("not_applicable", "措施表無承辦單位及完成期限欄位")
    measures = {m.id: m for m in plan.measures}
    no_unit = [m for i, m in measures.items() if i in with_units and not m.departments]
    dated = [m for i, m in measures.items() if i in with_deadlines]
    no_deadline = [m for m in dated if not (m.deadline or "").strip()]
    open_ended = [m for m in dated if (m.deadline or "").strip() and is_open_ended(m.deadline, plan.roc_year)]
    with_deadline = len(dated) - len(no_deadline)
    share = len(open_ended) / with_deadline if with_deadline else 0.0
    parts = []
    if with_units:
        parts.append(f"{len(no_unit)} 項未列承辦單位")
    if with_deadlines:
        parts.append(f"{len(no_deadline)} 項未列完成期限")
        parts.append(f"{len(open_ended)}/{with_deadline} 項期限為持續辦理等非確定期限（{share:.0%}）")
    summary = "；".join(parts)
    proof = [Evidence(measure_id=m.id, quote=clip(m.text, 60), location=m.location) for m in (no_unit + no_deadline)[:3]]
    proof += [Evidence(measure_id=m.id, quote=f"{clip(m.text, 40)}（完成期限：{m.deadline}）", location=m.location)
              for m in open_ended[:max(0, 3 - len(proof))]]
    total = len(measures)
    if total and len(no_unit) == total and len(no_deadline) == total:
        return RuleResult("missing", summary, proof)
    if no_unit or no_deadline or (with_deadline and share >= params.open_ended_bar):
        return RuleResult("partial", summary, proof)
    return RuleResult("present", summary, proof)
