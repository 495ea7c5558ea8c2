"""Measures read from plain paragraphs: the last rung of the reading ladder,
for a plan that has neither a measure table nor a numbered outline.

A paragraph is taken as a measure when it is a sentence of some length that
stands outside the framing sections (依據, 目標, 實施對象 …): what is left of a
plan body once its frame is set aside is what the agency says it will do."""

from __future__ import annotations

import re

from extractor.elements import Paragraph
from extractor.outline import CONTENT_TITLES, PREAMBLE_TITLES, outline_marker
from normalizers.definitions import is_definition

_MIN_SENTENCE = 15
_TITLE_MAX = 16
_SENTENCE_END = re.compile(r"[。；;！!]$")
# A paragraph that points to a table or list elsewhere (「其實施要項及推動策略詳如下表」) introduces the
# measures; it is not one of them.
_POINTS_ELSEWHERE = re.compile(r"[詳如](?:下表|附表|下列|下所述|後附)")


def is_title(text: str) -> bool:
    """A short line without a sentence end: a section or plan title."""
    return len(text) <= _TITLE_MAX and not _SENTENCE_END.search(text)


def measure_paragraphs(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """The paragraphs that read as the plan's own measures. A frame section
    opened by a heading stays open under its own sub-headings (「二、本所各單位
    業務分掌事項:」 under 「壹、為民服務業務現況簡介」)."""
    result = []
    frame_rank: int | None = None  # rank of the heading that opened a frame section
    for paragraph in paragraphs:
        text = paragraph.text.strip()
        marker, rest = outline_marker(text)
        title = re.split(r"[:：]", rest)[0]
        rank = marker.rank if marker is not None else None
        heading = is_title(rest) or (marker is not None and marker.is_heading_style and is_title(title))
        if heading and (rank is not None or PREAMBLE_TITLES.search(title) or CONTENT_TITLES.search(title)):
            if frame_rank is None or rank is None or rank <= frame_rank:
                frame_rank = (rank or 0) if PREAMBLE_TITLES.search(title[:12]) else None
        if heading or frame_rank is not None or len(rest) < _MIN_SENTENCE or not _SENTENCE_END.search(rest):
            continue
        if is_definition(rest) or _POINTS_ELSEWHERE.search(rest):
            continue
        result.append(paragraph)
    return result
