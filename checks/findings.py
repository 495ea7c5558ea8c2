"""Plan-level (structure) findings: what a reviewer notes about the plan as a
whole rather than about one mandated item."""

from __future__ import annotations

from checks.frameworks import Framework
from checks.matching import clip
from checks.mapping import primary_scheme
from checks.rules.owner_deadline import is_open_ended, table_columns
from checks.rules.sections import Params as SectionsParams, missing_sections
from checks.kinds import KIND_STATEMENTS
from models import DimensionCoverage, Finding, Plan, PlanKind, ReadMethod

_WHERE = {"title": "標題", "head": "開頭", "text": "內文", "structure": "表格"}


def plan_kind_finding(plan: Plan) -> list[Finding]:
    """What the document is, and the cues that decided it."""
    message = KIND_STATEMENTS[plan.plan_kind]
    evidence = plan.plan_kind_evidence
    if evidence is not None:
        cues = [c for c in evidence.cues if c.kind == plan.plan_kind][:4]
        if cues:
            message += "（判斷依據：" + "、".join(f"{_WHERE[c.where]}「{c.quote}」" for c in cues)
            message += f"；信心 {evidence.confidence:.2f}）"
    severity = "info" if plan.plan_kind == PlanKind.execution else "warning"
    return [Finding(code="PLAN-KIND", message=message, severity=severity)]


METHOD_TEXT = {
    ReadMethod.outline: "未找到措施表，措施由條列大綱讀出",
    ReadMethod.text: "未找到措施表，措施由文字段落讀出",
}


def reading_findings(plan: Plan) -> list[Finding]:
    """How the measures were read when not from a table, and whether the document is whole."""
    findings = []
    if not plan.measures:
        findings.append(Finding(code="READ-METHOD", severity="warning",
                                message="未找到措施表，亦未能由條列大綱或文字段落讀出任何措施"))
    elif plan.method in METHOD_TEXT:
        findings.append(Finding(code="READ-METHOD", severity="warning",
                                message=f"{METHOD_TEXT[plan.method]}（可信度 {plan.confidence:.1f}），請核對措施是否完整"))
    elif plan.table_rebuilt:
        findings.append(Finding(code="READ-METHOD", severity="info",
                                message=f"措施表由逐格分行的文字重組讀出（可信度 {plan.confidence:.1f}）"))
    if not plan.complete:
        findings.append(Finding(code="DOCUMENT-INCOMPLETE", severity="warning",
                                message="文件不完整：" + "；".join(plan.incomplete_reasons)
                                        + "。未見之項目可能在缺漏部分，列為「未見（文件不完整）」"))
    return findings


def section_findings(plan: Plan, params: SectionsParams | None) -> list[Finding]:
    if params is None:
        return []
    missing, _ = missing_sections(params, plan)
    if not plan.complete:
        return [Finding(code="SECTION-MISSING", severity="info", message=f"未見「{name}」章節（文件不完整）") for name in missing]
    return [Finding(code="SECTION-MISSING", message=f"缺少「{name}」章節") for name in missing]


def measure_findings(plan: Plan) -> list[Finding]:
    with_units, with_deadlines = table_columns(plan)
    findings = []
    for measure in plan.measures:
        if measure.id in with_units and not measure.departments:
            findings.append(Finding(code="MEASURE-NO-UNIT", message=f"措施 {measure.number or measure.id} 未列承辦單位：{clip(measure.text, 30)}",
                                    location=measure.location))
        if measure.id in with_deadlines and not (measure.deadline or "").strip():
            findings.append(Finding(code="MEASURE-NO-DEADLINE", message=f"措施 {measure.number or measure.id} 未列完成期限：{clip(measure.text, 30)}",
                                    location=measure.location))
    dated = [m for m in plan.measures if m.id in with_deadlines and (m.deadline or "").strip()]
    if dated:
        open_ended = [m for m in dated if is_open_ended(m.deadline, plan.roc_year)]
        share = len(open_ended) / len(dated)
        findings.append(Finding(code="OPEN-ENDED-DEADLINES", severity="warning" if share >= 0.5 else "info",
                                message=f"{len(open_ended)}/{len(dated)} 項措施（{share:.0%}）之完成期限僅為持續辦理、隨時辦理、配合辦理或每年辦理等非確定期限"))
    return findings


def numbering_findings(plan: Plan) -> list[Finding]:
    return [Finding(code=f"NUMBERING-{a.code.upper().replace('_', '-')}", message=a.message, location=a.location)
            for a in plan.anomalies]


def dimension_findings(plan: Plan, framework: Framework, coverage: list[DimensionCoverage]) -> list[Finding]:
    scheme = primary_scheme(plan, framework)
    if scheme is None:
        return []
    optional = {d.name for d in scheme.dimensions if d.optional}
    findings = []
    for row in coverage:
        if row.sub_item is None and not row.measure_ids and row.dimension not in optional:
            findings.append(Finding(code="DIMENSION-EMPTY", message=f"{scheme.label}「{row.dimension}」無任何措施"))
    return findings
