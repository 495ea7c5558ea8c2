"""Sentences that define a term. Plans copy the framework's or a supervising
要點's definitions into their body (「開放參與係指提供服務時…」, tests/realworld/docs/
chshb-stophc-107); such a sentence says what a word means, not what the agency
will do, so it is neither a measure nor evidence that the agency does it."""

from __future__ import annotations

import re

_MARKER = re.compile(r"^\s*(?:[(（]?[0-9０-９一二三四五六七八九十]{1,3}[)）.、．]|[壹貳參肆伍陸柒捌玖拾]、)\s*")
# 「開放參與係指…」, 「創新性是指…」; 「本要點所稱服務，指…」.
_DEFINITION = re.compile(
    r"^(?:[^，,。；;：:「」]{1,16}?(?:係指|是指|意指|乃指|指的是)|(?:本\S{1,4})?所稱[^，,。；;]{1,16}[，,]\s*(?:係|是)?指)"
)
# An item that introduces definitions (「有關開放參與及創新性的定義,詳如下所述。」).
_INTRODUCES = re.compile(r"(?:定義|名詞釋義|用詞)[^。；;]{0,12}(?:如下|如次|如左)")


def is_definition(text: str) -> bool:
    """Whether a sentence (a numbering marker in front is allowed) defines a term.

    >>> is_definition("1. 開放參與係指提供服務時,除應公開服務資訊或促進民眾運用資料外")
    True
    >>> is_definition("每季辦理電話禮貌測試,並將結果簽陳首長。")
    False
    """
    return bool(_DEFINITION.match(_MARKER.sub("", text, count=1)))


def introduces_definitions(text: str) -> bool:
    """Whether a sentence says that definitions follow.

    >>> introduces_definitions("有關開放參與及創新性的定義,詳如下所述。")
    True
    """
    return bool(_INTRODUCES.search(text))
