"""`plancheck samples`: the main job on the bundled sample plans."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from checks import check_plan
from corpus import samples_folder
from library import error_line, read_plan
from models import PlanKind
from outputs.reports.view import PLAN_KIND_LABELS
from plancheck.commands import command


def _dimension_of(measure) -> str:
    if measure.dimension:
        return measure.dimension
    return measure.path[0] if measure.path else "（無層級）"


@command("samples")
def samples_command(
    folder: Path = typer.Option(None, "--folder", help="Folder of sample plans (default: the bundled ones).", show_default=False),
) -> None:
    """Read and check every bundled sample plan and print a summary of each."""
    console = Console(soft_wrap=True)
    folder = folder or samples_folder()
    failures = 0
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        try:
            plan = read_plan(path)
            report = check_plan(plan)
        except Exception as error:  # noqa: BLE001 - report and go on with the next plan
            console.print(error_line(str(path), error), style="red")
            failures += 1
            continue
        console.print(f"\n[bold]{plan.title or path.name}[/bold]")
        console.print(f"  檔案 {path.name} · 機關 {plan.agency or '?'} · 民國 {plan.roc_year or '?'} 年"
                      f" ({plan.year or '?'}) · {len(plan.measures)} 項具體措施 · 編號異常 {len(plan.anomalies)}")
        if plan.source.ocr_pages:
            pages = "、".join(str(page) for page in plan.source.ocr_pages)
            console.print(f"  掃描檔：第 {pages} 頁以文字辨識（{plan.source.ocr_engine}，平均信心 "
                          f"{plan.source.ocr_confidence or 0:.2f}）讀取")
        if plan.plan_kind != PlanKind.execution:
            console.print(f"  文件性質：{PLAN_KIND_LABELS[plan.plan_kind]}")
        if plan.framework:
            console.print(f"  架構 {plan.framework.id}（信心 {plan.framework.confidence:.2f}）")
        verdicts = Counter(item.status for item in report.items)
        console.print(f"  應辦事項：符合 {verdicts['present']} · 部分符合 {verdicts['partial']}"
                      f" · 缺漏 {verdicts['missing']} · 不適用 {verdicts['not_applicable']}")
        gaps = [item.id for item in report.items if item.status in ("missing", "partial")]
        if gaps:
            console.print("  待補強：" + "、".join(gaps))
        counts = Counter(_dimension_of(m) for m in plan.measures)
        table = Table(show_header=True, header_style="bold", box=None, padding=(0, 2))
        table.add_column("面向（架構）")
        table.add_column("措施數", justify="right")
        for dimension, count in counts.items():
            table.add_row(dimension, str(count))
        console.print(table)
    raise typer.Exit(1 if failures else 0)
