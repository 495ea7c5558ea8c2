"""OCR results kept on disk, so that a re-run, an index after a check or the
web page on the same file costs nothing.

One JSON file per page under $XDG_CACHE_HOME/plancheck/ocr (else
~/.cache/plancheck/ocr), named by the file's sha256, a hash of the engine, its
settings and the recognition version, and the page number. Writes go to a temporary file renamed into
place, so parallel workers and an interrupted run never leave half a file."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from pydantic import ValidationError

from extractor.ocr.page import RecognisedPage
from extractor.ocr.settings import OcrSettings


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "plancheck" / "ocr"


# Raised whenever recognition changes what it returns for the same settings
# (2: table cells read one by one, the gray page, large type read again; 4: cell
# lines cut to their ink, doubtful lines read again as raw lines, lines the page
# left unread read as lines), so
# that no cache serves a page read the old way.
RECOGNITION_VERSION = 4


def entry(sha256: str, settings: OcrSettings, page: int) -> Path:
    settings_hash = hashlib.sha256(f"{RECOGNITION_VERSION}:{settings.key()}".encode()).hexdigest()[:16]
    return cache_dir() / sha256[:2] / sha256 / f"{settings_hash}-{page}.json"


def load(path: Path) -> RecognisedPage | None:
    try:
        return RecognisedPage.model_validate_json(path.read_bytes())
    except (OSError, ValueError, ValidationError):
        return None  # absent, unreadable or from an older version: recognise again


def store(path: Path, page: RecognisedPage) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(handle, "wb") as file:
            file.write(page.model_dump_json().encode())
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only or full cache only costs the next run its time
