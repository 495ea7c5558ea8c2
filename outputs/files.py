"""Writing outputs safely: atomically, never over an input, with safe names."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from extractor.errors import PlanError

TEMP_SUFFIX = ".tmp"


class UnsafeOutput(PlanError):
    """An output path that would replace an input file."""

    reason = "拒絕覆寫輸入檔"


@lru_cache(maxsize=1)
def _umask() -> int:
    """The process's umask. Reading it means setting it, so it is read once (at
    the first write, before any worker thread of the web app writes)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def atomic_file(path: str | Path, protected: Iterable[str | Path] = ()) -> Iterator[BinaryIO]:
    """A binary handle whose content becomes ``path`` when the block ends: it is
    written to a temporary file in the same folder and renamed, so readers never
    see a half-written file and a failure leaves the old file. Refuses to write
    over any path in ``protected`` (the inputs). The file gets the permissions
    of the umask, like any file the user creates."""
    path = Path(path)
    target = path.resolve()
    for other in protected:
        if Path(other).resolve() == target:
            raise UnsafeOutput(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_atomic(path: str | Path, data: bytes | str, protected: Iterable[str | Path] = ()) -> Path:
    """Write data to path atomically (``atomic_file``); never over ``protected``."""
    with atomic_file(path, protected) as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)
    return Path(path)


_UNSAFE = re.compile(r"[^\w\u3400-\u9fff.-]+")


def safe_stem(name: str, max_length: int = 80) -> str:
    """A file-name stem that is safe on every OS for any input name
    ("../../etc/passwd", "a:b*c?.pdf", names of only dots)."""
    stem = unicodedata.normalize("NFC", Path(name).stem)
    stem = _UNSAFE.sub("_", stem).strip("._") or "plan"
    return stem[:max_length]


# Every folder plancheck writes reports into holds this file, so a later run that
# is given a parent folder knows the reports are not plans.
OUTPUT_MARKER = ".plancheck-output"
_MARKER_TEXT = "This folder holds reports written by plancheck; plancheck skips it when it looks for plans.\n"


def mark_output_folder(folder: str | Path) -> None:
    """Leave the marker in ``folder`` (created if needed) unless it is there."""
    marker = Path(folder) / OUTPUT_MARKER
    if not marker.is_file():
        write_atomic(marker, _MARKER_TEXT)


def is_output_folder(folder: str | Path) -> bool:
    return (Path(folder) / OUTPUT_MARKER).is_file()


def remove_partial_files(folder: str | Path, since: float) -> list[Path]:
    """Delete the temporary files ``write_atomic`` left in ``folder`` and its
    subfolders since ``since`` (a time.time()): a process killed mid-write has no
    chance to remove its own. Returns what was removed."""
    removed = []
    for candidate in Path(folder).rglob(f".*{TEMP_SUFFIX}"):
        try:
            if candidate.is_file() and candidate.stat().st_mtime >= since - 1:
                candidate.unlink()
                removed.append(candidate)
        except FileNotFoundError:  # its writer finished after all
            continue
    return removed
