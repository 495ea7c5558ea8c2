"""Framework definitions (checks/data/frameworks/*.yaml) as validated models.

One file per programme version; adding a later framework is adding a file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from models.datafile import DataError, line_at, read_yaml, validate

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

    def dimension(self, name: str) -> Dimension | None:
        return next((d for s in self.schemes for d in s.dimensions if d.name == name), None)

    def scheme_of(self, dimension: str) -> Scheme | None:
        return next((s for s in self.schemes if any(d.name == dimension for d in s.dimensions)), None)


def _target_names(framework: Framework) -> set[str]:
    """What a crosswalk entry may point at in ``framework``: a dimension or 'dimension/sub-item'."""
    return {name for s in framework.schemes for d in s.dimensions
            for name in (d.name, *(f"{d.name}/{sub.name}" for sub in d.sub_items))}


def _check_crosswalk(path: Path, root, framework: Framework, by_id: dict[str, Framework]) -> None:
    crosswalk = framework.crosswalk
    if crosswalk is None:
        return
    target = by_id.get(crosswalk.to)
    if target is None:
        raise DataError(path, line_at(root, ("crosswalk", "to")), "crosswalk.to",
                        f"{crosswalk.to!r} is not a framework of {path.parent}")
    known, own = _target_names(target), _target_names(framework)
    for index, entry in enumerate(crosswalk.entries):
        if entry.from_ not in own:
            raise DataError(path, line_at(root, ("crosswalk", "entries", index, "from")),
                            f"crosswalk.entries.{index}.from", f"「{entry.from_}」 is not a dimension of {framework.id}")
        for position, name in enumerate(entry.to):
            if name not in known:
                loc = ("crosswalk", "entries", index, "to", position)
                raise DataError(path, line_at(root, loc), ".".join(map(str, loc)),
                                f"「{name}」 is not a dimension of {target.id}")


def load_frameworks(folder: Path) -> dict[str, Framework]:
    """Every framework file of ``folder``, by id, ordered by the year it came
    into force; a crosswalk must point at another framework's dimensions."""
    read = []
    for path in sorted(folder.glob("*.yaml")):
        data, root = read_yaml(path)
        read.append((path, root, validate(path, data, root, Framework)))
    read.sort(key=lambda entry: entry[2].years.from_ or 0)
    by_id = {framework.id: framework for _, _, framework in read}
    for path, root, framework in read:
        _check_crosswalk(path, root, framework, by_id)
    return by_id


@lru_cache(maxsize=1)
def frameworks() -> dict[str, Framework]:
    """Every framework of checks/data/frameworks/, by id, ordered by the year it came into force."""
    return load_frameworks(FRAMEWORK_DIR)


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
