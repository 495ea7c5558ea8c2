"""Self-contained HTML: inline CSS, no external assets, A4 print rules, and a
Content-Security-Policy that lets only the page's own static script run."""

from __future__ import annotations

from outputs.reports.summary import COUNT_COLUMNS, BatchSummary, MatrixRow, kind_line, matrix_rows
from outputs.reports.templating import HTML, static_script
from outputs.reports.view import STATUS_MARKS, ReportView

EXTENSION = "html"
# Sorting a matrix column ascending puts the gaps first.
SORT_RANK = {"missing": 0, "partial": 1, "present": 2, "not_applicable": 3, "": 4}


def render_report(view: ReportView) -> bytes:
    html = HTML.get_template("report.html.j2").render(view=view, script_src="'none'", page_orientation="portrait")
    return html.encode("utf-8")


def _report_link(row: MatrixRow) -> str:
    return dict(row.reports).get("html", "")


def render_summary(summary: BatchSummary) -> bytes:
    script, script_src = static_script("summary_sort.js")
    html = HTML.get_template("summary.html.j2").render(
        summary=summary,
        rows=matrix_rows(summary),
        legend=COUNT_COLUMNS,
        marks=STATUS_MARKS,
        sort_rank=SORT_RANK,
        report_link=_report_link,
        script=script,
        script_src=script_src,
        page_orientation="landscape",
        kind_line=kind_line(summary),
    )
    return html.encode("utf-8")
