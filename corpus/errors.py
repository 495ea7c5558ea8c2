"""The corpus's errors: each is one line for the user, in Traditional Chinese."""

from __future__ import annotations


class CorpusError(Exception):
    """A corpus problem to show the user as one line (Traditional Chinese)."""


class CorpusMissing(CorpusError):
    """The database file does not exist yet."""


class DataUnavailable(CorpusError):
    """The corpus lacks data a request needs (e.g. plans indexed without the checks)."""
