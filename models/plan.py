"""The plan model: what every stage after the readers exchanges.

Text fields keep the plan's wording as written (converter debris removed); the
normalizers add normalized forms beside them in ``*_norm`` fields and never
overwrite the original.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"

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
    """What kind of document the plan is: an agency's own 執行計畫, a supervising
    body's 實施計畫 that gives guidance to the agencies under it, or a
    second-level agency's 工作計畫."""

    execution = "execution"
    implementation = "implementation"
    work = "work"
    unknown = "unknown"


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
    dimension = "dimension"
    strategy = "strategy"
    measure = "measure"
    units = "units"
    deadline = "deadline"
    benefit = "benefit"
    results = "results"
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
    kind: PlanKind = PlanKind.unknown
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
