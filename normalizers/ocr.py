"""Characters OCR engines confuse in Traditional Chinese, corrected in
recognised text only: the rules are data (normalizers/data/ocr_confusions.yaml),
each one character for one character so that recognised boxes keep their text."""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic import BaseModel, Field, field_validator

from models.datafile import load
from normalizers import DATA_DIR


class ConfusionRule(BaseModel):
    name: str
    pattern: str
    to: str = Field(min_length=1, max_length=1)
    examples: list[str] = Field(default_factory=list)

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        re.compile(value)
        return value


class Confusions(BaseModel):
    rules: list[ConfusionRule]


@lru_cache(maxsize=1)
def confusion_rules() -> list[tuple[re.Pattern[str], str]]:
    data = load(DATA_DIR / "ocr_confusions.yaml", Confusions)
    return [(re.compile(rule.pattern), rule.to) for rule in data.rules]


def fix_ocr_confusions(line: str) -> str:
    """A recognised line with confused characters corrected; always as long as the line.

    >>> fix_ocr_confusions("@均己完成於1O6年")
    '◎均已完成於106年'
    """
    for pattern, to in confusion_rules():
        line = pattern.sub(lambda match: to if len(match.group(0)) == 1 else match.group(0), line)
    return line
