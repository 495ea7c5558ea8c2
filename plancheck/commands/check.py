"""`plancheck check` and `plancheck items`.

The per-plan work is ``library.check_file``; with --out the batch runner writes
reports, without it this command prints the CheckReport JSON of docs/cli.md
(one object for one file, one line per file for several)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

import library
from checks import DataError, Profile, load_profile
from checks.docs import render_items
from outputs.files import write_atomic
from plancheck import batch
from plancheck.commands import command
from plancheck.errors import EXIT_INPUT, EXIT_USAGE


def _profile_or_exit(name: str) -> Profile:
    try:
        return load_profile(name)
    except DataError as error:
        print(f"plancheck: {error}", file=sys.stderr)
        raise typer.Exit(EXIT_USAGE) from None


@command("check")
def check_command(
    files: list[Path] = typer.Argument(..., help="Plan files, or folders searched recursively."),
    profile: str = typer.Option("default", "--profile", "-p", help="Profile name (checks/data/profiles/) or a profile YAML file."),
    format: str | None = typer.Option(
        None, "--format", "-f",
        help="Without --out: json. With --out: comma-separated html,md,json,csv,xlsx,odt,docx (default html,json,csv,xlsx)."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write a report per plan (DIR/plans/) and a summary (DIR/summary.*) here."),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, max=batch.MAX_JOBS,
                             help=f"With --out: worker processes (0: one per CPU; at most {batch.MAX_JOBS})."),
    fail_on: batch.FailOn | None = typer.Option(
        None, "--fail-on", help=f"Exit {batch.EXIT_GAPS} when a plan has an item at or below this verdict (partial includes missing)."),
    corpus_db: Path | None = typer.Option(None, "--corpus-db", help="A corpus (plancheck index) for other plans' wording of missing items."),
) -> None:
    """Check plans against the mandated items and the framework; print the report JSON,
    or with --out write gap reports and a batch summary."""
    chosen = _profile_or_exit(profile)
    fail_on_value = fail_on.value if fail_on else None
    if out is not None:
        raise typer.Exit(batch.command(files, out, format, jobs, fail_on_value, chosen, corpus_db))
    if format not in (None, "json"):
        print(f"plancheck: --format {format} 需要 --out DIR（未指定 --out 時只輸出 json）", file=sys.stderr)
        raise typer.Exit(EXIT_USAGE)
    inputs = batch.expand_paths(files)
    if inputs.skipped_note:
        print(inputs.skipped_note, file=sys.stderr)
    for folder in inputs.failures:
        print(folder.line, file=sys.stderr)
    paths, failures = inputs.files, len(inputs.failures)
    reports = []
    for path in paths:
        try:
            report = library.check_file(path, chosen)
            if corpus_db is not None:
                report = library.with_exemplars(report, corpus_db)[0]
        except Exception as error:  # noqa: BLE001 - one line per unreadable file, then the next
            print(library.error_line(str(path), error), file=sys.stderr)
            failures += 1
            continue
        reports.append(report)
        indent = 2 if len(files) == 1 and len(paths) == 1 else None
        typer.echo(report.model_dump_json(indent=indent))
    if failures:
        raise typer.Exit(EXIT_INPUT)
    raise typer.Exit(batch.EXIT_GAPS if batch.gaps_reached(reports, fail_on_value) else 0)


@command("items")
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
