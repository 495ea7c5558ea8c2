"""The import direction of the whole tree (the contracts are in pyproject.toml,
[tool.importlinter]): each layer imports only the layers below it, outputs and
corpus never import each other, and no package has an import cycle between its
modules."""

from __future__ import annotations

import ast
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept(capsys):
    code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    assert code == 0, capsys.readouterr().out


def _imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    names |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module and not node.level}
    return names


def test_every_package_is_under_a_contract():
    """A new top-level package must be placed in the layers, or the contract
    would silently say nothing about it."""
    import tomllib

    tool = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    config = tool["importlinter"]
    packages = {name.rstrip("*") for name in tool["setuptools"]["packages"]["find"]["include"]}
    assert packages == set(config["root_packages"])
    layered = {name.strip() for layer in config["contracts"][0]["layers"] for name in layer.split("|")}
    assert layered == packages


def test_corpus_and_batch_no_longer_reach_up():
    """The two upward imports issue 16 named, read from the source itself (the
    contracts above would also catch them)."""
    assert not any(name.startswith("plancheck") for name in _imported(ROOT / "corpus" / "ingest.py"))
    assert not any(name.startswith("plancheck.commands") for name in _imported(ROOT / "plancheck" / "batch.py"))


STOPWATCHES = {"perf_counter", "perf_counter_ns", "process_time", "process_time_ns", "time", "time_ns", "thread_time"}


def _module_constants(tree: ast.AST) -> dict[str, object]:
    """Names bound to a literal at module level (``HANG_S = 900``)."""
    return {target.id: node.value.value for node in getattr(tree, "body", [])
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            for target in node.targets if isinstance(target, ast.Name)}


def _reads_a_stopwatch(tree: ast.AST, constants: dict[str, object] | None = None) -> list[int]:
    """Lines calling time.perf_counter/process_time/time (a measured duration),
    or time.monotonic other than in a hang deadline of at least 60 s
    (``time.monotonic() + 600`` or a module constant such as ``HANG_S``, then
    compared with time.monotonic())."""
    constants = constants or {}
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name) \
                and node.func.value.id == "time" and node.func.attr in STOPWATCHES:
            lines.append(node.lineno)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and "time.monotonic()" in ast.unparse(node.left):
            seconds = node.right.value if isinstance(node.right, ast.Constant) else \
                constants.get(node.right.id) if isinstance(node.right, ast.Name) else None
            if not (isinstance(seconds, (int, float)) and seconds >= 60):
                lines.append(node.lineno)
    return lines


def test_no_test_reads_a_stopwatch():
    """Issue 15: a busy machine must never fail the suite. Tests count work or
    compare sizes; the clock appears only as a deadline that only a hang reaches."""
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted((ROOT / "tests").rglob("*.py"))}
    constants: dict[str, object] = {}
    for tree in trees.values():  # a name bound in two files counts at its smaller value
        for name, value in _module_constants(tree).items():
            constants[name] = min(value, constants.get(name, value)) if isinstance(value, (int, float)) else value
    offenders = {path.name: lines for path, tree in trees.items() if (lines := _reads_a_stopwatch(tree, constants))}
    assert offenders == {}


def test_the_stopwatch_detector_sees_a_timed_assertion():
    timed = ast.parse("import time\nstart = time.perf_counter()\nassert time.perf_counter() - start < 45\n")
    short = ast.parse("import time\ndeadline = time.monotonic() + 5\n")
    assert _reads_a_stopwatch(timed) == [2, 3] and _reads_a_stopwatch(short) == [2]
    named = ast.parse("import time\ndeadline = time.monotonic() + WAIT_S\n")
    assert _reads_a_stopwatch(named, {"WAIT_S": 5}) == [2] and _reads_a_stopwatch(named, {"WAIT_S": 900}) == []
