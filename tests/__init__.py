"""Paths every test module shares (fixtures and the CLI runner are in conftest.py)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES_DIR = ROOT / "corpus" / "samples"
SAMPLES = sorted(SAMPLES_DIR.glob("*.txt"))
FIXTURES = ROOT / "tests" / "fixtures" / "formats"
EXPECTED = ROOT / "tests" / "expected"
REALWORLD_DOCS = ROOT / "tests" / "realworld" / "docs"


def realworld_text(doc_id: str) -> str:
    """The text of a real-world excerpt (tests/realworld/docs/<id>.txt) without its whitespace (converters
    scatter spaces and line breaks through words), so that a test quoting it can check the quote."""
    return "".join((REALWORLD_DOCS / f"{doc_id}.txt").read_text(encoding="utf-8").split())


def quotes(doc_id: str, text: str) -> bool:
    """Whether every line of ``text`` is in the real-world excerpt ``doc_id`` (whitespace ignored)."""
    folded = realworld_text(doc_id)
    return all("".join(line.split()) in folded for line in text.split("\n") if line.strip())


def sample(seed: str) -> Path:
    """The sample plan whose file name starts with this seed ("001")."""
    return next(path for path in SAMPLES if path.name.startswith(seed))


# Measures per seed as the extractor finds them (tests/expected holds the hand-checked lists).
MEASURES_PER_SEED = {"000": 64, "001": 51, "002": 75, "003": 83, "004": 105}


def copy_samples(target: Path, seeds: tuple[str, ...] = tuple(MEASURES_PER_SEED)) -> list[Path]:
    """Copies of the sample plans of these seeds in ``target``."""
    import shutil

    target.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy(path, target / path.name)) for path in SAMPLES if path.name[:3] in seeds]
