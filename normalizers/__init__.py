"""Small pure functions that put what plans write in one form; their word
lists live in ``DATA_DIR`` (normalizers/data/)."""

from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
