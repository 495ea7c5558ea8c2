"""The batch summary: plans × mandated items, counts both ways, and the files
that could not be read. Its JSON Schema is docs/schema/summary.schema.json.

Built from the plans' CheckReports by a pure function; nothing in it depends on
when or where the batch ran, so the same inputs give the same bytes."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from models import CheckReport
from models.report import Status
from outputs.reports.view import NO_VALUE, PLAN_KIND_LABELS, STATUS_LABELS, STATUS_MARKS, STATUS_ORDER, clean, year_text

SUMMARY_SCHEMA_VERSION = "1.0"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StatusCounts(_Model):
    present: int = 0
    partial: int = 0
    missing: int = 0
    not_applicable: int = 0


class SummaryItem(_Model):
    id: str = Field(description="Mandated-item ID (docs/mandated-items.md or the profile).")
    name: str = Field(default="", description="The item's name in Traditional Chinese.")
    counts: StatusCounts = Field(description="How many plans got each verdict for this item.")


class SummaryPlan(_Model):
    path: str = Field(description="The input file as given (folders expanded), sorted on this.")
    agency: str | None
    roc_year: int | None
    title: str | None = None
    plan_kind: str = Field(description="What the document is (models.PlanKind): execution, supervising, sub_plan, "
                                       "results_report, award_application, scoring_sheet, white_paper or other.")
    framework: str | None = Field(description="Framework ID detected for the plan.")
    framework_confidence: float | None = None
    profile: str
    measure_count: int
    reports: dict[str, str] = Field(default_factory=dict, description="Format → report file, relative to the output folder.")
    statuses: dict[str, Status] = Field(description="Item ID → verdict; items the plan's profile lacks are absent.")
    counts: StatusCounts


class SummaryFailure(_Model):
    path: str
    reason: str = Field(description="One line, as printed on standard error.")


class BatchSummary(_Model):
    schema_version: str = SUMMARY_SCHEMA_VERSION
    inputs: int = Field(description="Number of input files.")
    checked: int = Field(description="Plans checked (have a report).")
    failed: int = Field(description="Files that could not be processed.")
    items: list[SummaryItem] = Field(description="Every item of any plan's profile, in profile order.")
    plans: list[SummaryPlan]
    failures: list[SummaryFailure]


def _counts(statuses: list[str]) -> StatusCounts:
    return StatusCounts(**{status: statuses.count(status) for status in STATUS_ORDER})


def build_summary(
    checked: list[tuple[CheckReport, dict[str, str]]],
    failures: list[tuple[str, str]],
) -> BatchSummary:
    """The summary of a batch: ``checked`` pairs each report with its report files
    (format → relative path); ``failures`` pairs a path with its reason.
    Both are sorted by path here, whatever order the workers finished in."""
    checked = sorted(checked, key=lambda pair: pair[0].source.path)
    names: dict[str, str] = {}
    for report, _ in checked:
        for verdict in report.items:
            names.setdefault(verdict.id, verdict.name)
    plans = [
        SummaryPlan(
            path=report.source.path,
            agency=report.agency,
            roc_year=report.roc_year,
            title=report.title,
            plan_kind=report.plan_kind.value,
            framework=report.framework.id if report.framework else None,
            framework_confidence=report.framework.confidence if report.framework else None,
            profile=report.profile,
            measure_count=report.measure_count,
            reports=dict(sorted(outputs.items())),
            statuses={v.id: v.status for v in report.items},
            counts=_counts([v.status for v in report.items]),
        )
        for report, outputs in checked
    ]
    items = [
        SummaryItem(id=item_id, name=name, counts=_counts([p.statuses[item_id] for p in plans if item_id in p.statuses]))
        for item_id, name in names.items()
    ]
    failed = [SummaryFailure(path=path, reason=reason) for path, reason in sorted(failures)]
    return BatchSummary(
        inputs=len(plans) + len(failed), checked=len(plans), failed=len(failed), items=items, plans=plans, failures=failed,
    )


# --- the summary as the renderers lay it out -------------------------------------------------


@dataclass(frozen=True)
class MatrixCell:
    status: str  # "" when the plan's profile lacks the item

    @property
    def label(self) -> str:
        return STATUS_LABELS.get(self.status, "")

    @property
    def mark(self) -> str:
        return STATUS_MARKS.get(self.status, "")


@dataclass(frozen=True)
class MatrixRow:
    path: str
    agency: str
    year: str
    roc_year: int | None
    plan_kind: str
    framework: str
    measure_count: int
    counts: StatusCounts
    cells: tuple[MatrixCell, ...]
    reports: tuple[tuple[str, str], ...]


def matrix_rows(summary: BatchSummary) -> tuple[MatrixRow, ...]:
    """One row per checked plan, one cell per summary item, in the summary's order."""
    return tuple(
        MatrixRow(
            path=clean(plan.path),
            agency=clean(plan.agency) or NO_VALUE,
            year=year_text(plan.roc_year),
            roc_year=plan.roc_year,
            plan_kind=PLAN_KIND_LABELS_SHORT.get(plan.plan_kind, plan.plan_kind),
            framework=clean(plan.framework) or NO_VALUE,
            measure_count=plan.measure_count,
            counts=plan.counts,
            cells=tuple(MatrixCell(plan.statuses.get(item.id, "")) for item in summary.items),
            reports=tuple(plan.reports.items()),
        )
        for plan in summary.plans
    )


PLAN_KIND_LABELS_SHORT = {kind.value: label.split("（")[0] for kind, label in PLAN_KIND_LABELS.items()}


def kind_line(summary: BatchSummary) -> str:
    """How many checked documents are not execution plans, by kind, in one
    sentence ('' when all are).

    >>> plan = dict(path="p", agency=None, roc_year=None, framework=None, profile="default", measure_count=0,
    ...             statuses={}, counts=StatusCounts())
    >>> kind_line(BatchSummary(inputs=2, checked=2, failed=0, items=[], failures=[],
    ...           plans=[SummaryPlan(plan_kind="execution", **plan), SummaryPlan(plan_kind="scoring_sheet", **plan)]))
    '其中 1 份不是機關之年度執行計畫（評分表 1 份），依其性質不評定或僅列可見之必辦項目。'
    """
    counts: dict[str, int] = {}
    for plan in summary.plans:
        if plan.plan_kind != "execution":
            counts[plan.plan_kind] = counts.get(plan.plan_kind, 0) + 1
    if not counts:
        return ""
    kinds = "、".join(f"{PLAN_KIND_LABELS_SHORT.get(kind, kind)} {n} 份" for kind, n in counts.items())
    return f"其中 {sum(counts.values())} 份不是機關之年度執行計畫（{kinds}），依其性質不評定或僅列可見之必辦項目。"
COUNT_COLUMNS = tuple((status, STATUS_LABELS[status]) for status in STATUS_ORDER)


def summary_schema_json() -> str:
    import json

    return json.dumps(BatchSummary.model_json_schema(), ensure_ascii=False, indent=2) + "\n"

