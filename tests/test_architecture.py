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
