"""The stages in order, for the commands that need more than extraction.

    extract (readers → plan) → normalize → map onto the framework → check

Each stage takes the models of the one before and returns new ones; none
reaches back."""

from __future__ import annotations

from pathlib import Path

from extractor import ExtractSettings, extract
from models import Plan
from normalizers.pipeline import normalize_plan
from checks import map_plan


def read_plan(path: str | Path, settings: ExtractSettings | None = None) -> Plan:
    """A plan read from a file, ready for checks and the corpus."""
    plan = extract(path, settings)
    plan = normalize_plan(plan)
    plan = map_plan(plan)
    return plan
