"""The text of `plancheck debug`: every intermediate of an extraction, so a bad
extraction can be diagnosed by reading what each stage decided."""

from __future__ import annotations

from extractor import Trace
from extractor.elements import Paragraph, Table
from extractor.tree import STEPS
from models import Plan


def _short(text: str, width: int = 28) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render_trace(plan: Plan, trace: Trace, show_rows: bool = True, steps: tuple[str, ...] = STEPS,
                 show_tree: bool = True) -> str:
    """Like pdfplumber's debug_tablefinder, one stage at a time: the document, the tables found, each
    row with what every tree step (``steps``, in order: columns, numbering, levels, parents,
    boundaries, values) decided about it, and the finished tree."""
    out: list[str] = []
    add = out.append
    doc = trace.document
    paragraphs = sum(isinstance(e, Paragraph) for e in doc.elements)
    tables = [e for e in doc.elements if isinstance(e, Table)]
    add(f"== document: {plan.source.path} [{plan.source.format}"
        + (f", {plan.source.encoding}" if plan.source.encoding else "")
        + (f", {plan.source.pages} pages" if plan.source.pages else "") + "]"
        + (f" read from its {doc.reading}" if doc.reading else ""))
    add(f"   {paragraphs} paragraphs, {len(tables)} table blocks"
        + (f"; annexes start at element {trace.scan.annex_start}" if trace.scan.annex_start is not None else ""))
    add(f"   title: {plan.title!r}  agency: {plan.agency!r}  roc_year: {plan.roc_year}  kind: {plan.plan_kind.value}")
    if plan.plan_kind_evidence is not None:
        evidence = plan.plan_kind_evidence
        add(f"   kind confidence {evidence.confidence:.2f}, scores {evidence.scores}")
        add("   kind cues: " + "; ".join(f"{c.kind.value} {c.where} {c.quote!r} +{c.weight:g}" for c in evidence.cues))
    add("   sections: " + " | ".join(f"{s.number}{s.title}" + (f" [{s.kind}]" if s.kind != "body" else "") for s in plan.sections))
    for reason in trace.scan.skipped:
        add(f"   skipped {reason}")
    for number, table_trace in enumerate(trace.tables, start=1):
        table = table_trace.table
        add("")
        add(f"== measure table {number} (line {table.line}, {'positional' if table.positional else 'by content'}"
            + (", layout text" if table.layout else "") + ")")
        add("   header: " + " | ".join(f"{h or '∅'}→{r.value}" for h, r in zip(table.header, table.roles)))
        add(f"   header rows at lines: {table.header_lines}")
        add(f"   blocks: {len(table.blocks)}")
        for repair in table.repairs:
            add(f"   continuation: {repair}")
        if show_rows:
            for row, classified in zip(table.rows, table_trace.rows):
                cells = " | ".join(_short(cell.text) if not cell.is_empty else "∅" for cell in row.cells)
                add(f"-- row line {row.line}{' (continues page)' if row.continues_page else ''}: {cells}")
                for step in steps:
                    for decision in classified.steps.get(step, []):
                        add(f"     {step}: {decision}")
        if show_tree:
            add(f"== tree of measure table {number}")
            out.extend(f"   {line}" for line in table_trace.tree)
    if not trace.tables:
        add("")
        add("== no measure table: no table block has 面向/執行策略/具體作法-style columns")
        for table in tables[:5]:
            first = table.rows[0].cells if table.rows else []
            add(f"   table block at line {table.line}: first row " + " | ".join(_short(cell.text, 12) or "∅" for cell in first))
        shown = [e for e in doc.elements if isinstance(e, Paragraph) and e.text.strip()][:8]
        for paragraph in shown:
            add(f"   paragraph line {paragraph.line}: {_short(paragraph.text, 40)}")
        if not shown and not tables:
            add("   the document has no text at all")
    add("")
    add(f"== result: {len(plan.measures)} measures, {len(plan.anomalies)} numbering anomalies, status {plan.status.value}")
    add(f"   read by: {plan.method.value}{' (table rebuilt from one-cell-per-line text)' if plan.table_rebuilt else ''}, "
        f"confidence {plan.confidence:.1f}")
    if not plan.complete:
        add(f"   looks cut: {'; '.join(plan.incomplete_reasons)}")
    for anomaly in plan.anomalies:
        add(f"   anomaly {anomaly.code} at line {anomaly.location.line}: {anomaly.message}")
    return "\n".join(out) + "\n"
