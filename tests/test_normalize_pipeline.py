"""normalizers.pipeline.normalize_plan on the sample plans and on a
simplified plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor import extract
from models import DeadlineKind, Measure, Plan, SourceFile
from normalizers.pipeline import normalize_plan

SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "samples"
SEEDS = {path.name[:3]: path for path in sorted(SAMPLES.glob("*.txt"))}


@pytest.fixture(scope="module")
def plans() -> dict[str, tuple[Plan, Plan]]:
    result = {}
    for seed, path in SEEDS.items():
        plan = extract(path)
        result[seed] = (plan, normalize_plan(plan))
    return result


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_text_as_written_is_untouched(plans, seed: str) -> None:
    original, normalized = plans[seed]
    assert original.measures and all(measure.norm is None for measure in original.measures)
    for before, after in zip(original.measures, normalized.measures, strict=True):
        assert (after.text, after.departments, after.deadline) == (before.text, before.departments, before.deadline)
        assert after.norm is not None and after.norm.text and after.norm.key


def test_seed_000_phone_test_frequency(plans) -> None:
    _, plan = plans["000"]
    [measure] = [m for m in plan.measures if "禮貌測試" in m.text]
    assert [(f.per_year, f.quote) for f in measure.norm.frequencies] == [(None, "不定期"), (4, "每3個月至少測試1次")]
    assert "，" in measure.norm.text and "," in measure.text  # normalized beside, not over, the text


def test_seed_003_units_and_deadlines(plans) -> None:
    _, plan = plans["003"]
    assert all(m.norm.deadline.kind is DeadlineKind.continuous for m in plan.measures)
    owners = {owner for m in plan.measures for owner in m.norm.shared_owners}
    assert owners == {"全體同仁", "承辦人"}
    assert not any(m.norm.departments for m in plan.measures)


def test_seed_004_units_folded_and_periodic_deadlines(plans) -> None:
    _, plan = plans["004"]
    units = {unit for m in plan.measures for unit in m.norm.departments}
    assert {"業務組", "資訊組", "北區客服中心", "人力資源組"} <= units
    assert not units & {"各部門", "北客服", "人資組"}
    survey = [m for m in plan.measures if m.deadline == "每年辦理"]
    assert survey and all(m.norm.deadline.period == "year" for m in survey)


def test_simplified_plan_is_normalized_into_traditional() -> None:
    plan = Plan(
        source=SourceFile(path="x.txt", sha256="0", format="text"),
        roc_year=112,
        title="台电公司112年度提升服务效能执行计划",
        measures=[
            Measure(id="m1", path=[], number="(4)", text="注重服务人员接听电话礼貌，每3个月至少测试1次。",
                    departments=["业务组 总务组"], deadline="6月底前"),
            Measure(id="m2", path=[], number="(5)", text="设置单一窗口。", departments=["全体同仁"]),
        ],
    )
    first, second = normalize_plan(plan).measures
    assert first.norm.text == "注重服務人員接聽電話禮貌，每3個月至少測試1次。"
    assert first.norm.departments == ["業務組", "總務組"]
    assert first.norm.deadline.due == "2023-06-30"
    assert [f.per_year for f in first.norm.frequencies] == [4]
    assert second.norm.text == "設置單一窗口。"  # detected on the whole plan, not this short measure
    assert second.norm.shared_owners == ["全體同仁"]
    assert first.text == "注重服务人员接听电话礼貌，每3个月至少测试1次。"
