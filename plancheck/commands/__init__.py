"""The commands of `plancheck`, one module per group. A module marks each command
with ``@command(name)``; plancheck/cli.py imports the modules and puts what they
marked on the typer app, so no command module imports the app."""

from __future__ import annotations

from collections.abc import Callable

COMMANDS: dict[str, Callable[..., None]] = {}


def command(name: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Mark a function as the command ``name``."""

    def mark(function: Callable[..., None]) -> Callable[..., None]:
        COMMANDS[name] = function
        return function

    return mark
