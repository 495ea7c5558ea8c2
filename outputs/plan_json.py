"""The plan as the JSON of `plancheck extract --format json` (docs/cli.md)."""

from __future__ import annotations

import json
from typing import Any

from models import Plan


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
    extras = {key: data[key] for key in ("kind", "basis", "tables", "anomalies", "status", "warnings")}
    extras["section_details"] = data["sections"]
    if plan.framework:
        extras["framework_reasons"] = plan.framework.reasons
    return {**contract, **extras}


def plan_to_json(plan: Plan) -> str:
    return json.dumps(plan_to_dict(plan), ensure_ascii=False, indent=2) + "\n"
