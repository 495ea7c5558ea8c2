"""Golden outputs: what plancheck writes for the five sample plans, committed so
that a change of behaviour shows up as a diff someone has to accept.

``generate`` runs the real command (a subprocess, so nothing of the test
process leaks in) on copies of the samples in a scratch folder, with relative
paths, so no output depends on where the repository is checked out. Zip-based
reports (XLSX, ODT, DOCX) are compared member by member — names, order and
bytes — so a different zlib cannot fail the comparison while any change of
content does.

Regenerate, after reading the diff, with ``python -m tests.golden --update``.
"""

from __future__ import annotations

import difflib
import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from corpus import samples_folder

GOLDEN = Path(__file__).resolve().parent
SAMPLES = samples_folder()
REPORT_FORMATS = ("html", "md", "json", "csv", "xlsx", "odt", "docx")
ZIP_SUFFIXES = (".xlsx", ".odt", ".docx")
_OUTPUT_FOLDERS = ("extract", "check", "reports")
_DIFF_LINES = 80


def _run(args: list[str], cwd: Path) -> bytes:
    env = dict(os.environ, HOME=str(cwd), XDG_DATA_HOME=str(cwd / "data"), PYTHONHASHSEED="0")
    env.pop("PLANCHECK_DB", None)
    result = subprocess.run(
        [sys.executable, "-m", "plancheck", *args],
        cwd=cwd, env=env, capture_output=True, timeout=600, check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"plancheck {' '.join(args)} exited {result.returncode}:\n"
                           + result.stderr.decode(errors="replace"))
    return result.stdout


def generate(workdir: Path) -> dict[str, bytes]:
    """Every golden output, keyed by its path under tests/golden/, produced
    afresh in ``workdir``."""
    samples = workdir / "samples"
    samples.mkdir(parents=True)
    names = sorted(p.name for p in SAMPLES.glob("*.txt"))
    for name in names:
        shutil.copyfile(SAMPLES / name, samples / name)
    outputs: dict[str, bytes] = {}
    for name in names:
        stem = Path(name).stem
        relative = f"samples/{name}"
        outputs[f"extract/{stem}.json"] = _run(["extract", relative, "--format", "json"], workdir)
        outputs[f"check/{stem}.json"] = _run(["check", relative], workdir)
    _run(["check", "samples", "--out", "reports", "--format", ",".join(REPORT_FORMATS),
          "--jobs", "1"], workdir)
    for path in sorted((workdir / "reports").rglob("*")):
        if path.is_file():
            outputs[path.relative_to(workdir).as_posix()] = path.read_bytes()
    return outputs


def committed() -> dict[str, bytes]:
    """The golden outputs as committed."""
    return {
        path.relative_to(GOLDEN).as_posix(): path.read_bytes()
        for folder in _OUTPUT_FOLDERS
        for path in sorted((GOLDEN / folder).rglob("*"))
        if path.is_file()
    }


def _members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def _readable(name: str, data: bytes) -> list[str]:
    """Lines to diff: text as is, XML one element per line so that a one-line
    XML member does not diff as one enormous line."""
    if name.endswith((".xml", ".rels")):
        from lxml import etree

        try:
            data = etree.tostring(etree.fromstring(data), pretty_print=True)
        except etree.XMLSyntaxError:
            pass
    return data.decode("utf-8", errors="replace").splitlines()


def _diff(name: str, expected: bytes, actual: bytes) -> str:
    lines = list(difflib.unified_diff(
        _readable(name, expected), _readable(name, actual),
        f"golden/{name}", f"fresh/{name}", lineterm="", n=2,
    ))
    if len(lines) > _DIFF_LINES:
        lines = lines[:_DIFF_LINES] + [f"… {len(lines) - _DIFF_LINES} more diff lines"]
    return "\n".join(lines)


def differences(expected: dict[str, bytes], actual: dict[str, bytes]) -> list[str]:
    """One readable entry per output that differs; empty when all agree."""
    problems = []
    for name in sorted(set(expected) - set(actual)):
        problems.append(f"{name}: no longer written")
    for name in sorted(set(actual) - set(expected)):
        problems.append(f"{name}: newly written (not in tests/golden/)")
    for name in sorted(set(expected) & set(actual)):
        old, new = expected[name], actual[name]
        if name.endswith(ZIP_SUFFIXES):
            old_members, new_members = _members(old), _members(new)
            if [m for m, _ in old_members] != [m for m, _ in new_members]:
                problems.append(f"{name}: members {[m for m, _ in old_members]} "
                                f"became {[m for m, _ in new_members]}")
                continue
            for (member, old_bytes), (_, new_bytes) in zip(old_members, new_members):
                if old_bytes != new_bytes:
                    problems.append(_diff(f"{name}!{member}", old_bytes, new_bytes))
        elif old != new:
            problems.append(_diff(name, old, new))
    return problems


def update(outputs: dict[str, bytes]) -> None:
    """Replace the committed golden outputs with ``outputs``."""
    for folder in _OUTPUT_FOLDERS:
        shutil.rmtree(GOLDEN / folder, ignore_errors=True)
    for name, data in outputs.items():
        target = GOLDEN / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
