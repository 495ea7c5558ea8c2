"""Run-on text: a plan whose line breaks were lost on the way (a document-sharing
site's copy, text pasted out of a viewer) arrives as one long paragraph
(「… 壹、計畫依據 依…辦理。 貳、計畫目標 ㄧ、發揮…」, tests/realworld/docs/
book118-cga-41bn-103). The section finder, the outline and the checks all work
on paragraphs, so such a paragraph is cut back into paragraphs before each
numbering marker that stands where a line once began: after a space or the end
of a sentence. Only long paragraphs with several section-level markers are
cut; an ordinary paragraph that mentions 「一、」 in a sentence is left alone."""

from __future__ import annotations

import re
from dataclasses import replace

from extractor.elements import Document, Paragraph

_MIN_LENGTH = 200
_MIN_SECTIONS = 2
# 壹、 … 拾、 (section), 一、 / ㄧ、 … 十三、, (一) / （一）, 1. / 1、 — each only where a line could have begun.
_BOUNDARY = r"(?:(?<=[\s。；;：:！？!?」』）)])|^)"
_SECTION = r"[壹貳參叁肆伍陸柒捌玖拾]、"
_MARKER = re.compile(
    _BOUNDARY + r"(?=(?:" + _SECTION + r"|[一二三四五六七八九十ㄧ]{1,3}、|[(（][一二三四五六七八九十]{1,3}[)）]|\d{1,2}[、.](?!\d)))"
)
_SECTION_AT = re.compile(_BOUNDARY + _SECTION)


def split_run_on(text: str) -> list[str]:
    """The pieces of a run-on paragraph, each starting at a marker (the first
    piece may hold what came before the first marker). Text that does not look
    run-on comes back whole.

    >>> split_run_on("計畫 壹、計畫依據 依行政院函辦理。 貳、計畫目標 ㄧ、提升服務品質。 二、精進流程。" + "。" * 200)[:4]
    ['計畫', '壹、計畫依據 依行政院函辦理。', '貳、計畫目標', 'ㄧ、提升服務品質。']
    """
    if len(text) < _MIN_LENGTH or len(_SECTION_AT.findall(text)) < _MIN_SECTIONS:
        return [text]
    cuts = [match.start() for match in _MARKER.finditer(text)]
    bounds = [0, *[cut for cut in cuts if cut > 0], len(text)]
    return [piece for start, end in zip(bounds, bounds[1:]) if (piece := text[start:end].strip())]


def without_run_on(document: Document) -> Document:
    """The document with each run-on paragraph cut into the paragraphs it once was."""
    elements: list = []
    changed = False
    for element in document.elements:
        pieces = split_run_on(element.text) if isinstance(element, Paragraph) else None
        if pieces is None or len(pieces) == 1:
            elements.append(element)
            continue
        changed = True
        elements.extend(replace(element, text=piece) for piece in pieces)
    return replace(document, elements=elements) if changed else document
