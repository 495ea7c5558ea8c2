"""Writing outputs safely: atomically, never over an input, with safe names."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path


class UnsafeOutput(Exception):
    """An output path that would replace an input file."""


def write_atomic(path: str | Path, data: bytes | str, protected: list[Path] | tuple[Path, ...] = ()) -> Path:
    """Write data to path via a temporary file in the same folder and a rename,
    so readers never see a half-written file and a crash leaves the old file.
    Refuses to write over any path in ``protected`` (the inputs)."""
    path = Path(path)
    target = path.resolve()
    for other in protected:
        if Path(other).resolve() == target:
            raise UnsafeOutput(f"{path}: 拒絕覆寫輸入檔")
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


_UNSAFE = re.compile(r"[^\w\u3400-\u9fff.-]+")


def safe_stem(name: str, max_length: int = 80) -> str:
    """A file-name stem that is safe on every OS for any input name
    ("../../etc/passwd", "a:b*c?.pdf", names of only dots)."""
    stem = unicodedata.normalize("NFC", Path(name).stem)
    stem = _UNSAFE.sub("_", stem).strip("._") or "plan"
    return stem[:max_length]
