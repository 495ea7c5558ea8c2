"""What every rule kind shares: cue lists, the context a rule reads, and the
result it returns. A rule kind is a module in this package with a ``Params``
model (its ``kind`` literal names it) and an ``evaluate(params, context)``."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field

from checks.matching import Hit, clip, quote_around, without_masked
from checks.units import Unit
from models import Evidence, Plan
from models.report import Status

RANK = {"missing": 0, "partial": 1, "present": 2}


class Data(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Cues(Data):
    """Words (matched on folded text) and regular expressions that signal something."""

    terms: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)

    def find(self, unit_text) -> list[Hit]:
        return unit_text.find(tuple(self.terms), tuple(self.patterns))

    def __bool__(self) -> bool:
        return bool(self.terms or self.patterns)


@dataclass
class Context:
    plan: Plan
    units: list[Unit]
    item_name: str = ""


@dataclass
class RuleResult:
    """What a rule found for one item in one plan: the status, why, and the quotes."""

    status: Status
    reason: str
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def rank(self) -> int:
        return RANK.get(self.status, -1)


def find_masked(cues: Cues, confusables: Cues, folded) -> list[Hit]:
    """Hits of ``cues`` that are not part of a confusable."""
    hits = cues.find(folded)
    return without_masked(hits, confusables.find(folded)) if hits and confusables else hits


def evidence(unit: Unit, hits: list[Hit], limit: int = 90) -> Evidence:
    """The quote that proves a verdict: the sentence around the hits."""
    if hits:
        start, end = min(h.start for h in hits), max(h.end for h in hits)
        quote = quote_around(unit.text, start, end, limit)
    else:
        quote = clip(unit.text, limit)
    section = unit.section if unit.kind in ("section", "schedule") else ("措施表標題" if unit.kind == "heading" else None)
    return Evidence(measure_id=unit.measure_id if unit.kind == "measure" else None, quote=quote,
                    location=unit.location, section=section)


def unit_order(unit: Unit) -> int:
    """Measures prove best, then table headings, then the plan's sections."""
    return {"measure": 0, "heading": 1, "section": 2, "schedule": 2}.get(unit.kind, 3)


def quoted(cues) -> str:
    return "、".join(f"「{cue}」" for cue in dict.fromkeys(cues))
