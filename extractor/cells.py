"""Cell text as converters write it — HTML fragments (<p>, <br>, <ol><li>) and
markdown <br> — turned into paragraphs of lines."""

from __future__ import annotations

import re

_BLOCK_TAGS = {"p", "li", "div", "ol", "ul", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}
_HAS_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_BREAK = "\n"
_PARAGRAPH = "\n\n"


def _flatten(element) -> list[str]:
    parts: list[str] = []
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _BLOCK_TAGS:
        parts.append(_PARAGRAPH)
    if tag == "br":
        parts.append(_BREAK)
    if element.text and tag not in ("script", "style"):
        parts.append(element.text)
    for child in element:
        parts.extend(_flatten(child))
        if child.tail:
            parts.append(child.tail)
    if tag in _BLOCK_TAGS:
        parts.append(_PARAGRAPH)
    return parts


def split_paragraphs(text: str) -> list[list[str]]:
    """Paragraphs (lists of non-empty lines) of a text in which a blank line
    separates paragraphs and a single line break separates lines."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if lines:
            paragraphs.append(lines)
    return paragraphs


def cell_paragraphs(raw: str) -> list[list[str]]:
    """Paragraphs of a cell written as plain text or as an HTML fragment.

    >>> cell_paragraphs("<p>1、甲</p> <p>2、乙<br/>續</p>")
    [['1、甲'], ['2、乙', '續']]
    >>> cell_paragraphs("承辦人<br><br>全體同仁")
    [['承辦人'], ['全體同仁']]
    """
    if not _HAS_TAG.search(raw):
        return split_paragraphs(raw)
    import lxml.html  # on first use: a cell written as plain text needs no parser

    root = lxml.html.fragment_fromstring(raw, create_parent="div")
    # Whitespace between tags (converters put spaces between </p> <p>) is not text.
    text = "".join(_flatten(root))
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    return split_paragraphs(text)
