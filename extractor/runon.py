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
from normalizers.numbering import parse_marker

_MIN_LENGTH = 200
_MIN_SECTIONS = 2
_MIN_ITEMS = 5  # or a page of a run-on plan between its sections: many items after sentence ends
# 壹、 … 拾、 (section), 一、 / ㄧ、 … 十三、, (一) / （一）, 1. / 1、 — each only where a line could have begun.
_BOUNDARY = r"(?:(?<=[\s。；;：:！？!?」』）)])|^)"
_SECTION = r"[壹貳參叁肆伍陸柒捌玖拾]、"
_MARKER_FORMS = (r"(?=(?:" + _SECTION + r"|[一二三四五六七八九十ㄧ]{1,3}、|[(（][一二三四五六七八九十]{1,3}[)）]|"
                 r"[(（]\d{1,2}[)）]|\d{1,2}[、.](?!\d)|[甲乙丙丁戊己庚辛]\.|◎))")
_MARKER = re.compile(_BOUNDARY + _MARKER_FORMS)
# Anywhere, also straight after a word: kept only where the marker continues a list (below).
_ANY_MARKER = re.compile(_MARKER_FORMS)
_SECTION_AT = re.compile(_BOUNDARY + _SECTION)
# 「（承辦單位：…；完成期限：…）」 closes an item: what follows began a line, numbered or not.
# Stray spaces may sit inside the words.
_OWNER_CLAUSE_END = re.compile(r"[（(]\s?(?:承\s?辦|主\s?辦|負\s?責|執\s?行|辦\s?理)\s?(?:單\s?位|部\s?門)\s?[:：][^（()）]{1,80}[）)]\s*")


def _cuts(text: str) -> list[int]:
    """Where the lines began: a marker after a space or a sentence end, or a marker straight
    after a word that opens a list (its first value) or is the next of a list already cut
    (「…正確性1.訂定…」 when the line break vanished without a trace)."""
    at_boundary = {match.start() for match in _MARKER.finditer(text)}
    last: dict[str, int] = {}
    cuts = []
    for match in _ANY_MARKER.finditer(text):
        marker, _ = parse_marker(text[match.start():match.start() + 12].replace("ㄧ", "一"), lenient=True)
        if marker is None:
            continue
        follows = marker.value is not None and (marker.value == 1 or last.get(marker.style) == marker.value - 1)
        if match.start() in at_boundary or follows:
            cuts.append(match.start())
            last[marker.style] = marker.value
    cuts.extend(match.end() for match in _OWNER_CLAUSE_END.finditer(text) if match.end() < len(text))
    return sorted(set(cuts))


def split_run_on(text: str) -> list[str]:
    """The pieces of a run-on paragraph, each starting at a marker (the first
    piece may hold what came before the first marker). Text that does not look
    run-on comes back whole.

    >>> split_run_on("計畫 壹、計畫依據 依行政院函辦理。 貳、計畫目標 ㄧ、提升服務品質。 二、精進流程。" + "。" * 200)[:4]
    ['計畫', '壹、計畫依據 依行政院函辦理。', '貳、計畫目標', 'ㄧ、提升服務品質。']
    """
    if len(text) < _MIN_LENGTH or (len(_SECTION_AT.findall(text)) < _MIN_SECTIONS
                                   and len(_MARKER.findall(text)) < _MIN_ITEMS):
        return [text]
    cuts = _cuts(text)
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
