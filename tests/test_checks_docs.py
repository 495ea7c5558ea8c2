"""docs/items.md is generated from the profile data and must not drift."""

from __future__ import annotations

from pathlib import Path

from checks import load_profile
from checks.docs import DOCS_PAGE, render_items
from checks.rules import RULE_KINDS


def test_items_page_is_up_to_date():
    expected = render_items(load_profile("default"))
    actual = DOCS_PAGE.read_text(encoding="utf-8") if DOCS_PAGE.exists() else ""
    assert actual == expected, "docs/items.md is stale: run `plancheck items --out docs/items.md`"


def test_every_item_and_rule_kind_is_documented():
    page = DOCS_PAGE.read_text(encoding="utf-8")
    for item in load_profile("default").items:
        assert f"## {item.id}" in page
    used = {item.rule.kind for item in load_profile("default").items}
    assert used <= set(RULE_KINDS)
    for kind in RULE_KINDS.values():
        assert kind.summary and kind.doc, kind.kind


def test_rule_kinds_are_one_module_each():
    folder = Path(__file__).resolve().parents[1] / "checks" / "rules"
    modules = {p.stem for p in folder.glob("*.py")} - {"__init__", "base"}
    assert modules == set(RULE_KINDS)
