"""What a command derives from data files, kept between runs.

Reading a data file means parsing YAML in pure Python, building pydantic models
and validating: tens of milliseconds per file, and a profile costs more than a
whole search. A value derived from validated files (a model's data, a table of
names) is stored once as JSON in $XDG_CACHE_HOME/plancheck/data, under a key
made of the files' bytes and the source of the code that reads them: an edited
data file or an edited loader misses the cache and is read and validated
again, so its errors are reported as before. Nothing is stored when building
fails, so a broken file fails on every run, and a cache that cannot be read or
written only costs the time it was meant to save."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any


def cache_dir() -> Path:
    """$XDG_CACHE_HOME/plancheck/data (else ~/.cache/plancheck/data)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "plancheck" / "data"


def cache_key(files: Iterable[Path], code: Iterable[Path]) -> str:
    """Changes when any byte of the data files or of the code reading them does."""
    digest = hashlib.sha256()
    for path in (*files, *code):
        content = path.read_bytes()
        digest.update(f"{path.name}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()[:24]


# Other versions of a value are removed once written this long ago, not at once: two
# installations (or checkouts) sharing the cache folder would otherwise remove
# each other's and validate again on every run.
STALE_SECONDS = 7 * 24 * 3600


def _store(path: Path, value: Any) -> None:
    """Written to a temporary file and renamed, so a parallel run never reads
    half a file; other versions of the same value written over a week ago are removed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, suffix=".tmp", delete=False) as handle:
            json.dump(value, handle, ensure_ascii=False)
        os.replace(handle.name, path)
        remove_stale_versions(path)
    except OSError:
        pass  # a read-only or full cache folder: the next run builds again


def remove_stale_versions(path: Path) -> None:
    """The other versions of a cached file (``stem-KEY.suffix`` beside it)
    written over STALE_SECONDS ago, removed."""
    stem = path.name.rsplit("-", 1)[0]
    for old in path.parent.glob(f"{stem}-*{path.suffix}"):
        if old != path and old.stat().st_mtime < time.time() - STALE_SECONDS:
            old.unlink(missing_ok=True)


def derived(name: str, files: Iterable[Path], code: Iterable[Path], build: Callable[[], Any]) -> Any:
    """``build()`` (a JSON value), or what it returned on an earlier run for the
    same bytes of ``files`` and ``code``. ``build`` raises on invalid files;
    a missing data file is left to ``build`` to report."""
    files, code = list(files), list(code)
    try:
        path = cache_dir() / f"{name}-{cache_key(files, code)}.json"
    except OSError:
        return build()
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    value = build()
    _store(path, value)
    return value
