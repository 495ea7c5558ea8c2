"""The Jinja2 environments of the report templates (outputs/templates/report*,
summary*): HTML with autoescape always on, Markdown with its own escaping."""

from __future__ import annotations

import base64
import hashlib
import re

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

_LOADER = PackageLoader("outputs", "templates")


def _environment(autoescape: bool) -> Environment:
    return Environment(
        loader=_LOADER,
        autoescape=autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#])")


def md(text: object) -> str:
    """Text for a Markdown table cell or list item: Markdown syntax and raw HTML
    shown as written, never interpreted (a plan quoting ``<script>`` stays text).

    >>> md("a|b <script>x</script> *y*")
    'a\\\\|b &lt;script&gt;x&lt;/script&gt; \\\\*y\\\\*'
    """
    value = "" if text is None else str(text)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = _MD_SPECIAL.sub(r"\\\1", value)
    return " ".join(value.split())


HTML = _environment(autoescape=True)
MARKDOWN = _environment(autoescape=False)
MARKDOWN.filters["md"] = md


def static_script(name: str) -> tuple[Markup, str]:
    """A script shipped with the templates, and its CSP source expression: the
    page allows exactly this script and nothing injected beside it."""
    source, _, _ = _LOADER.get_source(HTML, name)
    if "</" in source:
        raise ValueError(f"{name}: a static script must not contain '</'")
    digest = base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")
    return Markup(source), f"'sha256-{digest}'"
