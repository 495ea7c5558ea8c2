"""Framework definitions (checks/data/frameworks/*.yaml) as validated models.

One file per programme version; adding a later framework is adding a file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from checks.datafile import load

FRAMEWORK_DIR = Path(__file__).parent / "data" / "frameworks"


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid")


class YearRange(_Data):
    """民國 years, inclusive; an open end means still in force."""

    from_: int | None = Field(default=None, alias="from")
    to: int | None = None

    def contains(self, roc_year: int) -> bool:
        return (self.from_ is None or roc_year >= self.from_) and (self.to is None or roc_year <= self.to)


class SubItem(_Data):
    name: str
    variants: list[str] = Field(default_factory=list)
    items: list[str] = Field(default_factory=list, description="Scoring sub-items (次評核指標), for the record.")
    cues: list[str] = Field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [self.name, *self.variants]


class Dimension(_Data):
    name: str
    variants: list[str] = Field(default_factory=list)
    optional: bool = False
    note: str | None = None
    cues: list[str] = Field(default_factory=list)
    sub_items: list[SubItem] = Field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [self.name, *self.variants]

    def sub_item(self, name: str) -> SubItem | None:
        return next((sub for sub in self.sub_items if sub.name == name), None)


class Scheme(_Data):
    id: str
    label: str
    dimensions: list[Dimension]


class Detection(_Data):
    citations: list[str] = Field(default_factory=list)
    titles: list[str] = Field(default_factory=list)
    confusables: list[str] = Field(default_factory=list)


class CrossCutting(_Data):
    name: str
    requirement: str


class CrosswalkEntry(_Data):
    from_: str = Field(alias="from")
    to: list[str]


class Crosswalk(_Data):
    to: str
    entries: list[CrosswalkEntry]

    def targets(self, dimension: str | None, sub_item: str | None) -> list[str]:
        for key in (f"{dimension}/{sub_item}" if sub_item else None, dimension):
            entry = next((e for e in self.entries if key and e.from_ == key), None)
            if entry:
                return entry.to
        return []


class Framework(_Data):
    id: str
    name: str
    names: list[str]
    award: str | None = None
    years: YearRange
    source: str
    current: bool = False
    detection: Detection = Field(default_factory=Detection)
    cross_cutting: list[CrossCutting] = Field(default_factory=list)
    schemes: list[Scheme] = Field(default_factory=list)
    crosswalk: Crosswalk | None = None

    @model_validator(mode="after")
    def _crosswalk_names_known(self) -> "Framework":
        if self.crosswalk:
            known = {d.name for s in self.schemes for d in s.dimensions}
            known |= {f"{d.name}/{sub.name}" for s in self.schemes for d in s.dimensions for sub in d.sub_items}
            for entry in self.crosswalk.entries:
                if entry.from_ not in known:
                    raise ValueError(f"crosswalk from 「{entry.from_}」 is not a dimension of {self.id}")
        return self

    def dimension(self, name: str) -> Dimension | None:
        return next((d for s in self.schemes for d in s.dimensions if d.name == name), None)

    def scheme_of(self, dimension: str) -> Scheme | None:
        return next((s for s in self.schemes if any(d.name == dimension for d in s.dimensions)), None)


@lru_cache(maxsize=1)
def frameworks() -> dict[str, Framework]:
    """Every framework, by id, ordered by the year it came into force."""
    loaded = [load(path, Framework) for path in sorted(FRAMEWORK_DIR.glob("*.yaml"))]
    loaded.sort(key=lambda f: f.years.from_ or 0)
    by_id = {f.id: f for f in loaded}
    for framework in loaded:
        if framework.crosswalk and framework.crosswalk.to not in by_id:
            raise ValueError(f"{framework.id}: crosswalk target {framework.crosswalk.to} is not a known framework")
    return by_id


def current_framework() -> Framework:
    return next(f for f in frameworks().values() if f.current)


def describe_in_force(item) -> str:
    """When a mandated item (checks.profiles.Item) is in force, in Traditional
    Chinese: its own wording if the profile gives one, else from its windows."""
    if item.in_force_text:
        return item.in_force_text
    if not item.in_force:
        return "全部計畫"
    parts = []
    for window in item.in_force:
        names = "、".join(frameworks()[f].name for f in window.frameworks) if window.frameworks else "各方案"
        years = (f" 民國 {window.from_year} 年起" if window.from_year else "") + (f"至 {window.to_year} 年" if window.to_year else "")
        parts.append(f"{names}{years}")
    return "；".join(parts)
