"""Framework mapping and mandated-item checks, as explainable data-driven rules.

    detect_framework(plan) -> FrameworkRef        which programme the plan follows, and why
    map_plan(plan) -> Plan                        framework set, every measure's dimension set
    mappings(plan) -> list[MeasureMapping]        each measure's dimension, sub-item, cues, crosswalk
    load_profile(name_or_path) -> Profile         the mandated items to check (default: all)
    check_plan(plan, profile=None) -> CheckReport verdicts with evidence, findings, coverage

Frameworks live in checks/data/frameworks/*.yaml, items in
checks/data/profiles/*.yaml, rule kinds in checks/rules/ (one module each)."""

from models.datafile import DataError
from checks.detect import detect_framework
from checks.engine import check_plan
from checks.mapping import map_plan, mappings
from checks.profiles import Profile, load_profile

__all__ = ["DataError", "Profile", "check_plan", "detect_framework", "load_profile", "map_plan", "mappings"]
