"""Each measure onto a dimension and sub-item of its plan's framework, and onto
the current framework through the crosswalk — explainably and offline.

The measure's own heading wins where it names a dimension; otherwise its
content decides, scored by the framework's cue words. For an older plan the
crosswalk lists the current dimensions its dimension may become; the content
picks among them, and the reasons say which cues did."""

from __future__ import annotations

from collections import Counter

from checks.detect import detect_framework
from checks.frameworks import Dimension, Framework, Scheme, current_framework, frameworks
from checks.headings import match_dimension, match_sub_item
from checks.matching import FoldedText
from models import DimensionCoverage, MappedPlan, Measure, MeasureMapping, NormalizedPlan, Plan
from models.stages import advanced
from normalizers.pipeline import normalize_plan
from normalizers.text import normalize_text


def _text(measure: Measure) -> FoldedText:
    body = measure.norm.text if measure.norm else normalize_text(measure.text)
    return FoldedText(normalize_text(" ".join(measure.path)) + " " + body)


def _cues(text: FoldedText, cues: list[str]) -> list[str]:
    return sorted({hit.cue for hit in text.find(tuple(cues))})


def _score(hits: int) -> float:
    """Cue hits as a 0–1 score: one cue is weak evidence, three are strong."""
    return round(hits / (hits + 2), 2)


def _best(candidates: list[tuple[str, list[str]]]) -> tuple[str, list[str]] | None:
    """The candidate with most cue hits; ties go to the earlier one (data order)."""
    best = None
    for name, cues in candidates:
        if cues and (best is None or len(cues) > len(best[1])):
            best = (name, cues)
    return best


def primary_scheme(plan: Plan, framework: Framework) -> Scheme | None:
    """The dimension set the plan's headings use (構面 or 實施要項)."""
    counts: Counter[str] = Counter()
    for measure in plan.measures:
        for heading in measure.path[:2]:
            if found := match_dimension(heading, framework):
                counts[framework.scheme_of(found[0].name).id] += 1
                break
    if counts:
        top = counts.most_common(1)[0][0]
        return next(s for s in framework.schemes if s.id == top)
    return framework.schemes[0] if framework.schemes else None


def _sub_by_content(dimension: Dimension, text: FoldedText) -> tuple[str | None, list[str]]:
    found = _best([(sub.name, _cues(text, sub.cues)) for sub in dimension.sub_items])
    return found if found else (None, [])


def _by_content(text: FoldedText, targets: list[str], framework: Framework) -> tuple[str, list[str]] | None:
    """Among 'dimension' or 'dimension/sub-item' targets of ``framework``, the
    one whose cues the measure matches most (the loader made sure each exists)."""
    scored = []
    for target in targets:
        dim_name, _, sub_name = target.partition("/")
        dimension = framework.dimension(dim_name)
        sub = dimension.sub_item(sub_name) if sub_name else None
        scored.append((target, _cues(text, sub.cues if sub else dimension.cues)))
    return _best(scored)


def _split(target: str) -> tuple[str, str | None]:
    dim, _, sub = target.partition("/")
    return dim, sub or None


def map_measure(measure: Measure, framework: Framework, scheme: Scheme | None) -> MeasureMapping:
    text = _text(measure)
    reasons: list[str] = []
    dimension, via, cues, score, sub_name = None, "none", [], 0.0, None

    for index, heading in enumerate(measure.path):
        if found := match_dimension(heading, framework):
            dimension, name = found
            via, score = "heading", 1.0
            reasons.append(f"標題「{heading.strip()}」即面向「{dimension.name}」")
            # Sub-items are named by the headings below the dimension's own: the
            # dimension heading 「服務量能」 must not pick 「深化服務量能」.
            if sub := match_sub_item(measure.path[index + 1:], dimension):
                sub_name = sub[0].name
                reasons.append(f"標題「{sub[2].strip()}」即「{sub_name}」")
            break
    if dimension is None and scheme is not None:
        found = _best([(d.name, _cues(text, d.cues)) for d in scheme.dimensions])
        if found:
            dimension = framework.dimension(found[0])
            via, cues, score = "content", found[1], _score(len(found[1]))
            reasons.append(f"標題未指明面向，依內容線索{'、'.join(f'「{c}」' for c in cues)}歸入「{dimension.name}」")
    if dimension is not None and sub_name is None and dimension.sub_items:
        sub_name, sub_cues = _sub_by_content(dimension, text)
        if sub_name:
            cues = sorted(set(cues) | set(sub_cues))
            reasons.append(f"依內容線索{'、'.join(f'「{c}」' for c in sub_cues)}歸入「{sub_name}」")

    mapping = MeasureMapping(measure_id=measure.id, dimension=dimension.name if dimension else None,
                             sub_item=sub_name, score=score, via=via, cues=cues)
    return _with_current(mapping, framework, text, reasons)


def _with_current(mapping: MeasureMapping, framework: Framework, text: FoldedText, reasons: list[str]) -> MeasureMapping:
    update: dict = {}
    if framework.current:
        update = {"current_dimension": mapping.dimension, "current_sub_item": mapping.sub_item,
                  "current_via": mapping.via}
    elif framework.crosswalk and (targets := framework.crosswalk.targets(mapping.dimension, mapping.sub_item)):
        chosen = _by_content(text, targets, frameworks()[framework.crosswalk.to]) if len(targets) > 1 else (targets[0], [])
        target, target_cues = chosen if chosen else (targets[0], [])
        source = f"{mapping.dimension}/{mapping.sub_item}" if mapping.sub_item and any(
            e.from_ == f"{mapping.dimension}/{mapping.sub_item}" for e in framework.crosswalk.entries) else mapping.dimension
        listed = "、".join(f"「{t}」" for t in targets)
        why = (f"，依內容線索{'、'.join(f'「{c}」' for c in target_cues)}選定「{target}」" if target_cues and len(targets) > 1
               else (f"，內容無可區分之線索，取第一項「{target}」" if len(targets) > 1 else ""))
        reasons.append(f"依對照表「{source}」→{listed}{why}")
        dim, sub = _split(target)
        update = {"current_dimension": dim, "current_sub_item": sub, "current_via": "crosswalk"}
    elif mapping.dimension is None or not framework.crosswalk:
        current = current_framework()
        options = [f"{d.name}/{s.name}" if s else d.name for sc in current.schemes for d in sc.dimensions
                   for s in (d.sub_items or [None])]
        if chosen := _by_content(text, options, current):
            dim, sub = _split(chosen[0])
            reasons.append(f"現行方案依內容線索{'、'.join(f'「{c}」' for c in chosen[1])}歸入「{chosen[0]}」")
            update = {"current_dimension": dim, "current_sub_item": sub, "current_via": "content"}
    return mapping.model_copy(update={**update, "reasons": reasons})


def _framework_of(plan: Plan) -> Framework:
    ref = plan.framework or detect_framework(plan)
    return frameworks()[ref.id]


def mappings(plan: Plan) -> list[MeasureMapping]:
    """Every measure's mapping, in plan order. F0 plans are not mapped."""
    framework = _framework_of(plan)
    scheme = primary_scheme(plan, framework)
    if not framework.schemes:
        return [MeasureMapping(measure_id=m.id, dimension=None, via="none",
                               reasons=[f"{framework.name}時期之計畫不對應面向"]) for m in plan.measures]
    return [map_measure(measure, framework, scheme) for measure in plan.measures]


def map_plan(plan: Plan) -> MappedPlan:
    """A copy of the plan with its framework detected, every measure's dimension
    set and the mappings kept for the report. A plan not yet normalized is
    normalized first; callers that hold a MappedPlan must not call this again."""
    normalized = plan if isinstance(plan, NormalizedPlan) else normalize_plan(plan)
    ref = normalized.framework or detect_framework(normalized)
    with_framework = normalized.model_copy(update={"framework": ref})
    found = mappings(with_framework)
    by_id = {m.measure_id: m for m in found}
    measures = [m.model_copy(update={"dimension": by_id[m.id].dimension}) for m in normalized.measures]
    return advanced(with_framework, MappedPlan, measures=measures, mappings=found)


def coverage(plan: Plan, plan_mappings: list[MeasureMapping]) -> list[DimensionCoverage]:
    """Measures per dimension and sub-item of the plan's dimension set, empty ones included."""
    framework = _framework_of(plan)
    scheme = primary_scheme(plan, framework)
    if scheme is None:
        return []
    rows = []
    for dimension in scheme.dimensions:
        ids = [m.measure_id for m in plan_mappings if m.dimension == dimension.name]
        rows.append(DimensionCoverage(dimension=dimension.name, measure_ids=ids))
        for sub in dimension.sub_items:
            sub_ids = [m.measure_id for m in plan_mappings if m.dimension == dimension.name and m.sub_item == sub.name]
            rows.append(DimensionCoverage(dimension=dimension.name, sub_item=sub.name, measure_ids=sub_ids))
    return rows
