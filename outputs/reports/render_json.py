"""JSON: a plan's report is the CheckReport of docs/cli.md, byte for byte
what ``plancheck check FILE --format json`` prints; the summary follows
docs/schema/summary.schema.json. UTF-8 without ASCII escapes, stable order."""

from __future__ import annotations

import json

from outputs.reports.summary import BatchSummary
from outputs.reports.view import ReportView

EXTENSION = "json"


def render_report(view: ReportView) -> bytes:
    if view.report is None:
        raise ValueError("a JSON report needs the CheckReport itself")
    return (view.report.model_dump_json(indent=2) + "\n").encode("utf-8")


def render_summary(summary: BatchSummary) -> bytes:
    return (json.dumps(summary.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
