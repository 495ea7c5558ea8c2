"""The registry of rule kinds. Every module of this package that defines a
``Params`` model with a ``kind`` literal and an ``evaluate`` function is a rule
kind: adding a kind is adding a file, nothing else changes."""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import Annotated, Any, Callable, Union

from pydantic import Field

from checks.rules.base import Context, RuleResult


@dataclass(frozen=True)
class RuleKind:
    kind: str
    params: type
    evaluate: Callable[[Any, Context], RuleResult]
    doc: str
    summary: str


def _discover() -> dict[str, RuleKind]:
    kinds: dict[str, RuleKind] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name == "base":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        params = getattr(module, "Params", None)
        evaluate = getattr(module, "evaluate", None)
        if params is None or evaluate is None:
            continue
        kind = params.model_fields["kind"].default
        kinds[kind] = RuleKind(kind, params, evaluate, (module.__doc__ or "").strip(), getattr(module, "SUMMARY", ""))
    return kinds


RULE_KINDS = _discover()

# The ``rule:`` of a profile item: one of the kinds' Params, chosen by ``kind``.
RuleSpec = Annotated[Union[tuple(kind.params for kind in RULE_KINDS.values())], Field(discriminator="kind")]


def run(params, context: Context) -> RuleResult:
    return RULE_KINDS[params.kind].evaluate(params, context)
