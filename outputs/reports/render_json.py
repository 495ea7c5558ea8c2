"""JSON: a plan's report is the CheckReport of cli-contract.md; the summary
follows docs/schema/summary.schema.json. UTF-8, no ASCII escapes, stable order."""

from __future__ import annotations

import json
from typing import Any

from models import CheckReport
from outputs.reports.summary import BatchSummary
from outputs.reports.view import ReportView

EXTENSION = "json"


def report_to_dict(report: CheckReport) -> dict[str, Any]:
    """The report with the contract's fields first (source, agency, roc_year,
    framework, profile, items, findings) and the extra fields after them."""
    data = report.model_dump(mode="json")
    first = ("source", "agency", "roc_year", "framework", "profile", "items", "findings")
    return {**{key: data[key] for key in first}, **{key: value for key, value in data.items() if key not in first}}


def dumps(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def render_report(view: ReportView) -> bytes:
    if view.report is None:
        raise ValueError("a JSON report needs the CheckReport itself")
    return dumps(report_to_dict(view.report))


def render_summary(summary: BatchSummary) -> bytes:
    return dumps(summary.model_dump(mode="json"))
