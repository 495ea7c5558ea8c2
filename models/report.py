"""The check result: what the mapping/checks stage hands to reports and the corpus.

Field names of ``CheckReport`` and ``ItemVerdict`` that appear in
docs/cli.md are fixed; more may be added."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.plan import FrameworkRef, KindEvidence, Location, PlanKind, ReadMethod, SourceFile, migrate_kind

Status = Literal["present", "partial", "missing", "not_applicable"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Evidence(_Model):
    """A quoted span that supports a verdict, and where it is."""

    measure_id: str | None = Field(default=None, description="None when the quote is from a plan section.")
    quote: str
    location: Location = Field(default_factory=Location)
    section: str | None = Field(default=None, description="The plan section quoted, when not a measure.")


class ItemVerdict(_Model):
    id: str = Field(description="Mandated-item ID from docs/mandated-items.md.")
    status: Status
    reason: str = Field(description="One line, Traditional Chinese.")
    evidence: list[Evidence] = Field(default_factory=list)
    name: str = Field(default="", description="The item's name in Traditional Chinese.")
    rule: str = Field(default="", description="The requirement applied, in Traditional Chinese.")
    source: str = Field(default="", description="The legal or programme source (依據) of the item.")
    unseen: bool = Field(default=False, description="Missing from an incomplete document: not seen, and possibly "
                                                     "in the part that is not there; reports say 未見（文件不完整）.")


class Finding(_Model):
    """A plan-level (structure) finding."""

    code: str
    message: str = Field(description="Traditional Chinese.")
    location: Location = Field(default_factory=Location)
    severity: Literal["info", "warning", "error"] = "warning"


class MeasureMapping(_Model):
    """Where a measure sits in the framework, and why."""

    measure_id: str
    dimension: str | None
    sub_item: str | None = None
    score: float = 0.0
    via: Literal["heading", "content", "crosswalk", "none"] = "none"
    cues: list[str] = Field(default_factory=list)
    current_dimension: str | None = Field(default=None, description="The dimension in the current framework (crosswalk).")
    current_sub_item: str | None = None
    current_via: Literal["heading", "content", "crosswalk", "none"] | None = Field(
        default=None, description="How the current-framework dimension was found.")
    reasons: list[str] = Field(default_factory=list, description="The mapping explained, in Traditional Chinese.")


class DimensionCoverage(_Model):
    dimension: str
    sub_item: str | None = None
    measure_ids: list[str] = Field(default_factory=list)


class Exemplar(_Model):
    """How another plan in the corpus worded an item this plan misses."""

    item_id: str
    agency: str | None
    roc_year: int | None
    measure_id: str
    text: str
    source_path: str


class CheckReport(_Model):
    source: SourceFile
    agency: str | None
    roc_year: int | None
    title: str | None = None
    plan_kind: PlanKind = Field(default=PlanKind.execution, description="What the document is; a plan built without "
                                "reading a document (tests, other tools) is taken for an execution plan.")
    plan_kind_evidence: KindEvidence | None = None
    framework: FrameworkRef | None = None
    profile: str = "default"
    measure_count: int = 0
    read_method: ReadMethod = Field(default=ReadMethod.table, description="How the measures were read.")
    read_confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    complete: bool = Field(default=True, description="False when the document looks cut.")
    incomplete_reasons: list[str] = Field(default_factory=list, description="Traditional Chinese.")
    items: list[ItemVerdict] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    mappings: list[MeasureMapping] = Field(default_factory=list)
    coverage: list[DimensionCoverage] = Field(default_factory=list)
    exemplars: list[Exemplar] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _schema_1_0(cls, data: object) -> object:
        return migrate_kind(data, "plan_kind")
