"""ODT (odfpy): real headings and tables, a CJK font for the East Asian script,
A4 pages, table headers repeated on each page."""

from __future__ import annotations

import io

from odf import teletype
from odf.element import Element
from odf.opendocument import OpenDocumentText
from odf.style import (
    DefaultStyle, FontFace, MasterPage, PageLayout, PageLayoutProperties, ParagraphProperties, Style,
    TableCellProperties, TableColumnProperties, TableProperties, TextProperties,
)
from odf.table import Table, TableCell, TableColumn, TableHeaderRows, TableRow
from odf.text import H, P

from outputs.reports.blocks import DocumentBlocks, Heading, Paragraph, TableBlock, report_blocks, summary_blocks
from outputs.reports.stable_zip import stable_zip
from outputs.reports.summary import BatchSummary
from outputs.reports.view import ReportView

EXTENSION = "odt"
FONT = "Noto Sans CJK TC"
A4 = ("21cm", "29.7cm")
MARGIN_CM = 1.5


def _text_properties(size: str, bold: bool = False) -> TextProperties:
    weight = {"fontweight": "bold", "fontweightasian": "bold", "fontweightcomplex": "bold"} if bold else {}
    return TextProperties(
        fontname=FONT, fontnameasian=FONT, fontnamecomplex=FONT,
        fontsize=size, fontsizeasian=size, fontsizecomplex=size,
        language="zh", country="TW", languageasian="zh", countryasian="TW", **weight,
    )


class _Styles:
    """The document's named styles, registered once per document."""

    def __init__(self, doc: OpenDocumentText, landscape: bool) -> None:
        doc.fontfacedecls.addElement(FontFace(name=FONT, fontfamily=f"'{FONT}'", fontfamilygeneric="swiss", fontpitch="variable"))
        default = DefaultStyle(family="paragraph")
        default.addElement(_text_properties("10.5pt"))
        doc.styles.addElement(default)

        width, height = (A4[1], A4[0]) if landscape else A4
        layout = PageLayout(name="A4")
        layout.addElement(PageLayoutProperties(
            pagewidth=width, pageheight=height, printorientation="landscape" if landscape else "portrait",
            margintop=f"{MARGIN_CM}cm", marginbottom=f"{MARGIN_CM}cm", marginleft=f"{MARGIN_CM}cm", marginright=f"{MARGIN_CM}cm",
        ))
        doc.automaticstyles.addElement(layout)
        doc.masterstyles.addElement(MasterPage(name="Standard", pagelayoutname=layout))
        self.text_width_cm = float(width.rstrip("cm")) - 2 * MARGIN_CM

        self.headings = {}
        for level, size in ((1, "18pt"), (2, "14pt"), (3, "12pt")):
            style = Style(name=f"Heading {level}", displayname=f"Heading {level}", family="paragraph",
                          defaultoutlinelevel=str(level))
            style.addElement(ParagraphProperties(margintop="0.35cm", marginbottom="0.15cm", keepwithnext="always"))
            style.addElement(_text_properties(size, bold=True))
            doc.styles.addElement(style)
            self.headings[level] = style
        self.body = Style(name="Text body", family="paragraph")
        self.body.addElement(ParagraphProperties(marginbottom="0.12cm"))
        doc.styles.addElement(self.body)
        self.note = Style(name="Note", family="paragraph", parentstylename=self.body)
        self.note.addElement(ParagraphProperties(backgroundcolor="#fff4e0", padding="0.1cm", borderleft="1.5pt solid #a15c00"))
        doc.styles.addElement(self.note)
        self.header_text = Style(name="Table header", family="paragraph")
        self.header_text.addElement(_text_properties("10pt", bold=True))
        doc.styles.addElement(self.header_text)
        self.cell_text = Style(name="Table contents", family="paragraph")
        self.cell_text.addElement(_text_properties("9.5pt"))
        doc.styles.addElement(self.cell_text)

        self.cell = Style(name="Cell", family="table-cell")
        self.cell.addElement(TableCellProperties(border="0.5pt solid #808080", padding="0.08cm"))
        doc.automaticstyles.addElement(self.cell)
        self.header_cell = Style(name="HeaderCell", family="table-cell")
        self.header_cell.addElement(TableCellProperties(border="0.5pt solid #808080", padding="0.08cm", backgroundcolor="#e6e6e6"))
        doc.automaticstyles.addElement(self.header_cell)
        self._doc = doc
        self._tables = 0

    def table_styles(self, widths: tuple[int, ...]) -> tuple[Style, list[Style]]:
        """A table style at full text width and one style per column, sized by weight."""
        self._tables += 1
        table = Style(name=f"Table{self._tables}", family="table")
        table.addElement(TableProperties(width=f"{self.text_width_cm:.2f}cm", align="margins"))
        self._doc.automaticstyles.addElement(table)
        columns = []
        for index, weight in enumerate(widths):
            column = Style(name=f"Table{self._tables}.C{index}", family="table-column")
            column.addElement(TableColumnProperties(columnwidth=f"{self.text_width_cm * weight / sum(widths):.2f}cm"))
            self._doc.automaticstyles.addElement(column)
            columns.append(column)
        return table, columns


def _paragraph(style: Style, text: str) -> P:
    element = P(stylename=style)
    teletype.addTextToElement(element, text)  # newlines become line breaks, spaces are kept
    return element


def _cell(text: str, cell_style: Style, text_style: Style) -> TableCell:
    cell = TableCell(stylename=cell_style, valuetype="string")
    cell.addElement(_paragraph(text_style, text))
    return cell


def _table(block: TableBlock, styles: _Styles, number: int) -> Table:
    table_style, column_styles = styles.table_styles(block.widths)
    table = Table(name=f"表{number}", stylename=table_style)
    for style in column_styles:
        table.addElement(TableColumn(stylename=style))
    header = TableHeaderRows()
    row = TableRow()
    for text in block.header:
        row.addElement(_cell(text, styles.header_cell, styles.header_text))
    header.addElement(row)
    table.addElement(header)
    for values in block.rows:
        row = TableRow()
        for text in values:
            row.addElement(_cell(text, styles.cell, styles.cell_text))
        table.addElement(row)
    return table


def blocks_to_odt(document: DocumentBlocks) -> bytes:
    # odfpy keeps the namespaces of every element ever made in one class-level
    # dict and declares them all; start empty so a document declares only its
    # own, whatever else this process rendered or read before.
    Element.namespaces.clear()
    doc = OpenDocumentText()
    doc.meta.addElement(_title(document.title))
    styles = _Styles(doc, document.landscape)
    tables = 0
    for block in document.blocks:
        if isinstance(block, Heading):
            heading = H(outlinelevel=block.level, stylename=styles.headings[block.level])
            teletype.addTextToElement(heading, block.text)
            doc.text.addElement(heading)
        elif isinstance(block, Paragraph):
            doc.text.addElement(_paragraph(styles.note if block.note else styles.body, block.text))
        elif isinstance(block, TableBlock):
            tables += 1
            doc.text.addElement(_table(block, styles, tables))
    buffer = io.BytesIO()
    doc.write(buffer)
    return stable_zip(buffer.getvalue(), canonical=True)


def _title(text: str):
    from odf.dc import Title

    return Title(text=text)


def render_report(view: ReportView) -> bytes:
    return blocks_to_odt(report_blocks(view))


def render_summary(summary: BatchSummary) -> bytes:
    return blocks_to_odt(summary_blocks(summary))
