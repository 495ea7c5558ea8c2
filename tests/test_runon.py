"""Run-on text cut back into paragraphs (extractor/runon.py), on the real copy
whose line breaks were lost (tests/realworld/docs/book118-cga-41bn-103)."""

from __future__ import annotations

from extractor import extract
from extractor.runon import split_run_on
from tests import ROOT

RUN_ON = ROOT / "tests" / "realworld" / "docs" / "book118-cga-41bn-103.txt"


def test_a_run_on_plan_is_cut_at_its_section_and_item_markers():
    line = RUN_ON.read_text(encoding="utf-8").splitlines()[11]
    pieces = split_run_on(line)
    starts = [piece[:5] for piece in pieces]
    assert starts[:5] == ["PAGE ", "壹、計畫依", "貳、計畫目", "ㄧ、發揮專", "二、藉由持"]
    assert "".join(pieces).replace(" ", "") == line.replace(" ", "")  # nothing lost, nothing added


def test_ordinary_paragraphs_are_left_whole():
    sentence = "本所每3個月辦理電話禮貌測試，一、二月份之結果於會議檢討。" * 10
    assert split_run_on(sentence) == [sentence]
    short = "壹、計畫依據 依行政院函辦理。 貳、計畫目標 提升服務品質。"
    assert split_run_on(short) == [short]


def test_the_run_on_plan_gets_its_sections():
    plan = extract(RUN_ON)
    titles = [section.title[:4] for section in plan.sections]
    assert titles[:4] == ["計畫依據", "計畫目標", "實施時間", "實施對象"]
