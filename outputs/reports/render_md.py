"""Markdown, for reading a report in a text editor or a Git host."""

from __future__ import annotations

from outputs.reports.summary import COUNT_COLUMNS, BatchSummary, kind_line, matrix_rows
from outputs.reports.templating import MARKDOWN
from outputs.reports.view import STATUS_MARKS, ReportView

EXTENSION = "md"


def render_report(view: ReportView) -> bytes:
    return MARKDOWN.get_template("report.md.j2").render(view=view).encode("utf-8")


def render_summary(summary: BatchSummary) -> bytes:
    text = MARKDOWN.get_template("summary.md.j2").render(
        summary=summary, rows=matrix_rows(summary), legend=COUNT_COLUMNS, marks=STATUS_MARKS,
        kind_line=kind_line(summary),
    )
    return text.encode("utf-8")
