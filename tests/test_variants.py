"""The text layouts of issue 13 that no collected page showed, as renderings of real plans
(tests/fixtures/variants/MANIFEST.yaml, scripts/make_variants.py): each reads with measure
recall ≥ 0.9 against the seed's hand labels, and the paths, units and deadlines its layout
carries come out as labelled."""

from __future__ import annotations

import pytest
import yaml

from extractor import extract
from extractor.elements import Paragraph
from extractor.linetable import header_at
from extractor.outline import build_tree, outline_items
from extractor.readers.text import parse_text
from extractor.runon import split_run_on
from extractor.script import in_traditional
from extractor.slides import is_deck, slide_pieces, without_slides
from models import ReadMethod
from tests import ROOT
from tests.scoring import load_expected, score_plan

VARIANTS = ROOT / "tests" / "fixtures" / "variants"
MANIFEST = {v["file"]: v for v in yaml.safe_load((VARIANTS / "MANIFEST.yaml").read_text(encoding="utf-8"))["variants"]}


def score(name: str):
    plan = extract(VARIANTS / name)
    return plan, score_plan(plan, load_expected(MANIFEST[name]["expected"].split("/")[-1][:3]))


def test_every_rendering_is_in_the_manifest():
    assert sorted(MANIFEST) == sorted(path.name for path in VARIANTS.glob("*.txt"))


def test_header_half_on_one_line_half_one_per_line():
    plan, result = score("a_header_half_split_004.txt")
    assert plan.method is ReadMethod.table and plan.table_rebuilt
    assert plan.tables[0].header == ["面向", "執行策略", "具體作法", "承辦部門", "完成期限"]
    assert result.recall >= 0.9, result.summary("a")
    assert result.units_accuracy >= 0.95 and result.deadline_accuracy >= 0.95, result.summary("a")
    assert result.path_accuracy >= 0.85, result.summary("a")


def test_slide_deck_text():
    plan, result = score("c_slides_003.txt")
    assert plan.method is ReadMethod.outline
    assert result.recall >= 0.9 and result.precision >= 0.9, result.summary("c")
    assert result.path_accuracy >= 0.95, result.summary("c")
    texts = " ".join(m.text for m in plan.measures)
    assert "簡報大綱" not in texts and "敬請指教" not in texts and not any(m.text[0] in "▶◆★●■" for m in plan.measures)


def test_a_slide_line_is_cut_at_its_bullets_and_the_deck_chrome_dropped():
    lines = (VARIANTS / "c_slides_003.txt").read_text(encoding="utf-8").splitlines()
    strategy = next(line for line in lines if line.startswith("◆ 一、服務一致及正確"))
    assert slide_pieces(strategy)[:3] == ["◆ 一、服務一致及正確", "▶ (一)申辦業務標準作業流程訂定情形",
                                          "● 受理各項戶籍登記案件依據戶籍法規及本市戶政人員工作手冊標準作業流程相關規定辦理。"]
    deck = without_slides(parse_text("\n".join(lines)))
    texts = [e.text for e in deck.elements if isinstance(e, Paragraph)]
    assert not any(t.startswith(("簡報大綱", "報告完畢")) for t in texts)


@pytest.mark.parametrize("doc_id", ["book118-cga-41bn-103", "kcg-gsland-106", "forest-taitung-105"])
def test_real_pages_are_not_slide_decks(doc_id):
    # kcg-gsland-106 wraps headings in 「•」; none of them is a deck
    document = parse_text((ROOT / "tests" / "realworld" / "docs" / f"{doc_id}.txt").read_text(encoding="utf-8"))
    assert not is_deck(document)


def test_header_half_on_one_line_continues_word_by_word():
    lines = ["面向 執行策略 具體作法", "承辦部門", "完成期限", "一、基礎服務"]
    header = header_at([Paragraph(text=text, line=index + 1) for index, text in enumerate(lines)], 0)
    assert header is not None and header.texts == ["面向", "執行策略", "具體作法", "承辦部門", "完成期限"] and header.end == 3


def test_a_simplified_document_is_read_in_traditional_and_a_traditional_one_kept():
    text = (VARIANTS / "d_simplified_runon_004.txt").read_text(encoding="utf-8")
    converted = in_traditional(parse_text(text))
    assert converted.elements[0].text.startswith("臺電公司臺北市區營業處112年度提升服務效能執行計畫")  # s2twp writes 臺
    # book118-cga-41bn-103: Simplified site chrome over a Traditional body stays as written
    real = parse_text((ROOT / "tests" / "realworld" / "docs" / "book118-cga-41bn-103.txt").read_text(encoding="utf-8"))
    assert in_traditional(real) is real


def test_run_on_text_is_cut_where_a_list_continues_straight_after_a_word():
    # d_simplified_runon_004: 「…服務一致及正確性1.訂定…（…）2. 提升服務及時性(1)受理…」
    text = "壹、計畫依據 依函辦理。貳、計畫目標 提升服務品質。" + "服務一致及正確性1.訂定申辦業務標準作業流程（承辦單位：業務組；完成期限：持續辦理）" \
        "2. 提升服務及時性(1)受理網路申辦案件。（承辦單位：業務組；完成期限：持續辦理）(2)訂定各項用電申請適時供電日程。" + "。" * 120
    pieces = split_run_on(text)
    assert pieces[1].endswith("服務一致及正確性")
    assert [p[:4] for p in pieces[2:6]] == ["1.訂定", "2. 提", "(1)受", "(2)訂"]
    assert split_run_on("本所共3.5億元經費，辦理第1、2季測試。" * 20) == ["本所共3.5億元經費，辦理第1、2季測試。" * 20]


def test_simplified_run_on_with_stray_spaces():
    plan, result = score("d_simplified_runon_004.txt")
    assert plan.method is ReadMethod.outline
    assert result.recall >= 0.9, result.summary("d")
    assert result.units_accuracy >= 0.95 and result.deadline_accuracy >= 0.95, result.summary("d")
    assert result.path_accuracy >= 0.85, result.summary("d")
    assert all(not any(ch in m.text for ch in "单务办") for m in plan.measures)  # read in Traditional


def test_outline_with_owner_clauses():
    plan, result = score("e_outline_clause_003.txt")
    assert plan.method is ReadMethod.outline and plan.confidence == 0.7  # under its titled section
    assert result.precision == 1.0, result.summary("e")  # 陸、計畫管考 is not content
    assert result.recall >= 0.9, result.summary("e")
    assert result.units_accuracy == 1.0 and result.deadline_accuracy == 1.0, result.summary("e")
    assert result.path_accuracy >= 0.95, result.summary("e")


def test_a_list_restarting_under_a_content_title_is_its_content():
    """e_outline_clause_003: 「伍、實施內容：」 is followed by the table's own 壹、 … 肆、 (the seed numbers its
    dimensions 壹、 too), then the plan goes on with 「陸、計畫管考：」 … 捌、."""
    lines = (VARIANTS / "e_outline_clause_003.txt").read_text(encoding="utf-8").splitlines()
    items = outline_items([Paragraph(text=text, line=index + 1) for index, text in enumerate(lines)])
    root = build_tree(items)
    content = next(item for item in root.children if item.text.startswith("實施內容"))
    assert [child.label for child in content.children] == ["壹、基礎服務", "貳、服務遞送", "參、服務量能", "肆、服務評價"]
    assert [child.label[:2] for child in root.children][-4:] == ["伍、", "陸、", "柒、", "捌、"]
