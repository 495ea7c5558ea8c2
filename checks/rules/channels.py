"""channels — count the distinct channels (or modes) named for the item: a case
can be queried on site, by phone, on the web …; present from ``min_present`` ⚙
channels, or one channel listed in ``sufficient`` (進階檢索). With ``scope: unit``
the channels must be in the subject's own unit; with ``scope: plan`` they are
gathered over the plan, and ``require`` (real interaction) must stand beside a
channel or the subject."""

from __future__ import annotations

SUMMARY = "計算所列管道或方式之種類數，達門檻即符合"

from typing import Literal

from pydantic import Field

from checks.rules.base import Context, Cues, Data, RuleResult, evidence, find_masked, unit_order


class Params(Data):
    kind: Literal["channels"] = "channels"
    subject: Cues | None = None
    subject_label: str
    channels: dict[str, Cues]
    confusables: Cues = Field(default_factory=Cues)
    min_present: int = Field(default=3, ge=1, description="⚙ 符合所需之管道種類數")
    min_partial: int = Field(default=1, ge=0)
    sufficient: list[str] = Field(default_factory=list)
    subject_alone_partial: bool = Field(default=True, description="The subject with no channel named is partial.")
    require: Cues | None = None
    require_label: str = ""
    scope: Literal["unit", "plan"] = "unit"


def _channels(params: Params, unit) -> dict[str, list]:
    found = {}
    for name, cues in params.channels.items():
        if hits := find_masked(cues, params.confusables, unit.folded):
            found[name] = hits
    return found


def _status(params: Params, names: set[str], has_subject: bool, required: bool) -> str:
    enough = len(names) >= params.min_present or bool(names & set(params.sufficient))
    if enough and required:
        return "present"
    if (has_subject and params.subject is not None and params.subject_alone_partial) or len(names) >= max(params.min_partial, 1):
        return "partial"
    return "missing"


def _reason(params: Params, status: str, names: list[str], required: bool) -> str:
    listed = "、".join(names)
    if status == "present":
        return f"{params.subject_label}{len(names)}種（{listed}）"
    if names and (len(names) >= params.min_present or set(names) & set(params.sufficient)) and not required:
        return f"{params.subject_label}{len(names)}種（{listed}），但未見{params.require_label}"
    if not names:
        return f"見{params.subject_label}，但未列明管道或方式"
    return f"{params.subject_label}僅{len(names)}種（{listed}），未達{params.min_present}種"


def evaluate(params: Params, context: Context) -> RuleResult:
    units = sorted(context.units, key=unit_order)
    readings = []
    for unit in units:
        subject = find_masked(params.subject, params.confusables, unit.folded) if params.subject else []
        channels = _channels(params, unit)
        if params.subject is not None and not subject:
            if params.scope == "unit" or not channels:
                continue
        if not subject and not channels:
            continue
        required = params.require is None or bool(find_masked(params.require, params.confusables, unit.folded))
        readings.append((unit, subject, channels, required))
    if not readings:
        return RuleResult("missing", f"計畫未見{params.subject_label}")
    rank = {"present": 2, "partial": 1, "missing": 0}
    if params.scope == "plan":
        names = sorted({n for _, _, ch, _ in readings for n in ch}, key=list(params.channels).index)
        required = any(req for _, _, _, req in readings)
        has_subject = any(subj for _, subj, _, _ in readings)
        status = _status(params, set(names), has_subject, required)
        # The best proof names the subject, many channels and the interaction.
        ranked = sorted(readings, key=lambda r: (-bool(r[1]), -len(r[2]), -r[3]))
        proof = [evidence(u, s + [h for hs in ch.values() for h in hs]) for u, s, ch, _ in ranked[:3]]
    else:
        scored = [(r, _status(params, set(r[2]), bool(r[1]), r[3])) for r in readings]
        (unit, subject, channels, required), status = max(scored, key=lambda p: (rank[p[1]], len(p[0][2])))
        names = [n for n in params.channels if n in channels]
        proof = [evidence(unit, subject + [h for hs in channels.values() for h in hs])]
    if status == "missing":
        return RuleResult("missing", f"計畫未見{params.subject_label}")
    return RuleResult(status, _reason(params, status, names, required), proof)
