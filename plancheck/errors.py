"""Turning failures into the one-line messages and exit codes of cli-contract.md."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer

from library import error_line

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2


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
