"""The numbering tree's five steps (extractor/tree/), each on small inputs.

Texts are lines of the seed plans (corpus/samples/): 000 經濟部水利署 105 (layout text, heading
columns cut into fragments), 001 第二河川局 102, 002 高雄市政府 105, 004 台電台北市區營業處 112."""

from __future__ import annotations

from extractor.elements import Cell
from extractor.tree import ClassifiedRow, TreeBuilder, measures_from_tree, render_tree
from extractor.tree.boundaries import continued_by, unfinished_owner
from extractor.tree.levels import MEASURE_RANK, heading_cell_level, measure_cell_level
from extractor.tree.nodes import Node
from extractor.tree.numbering import CellItem, cell_items, heading_fragments, layout_fragments, row_items
from extractor.tree.parents import EXTENDED, OPENED, REOPENED, Placer, new_node
from extractor.tree.values import PendingRow, attach_values, bands_of, top_items
from normalizers.numbering import parse_marker


def _cell(*paragraphs: str, col: int = 0, positions=None) -> Cell:
    return Cell(paragraphs=[paragraph.split("\n") for paragraph in paragraphs], col=col, positions=positions)


def _row(headings: list[str] = (), measure: str | None = None, units: str | None = None,
         deadline: str | None = None, **extra) -> ClassifiedRow:
    return ClassifiedRow(
        heading_cells=[(col, _cell(text, col=col)) for col, text in enumerate(headings) if text],
        measure_cell=_cell(*measure.split("\n\n"), col=len(headings)) if measure else None,
        units_cell=_cell(*units.split("\n\n")) if units else None,
        deadline_cell=_cell(*deadline.split("\n\n")) if deadline else None,
        **extra,
    )


def _measure(text: str) -> Node:
    marker, rest = parse_marker(text)
    level = measure_cell_level(marker)
    return new_node(marker, [rest if marker else text], level, ClassifiedRow([], None), None, rank=level.rank)


# -- 1. numbering --------------------------------------------------------------------------------


def test_numbering_splits_items_run_together_on_one_line():
    # 001, line 32: the converter ran the cell's items into one line.
    items = cell_items(_cell("(1)提供整合服務。 (2)簡化申辦流程，縮短案件處理時間。 (3)提供走動式服務"))
    assert [(item.marker.raw, item.lines) for item in items] == [
        ("(1)", ["提供整合服務。"]), ("(2)", ["簡化申辦流程，縮短案件處理時間。"]), ("(3)", ["提供走動式服務"])]
    assert [item.starts_paragraph for item in items] == [True, False, False]


def test_numbering_keeps_unnumbered_lines_with_their_item():
    # 002, line 95: "2. 內部效益" and its description in paragraphs of their own.
    items = cell_items(_cell("2. 內部效益", "包括同仁在組織內部整合、標竿學習"))
    assert [(item.marker.raw if item.marker else None, item.starts_paragraph, item.paragraph) for item in items] == [
        ("2.", True, 0), (None, True, 1)]
    wrapped = cell_items(_cell("(1)辦理教育訓練，對涉及服務業務之流程\n及相關法規之正確與熟悉程度。"))
    assert len(wrapped) == 1 and wrapped[0].lines == ["辦理教育訓練，對涉及服務業務之流程", "及相關法規之正確與熟悉程度。"]


def test_numbering_cuts_layout_heading_cells_into_fragments():
    # 000, line 18: "(一)推動便1.提升服務" holds pieces of the strategy and the sub-strategy column.
    assert layout_fragments(_cell("(一)推動便1.提升服務")) == ["(一)推動便", "1.提升服務"]
    assert layout_fragments(_cell("捷、透 程便捷性")) == ["捷、透", "程便捷性"]


def test_numbering_takes_the_overflowing_prefix_out_of_the_measure_cell():
    # 000, line 18: "流" of the sub-strategy column overflowed into the measure cell.
    row = _row(["一、優質便民", "(一)推動便1.提升服務"], "流(1)設置全功能單一窗口櫃台,提供整合服務。")
    items = row_items(row, layout=True)
    assert items.prefix == "流"
    assert [fragment.text for fragment in items.headings] == ["一、優質便民", "(一)推動便", "1.提升服務"]
    assert [fragment.col for fragment in items.headings] == [0, 1, 2]
    assert items.measures[0].marker.raw == "(1)" and items.measures[0].lines == ["設置全功能單一窗口櫃台,提供整合服務。"]
    assert "numbering" in row.steps
    assert row_items(_row(["一、優質便民"], "流(1)設置全功能單一窗口櫃台"), layout=False).prefix is None


def test_numbering_marks_a_lone_fragment_beside_a_prefix_and_drops_debris():
    # 000, line 24: "理情形流 | 程(2)…": the lone unnumbered fragment belongs with the prefix.
    row = _row(["", "理情形流"], "程(2)提供案件處理查詢管道(含電話、網路、現")
    fragments = heading_fragments(row, layout=True, prefix="程")
    assert len(fragments) == 1 and fragments[0].beside_prefix
    assert heading_fragments(_row(["、"], "1.提升"), layout=False, prefix=None) == []


# -- 2. levels --------------------------------------------------------------------------------------


def test_levels_from_markers():
    level = heading_cell_level(parse_marker("一、基礎服務")[0], 0)
    assert (level.side, level.style_key, level.rank) == ("heading", "一", 2)
    assert heading_cell_level(parse_marker("(一) 服務一致及正確性")[0], 1).rank == 3
    numbered_strategy = heading_cell_level(parse_marker("2. 提升服務及時性")[0], 2)
    assert numbered_strategy.side == "measure", "1. is a measure-side style even in a heading column"
    assert heading_cell_level(None, 1).rank is None, "an unnumbered heading ranks by its parent"


def test_levels_of_measure_cell_items():
    assert measure_cell_level(parse_marker("(1)受理網路、信函")[0]).style_key == "(1)"
    assert measure_cell_level(None) == measure_cell_level(None)
    assert measure_cell_level(None).rank == MEASURE_RANK
    shifted = measure_cell_level(parse_marker("(二) 服務友善性")[0])
    assert shifted.side == "heading", "a heading style shifted into the measure column stays a heading"


# -- 3. parents ---------------------------------------------------------------------------------------


def _place_headings(placer: Placer, row: ClassifiedRow, layout: bool = False) -> list[str]:
    outcomes = []
    for fragment in row_items(row, layout).headings:
        outcome, _ = placer.place_heading_fragment(fragment, heading_cell_level(fragment.marker, fragment.col), row)
        outcomes.append(outcome)
    return outcomes


def test_parents_nest_new_styles_and_close_open_ones():
    placer, row = Placer(), ClassifiedRow([], None)
    for text in ["(1)受理網路、信函。", "(2)訂定各項用電申請。"]:
        placer.place_measure_item(_measure(text), row)
    assert [child.label for child in placer.root.children] == ["(1)受理網路、信函。", "(2)訂定各項用電申請。"]
    placer2 = Placer()
    assert _place_headings(placer2, _row(["一、基礎服務", "(一) 服務一致及正確性"])) == [OPENED, OPENED]
    assert _place_headings(placer2, _row(["二、服務遞送", "(一) 服務便捷性"])) == [OPENED, OPENED]
    assert [node.label for node in placer2.root.children] == ["一、基礎服務", "二、服務遞送"]
    assert [node.label for node in placer2.root.children[1].children] == ["(一)服務便捷性"]


def test_parents_reopen_a_heading_repeated_after_a_page_break():
    placer = Placer()
    _place_headings(placer, _row(["一、基礎服務", "(一) 服務一致及正確性"]))
    row = _row(["", "(一) 服務一致及正確性"])
    assert _place_headings(placer, row) == [REOPENED]
    assert len(placer.root.children[0].children) == 1
    assert "repeats the open heading" in row.steps["parents"][0]


def test_parents_extend_a_layout_heading_with_its_fragments():
    # 000, lines 18-19: "一、優質便民" / "服務" — the heading column wrapped over two lines.
    placer = Placer(layout=True)
    _place_headings(placer, _row(["一、優質便民"]), layout=True)
    assert _place_headings(placer, _row(["服務"]), layout=True) == [EXTENDED]
    assert placer.root.children[0].text == "優質便民服務"


def test_parents_put_an_unnumbered_heading_under_the_column_to_its_left():
    # 002: 實施要項 cells are unnumbered beside the numbered first column.
    placer = Placer()
    _place_headings(placer, _row(["一、提升服務品質，深化服務績效", "訂定機關年度提升服務品質執行計畫"]))
    top = placer.root.children[0]
    assert [child.text for child in top.children] == ["訂定機關年度提升服務品質執行計畫"]
    assert top.children[0].rank == top.rank + 0.5


def test_parents_send_a_relabelled_item_back_to_the_list_it_continues():
    """A converter put the first row of a new page under the next label: (二)'s first item numbered 5."""
    placer, row = Placer(), ClassifiedRow([], None)
    _place_headings(placer, _row(["(一) 服務一致及正確性"]))
    for text in ["1.訂定申辦業務標準作業流程。", "2.提升服務及時性。"]:
        placer.place_measure_item(_measure(text), row)
    _place_headings(placer, _row(["(二) 服務友善性"]))
    placer.place_measure_item(_measure("3.提高服務人員專業度。"), row)
    first, second = placer.root.children
    assert [child.value for child in first.children] == [1, 2, 3]
    assert second.children == []
    assert "page-break relabel" in row.steps["parents"][-1]


def test_parents_record_numbering_anomalies():
    placer, row = Placer(), ClassifiedRow([], None)
    for text in ["(1)設置全功能單一窗口櫃台。", "(3)提供走動式服務。", "(3)減少申辦人檢附書表。"]:
        placer.place_measure_item(_measure(text), row)
    assert [anomaly.code for anomaly in placer.anomalies] == ["skipped", "duplicate"]


# -- 4. boundaries ------------------------------------------------------------------------------------


def test_boundaries_an_unfinished_measure_is_continued():
    cut = _measure("(1)網站依據「政府資訊公開法」主動公開相關資訊於對外網頁。對外提供之文件如為可編輯者")
    item = CellItem(None, ["，應採用 ODF 文書格式。"], True, 0)
    assert continued_by(item, [], cut, None, opened_heading=False) is cut
    finished = _measure("(4)客服中心受理後送案件之處理流程及時效管控。")
    assert continued_by(item, [], finished, None, opened_heading=False) is None


def test_boundaries_a_numbered_item_always_starts_a_measure():
    cut = _measure("(1)受理網路、信函、電話、傳真及「台灣電力」App")
    numbered = CellItem(parse_marker("(2)訂定")[0], ["訂定各項用電申請適時供電日程"], True, 0)
    assert continued_by(numbered, [cut], cut, None, opened_heading=False) is None


def test_boundaries_a_line_of_the_same_paragraph_joins_the_item_above():
    created = [_measure("(3)督促服務人員遵循「受理用電申請標準作業程序」。")]
    same_paragraph = CellItem(None, ["及「志工標準作業程序」"], False, 0)
    assert continued_by(same_paragraph, created, created[0], None, opened_heading=False) is created[0]


def test_boundaries_a_long_strategy_cut_mid_sentence_is_continued():
    heading = new_node(None, ["(三) 著眼於服務產出之目的與結果，力求有價值之創新服務型態與方式多元化，以較少的成本得到更好的"],
                       heading_cell_level(None, 0), ClassifiedRow([], None), 0, rank=3)
    assert unfinished_owner([], None, heading, opened_heading=False) is heading
    assert unfinished_owner([], None, heading, opened_heading=True) is None
    short = new_node(None, ["服務一致及正確性"], heading_cell_level(None, 0), ClassifiedRow([], None), 0, rank=3)
    assert unfinished_owner([], None, short, opened_heading=False) is None


# -- 5. values ------------------------------------------------------------------------------------------


def _pending(items: list[Node], units: list[list[str]], deadlines: list[str], row: ClassifiedRow | None = None,
             new_heading: bool = False) -> PendingRow:
    return PendingRow(row=row or ClassifiedRow([], None), items=items, units=units, deadlines=deadlines,
                      new_heading=new_heading)


def test_values_paired_with_the_row_items_by_count():
    # 004, line 24: two items, their units stacked in one cell.
    items = [_measure("(1)辦理教育訓練。"), _measure("(2)對新進人員之訓練導入「導師制度」。")]
    previous = attach_values(_pending(items, [["業務組", "北客服"], ["業務組"]], ["持續辦理", "持續辦理"]), ([], []))
    assert [node.units for node in items] == [["業務組", "北客服"], ["業務組"]]
    assert [node.deadline for node in items] == ["持續辦理", "持續辦理"]
    assert previous == ([["業務組", "北客服"], ["業務組"]], ["持續辦理", "持續辦理"])


def test_values_carried_down_to_the_first_row_of_a_page():
    items = [_measure("(5)進行客戶關懷活動，利用簡訊或客服中心語音外撥。")]
    row = ClassifiedRow([], None, continues_page=True)
    attach_values(_pending(items, [], [], row), ([["北客服"]], ["持續辦理"]))
    assert items[0].units == ["北客服"] and items[0].deadline == "持續辦理"
    fresh = [_measure("(1)設置全功能單一窗口櫃台。")]
    attach_values(_pending(fresh, [], [], ClassifiedRow([], None, continues_page=True), new_heading=True),
                  ([["北客服"]], ["持續辦理"]))
    assert fresh[0].units is None, "a row that opens a heading starts afresh"


def test_values_only_for_the_row_top_items():
    parent = _measure("2.提升服務及時性")
    child = _measure("(1)受理網路、信函。")
    child.parent = parent
    assert top_items([parent, child]) == [parent]


def test_values_on_line_bands_where_positions_are_known():
    items = [_measure("(1)甲。"), _measure("(2)乙。")]
    items[0].position, items[1].position = (3, 100.0), (3, 160.0)
    cell = _cell("業務組", "北客服", "設計組", positions=[(3, 100.0), (3, 115.0), (3, 160.0)])
    assert bands_of(cell, items) == [[["業務組"], ["北客服"]], [["設計組"]]]
    assert bands_of(_cell("業務組"), items) is None, "no positions: aligned by count"


# -- the steps together -------------------------------------------------------------------------------


def test_builder_runs_the_steps_in_order_and_records_each():
    builder = TreeBuilder()
    rows = [
        _row(["一、基礎服務", "(一) 服務一致及正確性"], "1. 訂定申辦業務標準作業流程", "業務組", "持續辦理"),
        _row(["", "2. 提升服務及時性"], "(1) 受理網路、信函、電話、傳真及「台灣電力」App 申辦案件，管道多重且便利。",
             "業務組\n北客服", "持續辦理"),
        ClassifiedRow([], None, units_cell=_cell("設計組")),
    ]
    for row in rows:
        builder.add_row(row)
    builder.finish()
    measures = measures_from_tree(builder, 0)
    assert [m.path for m in measures] == [["一、基礎服務", "(一)服務一致及正確性"],
                                          ["一、基礎服務", "(一)服務一致及正確性", "2.提升服務及時性"]]
    assert measures[1].departments == ["業務組", "北客服", "設計組"], "the values-only row adds to the row above"
    assert list(rows[1].steps) == ["numbering", "levels", "parents", "boundaries", "values"]
    assert rows[2].steps["values"] == ["values-only row: joins the values of the row above"]
    tree = render_tree(builder.root)
    assert tree[0] == "▸ 一、基礎服務" and tree[2].strip().startswith("• 1.訂定申辦業務標準作業流程")
