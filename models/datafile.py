"""The one way to read a YAML data file (frameworks, profiles, the column
vocabulary, the normalizers' word lists): parsed once, checked for duplicate
keys, validated against its pydantic model, and every error one line naming
the file, the line and the key — ``file:line: key: reason`` — so that a typo
made by a secretariat fails where it was made, not as a KeyError deep inside
a check.

PyYAML's node tree gives every key its line; a pydantic error location such as
``items.3.rule.qualified.groups`` is walked through it, skipping the parts that
are not YAML keys (a discriminated union's tag)."""

from __future__ import annotations

import errno
import importlib
import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from models.datacache import derived

if TYPE_CHECKING:
    import yaml
    from pydantic import BaseModel, ValidationError

# pydantic is imported where a file is validated: a run that finds the
# validated data in the cache (``validated``) does without it.
M = TypeVar("M", bound="BaseModel")


class DataError(ValueError):
    """A data file that cannot be used: ``str(error)`` is one line, file:line: key: reason."""

    def __init__(self, path: Path | str, line: int | None, field: str, reason: str):
        self.path, self.line, self.field, self.reason = str(path), line, field, reason
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {field}: {reason}" if field else f"{where}: {reason}")


class ValueAt(ValueError):
    """A model validator's error about one place below the value it checks
    (``loc`` relative to it), so the message can point at that line."""

    def __init__(self, reason: str, *loc: str | int):
        super().__init__(reason)
        self.loc = loc


def _child(node: yaml.Node, key: Any) -> tuple[yaml.Node, int] | None:
    """The node under ``key`` and its line: a mapping entry's is its key's
    (a block value starts on the next line), a list element's its own."""
    import yaml

    if isinstance(node, yaml.MappingNode):
        return next(((value, name.start_mark.line + 1) for name, value in node.value if name.value == str(key)), None)
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
        return node.value[key], node.value[key].start_mark.line + 1
    return None


def _walk(root: yaml.Node | None, loc: tuple[Any, ...]) -> tuple[int | None, list[str]]:
    """The line of the deepest node reachable along ``loc`` and the parts of
    ``loc`` that name keys of the file (plus a last part the file lacks: the
    missing key a 'Field required' names)."""
    if root is None:
        return None, [str(part) for part in loc[-1:]]
    node, line, parts = root, root.start_mark.line + 1, []
    for index, key in enumerate(loc):
        if key == "[key]":  # pydantic's mark for "the mapping key itself", which is already named
            continue
        child = _child(node, key)
        if child is None:
            if index == len(loc) - 1:
                parts.append(str(key))
            continue  # a union tag: stay on the parent
        node, line = child
        parts.append(str(key))
    return line, parts


def line_at(root: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """1-based line of the deepest node reachable along ``loc``."""
    return _walk(root, loc)[0]


def _duplicate_key(path: Path, node: yaml.Node | None, trail: tuple[str, ...] = ()) -> None:
    # PyYAML keeps the last of two equal keys without a word; in a word list
    # that silently drops the first list.
    import yaml

    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = str(key.value)
            if name in seen:
                raise DataError(path, key.start_mark.line + 1, ".".join((*trail, name)), "鍵重複")
            seen.add(name)
            _duplicate_key(path, value, (*trail, name))
    elif isinstance(node, yaml.SequenceNode):
        for index, value in enumerate(node.value):
            _duplicate_key(path, value, (*trail, str(index)))


def read_yaml(path: Path) -> tuple[Any, yaml.Node | None]:
    """The file's data and its node tree (for lines)."""
    import yaml  # on first use: a file read from the cache needs no parser

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(path, None, "", "檔案不存在") from None
    except UnicodeDecodeError:
        raise DataError(path, None, "", "無法讀取（不是 UTF-8 文字）") from None
    except OSError as error:
        raise DataError(path, None, "", f"無法讀取（系統錯誤 {errno.errorcode.get(error.errno or 0, type(error).__name__)}）") from None
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)  # PyYAML's own problem text is English: the place says enough
        raise DataError(path, mark.line + 1 if mark else None, "",
                        f"YAML 格式錯誤（第 {mark.column + 1} 欄）" if mark else "YAML 格式錯誤") from None
    finally:
        loader.dispose()
    _duplicate_key(path, root)
    return data, root


def validation_error(path: Path, root: yaml.Node | None, error: ValidationError,
                     prefix: tuple[Any, ...] = ()) -> DataError:
    """The first error of a pydantic validation as a DataError; ``prefix`` is
    where in the file the validated value sits. A misspelt key is both an
    unknown key and a missing one: the unknown one has the line to fix."""
    errors = error.errors()
    first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    inner = first.get("ctx", {}).get("error")
    line, parts = _walk(root, (*prefix, *first["loc"], *getattr(inner, "loc", ())))
    return DataError(path, line, ".".join(parts) or "（最上層）", pydantic_reason(first))


# pydantic's error types (stable identifiers) in Chinese; its messages are English.
_PYDANTIC_REASONS = {
    "missing": "缺少此欄位", "extra_forbidden": "不認得的欄位（拼錯了嗎？）",
    "string_type": "應為文字", "int_type": "應為整數", "int_parsing": "應為整數", "int_from_float": "應為整數",
    "float_type": "應為數字", "float_parsing": "應為數字", "bool_type": "應為 true 或 false",
    "bool_parsing": "應為 true 或 false", "list_type": "應為清單", "tuple_type": "應為清單", "set_type": "應為清單",
    "dict_type": "應為對照表（鍵: 值）", "model_type": "應為對照表（鍵: 值）", "model_attributes_type": "應為對照表（鍵: 值）",
    "literal_error": "應為 {expected}", "enum": "應為 {expected}",
    "greater_than": "應大於 {gt}", "greater_than_equal": "應不小於 {ge}", "less_than": "應小於 {lt}",
    "less_than_equal": "應不大於 {le}", "too_short": "至少要有 {min_length} 項", "too_long": "最多 {max_length} 項",
    "string_too_short": "至少要有 {min_length} 個字", "string_too_long": "最多 {max_length} 個字",
    "string_pattern_mismatch": "格式不符（{pattern}）", "union_tag_invalid": "應為 {expected_tags} 之一",
    "union_tag_not_found": "缺少欄位 {discriminator}",
}


def pydantic_reason(error: dict) -> str:
    """One pydantic error in Chinese: a validator's own reason as written, a
    built-in check from the table, anything else in pydantic's words."""
    if error["type"] in ("value_error", "assertion_error"):
        return error["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    template = _PYDANTIC_REASONS.get(error["type"])
    if template is None:
        return error["msg"]
    try:
        return template.format(**{key: str(value) for key, value in error.get("ctx", {}).items()})
    except KeyError:
        return error["msg"]


def validate(path: Path, data: Any, root: yaml.Node | None, model: type[M], context: dict | None = None) -> M:
    from pydantic import ValidationError

    try:
        return model.model_validate(data, context=context)
    except ValidationError as error:
        raise validation_error(path, root, error) from None


def load(path: Path, model: type[M], context: dict | None = None) -> M:
    """The YAML file at ``path`` as a ``model``; raises DataError."""
    data, root = read_yaml(path)
    return validate(path, data, root, model, context)


def validated(path: Path, model: str) -> Any:
    """The data of the YAML file at ``path`` as the pydantic model ``model``
    ("package.module:Class") validates it (``load``), as JSON data. It is kept
    in models.datacache, keyed by the file and the source of the model's
    module and of this one, so a run that finds it there imports neither the
    model nor pydantic (a fifth of a cold search). Only for models whose fields
    are plain data: the value is the model's JSON dump."""
    module, _, name = model.partition(":")
    spec = importlib.util.find_spec(module)  # its file, without running it
    code = [Path(__file__), Path(spec.origin if spec and spec.origin else "")]
    return derived(model.replace(":", "."), [path], code,
                   lambda: load(path, getattr(importlib.import_module(module), name)).model_dump(mode="json"))


def load_cached(path: Path, model: type[M]) -> M:
    """``load(path, model)``, validated on the first run and whenever the file
    or the model's module changes; other runs build the model from the
    validated data (``validated``), without parsing or validating. Only for
    models whose fields are plain data (no nested models), which
    ``model_construct`` rebuilds as they were."""
    return model.model_construct(**validated(path, f"{model.__module__}:{model.__qualname__}"))
