"""Is the document whole? Web copies and excerpts are often cut: the text stops
in the middle of a word, the last table row has no measure, a table that the
text announces (「詳如下表」) never comes. A cut plan is still read; the checks
then say an unseen item was not seen rather than that it is missing.

Each signal returns a reason in Traditional Chinese for the report, or None."""

from __future__ import annotations

import re

from extractor.elements import Document, Paragraph, Table
from normalizers.numbering import parse_marker
from normalizers.text import clean_text

_END = re.compile(r"[。；;！？!?」』）)\]】.…:：]$")
_CJK_END = re.compile(r"[\u4e00-\u9fff]$")
_ANNOUNCED_TABLE = re.compile(r"(?:詳|如)(?:下表|附表如下)|如下列表")
_FRAGMENT = 3  # characters after a marker that cannot be a whole heading
_SENTENCE = 12  # a line this long ending in a character is a sentence cut short
_QUOTE = 12


def _tail(text: str) -> str:
    return text[-_QUOTE:]


def ends_mid_sentence(text: str) -> str | None:
    """A reason when the document's last paragraph stops in the middle of a
    sentence or right after a marker.

    >>> ends_mid_sentence("(三)塑")
    '文件在「(三)塑」處中斷'
    >>> ends_mid_sentence("捌、本計畫如有未盡事宜，得依實際需要修正或補充之。") is None
    True
    """
    text = clean_text(text).strip()
    if not text or _END.search(text):
        return None
    marker, rest = parse_marker(text)
    if marker is not None and len(rest) <= _FRAGMENT:
        return f"文件在「{_tail(text)}」處中斷"
    if marker is None and len(text) <= 1 and _CJK_END.search(text):
        return f"文件在「{_tail(text)}」處中斷"
    if len(text) >= _SENTENCE and _CJK_END.search(text):
        return f"文件在句子中間結束（「…{_tail(text)}」）"
    return None


def last_row_incomplete(table: Table, measure_col: int | None) -> str | None:
    """A reason when the table's last row lacks its measure cell, or its last
    cell stops mid-sentence (a row cut off)."""
    if measure_col is None or len(table.rows) < 2:
        return None
    last = table.rows[-1]
    filled = [cell for cell in last.cells if not cell.is_empty]
    if not filled:
        return None
    if not any(cell.col == measure_col for cell in filled):
        return "措施表最後一列不完整（缺具體作法）"
    return ends_mid_sentence(filled[-1].text.splitlines()[-1])


def announced_table_absent(document: Document) -> str | None:
    """A reason when the text announces a table below (「詳如下表」) and no table follows."""
    for index, element in enumerate(document.elements):
        if isinstance(element, Paragraph) and _ANNOUNCED_TABLE.search(element.text):
            if not any(isinstance(after, Table) for after in document.elements[index + 1:]):
                match = _ANNOUNCED_TABLE.search(element.text)
                return f"文中提到「{match.group(0)}」，但其後未見表格"
    return None


def _last_sentence(document: Document, limit: int = 3) -> str:
    """The document's last paragraph with the hard-wrapped lines before it that
    it continues (a law database wraps a sentence over several lines)."""
    parts: list[str] = []
    for element in reversed(document.elements[-limit:]):
        if not isinstance(element, Paragraph):
            break
        text = clean_text(element.text).strip()
        if parts and (_END.search(text) or parse_marker(parts[0])[0] is not None):
            break
        parts.insert(0, text)
    return "".join(parts)


def incomplete_reasons(document: Document, measure_col_of_last: int | None = None) -> list[str]:
    """Why the document looks cut; empty when nothing says so."""
    reasons: list[str] = []
    last = document.elements[-1] if document.elements else None
    if isinstance(last, Paragraph):
        reason = ends_mid_sentence(_last_sentence(document))
        if reason:
            reasons.append(reason)
    elif isinstance(last, Table):
        reason = "表格在底線之前中斷" if last.unclosed else last_row_incomplete(last, measure_col_of_last)
        if reason:
            reasons.append(reason)
    reason = announced_table_absent(document)
    if reason:
        reasons.append(reason)
    return reasons
