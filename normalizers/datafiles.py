"""Loading the normalizers' data files (normalizers/data/*.yaml).

Word lists that change with agencies and years live in data files, not code;
a typo there must fail loudly with the file, line and field it is in, not as a
KeyError deep inside a check."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

DATA_DIR = Path(__file__).parent / "data"

M = TypeVar("M", bound=BaseModel)


class DataFileError(ValueError):
    """A data file that cannot be read or does not have the expected shape."""


def _line_of(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    """1-based line of the YAML node at a pydantic error location."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((value for name, value in node.value if name.value == str(key)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            break
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


# libyaml's loader when PyYAML was built with it (ten times faster: the data
# files are read at every start of a search).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_model(path: Path, model: type[M]) -> M:
    """Parse a YAML file into ``model``; errors name the file, line and field."""
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_LOADER)
    except (OSError, yaml.YAMLError) as error:
        raise DataFileError(f"{path}: {error}") from error
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "(top level)"
        line = _line_of(yaml.compose(text), tuple(first["loc"]))  # parsed again for lines only when wrong
        where = f"{path}:{line}" if line else str(path)
        raise DataFileError(f"{where}: {field}: {first['msg']}") from error
