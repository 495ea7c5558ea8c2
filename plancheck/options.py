"""Option values and limits the commands declare: kept apart from the batch
runner so that declaring the commands (`plancheck --help`) imports nothing
that reads or checks a plan."""

from __future__ import annotations

from enum import Enum

EXIT_GAPS = 3  # --fail-on: every input was processed, and a plan has a gap at or below the bar
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report a process killed by SIGINT
MAX_JOBS = 256  # more worker processes than this only exhaust memory


class FailOn(str, Enum):
    missing = "missing"
    partial = "partial"

EXECUTOR_HELP = ("Read and check the files on a Dask cluster, dask://HOST:PORT (the workers must see the files at "
                 "the same paths); results come back here to be written. Replaces --jobs.")
