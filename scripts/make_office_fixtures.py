"""The office and archive fixtures of tests/test_office_formats.py, made from the
format fixtures scripts/make_fixtures.py wrote (tests/fixtures/formats/NNN.docx and
the logical rows of tests/expected/NNN.yaml):

1. NNN.doc and NNN.rtf: each NNN.docx saved by LibreOffice headless as Word 97–2003
   ("MS Word 97") and as Rich Text Format. locked.doc: 001.docx saved as Word 97–2003
   with a password, through LibreOffice's UNO API (scripts/lo_password_doc.py, run
   with the system Python and python3-uno; the command line cannot set a password).
2. NNN.xlsx (every seed): the measure table as a secretariat keeps it in Excel — the
   plan's title in row 1 merged across the columns, the header on row 3, 面向 and
   執行策略 cells merged down the rows they head, a sub-heading header merged across
   its two columns, one line per item or value in a cell (Alt+Enter), written with
   openpyxl.
3. NNN.ods (seeds 000, 001, 004, whose first column is the 面向): one sheet per 面向,
   named after it, with the title in row 1, the 面向 in row 2 and the header (without
   a 面向 column) on row 3, written with odfpy.
4. 003.csv: seed 003's table as Excel's "CSV UTF-8" export writes the .xlsx: a merged
   cell's text in its first row, empty cells under it, a byte-order mark.
5. plans.zip: a ministry's submissions — folders per agency, a .docx, an .rtf, an
   .html, the .csv, and a zip inside the zip holding an .xlsx — plus a __MACOSX
   folder of resource forks a Mac adds (skipped).
6. banner.pdf: 002.pdf behind a 600-byte mail-gateway banner (readers accept %PDF- in
   the first 1024 bytes). strict.docx: 003.docx saved as Strict Open XML, i.e. with
   the ISO 29500 Strict namespaces (http://purl.oclc.org/ooxml/...) and
   w:conformance="strict" as Word writes them; LibreOffice cannot write Strict.

Usage: .venv/bin/python scripts/make_office_fixtures.py [--out tests/fixtures/formats]
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_fixtures import LAYOUTS, ROOT, Item, Layout, LogicalRow, _heading_spans, logical_rows, soffice  # noqa: E402

SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
ODS_SEEDS = ("000", "001", "004")


def _expected(seed: str) -> dict:
    return yaml.safe_load((ROOT / "tests" / "expected" / f"{seed}.yaml").read_text(encoding="utf-8"))


def _item_lines(items: list[Item]) -> list[str]:
    lines = []
    for item in items:
        lines.append(item.label)
        lines.extend(_item_lines(item.children))
    return lines


def _value_lines(logical: LogicalRow, kind: str) -> list[str]:
    return ["、".join(item.first_leaf().units) if kind == "units" else (item.first_leaf().deadline or "")
            for item in logical.items]


def sheet_grid(rows: list[LogicalRow], layout: Layout, heading_columns: range) -> tuple[list[str], list[list[str]], list[tuple[int, int, int, int]]]:
    """(header, body rows, merges) of the measure table with the heading
    columns ``heading_columns``; merges are (top, left, bottom, right) in body
    coordinates, the header's merge at row -1."""
    spans = _heading_spans(rows, layout)
    shown = list(heading_columns)
    header = [layout.header[col] for col in shown]
    measure_side = list(layout.header[layout.heading_columns:])
    merges: list[tuple[int, int, int, int]] = []
    if layout.sub_column:
        merges.append((-1, len(header), -1, len(header) + 1))
        measure_side = [measure_side[0], "", *measure_side[1:]]
    header += measure_side
    body = []
    for index, logical in enumerate(rows):
        cells = []
        for col in shown:
            span = spans.get((index, col))
            cells.append("\n".join(logical.heads[col]) if span is not None else "")
            if span and span > 1:
                merges.append((index, len(cells) - 1, index + span - 1, len(cells) - 1))
        items = "\n".join(_item_lines(logical.items))
        if layout.sub_column:
            if logical.sub is None:
                merges.append((index, len(cells), index, len(cells) + 1))
                cells += [items, ""]
            else:
                cells += [logical.sub, items]
        else:
            cells.append(items)
        cells += ["\n".join(_value_lines(logical, kind)) for kind in layout.values]
        body.append(cells)
    return header, body, merges


def write_xlsx(seed: str, out: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    layout, expected = LAYOUTS[seed], _expected(seed)
    header, body, merges = sheet_grid(logical_rows(expected, layout), layout, range(layout.heading_columns))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "措施表"
    sheet.cell(1, 1, expected["title"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    first = 3  # the header row, under the title and a blank row
    for col, word in enumerate(header, start=1):
        if word:
            sheet.cell(first, col, word)
    for r, cells in enumerate(body, start=first + 1):
        for c, text in enumerate(cells, start=1):
            if text:
                sheet.cell(r, c, text).alignment = Alignment(wrap_text=True, vertical="top")
    for top, left, bottom, right in merges:
        sheet.merge_cells(start_row=first + 1 + top, start_column=left + 1, end_row=first + 1 + bottom, end_column=right + 1)
    workbook.save(out)
    return out


def _ods_cell(text: str, rowspan: int = 1, colspan: int = 1):
    from odf.table import TableCell
    from odf.text import P

    attributes = {"valuetype": "string"} if text else {}
    if rowspan > 1:
        attributes["numberrowsspanned"] = rowspan
    if colspan > 1:
        attributes["numbercolumnsspanned"] = colspan
    cell = TableCell(**attributes)
    for line in text.split("\n") if text else []:
        cell.addElement(P(text=line))
    return cell


def _ods_rows(table, grid: list[list[str]], merges: list[tuple[int, int, int, int]]) -> None:
    from odf.table import CoveredTableCell, TableRow

    spans = {(top, left): (bottom - top + 1, right - left + 1) for top, left, bottom, right in merges}
    covered = {(r, c) for top, left, bottom, right in merges for r in range(top, bottom + 1)
               for c in range(left, right + 1) if (r, c) != (top, left)}
    for r, cells in enumerate(grid):
        row = TableRow()
        for c, text in enumerate(cells):
            if (r, c) in covered:
                row.addElement(CoveredTableCell())
            else:
                row.addElement(_ods_cell(text, *spans.get((r, c), (1, 1))))
        table.addElement(row)


def write_ods(seed: str, out: Path) -> Path:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableColumn

    layout, expected = LAYOUTS[seed], _expected(seed)
    rows = logical_rows(expected, layout)
    document = OpenDocumentSpreadsheet()
    groups: list[list[LogicalRow]] = []
    for logical in rows:
        if logical.heads[0] or not groups:
            groups.append([])
        groups[-1].append(logical)
    for group in groups:
        dimension = group[0].heads[0][0]
        header, body, merges = sheet_grid(group, layout, range(1, layout.heading_columns))
        width = len(header)
        grid = [[expected["title"]] + [""] * (width - 1), [dimension] + [""] * (width - 1), header, *body]
        shifted = [(0, 0, 0, width - 1), (1, 0, 1, width - 1)] + [(top + 3, left, bottom + 3, right) for top, left, bottom, right in merges]
        table = Table(name=SHEET_NAME_FORBIDDEN.sub("", dimension)[:31])
        table.addElement(TableColumn(numbercolumnsrepeated=width))
        _ods_rows(table, grid, shifted)
        document.spreadsheet.addElement(table)
    document.save(str(out))
    return out


def write_csv(seed: str, out: Path) -> Path:
    layout, expected = LAYOUTS[seed], _expected(seed)
    header, body, _ = sheet_grid(logical_rows(expected, layout), layout, range(layout.heading_columns))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([expected["title"]] + [""] * (len(header) - 1))
    writer.writerow([""] * len(header))
    writer.writerow(header)
    writer.writerows(body)
    out.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return out


def _zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def write_zip(out_dir: Path) -> Path:
    read = lambda name: (out_dir / name).read_bytes()  # noqa: E731
    inner = _zip_bytes({"臺北市區營業處/004.xlsx": read("004.xlsx")})
    archive = _zip_bytes({
        "經濟部/水利署/000.docx": read("000.docx"),
        "經濟部/第二河川局/001.rtf": read("001.rtf"),
        "高雄市政府/002.html": read("002.html"),
        "內政部/龍井區戶政事務所/003.csv": read("003.csv"),
        "台灣電力公司/各營業處.zip": inner,
        "__MACOSX/經濟部/水利署/._000.docx": b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        ",
    })
    (out_dir / "plans.zip").write_bytes(archive)
    return out_dir / "plans.zip"


BANNER = (b"X-Gateway: scanned by the mail gateway; no threats found\r\n"
          b"X-Original-Filename: plan.pdf\r\n"
          b"Content-Type: application/pdf\r\n\r\n")


def write_banner_pdf(out_dir: Path) -> Path:
    banner = (BANNER * 10)[:600]
    (out_dir / "banner.pdf").write_bytes(banner + (out_dir / "002.pdf").read_bytes())
    return out_dir / "banner.pdf"


_TRANSITIONAL = re.compile(rb"http://schemas\.openxmlformats\.org/(drawingml|officeDocument|wordprocessingml|schemaLibrary)/2006/([\w-]+)")
_STRICT_NAMES = {b"extended-properties": b"extendedProperties", b"custom-properties": b"customProperties"}


def _strict_uri(match: re.Match[bytes]) -> bytes:
    name = match.group(2)
    return b"http://purl.oclc.org/ooxml/%s/%s" % (match.group(1), _STRICT_NAMES.get(name, name))


def write_strict_docx(source: Path, out: Path) -> Path:
    """The .docx as Word's "Strict Open XML Document" writes it: the same parts
    under the Strict namespaces (OPC's package namespaces stay), the document
    marked conformance="strict"."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as strict:
        for info in original.infolist():
            content = original.read(info)
            if info.filename.endswith((".xml", ".rels")):
                content = _TRANSITIONAL.sub(_strict_uri, content)
                if info.filename == "word/document.xml":
                    content = content.replace(b"<w:document ", b'<w:document w:conformance="strict" ', 1)
            strict.writestr(info, content)
    out.write_bytes(buffer.getvalue())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "fixtures" / "formats")
    args = parser.parse_args()
    out: Path = args.out
    with tempfile.TemporaryDirectory() as work:
        for seed in sorted(LAYOUTS):
            for target in ("doc", "rtf"):
                shutil.copy(soffice(out / f"{seed}.docx", target, Path(work)), out / f"{seed}.{target}")
            write_xlsx(seed, out / f"{seed}.xlsx")
            print(f"{seed}: doc rtf xlsx")
    subprocess.run(["/usr/bin/python3", str(Path(__file__).with_name("lo_password_doc.py")), str(out / "001.docx"),
                    str(out / "locked.doc"), "plancheck"], check=True, timeout=300)
    for seed in ODS_SEEDS:
        write_ods(seed, out / f"{seed}.ods")
    write_csv("003", out / "003.csv")
    write_zip(out)
    write_banner_pdf(out)
    write_strict_docx(out / "003.docx", out / "strict.docx")
    print("locked.doc, ods (000 001 004), 003.csv, plans.zip, banner.pdf, strict.docx")


if __name__ == "__main__":
    main()
