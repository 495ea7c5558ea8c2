"""CSV for spreadsheets: UTF-8 with a byte-order mark (so Excel reads the
Chinese right), Chinese column labels and verdicts like every other report
(scripts read the JSON, whose fields and codes are the contract).

A cell that a spreadsheet would run as a formula (starting with = + - @, a tab
or a carriage return) gets a leading apostrophe: a plan's text is data."""

from __future__ import annotations

import csv
import io

from outputs.reports.summary import BatchSummary
from outputs.reports.tables import Cell, Table, item_table, matrix_table
from outputs.reports.view import ReportView

EXTENSION = "csv"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse(value: Cell) -> Cell:
    """A cell a spreadsheet will show, never run.

    >>> defuse("=cmd|' /C calc'!A0")
    "'=cmd|' /C calc'!A0"
    >>> defuse(-3)
    -3
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def table_to_csv(table: Table) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.labels)
    for row in table.rows:
        writer.writerow(["" if cell is None else defuse(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def render_report(view: ReportView) -> bytes:
    return table_to_csv(item_table(view))


def render_summary(summary: BatchSummary) -> bytes:
    return table_to_csv(matrix_table(summary, with_failures=True))
