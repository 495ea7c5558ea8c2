"""check_plan: a plan and a profile in, a CheckReport out.

    units (measures, headings, sections) → each item's rule → verdict with evidence
    mapping → coverage → plan-level findings

Items not in force for the plan's framework or year are not_applicable. What a
document gets besides an execution plan depends on its kind (checks/kinds.py).
Text of
the section holding the measure table is read only when the measures alone do
not prove an item (the extractor may have left some of it unplaced)."""

from __future__ import annotations

from checks.frameworks import describe_in_force, frameworks
from checks.mapping import coverage as dimension_coverage, map_plan
from checks.profiles import Item, Profile, load_profile
from checks.rules import run
from checks.rules.base import Context, RuleResult
from checks.rules.sections import Params as SectionsParams
from checks.units import plan_units
from checks import findings as plan_findings
from checks.kinds import FULL_CHECKS, judges_items, not_judged_reason, verdict_for_kind
from models import CheckReport, ItemVerdict, MappedPlan, Plan


def check_item(item: Item, plan: Plan, units, fallback_units) -> ItemVerdict:
    framework = plan.framework.id if plan.framework else None
    meta = {"id": item.id, "name": item.name, "rule": item.requirement, "source": item.source}
    if not judges_items(plan.plan_kind):
        return ItemVerdict(status="not_applicable", reason=not_judged_reason(plan.plan_kind), **meta)
    if not item.applies(framework, plan.roc_year):
        year = f"民國 {plan.roc_year} 年之" if plan.roc_year else ""
        known = frameworks().get(framework or "")
        return ItemVerdict(status="not_applicable",
                           reason=f"本項適用於{describe_in_force(item)}，不適用於{year}{known.name if known else '本'}計畫", **meta)
    outcome: RuleResult = run(item.rule, Context(plan, units, item.name))
    if outcome.status != "present" and fallback_units:
        second = run(item.rule, Context(plan, units + fallback_units, item.name))
        if second.rank > outcome.rank:
            outcome = second
    if outcome.status == "missing" and not plan.complete:
        return ItemVerdict(status="missing", unseen=True, reason=f"未見（文件不完整）：{outcome.reason}",
                           evidence=outcome.evidence, **meta)
    return ItemVerdict(status=outcome.status, reason=outcome.reason, evidence=outcome.evidence, **meta)


def check_plan(plan: Plan, profile: Profile | str | None = None) -> CheckReport:
    """Every item of the profile (default: the whole catalogue) checked on the plan.
    A MappedPlan is checked as it is; an earlier stage is first mapped."""
    profile = profile if isinstance(profile, Profile) else load_profile(profile or "default")
    plan = plan if isinstance(plan, MappedPlan) else map_plan(plan)
    units = plan_units(plan)
    primary = [u for u in units if not u.fallback]
    fallback = [u for u in units if u.fallback]
    items = [verdict_for_kind(check_item(item, plan, primary, fallback), plan.plan_kind) for item in profile.items]

    maps = plan.mappings
    cover = dimension_coverage(plan, maps)
    framework = frameworks()[plan.framework.id]
    sections = next((i.rule for i in profile.items if isinstance(i.rule, SectionsParams)), None)
    findings = plan_findings.plan_kind_finding(plan)
    if plan.plan_kind in FULL_CHECKS:
        findings += (plan_findings.reading_findings(plan) + plan_findings.section_findings(plan, sections)
                     + plan_findings.measure_findings(plan) + plan_findings.numbering_findings(plan)
                     + plan_findings.dimension_findings(plan, framework, cover))
    elif judges_items(plan.plan_kind):
        findings += plan_findings.reading_findings(plan) + plan_findings.numbering_findings(plan)
    else:
        maps, cover = [], []  # nothing of it is the agency's own measure
    return CheckReport(source=plan.source, agency=plan.agency, roc_year=plan.roc_year, title=plan.title,
                       plan_kind=plan.plan_kind, plan_kind_evidence=plan.plan_kind_evidence,
                       framework=plan.framework, profile=profile.name,
                       measure_count=len(plan.measures), read_method=plan.method, read_confidence=plan.confidence,
                       complete=plan.complete, incomplete_reasons=plan.incomplete_reasons, items=items, findings=findings,
                       mappings=maps, coverage=cover)
