"""Normalise and map once (issue 16, item 3): the plan's stage is its type, and
each flow — check, index, check --out --corpus-db — normalises, maps and builds
the per-measure mappings exactly once per plan."""

from __future__ import annotations

import json
import shutil
import sys
from collections import Counter
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner

import checks.mapping
import corpus
import library
import normalizers.pipeline
from extractor import extract
from models import MappedPlan, NormalizedPlan, Plan
from plancheck.cli import app

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpus" / "samples" / "000_c9ab90e6d2d4423d.txt"  # F1: some measures map to no dimension
STAGE_FUNCTIONS = {
    "normalize_plan": normalizers.pipeline.normalize_plan,
    "map_plan": checks.mapping.map_plan,
    "mappings": checks.mapping.mappings,  # the per-measure mapping work itself
}


def count_stage_calls(monkeypatch) -> Counter:
    """Counts every call of the stage functions, under whatever name a module
    imported them."""
    counted: Counter = Counter()

    def counting(name, function):
        def wrapper(*args, **kwargs):
            counted[name] += 1
            return function(*args, **kwargs)
        return wrapper

    for name, function in STAGE_FUNCTIONS.items():
        wrapper = counting(name, function)
        for module in list(sys.modules.values()):
            for attribute, value in list(vars(module).items()) if module is not None else ():
                if value is function:
                    monkeypatch.setattr(module, attribute, wrapper)
    return counted


@pytest.fixture
def calls(monkeypatch) -> Counter:
    return count_stage_calls(monkeypatch)


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_each_stage_returns_its_own_type():
    plan = extract(SAMPLE)
    assert type(plan) is Plan
    normalized = normalizers.pipeline.normalize_plan(plan)
    assert type(normalized) is NormalizedPlan and all(m.norm for m in normalized.measures)
    mapped = checks.mapping.map_plan(normalized)
    assert type(mapped) is MappedPlan and [m.measure_id for m in mapped.mappings] == [m.id for m in mapped.measures]
    # The stage is not part of the plan's JSON: every stage writes the same document.
    assert "mappings" not in json.loads(mapped.model_dump_json())
    assert mapped.model_dump(exclude={"measures", "framework"}) == plan.model_dump(exclude={"measures", "framework"})


def test_check_of_one_file_runs_each_stage_once(calls):
    result = invoke("check", str(SAMPLE))
    assert result.exit_code == 0, result.output
    assert calls == {"normalize_plan": 1, "map_plan": 1, "mappings": 1}


def test_index_runs_each_stage_once(calls, tmp_path):
    result = invoke("index", str(SAMPLE), "--db", str(tmp_path / "c.sqlite"))
    assert result.exit_code == 0, result.output
    assert calls == {"normalize_plan": 1, "map_plan": 1, "mappings": 1}


def test_check_with_corpus_runs_each_stage_once_per_plan(tmp_path, monkeypatch):
    db = tmp_path / "c.sqlite"
    with closing(corpus.connect(db, create=True)) as conn:
        library.index_paths(conn, [SAMPLE.parent / "004_3bdb734e2070ee73.txt"])
    plans = tmp_path / "plans"
    plans.mkdir()
    for name in ("000_c9ab90e6d2d4423d.txt", "001_dc73fa876cd20475.txt"):
        shutil.copy(SAMPLE.parent / name, plans / name)
    counted = count_stage_calls(monkeypatch)
    result = invoke("check", str(plans), "--out", str(tmp_path / "out"), "--format", "json", "--jobs", "1",
                    "--corpus-db", str(db))
    assert result.exit_code == 0, result.output
    assert counted == {"normalize_plan": 2, "map_plan": 2, "mappings": 2}


def test_check_plan_maps_an_earlier_stage_but_never_a_mapped_plan(calls):
    mapped = library.read_plan(SAMPLE)
    assert calls == {"normalize_plan": 1, "map_plan": 1, "mappings": 1}
    checks.check_plan(mapped)
    assert calls == {"normalize_plan": 1, "map_plan": 1, "mappings": 1}
    checks.check_plan(extract(SAMPLE))  # an extracted plan is taken through the stages it lacks
    assert calls == {"normalize_plan": 2, "map_plan": 2, "mappings": 2}
