"""`python -m plancheck`: the same as the `plancheck` command."""

from plancheck.cli import run

run()
