"""The data model every stage exchanges: the plan (plan.py) and the check
result (report.py).

Their names are loaded on first use (PEP 562): ``models.datafile``, which the
normalizers read their data with, must not build every model of a plan and a
report for a command that only searches."""

from __future__ import annotations

from importlib import import_module

# Where a name is looked up, in the order the star imports used to win
# (report's names over plan's), then the stage types.
_MODULES = ("models.report", "models.plan", "models.stages")


def __getattr__(name: str):
    if not name.startswith("_"):
        for module_name in _MODULES:
            module = import_module(module_name)
            if hasattr(module, name):
                value = getattr(module, name)
                globals()[name] = value
                return value
    raise AttributeError(f"module 'models' has no attribute {name!r}")
