"""Units cells (承辦部門, 執行單位) as lists of units.

A cell names its units separated by spaces, 、, slashes or stacked lines; some
owners are no unit at all but everyone (全體同仁, 各部門, 承辦人). Checks and
the corpus need named units, folded so that 人資組 and 人力資源組 are one, and
shared owners kept apart. The alias and shared-owner lists live in
data/unit_aliases.yaml.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from models.datafile import validated
from normalizers import DATA_DIR
from normalizers.text import fold_key, to_halfwidth

_TAGS = re.compile(r"<[^>]+>")
_SEPARATORS = re.compile(r"[\s、，,/;；|]+")
# "業務組及總務組": 及/與/暨 joins two units only when both sides end like a unit.
_UNIT_SUFFIX = "組室課科處局段中心所隊會部股"
_JOINED = re.compile(f"(?<=[{_UNIT_SUFFIX}])(?:及|與|暨|和)(?=..)")
# "(主辦)", "(協辦)": the unit's role, not its name.
_ROLE_NOTE = re.compile(r"\((?:主辦|協辦|主責|督導|配合)\)")


class _Index:
    def __init__(self, data: dict) -> None:
        self.canonical: dict[str, str] = {}
        self.shared: set[str] = set()
        for table, shared in ((data["units"], False), (data["shared_owners"], True)):
            for name, aliases in table.items():
                for spelling in (name, *aliases):
                    self.canonical[fold_key(spelling)] = name
                    if shared:
                        self.shared.add(name)
        self.patterns = [re.compile(pattern) for pattern in data["shared_patterns"]]


@lru_cache(maxsize=None)
def _index() -> _Index:
    return _Index(validated(DATA_DIR / "unit_aliases.yaml", "normalizers.schemas:UnitAliases"))


def split_units(cell: str) -> list[str]:
    """The unit names of a cell, in order, each once.

    >>> split_units("業務組 總務組<br>業務組、資訊組")
    ['業務組', '總務組', '資訊組']
    """
    # Not clean_text: the spaces it removes between CJK words separate units here.
    text = to_halfwidth(unicodedata.normalize("NFC", _TAGS.sub("\n", cell)))
    text = _ROLE_NOTE.sub("", text)
    names: list[str] = []
    for token in _SEPARATORS.split(text):
        for name in _JOINED.split(token):
            if name and name not in names:
                names.append(name)
    return names


def canonical_unit(name: str) -> str:
    """The name plancheck uses for a unit (aliases folded)."""
    return _index().canonical.get(fold_key(name), name)


def is_shared_owner(name: str) -> bool:
    index = _index()
    canonical = canonical_unit(name)
    return canonical in index.shared or any(pattern.fullmatch(canonical) for pattern in index.patterns)


def fold_units(cells: Iterable[str]) -> tuple[list[str], list[str]]:
    """(named units, shared owners) of one or more units cells, canonical and
    each once.

    >>> fold_units(["業務組 人資組", "本所全體同仁、北客服"])
    (['業務組', '人力資源組', '北區客服中心'], ['全體同仁'])
    """
    named: list[str] = []
    shared: list[str] = []
    for cell in cells:
        for name in split_units(cell):
            target = shared if is_shared_owner(name) else named
            canonical = canonical_unit(name)
            if canonical not in target:
                target.append(canonical)
    return named, shared
