"""Column roles of measure tables, read from the header words in data/columns.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from models import ColumnRole
from models.datafile import ValueAt, load
from normalizers.numbering import parse_marker
from normalizers.text import clean_text, to_halfwidth

DATA_FILE = Path(__file__).parent / "data" / "columns.yaml"

Word = Annotated[str, Field(min_length=1)]
AnnexKind = Literal["scoring", "template", "schedule", "other"]


class ColumnWords(BaseModel):
    """data/columns.yaml: the header words that give a column its role, the
    headers of scoring sheets, and the titles that open the annexes (a title
    starting with ``^`` is a regular expression anchored at the start)."""

    model_config = ConfigDict(extra="forbid")

    roles: dict[ColumnRole, list[Word]]
    scoring_headers: list[Word]
    annex_titles: dict[AnnexKind, list[Word]]

    @field_validator("roles")
    @classmethod
    def _no_other(cls, roles: dict[ColumnRole, list[str]]) -> dict[ColumnRole, list[str]]:
        if ColumnRole.other in roles:
            raise ValueError("'other' is what a column without a listed word gets; it takes no words")
        return roles

    @model_validator(mode="after")
    def _one_role_per_word(self) -> "ColumnWords":
        owner: dict[str, ColumnRole] = {}
        for role, words in self.roles.items():
            for index, word in enumerate(words):
                key = to_halfwidth(word)
                if owner.setdefault(key, role) is not role:
                    raise ValueAt(f"header word {word!r} is listed under both {owner[key].value} and {role.value}",
                                  "roles", role.value, index)
        for kind, patterns in self.annex_titles.items():
            for index, pattern in enumerate(patterns):
                if pattern.startswith("^"):
                    try:
                        re.compile(pattern)
                    except re.error as error:
                        raise ValueAt(f"{pattern!r} is not a regular expression: {error}",
                                      "annex_titles", kind, index) from None
        return self


@dataclass(frozen=True)
class Vocabulary:
    words: tuple[tuple[str, ColumnRole], ...]  # longest first
    scoring_headers: tuple[str, ...]
    annex_titles: dict[str, tuple[str, ...]]


@lru_cache(maxsize=None)
def vocabulary() -> Vocabulary:
    data = load(DATA_FILE, ColumnWords)
    words = [(to_halfwidth(word), role) for role, names in data.roles.items() for word in names]
    words.sort(key=lambda pair: -len(pair[0]))
    return Vocabulary(
        words=tuple(words),
        scoring_headers=tuple(data.scoring_headers),
        annex_titles={kind: tuple(patterns) for kind, patterns in data.annex_titles.items()},
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
