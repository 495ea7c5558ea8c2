"""The plan's identity and outline: title, agency, year, sections and the
documents it cites in 計畫依據."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.columns import annex_kind
from extractor.elements import Document, Paragraph, Table
from models import BasisDocument, Location, Section
from normalizers.dates import find_dates
from normalizers.numbering import parse_marker
from normalizers.text import clean_text, to_halfwidth

_TITLE_END = re.compile(r"(計畫|計劃|方案|要點|規範|守則|規定|程序|報告|白皮書|評分表|評核表|考核表|評鑑表|細則|一覽表|申請書|手冊|紀實)$")
# A sentence that ends in 計畫 (「特訂定本計畫」, 「依據本所提升服務品質實施計畫」) or a site's
# breadcrumb (「首頁 > 市政資訊 > 中程施政計畫」) is not a title.
_NOT_TITLE = re.compile(r"^(依據?|訂定|特訂|為了?|配合|擬訂|辦理)|本(計畫|要點|規範|實施計畫)|[，,。；;：:>＞]")
_YEAR_END = re.compile(r"(中華)?(民國)?[\d〇○一二三四五六七八九十]{2,4}(年度?|學年度)$")
_YEAR_START = re.compile(r"^(中華)?(民國)?\s*[\d〇○一二三四五六七八九十]{2,4}\s*(年|學年)")
_AGENCY_END = re.compile(r"(部|署|局|處|府|所|中心|監獄|大學|學校|中學|小學|大隊|公司|委員會|院|館|站|隊)$")
_AGENCY_CHAIN = re.compile(
    r"^((?:[\u4e00-\u9fff]{2,12}?(?:政府|部|署|局|處|所|中心|監獄|看守所|大學|學校|中學|大隊|公司|委員會|院|館))+)")
# The title inside run-on text (newlines lost): an agency, a year and a plan name.
_RUN_ON_TITLE = re.compile(
    r"(?:[^\s:：，。、「」]{2,30}\s?)?(?:民國)?[\d〇○一二三四五六七八九十]{2,4}\s?年度?[^\s:：，。「」]{2,30}?(?:執行|實施|工作)計[畫劃]")
_LAW_NAME = re.compile(r"^法規名稱\s*[:：]\s*(.+)$")
_REPEALED = re.compile(r"^(廢/停|廢止|停止適用|\(廢\)|（廢）)")
# Law-database dates of the text itself (not 停止適用, 廢止 or the print time).
_LAW_DATE = re.compile(r"^[•\s]*((公發布日|發布日期|修正日期|訂定日期)\s*[:：]|(中華)?民國\s*\S{1,4}\s*年\s*\S{1,3}\s*月\s*\S{1,3}\s*日)")
# 「99.08.30 訂定「整合服務效能躍升方案」」: a dated adoption line naming the document.
_ADOPTED = re.compile(r"^(\d{2,3})[./](\d{1,2})[./](\d{1,2})\s*(訂定|修正|發布)「([^」]{4,60})」$")
_CHROME_AGENCY = re.compile(r"^[•\s]*(?:發布單位|機關名稱|受評(?:鑑)?單位|資料來源)\s*[:：]\s*([^\s:：]{3,30})")
_PAGE_LINE = re.compile(r"^[-–—\s]*((第\s*)?\d+\s*(頁|/\s*\d+)?|\(\d+\)|PAGE|Page\s*\d+)[-–—\s]*$")
_TITLE_MAX, _WRAP_TAIL_MAX, _HEAD_PARAGRAPHS = 80, 12, 40
_QUOTED = re.compile(r"「([^」]{2,60})」")
# 機關字號: "經研字第10404507390號". The issuer's abbreviation never holds
# 年/月/日, so a date written just before it ("…8月25日經研字第…") stays out.
_DOC_NUMBER = re.compile(r"(?:(?![年月日])[\u4e00-\u9fff]){1,8}字第\s*[0-9A-Za-z]+\s*號")
_ROC_DATE = re.compile(r"(\d{2,3})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_SECTION_TITLE_MAX = 24


@dataclass(frozen=True)
class PlanIdentity:
    """What the document says it is: its title, agency and 民國 year, and where
    the title was read."""

    title: str | None
    agency: str | None
    roc_year: int | None
    location: Location | None = None


def head_paragraphs(document: Document, limit: int = _HEAD_PARAGRAPHS) -> list[Paragraph]:
    """The paragraphs before the first table (site chrome, title page, first sections)."""
    result = []
    for element in document.elements:
        if isinstance(element, Table):
            break
        result.append(element)
        if len(result) >= limit:
            break
    return result


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _is_title_line(text: str) -> bool:
    key = _squeeze(text)
    return (6 <= len(key) <= _TITLE_MAX and bool(_TITLE_END.search(key)) and not _NOT_TITLE.search(key)
            and parse_marker(text)[0] is None)


def _wrapped_title(lines: list[str], index: int) -> tuple[str, int] | None:
    """The title that starts at ``lines[index]`` and wraps onto the next lines
    (「…執行計」/「畫」), skipping a page header or number printed between them.
    Returns the joined title and the index of its last line."""
    joined = lines[index]
    for step in range(index + 1, min(index + 4, len(lines))):
        tail = lines[step]
        if _PAGE_LINE.match(tail):
            continue
        if len(_squeeze(tail)) > _WRAP_TAIL_MAX or parse_marker(tail)[0] is not None:
            return None
        joined += tail
        if _is_title_line(joined):
            return joined, step
    return None


def _with_agency_line(title: str, previous: str | None) -> str:
    """「經濟部水利署第二河川局」 + 「102 年度提升服務品質執行計畫」: a title that starts
    with its year takes the agency from the line above; one without a year takes
    the line above that ends with it."""
    if not previous:
        return title
    key = _squeeze(previous)
    if _YEAR_END.search(key) and len(key) <= 30 and _title_year(title) is None and parse_marker(previous)[0] is None:
        return key + title  # 「臺中榮民總醫院 108 年」 + 「提升政府服務效能…一覽表」
    if not _YEAR_START.match(title):
        return title
    if len(key) <= 30 and _AGENCY_END.search(key) and key not in _squeeze(title) and not _TITLE_END.search(key):
        return key + title
    return title


def find_title(document: Document) -> tuple[str | None, Location | None]:
    """The document title among the first paragraphs: a line ending in 計畫 (or
    要點, 報告, 白皮書 … for look-alikes), joined with the agency line above it
    when it starts with its year, with its wrapped tail when the converter broke
    it (「…執行計」/「畫」), from a law database's 法規名稱, or from run-on text.
    A later line that repeats the title with the agency in front wins."""
    paragraphs = head_paragraphs(document)
    lines = [clean_text(paragraph.text) for paragraph in paragraphs]
    found: list[tuple[str, int]] = []
    for index, text in enumerate(lines):
        adopted = _ADOPTED.match(text)
        if adopted and _TITLE_END.search(adopted.group(5)):
            found.append((_squeeze(adopted.group(5)), index))
            continue
        law = _LAW_NAME.match(text)
        if law and _TITLE_END.search(_squeeze(law.group(1))):
            found.append((_REPEALED.sub("", _squeeze(law.group(1))), index))
            continue
        if _is_title_line(text):
            found.append((_with_agency_line(_squeeze(text), lines[index - 1] if index else None), index))
            continue
        wrapped = _wrapped_title(lines, index) if len(_squeeze(text)) >= 6 and parse_marker(text)[0] is None else None
        if wrapped is not None:
            found.append((_with_agency_line(_squeeze(wrapped[0]), lines[index - 1] if index else None), index))
    if found:
        title, index = found[0]
        if _title_year(title) is None:
            # A site's section heading (「服務品質計畫」) above the document's own dated title.
            title, index = next(((t, i) for t, i in found[1:4] if _title_year(t) is not None), (title, index))
        for later, later_index in found[1:4]:
            if later != title and later.endswith(title):
                title, index = later, later_index
                break
        return title, Location(line=paragraphs[index].line, page=paragraphs[index].page)
    head = " ".join(lines)[:600]
    match = _RUN_ON_TITLE.search(head)
    if match:
        return _squeeze(match.group(0)), Location(line=paragraphs[0].line, page=paragraphs[0].page)
    return None, None


def _year_key(text: str) -> str:
    # ○ (U+25CB) is how typists write the zero of 一○七年.
    return to_halfwidth(text).replace("○", "〇").replace("Ｏ", "〇")


def _title_year(title: str) -> tuple[int, int] | None:
    """The plan's 民國 year in its title and where it starts: a 年度 year first,
    then any year written without month."""
    dates = [d for d in find_dates(_year_key(title)) if 1 <= d.roc_year <= 200]
    chosen = next((d for d in dates if d.fiscal), None) or next((d for d in dates if d.month is None), None)
    chosen = chosen or (dates[0] if dates else None)
    return (chosen.roc_year, chosen.start) if chosen else None


def roc_year_of(title: str | None) -> int | None:
    """The 民國 year of a plan title: 105年度, 一○七年, 民國107年 → 105, 107, 107."""
    found = _title_year(title) if title else None
    return found[0] if found and 60 <= found[0] <= 200 else None


def agency_of(title: str | None) -> str | None:
    """The agency: the title's text before its year, else the run of agency
    names that opens it (法務部矯正署臺中監獄推行電話禮貌實施要點 → 法務部矯正署臺中監獄)."""
    if not title:
        return None
    found = _title_year(title)
    if found is not None:
        agency = re.sub(r"(中華)?民國$", "", title[: found[1]].strip(" 　"))
        return agency or None
    chain = _AGENCY_CHAIN.match(_squeeze(title))
    if chain and len(chain.group(1)) < len(_squeeze(title)) and not chain.group(1).startswith("第"):
        return chain.group(1)
    return None


def chrome_agency(document: Document) -> str | None:
    """The agency named by the page around the text: 「發布單位:」, 「機關名稱:」."""
    for paragraph in head_paragraphs(document):
        match = _CHROME_AGENCY.match(clean_text(paragraph.text))
        # The converter may have joined the next field on: 「臺北市立新民國民中學考核日期」.
        chain = _AGENCY_CHAIN.match(match.group(1)) if match else None
        if chain:
            return chain.group(1)
    return None


def chrome_year(document: Document) -> int | None:
    """The year a document names near its top as 「107年度」 (a 學年度 counts), or
    a law database's 修正日期 / 公發布日, when its title has none. Print, update
    and repeal stamps are not it."""
    law_years = []
    for paragraph in head_paragraphs(document, limit=12):
        text = clean_text(paragraph.text)
        if _LAW_DATE.match(text) or _ADOPTED.match(text):
            law_years += [d.roc_year for d in find_dates(_year_key(text)) if 1 <= d.roc_year <= 200]
            continue
        if re.search(r"列印|異動|更新|上傳|發布於|停止適用|廢止|Post|Upload", text):
            continue
        for found in find_dates(_year_key(text)):
            if found.fiscal and 60 <= found.roc_year <= 200:
                return found.roc_year
    # A rule in a law database is of the year it was last amended (or issued).
    return max(law_years) if law_years else None


def read_identity(document: Document) -> PlanIdentity:
    """Title, agency and 民國 year of a document, from its title or, failing
    that, from the page chrome around it."""
    title, location = find_title(document)
    return PlanIdentity(
        title=title,
        agency=agency_of(title) or chrome_agency(document),
        roc_year=roc_year_of(title) or chrome_year(document),
        location=location,
    )


def _section_heading(text: str) -> tuple[str, str] | None:
    marker, rest = parse_marker(text)
    if marker is None or marker.style != "壹":
        return None
    title = rest.strip("：: ")
    return marker.raw, title


# A heading whose numeral OCR misread (貳 as 轉, 踢 or 蛋): one character and 、
# before a short title without punctuation.
_DAMAGED_HEADING = re.compile(r"([\u4e00-\u9fff])、\s*([^，,。：:；;！？()（）「」]{2,%d})" % _SECTION_TITLE_MAX)


def _damaged_heading(text: str, accepted: bool) -> tuple[str, str] | None:
    match = _DAMAGED_HEADING.fullmatch(text) if accepted else None
    return (match.group(1) + "、", match.group(2).strip()) if match else None


def _damaged_headings(texts: list[str | None], recognised: list[bool]) -> set[int]:
    """Indexes of the lines that are top-level headings with a misread numeral:
    a damaged heading (above) read by OCR after a 壹、 heading, in a gap of the
    numbering (the next heading skips at least as many numbers as there are such
    lines before it), or the one such line after the last heading. Without this a
    scan's heading is lost, and its section with it."""
    accepted: set[int] = set()
    pending: list[int] = []
    previous: int | None = None
    for index, text in enumerate(texts):
        if text is None:
            continue
        marker, _ = parse_marker(text)
        if _section_heading(text) is not None and marker is not None and marker.value is not None:
            if previous is not None and marker.value - previous - 1 >= len(pending):
                accepted.update(pending)
            pending, previous = [], marker.value
        elif previous is not None and recognised[index] and marker is None and _DAMAGED_HEADING.fullmatch(text):
            pending.append(index)
    if len(pending) == 1:
        accepted.update(pending)
    return accepted


def find_sections(document: Document) -> list[Section]:
    """Top-level sections (壹、 貳、 …) of the plan body with their text; the
    annexes become sections of their own kind."""
    sections: list[Section] = []
    texts = [None if isinstance(element, Table) else clean_text(element.text) for element in document.elements]
    damaged = _damaged_headings(texts, [element.page in document.ocr_pages for element in document.elements])
    current: Section | None = None
    body_parts: list[str] = []
    in_annex = False

    def close() -> None:
        if current is not None:
            current.text = "\n".join(body_parts).strip()

    for index, element in enumerate(document.elements):
        if isinstance(element, Table):
            if current is not None:
                body_parts.extend(" ".join(cell.text for cell in row.cells) for row in element.rows)
            continue
        text = texts[index]
        kind = annex_kind(text)
        if kind is not None and (not in_annex or kind != "other" or current is None or current.kind == "body"):
            close()
            in_annex = True
            current = Section(number="", title=text[:_SECTION_TITLE_MAX * 2], kind=kind,
                              location=Location(line=element.line, page=element.page))
            sections.append(current)
            body_parts = []
            continue
        heading = None if in_annex else _section_heading(text) or _damaged_heading(text, index in damaged)
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
