"""The rungs below the measure table: a numbered outline, then plain paragraphs.

A readable plan is never refused for want of a table. When the table finder
finds none, the measures are read from the outline of the plan-content section
(計畫內容, 實施策略, 執行方面 …; leaves of the numbering tree), and when the
outline has no numbered leaf, from the paragraphs that read as measures.

Confidence (0–1) says how much a reviewer can trust the reading; it is fixed
per rung, because each rung's typical error is known:

    table read from the document's own table                1.0
    table put back together from one-cell-per-line text     0.8
    outline under a titled plan-content section             0.7  (+0.1 per measure with an owner clause)
    outline of the whole body (no such title)               0.5  (+0.1 per measure with an owner clause)
    plain paragraphs                                        0.3
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor.elements import Document, Paragraph
from extractor.outline import build_tree, content_sections, leaves, outline_items, owner_clause, path_of
from extractor.prose import measure_paragraphs
from models import Location, Measure, ReadMethod
from normalizers.text import clean_text

CONFIDENCE = {
    "table": 1.0,
    "rebuilt_table": 0.8,
    "titled_outline": 0.7,
    "outline": 0.5,
    "text": 0.3,
}
OWNER_CLAUSE_BONUS = 0.1


@dataclass
class Reading:
    method: ReadMethod
    confidence: float
    measures: list[Measure] = field(default_factory=list)


def _paragraphs(document: Document) -> list[Paragraph]:
    return [element for element in document.elements if isinstance(element, Paragraph)]


def outline_reading(document: Document) -> Reading:
    """Measures from the numbered outline; none when no leaf is numbered."""
    root = build_tree(outline_items(_paragraphs(document)))
    sections, titled = content_sections(root)
    items = leaves(sections)
    if not any(item.marker is not None for item in items):
        return Reading(ReadMethod.outline, 0.0)
    base = CONFIDENCE["titled_outline" if titled else "outline"]
    measures = []
    for index, item in enumerate(items, start=1):
        text, units, deadline = owner_clause(clean_text(item.text))
        bonus = OWNER_CLAUSE_BONUS if units or deadline else 0.0
        measures.append(Measure(
            id=f"o{index}",
            path=[clean_text(label) for label in path_of(item, sections[0] if titled else None)],
            number=item.marker.raw if item.marker else "",
            text=text,
            departments=units,
            deadline=deadline,
            location=Location(line=item.line, page=item.page),
            method=ReadMethod.outline,
            confidence=min(1.0, base + bonus),
        ))
    return Reading(ReadMethod.outline, base, measures)


def text_reading(document: Document) -> Reading:
    """Measures from plain paragraphs."""
    base = CONFIDENCE["text"]
    measures = [
        Measure(id=f"p{index}", path=[], number="", text=clean_text(paragraph.text),
                location=Location(line=paragraph.line, page=paragraph.page),
                method=ReadMethod.text, confidence=base)
        for index, paragraph in enumerate(measure_paragraphs(_paragraphs(document)), start=1)
    ]
    return Reading(ReadMethod.text, base if measures else 0.0, measures)


def read_without_table(document: Document) -> Reading:
    """The outline's measures, else the paragraphs'."""
    reading = outline_reading(document)
    if reading.measures:
        return reading
    return text_reading(document)
