"""DOCX (python-docx): real headings and tables, the CJK font set for the East
Asian script (w:eastAsia, which Word uses for Chinese), A4 pages, table headers
repeated on each page."""

from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.table import Table

from outputs.reports.blocks import DocumentBlocks, Heading, Paragraph, TableBlock, report_blocks, summary_blocks
from outputs.reports.stable_zip import stable_zip
from outputs.reports.summary import BatchSummary
from outputs.reports.view import ReportView

EXTENSION = "docx"
FONT = "Noto Sans CJK TC"
A4 = (Mm(210), Mm(297))
MARGIN = Mm(15)
_BREAKS = re.compile(r"(\t|\r|\n)")


def set_font(style: BaseStyle, size: float | None = None) -> None:
    """Name the CJK font for every script; python-docx's font.name alone leaves
    Chinese to the theme's East Asian font."""
    style.font.name = FONT
    if size:
        style.font.size = Pt(size)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    language = style.element.get_or_add_rPr().find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        style.element.get_or_add_rPr().append(language)
    language.set(qn("w:eastAsia"), "zh-TW")


def _setup(document, landscape: bool) -> None:
    section = document.sections[0]
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    set_font(document.styles["Normal"], 10.5)
    for level, size in ((1, 18), (2, 14), (3, 12)):
        style = document.styles[f"Heading {level}"]
        set_font(style, size)
        style.font.color.rgb = RGBColor(0x1A, 0x1A, 0x1A)
    set_font(document.styles["Title"])


def _repeat_header(table: Table) -> None:
    properties = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _text_run(text: str):
    """``<w:r>`` with the text as python-docx's ``run.text`` writes it (tabs and
    line breaks as elements), built directly: the per-cell python-docx calls
    were most of the time of a report."""
    run = OxmlElement("w:r")
    for index, part in enumerate(_BREAKS.split(text)):
        if index % 2:
            run.append(OxmlElement("w:tab" if part == "\t" else "w:br"))
        elif part:
            element = OxmlElement("w:t")
            element.text = part
            if len(part.strip()) < len(part):
                element.set(qn("xml:space"), "preserve")
            run.append(element)
    return run


def _row(values: tuple[str, ...], widths: list[str]):
    row = OxmlElement("w:tr")
    for text, width in zip(values, widths):
        cell = OxmlElement("w:tc")
        properties = OxmlElement("w:tcPr")
        cell_width = OxmlElement("w:tcW")
        cell_width.set(qn("w:type"), "dxa")
        cell_width.set(qn("w:w"), width)
        properties.append(cell_width)
        paragraph = OxmlElement("w:p")
        paragraph.append(_text_run(text))
        cell.extend((properties, paragraph))
        row.append(cell)
    return row


def _table(document, block: TableBlock, text_width) -> None:
    table = document.add_table(rows=1, cols=len(block.header))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [int(text_width * weight / sum(block.widths)) for weight in block.widths]
    for column, width in zip(table.columns, widths):
        column.width = width  # the grid LibreOffice reads; Word reads the cells' widths
    for cell, text, width in zip(table.rows[0].cells, block.header, widths):
        cell.text = text
        cell.width = width
        for run in cell.paragraphs[0].runs:
            run.bold = True
    _repeat_header(table)
    twips = [tc.find(qn("w:tcPr")).find(qn("w:tcW")).get(qn("w:w")) for tc in table._tbl.tr_lst[0].tc_lst]
    table._tbl.extend(_row(values, twips) for values in block.rows)


class _Styles:
    """Paragraph style ids, looked up once a document: python-docx searches the
    whole styles part for every name it is given."""

    def __init__(self, document) -> None:
        self.document = document
        self.ids: dict[str, str] = {}

    def apply(self, paragraph, name: str) -> None:
        if name not in self.ids:
            style = self.document.styles[name]
            if name == "Intense Quote":
                set_font(style)
            self.ids[name] = style.style_id
        paragraph._p.style = self.ids[name]


def blocks_to_docx(blocks: DocumentBlocks) -> bytes:
    document = Document()
    _setup(document, blocks.landscape)
    document.core_properties.title = blocks.title
    section = document.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    styles = _Styles(document)
    for block in blocks.blocks:
        if isinstance(block, Heading):
            styles.apply(document.add_paragraph(block.text), f"Heading {block.level}")
        elif isinstance(block, Paragraph):
            paragraph = document.add_paragraph(block.text)
            if block.note:
                styles.apply(paragraph, "Intense Quote")
        elif isinstance(block, TableBlock):
            _table(document, block, text_width)
    buffer = io.BytesIO()
    document.save(buffer)
    return stable_zip(buffer.getvalue())


def render_report(view: ReportView) -> bytes:
    return blocks_to_docx(report_blocks(view))


def render_summary(summary: BatchSummary) -> bytes:
    return blocks_to_docx(summary_blocks(summary))
