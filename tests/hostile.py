"""Hostile but well-formed plan files, built from the samples' own words: a
table nested many levels deep, a cell of millions of characters, a table of
thousands of rows. tests/test_robustness.py reads them at a size a test run
affords; benchmarks/hostile_bench.py at full size."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from tests import FIXTURES

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def w_par(text: str) -> str:
    return f"<w:p><w:r><w:t xml:space=\"preserve\">{escape(text)}</w:t></w:r></w:p>"


def w_table(rows: list[list[str]]) -> str:
    body = "".join("<w:tr>" + "".join(f"<w:tc>{cell if cell.startswith('<') else w_par(cell)}</w:tc>" for cell in row)
                   + "</w:tr>" for row in rows)
    return f"<w:tbl><w:tblPr/><w:tblGrid/>{body}</w:tbl>"


def docx(path: Path, body: str) -> Path:
    """A .docx: python-docx's default package with this body."""
    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>'
                        f'{body}<w:sectPr/></w:body></w:document>').encode()
            target.writestr(item, data)
    return path


T = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
     'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
     'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def odt(path: Path, body: str) -> Path:
    """An .odt: the 000 fixture's package with this body."""
    with zipfile.ZipFile(FIXTURES / "000.odt") as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "content.xml":
                data = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {T} office:version="1.2">'
                        f"<office:body><office:text>{body}</office:text></office:body>"
                        "</office:document-content>").encode()
            target.writestr(item, data, compress_type=item.compress_type)
    return path


def o_table(rows: list[list[str]]) -> str:
    body = "".join("<table:table-row>" + "".join(f"<table:table-cell><text:p>{escape(c)}</text:p></table:table-cell>"
                                                 for c in row) + "</table:table-row>" for row in rows)
    return f'<table:table table:name="t"><table:table-column table:number-columns-repeated="3"/>{body}</table:table>'


TITLE = "臺北市政府105年度提升服務品質執行計畫"
HEAD = ["面向", "執行策略", "具體推動作法"]


def many_rows(count: int) -> list[list[str]]:
    return [HEAD] + [[f"{'一二三'[i % 3]}、優質便民服務", f"({i % 9 + 1})推動便捷服務",
                      f"{i + 1}.簡化申辦流程，每3個月檢討{i}次，縮短案件處理時間。"] for i in range(count)]


def structural(folder: Path, rows: int = 2_000, repeats: int = 20_000) -> list[Path]:
    """The structural cases; ``rows`` rows in the long tables, the huge cell ``repeats`` times 14 characters."""
    nested = w_par("最內層")
    for depth in range(60):
        nested = w_table([[f"第{depth}層", nested]])
    huge = "提升服務品質，簡化申辦流程。" * repeats
    paths = [
        docx(folder / "nested_tables.docx", w_par(TITLE) + w_table([HEAD, ["一、優質便民服務", "(一)便捷", nested]])),
        docx(folder / "huge_cell.docx", w_par(TITLE) + w_table([HEAD, ["一、優質便民服務", "(一)便捷", huge]])),
        docx(folder / f"rows_{rows}.docx", w_par(TITLE) + w_table(many_rows(rows))),
        docx(folder / "empty_body.docx", ""),
        odt(folder / f"rows_{rows}.odt", f"<text:p>{TITLE}</text:p>" + o_table(many_rows(rows))),
        odt(folder / "huge_cell.odt", f"<text:p>{TITLE}</text:p>" + o_table([HEAD, ["一、服務", "(一)便捷", huge]])),
    ]
    nested_html = "最內層"
    for depth in range(200):
        nested_html = f"<table><tr><td>第{depth}層</td><td>{nested_html}</td></tr></table>"
    html = folder / "nested_tables.html"
    html.write_text(f"<html><body><p>{TITLE}</p>{nested_html}</body></html>", encoding="utf-8")
    paths.append(html)
    return paths


def nested_docx(path: Path, depth: int) -> Path:
    nested = w_par("最內層")
    for level in range(depth):
        nested = w_table([[f"第{level}層", nested]])
    return docx(path, w_par(TITLE) + w_table([HEAD, ["一、優質便民服務", "(一)便捷", nested]]))


def nested_html(path: Path, depth: int) -> Path:
    nested = "最內層"
    for level in range(depth):
        nested = f"<table><tr><td>第{level}層</td><td>{nested}</td></tr></table>"
    path.write_text(f"<html><body><p>{TITLE}</p>{nested}</body></html>", encoding="utf-8")
    return path
