"""XLSX (openpyxl): one sheet per view, a frozen bold header, filters on every
sheet, verdicts coloured.

Every text cell is stored as a string, never a formula: openpyxl would turn a
value starting with "=" into one, so a plan quoting ``=cmd|' /C calc'!A0`` could
otherwise run code when the secretariat opens the file."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.cell import Cell as XlCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from outputs.reports.stable_zip import stable_zip
from outputs.reports.summary import BatchSummary
from outputs.reports.tables import Cell, Table, report_tables, summary_tables
from outputs.reports.view import STATUS_LABELS, ReportView

EXTENSION = "xlsx"
MAX_CELL_CHARS = 32767  # Excel's limit for one cell
FILLS = {
    STATUS_LABELS["present"]: PatternFill("solid", fgColor="E3F4E8"),
    STATUS_LABELS["partial"]: PatternFill("solid", fgColor="FFF0D6"),
    STATUS_LABELS["missing"]: PatternFill("solid", fgColor="FBDAD7"),
    STATUS_LABELS["not_applicable"]: PatternFill("solid", fgColor="EEEEEE"),
}
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
WRAP = Alignment(wrap_text=True, vertical="top")


def set_text(cell: XlCell, value: Cell) -> None:
    """Store a value; strings always as strings, whatever they start with."""
    if isinstance(value, str):
        cell.value = value[:MAX_CELL_CHARS]
        cell.data_type = "s"
    else:
        cell.value = value


def _display_width(value: Cell) -> int:
    """Characters of a cell's longest line, CJK counted double."""
    text = "" if value is None else str(value)
    return max((sum(2 if ord(ch) > 0x2E80 else 1 for ch in line) for line in text.splitlines() or [""]), default=0)


def write_sheet(sheet: Worksheet, table: Table) -> None:
    for column, label in enumerate(table.labels, 1):
        cell = sheet.cell(row=1, column=column)
        set_text(cell, label)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
    for row_number, row in enumerate(table.rows, 2):
        for column, value in enumerate(row, 1):
            cell = sheet.cell(row=row_number, column=column)
            set_text(cell, value)
            cell.alignment = WRAP
            if column - 1 in table.status_columns and value in FILLS:
                cell.fill = FILLS[value]
    for column, label in enumerate(table.labels, 1):
        # A verdict column is as wide as its verdicts; its long item name wraps in the header.
        header = 0 if column - 1 in table.status_columns else _display_width(label)
        widest = max([header] + [_display_width(row[column - 1]) for row in table.rows])
        sheet.column_dimensions[get_column_letter(column)].width = min(max(widest + 2, 8), 60)
    sheet.freeze_panes = "B2" if table.status_columns and len(table.labels) > 12 else "A2"
    last = get_column_letter(len(table.labels))
    sheet.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"


def tables_to_xlsx(tables: tuple[Table, ...]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        write_sheet(book.create_sheet(table.name), table)
    buffer = io.BytesIO()
    book.save(buffer)
    return stable_zip(buffer.getvalue())


def render_report(view: ReportView) -> bytes:
    return tables_to_xlsx(report_tables(view))


def render_summary(summary: BatchSummary) -> bytes:
    return tables_to_xlsx(summary_tables(summary))
