"""Slide decks saved as text: one slide per line, its title and bullets run together behind
decorative markers (「◆ 一、服務一致及正確 ▶ (一)申辦業務… ● 受理… ● 申請…」), an agenda slide
(簡報大綱 ▶ 壹、… ▶ 貳、…) and a closing slide (報告完畢 敬請指教). The outline reader works on one
item per paragraph, so each slide line is cut back into its bullets, and the agenda and closing
slides, which repeat or frame the plan, are dropped. Only a document that reads as a deck is
touched: several lines that each hold two or more decorative bullets after their start."""

from __future__ import annotations

import re
from dataclasses import replace

from extractor.elements import Document, Paragraph

# Decorative bullets of presentation software; ◎ and • are left out: plans use them as item markers.
DECK_BULLETS = "▶►➢➤◆◇★☆■□●○▪"
_INNER_BULLET = re.compile(rf"\s+(?=[{DECK_BULLETS}]\s*\S)")
_AGENDA = re.compile(r"^(?:簡報大綱|報告大綱|大綱|目錄|簡報內容|Outline)\s*(?:[:：]|\s|$)", re.IGNORECASE)
_CLOSING = re.compile(r"^(?:報告完畢|簡報結束|敬請指教|敬請指正|感謝聆聽|謝謝聆聽|謝謝指教|謝謝|Thank you|Q\s*&\s*A)[\s!！。]*"
                      r"(?:(?:敬請指教|敬請指正|感謝聆聽|謝謝)[\s!！。]*)*$", re.IGNORECASE)
_MIN_DECK_LINES = 3


def _bullet_count(text: str) -> int:
    return len(_INNER_BULLET.findall(text.strip()))


def is_deck(document: Document) -> bool:
    """Several lines each holding two or more bullets after their start, or an agenda slide."""
    paragraphs = [element.text for element in document.elements if isinstance(element, Paragraph)]
    crowded = sum(1 for text in paragraphs if _bullet_count(text) >= 2)
    return crowded >= _MIN_DECK_LINES


def slide_pieces(text: str) -> list[str]:
    """One slide line cut at its decorative bullets.

    >>> slide_pieces("◆ 一、服務友善 ▶ (一)服務設施合宜程度 ● 依業務性質設置綜合櫃檯。")
    ['◆ 一、服務友善', '▶ (一)服務設施合宜程度', '● 依業務性質設置綜合櫃檯。']
    """
    return [piece.strip() for piece in _INNER_BULLET.split(text.strip()) if piece.strip()]


def without_slides(document: Document) -> Document:
    """A deck's lines cut into one paragraph per bullet, its agenda and closing slides dropped;
    any other document unchanged."""
    if not is_deck(document):
        return document
    elements: list = []
    for element in document.elements:
        if not isinstance(element, Paragraph):
            elements.append(element)
            continue
        text = element.text.strip()
        if _AGENDA.match(text) or _CLOSING.match(text):
            continue
        elements.extend(replace(element, text=piece) for piece in slide_pieces(text))
    return replace(document, elements=elements)
