"""Framework detection and dimension mapping on the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from checks import detect_framework, map_plan, mappings
from checks.headings import heading_key
from library import read_plan

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"
EXPECTED = Path(__file__).parent / "expected" / "verdicts"
SEEDS = sorted(path.stem for path in EXPECTED.glob("*.yaml"))


def _expected(seed: str) -> dict:
    return yaml.safe_load((EXPECTED / f"{seed}.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("seed", SEEDS)
def test_mapping_agrees_with_the_plans_own_headings(seed):
    expected = _expected(seed)
    plan = read_plan(SAMPLES / expected["seed"])
    by_heading = {heading_key(h): d for h, d in expected["dimensions"].items()}
    agree = 0
    for measure in plan.measures:
        want = by_heading.get(heading_key(measure.path[0])) if measure.path else None
        agree += want is not None and measure.dimension == want
    share = agree / len(plan.measures)
    print(f"\n{seed}: mapping agreement {agree}/{len(plan.measures)} = {share:.3f}")
    assert share >= 0.97


@pytest.mark.parametrize("seed", SEEDS)
def test_detected_framework_with_reasons(seed):
    expected = _expected(seed)
    plan = read_plan(SAMPLES / expected["seed"])
    ref = detect_framework(plan)
    assert ref.id == expected["framework"] and ref.confidence >= 0.8 and ref.reasons
    assert plan.framework == ref


def test_seed000_without_programme_citation_is_detected_by_its_headings():
    ref = detect_framework(read_plan(SAMPLES / "000_c9ab90e6d2d4423d.txt"))
    assert ref.id == "F1"
    assert any("面向" in reason or "構面" in reason for reason in ref.reasons)


def test_year_decides_when_nothing_else_does():
    plan = read_plan(SAMPLES / "001_dc73fa876cd20475.txt")
    bare = plan.model_copy(update={"basis": [], "sections": [], "measures": [], "framework": None, "roc_year": 95})
    assert detect_framework(bare).id == "F0"
    assert detect_framework(bare.model_copy(update={"roc_year": 110})).id == "F2"
    assert detect_framework(bare.model_copy(update={"roc_year": 106})).id == "F1"


@pytest.mark.parametrize("seed", ["000", "001"])
def test_crosswalk_of_f1_plans_onto_f2_with_reasons(seed):
    plan = read_plan(SAMPLES / _expected(seed)["seed"])
    result = {m.measure_id: m for m in mappings(plan)}
    f2 = {"基礎服務", "服務遞送", "服務量能", "服務評價", "開放創新"}
    for mapping in result.values():
        assert mapping.current_dimension in f2, mapping
        assert mapping.current_via == "crosswalk"
        assert any("對照表" in reason for reason in mapping.reasons)
    by_text = {m.text: result[m.id] for m in plan.measures}
    window = next(v for t, v in by_text.items() if "提供整合服務" in t)
    assert (window.dimension, window.sub_item) == ("優質便民服務", "服務流程")
    survey = next(v for t, v in by_text.items() if "滿意度調查" in t)
    assert survey.current_dimension == "服務評價"
    web = next(v for t, v in by_text.items() if "無障礙檢測" in t)
    assert (web.current_dimension, web.current_sub_item) == ("基礎服務", "服務友善")


def test_seed000_single_window_goes_to_service_convenience_by_its_content():
    plan = read_plan(SAMPLES / "000_c9ab90e6d2d4423d.txt")
    result = {m.measure_id: m for m in mappings(plan)}
    measure = next(m for m in plan.measures if "單一窗口櫃台" in m.text)
    mapping = result[measure.id]
    assert (mapping.current_dimension, mapping.current_sub_item) == ("服務遞送", "服務便捷")
    assert "單一窗口" in " ".join(mapping.reasons)


def test_own_heading_wins_and_f2_plans_map_onto_themselves():
    plan = read_plan(SAMPLES / "004_3bdb734e2070ee73.txt")
    for mapping in mappings(plan):
        assert mapping.via == "heading"
        assert mapping.current_dimension == mapping.dimension
    assert {m.dimension for m in plan.measures} == {"基礎服務", "服務遞送", "服務量能", "服務評價", "開放創新"}


def test_map_plan_is_deterministic_and_leaves_its_input_alone():
    plan = read_plan(SAMPLES / "003_b8edc63295c616bd.txt")
    bare = plan.model_copy(update={"framework": None,
                                   "measures": [m.model_copy(update={"dimension": None}) for m in plan.measures]})
    once, twice = map_plan(bare), map_plan(bare)
    assert once == twice
    assert bare.framework is None and all(m.dimension is None for m in bare.measures)
