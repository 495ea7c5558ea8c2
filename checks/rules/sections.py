"""sections — the plan has its required sections (計畫依據 … 獎勵), each under
any of its accepted titles ⚙; one or two missing give partial and name them."""

from __future__ import annotations

SUMMARY = "計畫須具備規定章節，缺一至二章為部分符合"

from typing import Literal

from pydantic import Field

from checks.matching import FoldedText
from checks.rules.base import Context, Data, RuleResult
from models import Evidence, Plan


class Required(Data):
    name: str
    titles: list[str]


class Params(Data):
    kind: Literal["sections"] = "sections"
    required: list[Required]
    max_missing_for_partial: int = Field(default=2, ge=0, description="⚙ 缺少章節數不超過此數為部分符合，超過為未載明")
    section_kinds: list[str] = Field(default_factory=lambda: ["body", "schedule"])


def missing_sections(params: Params, plan: Plan) -> tuple[list[str], dict[str, str]]:
    """(names of required sections not found, name → the title that provides it)."""
    titles = [s.title for s in plan.sections if s.kind in params.section_kinds]
    found: dict[str, str] = {}
    for required in params.required:
        for title in titles:
            if FoldedText(title).find(tuple(required.titles)):
                found[required.name] = title
                break
    return [r.name for r in params.required if r.name not in found], found


def evaluate(params: Params, context: Context) -> RuleResult:
    missing, found = missing_sections(params, context.plan)
    proof = [Evidence(quote=title, section=title) for title in dict.fromkeys(found.values())]
    if not missing:
        return RuleResult("present", f"計畫具備{'、'.join(r.name for r in params.required)}等章節", proof)
    listed = "、".join(missing)
    if len(missing) <= params.max_missing_for_partial and found:
        return RuleResult("partial", f"缺少章節：{listed}", proof)
    return RuleResult("missing", f"缺少章節：{listed}", proof)
