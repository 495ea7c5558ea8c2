"""Heading labels: a short line without sentence punctuation that heads the items
after it (「1.突破成長」, 「深化服務量能」, 「提升同仁行策政效率」), where the layout marks
where every measure ends, so that a line which is not followed by that mark is not
a measure. The outline reader reads them where measures close with an owner clause
(「（承辦單位：…）」), the flattened-table reader where measure cells are followed by
their units and deadline lines. Pure functions of text and lengths."""

from __future__ import annotations

import re

LABEL_MAX = 20
LABEL_SHARE = 0.7  # of the text width
_SENTENCE = re.compile(r"[，,。；;:：！？!?]")
_CLOSED = re.compile(r"[」』)）]$")


def label_width(lengths: list[int]) -> int:
    """The longest a label can be among lines of these lengths: well short of the
    text width (the length most long lines reach), since a wrap fills the line."""
    if not lengths:
        return 0
    ordered = sorted(lengths)
    return int(min(LABEL_MAX, LABEL_SHARE * ordered[int(0.9 * (len(ordered) - 1))]))


def reads_as_label(text: str, width: int) -> bool:
    """Whether one line's text (its numbering marker removed) is short enough and
    free of sentence punctuation to be a heading label.

    >>> reads_as_label("突破成長", 20), reads_as_label("訂定標準作業流程。", 20)
    (True, False)
    """
    text = text.strip()
    return 0 < len(text) <= width and not _SENTENCE.search(text) and not _CLOSED.search(text)
