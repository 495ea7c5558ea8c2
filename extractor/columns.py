"""Column roles of measure tables, read from the header words in data/columns.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from models import ColumnRole
from normalizers.numbering import parse_marker
from normalizers.text import clean_text, to_halfwidth

DATA_FILE = Path(__file__).parent / "data" / "columns.yaml"


@dataclass(frozen=True)
class Vocabulary:
    words: tuple[tuple[str, ColumnRole], ...]  # longest first
    scoring_headers: tuple[str, ...]
    annex_titles: dict[str, tuple[str, ...]]


@lru_cache(maxsize=None)
def vocabulary(path: Path = DATA_FILE) -> Vocabulary:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    words = [(to_halfwidth(word), ColumnRole(role)) for role, names in data["roles"].items() for word in names]
    words.sort(key=lambda pair: -len(pair[0]))
    return Vocabulary(
        words=tuple(words),
        scoring_headers=tuple(data["scoring_headers"]),
        annex_titles={kind: tuple(patterns) for kind, patterns in data["annex_titles"].items()},
    )


def _header_key(text: str) -> str:
    return re.sub(r"\s+", "", to_halfwidth(clean_text(text)))


def role_of_header(text: str) -> ColumnRole | None:
    """The role a header cell names, or None when it names none.

    >>> role_of_header("實施(參考)方法")
    <ColumnRole.measure: 'measure'>
    >>> role_of_header("執行要項 (內容同本府實施要項)")
    <ColumnRole.dimension: 'dimension'>
    >>> role_of_header("構面1(400分)")
    <ColumnRole.dimension: 'dimension'>
    """
    key = _header_key(text)
    if not key or len(key) > 24:
        return None
    for word, role in vocabulary().words:
        # A one-character word (次) names a column only as the whole cell: 次評核指標 is not a 次 column.
        if key == word or (len(word) > 1 and key.startswith(word)):
            return role
    return None


def header_roles(cells: list[str]) -> list[ColumnRole] | None:
    """Roles of a row's cells if the row is a measure-table header, else None.

    A header names at least two roles, one of them the measures or the
    dimensions, and holds no long text."""
    roles = [role_of_header(text) or ColumnRole.other for text in cells]
    named = [role for role in roles if role is not ColumnRole.other]
    if len(named) < 2 or not ({ColumnRole.measure, ColumnRole.dimension, ColumnRole.strategy} & set(named)):
        return None
    if any(len(_header_key(text)) > 24 for text in cells):
        return None
    return roles


def is_scoring_header(cells: list[str]) -> bool:
    keys = [_header_key(text) for text in cells]
    return any(word in key for key in keys for word in vocabulary().scoring_headers)


def annex_kind(paragraph: str) -> str | None:
    """The kind of annex a paragraph opens (scoring, template, schedule, other), or None."""
    key = _header_key(paragraph)
    # Annex titles are short lines, not sentences or list items that mention a schedule.
    if len(key) > 40 or parse_marker(key)[0] is not None or key.endswith(("。", "；")):
        return None
    for kind, patterns in vocabulary().annex_titles.items():
        for pattern in patterns:
            if (pattern.startswith("^") and re.match(pattern, key)) or (not pattern.startswith("^") and pattern in key):
                return kind
    return None
