"""Plans that arrive in Simplified Chinese (text passed through a mainland converter or
document site): the column names, section titles and owner clauses the readers look for are
Traditional, so a document whose text is Simplified is read in Taiwan Traditional
(normalizers.text.to_traditional, the conversion the normalizer applies to every measure
anyway). Traditional documents with Simplified site chrome stay as they are."""

from __future__ import annotations

from dataclasses import replace

from extractor.elements import Document, Paragraph
from normalizers.text import is_simplified, to_traditional


def in_traditional(document: Document) -> Document:
    """The document with its paragraphs in Traditional when its text is Simplified."""
    paragraphs = [element.text for element in document.elements if isinstance(element, Paragraph)]
    if not paragraphs or not is_simplified("".join(paragraphs)):
        return document
    return replace(document, elements=[
        replace(element, text=to_traditional(element.text)) if isinstance(element, Paragraph) else element
        for element in document.elements
    ])
