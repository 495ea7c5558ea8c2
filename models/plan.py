"""The plan model: what every stage after the readers exchanges.

Text fields keep the plan's wording as written (converter debris removed); the
normalizers add normalized forms beside them in ``*_norm`` fields and never
overwrite the original.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = "1.1"

# The name of the input format the file was read as: one of the registry of
# input formats (extractor.readers.FORMATS), which is above this layer, so the
# names are not repeated here.
SourceFormat = Annotated[str, Field(pattern=r"^[a-z0-9]+$",
                                    description="The input format's name in the registry of readers (extractor.readers.FORMATS).")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Location(_Model):
    """Where something sits in the source: page (PDF, or page-like blocks of a
    text conversion) and line (text formats) or table row (docx/odt/html)."""

    page: int | None = None
    line: int | None = None
    row: int | None = None


class SourceFile(_Model):
    path: str
    sha256: str
    format: SourceFormat
    pages: int | None = None
    encoding: str | None = Field(default=None, description="Text encoding detected for text formats.")
    ocr_pages: list[int] = Field(default_factory=list, description="Pages read by OCR (scanned pages, page images).")
    ocr_engine: str | None = Field(default=None, description="The OCR engine that read them.")
    ocr_confidence: float | None = Field(default=None, ge=0.0, le=1.0,
                                         description="Mean recognition confidence over the OCR pages' characters.")


class PlanKind(str, Enum):
    """What kind of document it is. Only an agency's own annual execution plan
    gets the full gap verdicts; the look-alikes are told apart from it."""

    execution = "execution"  # an agency's own annual plan of measures (執行計畫, its own 實施/工作計畫)
    supervising = "supervising"  # a supervising body's 實施計畫 / 要點 setting rules for other agencies
    sub_plan = "sub_plan"  # a plan or rule on one topic (電話禮貌測試, 櫃檯, 陳情, 到府服務)
    results_report = "results_report"  # 成果報告, 執行成效一覽表, 績效報告, news of results
    award_application = "award_application"  # 政府服務獎 參獎申請書 / 評獎資料
    scoring_sheet = "scoring_sheet"  # 評分表, 評核表, 考核表 with 配分 / 評分 columns
    white_paper = "white_paper"  # 為民服務白皮書, service charters
    other = "other"  # news, theses, FAQ pages: anything else


# Kinds of schema 1.0 (the `kind` field, read from the title alone) in today's terms.
LEGACY_KINDS = {"execution": "execution", "work": "execution", "implementation": "supervising", "unknown": "other"}


def migrate_kind(data: object, field: str) -> object:
    """Plans and reports stored by schema 1.0 (a corpus, an earlier JSON) read
    as today's: `kind` becomes `plan_kind`, its old values mapped."""
    if isinstance(data, dict):
        data = dict(data)
        if field == "kind" and "kind" in data:
            data.setdefault("plan_kind", LEGACY_KINDS.get(data.pop("kind"), "other"))
        if data.get("plan_kind") in ("work", "implementation", "unknown"):
            data["plan_kind"] = LEGACY_KINDS[data["plan_kind"]]
    return data


class KindCue(_Model):
    """One cue that counted toward a kind: the words matched and where."""

    kind: PlanKind
    where: Literal["title", "head", "text", "structure"]
    quote: str = Field(description="The words of the document that matched (as written, up to 40 characters).")
    weight: float


class KindEvidence(_Model):
    """Why the document got its kind: the score of every kind with a cue, and
    the cues of the chosen kind first."""

    confidence: float = Field(ge=0.0, le=1.0)
    scores: dict[str, float] = Field(default_factory=dict)
    cues: list[KindCue] = Field(default_factory=list)


class BasisDocument(_Model):
    """A document the plan cites in its 計畫依據."""

    text: str
    title: str | None = Field(default=None, description="The quoted title, e.g. 政府服務躍升方案.")
    issuer: str | None = None
    date: str | None = Field(default=None, description="ISO date when the citation gives one.")
    doc_number: str | None = Field(default=None, description="The 文號, e.g. 院授發社字第1061300008號.")


class Section(_Model):
    """A top-level section of the plan (壹、計畫依據 …) or an annex. Checks read
    the body sections and schedules, never scoring sheets or templates."""

    number: str
    title: str
    kind: Literal["body", "schedule", "scoring", "template", "other"] = "body"
    location: Location = Field(default_factory=Location)
    text: str = ""


class DeadlineKind(str, Enum):
    continuous = "continuous"
    periodic = "periodic"
    by_date = "by_date"
    unknown = "unknown"


class Deadline(_Model):
    text: str
    kind: DeadlineKind
    period: str | None = Field(default=None, description="year, half_year, quarter, month, week for periodic deadlines.")
    due: str | None = Field(default=None, description="ISO date of a by-date deadline when the year is known.")


class Frequency(_Model):
    """A frequency stated in the text, as times per year (None = 不定期 / unspecified)."""

    per_year: float | None
    quote: str
    start: int
    end: int


class MeasureNorm(_Model):
    """Normalized forms of a measure, added by the normalizers."""

    text: str = Field(description="Unicode-cleaned, converter spaces removed, Traditional.")
    key: str = Field(description="Folding key for matching (variants folded); never shown to users.")
    deadline: Deadline | None = None
    frequencies: list[Frequency] = Field(default_factory=list)
    departments: list[str] = Field(default_factory=list, description="Named units after alias folding.")
    shared_owners: list[str] = Field(default_factory=list, description="全體同仁, 各部門, 承辦人 …")


class ReadMethod(str, Enum):
    """How measures were read: from a measure table, from a numbered outline
    (no table), or from plain paragraphs (neither)."""

    table = "table"
    outline = "outline"
    text = "text"


class Measure(_Model):
    id: str = Field(description="Stable within the plan: derived from the numbering path and order.")
    path: list[str] = Field(description="Ancestor headings as written, outermost first.")
    number: str = Field(description="The measure's own marker as written, '' if none.")
    text: str
    departments: list[str] = Field(default_factory=list)
    departments_uncertain: bool = Field(
        default=False,
        description="True when a stacked units cell could not be aligned item by item; "
        "departments then lists every unit of the cell.",
    )
    deadline: str | None = None
    expected_benefit: str | None = None
    dimension: str | None = Field(default=None, description="Framework dimension after mapping.")
    location: Location = Field(default_factory=Location)
    method: ReadMethod = Field(default=ReadMethod.table, description="How this measure was read.")
    confidence: float = Field(default=1.0, ge=0.0, le=1.0,
                              description="How sure the reading is (README: 'How a plan is read').")
    norm: MeasureNorm | None = None
    from_ocr: bool = Field(default=False, description="The measure was read from a scanned page by OCR.")
    ocr_confidence: float | None = Field(default=None, ge=0.0, le=1.0,
                                         description="Mean recognition confidence of the page the measure starts on.")


class ColumnRole(str, Enum):
    """What a measure-table column holds. ``number`` (項次) and ``remarks`` (備註, 檢討管考) are named so
    that their text is never read as a heading or a measure."""

    dimension = "dimension"
    strategy = "strategy"
    measure = "measure"
    units = "units"
    deadline = "deadline"
    benefit = "benefit"
    results = "results"
    number = "number"
    remarks = "remarks"
    other = "other"


class MeasureTable(_Model):
    header: list[str]
    roles: list[ColumnRole]
    location: Location = Field(default_factory=Location)
    measure_ids: list[str] = Field(default_factory=list)

    def has_role(self, role: ColumnRole) -> bool:
        return role in self.roles


class NumberingAnomaly(_Model):
    code: Literal["skipped", "duplicate", "restart", "out_of_order"]
    message: str
    marker: str
    location: Location = Field(default_factory=Location)


class FrameworkRef(_Model):
    id: str
    confidence: float = Field(ge=0.0, le=1.0)
    reasons: list[str] = Field(default_factory=list)


class ExtractionStatus(str, Enum):
    ok = "ok"
    partial = "partial"
    failed = "failed"


class Plan(_Model):
    schema_version: str = SCHEMA_VERSION
    source: SourceFile
    agency: str | None = None
    roc_year: int | None = None
    year: int | None = None
    title: str | None = None
    plan_kind: PlanKind = Field(default=PlanKind.execution, description="What the document is; a plan built without "
                                "reading a document (tests, other tools) is taken for an execution plan.")
    plan_kind_evidence: KindEvidence | None = None
    basis: list[BasisDocument] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    tables: list[MeasureTable] = Field(default_factory=list)
    measures: list[Measure] = Field(default_factory=list)
    framework: FrameworkRef | None = None
    anomalies: list[NumberingAnomaly] = Field(default_factory=list)
    status: ExtractionStatus = ExtractionStatus.ok
    warnings: list[str] = Field(default_factory=list)
    method: ReadMethod = Field(default=ReadMethod.table, description="How the measures were read (the reading ladder).")
    confidence: float = Field(default=1.0, ge=0.0, le=1.0, description="How sure the reading of the measures is.")
    table_rebuilt: bool = Field(default=False, description="The measure table was put back together from one-cell-per-line text.")
    complete: bool = Field(default=True, description="False when the document looks cut (an excerpt, a missing page).")
    incomplete_reasons: list[str] = Field(default_factory=list, description="Why the document looks cut, in Traditional Chinese.")

    @model_validator(mode="before")
    @classmethod
    def _schema_1_0(cls, data: object) -> object:
        return migrate_kind(data, "kind")
