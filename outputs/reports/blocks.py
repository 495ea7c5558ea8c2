"""The report and the summary as a word-processor document: headings,
paragraphs and tables, laid out once for both ODT and DOCX."""

from __future__ import annotations

from dataclasses import dataclass

from outputs.reports.summary import COUNT_COLUMNS, BatchSummary, kind_line, matrix_rows
from outputs.reports.view import STATUS_LABELS, ReportView, clean

FOOTER = "本報告由 plancheck 依計畫原文自動產生；「引文」為計畫原文，判定理由請對照原文確認。"


# Every block cleans its text on the way in: odfpy and python-docx reject (or
# write invalid XML for) the control characters a file name or a plan may hold.
@dataclass(frozen=True)
class Heading:
    text: str
    level: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", clean(self.text))


@dataclass(frozen=True)
class Paragraph:
    text: str
    note: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", clean(self.text))


@dataclass(frozen=True)
class TableBlock:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...]  # relative column widths

    def __post_init__(self) -> None:
        object.__setattr__(self, "rows", tuple(tuple(clean(cell) for cell in row) for row in self.rows))


Block = Heading | Paragraph | TableBlock


@dataclass(frozen=True)
class DocumentBlocks:
    title: str
    landscape: bool
    blocks: tuple[Block, ...]


def _evidence_text(item) -> str:
    lines = [f"「{ev.quote}」" + (f"（{ev.where}）" if ev.where else "") for ev in item.evidence]
    return "\n".join(lines) or "（無）"


def report_blocks(view: ReportView) -> DocumentBlocks:
    blocks: list[Block] = [Heading("服務品質計畫檢查報告", 1), Paragraph(view.title)]
    if view.is_guidance:
        blocks.append(Paragraph(view.kind_note, note=True))
    blocks += [
        Heading("計畫基本資料", 2),
        TableBlock(("項目", "內容"), tuple((label, value) for label, value in view.identity), (1, 4)),
    ]
    if view.framework_reasons:
        blocks.append(Paragraph("架構判斷依據：" + "；".join(view.framework_reasons)))
    blocks += [
        Heading("檢查摘要", 2),
        TableBlock(tuple(label for _, label, _ in view.counts), (tuple(f"{count} 項" for _, _, count in view.counts),), (1, 1, 1, 1)),
        Heading("必辦項目逐項檢查", 2),
        TableBlock(
            ("項目", "結果", "理由", "引文與位置", "規定與依據"),
            tuple(
                (f"{item.name or item.id}\n{item.id}", f"{item.mark} {item.label}", item.reason, _evidence_text(item),
                 item.rule + (f"\n依據：{item.source}" if item.source else ""))
                for item in view.items
            ),
            (3, 2, 4, 6, 4),
        ),
        Heading("面向涵蓋情形", 2),
    ]
    coverage_rows = []
    for dim in view.coverage:
        coverage_rows.append((dim.name, "（面向合計）", str(len(dim.measure_ids)), "無措施" if dim.empty else "、".join(dim.measure_ids)))
        for sub in dim.sub_items:
            coverage_rows.append(("", sub.name, str(len(sub.measure_ids)), "無措施" if sub.empty else "、".join(sub.measure_ids)))
    if coverage_rows:
        blocks.append(TableBlock(("面向", "實施要項", "措施數", "措施編號"), tuple(coverage_rows), (3, 4, 1, 5)))
    else:
        blocks.append(Paragraph("未能將措施對應到架構面向。"))
    blocks.append(Heading("結構檢查", 2))
    if view.findings:
        blocks.append(TableBlock(("代碼", "等級", "說明", "位置"), tuple((f.code, f.severity, f.message, f.location) for f in view.findings), (2, 1, 6, 2)))
    else:
        blocks.append(Paragraph("未發現結構問題。"))
    if view.exemplars_asked:
        blocks += exemplar_blocks(view)
    blocks.append(Paragraph(FOOTER))
    return DocumentBlocks(f"檢查報告：{view.agency} {view.year}", False, tuple(blocks))


def exemplar_blocks(view: ReportView) -> list:
    blocks: list = [Heading("缺漏與部分符合項目：其他計畫的寫法", 2)]
    if view.exemplar_note:
        blocks.append(Paragraph(view.exemplar_note, note=True))
    for item in view.gaps:
        blocks.append(Heading(f"{item.name or item.id}（{item.label}）", 3))
        if item.exemplars:
            blocks += [Paragraph(f"・{ex.text}——{ex.agency} {ex.year}（{ex.source}，措施 {ex.measure_id}）") for ex in item.exemplars]
        else:
            blocks.append(Paragraph("（無範例）"))
    if not view.gaps:
        blocks.append(Paragraph("所有項目皆符合或不適用。"))
    return blocks


def summary_blocks(summary: BatchSummary) -> DocumentBlocks:
    """A page-width matrix of 30-odd items does not fit a document, so each plan
    lists its missing and partial items by name instead."""
    names = {item.id: item.name or item.id for item in summary.items}
    plan_rows = []
    for row, plan in zip(matrix_rows(summary), summary.plans):
        missing = "、".join(names[i] for i, s in plan.statuses.items() if s == "missing") or "—"
        partial = "、".join(names[i] for i, s in plan.statuses.items() if s == "partial") or "—"
        plan_rows.append((row.path, row.agency, row.year, row.plan_kind, *(str(getattr(plan.counts, s)) for s, _ in COUNT_COLUMNS), missing, partial))
    blocks: list[Block] = [
        Heading("計畫檢查總表", 1),
        Paragraph(f"共 {summary.inputs} 份檔案：已檢查 {summary.checked} 份，無法讀取 {summary.failed} 份。" + kind_line(summary)),
        Heading("各計畫結果", 2),
        TableBlock(
            ("計畫檔案", "機關", "年度", "文件性質", *(label for _, label in COUNT_COLUMNS), f"{STATUS_LABELS['missing']}項目", f"{STATUS_LABELS['partial']}項目"),
            tuple(plan_rows), (4, 3, 2, 2, 1, 1, 1, 1, 5, 5),
        ) if plan_rows else Paragraph("沒有可檢查的計畫。"),
        Heading("各項目統計", 2),
        TableBlock(
            ("項目代碼", "項目", *(label for _, label in COUNT_COLUMNS)),
            tuple((item.id, item.name, *(str(getattr(item.counts, s)) for s, _ in COUNT_COLUMNS)) for item in summary.items),
            (4, 5, 1, 1, 1, 1),
        ),
        Heading("無法讀取的檔案", 2),
    ]
    if summary.failures:
        blocks.append(TableBlock(("檔案", "原因"), tuple((f.path, f.reason) for f in summary.failures), (2, 5)))
    else:
        blocks.append(Paragraph("所有檔案皆已讀取。"))
    return DocumentBlocks("計畫檢查總表", True, tuple(blocks))
