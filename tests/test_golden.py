"""The samples' outputs are the committed golden ones, byte for byte (zip
reports member by member). A deliberate change regenerates them with
``python -m tests.golden --update`` and commits the diff."""

from __future__ import annotations

import pytest

from tests.golden import committed, differences, generate


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("golden"))


def test_golden_outputs_are_committed():
    names = committed()
    assert any(n.startswith("extract/") for n in names) and any(n.startswith("reports/plans/") for n in names)


def test_outputs_match_golden(fresh):
    problems = differences(committed(), fresh)
    assert not problems, "outputs differ from tests/golden/ (python -m tests.golden shows the diff; " \
        "--update accepts it):\n\n" + "\n\n".join(problems)


def test_differences_shows_a_readable_diff(fresh):
    name = next(n for n in fresh if n.startswith("check/"))
    changed = dict(fresh, **{name: fresh[name].replace(b'"present"', b'"missing"', 1)})
    docx = next(n for n in fresh if n.endswith(".docx"))
    problems = differences(fresh, changed)
    assert len(problems) == 1 and problems[0].startswith(f"--- golden/{name}")
    assert '-' in problems[0] and '+' in problems[0] and '"missing"' in problems[0]
    assert differences(fresh, {k: v for k, v in fresh.items() if k != docx}) == [f"{docx}: no longer written"]
