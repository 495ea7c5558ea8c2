"""The plan as Markdown, for reading an extraction by eye."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape

from models import Plan
from outputs.reports.view import PLAN_KIND_LABELS

_env = Environment(
    loader=PackageLoader("outputs", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html",)),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def _md(text: object) -> str:
    """Escape what would break a Markdown table cell."""
    return str(text or "").replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


_env.filters["md"] = _md


def plan_to_markdown(plan: Plan) -> str:
    return _env.get_template("plan.md.j2").render(plan=plan, kind=PLAN_KIND_LABELS[plan.plan_kind])
