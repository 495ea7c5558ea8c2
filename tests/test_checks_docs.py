"""The docs generated from the data (docs/items.md, the generated blocks of
docs/frameworks.md and docs/mandated-items.md) must not drift from it, and
docs/cli.md names every command."""

from __future__ import annotations

import shutil
from pathlib import Path

from checks import load_profile
from checks.docs import DOCS, DOCS_PAGE, render_items, stale_pages
from checks.frameworks import frameworks
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


def test_generated_docs_are_up_to_date():
    assert stale_pages() == [], "docs are stale: run `python -m checks.docs`"


def test_an_edited_generated_block_is_stale(tmp_path):
    for name in ("items.md", "frameworks.md", "mandated-items.md"):
        shutil.copy(DOCS / name, tmp_path / name)
    page = tmp_path / "mandated-items.md"
    page.write_text(page.read_text(encoding="utf-8").replace("F2 106 on", "F2 107 on", 1), encoding="utf-8")
    assert stale_pages(tmp_path) == ["mandated-items.md"]


def test_every_item_framework_and_command_is_documented():
    catalogue = (DOCS / "mandated-items.md").read_text(encoding="utf-8")
    for item in load_profile("default").items:
        assert f"[`{item.id}`]" in catalogue and item.source.split("；")[0] in catalogue
    framework_page = (DOCS / "frameworks.md").read_text(encoding="utf-8")
    for framework in frameworks().values():
        assert f"### {framework.id} — {framework.name}" in framework_page and framework.source in framework_page
    from plancheck.cli import app

    cli = (DOCS / "cli.md").read_text(encoding="utf-8")
    for command in app.registered_commands:
        assert f"## plancheck {command.name} " in cli or f"## plancheck {command.name}\n" in cli, command.name
