"""The report and the summary as plain tables (a name, column keys, Chinese
column labels and rows of cells), for the tabular formats: CSV writes the first
table, XLSX one sheet per table; both show the Chinese labels and verdicts."""

from __future__ import annotations

from dataclasses import dataclass

from outputs.reports.summary import COUNT_COLUMNS, BatchSummary, matrix_rows
from outputs.reports.view import STATUS_LABELS, ReportView, clean

Cell = str | int | float | None


@dataclass(frozen=True)
class Table:
    name: str  # the sheet name: at most 31 characters, none of []:*?/\
    columns: tuple[tuple[str, str], ...]  # (key, label for people)
    rows: tuple[tuple[Cell, ...], ...]
    status_columns: tuple[int, ...] = ()  # columns holding verdicts, coloured in XLSX

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(label for _, label in self.columns)


def _cells(*values: Cell) -> tuple[Cell, ...]:
    return tuple(clean(v) if isinstance(v, str) else v for v in values)


def item_table(view: ReportView) -> Table:
    """One row per piece of evidence, so each quote sits alone in its cell; an
    item without evidence still gets its row."""
    rows = []
    for item in view.items:
        for ev in item.evidence or (None,):
            rows.append(_cells(
                item.id, item.name, item.label, item.reason,
                ev.quote if ev else "", ev.measure_id if ev else "", ev.section if ev else "", ev.location if ev else "",
                item.rule, item.source,
            ))
    columns = (
        ("item_id", "項目代碼"), ("name", "項目"), ("status", "結果"), ("reason", "理由"),
        ("quote", "引文"), ("measure_id", "措施編號"), ("section", "章節"), ("location", "位置"),
        ("rule", "規定"), ("source", "依據"),
    )
    return Table("必辦項目", columns, tuple(rows), status_columns=(2,))


def coverage_table(view: ReportView) -> Table:
    rows = []
    for dim in view.coverage:
        rows.append(_cells(dim.name, "（面向合計）", len(dim.measure_ids), "、".join(dim.measure_ids), "無措施" if dim.empty else ""))
        for sub in dim.sub_items:
            rows.append(_cells(dim.name, sub.name, len(sub.measure_ids), "、".join(sub.measure_ids), "無措施" if sub.empty else ""))
    columns = (("dimension", "面向"), ("sub_item", "實施要項"), ("measures", "措施數"), ("measure_ids", "措施編號"), ("empty", "無措施"))
    return Table("面向涵蓋", columns, tuple(rows))


def findings_table(view: ReportView) -> Table:
    columns = (("code", "代碼"), ("severity", "等級"), ("message", "說明"), ("location", "位置"))
    return Table("結構檢查", columns, tuple(_cells(f.code, f.severity, f.message, f.location) for f in view.findings))


def exemplar_table(view: ReportView) -> Table:
    rows = [
        _cells(item.id, item.name, item.label, ex.agency, ex.year, ex.text, ex.source, ex.measure_id)
        for item in view.gaps
        for ex in item.exemplars
    ]
    columns = (
        ("item_id", "項目代碼"), ("name", "項目"), ("status", "本計畫結果"), ("agency", "機關"), ("year", "年度"),
        ("text", "其他計畫的寫法"), ("source", "來源檔案"), ("measure_id", "措施編號"),
    )
    return Table("其他計畫寫法", columns, tuple(rows), status_columns=(2,))


def identity_table(view: ReportView) -> Table:
    rows = [_cells(label, value) for label, value in view.identity]
    rows += [_cells(f"{label}項目數", count) for _, label, count in view.counts]
    if view.exemplar_note:
        rows.append(_cells("範例說明", view.exemplar_note))
    return Table("基本資料", (("field", "欄位"), ("value", "內容")), tuple(rows))


def report_tables(view: ReportView) -> tuple[Table, ...]:
    exemplars = (exemplar_table(view),) if view.exemplars_asked else ()
    return (item_table(view), coverage_table(view), findings_table(view), *exemplars, identity_table(view))


def matrix_table(summary: BatchSummary, with_failures: bool = False) -> Table:
    """Plans × items with counts per plan. ``with_failures`` adds the unreadable
    files as rows with their reason, so one CSV names every input."""
    rows = []
    for row, plan in zip(matrix_rows(summary), summary.plans):
        cells = [STATUS_LABELS.get(c.status, "") for c in row.cells]
        head = [plan.path, "已檢查", ""] if with_failures else [plan.path]
        rows.append(_cells(
            *head, plan.agency or "", plan.roc_year, plan.framework or "", row.plan_kind, plan.measure_count,
            *(getattr(plan.counts, status) for status, _ in COUNT_COLUMNS), *cells,
        ))
    if with_failures:
        width = 9 + len(summary.items)
        rows += [_cells(f.path, "無法讀取", f.reason, *([None] * width)) for f in summary.failures]
    columns = [("path", "計畫檔案")]
    if with_failures:
        columns += [("result", "處理結果"), ("reason", "無法讀取原因")]
    columns += [("agency", "機關"), ("roc_year", "年度（民國）"), ("framework", "架構"), ("plan_kind", "文件性質"),
                ("measures", "措施數")]
    columns += [(status, label) for status, label in COUNT_COLUMNS]
    first_item = len(columns)
    columns += [(item.id, item.name or item.id) for item in summary.items]
    return Table("計畫矩陣", tuple(columns), tuple(rows), status_columns=tuple(range(first_item, len(columns))))


def item_counts_table(summary: BatchSummary) -> Table:
    rows = [_cells(item.id, item.name, *(getattr(item.counts, s) for s, _ in COUNT_COLUMNS)) for item in summary.items]
    return Table("項目統計", (("item_id", "項目代碼"), ("name", "項目"), *COUNT_COLUMNS), tuple(rows))


def failures_table(summary: BatchSummary) -> Table:
    return Table("無法讀取", (("path", "檔案"), ("reason", "原因")), tuple(_cells(f.path, f.reason) for f in summary.failures))


def summary_tables(summary: BatchSummary) -> tuple[Table, ...]:
    return (matrix_table(summary), item_counts_table(summary), failures_table(summary))
