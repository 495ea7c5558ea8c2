"""The pieces of a plan that checks read, each able to prove an item.

A unit is one numbered measure, one heading of the measure table, or one
paragraph of a body section or annexed schedule. Scoring sheets, templates and
other annexes are never read (docs/mandated-items.md). A condition must sit in the
same unit as its subject, so units are the "clause or numbered measure" of the
catalogue. The text of the section holding the measure table is kept apart:
the extractor already turned it into measures, and it is read only as a
fallback for text it could not place (``Unit.fallback``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from checks.matching import FoldedText
from models import Location, Plan
from normalizers.definitions import is_definition
from normalizers.numbering import parse_marker
from normalizers.text import normalize_text

READ_SECTION_KINDS = ("body", "schedule")
_PARAGRAPH_END = "。；;：:！？!?)）」"
_BULLET = re.compile(r"^\s*[-•*]\s+")


@dataclass
class Unit:
    kind: str  # measure | heading | section | schedule
    text: str  # normalized
    location: Location = field(default_factory=Location)
    measure_id: str | None = None
    section: str | None = None
    context: str = ""  # the measure's own heading: it may name the subject
    fallback: bool = False

    @cached_property
    def folded(self) -> FoldedText:
        return FoldedText(self.text)

    @cached_property
    def folded_context(self) -> FoldedText:
        return FoldedText(self.context)


def _measure_text(measure) -> str:
    return measure.norm.text if measure.norm else normalize_text(measure.text)


def measure_units(plan: Plan) -> list[Unit]:
    units = []
    for measure in plan.measures:
        context = normalize_text(measure.path[-1]) if measure.path else ""
        units.append(Unit("measure", _measure_text(measure), measure.location, measure.id, context=context))
    return units


def heading_units(plan: Plan) -> list[Unit]:
    """Each distinct heading of the measure tables once, located at its first measure."""
    seen: set[str] = set()
    units = []
    for measure in plan.measures:
        for heading in measure.path:
            text = normalize_text(heading)
            if text in seen or not text:
                continue
            seen.add(text)
            units.append(Unit("heading", text, measure.location, measure.id))
    return units


def paragraphs(text: str) -> list[tuple[int, str]]:
    """(line offset, paragraph) of a section text: a line that does not start a
    numbered item and follows an unfinished line continues it (page breaks and
    wrapped lines)."""
    result: list[tuple[int, list[str]]] = []
    for offset, raw in enumerate(text.splitlines()):
        line = _BULLET.sub("", raw).strip()
        if not line:
            continue
        marker, _ = parse_marker(line)
        if result and marker is None and not result[-1][1][-1].endswith(tuple(_PARAGRAPH_END)):
            result[-1][1].append(line)
        else:
            result.append((offset, [line]))
    return [(offset, normalize_text("\n".join(lines))) for offset, lines in result]


def _table_sections(plan: Plan) -> set[int]:
    """Indexes of the sections whose span holds a measure table."""
    starts = [section.location.line for section in plan.sections]
    held = set()
    for table in plan.tables:
        line = table.location.line
        if line is None:
            continue
        for index, start in enumerate(starts):
            end = next((s for s in starts[index + 1:] if s is not None), None)
            if start is not None and start <= line and (end is None or line < end):
                held.add(index)
    return held


def section_units(plan: Plan) -> list[Unit]:
    units = []
    held = _table_sections(plan)
    for index, section in enumerate(plan.sections):
        if section.kind not in READ_SECTION_KINDS:
            continue
        title = f"{section.number}{section.title}".strip()
        kind = "schedule" if section.kind == "schedule" else "section"
        # Section texts drop blank lines, so a paragraph's own line is not known:
        # the evidence names the section instead of a wrong line.
        for _offset, text in paragraphs(section.text):
            if is_definition(text):
                continue  # a term defined (copied from the framework), not something the agency does
            units.append(Unit(kind, text, Location(page=section.location.page),
                              section=title, fallback=index in held))
    return units


_MIN_RESIDUE = 6


def _residue(unit: Unit, known: list[str]) -> list[Unit]:
    """The parts of a table-section paragraph that no measure or heading holds:
    a table row joins several measures, and reading it whole would join their
    conditions (001's 「電話、現場」 query with the next measure's 網頁)."""
    folded = unit.folded.folded
    covered = [False] * len(folded)
    for text in sorted(known, key=len, reverse=True):
        if len(text) < 4:
            continue
        start = folded.find(text)
        while start >= 0:
            covered[start:start + len(text)] = [True] * len(text)
            start = folded.find(text, start + 1)
    pieces, run_start = [], None
    for index, flag in enumerate([*covered, True]):
        if not flag and run_start is None:
            run_start = index
        elif flag and run_start is not None:
            piece = folded[run_start:index]
            if len(piece) >= _MIN_RESIDUE and not any(piece in text for text in known):
                left, right = unit.folded.original_range(run_start, index)
                pieces.append(Unit(unit.kind, unit.text[left:right].strip(), unit.location,
                                   section=unit.section, fallback=True))
            run_start = None
    return pieces


def plan_units(plan: Plan) -> list[Unit]:
    """Every unit the checks read, measures first."""
    primary = measure_units(plan) + heading_units(plan)
    known = [unit.folded.folded for unit in primary]
    units = []
    for unit in section_units(plan):
        units.extend(_residue(unit, known) if unit.fallback else [unit])
    return primary + units
