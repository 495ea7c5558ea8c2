"""The gap report as every renderer shows it: a CheckReport turned into labelled,
ordered rows in Traditional Chinese.

Renderers only lay this view out; deciding what a status is called, how a
location reads or which dimensions are empty happens once, here, so the HTML,
the spreadsheet and the Word file never disagree."""

from __future__ import annotations

import re
from dataclasses import dataclass

from models import CheckReport, Exemplar, Location, PlanKind, SourceFile
from outputs.location import place_text

STATUS_ORDER = ("present", "partial", "missing", "not_applicable")
STATUS_LABELS = {"present": "符合", "partial": "部分符合", "missing": "缺漏", "not_applicable": "不適用"}
# A shape beside the word so the matrix reads in black-and-white print too.
STATUS_MARKS = {"present": "●", "partial": "◐", "missing": "○", "not_applicable": "－"}
UNSEEN_LABEL = "未見（文件不完整）"
METHOD_LABELS = {"table": "措施表", "outline": "條列大綱（未找到措施表）", "text": "文字段落（未找到措施表）"}
SEVERITY_LABELS = {"info": "說明", "warning": "注意", "error": "錯誤"}
PLAN_KIND_LABELS = {
    PlanKind.execution: "執行計畫（機關自身的年度計畫與承諾）",
    PlanKind.supervising: "上級機關之實施計畫（對所屬機關的指導，內容是要求而非本機關的承諾）",
    PlanKind.sub_plan: "專項計畫（單一主題的計畫或規定）",
    PlanKind.results_report: "成果報告（執行成效、績效或考核結果）",
    PlanKind.award_application: "參獎申請資料（服務獎項的申請書）",
    PlanKind.scoring_sheet: "評分表（配分、評分或檢核欄位）",
    PlanKind.white_paper: "服務白皮書（服務項目與標準的說明）",
    PlanKind.other: "其他文件（非服務品質計畫）",
}
NO_VALUE = "（未能辨識）"
FORMAT_LABELS = {"text": "純文字", "pdf": "PDF", "docx": "Word 文件（.docx）", "odt": "ODF 文字文件（.odt）",
                 "html": "網頁（HTML）"}
DEFAULT_PROFILE_LABEL = "預設（全部必辦項目）"

# Characters XML 1.0 forbids; openpyxl, odfpy and python-docx fail on them, and a
# converter can leave them in a plan's text.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: object) -> str:
    """Text safe for every output format: no XML-illegal control characters."""
    return _XML_ILLEGAL.sub("", "" if text is None else str(text))


def location_text(location: Location) -> str:
    """Where something is, as a reader looks it up (outputs.location)."""
    return place_text(location.page, location.line, location.row)


def ocr_text(source: SourceFile) -> str:
    """Which pages were read by OCR, as the report's one line about it.

    >>> ocr_text(SourceFile(path="a.pdf", sha256="0", format="pdf", ocr_pages=[1, 2, 3, 5], ocr_engine="tesseract", ocr_confidence=0.91))
    '第 1–3、5 頁為掃描影像，以光學文字辨識（tesseract）讀取，平均辨識信心 91%；引文請對照原件確認。'
    """
    if not source.ocr_pages:
        return ""
    spans: list[list[int]] = []
    for page in source.ocr_pages:
        if spans and page == spans[-1][1] + 1:
            spans[-1][1] = page
        else:
            spans.append([page, page])
    pages = "、".join(f"{a}" if a == b else f"{a}–{b}" for a, b in spans)
    confidence = f"，平均辨識信心 {source.ocr_confidence:.0%}" if source.ocr_confidence is not None else ""
    return f"第 {pages} 頁為掃描影像，以光學文字辨識（{source.ocr_engine or 'OCR'}）讀取{confidence}；引文請對照原件確認。"


def year_text(roc_year: int | None) -> str:
    """The 民國 year with the Western one beside it.

    >>> year_text(112)
    '民國 112 年（2023）'
    """
    return f"民國 {roc_year} 年（{roc_year + 1911}）" if roc_year else NO_VALUE


@dataclass(frozen=True)
class EvidenceRow:
    quote: str
    location: str
    measure_id: str
    section: str

    @property
    def where(self) -> str:
        """Measure or section and location in one phrase."""
        origin = f"措施 {self.measure_id}" if self.measure_id else (f"「{self.section}」章節" if self.section else "")
        return "，".join(part for part in (origin, self.location) if part)


@dataclass(frozen=True)
class ExemplarRow:
    agency: str
    year: str
    text: str
    source: str
    measure_id: str


@dataclass(frozen=True)
class ItemRow:
    id: str
    name: str
    status: str
    reason: str
    rule: str
    source: str
    evidence: tuple[EvidenceRow, ...]
    exemplars: tuple[ExemplarRow, ...] = ()
    unseen: bool = False

    @property
    def label(self) -> str:
        return UNSEEN_LABEL if self.unseen else STATUS_LABELS.get(self.status, self.status)

    @property
    def mark(self) -> str:
        return STATUS_MARKS.get(self.status, "")

    @property
    def is_gap(self) -> bool:
        return self.status in ("missing", "partial")


@dataclass(frozen=True)
class SubItemRow:
    name: str
    measure_ids: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not self.measure_ids


@dataclass(frozen=True)
class DimensionRow:
    name: str
    sub_items: tuple[SubItemRow, ...]
    measure_ids: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not self.measure_ids


@dataclass(frozen=True)
class FindingRow:
    code: str
    severity: str
    message: str
    location: str


@dataclass(frozen=True)
class ReportView:
    title: str
    agency: str
    year: str
    file: str
    file_format: str
    pages: str
    sha256: str
    measure_count: int
    plan_kind: str
    is_guidance: bool  # not an execution plan: the kind statement heads the report
    kind_note: str  # what the document is and the cues that decided it (the PLAN-KIND finding)
    framework: str
    framework_reasons: tuple[str, ...]
    profile: str
    counts: tuple[tuple[str, str, int], ...]  # (status, label, count) in STATUS_ORDER
    items: tuple[ItemRow, ...]
    coverage: tuple[DimensionRow, ...]
    findings: tuple[FindingRow, ...]
    exemplar_note: str = ""
    exemplars_asked: bool = False  # a corpus was given: the "other plans' wording" section is shown
    reading: str = ""
    completeness: str = ""
    ocr: str = ""  # which pages were read by OCR, '' for a digital file
    report: CheckReport | None = None  # the result itself, for the formats that serialise it whole

    @property
    def identity(self) -> tuple[tuple[str, str], ...]:
        """The plan's identity as label/value pairs, in reading order."""
        return (
            ("機關", self.agency),
            ("年度", self.year),
            ("計畫名稱", self.title),
            ("文件性質", self.plan_kind),
            ("適用架構", self.framework),
            ("檔案", self.file),
            ("檔案格式", self.file_format + (f"，{self.pages} 頁" if self.pages else "")),
            *((("文字辨識", self.ocr),) if self.ocr else ()),
            ("具體措施", f"{self.measure_count} 項"),
            ("措施讀取方式", self.reading),
            ("文件完整性", self.completeness),
            ("檢查設定", self.profile),
            ("SHA-256", self.sha256),
        )

    @property
    def gaps(self) -> tuple[ItemRow, ...]:
        return tuple(item for item in self.items if item.is_gap)

    @property
    def empty_dimensions(self) -> tuple[str, ...]:
        names = [d.name for d in self.coverage if d.empty]
        names += [f"{d.name}／{s.name}" for d in self.coverage if not d.empty for s in d.sub_items if s.empty]
        return tuple(names)


def status_counts(statuses: list[str]) -> dict[str, int]:
    """How many verdicts of each status, in STATUS_ORDER.

    >>> status_counts(["present", "missing", "present"])
    {'present': 2, 'partial': 0, 'missing': 1, 'not_applicable': 0}
    """
    return {status: statuses.count(status) for status in STATUS_ORDER}


def framework_text(report: CheckReport, name: str = "") -> str:
    """>>> from models import FrameworkRef
    >>> r = CheckReport(source={"path": "p", "sha256": "0", "format": "text"}, agency=None, roc_year=None,
    ...                 framework=FrameworkRef(id="F1", confidence=0.98))
    >>> framework_text(r, "政府服務創新精進方案")
    '政府服務創新精進方案（F1，信心 0.98）'
    """
    if report.framework is None:
        return NO_VALUE
    ref = report.framework
    return f"{name}（{ref.id}，信心 {ref.confidence:.2f}）" if name else f"{ref.id}（信心 {ref.confidence:.2f}）"


def kind_text(report: CheckReport) -> str:
    """The document's kind as a reader names it, with the confidence.

    >>> r = CheckReport(source={"path": "p", "sha256": "0", "format": "text"}, agency=None, roc_year=None,
    ...                 plan_kind="sub_plan", plan_kind_evidence={"confidence": 0.83})
    >>> kind_text(r)
    '專項計畫（單一主題的計畫或規定）（信心 0.83）'
    """
    label = PLAN_KIND_LABELS.get(report.plan_kind, str(report.plan_kind))
    evidence = report.plan_kind_evidence
    return f"{label}（信心 {evidence.confidence:.2f}）" if evidence is not None else label


def coverage_rows(report: CheckReport) -> tuple[DimensionRow, ...]:
    """Dimensions in the report's order with their sub-items; a dimension's
    measures are the union of its rows, so a measure counted under a sub-item
    and the dimension is not counted twice."""
    order: dict[str, list] = {}
    for row in report.coverage:
        order.setdefault(row.dimension, []).append(row)
    dimensions = []
    for name, rows in order.items():
        ids = tuple(dict.fromkeys(mid for row in rows for mid in row.measure_ids))
        subs = tuple(SubItemRow(clean(r.sub_item), tuple(r.measure_ids)) for r in rows if r.sub_item)
        dimensions.append(DimensionRow(clean(name), subs, ids))
    return tuple(dimensions)


def _exemplar_rows(exemplars: list[Exemplar], item_id: str) -> tuple[ExemplarRow, ...]:
    return tuple(
        ExemplarRow(
            agency=clean(e.agency) or NO_VALUE,
            year=f"民國 {e.roc_year} 年" if e.roc_year else "",
            text=clean(e.text),
            source=clean(e.source_path),
            measure_id=clean(e.measure_id),
        )
        for e in exemplars
        if e.item_id == item_id
    )


def build_view(report: CheckReport, exemplar_note: str = "", framework_name: str = "",
               exemplars_asked: bool = False) -> ReportView:
    """The report as rows and labels, ready for any renderer. ``framework_name``
    is the detected framework's programme (政府服務躍升方案 …), when known;
    ``exemplars_asked`` says a corpus was given for other plans' wording."""
    items = tuple(
        ItemRow(
            id=clean(v.id),
            name=clean(v.name),
            status=v.status,
            reason=clean(v.reason),
            rule=clean(v.rule),
            source=clean(v.source),
            evidence=tuple(
                EvidenceRow(clean(e.quote), location_text(e.location), clean(e.measure_id), clean(e.section))
                for e in v.evidence
            ),
            exemplars=_exemplar_rows(report.exemplars, v.id),
            unseen=v.unseen,
        )
        for v in report.items
    )
    counts = status_counts([v.status for v in report.items])
    source = report.source
    return ReportView(
        title=clean(report.title) or clean(source.path),
        agency=clean(report.agency) or NO_VALUE,
        year=year_text(report.roc_year),
        file=clean(source.path),
        file_format=FORMAT_LABELS.get(source.format, source.format),
        pages=str(source.pages) if source.pages else "",
        sha256=source.sha256,
        measure_count=report.measure_count,
        plan_kind=kind_text(report),
        is_guidance=report.plan_kind != PlanKind.execution,
        kind_note=next((clean(f.message) for f in report.findings if f.code == "PLAN-KIND"), ""),
        framework=framework_text(report, clean(framework_name)),
        framework_reasons=tuple(clean(r) for r in (report.framework.reasons if report.framework else [])),
        profile=DEFAULT_PROFILE_LABEL if report.profile == "default" else clean(report.profile),
        counts=tuple((s, STATUS_LABELS[s], counts[s]) for s in STATUS_ORDER),
        items=items,
        coverage=coverage_rows(report),
        findings=tuple(
            FindingRow(clean(f.code), SEVERITY_LABELS.get(f.severity, f.severity), clean(f.message), location_text(f.location))
            for f in report.findings
        ),
        exemplar_note=clean(exemplar_note),
        exemplars_asked=exemplars_asked,
        reading=reading_text(report),
        completeness=completeness_text(report),
        ocr=ocr_text(source),
        report=report,
    )


def reading_text(report: CheckReport) -> str:
    """How the measures were read, and how sure that is.

    >>> from models import SourceFile
    >>> reading_text(CheckReport(source=SourceFile(path="p", sha256="", format="text"), agency=None, roc_year=None,
    ...                          read_method="outline", read_confidence=0.7))
    '條列大綱（未找到措施表），可信度 0.7'
    """
    method = getattr(report.read_method, "value", report.read_method)
    return f"{METHOD_LABELS.get(method, method)}，可信度 {report.read_confidence:.1f}"


def completeness_text(report: CheckReport) -> str:
    return "完整" if report.complete else "不完整：" + clean("；".join(report.incomplete_reasons))
