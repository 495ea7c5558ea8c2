"""Extraction: a plan file in, a Plan out.

    read_document  (one reader per format)      → Document of paragraphs and tables
    without_chrome                               → the page's navigation and wrappers removed
    in_traditional, without_slides, without_run_on → Simplified text read in Traditional; a slide deck's
                                                 lines cut at their bullets; run-on text cut
    find_measure_tables                          → the plan's measure tables, each in blocks
      (none: rebuild_tables                      → tables flattened one cell per line, put back)
    assemble (extractor.continuation)            → each table's rows, page breaks repaired
    classify_row → TreeBuilder (extractor.tree)  → the numbering tree, one measure per leaf:
                   numbering → levels → parents → boundaries → values
      (still none: ladder.read_without_table     → measures from the numbered outline, else paragraphs)
    completeness                                 → is the document cut?
    metadata                                     → title, agency, year, sections, basis

``extract`` runs them all; ``extract_with_trace`` also returns the
intermediates for ``plancheck debug``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, Field

from extractor.chrome import without_chrome
from extractor.columns import header_roles
from extractor.completeness import incomplete_reasons
from extractor.elements import Document, Table
from extractor.errors import FileMissing, NoText, PlanError, TooLarge
from extractor.ladder import CONFIDENCE, read_without_table
from extractor.linetable import rebuild_tables
from extractor.ocr.run import OcrOptions
from extractor.ocr.settings import OcrSettings, ocr_from_environment, ocr_jobs_from_environment
from extractor.kinds import classify
from extractor.metadata import find_basis, find_sections, read_identity
from extractor.readers import ReadLimits, read_document
from extractor.readers.archive import read_member
from extractor.rows import classify_row
from extractor.runon import without_run_on
from extractor.script import in_traditional
from extractor.slides import without_slides
from extractor.tables import LogicalTable, TableScan, assemble, find_measure_tables
from extractor.tree import ClassifiedRow, TreeBuilder, measures_from_tree, render_tree
from models import ColumnRole, ExtractionStatus, Measure, MeasureTable, Plan, ReadMethod, SourceFile

__all__ = ["ExtractSettings", "PlanError", "Trace", "extract", "extract_with_trace"]


class ExtractSettings(BaseModel):
    """Limits and switches of the extraction stage."""

    max_file_bytes: int = Field(default=100 * 1024 * 1024, description="Larger files are refused.")
    max_unpacked_bytes: int = Field(default=200 * 1024 * 1024, gt=0,
                                    description="A .docx/.odt/.xlsx/.ods whose members unpack to more is refused (zip bombs).")
    max_compression_ratio: float = Field(default=200.0, gt=1,
                                         description="A zip-based file of more than 10 MB unpacked compressed more than this is refused.")
    max_archive_members: int = Field(default=5000, gt=0, description="A zip-based file (document or zip of plans) with more members is refused.")
    max_pdf_pages: int = Field(default=2000, gt=0, description="A PDF with more pages is refused.")
    convert_timeout: float = Field(default=120.0, gt=0,
                                   description="Seconds LibreOffice may take to convert a .doc/.rtf/.wps; then it is stopped.")
    max_archive_bytes: int = Field(default=1024 * 1024 * 1024, gt=0,
                                   description="A zip of plans (nested zips included) that unpacks to more is refused.")
    max_archive_depth: int = Field(default=3, ge=0, description="Zips inside a zip of plans are opened this many levels deep.")
    ocr: OcrSettings | None = Field(default_factory=ocr_from_environment,
                                    description="How scanned pages are recognised; None refuses scans (--no-ocr).")
    ocr_jobs: int = Field(default_factory=ocr_jobs_from_environment, gt=0, description="Pages of one file recognised at once.")
    ocr_cache: bool = Field(default=True, description="Keep and reuse OCR results ($XDG_CACHE_HOME/plancheck/ocr).")
    progress: bool = Field(default=True, description="A per-page OCR progress bar when stderr is a terminal.")

    def read_limits(self) -> ReadLimits:
        return ReadLimits(
            max_unpacked_bytes=self.max_unpacked_bytes,
            max_compression_ratio=self.max_compression_ratio,
            max_archive_members=self.max_archive_members,
            max_pdf_pages=self.max_pdf_pages,
            convert_timeout=self.convert_timeout,
            max_archive_bytes=self.max_archive_bytes,
            max_archive_depth=self.max_archive_depth,
            ocr=OcrOptions(self.ocr, jobs=self.ocr_jobs, use_cache=self.ocr_cache, progress=self.progress)
            if self.ocr is not None else None,
        )


@dataclass
class TableTrace:
    table: LogicalTable
    rows: list[ClassifiedRow] = field(default_factory=list)
    tree: list[str] = field(default_factory=list)  # the finished tree, indented


@dataclass
class Trace:
    document: Document
    scan: TableScan
    tables: list[TableTrace] = field(default_factory=list)
    # Each table's classified rows and rendered tree, for ``plancheck debug``:
    # a sixth of a long plan's memory at its peak, so ``extract`` keeps none.
    detailed: bool = True


def _build_table(table: LogicalTable, index: int, trace: TableTrace, detailed: bool) -> tuple[MeasureTable, list, list]:
    layout = table.layout
    builder = TreeBuilder(layout=layout, row_values_own=table.flattened)
    for row in table.rows:
        classified = classify_row(row, table.roles, table.positional, layout)
        builder.add_row(classified)
        if detailed:
            trace.rows.append(classified)
    builder.finish()
    if detailed:
        trace.tree = render_tree(builder.root)
    measures = measures_from_tree(builder, index)
    if table.heading:
        for measure in measures:
            measure.path.insert(0, table.heading)
    model = MeasureTable(
        header=table.header,
        roles=table.roles,
        location={"line": table.line, "page": table.page},
        measure_ids=[measure.id for measure in measures],
    )
    return model, measures, builder.anomalies


def _read_tables(document: Document, detailed: bool = True) -> tuple[Trace, list[MeasureTable], list[Measure], list]:
    scan = find_measure_tables(document)
    trace = Trace(document=document, scan=scan, detailed=detailed)
    tables, measures, anomalies = [], [], []
    for index, table in enumerate(scan.tables):
        assemble(table)
        table_trace = TableTrace(table=table)
        trace.tables.append(table_trace)
        model, table_measures, table_anomalies = _build_table(table, index, table_trace, detailed)
        if table_measures:
            tables.append(model)
            measures.extend(table_measures)
            anomalies.extend(table_anomalies)
    return trace, tables, measures, anomalies


def _measure_column(document: Document) -> int | None:
    """The measure column of the document's last element when it is a table with a header."""
    last = document.elements[-1] if document.elements else None
    if not isinstance(last, Table) or not last.rows:
        return None
    roles = header_roles([cell.text for cell in last.rows[0].cells]) or []
    columns = [index for index, role in enumerate(roles) if role is ColumnRole.measure]
    return columns[-1] if columns else None


def build_plan(document: Document, source: SourceFile, settings: ExtractSettings | None = None,
               detailed: bool = True) -> tuple[Plan, Trace]:
    """The plan read from a document, down the reading ladder: the measure
    table, a table flattened one cell per line, the numbered outline, the
    paragraphs. Never refuses a readable document; a plan with no measure
    at all has status partial; a document with no text at all is refused."""
    if not document.has_text():
        raise NoText(source.path)
    original, document = document, without_run_on(without_slides(in_traditional(without_chrome(document))))
    trace, tables, measures, anomalies = _read_tables(document, detailed)
    method, confidence, rebuilt = ReadMethod.table, CONFIDENCE["table"], False
    if not measures:
        flattened = rebuild_tables(document)
        if flattened is not document:
            rebuilt_trace, rebuilt_tables, rebuilt_measures, rebuilt_anomalies = _read_tables(flattened, detailed)
            if rebuilt_measures:
                document, trace, tables, anomalies = flattened, rebuilt_trace, rebuilt_tables, rebuilt_anomalies
                confidence, rebuilt = CONFIDENCE["rebuilt_table"], True
                measures = [m.model_copy(update={"confidence": confidence}) for m in rebuilt_measures]
    if not measures:
        reading = read_without_table(document)
        method, confidence, measures = reading.method, reading.confidence, reading.measures
    reasons = incomplete_reasons(document, _measure_column(document))
    # The page chrome (發布單位, 修正日期, a document site's page title) still names
    # the agency, the year and what the document is.
    identity = read_identity(original)
    title, roc_year = identity.title, identity.roc_year
    kind, kind_evidence = classify(original, title, tables, trace.scan)
    sections = find_sections(document)
    warnings = list(document.warnings)
    plan = Plan(
        source=source,
        agency=identity.agency,
        roc_year=roc_year,
        year=roc_year + 1911 if roc_year else None,
        title=title,
        plan_kind=kind,
        plan_kind_evidence=kind_evidence,
        basis=find_basis(sections),
        sections=sections,
        tables=tables,
        measures=measures,
        anomalies=anomalies,
        status=ExtractionStatus.ok if title and roc_year and measures and not reasons else ExtractionStatus.partial,
        warnings=warnings,
        method=method,
        confidence=confidence if measures else 0.0,
        table_rebuilt=rebuilt,
        complete=not reasons,
        incomplete_reasons=reasons,
    )
    return plan, trace


def _read(path: Path, settings: ExtractSettings) -> tuple[bytes, SourceFile]:
    if path.is_file():
        size = path.stat().st_size
        if size > settings.max_file_bytes:
            raise TooLarge(path, f"{size} 位元組，上限 {settings.max_file_bytes}")
        data = path.read_bytes()
    elif path.exists():
        raise FileMissing(path)
    else:  # a member of a zip of plans (archive.zip/folder/plan.docx), or nothing
        data = read_member(path, settings.read_limits(), settings.max_file_bytes)
    return data, SourceFile(path=str(path), sha256=hashlib.sha256(data).hexdigest(), format="text")


def extract_with_trace(path: str | Path, settings: ExtractSettings | None = None,
                       detailed: bool = True) -> tuple[Plan, Trace]:
    """The plan and the intermediates of its reading (``detailed``: with every
    table's classified rows and tree)."""
    settings = settings or ExtractSettings()
    path = Path(path)
    data, source = _read(path, settings)
    fmt, document = read_document(path, data, settings.read_limits())
    source = source.model_copy(update={"format": fmt, "pages": document.pages, "encoding": document.encoding,
                                       **ocr_source(document, settings)})
    plan, trace = build_plan(document, source, settings, detailed)
    return mark_ocr_measures(plan, document), trace


def ocr_source(document: Document, settings: ExtractSettings) -> dict:
    """The source fields saying which pages OCR read, by which engine, how confidently."""
    if not document.ocr_pages:
        return {}
    confidences = [conf for conf in document.ocr_pages.values() if conf is not None]
    return {"ocr_pages": sorted(document.ocr_pages), "ocr_engine": settings.ocr.engine if settings.ocr else None,
            "ocr_confidence": round(sum(confidences) / len(confidences), 3) if confidences else None}


def mark_ocr_measures(plan: Plan, document: Document) -> Plan:
    """Each measure that starts on an OCR page carries that page's confidence."""
    if not document.ocr_pages:
        return plan
    for measure in plan.measures:
        page = measure.location.page
        if page in document.ocr_pages:
            measure.from_ocr = True
            confidence = document.ocr_pages[page]
            measure.ocr_confidence = round(confidence, 3) if confidence is not None else None
    return plan


def extract(path: str | Path, settings: ExtractSettings | None = None) -> Plan:
    """Read one plan file into the plan model. Raises PlanError subclasses with
    a one-line reason for input that cannot be used."""
    return extract_with_trace(path, settings, detailed=False)[0]
