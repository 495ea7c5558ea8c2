"""A measure table saved as comma-separated values (.csv), as spreadsheet
programs export it: merged cells come out as a value in their first row and
empty cells below. Recognised by its content: a row of the CSV is a measure
table header (面向, 執行策略, 具體作法, …) and nearly every row has as many
fields as that header."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

from extractor.columns import header_roles
from extractor.elements import Document
from extractor.errors import CorruptFile, PlanError
from extractor.readers.base import Probe, ReadLimits
from extractor.readers.encoding import decode_text
from extractor.readers.sheets import grid_rows, sheet_elements

_SNIFF_BYTES = 64 * 1024
_SNIFF_ROWS = 30


def _rows(text: str) -> list[list[str]]:
    return [row for row in csv.reader(StringIO(text, newline=""))]


def sniff(probe: Probe) -> bool:
    if probe.zip_names is not None or probe.ole_streams is not None or b"," not in probe.head:
        return False
    try:
        head = probe.data if len(probe.data) <= _SNIFF_BYTES else probe.data[:_SNIFF_BYTES].rsplit(b"\n", 1)[0]
        text, _ = decode_text(head, str(probe.path))
        rows = _rows(text)[:_SNIFF_ROWS]
    except (PlanError, csv.Error):
        return False
    header = next((row for row in rows if len(row) >= 2 and header_roles(row) is not None), None)
    if header is None:
        return False
    # Spreadsheet programs write every row with the same number of fields; prose
    # with a comma here and there is not a table.
    filled = [row for row in rows if any(field.strip() for field in row)]
    return sum(len(row) == len(header) for row in filled) >= 0.8 * len(filled)


def read(path: Path, data: bytes, limits: ReadLimits) -> Document:
    text, encoding = decode_text(data, str(path))
    try:
        values = _rows(text)
    except csv.Error as error:
        raise CorruptFile(path, f"CSV 格式錯誤：{type(error).__name__}") from None
    return Document(elements=sheet_elements(grid_rows(values, [])), encoding=encoding)
