"""The reading ladder (table → table flattened one cell per line → numbered
outline → paragraphs), site chrome, and cut documents, on REAL text: every
case reads a document of tests/realworld/docs/ (the id is in the test) or a
few of its lines quoted verbatim."""

from __future__ import annotations

import html

import pytest

from checks import check_plan
from extractor import extract
from extractor.chrome import is_chrome, plan_text_of, without_chrome
from extractor.completeness import ends_mid_sentence
from extractor.elements import Document, Paragraph, Table
from extractor.linetable import header_at, rebuild_tables
from extractor.outline import build_tree, content_sections, leaves, outline_items, outline_marker, owner_clause
from extractor.readers.text import parse_text
from models import ReadMethod
from normalizers.text import fold_key
from outputs.reports.view import build_view
from tests import ROOT

DOCS = ROOT / "tests" / "realworld" / "docs"
SAMPLES = sorted((ROOT / "corpus" / "samples").glob("*.txt"))


def real(doc_id: str):
    return extract(DOCS / f"{doc_id}.txt")


def starts(plan) -> list[str]:
    return [fold_key(m.text)[:6] for m in plan.measures]


def key(text: str) -> str:
    return fold_key(text)[:6]


# -- site chrome ------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "跳到主要內容區塊",                                                      # kcg-gsland-106
    "回首頁 | 網站導覽 | 雙語詞彙 | 地政問答 | 分類檢索 | RSS | English | 字級大小",  # kcg-gsland-106
    "  • 回上一頁",                                                          # taichung-animal-106
    "  • 最後異動時間:2017-10-03",                                           # taichung-animal-106
    "列印時間:113.11.23 19:44",                                              # taichung-tcgtax-eval-101
    "停止適用時間: 中華民國105年4月11日",                                    # rootlaw-tcgtax-eval-105
    "Click here to load reader",                                             # vdocuments-bsmi-103
    "TRANSCRIPT",                                                            # vdocuments-bsmi-103
    "  • 2019-08-18 发布于北京",                                             # book118-cga-41bn-103
])
def test_site_chrome_is_not_plan_text(line):
    assert is_chrome(line)


@pytest.mark.parametrize("line", [
    "(一)訂定機關年度提升服務品質計畫,具體規劃為民服務工作。",  # kcg-gsland-106
    "各組",                                                     # taichung-animal-106 (a units cell)
    "肆、計畫內容",                                             # chshb-stophc-107
])
def test_plan_lines_are_kept(line):
    assert not is_chrome(line)


def test_law_title_label_bullets_and_field_codes_are_dropped_but_the_text_kept():
    assert plan_text_of("法規名稱: 臺中市政府地方稅務局服務品質及效率躍升計畫") == "臺中市政府地方稅務局服務品質及效率躍升計畫"  # rootlaw-tcgtax-eval-105
    assert plan_text_of("•壹、 計畫依據") == "壹、 計畫依據"  # kcg-gsland-106
    assert plan_text_of("PAGE 中部地區巡防局第四一岸巡大隊 103年提升服務品質細部執行計畫").startswith("中部地區")  # book118-cga-41bn-103
    document = without_chrome(parse_text((DOCS / "kcg-gsland-106.txt").read_text(encoding="utf-8")))
    texts = [e.text for e in document.elements if isinstance(e, Paragraph)]
    assert texts[0] == "高雄市政府岡山地政事務所" and "跳到主要內容區塊" not in texts and "Close" not in texts


# -- tables flattened one cell per line ----------------------------------------

def test_header_one_word_per_line_with_a_word_split_over_two_lines():
    # taichung-animal-106: 實施要項 / 執行策略 / 執行方法 / 承辦 / 單位, a blank line between each
    lines = ["實施要項", "執行策略", "執行方法", "承辦", "單位", "一、提升服務品質,深化服務績效"]
    paragraphs = [Paragraph(text=text, line=2 * index + 1) for index, text in enumerate(lines)]
    header = header_at(paragraphs, 0)
    assert header is not None and header.texts == ["實施要項", "執行策略", "執行方法", "承辦單位"] and header.end == 5


def test_header_on_one_line_between_spaces():
    # forest-taitung-105
    header = header_at([Paragraph(text="評核項目 評核指標 次評核指標 具體作法 預期目標 承辦單位 檢討管考", line=1)], 0)
    assert header is not None and [role.value for role in header.roles] == [
        "dimension", "strategy", "strategy", "measure", "benefit", "units", "remarks"]


def test_cells_one_per_paragraph_with_a_band_row_and_stacked_units():
    """kcg-gsland-106: 工作要領 / 工作重點 / 業務單位, a first-level band row, the
    owner cell stacked one unit per line (the fourth cut at 「地」)."""
    plan = real("kcg-gsland-106")
    assert plan.method is ReadMethod.table and plan.table_rebuilt and plan.confidence == 0.8
    [measure] = plan.measures
    assert measure.text.startswith("訂定本所本年度提升服務實施計畫")
    assert measure.departments[:3] == ["登記課", "測量課", "地價課"]
    assert measure.path[0].startswith("一、完備基礎服務項目") and measure.path[1].startswith("(一)訂定機關年度")
    assert measure.method is ReadMethod.table and measure.confidence == 0.8


def test_a_measure_cell_of_several_numbered_paragraphs_and_a_split_owner_header():
    """taichung-animal-106: 「1.」「2.」「3.」 paragraphs form one 執行方法 cell."""
    plan = real("taichung-animal-106")
    assert starts(plan) == [key("本處針對業務特性、民眾需"), key("辦理洽公環境檢查:包括環"),
                            key("辦理服務設施檢查:包括核"), key("辦理洽公環境及服務設施民")]
    assert all(m.departments == ["各組"] for m in plan.measures)


def test_first_level_split_over_lines_no_blank_lines_and_a_list_restarting_in_the_next_column():
    """forest-taitung-105: 「服務」/「流程」 is one first-level cell; the 具體作法 list
    1.–7. is followed by the 預期目標 list restarting at 1., which are targets."""
    plan = real("forest-taitung-105")
    assert len(plan.measures) == 7
    assert plan.measures[0].path[0] == "服務流程"
    assert plan.measures[0].path[-1] == "(一)單一窗口全功能程度"
    assert key("於每年底前針對受訪") not in starts(plan)


def test_owner_column_before_the_measure_column():
    """vdocuments-bsmi-103: 執行策略 / 執行方法 / 主辦單位 / 具體作法, the stacked owner
    cell between the 執行方法 and the 具體作法 it belongs to."""
    plan = real("vdocuments-bsmi-103")
    by_start = {key(m.text): m for m in plan.measures}
    assert by_start[key("總局及各分局因應商品檢驗")].departments == ["第六組", "第七組", "資料中心", "各分局"]
    assert by_start[key("確保各項檢驗(定)案件")].departments == ["第一組至第七組", "資料中心", "各分局"]


def test_organisation_tables_are_not_rebuilt_as_measure_tables():
    # tnnorth-district-105: 民政課 / its duties … one per paragraph, no header of measure columns
    document = without_chrome(parse_text((DOCS / "tnnorth-district-105.txt").read_text(encoding="utf-8")))
    assert not any(isinstance(e, Table) for e in rebuild_tables(document).elements)


# -- numbered outline ---------------------------------------------------------

def test_outline_markers_as_typed():
    assert outline_marker("一 共同措施:")[0].value == 1  # mojlaw-prosecutors-service-fl021331
    assert outline_marker("ㄧ、發揮專業效能並提供各項服務與便民政策")[0].value == 1  # book118-cga-41bn-103 (U+3127)
    assert outline_marker("(十三)請求服務事項如係違背法令規定")[0].value == 13


def test_law_database_hard_wraps_join_and_a_flowchart_is_not_a_measure():
    """mojlaw-aee-branch-service: lines wrapped at ~34 characters, continuation
    lines starting with 「,」, and a box-drawing flowchart at the end."""
    plan = real("mojlaw-aee-branch-service")
    assert plan.method is ReadMethod.outline and plan.confidence == 0.7
    assert len(plan.measures) == 6
    assert plan.measures[3].text.endswith("建立資料檔案,提供同仁觀摩學習。")
    assert plan.measures[0].text == "利用適當集會邀請專家,以便民服務為主題,作專題講述,並對服務人員予以必要之講習。"
    assert not any("┌" in m.text or "│" in m.text for m in plan.measures)
    assert all(m.method is ReadMethod.outline for m in plan.measures)


def test_a_box_drawn_table_whose_cell_text_wraps_inside_its_cells():
    """lawmoea-trade-service-fl035467: 實施項目 | 具體作法 drawn with ┌─┬┐│├┼┤; 「(一)第一線服務人員應嫻熟業務│」
    wraps to 「      ,了解相關法令規定。」 in the same cell; the text is cut before the bottom rule."""
    plan = real("lawmoea-trade-service-fl035467")
    assert plan.method is ReadMethod.table and not plan.table_rebuilt
    assert [(m.number, m.text) for m in plan.measures] == [
        ("(一)", "第一線服務人員應嫻熟業務,了解相關法令規定。"),
        ("(二)", "工作人員服務態度應和藹有禮。"),
    ]
    assert all(m.path == ["一、軟體服務態度"] for m in plan.measures)
    assert not plan.complete and plan.incomplete_reasons == ["表格在底線之前中斷"]
    assert plan.title == "經濟部國際貿易局加強為民服務工作執行計畫" and plan.agency == "經濟部國際貿易局"


def test_a_box_drawn_table_in_preformatted_html(tmp_path):
    """The same real excerpt as a law database serves it, in <pre>: the lines are kept, so the
    drawing reads as in the text copy."""
    text = (DOCS / "lawmoea-trade-service-fl035467.txt").read_text(encoding="utf-8")
    page = tmp_path / "lawmoea-trade-service-fl035467.html"
    page.write_text(f"<html><body><pre>{html.escape(text)}</pre></body></html>", encoding="utf-8")
    plan = extract(page)
    assert [m.text for m in plan.measures] == [m.text for m in real("lawmoea-trade-service-fl035467").measures]
    assert plan.method is ReadMethod.table and plan.incomplete_reasons == ["表格在底線之前中斷"]


def test_a_box_drawn_flowchart_stays_text():
    """mojlaw-aee-branch-service ends in a flowchart drawn with the same characters: no header of
    column names, so no table (the outline reader skips its lines)."""
    document = parse_text((DOCS / "mojlaw-aee-branch-service.txt").read_text(encoding="utf-8"))
    assert not any(isinstance(e, Table) for e in document.elements)
    drawn = parse_text((DOCS / "lawmoea-trade-service-fl035467.txt").read_text(encoding="utf-8"))
    tables = [e for e in drawn.elements if isinstance(e, Table)]
    assert len(tables) == 1 and tables[0].unclosed
    assert [c.text for c in tables[0].rows[0].cells] == ["實施項目", "具體作法"]


def test_numbering_without_the_comma_and_double_digit_items():
    """mojlaw-prosecutors-service-fl021331: 「一 共同措施:」 (一)…(十三), 「二 檢察官:」 (一)…"""
    plan = real("mojlaw-prosecutors-service-fl021331")
    assert len(plan.measures) == 16
    assert plan.measures[12].number == "(十三)" and plan.measures[12].path[-1] == "一共同措施:"
    assert plan.measures[13].path[-1] == "二檢察官:"


def test_run_on_items_are_split_and_principles_are_not_measures():
    """mojlaw-aee-branch-service-p1: newlines lost, 壹、…基本原則: 一、… 二、… 三、… on one line."""
    text = (DOCS / "mojlaw-aee-branch-service-p1.txt").read_text(encoding="utf-8")
    items = outline_items(parse_text(text).elements)
    assert [item.marker.raw for item in items] == ["壹、", "一、", "二、", "三、"]
    assert leaves(content_sections(build_tree(items))[0]) == []
    plan = real("mojlaw-aee-branch-service-p1")
    assert plan.measures == [] and plan.complete


def test_owner_clause_after_an_outline_item():
    # No real outline with the clause was found (tests/realworld/docs/INDEX-plans.md); the measure is
    # real (taichung-animal-106), the clause is in the form issue 13 quotes.
    text, units, deadline = owner_clause("辦理洽公環境及服務設施民眾滿意度調查。（承辦單位：各組；完成期限：每年12月）")
    assert (text, units, deadline) == ("辦理洽公環境及服務設施民眾滿意度調查。", ["各組"], "每年12月")
    assert owner_clause("三、服務台服務人員應遵守下列事項:") == ("三、服務台服務人員應遵守下列事項:", [], None)


def test_definitions_copied_from_the_framework_are_not_measures():
    """chshb-stophc-107: under 肆、計畫內容 the station copies the county plan's definitions
    (「  1. 開放參與係指…」, 「  2. 創新性係指…」), introduced by 「有關開放參與及創新性的定義,詳如下所述。」;
    the table they lead to is cut off. They are neither measures nor evidence of 開放參與."""
    plan = real("chshb-stophc-107")
    assert plan.measures == [] and plan.confidence == 0.0
    verdict = next(v for v in check_plan(plan).items if v.id == "OPEN-PARTICIPATION")
    assert verdict.status != "present"
    assert not any("係指" in e.quote for e in verdict.evidence)


# -- plain paragraphs -----------------------------------------------------------

def test_frame_sections_give_no_measures():
    """chshb-fuxing-phc-106 and tnnorth-district-105 are cut before their measures: their
    計畫目標 items and unit duties are not measures; they are read, with none."""
    for doc_id in ("chshb-fuxing-phc-106", "tnnorth-district-105"):
        plan = real(doc_id)
        assert plan.measures == [] and plan.method is ReadMethod.text and plan.confidence == 0.0, doc_id


# -- cut documents ------------------------------------------------------------

@pytest.mark.parametrize("doc_id, reason", [
    ("taichung-animal-106", "措施表最後一列不完整"),             # cut at 「(三)塑」
    ("vdocuments-bsmi-103", "行政作業規"),                      # cut mid-word
    ("mojlaw-prosecutors-service-fl021331", "一律注"),          # hard-wrapped, cut mid-sentence
    ("tnnorth-district-105", "「三」"),                          # cut after a marker
    ("chshb-stophc-107", "如下表"),                             # the announced table never comes
])
def test_cut_documents_are_detected(doc_id, reason):
    plan = real(doc_id)
    assert not plan.complete and any(reason in r for r in plan.incomplete_reasons), plan.incomplete_reasons


def test_whole_sentences_and_sample_plans_are_complete():
    assert ends_mid_sentence("捌、本計畫如有未盡事宜，得依實際需要修正或補充之。") is None  # sample 003's last line
    for path in SAMPLES[1:]:
        assert extract(path).complete, path.name


def test_unseen_items_of_a_cut_plan_are_not_called_missing_with_full_confidence():
    plan = real("taichung-animal-106")
    report = check_plan(plan)
    missing = [v for v in report.items if v.status == "missing"]
    assert missing and all(v.unseen and v.reason.startswith("未見（文件不完整）") for v in missing)
    assert not report.complete and any(f.code == "DOCUMENT-INCOMPLETE" for f in report.findings)
    view = build_view(report)
    assert {item.label for item in view.items if item.status == "missing"} == {"未見（文件不完整）"}
    assert ("文件完整性", "不完整：措施表最後一列不完整（缺具體作法）") in view.identity


def test_a_whole_plan_keeps_its_missing_verdicts():
    report = check_plan(extract(SAMPLES[3]))
    assert report.complete and not any(v.unseen for v in report.items)
    assert not any(f.code in ("DOCUMENT-INCOMPLETE", "READ-METHOD") for f in report.findings)


def test_an_outline_plan_says_how_it_was_read():
    report = check_plan(real("mojlaw-aee-branch-service"))
    finding = next(f for f in report.findings if f.code == "READ-METHOD")
    assert finding.message.startswith("未找到措施表，措施由條列大綱讀出")
    assert report.read_method is ReadMethod.outline and report.measure_count == 6


def test_empty_document_model_reads_to_nothing():
    assert rebuild_tables(Document(elements=[])).elements == []
