"""The pydantic models of the normalizers' data files (data/*.yaml and the
jieba word list). Kept apart from the code that uses the data: a run that
finds the validated data in the cache (models.datacache.validated) never
imports this module, nor pydantic, which was a fifth of a cold search."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from models.datafile import ValueAt

# Frequency given to domain terms without one: high enough that jieba keeps
# them whole against its general dictionary's splits.
DOMAIN_FREQ = 50_000


class CharFolds(BaseModel):
    """data/folds.yaml: one character to one character."""

    # Built when a file is validated, not at import.
    model_config = ConfigDict(extra="forbid", defer_build=True)

    variants: dict[str, str]
    radicals: dict[str, str]

    @field_validator("variants", "radicals")
    @classmethod
    def _single_characters(cls, table: dict[str, str]) -> dict[str, str]:
        for source, target in table.items():
            if len(source) != 1 or len(target) != 1:
                raise ValueAt(f"fold {source!r} → {target!r} must map one character to one character", source)
        return table


class KeepWords(BaseModel):
    """data/s2twp_keep.yaml."""

    model_config = ConfigDict(extra="forbid", defer_build=True)  # read only to convert Simplified text

    words: list[str]
    taiwan: dict[str, str] = {}  # s2t's word → the one Taiwanese official documents write


class UserWord(BaseModel):
    """A line of data/jieba_userdict.txt."""

    model_config = ConfigDict(defer_build=True)  # read only when the dictionary is prepared

    word: Annotated[str, Field(min_length=1, pattern=r"^\S+$")]
    freq: Annotated[int, Field(gt=0)] = DOMAIN_FREQ
    tag: str | None = None


class Synonyms(BaseModel):
    """data/synonyms.yaml."""

    model_config = ConfigDict(extra="forbid", defer_build=True)  # validated only when the file changes

    groups: list[Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=2)]]


class UnitAliases(BaseModel):
    """data/unit_aliases.yaml."""

    model_config = ConfigDict(extra="forbid", defer_build=True)  # built when the file is read, not at import

    units: dict[str, list[str]]
    shared_owners: dict[str, list[str]]
    shared_patterns: list[str]

    @field_validator("shared_patterns")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for index, pattern in enumerate(patterns):
            try:
                re.compile(pattern)
            except re.error as error:
                raise ValueAt(f"{pattern!r} is not a regular expression: {error}", index) from None
        return patterns
