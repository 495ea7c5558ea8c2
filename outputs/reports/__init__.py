"""Gap-report and batch-summary renderers: one module per format, one registry.

Every module ``outputs/reports/render_<name>.py`` defines ``EXTENSION``,
``render_report(view: ReportView) -> bytes`` and
``render_summary(summary: BatchSummary) -> bytes``. Adding a format means adding
such a module and one line to ``FORMATS``; nothing else knows formats exist."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from outputs.reports.summary import BatchSummary, build_summary
from outputs.reports.view import ReportView, build_view

FORMATS: dict[str, str] = {
    "html": "outputs.reports.render_html",
    "md": "outputs.reports.render_md",
    "json": "outputs.reports.render_json",
    "csv": "outputs.reports.render_csv",
    "xlsx": "outputs.reports.render_xlsx",
    "odt": "outputs.reports.render_odt",
    "docx": "outputs.reports.render_docx",
}


@dataclass(frozen=True)
class Renderer:
    name: str
    extension: str
    render_report: Callable[[ReportView], bytes]
    render_summary: Callable[[BatchSummary], bytes]


def renderer(name: str) -> Renderer:
    module = importlib.import_module(FORMATS[name])
    return Renderer(name, module.EXTENSION, module.render_report, module.render_summary)


class UnknownFormat(ValueError):
    pass


def parse_formats(text: str) -> tuple[str, ...]:
    """``"html, JSON,html"`` → ``("html", "json")``: known names, first mention wins.

    >>> parse_formats("html, JSON,html")
    ('html', 'json')
    """
    names = tuple(dict.fromkeys(part.strip().lower() for part in text.split(",") if part.strip()))
    unknown = [name for name in names if name not in FORMATS]
    if unknown or not names:
        raise UnknownFormat(
            f"未知的格式：{', '.join(unknown) or '（空白）'}；可用：{', '.join(FORMATS)}"
        )
    return names


__all__ = ["FORMATS", "BatchSummary", "Renderer", "ReportView", "UnknownFormat", "build_summary", "build_view", "parse_formats", "renderer"]
