"""quantified — the share of measures that are concrete: a count (3種, 至少2次,
17件), a frequency with a number (每月, 每3個月) or a date (110年12月); 定期 and
不定期 alone are not quantities. Present from ``bar`` ⚙ (a share of measures)."""

from __future__ import annotations

SUMMARY = "載明次數、頻率或日期之措施比例須達門檻"

import re
from typing import Literal

from pydantic import Field

from checks.rules.base import Context, Data, RuleResult
from checks.units import measure_units
from models import Evidence
from normalizers.dates import find_dates
from normalizers.frequency import find_frequencies
from normalizers.numbering import NUMBER


class Params(Data):
    kind: Literal["quantified"] = "quantified"
    bar: float = Field(default=0.3, ge=0, le=1, description="⚙ 量化措施比例門檻")
    counters: list[str] = Field(default_factory=lambda: [
        "次", "種", "項", "件", "場", "處", "個", "則", "份", "梯次", "人次", "%", "％", "成", "小時", "分鐘", "天", "日內", "家", "所", "站", "台", "臺", "張"])


def quantity_in(text: str, counters: list[str]) -> str | None:
    """The first quantity stated in a measure's text, as quoted, or None."""
    for frequency in find_frequencies(text):
        if frequency.per_year is not None:
            return frequency.quote
    counter = "|".join(re.escape(c) for c in sorted(counters, key=len, reverse=True))
    if match := re.search(rf"(?:{NUMBER})\s*(?:{counter})", text):
        return match.group(0)
    for found in find_dates(text):
        if found.month:
            return text[found.start:found.end]
    return None


def evaluate(params: Params, context: Context) -> RuleResult:
    units = measure_units(context.plan)
    if not units:
        return RuleResult("missing", "計畫無具體措施")
    quantified = [(u, q) for u in units if (q := quantity_in(u.text, params.counters))]
    share = len(quantified) / len(units)
    proof = [Evidence(measure_id=u.measure_id, quote=q, location=u.location) for u, q in quantified[:3]]
    summary = f"量化措施 {len(quantified)}/{len(units)} 項（{share:.0%}）"
    if share >= params.bar and quantified:
        return RuleResult("present", f"{summary}，達 {params.bar:.0%}", proof)
    if quantified:
        return RuleResult("partial", f"{summary}，低於 {params.bar:.0%}", proof)
    return RuleResult("missing", f"{summary}，無任何措施載明次數、頻率或日期")
