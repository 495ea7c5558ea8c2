"""frequency — the item's subject must be done at least ``bar`` times a year ⚙
(the phone-courtesy test: 4, once every 3 months). Frequencies come from
``normalizers.frequency.find_frequencies`` and count only in the same sentence
as the subject; each is bound to the nearest cue, so 「年度 2 次禮貌人員選拔」
gives its 2 to the confusable election, not to the 電話互測 before it. In an
annexed schedule, rows 「(第 2 次)」 tell how many times a year are planned."""

from __future__ import annotations

SUMMARY = "項目須每年辦理達門檻次數；頻率須與主題同句，並歸屬最近之詞"

import re
from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from checks.matching import Hit
from checks.rules.base import Context, Cues, Data, RuleResult, evidence, find_masked, unit_order
from checks.units import Unit
from normalizers.frequency import find_frequencies

_ORDINAL = re.compile(r"第\s*(\d+)\s*次")


class Params(Data):
    kind: Literal["frequency"] = "frequency"
    subject: Cues
    subject_label: str
    confusables: Cues = Field(default_factory=Cues)
    bar: float = Field(default=4.0, gt=0, description="⚙ 每年至少次數")


@dataclass
class Reading:
    unit: Unit
    subject: list[Hit]
    per_year: float | None
    quote: Hit | None
    irregular: bool


def bar_text(bar: float) -> str:
    months = 12 / bar
    if months == int(months) and months >= 1:
        return "每月1次" if months == 1 else f"每{int(months)}個月1次"
    return f"每年{bar:g}次"


def _distance(a: Hit, b: Hit) -> int:
    return max(0, b.start - a.end, a.start - b.end)


def read_unit(params: Params, unit: Unit) -> Reading | None:
    subject = find_masked(params.subject, params.confusables, unit.folded)
    if not subject:
        return None
    confusables = params.confusables.find(unit.folded) if params.confusables else []
    sentences = {unit.folded.sentence_of(hit.start) for hit in subject}
    best: tuple[float, Hit] | None = None
    irregular = False
    found = [(f.per_year, Hit(f.quote, f.start, f.end)) for f in find_frequencies(unit.text)]
    found += [(float(m.group(1)), Hit(m.group(0), m.start(), m.end())) for m in _ORDINAL.finditer(unit.text)]
    for per_year, span in found:
        if unit.folded.sentence_of(span.start) not in sentences:
            continue
        nearest_subject = min(_distance(span, hit) for hit in subject)
        if confusables and min(_distance(span, hit) for hit in confusables) < nearest_subject:
            continue  # the frequency belongs to the confusable next to it
        if per_year is None:
            irregular = True
        elif best is None or per_year > best[0]:
            best = (per_year, span)
    return Reading(unit, subject, best[0] if best else None, best[1] if best else None, irregular)


def evaluate(params: Params, context: Context) -> RuleResult:
    readings = [r for u in sorted(context.units, key=unit_order) if (r := read_unit(params, u))]
    if not readings:
        return RuleResult("missing", f"計畫未見{params.subject_label}")
    counted = [r for r in readings if r.per_year is not None]
    label, bar = params.subject_label, bar_text(params.bar)
    if counted:
        top = max(counted, key=lambda r: r.per_year)
        proof = [evidence(top.unit, top.subject + [top.quote])]
        if top.per_year >= params.bar:
            return RuleResult("present", f"{label} 每年{top.per_year:g}次（「{top.quote.cue}」），達{bar}", proof)
        return RuleResult("partial", f"{label} 每年{top.per_year:g}次，低於{bar}", proof)
    proof = [evidence(r.unit, r.subject) for r in readings[:2]]
    if any(r.irregular for r in readings):
        return RuleResult("partial", f"{label} 僅不定期辦理，未訂頻率（應{bar}）", proof)
    return RuleResult("partial", f"{label} 未訂頻率（應{bar}）", proof)
