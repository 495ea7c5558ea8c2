"""Words: jieba segmentation for search, and the domain's synonym groups.

jieba's dictionary is Simplified and segments Simplified text far better than
Traditional, so text is converted (tw2s, one character for one) for cutting
and the offsets land on the original text unchanged. Domain terms from
data/jieba_userdict.txt are never split (電話禮貌測試 stays one word), and
data/synonyms.yaml says which words mean the same (網頁/網站).

jieba and OpenCC are set up on first use and kept for the process.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated

import jieba
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from models.datafile import DataError, load
from normalizers import DATA_DIR
from normalizers.text import _HAN, _converter, fold_key, to_halfwidth

USERDICT = DATA_DIR / "jieba_userdict.txt"
SYNONYMS = DATA_DIR / "synonyms.yaml"

# Frequency given to domain terms without one: high enough that jieba keeps
# them whole against its general dictionary's splits.
_DOMAIN_FREQ = 50_000
_HAN_CHAR = re.compile(f"[{_HAN}]")
_WORDLIKE = re.compile(rf"[\w{_HAN}]")


class UserWord(BaseModel):
    word: Annotated[str, Field(min_length=1, pattern=r"^\S+$")]
    freq: Annotated[int, Field(gt=0)] = _DOMAIN_FREQ
    tag: str | None = None


class Synonyms(BaseModel):
    model_config = ConfigDict(extra="forbid")

    groups: list[Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=2)]]


def read_userdict(path: Path = USERDICT) -> list[UserWord]:
    """The domain terms, validated; errors name the file and line."""
    words = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        fields = dict(zip(("word", "freq", "tag"), parts))
        if len(parts) > 3:
            raise DataError(path, number, parts[3], "expected: word [frequency] [tag]")
        try:
            words.append(UserWord.model_validate(fields))
        except ValidationError as error:
            first = error.errors()[0]
            raise DataError(path, number, ".".join(map(str, first["loc"])), first["msg"]) from None
    return words


def _simplified(text: str) -> str:
    """tw2s of text with the same length, so offsets carry over; width folded
    so that full-width Latin cuts like ASCII."""
    text = to_halfwidth(text)
    converted = _converter("tw2s").convert(text)
    if len(converted) != len(text):  # a phrase rule changed the length: convert char by char
        converted = "".join(_converter("tw2s").convert(ch) for ch in text)
    return converted


@lru_cache(maxsize=None)
def _tokenizer() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for entry in read_userdict():
        tokenizer.add_word(_simplified(entry.word), freq=entry.freq, tag=entry.tag)
    return tokenizer


def segment(text: str) -> list[tuple[str, int, int]]:
    """jieba search-mode tokens as (token as written, start, end) into text:
    whole words and, for long words, their dictionary parts.

    >>> [t for t, _, _ in segment("實施電話禮貌測試")][-1]
    '電話禮貌測試'
    """
    return [(text[start:end], start, end) for _, start, end in _tokenizer().tokenize(_simplified(text), mode="search")]


def search_tokens(text: str) -> list[str]:
    """Folded tokens for a full-text index, in text order: every word jieba
    finds plus every single Han character, so one- and two-character queries
    find text jieba cut differently."""
    positioned: list[tuple[int, int, str]] = []
    for token, start, end in segment(text):
        key = fold_key(token)
        if _WORDLIKE.search(key) and not (end - start == 1 and _HAN_CHAR.fullmatch(token)):
            positioned.append((start, -(end - start), key))
    for index, ch in enumerate(text):
        if _HAN_CHAR.fullmatch(ch):
            positioned.append((index, 0, fold_key(ch)))
    return [key for _, _, key in sorted(positioned)]


@lru_cache(maxsize=None)
def _synonym_index() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for group in load(SYNONYMS, Synonyms).groups:
        for term in group:
            index.setdefault(fold_key(term), set()).update(group)
    return {key: frozenset(members) for key, members in index.items()}


def expand(term: str) -> set[str]:
    """The term and every word of the synonym groups it belongs to.

    >>> sorted(expand("網頁"))[:3]
    ['全球資訊網', '官網', '網站']
    """
    return {term, *_synonym_index().get(fold_key(term), ())}
