"""The plan as the JSON of `plancheck extract --format json` (docs/cli.md),
and the model of that document, from which docs/schema/plan.schema.json is
generated (`plancheck schema`)."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from models import (BasisDocument, ExtractionStatus, KindEvidence, Measure, MeasureTable, NumberingAnomaly, Plan, PlanKind,
                    ReadMethod, Section, SourceFile)


class FrameworkSummary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    confidence: float = Field(ge=0.0, le=1.0)


class PlanDocument(BaseModel):
    """The document `plancheck extract --format json` prints: the contract fields
    first, then the extras."""

    model_config = ConfigDict(extra="forbid", title="Plan")

    schema_version: str
    source: SourceFile
    agency: str | None
    roc_year: int | None
    year: int | None
    title: str | None
    framework: FrameworkSummary | None
    sections: list[str] = Field(description="Titles of the body sections, in order.")
    measures: list[Measure]
    plan_kind: PlanKind
    plan_kind_evidence: KindEvidence | None
    basis: list[BasisDocument]
    tables: list[MeasureTable]
    anomalies: list[NumberingAnomaly]
    status: ExtractionStatus
    warnings: list[str]
    method: ReadMethod
    confidence: float
    table_rebuilt: bool
    complete: bool
    incomplete_reasons: list[str]
    section_details: list[Section] = Field(description="Every section with its kind, location and text.")
    framework_reasons: list[str] = Field(default_factory=list,
                                         description="Why the framework was chosen; only when there is one.")


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    data = plan.model_dump(mode="json")
    contract = {
        "schema_version": data["schema_version"],
        "source": data["source"],
        "agency": data["agency"],
        "roc_year": data["roc_year"],
        "year": data["year"],
        "title": data["title"],
        "framework": {"id": plan.framework.id, "confidence": plan.framework.confidence} if plan.framework else None,
        "sections": [section.title for section in plan.sections if section.kind == "body"],
        "measures": data["measures"],
    }
    extras = {key: data[key] for key in ("plan_kind", "plan_kind_evidence", "basis", "tables", "anomalies", "status",
                                         "warnings", "method", "confidence", "table_rebuilt", "complete", "incomplete_reasons")}
    extras["section_details"] = data["sections"]
    if plan.framework:
        extras["framework_reasons"] = plan.framework.reasons
    return {**contract, **extras}


def plan_to_json(plan: Plan) -> str:
    return json.dumps(plan_to_dict(plan), ensure_ascii=False, indent=2) + "\n"
