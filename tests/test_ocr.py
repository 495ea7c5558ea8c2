"""Scanned plans read by OCR (tests/fixtures/scans/, made by scripts/make_scans.py
from the digital renderings).

OCR is slow (seconds a page), so these tests read a subset of pages: for each
sample, its title page and the first page of its measure table (pages 1–2),
from both the 300-dpi black-and-white scan and the 200-dpi skewed JPEG scan.
They are scored against the expected measures that the same pages of the
digital PDF hold. Recognition results are shared by every test of a session
(one cache directory per session). Full-document figures for both engines are
in benchmarks/README.md (benchmarks/ocr_bench.py)."""

from __future__ import annotations

import socket
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

from extractor import ExtractSettings, extract
from extractor.errors import PageImage, ScannedPdf
from extractor.ocr.settings import OcrSettings
from normalizers.ocr import confusion_rules, fix_ocr_confusions
from library import read_plan
from tests.scoring import check_agreement, expected_on_pages, load_expected, pdf_pages, score_plan

ROOT = Path(__file__).resolve().parents[1]
SCANS = ROOT / "tests" / "fixtures" / "scans"
FORMATS = ROOT / "tests" / "fixtures" / "formats"
SEEDS = ["000", "001", "002", "003", "004"]
PAGES = {"002": [0, 1, 2]}  # 002's first table page holds only four measures
FIRST_PAGES = [0, 1]  # the title page and the first page of the measure table


@pytest.fixture(scope="session")
def subsets(ocr_cache, tmp_path_factory):
    folder = tmp_path_factory.mktemp("scan-pages")

    def subset(name: str) -> Path:
        source = (SCANS if "_" in name else FORMATS) / f"{name}.pdf"
        return pdf_pages(source, folder / f"{name}.pdf", PAGES.get(name[:3], FIRST_PAGES))

    return subset


@pytest.fixture(scope="session")
def plans(subsets):
    """Each subset read once per session: the plan, after normalization and mapping."""
    read: dict[str, object] = {}

    def plan(name: str):
        if name not in read:
            read[name] = read_plan(subsets(name), ExtractSettings(ocr=OcrSettings(), ocr_jobs=2, progress=False))
        return read[name]

    return plan


MEASURE_CASES = [(seed, "300", 0.95) for seed in SEEDS] + [(seed, "200", 0.90) for seed in SEEDS]


@pytest.mark.slow
@pytest.mark.parametrize("seed, dpi, minimum", MEASURE_CASES)
def test_scanned_plan_measures(plans, seed, dpi, minimum):
    digital = plans(seed)
    expected = expected_on_pages(seed, digital)
    assert len(expected["measures"]) >= 5
    scan = plans(f"{seed}_{dpi}")
    score = score_plan(scan, expected)
    print(f"\n{score.summary(f'{seed}_{dpi} pages 1-2')}")
    assert score.f1 >= minimum, [m["text"][:30] for m in score.missed] + [m.text[:30] for m in score.spurious]
    full = load_expected(seed)
    assert (scan.agency, scan.roc_year) == (full["agency"], full["roc_year"])
    assert scan.framework is not None and digital.framework is not None and scan.framework.id == digital.framework.id
    assert scan.source.ocr_pages == [page + 1 for page in PAGES.get(seed, FIRST_PAGES)]
    assert scan.source.ocr_engine == "tesseract"
    assert all(measure.from_ocr and measure.ocr_confidence for measure in scan.measures)


AGREEMENT_CASES = [(seed, dpi) for seed in SEEDS for dpi in ("300", "200")]


@pytest.mark.slow
@pytest.mark.parametrize("seed, dpi", AGREEMENT_CASES)
def test_scanned_plan_check_agrees_with_digital(plans, seed, dpi):
    agreement, differ = check_agreement(plans(seed), plans(f"{seed}_{dpi}"))
    assert agreement >= 0.97, differ


@pytest.mark.slow
def test_mixed_pdf_reads_only_the_scanned_page(ocr_cache):
    plan = extract(SCANS / "004_mixed.pdf", ExtractSettings(progress=False))
    assert plan.source.ocr_pages == [3]
    on_scan = [m for m in plan.measures if m.location.page == 3]
    assert on_scan and all(m.from_ocr and 0 < m.ocr_confidence <= 1 for m in on_scan)
    assert not any(m.from_ocr for m in plan.measures if m.location.page != 3)
    score = score_plan(plan, load_expected("004"))
    assert score.f1 >= 0.95, score.summary("004_mixed")


@pytest.mark.slow
def test_second_read_is_served_from_the_cache(ocr_cache, monkeypatch):
    extract(SCANS / "004_mixed.pdf", ExtractSettings(progress=False))  # fills the cache (or finds it filled)
    import extractor.ocr.run as run

    def refuse(*args, **kwargs):
        raise AssertionError("a cached page was recognised again")

    monkeypatch.setattr(run, "recognise", refuse)
    assert extract(SCANS / "004_mixed.pdf", ExtractSettings(progress=False)).source.ocr_pages == [3]
    assert list(ocr_cache.rglob("*.json"))


@pytest.mark.slow
def test_page_image_png(ocr_cache):
    plan = extract(SCANS / "003_p3.png", ExtractSettings(require_measures=True, progress=False))
    assert plan.source.format == "image" and plan.source.ocr_pages == [1]
    score = score_plan(plan, load_expected("003"))
    # One page without its header row, read by content: most of what it yields is right.
    assert score.precision >= 0.8 and len(score.matched) >= 10, score.summary("003_p3.png")


def test_the_photographed_sheet_is_found_by_its_corners():
    """scripts/make_scans.py photographed 004's page 3 with the sheet's corners at
    known places (the top edge further from the camera); scans have no corners to find."""
    from extractor.ocr.image import page_corners

    with Image.open(SCANS / "004_photo.jpg") as photo:
        pixels = np.asarray(photo.convert("L"))
    height, width = pixels.shape
    placed = np.array([(width * 0.06, height * 0.02), (width * (1 - 0.06 * 0.6), 0), (width, height), (0, height * 0.99)])
    found = page_corners(pixels)
    assert found is not None and np.abs(found - placed).max() < 0.01 * height, found
    with Image.open(SCANS / "003_p3.png") as scan:
        assert page_corners(np.asarray(scan.convert("L"))) is None


@pytest.mark.slow
def test_photographed_page_is_straightened_and_read(ocr_cache, tmp_path):
    """Perspective and a shadow across the page: the sheet is mapped back to a
    rectangle, and the page reads like the same page of the digital PDF."""
    plan = extract(SCANS / "004_photo.jpg", ExtractSettings(require_measures=True, progress=False))
    assert plan.source.format == "image" and plan.source.ocr_pages == [1]
    digital = extract(pdf_pages(FORMATS / "004.pdf", tmp_path / "004_p3.pdf", [2]), ExtractSettings(progress=False))
    expected = expected_on_pages("004", digital)
    assert len(expected["measures"]) >= 10
    score = score_plan(plan, expected)
    print(f"\n{score.summary('004_photo.jpg')}")
    assert score.f1 >= 0.95, [m["text"][:30] for m in score.missed] + [m.text[:30] for m in score.spurious]
    assert all(measure.from_ocr and measure.ocr_confidence for measure in plan.measures)


@pytest.mark.slow
def test_pages_fed_upside_down_and_sideways_are_turned(ocr_cache):
    from extractor.ocr.recognise import recognise

    with Image.open(SCANS / "001_turned.tif") as tiff:
        tiff.seek(1)
        upside_down = np.asarray(tiff.convert("L"))
        tiff.seek(2)
        sideways = np.asarray(tiff.convert("L"))
    assert recognise(upside_down, 200, OcrSettings()).turned == 180
    page = recognise(sideways, 200, OcrSettings())
    assert page.turned == 270 and page.width < page.height  # it was fed turned 90° clockwise


def test_no_ocr_keeps_the_one_line_errors(cli_process):
    settings = ExtractSettings(ocr=None)
    with pytest.raises(ScannedPdf) as raised:
        extract(SCANS / "001_300.pdf", settings)
    assert "掃描的 PDF，沒有文字層" in raised.value.message
    with pytest.raises(PageImage):
        extract(SCANS / "003_p3.png", settings)
    result = cli_process("--no-ocr", "extract", str(SCANS / "001_300.pdf"))
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "001_300.pdf" in result.stderr


def test_ocr_confusion_rules_examples():
    """Every example in normalizers/data/ocr_confusions.yaml reads as it says."""
    from normalizers import DATA_DIR
    import yaml

    rules = yaml.safe_load((DATA_DIR / "ocr_confusions.yaml").read_text(encoding="utf-8"))["rules"]
    assert len(confusion_rules()) == len(rules)
    for rule in rules:
        for example in rule["examples"]:
            wrong, right = (part.strip() for part in example.split("→"))
            assert fix_ocr_confusions(wrong) == right, (rule["name"], example)


def test_confusions_apply_to_ocr_text_only():
    """A digital file's text keeps what the author typed."""
    plan = extract(FORMATS / "001.docx")
    assert not plan.source.ocr_pages and not any(m.from_ocr for m in plan.measures)


@pytest.mark.slow
def test_rapidocr_reads_without_network(monkeypatch):
    """RapidOCR's models ship in its wheel: it reads a page strip with sockets refused."""
    def no_network(*args, **kwargs):
        raise OSError("network access attempted")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    from extractor.ocr.rapid import recognise

    page = pdfium.PdfDocument(FORMATS / "004.pdf")[0].render(scale=200 / 72, grayscale=True).to_numpy()
    lines = recognise(page[: page.shape[0] // 3], 200, OcrSettings(engine="rapidocr"))
    text = "".join(word.text for line in lines for word in line.words)
    assert "營業處" in text and "112年度" in text


@pytest.mark.slow
def test_make_samples_shows_a_scanned_plan_going_through(cli, ocr_cache):
    """`make samples` ends with `plancheck samples --folder corpus/scanned`: sample 001 scanned at 200 dpi."""
    result = cli("samples", "--folder", str(ROOT / "corpus" / "scanned"))
    assert result.returncode == 0, result.stderr
    assert "經濟部水利署第二河川局" in result.stdout and "民國 102 年" in result.stdout
    assert "掃描檔：第 1、2、3 頁以文字辨識" in result.stdout


def _sections_of(lines: list[str], ocr: bool = True) -> list[str]:
    from extractor.elements import Document, Paragraph
    from extractor.metadata import find_sections

    document = Document([Paragraph(text, line=index, page=1) for index, text in enumerate(lines)],
                        ocr_pages={1: 0.9} if ocr else {})
    return [section.title for section in find_sections(document)]


def test_a_heading_whose_numeral_ocr_misread_still_opens_its_section():
    """「貳、計畫目標」 read as 「蛋、計畫目標」 (or 「轉、」, 「踢、」) in a gap of the
    numbering, as every such line before the next heading, or one after the last."""
    assert _sections_of(["壹、計畫依據", "依據行政院函頒方案。", "蛋、計畫目標", "提升服務品質。",
                         "品、實施對象", "本府所屬機關。", "肆、計畫內容"]) == ["計畫依據", "計畫目標", "實施對象", "計畫內容"]
    assert _sections_of(["壹、計畫依據", "依據方案。", "貳、計畫目標", "目標。", "蛋、實施對象", "本府所屬機關。"]) \
        == ["計畫依據", "計畫目標", "實施對象"]
    # No gap in the numbering, a sentence, or a digital page: body text, not a heading.
    assert _sections_of(["壹、計畫依據", "註、附表僅供參考", "貳、計畫目標"]) == ["計畫依據", "計畫目標"]
    assert _sections_of(["壹、計畫依據", "蛋、依據行政院函頒方案，訂定本計畫。", "參、實施對象"]) == ["計畫依據", "實施對象"]
    assert _sections_of(["壹、計畫依據", "蛋、計畫目標", "參、實施對象"], ocr=False) == ["計畫依據", "實施對象"]
