"""The reports as people see them: ODT and DOCX converted to PDF by LibreOffice
headless, the HTML pages rendered by headless Chromium, both read back.

Needs the Debian packages of scripts/debian-packages.txt (libreoffice-writer,
fonts-noto-cjk, chromium), which scripts/setup.sh installs."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from contextlib import closing
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image

import corpus
from library import check_file
from plancheck.batch import BatchSettings, check_batch
from outputs.reports.view import STATUS_LABELS
from tests import sample

pytestmark = pytest.mark.slow

SEED = sample("001")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def pdf_text(pdf) -> str:
    """The PDF's text without spaces or line breaks; NFKC because PDF fonts map
    some glyphs to the Kangxi radicals (⽔ for 水)."""
    text = "".join(page.extract_text() or "" for page in pdf.pages)
    return unicodedata.normalize("NFKC", text).replace(" ", "").replace("\n", "")


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("render")
    # An empty corpus: the exemplar section is shown, a heading per gap with no examples.
    db = tmp_path_factory.mktemp("corpus") / "corpus.sqlite"
    with closing(corpus.connect(db, create=True)):
        pass
    settings = BatchSettings(out_dir=folder, formats=("html", "odt", "docx"), jobs=1, corpus_db=db)
    lines: list[str] = []
    assert check_batch([SEED], settings, None, lines.append, lines.append) == 0, lines
    return folder


@pytest.fixture(scope="module")
def report():
    return check_file(SEED, None)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: run scripts/setup.sh")
@pytest.mark.parametrize("fmt", ["odt", "docx"])
def test_libreoffice_converts_the_report_to_pdf_with_its_chinese_text(out, report, fmt, tmp_path):
    source = out / "plans" / f"{SEED.stem}.{fmt}"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    with pdfplumber.open(tmp_path / f"{SEED.stem}.pdf") as pdf:
        text = pdf_text(pdf)
        fonts = {char["fontname"] for page in pdf.pages for char in page.chars}
    assert "服務品質計畫檢查報告" in text and unicodedata.normalize("NFKC", report.agency) in text
    for status in {v.status for v in report.items}:
        assert STATUS_LABELS[status] in text
    # Each gap is a heading of its own in the exemplar section: name and verdict, unwrapped.
    gaps = [v for v in report.items if v.status in ("missing", "partial")]
    assert gaps
    for verdict in gaps:
        heading = f"{verdict.name}（{STATUS_LABELS[verdict.status]}）"
        assert unicodedata.normalize("NFKC", heading).replace(" ", "") in text
    assert any("NotoSansCJK" in font for font in fonts), fonts


def _screenshot(page: Path, png: Path, profile: Path) -> Image.Image:
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
         "--hide-scrollbars", "--window-size=1200,1600", f"--screenshot={png}", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    return Image.open(png).convert("RGB")


def _is_not_blank(image: Image.Image) -> tuple[bool, float, int]:
    """Not one colour, and dark (text) pixels cover a plausible share of the page."""
    grey = image.convert("L")
    histogram = grey.histogram()
    dark = sum(histogram[:100]) / (image.width * image.height)
    colours = len(image.getcolors(maxcolors=1 << 20) or [])
    return colours > 50 and 0.005 < dark < 0.5, dark, colours


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed: run scripts/setup.sh")
@pytest.mark.parametrize("page", ["report", "summary"])
def test_chromium_renders_the_html(out, page, tmp_path):
    file = out / "summary.html" if page == "summary" else out / "plans" / f"{SEED.stem}.html"
    image = _screenshot(file, tmp_path / "shot.png", tmp_path / "profile")
    ok, dark, colours = _is_not_blank(image)
    assert ok, f"screenshot looks empty: {dark:.4f} dark share, {colours} colours"
    # The verdict colours of the stylesheet are on the page: inline CSS was applied.
    reds = sum(1 for r, g, b in image.get_flattened_data() if r > g + 60 and r > b + 60)
    assert reds > 20


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed: run scripts/setup.sh")
def test_chromium_prints_the_report_on_a4(out, tmp_path):
    pdf_path = tmp_path / "report.pdf"
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
         "--no-pdf-header-footer", f"--print-to-pdf={pdf_path}", (out / "plans" / f"{SEED.stem}.html").as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    with pdfplumber.open(pdf_path) as pdf:
        width, height = pdf.pages[0].width, pdf.pages[0].height
        text = pdf_text(pdf)
    assert abs(width - 595) < 3 and abs(height - 842) < 3, (width, height)  # A4 in points
    assert "必辦項目逐項檢查" in text
