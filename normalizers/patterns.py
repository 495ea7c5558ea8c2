"""Regular expressions compiled on first use.

A character class over the CJK blocks takes 3–7 ms to compile (the engine
builds a bitmap of every code point in it); a module holding several made
every command that imports it wait 20–30 ms, most of them for patterns only
reading a plan uses. ``lazy(...)`` stands for the compiled pattern: its
methods are the pattern's, looked up once."""

from __future__ import annotations

import re
from typing import Any


class LazyPattern:
    """``re.compile(source, flags)`` on the first attribute asked for."""

    def __init__(self, source: str, flags: int = 0):
        self._source, self._flags = source, flags

    def __getattr__(self, name: str) -> Any:
        # Only reached for what the instance lacks: the compiled pattern's
        # attributes, each stored on first use so later calls skip this.
        if name.startswith("__"):
            raise AttributeError(name)
        value = getattr(re.compile(self._source, self._flags), name)
        setattr(self, name, value)
        return value

    def __repr__(self) -> str:
        return f"lazy({self._source!r})"


def lazy(source: str, flags: int = 0) -> LazyPattern:
    """A pattern compiled when first used (``re.compile`` is cached, so one
    source compiles once however many lazy patterns share it)."""
    return LazyPattern(source, flags)
