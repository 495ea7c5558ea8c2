"""What kind of document it is: an agency's own execution plan, or one of the
documents that look like one (a supervising body's plan, a one-topic sub-plan,
a results report, an award application, a scoring sheet, a white paper, other).

Data-driven: the cues and their weights are in data/kinds.yaml (validated on
load). Each kind's score is the sum of its cues found in the title, the head of
the text or anywhere, plus what the table finder saw (a measure table with owner
units, a skipped scoring table). The best score wins if it reaches the minimum;
the cues that decided it are kept as evidence."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from extractor.elements import Document, Table
from extractor.tables import TableScan
from models import ColumnRole, KindCue, KindEvidence, MeasureTable, PlanKind
from normalizers.text import fold_key

DATA_FILE = Path(__file__).parent / "data" / "kinds.yaml"
_QUOTE_MAX = 40


class KindDataError(ValueError):
    """data/kinds.yaml cannot be used: one line naming the file, field and reason."""


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Cue(_Data):
    where: Literal["title", "head", "text"]
    weight: float = Field(gt=0)
    pattern: str | None = None
    all: list[str] | None = None
    any: list[str] | None = None
    min: int = Field(default=1, ge=1)

    @model_validator(mode="after")
    def _one_form(self) -> Cue:
        if sum(form is not None for form in (self.pattern, self.all, self.any)) != 1:
            raise ValueError("give one of pattern, all or any")
        if self.any is not None and self.min > len(self.any):
            raise ValueError(f"min {self.min} is more than the {len(self.any)} patterns of any")
        for pattern in self.patterns:
            if fold_key(pattern) != re.sub(r"\s+", "", pattern.lower()) and any(c.isupper() for c in pattern if c.isascii()):
                raise ValueError(f"pattern {pattern!r}: upper-case escapes do not survive folding")
            try:
                re.compile(fold_key(pattern))
            except re.error as error:
                raise ValueError(f"pattern {pattern!r}: {error}") from None
        return self

    @property
    def patterns(self) -> list[str]:
        return [self.pattern] if self.pattern is not None else list(self.all or self.any or [])


class StructureCue(_Data):
    kind: PlanKind
    weight: float = Field(gt=0)


class KindData(_Data):
    head_chars: int = Field(gt=0)
    min_score: float = Field(gt=0)
    structure: dict[Literal["measure_table", "scoring_table"], StructureCue]
    cues: dict[PlanKind, list[Cue]]

    @field_validator("cues")
    @classmethod
    def _execution_has_cues(cls, cues: dict[PlanKind, list[Cue]]) -> dict[PlanKind, list[Cue]]:
        if not cues.get(PlanKind.execution):
            raise ValueError("the execution kind needs cues")
        return cues


@lru_cache(maxsize=None)
def kind_data(path: Path = DATA_FILE) -> KindData:
    try:
        return KindData.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise KindDataError(f"{path}: {field}: {first['msg'].removeprefix('Value error, ')}") from None


@lru_cache(maxsize=None)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(fold_key(pattern))


def document_text(document: Document) -> str:
    """Every paragraph and table cell of the document, in reading order."""
    parts: list[str] = []
    for element in document.elements:
        if isinstance(element, Table):
            parts.extend(" | ".join(cell.text for cell in row.cells) for row in element.rows)
        else:
            parts.append(element.text)
    return "\n".join(parts)


def _as_written(text: str) -> str:
    """The text as the folded key sees it but in the document's own script:
    character for character the same positions as ``fold_key(text)`` when the
    folding kept the length (it nearly always does)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).replace("\x00", ""))


def _match(cue: Cue, zones: dict[str, tuple[str, str]]) -> str | None:
    """The words a cue matched in its zone (as written when possible), or None."""
    folded, written = zones[cue.where]
    source = written if len(written) == len(folded) else folded
    quotes = []
    for pattern in cue.patterns:
        match = _compiled(pattern).search(folded)
        if match is not None:
            quotes.append(source[match.start():match.end()][:_QUOTE_MAX])
        elif cue.any is None:
            return None
    return "、".join(quotes) if len(quotes) >= cue.min else None


def _structure_cues(tables: list[MeasureTable], scan: TableScan | None, data: KindData) -> list[KindCue]:
    cues = []
    owned = [t for t in tables if t.has_role(ColumnRole.measure) and (t.has_role(ColumnRole.units) or t.has_role(ColumnRole.deadline))]
    if owned and "measure_table" in data.structure:
        rule = data.structure["measure_table"]
        cues.append(KindCue(kind=rule.kind, where="structure", weight=rule.weight,
                            quote="措施表：" + "／".join(owned[0].header)[:_QUOTE_MAX]))
    scoring = [reason for reason in (scan.skipped if scan else []) if "scoring" in reason]
    if scoring and "scoring_table" in data.structure:
        rule = data.structure["scoring_table"]
        cues.append(KindCue(kind=rule.kind, where="structure", weight=rule.weight, quote="評分表格式之表格"))
    return cues


def _confidence(best: float, second: float, min_score: float) -> float:
    """How sure: the winner's share of the two best scores, damped while the
    winner is barely above the minimum."""
    if best <= 0:
        return 0.3
    share = best / (best + second)
    strength = min(1.0, best / (2 * min_score))
    return round(max(0.0, min(1.0, share * (0.5 + 0.5 * strength))), 2)


def classify(document: Document, title: str | None, tables: list[MeasureTable] | None = None,
             scan: TableScan | None = None, data: KindData | None = None) -> tuple[PlanKind, KindEvidence]:
    """The document's kind and the evidence for it."""
    data = data or kind_data()
    raw = document_text(document)
    text, written = fold_key(raw), _as_written(raw)
    head = data.head_chars
    zones = {"title": (fold_key(title or ""), _as_written(title or "")), "head": (text[:head], written[:head]),
             "text": (text, written)}
    found: list[KindCue] = []
    for kind, cues in data.cues.items():
        for cue in cues:
            quote = _match(cue, zones)
            if quote is not None:
                found.append(KindCue(kind=kind, where=cue.where, quote=quote, weight=cue.weight))
    found += _structure_cues(tables or [], scan, data)
    scores: dict[str, float] = {}
    for cue in found:
        scores[cue.kind.value] = round(scores.get(cue.kind.value, 0.0) + cue.weight, 2)
    ranked = sorted(scores.items(), key=lambda pair: (-pair[1], list(PlanKind).index(PlanKind(pair[0]))))
    best_kind, best = ranked[0] if ranked else (PlanKind.other.value, 0.0)
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    kind = PlanKind(best_kind) if best >= data.min_score else PlanKind.other
    confidence = _confidence(best, second, data.min_score) if kind.value == best_kind else 0.3
    chosen = sorted(found, key=lambda cue: (cue.kind != kind, -cue.weight))
    return kind, KindEvidence(confidence=confidence, scores=dict(ranked), cues=chosen)
