"""The library: everything the command line and the web app do with a plan, as
functions. It sits above every stage and the corpus and below ``plancheck`` (the
CLI and the web app), which only parse options and print.

    read_plan(path) → MappedPlan               extract → normalize → map, each once
    check_file(path, profile) → CheckReport    read_plan, then the mandated items
    with_exemplars(report, corpus_db)          other plans' wording of the gaps
    write_reports(report, stem, target, note)  one gap report per format
    write_summary(summary, target)             the batch summary per format
    analyse(path) → Analysed                   read and check, as the corpus stores it
    plans_to_index(paths) → PlanFiles          the files under paths, report folders left out
    index_file / index_files / index_paths     the corpus, read with this library
    error_line(path, error)                    the one-line message of any failure
    json_schemas() → {name: text}              docs/schema/*.schema.json, from the models
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import corpus
from checks import Profile, check_plan, load_profile, map_plan
from checks.frameworks import frameworks
from corpus import ingest
from corpus.ingest import Analysed, IndexedFile, IndexSummary
from extractor import ExtractSettings, extract
from extractor.errors import error_line
from models import CheckReport, MappedPlan
from normalizers.pipeline import normalize_plan
from outputs.files import UnsafeOutput, is_output_folder, mark_output_folder, write_atomic
from outputs.plan_json import PlanDocument
from outputs.reports import build_view, renderer
from outputs.reports.summary import BatchSummary, summary_schema_json

__all__ = [
    "Analysed", "PlanFiles", "ReportTarget", "analyse", "check_file", "error_line", "framework_name", "index_file",
    "index_files", "index_paths", "json_schemas", "plans_to_index", "read_plan", "skipped_note", "with_exemplars",
    "write_reports", "write_summary",
]

PLANS_FOLDER = "plans"
SUMMARY_STEM = "summary"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


# --- reading and checking -------------------------------------------------------------------------


def read_plan(path: str | Path, settings: ExtractSettings | None = None) -> MappedPlan:
    """A plan read from a file, normalized and mapped: ready for checks and the corpus."""
    return map_plan(normalize_plan(extract(path, settings)))


def check_file(path: str | Path, profile: Profile | str | None = None) -> CheckReport:
    """One plan file checked against a profile (a name, a file, a Profile or None
    for the default). Raises extractor.PlanError for unreadable files and
    checks.DataError for a wrong profile."""
    chosen = profile if isinstance(profile, Profile) else load_profile(profile or "default")
    return check_plan(read_plan(path), chosen)


def framework_name(framework_id: str | None) -> str:
    """The programme a framework ID stands for (F1 → 政府服務創新精進方案), '' if unknown."""
    known = frameworks()
    return known[framework_id].name if framework_id in known else ""


def with_exemplars(report: CheckReport, corpus_db: Path | None) -> tuple[CheckReport, str]:
    """The report with other plans' wording for its missing and partial items,
    and a note for the reader when the corpus cannot offer them (without a
    corpus the reports leave the section out)."""
    if corpus_db is None:
        return report, ""
    gaps = [v.id for v in report.items if v.status in ("missing", "partial")]
    try:
        with closing(corpus.connect(corpus_db)) as conn:
            found = [e for item in gaps for e in corpus.exemplars(conn, item, exclude_source_sha256=report.source.sha256)]
    except corpus.CorpusError as error:
        return report, f"無法從語料庫取得其他計畫的寫法：{error}"
    return report.model_copy(update={"exemplars": found}), ""


# --- writing reports --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportTarget:
    """Where and how reports are written: the output folder, the formats, and the
    input files that must never be written over."""

    out_dir: Path
    formats: tuple[str, ...]
    protected: frozenset[Path] = frozenset()


def write_reports(report: CheckReport, stem: str, target: ReportTarget, note: str = "",
                  exemplars_asked: bool = False) -> dict[str, str]:
    """Render and write one plan's reports under ``out_dir/plans/``; returns
    format → path relative to out_dir. ``exemplars_asked``: a corpus was given,
    so the reports have the section of other plans' wording."""
    view = build_view(report, note, framework_name(report.framework.id if report.framework else None),
                      exemplars_asked=exemplars_asked)
    mark_output_folder(target.out_dir)
    written = {}
    for name in target.formats:
        render = renderer(name)
        relative = f"{PLANS_FOLDER}/{stem}.{render.extension}"
        write_atomic(target.out_dir / relative, render.render_report(view), protected=tuple(target.protected))
        written[name] = relative
    return written


def write_summary(summary: BatchSummary, target: ReportTarget) -> tuple[list[Path], list[Path]]:
    """Write the summary in every format: the files written, and those refused
    because they would replace an input (the other formats are still written)."""
    mark_output_folder(target.out_dir)
    written, refused = [], []
    for name in target.formats:
        render = renderer(name)
        path = target.out_dir / f"{SUMMARY_STEM}.{render.extension}"
        try:
            written.append(write_atomic(path, render.render_summary(summary), protected=tuple(target.protected)))
        except UnsafeOutput:
            refused.append(path)
    return written, refused


def skipped_note(folders: list[str]) -> str | None:
    """The one line that says folders of plancheck's reports were left out of
    the inputs, None if none were."""
    if not folders:
        return None
    shown = "、".join(folders[:3]) + ("等" if len(folders) > 3 else "")
    line = f"plancheck: 略過 {len(folders)} 個 plancheck 輸出的報告資料夾（{shown}），其中的檔案不當作計畫"
    return _CONTROL.sub("?", line)  # a control character in a folder name would break the line


# --- the corpus -------------------------------------------------------------------------------------


@dataclass
class PlanFiles:
    files: list[Path]
    skipped: list[str]  # folders of reports plancheck wrote, left out


def _report_folder(file: Path, root: Path) -> Path | None:
    """The folder between ``root`` and ``file`` that holds plancheck's reports."""
    folder = root
    for part in file.relative_to(root).parts[:-1]:
        folder = folder / part
        if is_output_folder(folder):
            return folder
    return None


def plans_to_index(paths: Iterable[str | Path]) -> PlanFiles:
    """``corpus.ingest.discover`` without the folders plancheck wrote reports
    into: files found in a folder are left out when they sit in one, files named
    one by one are kept."""
    found = PlanFiles([], [])
    seen: set[Path] = set()
    for raw in paths:
        root = Path(raw)
        if root.is_dir() and is_output_folder(root):
            found.skipped.append(str(root))
            continue
        for file in ingest.discover([root]):
            folder = _report_folder(file, root) if root.is_dir() else None
            if folder is not None:
                if str(folder) not in found.skipped:
                    found.skipped.append(str(folder))
            elif file.resolve() not in seen:
                seen.add(file.resolve())
                found.files.append(file)
    return found


def analyse(path: Path) -> Analysed:
    """A plan read and checked: what the corpus
    stores and the web page shows for an upload. A plan that reads but fails its
    checks is still worth indexing, with a warning."""
    plan = read_plan(path)
    try:
        report = check_plan(plan)
    except Exception as error:  # noqa: BLE001 - the plan is still worth indexing
        return Analysed(plan, None, f"{path}: 檢查失敗，僅收錄措施文字（{type(error).__name__}: {error}）")
    return Analysed(plan, report)


def index_file(conn: sqlite3.Connection, path: Path, signature: str | None = None) -> IndexedFile:
    """Index one file (``corpus.ingest.index_file`` reading with ``analyse``)."""
    return ingest.index_file(conn, path, analyse, signature)


def index_files(conn: sqlite3.Connection, files: Iterable[Path],
                on_done: Callable[[IndexedFile], None] | None = None) -> IndexSummary:
    return ingest.index_files(conn, files, analyse, on_done)


def index_paths(conn: sqlite3.Connection, paths: Iterable[str | Path]) -> IndexSummary:
    """Index every plan file under ``paths`` (files and folders, recursively;
    report folders left out)."""
    return ingest.index_files(conn, plans_to_index(paths).files, analyse)


# --- published schemas ------------------------------------------------------------------------------


def json_schemas() -> dict[str, str]:
    """The JSON Schema of every JSON document plancheck prints or writes, by
    file stem: extract's plan, check's report, the batch summary."""
    return {
        "plan": json.dumps(PlanDocument.model_json_schema(), ensure_ascii=False, indent=2) + "\n",
        "check-report": json.dumps(CheckReport.model_json_schema(), ensure_ascii=False, indent=2) + "\n",
        "summary": summary_schema_json(),
    }
