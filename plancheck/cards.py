"""Search results as a person reads them, on the web page and in `plancheck
search`'s table: one card per measure, the renderings of one plan (the same
agency, year, title and wording in a PDF, a .docx, …) listed together, each by
its file name, format and place in the file."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from normalizers.text import fold_key
from plancheck import names

if TYPE_CHECKING:
    from corpus.search import Hit


def family_of(agency: str | None, roc_year: int | None, title: str | None) -> tuple:
    """What makes two files renderings of one plan: the same agency, year and title."""
    return (fold_key(agency or ""), roc_year, fold_key(title or ""))


def rendering_of(hit: Hit) -> dict:
    """The file a hit was found in: its plan key, file name, format and place."""
    return {"key": hit.plan_key, "file": names.file_name(hit.source_path), "format": names.format_name(hit.source_format),
            "measure_id": hit.measure_id, "location": names.location_text(hit.location)}


def group_hits(hits: Iterable[Hit]) -> list[dict]:
    """One card per measure ({"hit", "renderings"}), in the order of the hits:
    hits of the same measure in several renderings of a plan become one card."""
    cards: dict[tuple, dict] = {}
    for hit in hits:
        key = (*family_of(hit.agency, hit.roc_year, hit.title), fold_key(hit.text))
        cards.setdefault(key, {"hit": hit, "renderings": []})["renderings"].append(rendering_of(hit))
    return list(cards.values())
