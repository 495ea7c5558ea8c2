"""Mandated-item profiles: the catalogue of docs/mandated-items.md as data.

``default`` covers the whole catalogue. A secretariat's profile file extends
it without code:

    name: 某局秘書室
    extends: default
    select: [PHONE-TEST-QUARTERLY, SOP-PUBLISHED]    # only these (optional)
    drop: [FAQ]
    thresholds:
      PHONE-TEST-QUARTERLY: {bar: 12}               # any rule parameter; ⚙ marks the bars
    items: [ … new items, same shape as default's … ]

A wrong file stops with one line naming the file, line and field."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import Field, TypeAdapter, ValidationError, field_validator, model_validator

from models.datafile import DataError, line_at, read_yaml, validation_error, validate
from checks.rules import RuleSpec
from checks.rules.base import Data

PROFILE_DIR = Path(__file__).parent / "data" / "profiles"
ID_PATTERN = r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$"


class InForce(Data):
    """When an item applies: frameworks and 民國 years (inclusive). An item
    with no ``in_force`` applies to every plan."""

    frameworks: list[str] | None = None
    from_year: int | None = None
    to_year: int | None = None
    note: str = ""

    def covers(self, framework: str | None, roc_year: int | None) -> bool:
        if self.frameworks is not None and framework not in self.frameworks:
            return False
        if roc_year is None:
            return True  # an unknown year is no reason to skip an item
        return (self.from_year is None or roc_year >= self.from_year) and (self.to_year is None or roc_year <= self.to_year)


class ItemDoc(Data):
    rationale: str
    present: str
    partial: str | None = None
    missing: str
    limits: str | None = None


class Item(Data):
    id: str = Field(pattern=ID_PATTERN)
    name: str
    group: str
    requirement: str
    source: str
    in_force: list[InForce] = Field(default_factory=list)
    in_force_text: str = Field(default="", description="When the item applies, for people.")
    rule: RuleSpec
    doc: ItemDoc

    @property
    def cue_terms(self) -> list[str]:
        """The literal words that name the item (subject, cues, channels), for
        other stages that look for the item's wording (corpus exemplars)."""
        rule = self.rule
        sources = [getattr(rule, name, None) for name in ("subject", "cues", "partial_cues", "partial_subject")]
        sources += list(getattr(rule, "channels", {}).values())
        if not any(getattr(rule, name, None) for name in ("subject", "cues")):
            sources += list(getattr(rule, "groups", {}).values())
        return list(dict.fromkeys(term for cues in sources if cues for term in cues.terms))

    def applies(self, framework: str | None, roc_year: int | None) -> bool:
        return not self.in_force or any(window.covers(framework, roc_year) for window in self.in_force)


class Profile(Data):
    name: str
    title: str = ""
    description: str = ""
    source: str = Field(default="", description="The file it was read from.")
    items: list[Item]

    @field_validator("items")
    @classmethod
    def _unique_ids(cls, items: list[Item]) -> list[Item]:
        seen: set[str] = set()
        for item in items:
            if item.id in seen:
                raise ValueError(f"項目 ID {item.id} 重複")
            seen.add(item.id)
        return items

    def item(self, item_id: str) -> Item | None:
        return next((i for i in self.items if i.id == item_id), None)


class ProfileFile(Data):
    """A profile file: a full profile, or an overlay that ``extends`` another."""

    name: str
    title: str = ""
    description: str = ""
    extends: str | None = None
    select: list[str] | None = None
    drop: list[str] = Field(default_factory=list)
    thresholds: dict[str, dict[str, Any]] = Field(default_factory=dict)
    items: list[Item] = Field(default_factory=list)

    @model_validator(mode="after")
    def _shape(self) -> "ProfileFile":
        if self.extends is None and (self.select or self.drop or self.thresholds):
            raise ValueError("select、drop 與 thresholds 需要 extends: default（或另一個設定檔）")
        if self.extends is None and not self.items:
            raise ValueError("沒有 extends 的設定檔必須列出 items")
        return self


def _resolve(name_or_path: str | Path) -> Path:
    text = str(name_or_path)
    candidate = Path(text)
    if candidate.suffix in (".yaml", ".yml") or "/" in text or candidate.exists():
        return candidate
    return PROFILE_DIR / f"{text}.yaml"


def _check_ids(path: Path, root, field: str, ids: list[str], known: set[str]) -> None:
    for index, item_id in enumerate(ids):
        if item_id not in known:
            raise DataError(path, line_at(root, (field, index)), f"{field}.{index}", f"沒有 {item_id} 這個項目 ID")


def _apply_thresholds(path: Path, root, items: dict[str, Item], thresholds: dict[str, dict[str, Any]]) -> None:
    adapter = TypeAdapter(RuleSpec)
    for item_id, changes in thresholds.items():
        if item_id not in items:
            raise DataError(path, line_at(root, ("thresholds", item_id)), f"thresholds.{item_id}", f"沒有 {item_id} 這個項目 ID")
        rule = items[item_id].rule
        for key in changes:
            if key == "kind" or key not in type(rule).model_fields:
                raise DataError(path, line_at(root, ("thresholds", item_id, key)), f"thresholds.{item_id}.{key}",
                                f"規則種類 {rule.kind} 沒有參數 {key}")
        merged = {**rule.model_dump(by_alias=True), **changes}
        try:
            items[item_id] = items[item_id].model_copy(update={"rule": adapter.validate_python(merged)})
        except ValidationError as error:
            raise validation_error(path, root, error, ("thresholds", item_id)) from None


def _load(path: Path, chain: tuple[Path, ...] = ()) -> Profile:
    if path in chain:
        raise DataError(path, None, "extends", "設定檔彼此循環延伸（extends）")
    data, root = read_yaml(path)
    spec = validate(path, data, root, ProfileFile)
    if spec.extends is None:
        return Profile(name=spec.name, title=spec.title, description=spec.description, source=str(path), items=spec.items)
    try:
        base = _load(_resolve(spec.extends), chain + (path,))
    except DataError as error:
        if error.field == "" and error.reason == "檔案不存在":
            raise DataError(path, line_at(root, ("extends",)), "extends", f"沒有 {spec.extends} 這個設定檔") from None
        raise
    known = {item.id for item in base.items}
    if spec.select is not None:
        _check_ids(path, root, "select", spec.select, known)
    _check_ids(path, root, "drop", spec.drop, known)
    items = {item.id: item for item in base.items}
    for index, item in enumerate(spec.items):
        if item.id in items:
            raise DataError(path, line_at(root, ("items", index, "id")), f"items.{index}.id",
                            f"項目 {item.id} 已在 {spec.extends} 中；請用 thresholds 修改")
        items[item.id] = item
    _apply_thresholds(path, root, items, spec.thresholds)
    chosen = [i for i in items.values() if (spec.select is None or i.id in spec.select or i.id in {n.id for n in spec.items})
              and i.id not in spec.drop]
    return Profile(name=spec.name, title=spec.title or base.title, description=spec.description,
                   source=str(path), items=chosen)


def load_profile(name_or_path: str | Path = "default") -> Profile:
    """A profile by name (checks/data/profiles/NAME.yaml) or by file path.
    Raises ``models.datafile.DataError`` (one line: file:line: field: reason)."""
    path = _resolve(name_or_path)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = None
    return _load_cached(str(path.resolve()) if stamp is not None else str(path), stamp)


@lru_cache(maxsize=16)
def _load_cached(path: str, _stamp: int | None) -> Profile:
    # Keyed on the file's modification time, so an edited profile is read again.
    return _load(Path(path))
