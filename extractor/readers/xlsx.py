"""Excel workbooks (.xlsx) holding the measure table, read with openpyxl:
every visible worksheet's values and merged ranges, then extractor.readers.sheets."""

from __future__ import annotations

import datetime
from io import BytesIO
from pathlib import Path

from extractor.elements import Document, Paragraph, Table
from extractor.errors import CorruptFile, TooLarge
from extractor.readers.base import Probe, ReadLimits
from extractor.readers.sheets import grid_rows, sheet_elements

MAX_ROWS = 100_000
MAX_COLUMNS = 256


def sniff(probe: Probe) -> bool:
    names = probe.zip_names
    return bool(names) and ("xl/workbook.xml" in names
                            or b"spreadsheetml.sheet.main" in probe.zip_member("[Content_Types].xml"))


def cell_text(value: object) -> str:
    """A cell's value as the sheet shows it, near enough: whole numbers
    without .0, dates as yyyy/mm/dd."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return f"{value.year}/{value.month:02d}/{value.day:02d}"
    if isinstance(value, datetime.date):
        return f"{value.year}/{value.month:02d}/{value.day:02d}"
    return str(value)


def read(path: Path, data: bytes, limits: ReadLimits) -> Document:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(BytesIO(data), data_only=True)
    except Exception as error:  # openpyxl raises whatever its XML and zip layers meet
        raise CorruptFile(path, f"不是可讀取的 .xlsx 檔：{type(error).__name__}") from None
    elements: list[Paragraph | Table] = []
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            continue
        if sheet.max_row > MAX_ROWS or sheet.max_column > MAX_COLUMNS:
            raise TooLarge(path, f"工作表 {sheet.title} 有 {sheet.max_row} 列、{sheet.max_column} 欄，"
                                 f"上限 {MAX_ROWS} × {MAX_COLUMNS}")
        values = [[cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        merges = [(r.min_row - 1, r.min_col - 1, r.max_row - 1, r.max_col - 1) for r in sheet.merged_cells.ranges]
        elements += sheet_elements(grid_rows(values, merges), sheet.title)
    return Document(elements=elements)
