"""The column vocabulary (extractor/data/columns.yaml) on headers as real plans write them.

Each case quotes a header from a real plan: the real-world excerpts collected for issue 13
(tests/realworld/docs/<id>.txt, cited by id; see /work/notes/REALWORLD.md for the format), a page of the
`search` tool's pages corpus (cited by address), or a seed plan (corpus/samples/). Words of issue 13's
list that no collected text shows yet are marked "issue 13 list" and checked as words only."""

from __future__ import annotations

import pytest

from extractor.columns import header_roles, role_of_header
from extractor.elements import Cell, Row
from extractor.rows import classify_row
from extractor.tree import TreeBuilder, measures_from_tree
from models import ColumnRole as R
from tests import quotes

D, S, M, U, DL, B, RS, N, RM, O = (R.dimension, R.strategy, R.measure, R.units, R.deadline, R.benefit, R.results,
                                   R.number, R.remarks, R.other)

HEADERS = [
    # taichung-animal-106: 「伍、計畫內容:」 then one header cell per line: 實施要項 / 執行策略 / 執行方法 / 承辦 / 單位
    ("taichung-animal-106", ["實施要項", "執行策略", "執行方法", "承辦單位"], [D, S, M, U]),
    # forest-taitung-105, line 11: 「評核項目 評核指標 次評核指標 具體作法 預期目標 承辦單位 檢討管考」
    ("forest-taitung-105", ["評核項目", "評核指標", "次評核指標", "具體作法", "預期目標", "承辦單位", "檢討管考"],
     [D, S, S, M, B, U, RM]),
    # vdocuments-bsmi-103: 執行策略 / 執行方法 / 主辦單位 / 具體作法 — the owner column BEFORE the measures
    ("vdocuments-bsmi-103", ["執行策略", "執行方法", "主辦單位", "具體作法"], [S, M, U, M]),
    # kcg-gsland-106: 「•肆、 計畫內容」 then 工作要領 / 工作重點 / 業務單位
    ("kcg-gsland-106", ["工作要領", "工作重點", "業務單位"], [D, M, U]),
    # vghtc-efficiency-results-108: 「次 實 施 要 項 具 體 作 法 執 行 成 效」 (a results sheet; spaces between characters)
    ("vghtc-efficiency-results-108", ["次", "實 施 要 項", "具 體 作 法", "執 行 成 效"], [N, D, M, RS]),
    # book118-cga-41bn-103: 「一、優質便民服務 評核項目 評核指標 次評核指標 具體作法 完成…」 (cut after 完成)
    ("book118-cga-41bn-103", ["評核項目", "評核指標", "次評核指標", "具體作法"], [D, S, S, M]),
    # https://law.moea.gov.tw/LawContent.aspx?id=FL035467 (經濟部國際貿易局加強為民服務工作執行計畫):
    # 「│實施項目                │具體作法                      │」
    ("law.moea FL035467", ["實施項目", "具體作法"], [D, M]),
    # seed 003 (龍井區戶政事務所 107): 實施要項 | 推動作法 | 完成期限 | 執行單位 | 預期效益
    ("seed 003", ["實施要項", "推動作法", "完成期限", "執行單位", "預期效益"], [D, M, DL, U, B]),
    # seed 000 (經濟部水利署 105): 面向 | 執行策略 | 具體推動作法
    ("seed 000", ["面向", "執行策略", "具體推動作法"], [D, S, M]),
]


@pytest.mark.parametrize("source, cells, roles", HEADERS, ids=[case[0] for case in HEADERS])
def test_real_headers_name_their_columns(source, cells, roles):
    assert header_roles(cells) == roles


@pytest.mark.parametrize("text, role", [
    ("構面一、優質便民服務", D),    # vdocuments-bsmi-103: 「構面一、優質便民服務(第1類:第一線服務機關)」
    ("構面1(400分)", D),            # forest-taitung-105, line 7
    ("構面", D),
    ("承辦\n單位", U),              # taichung-animal-106: the word split over two lines in one cell
    ("實施策略", S),                # book118-cga-41bn-103 uses it as a section title (伍、實施策略)
    ("推動策略", S),                # chshb-stophc-107: 「其實施要項及推動策略詳如下表」
    # issue 13 list: no collected text shows these as headers yet
    ("推動方法", S), ("行為指標", M), ("辦理方式", M), ("協辦單位", U), ("辦理期程", DL), ("備註", RM), ("項次", N),
])
def test_header_words(text, role):
    assert role_of_header(text) is role


def test_a_one_character_word_names_a_column_only_as_the_whole_cell():
    assert role_of_header("次") is N
    assert role_of_header("次評核指標") is S, "次評核指標 is a level, not the row-number column"


# -- extra columns never give measures ------------------------------------------------------------


def _cell(text: str, col: int) -> Cell:
    return Cell(paragraphs=[[line] for line in text.split("\n") if line], col=col)


def _build(rows: list[Row], roles, positional: bool):
    builder = TreeBuilder()
    for row in rows:
        builder.add_row(classify_row(row, roles, positional))
    builder.finish()
    return measures_from_tree(builder, 0)


# forest-taitung-105: the first row of 構面1 — 具體作法 items and 預期目標 items, both numbered 「1.  」.
FOREST_MEASURES = ("1.  巡視人員以走動式訪視林農及社區,藉以說明有關的政策法令及瞭解林農需求\n"
                   "2.  人民申請書件倘有誤送轄管機關情事,本處依行政程序法轉送各受理機關,同時副知申請民眾。")
FOREST_TARGETS = ("1.  於每年底前針對受訪及參加行動辦公室辦理說明會,承租戶500人次以上。\n"
                  "2.  受理窗口延伸站轄各林班內承租戶及社區發展協會等相關人民團體,提供民眾最便捷服務")


def test_a_numbered_target_column_never_gives_measures():
    roles = header_roles(["評核項目", "評核指標", "次評核指標", "具體作法", "預期目標", "承辦單位", "檢討管考"])
    row = Row(cells=[_cell("服務\n流程", 0), _cell("一、服務流程便捷性", 1), _cell("(一)單一窗口全功能程度", 2),
                     _cell(FOREST_MEASURES, 3), _cell(FOREST_TARGETS, 4), _cell("", 5), _cell("", 6)])
    measures = _build([row], roles, positional=True)
    assert [m.text[:7] for m in measures] == ["巡視人員以走動", "人民申請書件倘"]
    assert not any("承租戶500人次" in m.text for m in measures)


def test_row_number_and_remarks_columns_never_give_headings_or_measures():
    # vghtc-efficiency-results-108's first row (次 「一」, 實施要項, 具體作法) and a 檢討管考 column as in
    # forest-taitung-105, whose remark 「每季檢討」 is the only made-up cell (that excerpt is cut before it).
    roles = [N, D, M, RM]
    rows = [Row(cells=[_cell("一", 0), _cell("提升服務效能,深化服務績效", 1),
                       _cell("1. 建置全功能化單一窗口:同一櫃檯即可辦理掛號、批價收費、領取診斷書、住院等作業", 2),
                       _cell("每季檢討", 3)])]
    for positional in (True, False):
        measures = _build(rows, roles, positional)
        assert [m.path for m in measures] == [["提升服務效能,深化服務績效"]], positional
        assert [m.number for m in measures] == ["1."]


# vdocuments-bsmi-103: 執行策略 / 執行方法 / 主辦單位 / 具體作法, units stacked one per line.
BSMI_HEADER = ["執行策略", "執行方法", "主辦單位", "具體作法"]
BSMI_ROW = ["(一)推動便捷、透明之服務流程,提供高效率之服務\n1.提升服務流程便捷性",
            "(1)設置全功能櫃臺,提供整合服務。",
            "第六組\n第七組\n資料中心\n各分局",
            "(1)總局及各分局因應商品檢驗、度量衡管理及標準資料業務性質、服務對象及所需設備之差異,分別設置3類服務申辦窗口。"]


@pytest.mark.parametrize("positional", [True, False])
def test_an_owner_column_before_the_measures(positional):
    roles = header_roles(BSMI_HEADER)
    row = Row(cells=[_cell(text, col) for col, text in enumerate(BSMI_ROW)])
    measures = _build([row], roles, positional)
    assert [m.text[:8] for m in measures] == ["總局及各分局因應"]
    assert measures[0].departments == ["第六組", "第七組", "資料中心", "各分局"]
    assert measures[0].path[-1] == "(1)設置全功能櫃臺,提供整合服務。", "執行方法 is the level above the agency's own 具體作法"


VGHTC_ROW = ["提升服務效能,", "深化服務績效", "1. 建置全功能化單一窗口:同一櫃檯即可辦理掛號、批價收費、領取診斷書、住院等作業"]


def test_every_quote_is_in_its_source():
    cases = [(source, "\n".join(cells)) for source, cells, _ in HEADERS if not source.startswith(("seed", "law."))]
    cases += [("taichung-animal-106", "實施要項\n執行策略\n執行方法\n承辦\n單位"),
              ("vghtc-efficiency-results-108", "次 實 施 要 項 具 體 作 法 執 行 成 效"),
              ("forest-taitung-105", FOREST_MEASURES + "\n" + FOREST_TARGETS + "\n服務\n流程\n一、服務流程便捷性\n(一)單一窗口全功能程度"),
              ("vdocuments-bsmi-103", "\n".join(BSMI_ROW)),
              ("vghtc-efficiency-results-108", "\n".join(VGHTC_ROW))]
    assert [(source, text[:20]) for source, text in cases if not quotes(source, text)] == []
