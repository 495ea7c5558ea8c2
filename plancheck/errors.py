"""Turning failures into the one-line messages and exit codes of docs/cli.md."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2


def reason_text(error: BaseException) -> str:
    """Why a file could not be processed, one line of Traditional Chinese (the
    error class's own reason: extractor/errors.py, outputs/files.py)."""
    from extractor.errors import PlanError, unexpected_reason
    from outputs.files import UnsafeOutput

    if isinstance(error, UnsafeOutput):  # names the output file, not the input
        return f"{error.reason}（{error.path}）"
    return error.explanation if isinstance(error, PlanError) else unexpected_reason(error)


@contextmanager
def one_line_errors(path: str) -> Iterator[None]:
    """Run a single-file command: any failure becomes one line on stderr and exit 1."""
    try:
        yield
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as error:  # noqa: BLE001 - every failure must be one clear line
        from library import error_line

        print(error_line(path, error), file=sys.stderr)
        raise typer.Exit(EXIT_INPUT) from None
