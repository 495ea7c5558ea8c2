"""`plancheck extract`, `plancheck debug` and `plancheck schema`."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from plancheck.commands import command
from plancheck.errors import one_line_errors

# extractor.tree.STEPS and extractor.readers.document_extensions(), named here
# so that declaring the commands does not load the extractor and every reader
# (tests/test_startup.py checks that they agree with the registry).
STEPS = ("columns", "numbering", "levels", "parents", "boundaries", "values")
PLAN_EXTENSIONS = (".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".docx", ".odt", ".xlsx", ".ods", ".doc", ".wps",
                   ".rtf", ".html", ".htm", ".csv", ".txt", ".md")


class PlanFormat(str, Enum):
    json = "json"
    md = "md"


@command("extract")
def extract_command(
    file: Path = typer.Argument(..., help=f"A plan: {' '.join(PLAN_EXTENSIONS)} (format detected from content)."),
    format: PlanFormat = typer.Option(PlanFormat.json, "--format", "-f", help="Output format."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write to this file instead of standard output."),
) -> None:
    """Read one plan and print its structured content, with its framework and
    each measure's dimension."""
    from library import read_plan
    from outputs.files import write_atomic
    from outputs.plan_json import plan_to_json
    from outputs.plan_markdown import plan_to_markdown

    with one_line_errors(str(file)):
        plan = read_plan(file)
        text = plan_to_json(plan) if format is PlanFormat.json else plan_to_markdown(plan)
        if out is None:
            typer.echo(text, nl=False)
        else:
            write_atomic(out, text, protected=[file])


@command("debug")
def debug_command(
    file: Path = typer.Argument(..., help="The plan whose extraction to explain."),
    rows: bool = typer.Option(True, "--rows/--no-rows", help="Show every row's decisions."),
    step: list[str] = typer.Option(list(STEPS), "--step",
                                   help="Show only these steps' decisions (repeatable): " + ", ".join(STEPS) + "."),
    tree: bool = typer.Option(True, "--tree/--no-tree", help="Show the finished numbering tree of each table."),
) -> None:
    """Show the extraction's intermediates: the raw grid, the detected header and
    column roles, what each tree step decided about each row, and the tree."""
    from extractor import extract_with_trace
    from plancheck.debug_view import render_trace

    unknown = [name for name in step if name not in STEPS]
    if unknown:
        typer.echo(f"plancheck debug: 沒有 {unknown[0]} 這個步驟（步驟：{'、'.join(STEPS)}）", err=True)
        raise typer.Exit(2)
    with one_line_errors(str(file)):
        plan, trace = extract_with_trace(file)
        typer.echo(render_trace(plan, trace, show_rows=rows, steps=tuple(name for name in STEPS if name in step),
                                show_tree=tree), nl=False)


@command("schema")
def schema_command(
    out_dir: Path = typer.Option(Path("docs/schema"), "--out-dir", help="Folder for the JSON Schema files."),
) -> None:
    """Write the JSON Schema of extract's plan, check's report and the batch summary."""
    from library import json_schemas
    from outputs.files import write_atomic

    for name, text in json_schemas().items():
        path = out_dir / f"{name}.schema.json"
        write_atomic(path, text)
        typer.echo(str(path))
