"""The plan's identity and outline: title, agency, year, kind, sections and the
documents it cites in 計畫依據."""

from __future__ import annotations

import re

from extractor.columns import annex_kind
from extractor.elements import Document, Paragraph, Table
from models import BasisDocument, Location, PlanKind, Section
from normalizers.numbering import parse_marker
from normalizers.text import clean_text, to_halfwidth

_TITLE_END = re.compile(r"(計畫|計劃)\s*$")
_YEAR = re.compile(r"(?:中華民國|民國)?\s*(\d{2,3})\s*年度?")
_TITLE_YEAR = re.compile(r"(\d{2,3})\s*年度")
_PLAN_WORD = re.compile(r"(提升|加強|為民服務|服務品質|服務效能|政府服務)")
_QUOTED = re.compile(r"「([^」]{2,60})」")
# 機關字號: "經研字第10404507390號". The issuer's abbreviation never holds
# 年/月/日, so a date written just before it ("…8月25日經研字第…") stays out.
_DOC_NUMBER = re.compile(r"(?:(?![年月日])[\u4e00-\u9fff]){1,8}字第\s*[0-9A-Za-z]+\s*號")
_ROC_DATE = re.compile(r"(\d{2,3})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_SECTION_TITLE_MAX = 24


def _first_paragraphs(document: Document, limit: int = 12) -> list[Paragraph]:
    result = []
    for element in document.elements:
        if isinstance(element, Table):
            break
        result.append(element)
        if len(result) >= limit:
            break
    return result


def find_title(document: Document) -> tuple[str | None, Location | None]:
    """The plan title: the first lines up to one that ends in 計畫, joined
    ("臺中市龍井區戶政事務所" + "107 年度提升服務品質執行計畫")."""
    paragraphs = _first_paragraphs(document)
    for index, paragraph in enumerate(paragraphs):
        text = clean_text(paragraph.text)
        if _TITLE_END.search(text) and _PLAN_WORD.search(text) and parse_marker(text)[0] is None:
            parts = [text]
            if index > 0:
                previous = clean_text(paragraphs[index - 1].text)
                if previous and len(previous) <= 30 and previous not in text and not _TITLE_END.search(previous):
                    parts.insert(0, previous)
            title = re.sub(r"\s+", "", "".join(parts))
            return title, Location(line=paragraph.line, page=paragraph.page)
    return None, None


def roc_year_of(title: str | None) -> int | None:
    """The 民國 year of a plan title (105年度 → 105)."""
    if not title:
        return None
    match = _TITLE_YEAR.search(to_halfwidth(title)) or _YEAR.search(to_halfwidth(title))
    if match:
        year = int(match.group(1))
        return year if 60 <= year <= 200 else None
    return None


def agency_of(title: str | None) -> str | None:
    """The agency: the title's text before its year."""
    if not title:
        return None
    match = _TITLE_YEAR.search(title) or _YEAR.search(title)
    if match and match.start() > 0:
        agency = title[: match.start()].strip(" 　")
        return re.sub(r"^(中華民國|民國)$", "", agency) or None
    return None


def kind_of(title: str | None) -> PlanKind:
    if not title:
        return PlanKind.unknown
    if "實施計畫" in title:
        return PlanKind.implementation
    if "工作計畫" in title:
        return PlanKind.work
    if "執行計畫" in title or "計畫" in title:
        return PlanKind.execution
    return PlanKind.unknown


def _section_heading(text: str) -> tuple[str, str] | None:
    marker, rest = parse_marker(text)
    if marker is None or marker.style != "壹":
        return None
    title = rest.strip("：: ")
    return marker.raw, title


def find_sections(document: Document) -> list[Section]:
    """Top-level sections (壹、 貳、 …) of the plan body with their text; the
    annexes become sections of their own kind."""
    sections: list[Section] = []
    current: Section | None = None
    body_parts: list[str] = []
    in_annex = False

    def close() -> None:
        if current is not None:
            current.text = "\n".join(body_parts).strip()

    for element in document.elements:
        if isinstance(element, Table):
            if current is not None:
                body_parts.extend(" ".join(cell.text for cell in row.cells) for row in element.rows)
            continue
        text = clean_text(element.text)
        kind = annex_kind(text)
        if kind is not None and (not in_annex or kind != "other" or current is None or current.kind == "body"):
            close()
            in_annex = True
            current = Section(number="", title=text[:_SECTION_TITLE_MAX * 2], kind=kind,
                              location=Location(line=element.line, page=element.page))
            sections.append(current)
            body_parts = []
            continue
        heading = None if in_annex else _section_heading(text)
        if heading is not None:
            close()
            number, title = heading
            short = re.split(r"[：:，,。]", title)[0][:_SECTION_TITLE_MAX]
            current = Section(number=number, title=short, location=Location(line=element.line, page=element.page))
            sections.append(current)
            body_parts = [title] if len(title) > len(short) else []
            continue
        if current is not None:
            body_parts.append(text)
    close()
    return sections


def _iso_date(match: re.Match[str]) -> str | None:
    year, month, day = (int(group) for group in match.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year + 1911:04d}-{month:02d}-{day:02d}"


def find_basis(sections: list[Section]) -> list[BasisDocument]:
    """The documents cited in the 計畫依據 section, one per item or sentence."""
    section = next((s for s in sections if s.kind == "body" and ("依據" in s.title)), None)
    if section is None or not section.text:
        return []
    documents = []
    for line in section.text.split("\n"):
        line = line.strip()
        if not line:
            continue
        _marker, rest = parse_marker(line)
        rest = clean_text(rest)
        quoted = _QUOTED.findall(rest)
        number = _DOC_NUMBER.search(to_halfwidth(rest))
        date = _ROC_DATE.search(to_halfwidth(rest))
        issuer = None
        prefix = re.split(r"\d", rest, maxsplit=1)[0].strip()
        if prefix and len(prefix) <= 16 and prefix not in ("依", "依據"):
            issuer = re.sub(r"^(依據|依)", "", prefix) or None
        documents.append(BasisDocument(
            text=rest,
            title=quoted[-1] if quoted else None,
            issuer=issuer,
            date=_iso_date(date) if date else None,
            doc_number=re.sub(r"\s+", "", number.group(0)) if number else None,
        ))
    return documents
