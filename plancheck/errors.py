"""Turning failures into the one-line messages and exit codes of docs/cli.md."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer

from extractor.errors import PlanError
from outputs.files import UnsafeOutput

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2


def error_line(path: str, error: BaseException) -> str:
    """One line naming the file and the reason, for any failure."""
    if isinstance(error, PlanError):
        return f"plancheck: {error.message}"
    if isinstance(error, UnsafeOutput):
        return f"plancheck: {error}"
    reason = str(error).splitlines()[0] if str(error) else type(error).__name__
    return f"plancheck: {path}: could not be processed ({type(error).__name__}: {reason})"


@contextmanager
def one_line_errors(path: str) -> Iterator[None]:
    """Run a single-file command: any failure becomes one line on stderr and exit 1."""
    try:
        yield
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as error:  # noqa: BLE001 - every failure must be one clear line
        print(error_line(path, error), file=sys.stderr)
        raise typer.Exit(EXIT_INPUT) from None
