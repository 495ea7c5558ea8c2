"""The same plans read from .docx, .odt, .html and .pdf (tests/fixtures/formats/,
made by scripts/make_fixtures.py from the expected files) give the same measures
as the hand-checked expected files, and bad documents give one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor import ExtractSettings, extract
from extractor.errors import CorruptFile, EncryptedFile, PlanError, ScannedPdf, TooLarge
from tests.scoring import load_expected, score_plan

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
SEEDS = ["000", "001", "002", "003", "004"]
FORMATS = ["docx", "odt", "html", "pdf"]
VALUES_SEEDS = {"003", "004"}  # the seeds whose tables have units and deadline columns


def _score(path: Path, seed: str, settings: ExtractSettings | None = None):
    plan = extract(path, settings)
    score = score_plan(plan, load_expected(seed))
    print("\n" + score.summary(f"{seed}.{path.suffix[1:]}"))
    return plan, score


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("seed", SEEDS)
def test_same_measures_in_every_format(seed, fmt):
    plan, score = _score(FIXTURES / f"{seed}.{fmt}", seed)
    assert score.f1 >= 0.99, [m["text"][:30] for m in score.missed] + [m.text[:30] for m in score.spurious]
    if seed in VALUES_SEEDS:
        assert score.units_accuracy >= 0.95
        assert score.deadline_accuracy >= 0.95
    expected = load_expected(seed)
    assert plan.roc_year == expected["roc_year"]
    assert plan.title.replace(" ", "") == expected["title"].replace(" ", "")
    assert plan.source.format == fmt
    if fmt == "pdf":
        assert all(measure.location.page for measure in plan.measures)
        assert plan.source.pages and plan.source.pages > 1
    else:
        assert all(measure.location.line for measure in plan.measures)


@pytest.mark.parametrize("name, seed", [("004_landscape.pdf", "004"), ("002_portrait_breaks.pdf", "002"),
                                        ("004_bands.pdf", "004"), ("004_rotated.pdf", "004")])
def test_rows_broken_across_pages(name, seed):
    """Untagged PDFs whose rows break across pages: landscape, portrait, values
    typed level with their items, heading columns rotated and set vertically."""
    plan, score = _score(FIXTURES / name, seed)
    assert score.f1 >= 0.97
    if seed in VALUES_SEEDS:
        assert score.units_accuracy >= 0.95 and score.deadline_accuracy >= 0.95
    assert all(measure.location.page for measure in plan.measures)
    assert len({measure.location.page for measure in plan.measures}) > 3


def test_docx_automatic_numbering_is_kept():
    """Seed 004's (1) items are Word list numbering in every other row: no (1) is lost."""
    plan = extract(FIXTURES / "004.docx")
    numbers = [measure.number for measure in plan.measures]
    assert sum(1 for number in numbers if number.startswith("(")) >= 60


def test_docx_merged_cells_are_not_duplicated():
    from extractor.readers.docx import read_docx

    document = read_docx(FIXTURES / "004.docx", (FIXTURES / "004.docx").read_bytes())
    texts = [cell.text for table in document.elements if hasattr(table, "rows") for row in table.rows for cell in row.cells]
    assert texts.count("一、基礎服務") == 1
    assert texts.count("具體作法") == 1


@pytest.mark.parametrize("name, error", [
    ("scanned.pdf", ScannedPdf),
    ("encrypted.pdf", EncryptedFile),
    ("truncated.pdf", CorruptFile),
    ("corrupt.docx", CorruptFile),
    ("zipbomb.docx", TooLarge),
])
def test_bad_documents(name, error):
    with pytest.raises(error) as raised:
        extract(FIXTURES / name)
    message = raised.value.message
    assert name in message and "\n" not in message


def test_zip_bomb_limits_are_settings():
    with pytest.raises(TooLarge):
        extract(FIXTURES / "004.docx", ExtractSettings(max_unpacked_bytes=10_000))


def test_damaged_ole_container_is_a_damaged_file(tmp_path):
    """The OLE2 magic and nothing valid behind it: damaged, before LibreOffice is started."""
    (tmp_path / "plan.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(CorruptFile):
        extract(tmp_path / "plan.doc")


def test_format_from_content_not_name(tmp_path):
    renamed = tmp_path / "plan.txt"
    renamed.write_bytes((FIXTURES / "001.docx").read_bytes())
    assert extract(renamed).source.format == "docx"


@pytest.mark.parametrize("name", ["scanned.pdf", "zipbomb.docx", "truncated.pdf"])
def test_cli_one_line_error(cli, name):
    result = cli("extract", str(FIXTURES / name))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and name in lines[0]


def test_plan_error_is_base():
    assert issubclass(TooLarge, PlanError)


# -- tagged PDFs: the structure tree first -------------------------------------------


def _tables(document):
    from extractor.elements import Table

    return [element for element in document.elements if isinstance(element, Table)]


def _read_pdf(name: str):
    from extractor.readers.pdf import read_pdf

    return read_pdf(FIXTURES / name, (FIXTURES / name).read_bytes())


@pytest.mark.parametrize("name, tagged", [("004.pdf", True), ("000.pdf", True), ("004_landscape.pdf", False)])
def test_structure_tree_is_used_where_the_pdf_is_tagged(name, tagged):
    from extractor.readers.pdf import structure_tree
    from extractor.readers.pdf_layer import PdfPages

    with PdfPages((FIXTURES / name).read_bytes()) as pdf:
        assert (structure_tree(pdf) is not None) is tagged


def test_tagged_cell_cut_by_a_page_break_is_one_cell():
    """Seed 003's table crosses pages mid-cell; from the tree it is one table and
    no row is marked as continued (the geometry reader had lost an item here)."""
    document = _read_pdf("003.pdf")
    tables = _tables(document)
    assert len(tables) == 1
    rows = tables[0].rows
    assert not any(row.continues_page for row in rows)
    assert len({row.page for row in rows}) > 3
    texts = [cell.text for row in rows for cell in row.cells]
    assert not any(text in ("面向", "執行策略") for text in texts[6:]), "the repeated header is an artifact, not a row"


def test_tagged_paragraph_continued_on_next_page_keeps_its_text_in_order():
    """pdfplumber's own tree reads a continued paragraph's next-page mcids on its
    first page; the tree is walked with each mcid's page instead."""
    plan = extract(FIXTURES / "000.pdf")
    texts = [measure.text for measure in plan.measures]
    item = next(text for text in texts if text.startswith("電子參與途徑如"))
    assert "Web 2.0" in item and item.rstrip().endswith("Twitter 等社群網絡)服務。")
    assert not any("確保服務" in text and "電子參與途徑" in text for text in texts)


def test_tagged_empty_cells_the_tree_leaves_out_are_put_back():
    """Seed 002's header has a blank first cell, which the exporter writes no TH
    for: without it 實施要項 would slide onto the first column."""
    header = _tables(_read_pdf("002.pdf"))[0].rows[0]
    assert [cell.text for cell in header.cells] == ["", "實施要項", "實施(參考)方法"]


def test_tagged_tree_missing_the_text_falls_back_to_geometry():
    from extractor.readers.pdf import read_tagged, structure_tree
    from extractor.readers.pdf_layer import PdfPages

    with PdfPages((FIXTURES / "004.pdf").read_bytes()) as pdf:
        tree = structure_tree(pdf)

        def without_tables(element):
            return {**element, "children": [without_tables(child) for child in element["children"]
                                            if child["type"] != "Table"]}

        elements, chars = read_tagged(pdf, [without_tables(root) for root in tree], FIXTURES / "004.pdf")
    assert elements is None and chars > 0


def test_tagged_row_split_by_a_page_break_is_folded_into_one_row():
    """LibreOffice writes a row that runs onto the next page as one TR holding
    its cells twice; the second set continues the first."""
    rows = _tables(_read_pdf("002.pdf"))[0].rows
    assert {len(row.cells) for row in rows} == {3}
    split = [row for row in rows if len({page for cell in row.cells for page, _ in cell.positions or []}) > 1]
    assert split, "the fixture has a row continued on the next page"


# -- values on the item's line band ----------------------------------------------


def test_values_typed_level_with_their_items_are_aligned_by_line_band(monkeypatch):
    """004_bands.pdf has each item's units one per line beside it, padded to the
    item's lines: counting paragraphs cannot pair them, the line bands do."""
    import extractor.tree.values

    expected = load_expected("004")
    banded = score_plan(extract(FIXTURES / "004_bands.pdf"), expected)
    monkeypatch.setattr(extractor.tree.values, "bands_of", lambda cell, items: None)
    counted = score_plan(extract(FIXTURES / "004_bands.pdf"), expected)
    print(f"\nunits by band {banded.units_accuracy:.3f}, by count {counted.units_accuracy:.3f}")
    assert banded.units_accuracy >= 0.95 and banded.deadline_accuracy >= 0.95
    assert counted.units_accuracy < 0.8, "the fixture must need the bands"


def _line(text: str, x0: float, top: float, size: float = 10.5):
    from extractor.readers.pdf import Line

    width = sum(size if ord(ch) > 0x2e80 else 0.6 * size for ch in text)
    return Line(text=text, x0=x0, x1=x0 + width, top=top, bottom=top + size, size=size)


def test_author_lines_tell_typed_breaks_from_wrapping():
    from extractor.readers.pdf import author_lines

    box = (100.0, 0.0, 157.0, 200.0)  # a 2 cm units column, 5.6 pt padding
    stacked = author_lines([_line("業務組", 105.6, 10), _line("北客服", 105.6, 25)], box)
    assert [lines for lines, _ in stacked] == [["業務組"], ["北客服"]]
    assert [top for _, top in stacked] == [10, 25]
    wrapped = author_lines([_line("隨時辦", 105.6, 10), _line("理、持續", 105.6, 25)], box)
    assert [lines for lines, _ in wrapped] == [["隨時辦", "理、持續"]], "理、 may not be split: 隨時辦 wrapped"
    wide = (100.0, 0.0, 400.0, 200.0)
    latin = author_lines([_line("有系統地建立「常見問題集」有系統地建立「常見問題集」", 105.6, 10),
                          _line("(FAQ)管理機制", 105.6, 25)], wide)
    assert len(latin) == 1, "(FAQ) did not fit at the end of the line above"


def test_deadlines_typed_under_each_other_are_separate_values():
    from extractor.align import deadline_values

    assert deadline_values([["持續辦理", "持續辦理"]]) == ["持續辦理", "持續辦理"]
    assert deadline_values([["持續", "辦理"]]) == ["持續辦理"]


def test_debug_says_how_a_pdf_was_read(cli):
    result = cli("debug", str(FIXTURES / "004.pdf"))
    assert "structure tree (tagged PDF)" in result.stdout.splitlines()[0]


def test_rotated_and_vertical_heading_columns_read_in_order():
    """004_rotated.pdf: 面向 turned 90° (read bottom to top), 執行策略 set
    vertically (CJK top to bottom, its brackets turned)."""
    plan = extract(FIXTURES / "004_rotated.pdf")
    first = plan.measures[0]
    assert first.path[0] == "一、基礎服務"
    assert first.path[1].replace(" ", "") == "(一)服務一致及正確性"


# -- real layouts of seed 004 (issue 13 item 2; scripts/make_fixtures.py --only layouts) -------------


@pytest.mark.parametrize("name", ["004_borderless.docx", "004_borderless.pdf", "004_split.docx", "004_split.pdf",
                                  "004_band_rows.docx", "004_band_rows.pdf", "004_borderless_band_rows.pdf",
                                  "004_extra_columns.docx", "004_outline.docx", "004_outline.pdf",
                                  "004_vertical_facet.docx", "004_vertical_facet.pdf"])
def test_real_layouts_read(name):
    """A table without ruling lines, one table per 面向 under its heading paragraph, 面向 as full-width
    band rows (ruled or not), extra 項次/預期效益/預期目標/檢討管考 columns, no table at all (a numbered
    outline with 「（承辦單位：…；完成期限：…）」 after each item), and 面向 typed one character per line in
    a narrow column: every measure, under the path the table gives it."""
    plan, score = _score(FIXTURES / name, "004")
    assert score.f1 >= 0.99, [m["text"][:30] for m in score.missed] + [m.text[:30] for m in score.spurious]
    assert score.path_accuracy >= 0.99
    assert score.units_accuracy >= 0.95 and score.deadline_accuracy >= 0.95
    facets = {measure.path[0] for measure in plan.measures if measure.path}
    assert facets == {"一、基礎服務", "二、服務遞送", "三、服務量能", "四、服務評價", "五、開放創新"}, facets


def test_extra_columns_text_is_never_a_measure():
    plan = extract(FIXTURES / "004_extra_columns.docx")
    repeated = {text for _, text in (("預期效益", "提升本處為民服務效能"), ("預期目標", "使顧客享有專業、便捷及高效率之服務"),
                                     ("檢討管考", "持續推動服務效率"))}
    assert not any(measure.text in repeated for measure in plan.measures)
    assert not any(measure.text.isdigit() for measure in plan.measures)


def test_outline_reads_units_and_deadline_from_the_clause():
    plan = extract(FIXTURES / "004_outline.pdf")
    assert plan.method.value == "outline"
    assert not any("承辦單位" in measure.text for measure in plan.measures)


def test_outline_heading_labels_are_levels_of_the_path():
    """In an outline whose measures close with 「（承辦單位：…）」, a short line without a clause is a
    heading (「1.突破成長」, 「提升同仁行策政效率」), not the wrapped start of the measure after it."""
    for name in ("004_outline.docx", "004_outline.pdf"):
        plan = extract(FIXTURES / name)
        by_start = {measure.text[:6]: measure for measure in plan.measures}
        assert by_start["運用創新策略"].path[-1].replace(" ", "") == "1.突破成長" and by_start["運用創新策略"].number == ""
        assert [label.replace(" ", "") for label in by_start["部門同仁定期"].path] == ["三、服務量能", "(一)內部作業簡化",
                                                                                 "提升同仁行策政效率"]


def test_a_wrapped_sub_heading_in_a_table_without_ruling_lines_is_one_heading():
    """004_borderless.pdf: 「(2) 推廣及宣導本公司電子發票查詢、歸戶等相關功能：」 wraps over five lines of
    the narrow sub-heading column; a line ending in a hanging 「。」 elsewhere in the column must not
    widen the column's text edge so that the wrapped lines read as typed breaks."""
    plan = extract(FIXTURES / "004_borderless.pdf")
    paths = {measure.path[-1] for measure in plan.measures if measure.text.startswith(("善用網路服務", "為加強服務用戶"))}
    assert paths == {"(2)推廣及宣導本公司電子發票查詢、歸戶等相關功能："}, paths


def test_a_vertical_facet_column_reads_as_one_label():
    """004_vertical_facet: 「一、基礎服務」 typed one character per line in a 0.9 cm column."""
    for name in ("004_vertical_facet.docx", "004_vertical_facet.pdf"):
        plan = extract(FIXTURES / name)
        assert [measure.path[0] for measure in plan.measures[:1]] == ["一、基礎服務"], name
