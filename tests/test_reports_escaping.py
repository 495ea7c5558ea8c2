"""A plan cannot inject anything into the reports.

A real sample plan (seed 004 as HTML, tests/fixtures/formats/004.html) gets
markup and spreadsheet formulas written into its measures, and its file name is
itself markup or a formula. Every report format is produced by the real batch,
then: the HTML shows the text but runs nothing (checked in headless Chromium
too), the Markdown carries no raw tags, no CSV cell starts like a formula, and
no XLSX cell is a formula."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import html as lxml_html
from openpyxl import load_workbook

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "formats" / "004.html"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

SCRIPT = "<script>document.documentElement.dataset.pwned=1</script>"
FORMULAS = {
    # measure text as written in the plan → a formula put at its start, where the quote begins
    "(2)辦理內部同仁滿意度調查。": "@SUM(1+1)*cmd|' /C calc' ",
    "提供線上服務注意使用者隱私權保護措施。": "+cmd|' /C calc' ",
}
# The classic payload; its "!" ends a clause, so the quote starts after it and
# the file name (NAMES[0]) carries it to the start of a cell instead.
DDE = "=cmd|' /C calc'!A0 "
NAMES = ("=cmd|' -C calc'!A0.html", "<img src=x onerror=document.documentElement.dataset.pwned=2>.html")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def poisoned_plan() -> str:
    text = FIXTURE.read_text(encoding="utf-8")
    for measure, payload in FORMULAS.items():
        assert text.count(measure) == 1, measure
        marker = measure[:3] if measure.startswith("(") else ""
        text = text.replace(measure, marker + payload + measure[len(marker):], 1)
    # In an HTML plan the markup has to be written as text (&lt;…) to be part of the measure.
    escaped = SCRIPT.replace("<", "&lt;").replace(">", "&gt;")
    assert text.count("(1)設置全功能單一窗口櫃檯，") == 1
    return text.replace("(1)設置全功能單一窗口櫃檯，", f"(1){DDE}設置全功能單一窗口櫃檯{escaped}，", 1)


@pytest.fixture(scope="module")
def out(cli, tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("escaping")
    (work / "in").mkdir()
    for name in NAMES:
        (work / "in" / name).write_text(poisoned_plan(), encoding="utf-8")
    result = cli("check", *NAMES, "--out", str(work / "out"), "--format", "html,md,json,csv,xlsx,odt,docx",
                 "--jobs", "1", cwd=work / "in")
    assert result.returncode == 0, result.stderr
    return work / "out"


def files(out: Path, suffix: str) -> list[Path]:
    found = sorted(out.rglob(f"*{suffix}"))
    assert len(found) == len(NAMES) + 1, found  # a report per plan and the summary
    return found


def test_the_payloads_reach_the_reports(out):
    """Otherwise the tests below would prove nothing."""
    reports = [p.read_text(encoding="utf-8") for p in files(out, ".json") if p.parent.name == "plans"]
    for report in reports:
        assert SCRIPT in report
        for payload in FORMULAS.values():
            assert f'"quote": "{payload}' in report, payload


def test_html_shows_markup_as_text_and_runs_none_of_it(out):
    shown = ""
    for path in files(out, ".html"):
        page = lxml_html.fromstring(path.read_text(encoding="utf-8"))
        scripts = page.xpath("//script")
        assert len(scripts) == (1 if path.name == "summary.html" else 0)
        assert all("pwned" not in (s.text or "") for s in scripts)
        assert not page.xpath("//img") and not page.xpath("//@*[starts-with(name(), 'on')]")
        text = page.text_content()
        shown += text
        if path.parent.name == "plans":
            assert SCRIPT in text
        csp = page.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
        assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("script-src")[1]
    assert shown.count(NAMES[1]) >= 2  # in its own report and in the summary


def test_markdown_has_no_raw_markup(out):
    texts = [path.read_text(encoding="utf-8") for path in files(out, ".md")]
    for text in texts:
        assert "<script" not in text and "<img" not in text
    assert sum("&lt;img src=x onerror" in text for text in texts) >= 2
    assert sum("&lt;script&gt;" in text for text in texts) == len(NAMES)


def test_no_csv_cell_starts_like_a_formula(out):
    cells = []
    for path in files(out, ".csv"):
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))):
            cells += row
    assert not [cell for cell in cells if cell.startswith(FORMULA_START)]
    # The text is kept, behind an apostrophe: the file name and each quote that began with a formula.
    assert f"'{NAMES[0]}" in cells
    for payload in FORMULAS.values():
        assert any(cell.startswith("'" + payload.strip()[:6]) for cell in cells), payload


def test_no_xlsx_cell_is_a_formula(out):
    values = []
    for path in files(out, ".xlsx"):
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                if member.startswith("xl/worksheets/"):
                    assert b"<f>" not in archive.read(member) and b"<f " not in archive.read(member), member
        for sheet in load_workbook(path).worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (path.name, sheet.title, cell.coordinate, cell.value)
                    values.append(cell.value)
    assert NAMES[0] in values  # stored as the text it is, no apostrophe needed
    for payload in FORMULAS.values():
        assert any(isinstance(v, str) and v.startswith(payload.strip()[:6]) for v in values), payload


def test_word_processor_files_keep_the_text_as_text(out):
    from docx import Document
    from odf import teletype
    from odf.opendocument import load

    for path in files(out, ".docx"):
        if path.parent.name == "plans":
            text = "\n".join(c.text for t in Document(str(path)).tables for r in t.rows for c in r.cells)
            assert SCRIPT in text
    for path in files(out, ".odt"):
        if path.parent.name == "plans":
            assert SCRIPT in teletype.extractText(load(str(path)).text)


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed: run scripts/setup.sh")
def test_chromium_runs_no_injected_script(out, tmp_path):
    for path in [*sorted((out / "plans").glob("*.html")), out / "summary.html"]:
        result = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
             "--dump-dom", path.as_uri()],
            capture_output=True, text=True, timeout=120, check=True,
        )
        root = lxml_html.fromstring(result.stdout)
        assert root.get("data-pwned") is None, path.name
        assert "pwned" in root.text_content()  # the payload is on the page, as text
