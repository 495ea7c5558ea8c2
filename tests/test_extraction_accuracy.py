"""Extraction scored against the hand-checked expected files (tests/expected/).

Prints measure-level precision and recall per seed (run with -s to see them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor import extract
from tests.scoring import load_expected, score_plan

SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "samples"
SEEDS = {path.name[:3]: path for path in sorted(SAMPLES.glob("*.txt"))}

# F1 floors from issue 2; units/deadline floors for the seeds whose tables have those columns.
F1_FLOOR = {"000": 0.95, "001": 0.98, "002": 0.95, "003": 0.98, "004": 0.98}
VALUES_FLOOR = {"003": 0.95, "004": 0.95}


@pytest.fixture(scope="module", params=sorted(SEEDS))
def scored(request):
    seed = request.param
    score = score_plan(extract(SEEDS[seed]), load_expected(seed))
    print("\n" + score.summary(seed))
    return seed, score


def test_measure_f1(scored):
    seed, score = scored
    assert score.f1 >= F1_FLOOR[seed], [m["text"][:40] for m in score.missed] + [m.text[:40] for m in score.spurious]


def test_units_and_deadlines(scored):
    seed, score = scored
    if seed not in VALUES_FLOOR:
        pytest.skip("this seed's table has no units or deadline column")
    assert score.units_accuracy >= VALUES_FLOOR[seed]
    assert score.deadline_accuracy >= VALUES_FLOOR[seed]


def test_numbers_and_paths(scored):
    seed, score = scored
    assert score.number_accuracy >= 0.97
    # Paths of seeds 000 and 002 suffer from cells the converter put out of
    # order (see tests/expected notes); the others must be right.
    assert score.path_accuracy >= (0.80 if seed in ("000", "002") else 0.97)


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_identity(seed):
    plan = extract(SEEDS[seed])
    expected = load_expected(seed)
    assert plan.agency.replace(" ", "") == expected["agency"].replace(" ", "")
    assert plan.roc_year == expected["roc_year"]
    assert plan.year == expected["roc_year"] + 1911
    assert plan.title.replace(" ", "") == expected["title"].replace(" ", "")
