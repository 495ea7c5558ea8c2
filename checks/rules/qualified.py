"""qualified — keyword with qualifiers: the item's subject (SOP, 陳情, 無障礙網頁 …)
and groups of qualifiers that must stand with it (公布 + 網站 + 服務場所). ``present``
and ``partial`` list the group combinations that earn each verdict; ``[]`` in
``partial`` means the subject alone. With ``combine: unit`` every group must be
in the subject's own unit (a condition of it); with ``combine: plan`` each group
may come from a different unit that names the subject (separate elements, such
as follow-up and periodic review). A measure's own heading may name the subject,
never a qualifier. Groups in ``either_or`` joined by 或 (「服務場所或網站」) count
as one: the plan lets the agency choose."""

from __future__ import annotations

SUMMARY = "項目主題須與限定條件（公布處所、頻率、等級等）同見於一項措施或一句；依條件組合判定符合或部分符合"

import re
from dataclasses import dataclass, field
from typing import Literal

from pydantic import Field, field_validator

from checks.matching import Hit
from checks.rules.base import Context, Cues, Data, RuleResult, evidence, find_masked, quoted, unit_order
from checks.units import Unit
from normalizers.frequency import find_frequencies

_OR_BETWEEN = re.compile(r"^[\s(（)）、]{0,2}或[\s(（)）]{0,2}$")


class Group(Cues):
    label: str
    near: int | None = Field(default=None, description="Starting within this many characters after the subject.")
    min_per_year: float | None = Field(default=None, description="A stated frequency of at least this many a year also satisfies the group.")


class Params(Data):
    kind: Literal["qualified"] = "qualified"
    subject: Cues | None = None
    subject_label: str
    subject_in_heading: bool = True
    partial_subject: Cues = Field(default_factory=Cues, description="A weaker subject that can only earn partial.")
    confusables: Cues = Field(default_factory=Cues)
    groups: dict[str, Group] = Field(default_factory=dict)
    present: list[list[str]]
    partial: list[list[str]] = Field(default_factory=list)
    combine: Literal["unit", "plan"] = "unit"
    either_or: list[list[str]] = Field(default_factory=list)

    @field_validator("present", "partial", mode="before")
    @classmethod
    def _alternatives(cls, value):
        # One combination may be written flat: present: [publish, web].
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            return [value]
        return value

    @field_validator("present", "partial", "either_or")
    @classmethod
    def _known_groups(cls, value, info):
        groups = info.data.get("groups", {})
        for combination in value:
            for name in combination:
                if name not in groups:
                    raise ValueError(f"沒有 {name} 這個群組（群組：{'、'.join(sorted(groups))}）")
        return value


@dataclass
class UnitReading:
    unit: Unit
    subject: list[Hit]
    groups: dict[str, list[Hit]] = field(default_factory=dict)
    weak: bool = False
    either_or: bool = False


def _near(hits: list[Hit], subject: list[Hit], distance: int) -> list[Hit]:
    """Hits that follow a subject hit closely: in Chinese the modifier comes
    first (雙語標示, 英語服務櫃台), so 「服務e櫃檯」提供中英文謄本 is no bilingual counter."""
    return [h for h in hits if any(0 <= h.start - s.end <= distance for s in subject)]


def _frequency_hits(unit: Unit, minimum: float) -> list[Hit]:
    return [Hit(f.quote, f.start, f.end) for f in find_frequencies(unit.text)
            if f.per_year is not None and f.per_year >= minimum]


def _joined_by_or(text: str, a: Hit, b: Hit) -> bool:
    if a.end <= b.start:
        gap = text[a.end:b.start]
    elif b.end <= a.start:
        gap = text[b.end:a.start]
    else:
        return False
    return bool(_OR_BETWEEN.match(gap))


def _apply_either_or(reading: UnitReading, pairs: list[list[str]]) -> None:
    """「服務場所或網站」: when every hit of the two groups is such a choice, only
    the first group counts."""
    text = reading.unit.text
    for first_name, second_name in (pair[:2] for pair in pairs if len(pair) >= 2):
        first, second = reading.groups.get(first_name), reading.groups.get(second_name)
        if not first or not second:
            continue
        joined = [(a, b) for a in first for b in second if _joined_by_or(text, a, b)]
        free_first = [a for a in first if all(a != x for x, _ in joined)]
        free_second = [b for b in second if all(b != y for _, y in joined)]
        if joined and not free_first and not free_second:
            reading.groups.pop(second_name)
            reading.either_or = True


def read_unit(params: Params, unit: Unit) -> UnitReading | None:
    subject: list[Hit] = []
    weak = False
    if params.subject is None:
        pass
    elif hits := find_masked(params.subject, params.confusables, unit.folded):
        subject = hits
    elif params.subject_in_heading and unit.context and find_masked(params.subject, params.confusables, unit.folded_context):
        subject = []
    elif params.partial_subject and (hits := find_masked(params.partial_subject, params.confusables, unit.folded)):
        subject, weak = hits, True
    else:
        return None
    reading = UnitReading(unit, subject, weak=weak)
    for name, group in params.groups.items():
        hits = find_masked(group, params.confusables, unit.folded) if group else []
        if group.min_per_year is not None:
            hits += _frequency_hits(unit, group.min_per_year)
        if group.near is not None:
            hits = _near(hits, subject, group.near)
        if hits:
            reading.groups[name] = hits
    _apply_either_or(reading, params.either_or)
    if params.subject is None and not reading.groups:
        return None
    return reading


def _status(params: Params, satisfied: set[str], weak: bool) -> str:
    if not weak and any(set(combo) <= satisfied for combo in params.present):
        return "present"
    if weak or any(set(combo) <= satisfied for combo in params.partial):
        return "partial"
    return "missing"


def _missing_labels(params: Params, satisfied: set[str]) -> str:
    best = min(params.present, key=lambda combo: len(set(combo) - satisfied))
    return "、".join(params.groups[name].label for name in best if name not in satisfied)


def _reason(params: Params, status: str, satisfied: set[str], subject_cues: list[str], weak: bool, either_or: bool) -> str:
    seen = f"見{quoted(subject_cues[:2])}" if subject_cues else f"見{params.subject_label}"
    if status == "present":
        done = "、".join(params.groups[n].label for n in params.groups if n in satisfied)
        return f"{seen}，並{done}" if done else seen
    if weak:
        return f"僅見{quoted(subject_cues[:2])}，未見{params.subject_label}"
    note = "（「或」擇一，未要求兩者皆備）" if either_or else ""
    return f"{seen}，但未見{_missing_labels(params, satisfied)}{note}"


def evaluate(params: Params, context: Context) -> RuleResult:
    readings = [r for u in sorted(context.units, key=unit_order) if (r := read_unit(params, u))]
    if not readings:
        return RuleResult("missing", f"計畫未見{params.subject_label}")
    if params.combine == "plan":
        strong = [r for r in readings if not r.weak]
        pool = strong or readings
        satisfied = set().union(*(r.groups for r in pool))
        status = _status(params, satisfied, not strong)
        chosen = [r for name in params.groups if name in satisfied for r in [x for x in pool if name in x.groups][:2]]
        chosen = list({id(r): r for r in chosen}.values()) or pool[:1]
        cues = [h.cue for r in pool for h in r.subject]
        reason = _reason(params, status, satisfied, cues, not strong, any(r.either_or for r in pool))
        if status == "missing":
            return RuleResult("missing", f"計畫未見{params.subject_label}")
        return RuleResult(status, reason, [evidence(r.unit, r.subject + [h for hs in r.groups.values() for h in hs]) for r in chosen[:4]])
    scored = [(r, _status(params, set(r.groups), r.weak)) for r in readings]
    rank = {"present": 2, "partial": 1, "missing": 0}
    best, status = max(scored, key=lambda pair: (rank[pair[1]], len(pair[0].groups)))
    if status == "missing":
        return RuleResult("missing", f"計畫未見{params.subject_label}")
    same = [r for r, s in scored if s == status][:3]
    reason = _reason(params, status, set(best.groups), [h.cue for h in best.subject], best.weak, best.either_or)
    return RuleResult(status, reason, [evidence(r.unit, r.subject + [h for hs in r.groups.values() for h in hs]) for r in [best] + [r for r in same if r is not best]][:3])
