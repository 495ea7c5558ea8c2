"""`plancheck check` and `plancheck items`.

The per-plan work is ``check_file``: read, normalize, map and check one plan.
Batch reports build on it; this command prints the CheckReport JSON of
cli-contract.md (one object for one file, one line per file for several)."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

import typer

from checks import DataError, Profile, check_plan, load_profile
from checks.docs import render_items
from models import CheckReport
from outputs.files import write_atomic
from plancheck.cli import app
from plancheck.errors import EXIT_INPUT, EXIT_USAGE, error_line
from plancheck.pipeline import read_plan


class CheckFormat(str, Enum):
    json = "json"


def check_file(path: Path | str, profile: Profile | str | None = None) -> CheckReport:
    """One plan file checked against a profile (a name, a file, a Profile or None
    for the default). Raises extractor.PlanError for unreadable files and
    checks.DataError for a wrong profile."""
    chosen = profile if isinstance(profile, Profile) else load_profile(profile or "default")
    return check_plan(read_plan(Path(path)), chosen)


def _profile_or_exit(name: str) -> Profile:
    try:
        return load_profile(name)
    except DataError as error:
        print(f"plancheck: {error}", file=sys.stderr)
        raise typer.Exit(EXIT_USAGE) from None


@app.command("check")
def check_command(
    files: list[Path] = typer.Argument(..., help="Plan files to check."),
    profile: str = typer.Option("default", "--profile", "-p", help="Profile name (checks/data/profiles/) or a profile YAML file."),
    format: CheckFormat = typer.Option(CheckFormat.json, "--format", "-f", help="Output format."),
) -> None:
    """Check plans against the mandated items and the framework; print the report JSON."""
    chosen = _profile_or_exit(profile)
    failures = 0
    for path in files:
        try:
            report = check_file(path, chosen)
        except Exception as error:  # noqa: BLE001 - one line per unreadable file, then the next
            print(error_line(str(path), error), file=sys.stderr)
            failures += 1
            continue
        indent = 2 if len(files) == 1 else None
        typer.echo(report.model_dump_json(indent=indent))
    raise typer.Exit(EXIT_INPUT if failures else 0)


@app.command("items")
def items_command(
    profile: str = typer.Option("default", "--profile", "-p", help="Profile name or file."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write to this file (e.g. docs/items.md)."),
) -> None:
    """Print the catalogue of mandated items of a profile as Markdown."""
    text = render_items(_profile_or_exit(profile))
    if out is None:
        typer.echo(text, nl=False)
    else:
        write_atomic(out, text)
