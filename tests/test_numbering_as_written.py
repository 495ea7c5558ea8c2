"""Numbering as agencies write it (issue 13, item 3), on lines of real plans and look-alikes.

Each line is quoted from a real-world excerpt collected for issue 13 (tests/realworld/docs/<id>.txt,
cited by id; /work/notes/REALWORLD.md) or a seed plan (corpus/samples/). Variants that no collected text
shows yet are marked "issue 13 list"."""

from __future__ import annotations

import pytest

from extractor.elements import Cell
from extractor.tree.numbering import cell_items
from normalizers.numbering import fits_list, parse_marker, split_items, starts_item
from tests import quotes


MARKERS = [
    # bopomofo ㄧ typed for 一
    ("book118-cga-41bn-103", "ㄧ、發揮專業效能並提供各項服務與便民政策", "一", 1, "ㄧ、", "發揮專業效能並提供各項服務與便民政策"),
    # 一 without 、 (law-database text)
    ("mojlaw-prosecutors-service-fl021331", "一 共同措施:", "一", 1, "一", "共同措施:"),
    ("mojlaw-prosecutors-service-fl021331", "二 檢察官:", "一", 2, "二", "檢察官:"),
    # (十一)–(十三) and 十一、
    ("mojlaw-prosecutors-service-fl021331", "(十一)設置「重大案件被害人申訴窗口」,便利民眾於遭遇重大犯罪時",
     "(一)", 11, "(十一)", "設置「重大案件被害人申訴窗口」,便利民眾於遭遇重大犯罪時"),
    ("mojlaw-prosecutors-service-fl021331", "(十三)請求服務事項如係違背法令規定及有關公務員職務上應遵守之秘",
     "(一)", 13, "(十三)", "請求服務事項如係違背法令規定及有關公務員職務上應遵守之秘"),
    ("ncc-petition-rules", "十三、人民陳情案件有下列情形之一者", "一", 13, "十三、", "人民陳情案件有下列情形之一者"),
    # a web list bullet before the author's number
    ("kcg-senior-counter-rules", "    • 十一、職務代理人無法處理時,應詳細登記對方姓名", "一", 11, "十一、", "職務代理人無法處理時,應詳細登記對方姓名"),
    ("kcg-gsland-106", "•肆、 計畫內容", "壹", 4, "肆、", "計畫內容"),
    # 1. with a double space, and 1、
    ("forest-taitung-105", "1.  巡視人員以走動式訪視林農及社區", "1", 1, "1.", "巡視人員以走動式訪視林農及社區"),
    ("taichung-tcgtax-eval-101", "1、以財政部稽徵業務考核及行政院研究發展考核委員會", "1", 1, "1、", "以財政部稽徵業務考核及行政院研究發展考核委員會"),
    # A. (A) (B)
    ("flipbuilder-taipower-tainan-award-106-p43", "A. 總管理處測試", "a", 1, "A.", "總管理處測試"),
    ("flipbuilder-taipower-tainan-award-106-p43", "B.區處自行測試", "a", 2, "B.", "區處自行測試"),
    ("flipbuilder-taipower-tainan-award-106-p43", "(B)測試成績", "(a)", 2, "(B)", "測試成績"),
    # check boxes and bullets
    ("ntbna-irregular-inspection-scoresheet", "□民眾對於機關整體洽公環境", "◎", None, "□", "民眾對於機關整體洽公環境"),
    ("yunlin-siluo-household-whitepaper", "- 出生登記", "-", None, "-", "出生登記"),
    # 構面一 and 構面1
    ("vdocuments-bsmi-103", "構面一、優質便民服務(第1類:第一線服務機關)", "構面", 1, "構面一、", "優質便民服務(第1類:第一線服務機關)"),
    ("forest-taitung-105", "構面1(400分)", "構面", 1, "構面1", "(400分)"),
    # issue 13 list: no collected text shows these yet
    ("issue 13 list", "Ⅲ.服務評價", "Ⅰ", 3, "Ⅲ.", "服務評價"),
    ("issue 13 list", "※ 本表請於每季結束後填報", "◎", None, "※", "本表請於每季結束後填報"),
]


@pytest.mark.parametrize("source, line, style, value, raw, rest", MARKERS)
def test_markers_as_written(source, line, style, value, raw, rest):
    marker, remainder = parse_marker(line, lenient=True)
    assert marker is not None, source
    assert (marker.style, marker.value, marker.raw, remainder) == (style, value, raw, rest)


def test_levels_of_the_new_styles():
    assert parse_marker("構面一、優質便民服務")[0].rank == 1, "構面 is the top of a plan's tree"
    assert parse_marker("ㄧ、發揮專業效能")[0].is_heading_style
    assert not parse_marker("- 出生登記")[0].is_heading_style


NOT_MARKERS = [
    # Lines that a hard wrap or a sentence starts with a number-like token: never a marker.
    ("chiayi-land-servicedesk-rules", "一名專任之,並得視業務繁忙情形,加派助理人員協助之。"),
    ("mojlaw-tcdetention-petition-094", "三十日;其未能在規定期限辦結者,應簽請所長核准延長,並將延長"),
    ("rootlaw-ey-counter-improvement", "一次告知,俾使申請者接洽一次,最多兩次即可滿足其要求。"),
    ("justlaw-ey-integrated-efficiency-99", "                   12  日三讀通過「中央政府機關總員額法草案」亦作成附帶決議"),
    ("yda-annual-report-102-p56", "102 年底線上簽核件數為 6,846 件,佔全年度電子收文"),
    ("maiyajiaoan-rdec-award-manual-9", "一階段的變革目標,開創政府服務由品質管理走向品質創造的新"),
    ("wra03-integrity-survey-results-110", "82%受訪者知道,有關疑義諮詢或民眾陳情管道猶可加強宣導。"),
    ("forest-taitung-105", "構面1-105"),
    ("ncyu-phonetest-108", "(7) 業務單位忙線中,向來電者委婉說明,「對不起,※先生(小姐)正在電話中"[4:]),
]


@pytest.mark.parametrize("source, line", NOT_MARKERS)
def test_wrapped_lines_starting_with_numbers_are_not_markers(source, line):
    assert parse_marker(line, lenient=True)[0] is None, source


def test_an_inline_check_mark_does_not_split_a_sentence():
    # ncyu-phonetest-108: ※ stands for a name inside the quoted greeting.
    line = "(7) 業務單位忙線中,向來電者委婉說明,「對不起,※先生(小姐)正在電話中"
    assert len(split_items(line)) == 1


def test_a_list_switching_from_1_dot_to_1_comma_is_one_list():
    """1. and 1、 are one style: a list typed 1. … 4. then 5、 … continues (issue 13 list; the lines are
    forest-taitung-105's 「1.  」 items and taichung-tcgtax-eval-101's 「1、」 items)."""
    four = parse_marker("4.  自然教育中心課程方案單一窗口服務。")[0]
    five = parse_marker("5、工作站設置服務台及會客室受理來站洽辦業務民眾")[0]
    assert four.style == five.style
    assert fits_list(five, {four.style: four.value})


def test_hard_wrapped_items_keep_their_lines():
    # taipei-sshc-servicedesk-112: a (1)…(4) list, then 2. — each line a new item after a finished line.
    items = cell_items(Cell(paragraphs=[SSHC_LINES], col=0))
    assert [item.marker.raw for item in items] == ["1.", "(1)", "(2)", "2."]


def test_a_number_inside_a_wrapped_sentence_is_not_a_new_item():
    """A wrapped line starting with 「2、」 inside an unfinished sentence, where no list 2 is due, stays
    in the sentence (issue 13 list: "numbering must survive hard wraps"; no collected text shows such
    a wrap yet, so this sentence is made up; the real wraps above never look like markers at all)."""
    assert not starts_item("2、3月份辦理民眾滿意度調查。", "(3)本所將於每年", {"(1)": 3})
    assert starts_item("(4)定期檢視電子表單之必要性與合宜性。", "(3)本所將於每年", {"(1)": 3})
    items = cell_items(Cell(paragraphs=[["(3)本所將於每年", "2、3月份辦理民眾滿意度調查。"]], col=0))
    assert len(items) == 1 and items[0].lines == ["本所將於每年", "2、3月份辦理民眾滿意度調查。"]


FOREST_LINES = ["1.  巡視人員以走動式訪視林農及社區", "2.  人民申請書件倘有誤送轄管機關情事", "3.  偏遠區域或對行動不便之民眾實施走動式服務",
                "7.  租地補植用苗申請書可由巡視人員代為遞送", "1.  於每年底前針對受訪及參加行動辦公室辦理說明會",
                "2.  受理窗口延伸站轄各林班內承租戶及社區發展協會等相關人民團體"]
SSHC_LINES = ["1. 服務臺係本中心為民服務的第一線,櫃檯同仁之服務態度、應對及服務禮", "(1) 以誠懇、熱心、專業及負責之態度服務民眾",
              "(2) 不斷充實專業知識", "2. 服飾以整潔大方為主,並著本中心背心,將識別證配掛在胸前。"]


def test_every_quote_is_in_its_source():
    cases = [(source, line) for source, line, *_ in MARKERS] + NOT_MARKERS
    cases += [("forest-taitung-105", line) for line in FOREST_LINES]
    cases += [("taipei-sshc-servicedesk-112", line) for line in SSHC_LINES]
    cases += [("forest-taitung-105", "4.  自然教育中心課程方案單一窗口服務。"),
              ("ncyu-phonetest-108", "(7) 業務單位忙線中,向來電者委婉說明,「對不起,※先生(小姐)正在電話中")]
    missing = [(source, line) for source, line in cases if source != "issue 13 list" and not quotes(source, line)]
    assert not missing


def test_run_on_text_splits_at_markers_as_written():
    """book118-cga-41bn-103 lost its line breaks: 貳、 ㄧ、 (bopomofo) 二、 參、 肆、 伍、 in one line."""
    from tests import REALWORLD_DOCS

    line = next(line for line in (REALWORLD_DOCS / "book118-cga-41bn-103.txt").read_text(encoding="utf-8").split("\n")
                if "ㄧ、發揮" in line)
    run_on = line[line.index("貳、計畫目標"):line.index("伍、實施策略") + len("伍、實施策略")]
    assert [marker.raw for marker, _ in split_items(run_on)] == ["貳、", "ㄧ、", "二、", "參、", "肆、", "伍、"]


def test_lists_that_restart_inside_one_block():
    """forest-taitung-105 written one cell per line: the 具體作法 items 1.–7. and then the 預期目標 items
    starting again at 1. in the same block (the excerpt's own lines, read from the file)."""
    from tests import REALWORLD_DOCS

    lines = [line.strip() for line in (REALWORLD_DOCS / "forest-taitung-105.txt").read_text(encoding="utf-8").split("\n")
             if parse_marker(line)[0] is not None and parse_marker(line)[0].style == "1"]
    items = cell_items(Cell(paragraphs=[lines], col=0))
    assert [item.marker.value for item in items] == [1, 2, 3, 4, 5, 6, 7, 1, 2]
    assert starts_item(FOREST_LINES[4], FOREST_LINES[3], {"1": 7}), "a restart after an unfinished line too"
