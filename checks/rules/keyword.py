"""keyword — the item is present when one of its cue words occurs in a unit
(not inside a confusable); ``partial_cues`` name the topic without its required
element (「熟悉程度」 without any training) and give partial."""

from __future__ import annotations

SUMMARY = "出現任一關鍵詞（不含易混淆詞）即符合；僅見主題詞為部分符合"

from typing import Literal

from pydantic import Field

from checks.rules.base import Context, Cues, Data, RuleResult, evidence, find_masked, quoted, unit_order


class Params(Data):
    kind: Literal["keyword"] = "keyword"
    cues: Cues
    partial_cues: Cues = Field(default_factory=Cues)
    confusables: Cues = Field(default_factory=Cues)
    label: str = Field(default="", description="What is missing when only partial cues occur (zh-TW).")


def evaluate(params: Params, context: Context) -> RuleResult:
    found, partial = [], []
    for unit in sorted(context.units, key=unit_order):
        if hits := find_masked(params.cues, params.confusables, unit.folded):
            found.append((unit, hits))
        elif params.partial_cues and (hits := find_masked(params.partial_cues, params.confusables, unit.folded)):
            partial.append((unit, hits))
    if found:
        cues = [hit.cue for _, hits in found for hit in hits]
        return RuleResult("present", f"載明{quoted(cues[:3])}", [evidence(u, h) for u, h in found[:3]])
    if partial:
        cues = [hit.cue for _, hits in partial for hit in hits]
        lack = f"，未見{params.label}" if params.label else ""
        return RuleResult("partial", f"僅見{quoted(cues[:3])}{lack}", [evidence(u, h) for u, h in partial[:3]])
    return RuleResult("missing", f"計畫未見{context.item_name or '相關內容'}")
