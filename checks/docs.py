"""docs/items.md, generated from the profile data (the catalogue page comes
from the same YAML the checker runs on, so it cannot drift)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from checks.frameworks import describe_in_force
from checks.profiles import Item, Profile
from checks.rules import RULE_KINDS

TEMPLATES = Path(__file__).parent / "templates"
DOCS_PAGE = Path(__file__).resolve().parents[1] / "docs" / "items.md"


def in_force(item: Item) -> str:
    return describe_in_force(item)


def kind_doc(kind: str) -> str:
    return RULE_KINDS[kind].summary


def parameters(item: Item) -> list[str]:
    """The bars of the item, marked ⚙ where the rule documents them so."""
    rule = item.rule
    lines = []
    for name, field in type(rule).model_fields.items():
        description = field.description or ""
        if "⚙" in description:
            lines.append(f"⚙ `{name}` = {getattr(rule, name):g}（{description.replace('⚙', '').strip()}）"
                         if isinstance(getattr(rule, name), (int, float)) else f"⚙ `{name}`（{description.replace('⚙', '').strip()}）")
    return lines


def render_items(profile: Profile) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), keep_trailing_newline=True, autoescape=False,
                      trim_blocks=False, lstrip_blocks=False)
    template = env.get_template("items.md.j2")
    text = template.render(profile=profile, in_force=in_force, kind_doc=kind_doc, parameters=parameters)
    return "\n".join(line.rstrip() for line in text.splitlines()).strip() + "\n"
