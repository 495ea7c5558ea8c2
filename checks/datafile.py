"""Reading the checks' YAML data files (frameworks, profiles) into pydantic
models, with one-line errors that name the file, line and field.

PyYAML's composed node tree gives every key its line; a pydantic error location
such as ``items.3.rule.qualified.groups`` is walked through it, skipping the
parts that are not YAML keys (a discriminated union's tag), so the message points
at the line a secretariat has to fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


class DataError(ValueError):
    """A data file that cannot be used: ``str(error)`` is one line, file:line: field: reason."""

    def __init__(self, path: Path | str, line: int | None, field: str, reason: str):
        self.path, self.line, self.field, self.reason = str(path), line, field, reason
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {field}: {reason}" if field else f"{where}: {reason}")


def _child(node: yaml.Node, key: Any) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        return next((value for name, value in node.value if name.value == str(key)), None)
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
        return node.value[key]
    return None


def line_at(root: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """1-based line of the deepest node reachable along ``loc``."""
    if root is None:
        return None
    node, line = root, root.start_mark.line + 1
    for key in loc:
        child = _child(node, key)
        if child is None:
            continue  # a union tag or a key the file does not have: stay on the parent
        node, line = child, child.start_mark.line + 1
    return line


def read_yaml(path: Path) -> tuple[Any, yaml.Node | None]:
    try:
        text = path.read_text(encoding="utf-8")
        return yaml.safe_load(text), yaml.compose(text)
    except FileNotFoundError:
        raise DataError(path, None, "", "檔案不存在") from None
    except (OSError, UnicodeDecodeError) as error:
        raise DataError(path, None, "", f"無法讀取（{error}）") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise DataError(path, mark.line + 1 if mark else None, "", f"YAML 格式錯誤：{reason}") from None


def validate(path: Path, data: Any, root: yaml.Node | None, model: type[M], context: dict | None = None) -> M:
    try:
        return model.model_validate(data, context=context)
    except ValidationError as error:
        first = error.errors()[0]
        loc = tuple(first["loc"])
        field = ".".join(str(part) for part in loc) or "(top level)"
        reason = first["msg"].removeprefix("Value error, ")
        raise DataError(path, line_at(root, loc), field, reason) from None


def load(path: Path, model: type[M], context: dict | None = None) -> M:
    data, root = read_yaml(path)
    return validate(path, data, root, model, context)
