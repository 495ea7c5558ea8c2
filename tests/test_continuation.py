"""The continuation stage (extractor.continuation) on small hand-made grids.

Cell texts are lines of seed 004 (台電公司台北市區營業處112年度提升服務效能執行計畫,
corpus/samples/004_*.txt), whose table breaks on every page: a row cut by the break, the header
repeated on each page, a cell continued on the next page, a strategy typed again after the break."""

from __future__ import annotations

from extractor.continuation import (
    Block,
    carries_values,
    continued_body,
    is_cut_row,
    join_cut_row,
    merge_cell,
    opens_no_heading,
    rejoin_cut_value,
    repeats_heading,
    rows_of_blocks,
)
from extractor.elements import Cell, Row, Table
from extractor.rows import classify_row
from extractor.tree import TreeBuilder, measures_from_tree
from models import ColumnRole as R

HEADER = ["面向", "執行策略", "具體作法", "承辦部門", "完成期限"]
ROLES = [R.dimension, R.strategy, R.measure, R.units, R.deadline]


def _row(*texts: str | None, page: int | None = None) -> Row:
    """A row of cells; None is a cell covered by a merged cell above, "" an empty cell, and a cell's
    paragraphs are separated by "|"."""
    cells = []
    for col, text in enumerate(texts):
        if text is None:
            cells.append(Cell(paragraphs=[], col=col, covered=True))
        else:
            cells.append(Cell(paragraphs=[[part] for part in text.split("|") if part], col=col))
    return Row(cells=cells, page=page)


def _table(rows: list[Row], page: int | None, header: bool = False) -> Table:
    if header:
        rows = [_row(*HEADER, page=page), *rows]
    for row in rows:
        row.page = page
    return Table(rows=rows, positional=True, page=page)


PAGE_1 = [
    _row("一、基礎服務", "(一) 服務一致及正確性", "1. 訂定申辦業務標準作業流程", "業務組", "持續辦理"),
    _row(None, "2. 提升服務及時性",
         "(1) 辦理教育訓練，對涉及服務業務之流程及相關法規之正確與熟悉程度。強化服務人員(含外包客服人員)對涉及",
         "業務組", "持續辦理"),
]


def _page_1() -> Table:
    return _table([Row(cells=[Cell([list(p) for p in c.paragraphs], c.col, covered=c.covered) for c in r.cells])
                   for r in PAGE_1], page=1, header=True)


# -- rows cut by a page break ----------------------------------------------------------------------


def test_a_row_cut_by_a_page_break_is_one_row_again():
    first = _page_1()
    second = _table([
        _row("", "", "服務業務之流程及相關法規之正確與熟悉程度。", "北客服", "持續辦理"),
        _row("", "3. 提高服務人員專業度", "(2) 對新進人員之訓練導入「導師制度」。", "業務組", "持續辦理"),
    ], page=2, header=True)
    rows = rows_of_blocks([Block(first, 1), Block(second, 1)], ROLES)
    assert len(rows) == 3, "the cut row is joined, not a row of its own"
    measure = rows[1].cells[2]
    assert measure.paragraphs == [[
        "(1) 辦理教育訓練，對涉及服務業務之流程及相關法規之正確與熟悉程度。強化服務人員(含外包客服人員)對涉及",
        "服務業務之流程及相關法規之正確與熟悉程度。"]], "the cut sentence is one paragraph"
    assert rows[1].cells[3].paragraphs == [["業務組"], ["北客服"]], "values are kept apart, never joined"
    assert rows[2].continues_page, "the first whole row of the page keeps the mark"
    assert second.rows[1:] == [rows[2]], "the joined row left the document's table too"


def test_a_row_that_opens_a_heading_is_not_a_continuation():
    row = _row("", "3. 提高服務人員專業度", "(2) 對新進人員之訓練導入「導師制度」。", "業務組", "持續辦理")
    assert not opens_no_heading(row, ROLES)
    assert not is_cut_row(PAGE_1[-1], row, ROLES, next_page=True)


def test_a_numbered_item_in_a_cell_spanning_the_items_column_continues_the_row():
    """004 with a sub-heading column: a row without a sub-heading has one measure cell over both columns.
    Its list going on at the top of the next page ((3) on one page, (4) on the next, their units stacked
    at the top of the row) continues the row; it opens no heading."""
    roles = [R.strategy, R.measure, R.measure, R.units, R.deadline]
    spanning = Cell(paragraphs=[["(4)為協助用戶了解用電情形，於本公司官網建置用電診斷中心。"]], col=1, colspan=2)
    row = Row(cells=[Cell([], 0), spanning, Cell([], 2, covered=True), Cell([["北客服"]], 3), Cell([], 4)])
    assert opens_no_heading(row, roles)
    sub_heading = Cell(paragraphs=[["(2)推廣及宣導本公司電子發票查詢、歸戶等相關功能："]], col=1)
    row = Row(cells=[Cell([], 0), sub_heading, Cell([["甲.善用網路服務。"]], 2), Cell([], 3), Cell([], 4)])
    assert not opens_no_heading(row, roles), "a numbered sub-heading opens a row"


def test_rows_are_joined_only_across_a_known_page_break():
    """Without pages (text, Word, HTML) a block boundary is no evidence that a row was cut."""
    first, second = _page_1(), _table([_row("", "", "服務業務之流程及相關法規之正確與熟悉程度。", "", "")], page=None)
    first.page = None
    rows = rows_of_blocks([Block(first, 1), Block(second)], ROLES)
    assert len(rows) == 3 and rows[2].continues_page
    same_page = _table([_row("", "", "服務業務之流程及相關法規之正確與熟悉程度。", "", "")], page=1)
    assert len(rows_of_blocks([Block(_page_1(), 1), Block(same_page)], ROLES)) == 3


def test_a_cell_continued_on_the_next_page_keeps_a_new_item_apart():
    before = Cell(paragraphs=[["(2) 網站資訊標示配合電子化政府入口網提供分類檢索服務（包括主題、施政及服務等"]], col=2)
    after = Cell(paragraphs=[["3種分類方式），且符合詮釋資料及分類檢索規範。"], ["(3) 提供多元及便利的資訊檢索服務："]], col=2)
    merge_cell(before, after, joins_text=True)
    assert len(before.paragraphs) == 2
    assert before.paragraphs[0][-1] == "3種分類方式），且符合詮釋資料及分類檢索規範。"
    assert before.paragraphs[1] == ["(3) 提供多元及便利的資訊檢索服務："]


def test_a_finished_sentence_is_not_continued():
    before = Cell(paragraphs=[["(1) 設置全功能單一窗口櫃檯，提供整合服務。"]], col=2)
    merge_cell(before, Cell(paragraphs=[["設置客服中心，落實一通電話服務到底。"]], col=2), joins_text=True)
    assert before.paragraphs == [["(1) 設置全功能單一窗口櫃檯，提供整合服務。"], ["設置客服中心，落實一通電話服務到底。"]]


def test_join_cut_row_keeps_positions_of_values():
    last = _row("", "", "(1) 網站依據「政府資訊公開法」主動公開相關資訊於對外網頁。對外提供之文件如為可編輯者", "各部門", "")
    last.cells[3].positions = [(3, 700.0)]
    first = _row("", "", "，應採用 ODF 文書格式。", "資訊組", "持續辦理")
    first.cells[3].positions = [(4, 80.0)]
    join_cut_row(last, first, ROLES)
    assert last.cells[3].positions == [(3, 700.0), (4, 80.0)]
    assert last.cells[2].text.endswith("可編輯者\n，應採用 ODF 文書格式。")


# -- repeated header rows ----------------------------------------------------------------------------


def test_repeated_header_rows_are_dropped_through_the_finder():
    from extractor.elements import Document, Paragraph
    from extractor.tables import assemble, find_measure_tables

    document = Document(elements=[
        Paragraph("肆、執行策略及具體作法："),
        _page_1(),
        _table([_row("", "3. 提高服務人員專業度", "(2) 對新進人員之訓練導入「導師制度」。", "業務組", "持續辦理")],
               page=2, header=True),
        Paragraph("第 2 頁"),
        _table([_row("(二) 服務友善性", "1. 提升服務設施合宜度", "(1) 進行環境美(綠)化。", "業務組", "持續辦理")],
               page=3, header=True),
    ])
    scan = find_measure_tables(document)
    assert len(scan.tables) == 1
    table = assemble(scan.tables[0])
    texts = [row.cells[2].text for row in table.rows]
    assert "具體作法" not in texts and len(texts) == 4
    assert [row.continues_page for row in table.rows] == [False, False, True, True]
    assert len(table.header_lines) == 3, "three pages, three headers"


def test_the_empty_header_row_of_a_continued_markdown_table_is_dropped():
    block = Block(Table(rows=[_row("", "", "", "", ""), _row("", "", "下載及利用。", "", "")], positional=True))
    assert [row.cells[2].text for row in continued_body(block)] == ["下載及利用。"]


# -- rules the tree applies ---------------------------------------------------------------------------


def test_a_heading_repeated_after_a_break_is_the_open_heading():
    assert repeats_heading("(一)服務一致及正確性", "(一) 服務一致\n及正確性")
    assert not repeats_heading("(一)服務一致及正確性", "(二) 服務友善性")
    builder = TreeBuilder()
    rows = [
        _row("一、基礎服務", "(一) 服務一致及正確性", "1. 訂定申辦業務標準作業流程。", "業務組", "持續辦理"),
        _row("", "(一) 服務一致及正確性", "2. 提升服務及時性。", "業務組", "持續辦理"),
    ]
    rows[1].continues_page = True
    for row in rows:
        builder.add_row(classify_row(row, ROLES, positional=True))
    builder.finish()
    measures = measures_from_tree(builder, 0)
    assert [m.path for m in measures] == [["一、基礎服務", "(一)服務一致及正確性"]] * 2
    assert [m.number for m in measures] == ["1.", "2."], "one strategy, not two siblings of the same name"


def test_values_carry_over_the_break_only_when_no_heading_opens():
    assert carries_values(continues_page=True, opens_heading=False)
    assert not carries_values(continues_page=True, opens_heading=True)
    assert not carries_values(continues_page=False, opens_heading=False)


def test_a_value_cut_by_a_page_break_is_rejoined_for_count_alignment():
    cell = Cell(paragraphs=[["業務組"], ["業務組、北"], ["客服"]], col=0,
                positions=[(3, 700.0), (3, 760.0), (4, 80.0)])
    assert rejoin_cut_value(cell, 2) == [["業務組"], ["業務組、北", "客服"]]
    assert rejoin_cut_value(cell, 3) is None, "as many paragraphs as items: nothing was cut"
