"""Normalise and map once (issue 16, item 3): the plan's stage is its type, and
each flow — check, index, check --out --corpus-db — normalises, maps and builds
the per-measure mappings exactly once per plan."""

from __future__ import annotations

import json
import shutil
import sys
from collections import Counter
from contextlib import closing

import pytest

import checks.mapping
import corpus
import library
import normalizers.pipeline
from extractor import extract
from models import MappedPlan, NormalizedPlan, Plan
from tests import sample

SAMPLE = sample("000")
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


def test_check_of_one_file_runs_each_stage_once(calls, cli):
    result = cli("check", str(SAMPLE))
    assert result.returncode == 0, result.stderr
    assert calls == {"normalize_plan": 1, "map_plan": 1, "mappings": 1}


def test_index_runs_each_stage_once(calls, cli, tmp_path):
    result = cli("index", str(SAMPLE), "--db", str(tmp_path / "c.sqlite"))
    assert result.returncode == 0, result.stderr
    assert calls == {"normalize_plan": 1, "map_plan": 1, "mappings": 1}


def test_check_with_corpus_runs_each_stage_once_per_plan(cli, tmp_path, monkeypatch):
    db = tmp_path / "c.sqlite"
    with closing(corpus.connect(db, create=True)) as conn:
        library.index_paths(conn, [sample("004")])
    plans = tmp_path / "plans"
    plans.mkdir()
    for seed in ("000", "001"):
        shutil.copy(sample(seed), plans / sample(seed).name)
    counted = count_stage_calls(monkeypatch)
    result = cli("check", str(plans), "--out", str(tmp_path / "out"), "--format", "json", "--jobs", "1",
                 "--corpus-db", str(db))
    assert result.returncode == 0, result.stderr
    assert counted == {"normalize_plan": 2, "map_plan": 2, "mappings": 2}


def test_check_plan_maps_an_earlier_stage_but_never_a_mapped_plan(calls):
    mapped = library.read_plan(SAMPLE)
    assert calls == {"normalize_plan": 1, "map_plan": 1, "mappings": 1}
    checks.check_plan(mapped)
    assert calls == {"normalize_plan": 1, "map_plan": 1, "mappings": 1}
    checks.check_plan(extract(SAMPLE))  # an extracted plan is taken through the stages it lacks
    assert calls == {"normalize_plan": 2, "map_plan": 2, "mappings": 2}
