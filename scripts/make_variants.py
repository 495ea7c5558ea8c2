"""Render two real sample plans as the four text layouts issue 13 names but the public
pages corpus never returned (tests/realworld/docs/INDEX-plans.md, "NOT found"):

  a_header_half_split_004.txt   a measure table pasted from a web page: the header half on one line
                                (面向 執行策略 具體作法) and half one word per line (承辦部門 / 完成期限),
                                then every cell on its own line, one unit per line
  c_slides_003.txt              a slide deck saved as text: one slide per line, decorative markers
                                (★ ◆ ▶ ●), a slide title with its bullets on the same line or the next,
                                簡報大綱 and 報告完畢 敬請指教 slides
  d_simplified_runon_004.txt    the plan body as a numbered outline with owner clauses, converted to
                                Simplified Chinese (OpenCC t2s), its line breaks lost and stray spaces
                                left inside words, as text passed through a mainland converter arrives
  e_outline_clause_003.txt      no table: a numbered outline with 「（承辦單位：…；完成期限：…）」 after each
                                measure

The content is the seeds' (corpus/samples/NNN_*.txt, real plans): the measures with their path,
marker, text, units and deadline from the hand-checked tests/expected/NNN.yaml, and the prose
around the table from the seed itself (make_fixtures.seed_prose). Nothing is invented; only the
layout changes, and every damage step is deterministic. The expected output of each variant is
the seed's hand labels (tests/fixtures/variants/MANIFEST.yaml says which parts each layout keeps).

Usage: .venv/bin/python scripts/make_variants.py [--out tests/fixtures/variants]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import opencc
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_fixtures as fixtures  # noqa: E402

ROOT = fixtures.ROOT
EXPECTED = ROOT / "tests" / "expected"
SAMPLES = ROOT / "corpus" / "samples"
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _seed(seed: str) -> tuple[dict, list[str], list[str], list[str]]:
    expected = yaml.safe_load((EXPECTED / f"{seed}.yaml").read_text(encoding="utf-8"))
    seed_text = next(SAMPLES.glob(f"{seed}_*.txt")).read_text(encoding="utf-8")
    title_page, before, after = fixtures.seed_prose(seed_text, expected)
    return expected, title_page, before, after


def _leaves(item: fixtures.Item) -> list[fixtures.Item]:
    return [leaf for child in item.children for leaf in _leaves(child)] if item.children else [item]


def _leaf_rows(item: fixtures.Item) -> list[str]:
    """An item's lines, a parent item's label before its first child, each leaf followed by
    its own units cell (one unit per line) and deadline cell: one table row per leaf."""
    if item.children:
        return [item.label, *[line for child in item.children for line in _leaf_rows(child)]]
    return [item.label, *item.units, *([item.deadline] if item.deadline else [])]


def header_half_split(seed: str = "004") -> str:
    """(a) The table as a browser copies it: one cell per line, merged heading cells once, a
    row per measure, the units cell one unit per line."""
    expected, title_page, before, after = _seed(seed)
    layout = fixtures.LAYOUTS[seed]
    heads = list(layout.header)
    lines = [*title_page, *before, " ".join(heads[:3]), *heads[3:]]
    sub = None
    for row in fixtures.logical_rows(expected, layout):
        lines.extend(label for column in row.heads for label in column)
        if row.sub is not None and (row.sub != sub or any(row.heads)):
            lines.append(row.sub)
        sub = row.sub
        for item in row.items:
            lines.extend(_leaf_rows(item))
    return "\n".join([*lines, *after]) + "\n"


_SLIDE_TITLE_LEVELS = ("★", "◆")  # dimension slide, strategy slide
_SUB_BULLET, _ITEM_BULLET = "▶", "●"


def slides(seed: str = "003") -> str:
    """(c) One slide per line. Frame slides (依據, 目標 …) and then one slide per strategy: its
    title, then ▶ for each sub-heading and ● for each measure (slides drop the item numbers).
    Even slides carry their bullets on the title's line, odd slides on the next line."""
    expected, title_page, before, _after = _seed(seed)
    sections = [text for text in before if (m := fixtures.parse_marker(text)[0]) is not None and m.style == "壹"]
    out = [" ".join(title_page), "簡報大綱 " + " ".join(f"▶ {section}" for section in sections)]
    slide_index = 0

    def emit(title: str, bullets: list[str]) -> None:
        nonlocal slide_index
        body = " ".join(bullets)
        if not body:
            out.append(title)
        elif slide_index % 2 == 0:
            out.append(f"{title} {body}")
        else:
            out.extend([title, body])
        slide_index += 1

    section_bullets: list[str] = []
    section_title: str | None = None
    for text in before:
        marker = fixtures.parse_marker(text)[0]
        if marker is not None and marker.style == "壹":
            if section_title is not None:
                emit(f"■ {section_title}", section_bullets)
            section_title, section_bullets = text, []
        else:
            section_bullets.append(f"{_ITEM_BULLET} {text}")
    if section_title is not None:
        emit(f"■ {section_title}", section_bullets)

    dimension = strategy = sub = None
    bullets: list[str] = []
    title = ""
    for measure in expected["measures"]:
        path = measure["path"]
        if path[0] != dimension:
            if bullets:
                emit(title, bullets)
                bullets = []
            dimension, strategy, sub = path[0], None, None
            emit(f"{_SLIDE_TITLE_LEVELS[0]} {dimension}", [])
        if path[1] != strategy:
            if bullets:
                emit(title, bullets)
                bullets = []
            strategy, sub = path[1], None
            title = f"{_SLIDE_TITLE_LEVELS[1]} {strategy}"
        for label in path[2:]:
            if label != sub and label not in (b[2:] for b in bullets):
                bullets.append(f"{_SUB_BULLET} {label}")
        sub = path[2] if len(path) > 2 else None
        bullets.append(f"{_ITEM_BULLET} {measure['text']}")
    emit(title, bullets)
    out.append("報告完畢 敬請指教")
    return "\n".join(out) + "\n"


def outline_with_clauses(seed: str = "003") -> str:
    """(e) No table: the plan's sections, then the measures as an outline with owner clauses."""
    expected, title_page, before, after = _seed(seed)
    return "\n".join([*title_page, *before, *fixtures.outline_lines(expected), *after]) + "\n"


def _stray_spaces(text: str, every: int = 23) -> str:
    """A space after every ``every``-th Han character that another Han character follows: where
    a converter's line wraps fell inside words."""
    out: list[str] = []
    count = 0
    for index, ch in enumerate(text):
        out.append(ch)
        if _HAN.match(ch):
            count += 1
            if count % every == 0 and index + 1 < len(text) and _HAN.match(text[index + 1]):
                out.append(" ")
    return "".join(out)


def _lost_newlines(lines: list[str]) -> str:
    """The lines run together: every third break survives as a space, the others vanish; a
    hard break is left every 40 lines (a page of the viewer)."""
    pages: list[str] = []
    for start in range(0, len(lines), 40):
        page = lines[start:start + 40]
        pages.append("".join(line + (" " if index % 3 == 2 else "") for index, line in enumerate(page)).strip())
    return "\n".join(pages)


def simplified_run_on(seed: str = "004") -> str:
    """(d) The outline with owner clauses of ``seed``, in Simplified Chinese, run on, with stray spaces."""
    expected, title_page, before, after = _seed(seed)
    lines = [*title_page, *before, *fixtures.outline_lines(expected), *after]
    simplified = opencc.OpenCC("t2s").convert("\n".join(lines)).split("\n")
    return _stray_spaces(_lost_newlines(simplified)) + "\n"


VARIANTS = {
    "a_header_half_split_004.txt": header_half_split,
    "c_slides_003.txt": slides,
    "d_simplified_runon_004.txt": simplified_run_on,
    "e_outline_clause_003.txt": outline_with_clauses,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "fixtures" / "variants")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, render in VARIANTS.items():
        (args.out / name).write_text(render(), encoding="utf-8")
        print(args.out / name)


if __name__ == "__main__":
    main()
