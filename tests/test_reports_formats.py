"""Every report format, opened with its own library, says what the checker found.

The five sample plans are checked for real (``check_file``), written in every
format by the batch runner, and each file is read back: verdicts, reasons and
the Chinese text must be the checker's, tables must be real tables, the CJK font
must be declared, and the JSON must follow its schema."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from lxml import html as lxml_html
from odf import teletype
from odf.opendocument import load as load_odt
from odf.table import Table as OdfTable
from odf.table import TableRow as OdfRow
from odf.text import H as OdfHeading
from openpyxl import load_workbook

from library import check_file
from models import CheckReport
from outputs.reports import FORMATS
from outputs.reports.summary import BatchSummary
from outputs.reports.view import STATUS_LABELS
from tests import ROOT, SAMPLES

STATUSES = set(STATUS_LABELS)


@pytest.fixture(scope="module")
def expected() -> dict[str, CheckReport]:
    """The checker's own results, computed independently of the batch runner."""
    return {str(path): check_file(path, None) for path in SAMPLES}


@pytest.fixture(scope="module")
def out(sample_reports) -> Path:
    return sample_reports


@pytest.fixture(scope="module")
def summary(out) -> BatchSummary:
    return BatchSummary.model_validate_json((out / "summary.json").read_text(encoding="utf-8"))


def report_file(summary: BatchSummary, out: Path, path: str, fmt: str) -> Path:
    plan = next(p for p in summary.plans if p.path == path)
    return out / plan.reports[fmt]


def statuses(report: CheckReport) -> dict[str, str]:
    return {v.id: v.status for v in report.items}


def test_the_checker_gives_every_status_somewhere(expected):
    """The samples exercise present, partial and missing, so the format tests below can fail."""
    seen = {v.status for report in expected.values() for v in report.items}
    assert {"present", "partial", "missing"} <= seen


def test_json_report_is_the_check_report(expected, summary, out):
    for path, report in expected.items():
        data = json.loads(report_file(summary, out, path, "json").read_text(encoding="utf-8"))
        assert {"source", "agency", "roc_year", "framework", "profile", "items", "findings"} <= set(data)
        assert CheckReport.model_validate(data) == report
        assert "\\u" not in report_file(summary, out, path, "json").read_text(encoding="utf-8")


def test_summary_json_matrix_and_counts_agree_with_the_reports(expected, summary):
    assert summary.inputs == summary.checked == len(SAMPLES) and summary.failures == []
    assert [p.path for p in summary.plans] == sorted(expected)
    for plan in summary.plans:
        assert plan.statuses == statuses(expected[plan.path])
        assert plan.counts.missing == list(plan.statuses.values()).count("missing")
        assert plan.agency == expected[plan.path].agency
    for item in summary.items:
        column = [p.statuses[item.id] for p in summary.plans if item.id in p.statuses]
        assert item.counts.model_dump() == {s: column.count(s) for s in ("present", "partial", "missing", "not_applicable")}


def test_published_summary_schema_is_current():
    from outputs.reports.summary import summary_schema_json

    published = (ROOT / "docs" / "schema" / "summary.schema.json").read_text(encoding="utf-8")
    assert published == summary_schema_json(), (
        "docs/schema/summary.schema.json is stale: .venv/bin/python -m outputs.reports > docs/schema/summary.schema.json"
    )


def test_csv_report_and_summary(expected, summary, out):
    for path, report in expected.items():
        text = report_file(summary, out, path, "csv").read_text(encoding="utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        assert {(r["項目代碼"], r["結果"]) for r in rows} == {(i, STATUS_LABELS[s]) for i, s in statuses(report).items()}
        quotes = {e.quote for v in report.items for e in v.evidence}
        assert quotes and quotes <= {r["引文"].removeprefix("'") for r in rows}
        reasons = {r["項目代碼"]: r["理由"] for r in rows}
        assert all(reasons[v.id] == v.reason for v in report.items)
    rows = list(csv.DictReader(io.StringIO((out / "summary.csv").read_text(encoding="utf-8-sig"))))
    assert [r["計畫檔案"] for r in rows] == sorted(expected)
    for row in rows:
        report = expected[row["計畫檔案"]]
        assert row["處理結果"] == "已檢查" and row["機關"] == report.agency
        names = {v.id: v.name for v in report.items}
        assert {item: row[names[item]] for item in statuses(report)} == {
            i: STATUS_LABELS[s] for i, s in statuses(report).items()}
        assert int(row["缺漏"]) == list(statuses(report).values()).count("missing")


def test_xlsx_sheets_frozen_filtered_with_verdicts(expected, summary, out):
    for path, report in expected.items():
        book = load_workbook(report_file(summary, out, path, "xlsx"))
        # No --corpus-db: no sheet of other plans' wording (tests/test_batch_exemplars.py has it with one).
        assert book.sheetnames == ["必辦項目", "面向涵蓋", "結構檢查", "基本資料"]
        for sheet in book.worksheets:
            assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
        items = book["必辦項目"]
        header = [c.value for c in items[1]]
        got = {(row[0], row[2]) for row in items.iter_rows(min_row=2, values_only=True)}
        assert got == {(v.id, STATUS_LABELS[v.status]) for v in report.items}
        names = {row[1] for row in items.iter_rows(min_row=2, values_only=True)}
        assert {v.name for v in report.items} <= names and header[:3] == ["項目代碼", "項目", "結果"]
        identity = dict(book["基本資料"].iter_rows(values_only=True))
        assert identity["機關"] == (report.agency or "（未能辨識）")
    book = load_workbook(out / "summary.xlsx")
    assert book.sheetnames == ["計畫矩陣", "項目統計", "無法讀取"]
    matrix = book["計畫矩陣"]
    assert matrix.auto_filter.ref and matrix.freeze_panes in ("A2", "B2")
    header = [c.value for c in matrix[1]]
    for row in matrix.iter_rows(min_row=2, values_only=True):
        report = expected[row[0]]
        for verdict in report.items:
            column = header.index(verdict.name or verdict.id)
            assert row[column] == STATUS_LABELS[verdict.status], (row[0], verdict.id)


def _odt_texts(path: Path) -> tuple[list[str], list[list[list[str]]], str]:
    doc = load_odt(str(path))
    headings = [teletype.extractText(h) for h in doc.getElementsByType(OdfHeading)]
    tables = [
        [[teletype.extractText(cell) for cell in row.childNodes] for row in table.getElementsByType(OdfRow)]
        for table in doc.getElementsByType(OdfTable)
    ]
    return headings, tables, doc.xml().decode("utf-8") if isinstance(doc.xml(), bytes) else doc.xml()


def test_odt_has_headings_tables_and_cjk_font(expected, summary, out):
    for path, report in expected.items():
        file = report_file(summary, out, path, "odt")
        headings, tables, _ = _odt_texts(file)
        assert "必辦項目逐項檢查" in headings and "面向涵蓋情形" in headings
        items_table = next(t for t in tables if t[0][:2] == ["項目", "結果"])
        assert len(items_table) == len(report.items) + 1
        for row, verdict in zip(items_table[1:], report.items):
            assert verdict.id in row[0] and STATUS_LABELS[verdict.status] in row[1] and row[2] == verdict.reason
        archive = zipfile.ZipFile(file)
        first = archive.infolist()[0]  # ODF: an uncompressed mimetype member first
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        styles = archive.read("styles.xml").decode("utf-8")
        assert 'style:font-name-asian="Noto Sans CJK TC"' in styles
    headings, tables, _ = _odt_texts(out / "summary.odt")
    assert headings[0] == "計畫檢查總表"
    assert [row[0] for row in tables[0][1:]] == sorted(expected)


def test_docx_has_headings_tables_and_east_asian_font(expected, summary, out):
    from docx import Document

    for path, report in expected.items():
        file = report_file(summary, out, path, "docx")
        document = Document(str(file))
        headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
        assert "必辦項目逐項檢查" in headings and "結構檢查" in headings
        table = next(t for t in document.tables if t.rows[0].cells[0].text == "項目" and t.rows[0].cells[1].text == "結果")
        assert len(table.rows) == len(report.items) + 1
        for row, verdict in zip(table.rows[1:], report.items):
            assert verdict.id in row.cells[0].text and STATUS_LABELS[verdict.status] in row.cells[1].text
        styles = zipfile.ZipFile(file).read("word/styles.xml").decode("utf-8")
        assert 'w:eastAsia="Noto Sans CJK TC"' in styles
        assert report.agency in "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)


def test_html_is_self_contained_printable_and_right(expected, summary, out):
    for path, report in expected.items():
        source = report_file(summary, out, path, "html").read_text(encoding="utf-8")
        page = lxml_html.fromstring(source)
        rows = page.xpath("//table[contains(@class, 'items')]/tbody/tr")
        assert {r.get("data-item"): r.get("data-status") for r in rows} == statuses(report)
        for row, verdict in zip(rows, report.items):
            assert STATUS_LABELS[verdict.status] in row.xpath("string(td[2])")
            assert row.xpath("string(td[3])").strip() == verdict.reason
        assert report.agency in page.xpath("string(//dl[@class='identity'])")
        assert not page.xpath("//script") and not page.xpath("//link") and not page.xpath("//img[@src]")
        assert "@page" in source and not re.search(r"(src|href)=\"(https?:)?//", source) and "@import" not in source
        assert page.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0].endswith("script-src 'none'")
    page = lxml_html.fromstring((out / "summary.html").read_text(encoding="utf-8"))
    body_rows = page.xpath("//table[contains(@class, 'matrix')]/tbody/tr")
    assert [r.get("data-path") for r in body_rows] == sorted(expected)
    assert len(page.xpath("//script")) == 1 and page.xpath("//table[contains(@class, 'sortable')]")


def test_markdown_lists_every_item(expected, summary, out):
    for path, report in expected.items():
        text = report_file(summary, out, path, "md").read_text(encoding="utf-8")
        assert text.startswith("# 服務品質計畫檢查報告")
        for verdict in report.items:
            line = next(line for line in text.splitlines() if f"| {verdict.id} |" in line.replace("\\-", "-"))
            assert STATUS_LABELS[verdict.status] in line
    text = (out / "summary.md").read_text(encoding="utf-8")
    assert "## 計畫 × 必辦項目" in text and "所有檔案皆已讀取" in text


def test_implementation_plan_is_marked_as_guidance(expected, summary, out):
    """A supervising body's 實施計畫 (seed 002) is checked all the same, and the report says what it is."""
    guidance = [path for path, report in expected.items() if report.plan_kind.value == "supervising"]
    assert guidance, "seed 002 is a 實施計畫"
    for path in guidance:
        page = lxml_html.fromstring(report_file(summary, out, path, "html").read_text(encoding="utf-8"))
        assert "上級機關的實施計畫" in page.xpath("string(//p[@id='guidance'])")


def test_every_registered_format_is_one_module_with_both_renderers():
    from outputs.reports import parse_formats, renderer

    for name in FORMATS:
        module = renderer(name)
        assert module.extension == name and callable(module.render_report) and callable(module.render_summary)
    assert parse_formats(" HTML,json,html ") == ("html", "json")
    with pytest.raises(ValueError, match="pdf"):
        parse_formats("html,pdf")
