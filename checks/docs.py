"""The documentation pages generated from the data the checker runs on, so
they cannot drift from it:

- docs/items.md, the catalogue of a profile in full (a template);
- the generated blocks of docs/frameworks.md (every framework, its dimension
  sets and the crosswalk) and of docs/mandated-items.md (every item with its
  source and the years it is in force).

A generated block sits between ``<!-- BEGIN GENERATED name -->`` and
``<!-- END GENERATED name -->``; the prose around it is written by hand.
``python -m checks.docs`` rewrites them all; tests/test_checks_docs.py fails
when a page is stale."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from checks.frameworks import Framework, describe_in_force, frameworks
from checks.profiles import Item, Profile, load_profile
from checks.rules import RULE_KINDS

TEMPLATES = Path(__file__).parent / "templates"
DOCS = Path(__file__).resolve().parents[1] / "docs"
DOCS_PAGE = DOCS / "items.md"
_BLOCK = re.compile(r"(<!-- BEGIN GENERATED (?P<name>[\w-]+) -->\n).*?(<!-- END GENERATED (?P=name) -->)", re.S)


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


# --- years in force -------------------------------------------------------------------------------

def _years(start: int | None, end: int | None) -> str:
    if start is None and end is None:
        return "every year"
    if end is None:
        return f"{start} on"
    if start is None:
        return f"up to {end}"
    return f"{start}–{end}" if start != end else str(start)


def years_in_force(item: Item) -> str:
    """The 民國 years an item is in force, per framework where it names them,
    from its windows intersected with the frameworks' own years."""
    if not item.in_force:
        return "every year, every framework"
    known = frameworks()
    parts = []
    for window in item.in_force:
        if window.frameworks is None:
            parts.append(_years(window.from_year, window.to_year) + ", every framework")
            continue
        for framework_id in window.frameworks:
            years = known[framework_id].years
            start = max(filter(None, (years.from_, window.from_year)), default=None)
            ends = [year for year in (years.to, window.to_year) if year is not None]
            parts.append(f"{framework_id} {_years(start, min(ends) if ends else None)}")
    return "; ".join(parts)


# --- the generated blocks -------------------------------------------------------------------------

def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _names(name: str, variants: list[str]) -> str:
    return name + (f" [{', '.join(variants)}]" if variants else "")


def _framework_section(framework: Framework) -> list[str]:
    lines = [f"### {framework.id} — {framework.name} (民國 {_years(framework.years.from_, framework.years.to)})"
             + (" — current" if framework.current else ""), ""]
    lines.append(f"- Source: {framework.source}")
    if framework.award:
        lines.append(f"- Award: {framework.award}")
    lines.append(f"- Cited as: {', '.join(framework.names)}")
    if framework.detection.citations:
        lines.append(f"- Detected by the citations: {', '.join(framework.detection.citations)}")
    if framework.detection.titles:
        lines.append(f"- Plan titles of its time: {', '.join(framework.detection.titles)}")
    if not framework.schemes:
        lines.append("- No dimensions: its plans are not mapped.")
    for scheme in framework.schemes:
        lines += ["", f"{scheme.label} (`{scheme.id}`):", ""]
        for dimension in scheme.dimensions:
            note = (" — optional" if dimension.optional else "") + (f" ({dimension.note})" if dimension.note else "")
            lines.append(f"- {_names(dimension.name, dimension.variants)}{note}")
            for sub in dimension.sub_items:
                lines.append(f"  - {_names(sub.name, sub.variants)}" + (f": {'; '.join(sub.items)}" if sub.items else ""))
    if framework.cross_cutting:
        lines += ["", "Required across every dimension:", ""]
        lines += [f"- {c.name}: {c.requirement}" for c in framework.cross_cutting]
    return lines + [""]


def frameworks_block() -> str:
    lines = []
    for framework in frameworks().values():
        lines += _framework_section(framework)
    return "\n".join(lines)


def crosswalk_block() -> str:
    lines = []
    for framework in frameworks().values():
        if framework.crosswalk is None:
            continue
        lines += [f"{framework.id} → {framework.crosswalk.to}:", "", "| from | to (content decides; a tie takes the first) |", "|---|---|"]
        lines += [f"| {entry.from_} | {', '.join(entry.to)} |" for entry in framework.crosswalk.entries]
        lines.append("")
    return "\n".join(lines)


def catalogue_block() -> str:
    profile = load_profile("default")
    lines = []
    for group in dict.fromkeys(item.group for item in profile.items):
        lines += [f"### {group}", "", "| ID | item | requirement | source | in force (民國 years) | rule |", "|---|---|---|---|---|---|"]
        for item in (i for i in profile.items if i.group == group):
            lines.append(f"| [`{item.id}`](items.md#{item.id.lower()}) | {_cell(item.name)} | {_cell(item.requirement)} | "
                         f"{_cell(item.source)} | {years_in_force(item)} | `{item.rule.kind}` |")
        lines.append("")
    return "\n".join(lines)


BLOCKS: dict[str, Callable[[], str]] = {
    "frameworks": frameworks_block,
    "crosswalk": crosswalk_block,
    "catalogue": catalogue_block,
}
PAGES = ("frameworks.md", "mandated-items.md")


def refreshed(text: str) -> str:
    """The page with every generated block rendered afresh from the data."""
    return _BLOCK.sub(lambda m: m.group(1) + BLOCKS[m.group("name")]().rstrip("\n") + "\n" + m.group(3), text)


def stale_pages(folder: Path = DOCS) -> list[str]:
    """The generated pages that differ from what the data gives."""
    stale = [name for name in PAGES if (folder / name).read_text(encoding="utf-8") != refreshed(
        (folder / name).read_text(encoding="utf-8"))]
    if (folder / "items.md").read_text(encoding="utf-8") != render_items(load_profile("default")):
        stale.append("items.md")
    return stale


def write_pages(folder: Path = DOCS) -> None:
    for name in PAGES:
        path = folder / name
        path.write_text(refreshed(path.read_text(encoding="utf-8")), encoding="utf-8")
    (folder / "items.md").write_text(render_items(load_profile("default")), encoding="utf-8")


if __name__ == "__main__":
    write_pages()
