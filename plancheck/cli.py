"""The `plancheck` command. Each group of commands lives in plancheck/commands/
and registers itself on ``app``; adding a command means adding a module there
and one import below."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="plancheck",
    help="Read, check and search Taiwanese government service-quality plans (提升服務品質執行計畫).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

from plancheck.commands import extract as _extract  # noqa: E402,F401  (registers commands)
from plancheck.commands import samples as _samples  # noqa: E402,F401
from plancheck.commands import corpus as _corpus  # noqa: E402,F401
from plancheck.commands import check as _check  # noqa: E402,F401


def main() -> None:
    app()
