"""Render the five sample plans as real documents: the format fixtures of tests/test_formats*.py.

How the committed files in tests/fixtures/formats/ were made (run scripts/make_fixtures.sh):

1. For each seed NNN, the logical content comes from its hand-checked expected file
   tests/expected/NNN.yaml (title, every measure with its path, marker, text, units and
   deadline) and the prose around the table from the seed itself (corpus/samples/NNN_*.txt:
   the title-page lines before 壹、, the sections up to the measure table and after it up to
   the annexes). Nothing else is invented: the header words are the seed's own.
2. python-docx writes NNN.docx: a title page, the sections as paragraphs, the measure table
   with a repeated header row (w:tblHeader), vertically merged (w:vMerge) dimension and
   strategy cells, a 具體作法 header spanning a sub-heading column and the items column
   (w:gridSpan) for the seeds whose items have their own parent column, items as
   paragraphs inside cells — every other row's lists numbered by Word automatic numbering
   (numbering.xml, so the "(1)" is not in the text) — and units and deadlines as one
   paragraph per top-level item. The font is Noto Sans CJK TC (標楷體 as the East Asian
   fallback name Word would use); a footer carries 第 N 頁.
3. LibreOffice headless (`soffice --convert-to`) converts each .docx to NNN.odt and to a
   tagged PDF NNN.pdf (A4 portrait; rows are allowed to break across pages and do).
4. NNN.html is written from the same logical rows: a table with rowspan/colspan.
5. Two extra PDFs where rows break across pages: 004_landscape.pdf (the 004 document with
   an A4 landscape section) and 002_portrait_breaks.pdf (002 at a larger size in portrait),
   both untagged, so the ruling-line reader is exercised without the structure tree.
   004_bands.pdf (untagged) has the units and deadlines typed the other way offices type
   them: level with their item, one unit per line, padded with line breaks to the item's
   lines, so that only the line band tells which values belong to which item. The 004
   document is rendered once to measure each item's lines, then again padded.
   Real layouts of 004's content (issue 13 item 2, --only layouts; see write_variant):
   004_borderless (no ruling lines), 004_split (one table per 面向 under its heading
   paragraph), 004_band_rows (the 面向 as full-width merged rows), 004_extra_columns
   (項次 and repeated 預期效益/預期目標/檢討管考 text from the seed's 計畫目標) and 004_outline
   (no table: a numbered outline, 「（承辦單位：…；完成期限：…）」 after each item), as .docx
   and untagged .pdf.
   004_borderless_band_rows.pdf has the 面向 as full-width rows of a table without ruling lines, set
   in bold at 20 pt (running across the first column; one closes a page);
   004_vertical_facet has the 面向 typed one character per line (line breaks) in a narrow first
   column, as plans set a column of vertical text.
   004_rotated.pdf (untagged) has its 面向 column rotated (text read bottom to top, w:textDirection
   btLr) and its 執行策略 column set vertically (top to bottom, tbRl), as many plans print them.
   001_title_wrap.pdf (untagged) has 001's title line alone on its title page at 20 pt, so that
   it wraps as 「…102年度提升服務品質執行計」 / 「畫」 (issue 13 item 7: the title, agency and
   year were lost and the gap report listed missing items the plan has).
6. Bad inputs: scanned.pdf (a page image without a text layer, drawn with Pillow),
   encrypted.pdf (001.pdf encrypted with qpdf, user password), truncated.pdf (the first
   40% of 001.pdf), corrupt.docx (001.docx with its central directory cut off) and
   zipbomb.docx (a valid zip whose word/document.xml inflates to 1 GB of spaces).

Usage: .venv/bin/python scripts/make_fixtures.py [--out tests/fixtures/formats]
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.columns import annex_kind  # noqa: E402
from normalizers.numbering import parse_marker  # noqa: E402

FONT = "Noto Sans CJK TC"
EAST_ASIA_FALLBACK = "標楷體"


@dataclass(frozen=True)
class Layout:
    """How a seed's table is laid out: its header words (the seed's own), how many
    path levels sit in heading columns, and whether the measure side has a
    sub-heading column under a header spanning two columns."""

    header: tuple[str, ...]
    heading_columns: int  # columns before the measure side
    levels_per_heading: tuple[int, ...]  # path levels shown in each heading column
    fixed_levels: int  # leading path levels that are headings even without a heading marker
    sub_column: bool
    values: tuple[str, ...] = ()  # "units" / "deadline", in column order


LAYOUTS = {
    "000": Layout(("面向", "執行策略", "具體推動作法"), 2, (1, 1), 2, True),
    "001": Layout(("面向", "執行策略", "具體推動作法"), 2, (1, 1), 2, True),
    "002": Layout(("", "實施要項", "實施(參考)方法"), 2, (1, 1), 1, False),
    "003": Layout(("實施要項", "推動作法", "完成期限", "執行單位"), 1, (3,), 0, False, ("deadline", "units")),
    "004": Layout(("面向", "執行策略", "具體作法", "承辦部門", "完成期限"), 2, (1, 1), 2, True, ("units", "deadline")),
}


# -- logical content ---------------------------------------------------------


@dataclass
class Item:
    label: str  # marker and text as written
    units: list[str] = field(default_factory=list)
    deadline: str | None = None
    children: list["Item"] = field(default_factory=list)

    def first_leaf(self) -> "Item":
        return self.children[0].first_leaf() if self.children else self


@dataclass
class LogicalRow:
    heads: list[list[str]]  # per heading column, the path labels that open there
    head_key: tuple[str, ...]
    sub: str | None
    items: list[Item] = field(default_factory=list)

    def has_values(self) -> bool:
        return any(item.first_leaf().units or item.first_leaf().deadline for item in self.items)


def _is_heading_label(label: str) -> bool:
    marker, _ = parse_marker(label)
    return marker is not None and marker.is_heading_style


def split_path(path: list[str], layout: Layout) -> tuple[list[str], list[str]]:
    """The path labels in heading columns and those on the measure side."""
    capacity = sum(layout.levels_per_heading)
    heads: list[str] = []
    for index, label in enumerate(path):
        if len(heads) >= capacity or not (index < layout.fixed_levels or _is_heading_label(label)):
            break
        heads.append(label)
    return heads, path[len(heads):]


def _label(number: str, text: str) -> str:
    return f"{number}{text}" if number else text


def _insert(items: list[Item], chain: list[str], leaf: Item) -> None:
    for label in chain:
        if not items or items[-1].label != label:
            items.append(Item(label=label))
        items = items[-1].children
    items.append(leaf)


def logical_rows(expected: dict, layout: Layout) -> list[LogicalRow]:
    rows: list[LogicalRow] = []
    for measure in expected["measures"]:
        heads, side = split_path(measure["path"], layout)
        sub = side[0] if layout.sub_column and side else None
        chain = side[1:] if sub is not None else side
        leaf = Item(label=_label(measure["number"], measure["text"]),
                    units=list(measure["departments"]), deadline=measure["deadline"])
        key = tuple(heads)
        current = rows[-1] if rows else None
        same_group = current is not None and current.head_key == key and current.sub == sub
        # An item without values does not share a row with items that have them:
        # its empty values paragraph could not be told from a missing one.
        if same_group and layout.values and current.items and not chain:
            same_group = bool(leaf.units or leaf.deadline) == current.has_values()
        if not same_group:
            current = LogicalRow(heads=_head_columns(heads, rows, layout), head_key=key, sub=sub)
            rows.append(current)
        _insert(current.items, chain, leaf)
    return rows


def _head_columns(heads: list[str], rows: list[LogicalRow], layout: Layout) -> list[list[str]]:
    """Labels per heading column: only the labels that change from the row above
    are written; an empty list continues (merges with) the cell above."""
    previous = list(rows[-1].head_key) if rows else None
    columns: list[list[str]] = []
    start = 0
    for width in layout.levels_per_heading:
        end = start + width
        mine = heads[start:end]
        if previous is not None and previous[:start] == heads[:start]:
            before = previous[start:end]
            common = 0
            while common < min(len(mine), len(before)) and mine[common] == before[common]:
                common += 1
            mine = [] if mine == before else mine[common:] if width > 1 else mine
        columns.append(mine)
        start = end
    return columns


# -- prose from the seed -----------------------------------------------------

_TABLE_LINE = re.compile(r"\t|^\s*\|")
_TAG = re.compile(r"<[^>]+>")
_MD_PREFIX = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+)")


def _prose(line: str) -> str:
    return _MD_PREFIX.sub("", html.unescape(_TAG.sub("", line))).strip()


def seed_prose(seed_text: str, expected: dict) -> tuple[list[str], list[str], list[str]]:
    """(title-page lines, sections before the table, sections after it) from the seed."""
    lines = seed_text.splitlines()
    first = min(m["line"] for m in expected["measures"])
    last = max(m["line"] for m in expected["measures"])
    title_page, before, after = [], [], []
    in_sections = False
    for line in lines[: first - 1]:
        if _TABLE_LINE.search(line):
            continue
        text = _prose(line)
        if not text:
            continue
        marker, _ = parse_marker(text)
        if marker is not None and marker.style == "壹":
            in_sections = True
        (before if in_sections else title_page).append(text)
    for line in lines[last:]:
        if _TABLE_LINE.search(line):
            continue
        text = _prose(line)
        if not text or re.fullmatch(r"[-–—\s\d第頁/]*", text):
            continue
        if annex_kind(text) or len(after) >= 40:
            break
        after.append(text)
    # The last rows of the table may run on without tabs in layout text; keep only sections.
    while after and not (parse_marker(after[0])[0] and parse_marker(after[0])[0].style == "壹"):
        after.pop(0)
    return title_page, before, after


# -- Word document -------------------------------------------------------------


class Numbering:
    """Word automatic numbering: one abstract list per marker format, one list
    instance (w:num) per numbered run of items, restarted at its first value."""

    FORMATS = {"(1)": ("decimal", "(%1)"), "1.": ("decimal", "%1."), "1、": ("decimal", "%1、")}

    def __init__(self, document) -> None:
        self.part = document.part.numbering_part
        self.root = self.part.element
        self.abstract: dict[str, int] = {}
        self.next_abstract = 900
        self.next_num = 900

    def _abstract_for(self, fmt: str) -> int:
        if fmt in self.abstract:
            return self.abstract[fmt]
        num_fmt, lvl_text = self.FORMATS[fmt]
        abstract = OxmlElement("w:abstractNum")
        abstract.set(qn("w:abstractNumId"), str(self.next_abstract))
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), "0")
        for tag, value in (("w:start", "1"), ("w:numFmt", num_fmt), ("w:suff", "nothing"), ("w:lvlText", lvl_text)):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            lvl.append(child)
        abstract.append(lvl)
        # abstractNum elements come before num elements in numbering.xml.
        nums = self.root.findall(qn("w:num"))
        if nums:
            nums[0].addprevious(abstract)
        else:
            self.root.append(abstract)
        self.abstract[fmt] = self.next_abstract
        self.next_abstract += 1
        return self.abstract[fmt]

    def new_list(self, fmt: str, start: int) -> int:
        abstract_id = self._abstract_for(fmt)
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(self.next_num))
        abstract_ref = OxmlElement("w:abstractNumId")
        abstract_ref.set(qn("w:val"), str(abstract_id))
        num.append(abstract_ref)
        override = OxmlElement("w:lvlOverride")
        override.set(qn("w:ilvl"), "0")
        start_override = OxmlElement("w:startOverride")
        start_override.set(qn("w:val"), str(start))
        override.append(start_override)
        num.append(override)
        self.root.append(num)
        self.next_num += 1
        return self.next_num - 1


def _auto_format(labels: list[str]) -> tuple[str, int, list[str]] | None:
    """When a run of sibling labels is numbered consecutively in one style Word
    can generate, its format, first value and the texts without markers."""
    texts, values, formats = [], [], set()
    for label in labels:
        marker, rest = parse_marker(label)
        if marker is None or marker.value is None:
            return None
        raw = marker.raw.strip()
        fmt = "(1)" if marker.style == "(1)" else ("1." if raw.endswith((".", "．")) else "1、" if raw.endswith("、") else None)
        if marker.style not in ("(1)", "1") or fmt is None or not rest:
            return None
        formats.add(fmt)
        values.append(marker.value)
        texts.append(rest)
    if len(formats) != 1 or values != list(range(values[0], values[0] + len(values))):
        return None
    return formats.pop(), values[0], texts


def _set_cell_font(run, size: float | None = None) -> None:
    run.font.name = FONT
    r_fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    r_fonts.set(qn("w:eastAsia"), FONT)
    if size:
        run.font.size = Pt(size)


def _style_document(document, size: float) -> None:
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(size)
    r_fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    r_fonts.set(qn("w:eastAsia"), FONT)
    r_fonts.set(qn("w:hint"), "eastAsia")
    normal.paragraph_format.space_after = Pt(2)
    # Word substitutes the East Asian font of the Normal style where Noto is missing.
    fallback = OxmlElement("w:lang")
    fallback.set(qn("w:eastAsia"), "zh-TW")
    normal.element.get_or_add_rPr().append(fallback)
    for name in ("Heading 1", "Title"):
        style = document.styles[name]
        style.font.name = FONT
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    # Word without Noto falls back to the East Asian font named here.
    r_fonts.set(qn("w:cs"), EAST_ASIA_FALLBACK)


def _page_footer(section) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("第 ")
    run = paragraph.add_run()
    for tag, attrs in (("w:fldChar", {"w:fldCharType": "begin"}), ("w:instrText", {}), ("w:fldChar", {"w:fldCharType": "end"})):
        element = OxmlElement(tag)
        for key, value in attrs.items():
            element.set(qn(key), value)
        if tag == "w:instrText":
            element.set(qn("xml:space"), "preserve")
            element.text = " PAGE "
        run._element.append(element)
    paragraph.add_run(" 頁")


class DocxWriter:
    def __init__(self, layout: Layout, size: float = 10.5, landscape: bool = False) -> None:
        self.layout = layout
        self.document = Document()
        self.size = size
        _style_document(self.document, size)
        section = self.document.sections[0]
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(2.0))
        _page_footer(section)
        self.landscape = landscape
        self.numbering = Numbering(self.document)
        self.table_rows = 0
        # Values typed level with their items (see band_docx): per top-level item in
        # table order, the lines of its band; [] while measuring, None for stacked values.
        self.bands: list[int] | None = None
        # Text direction per heading column (w:textDirection), for the rotated fixture.
        self.directions: tuple[str | None, ...] = ()
        self.borderless = False
        # The 面向 typed one character per line in a narrow first column (vertical_facet).
        self.vertical_first = False

    def paragraph(self, text: str, heading: bool = False, center: bool = False, size: float | None = None) -> None:
        paragraph = self.document.add_paragraph(style="Heading 1" if heading else None)
        run = paragraph.add_run(text)
        _set_cell_font(run, size)
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def title_page(self, lines: list[str], size: float = 18) -> None:
        for line in lines:
            self.paragraph(line, center=True, size=size)
        self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def sections(self, lines: list[str]) -> None:
        for line in lines:
            marker, _ = parse_marker(line)
            self.paragraph(line, heading=bool(marker and marker.style == "壹"))

    def _column_widths(self) -> list[float]:
        usable = (29.7 if self.landscape else 21.0) - 4.0
        n_values = len(self.layout.values)
        fixed = {1: [3.6], 2: [2.0, 2.6]}[self.layout.heading_columns]
        if self.vertical_first:  # room for one character a line
            fixed = [0.9] + fixed[1:]
        if self.layout.sub_column:
            fixed = fixed + [2.6]
        values = [2.0] * n_values
        return fixed + [usable - sum(fixed) - sum(values)] + values

    def _write_paragraph(self, cell, first: bool, text: str, num_id: int | None = None):
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(3)
        if self.bands is not None:
            # Lines kept together by widow control would move differently in each
            # cell at a page break and undo the alignment the author typed.
            paragraph.paragraph_format.widow_control = False
        if num_id is not None:
            p_pr = paragraph._p.get_or_add_pPr()
            num_pr = OxmlElement("w:numPr")
            ilvl = OxmlElement("w:ilvl")
            ilvl.set(qn("w:val"), "0")
            num = OxmlElement("w:numId")
            num.set(qn("w:val"), str(num_id))
            num_pr.append(ilvl)
            num_pr.append(num)
            p_pr.insert(0, num_pr)
        _set_cell_font(paragraph.add_run(text))
        self.last_paragraph = paragraph
        return paragraph

    def _band_lines(self, index: int, item: Item) -> int:
        """An item's band: its measured lines, or more when it has more units
        than lines (its paragraph is then padded to match)."""
        measured = self.bands[index] if self.bands and index < len(self.bands) else 1
        return max(measured, len(item.first_leaf().units), 1)

    def _write_lines(self, cell, first: bool, lines: list[str]) -> None:
        """One paragraph with each of ``lines`` on a line of its own (w:br)."""
        paragraph = self._write_paragraph(cell, first, lines[0])
        for line in lines[1:]:
            paragraph.add_run().add_break()
            _set_cell_font(paragraph.add_run(line))

    def _write_band(self, cell, first: bool, values: list[str], lines: int) -> None:
        """One paragraph per item: a value per line (a name never wraps in the
        narrow column), padded with line breaks to the lines of the item's band,
        so that the next item's values start level with it."""
        paragraph = self._write_paragraph(cell, first, values[0] if values else "")
        for value in values[1:]:
            run = paragraph.add_run()
            run.add_break()
            _set_cell_font(paragraph.add_run(value))
        for _ in range(lines - max(1, len(values))):
            paragraph.add_run().add_break()

    def _write_items(self, cell, items: list[Item], auto: bool, first: bool = True) -> bool:
        fmt = _auto_format([item.label for item in items]) if auto else None
        num_id = self.numbering.new_list(fmt[0], fmt[1]) if fmt else None
        for index, item in enumerate(items):
            text = fmt[2][index] if fmt else item.label
            self._write_paragraph(cell, first, text, num_id)
            first = False
            if item.children:
                first = self._write_items(cell, item.children, auto, first)
        return first

    def table(self, rows: list[LogicalRow]):
        layout = self.layout
        n_cols = layout.heading_columns + (2 if layout.sub_column else 1) + len(layout.values)
        table = self.document.add_table(rows=0, cols=n_cols)
        # "Normal Table" has no borders: the ruling-less layout of many plans.
        table.style = None if self.borderless else "Table Grid"
        table.autofit = False
        widths = self._column_widths()
        for column, width in zip(table.columns, widths):
            column.width = Cm(width)  # w:gridCol: LibreOffice lays the table out from the grid
        header = table.add_row()
        tr_pr = header._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        tr_pr.append(repeat)
        measure_col = layout.heading_columns
        header_cells = list(header.cells)
        for index, word in enumerate(layout.header):
            col = index if index <= measure_col else index + (1 if layout.sub_column else 0)
            self._write_paragraph(header_cells[col], True, word)
        if layout.sub_column:
            header_cells[measure_col].merge(header_cells[measure_col + 1])
        grid_rows = []
        band_index = 0
        for logical in rows:
            row = table.add_row()
            grid_rows.append(row)
            cells = list(row.cells)
            auto = len(grid_rows) % 2 == 0
            for col, labels in enumerate(logical.heads):
                for index, label in enumerate(labels):
                    if col == 0 and self.vertical_first:
                        self._write_lines(cells[col], index == 0, list(label))
                    else:
                        self._write_paragraph(cells[col], index == 0, label)
            items_col = measure_col + (1 if layout.sub_column else 0)
            if layout.sub_column and logical.sub is not None:
                self._write_paragraph(cells[measure_col], True, logical.sub)
            if self.bands is None:
                self._write_items(cells[items_col], logical.items, auto)
            else:
                first = True
                for index, item in enumerate(logical.items):
                    first = self._write_items(cells[items_col], [item], auto and len(logical.items) == 1, first)
                    if self.bands:  # measured: pad an item with more units than lines
                        measured = self.bands[band_index + index]
                        for _ in range(self._band_lines(band_index + index, item) - measured):
                            self.last_paragraph.add_run().add_break()
            for offset, kind in enumerate(layout.values):
                cell = cells[items_col + 1 + offset]
                for index, item in enumerate(logical.items):
                    leaf = item.first_leaf()
                    if self.bands is None:
                        text = "、".join(leaf.units) if kind == "units" else (leaf.deadline or "")
                        self._write_paragraph(cell, index == 0, text)
                    else:
                        values = leaf.units if kind == "units" else [leaf.deadline] if leaf.deadline else []
                        self._write_band(cell, index == 0, values, self._band_lines(band_index + index, item))
            band_index += len(logical.items)
            if layout.sub_column and logical.sub is None:
                cells[measure_col].merge(cells[items_col])
        self._merge_headings(table, rows)
        for row in table.rows:
            for cell, width in zip(row.cells, _grid_widths(widths, row)):
                cell.width = Cm(width)
        self.table_rows = len(rows)
        return table

    def _merge_headings(self, table, rows: list[LogicalRow]) -> None:
        """Merge each heading column's cells vertically over the rows a heading covers."""
        for col in range(self.layout.heading_columns):
            start = None
            for index, logical in enumerate(rows + [None]):
                opens = logical is None or bool(logical.heads[col]) or (
                    col > 0 and bool(logical.heads[col - 1]) if logical else True)
                if opens and start is not None and index - 1 > start:
                    top = table.cell(start + 1, col)
                    top.merge(table.cell(index, col))
                if opens:
                    start = index
        for col, direction in enumerate(self.directions):
            if direction:
                for row in table.rows[1:]:
                    text_direction = OxmlElement("w:textDirection")
                    text_direction.set(qn("w:val"), direction)
                    row.cells[col]._tc.get_or_add_tcPr().append(text_direction)
        # python-docx merge() leaves an empty paragraph per merged cell: drop them.
        for row in table.rows:
            # (values typed in bands keep their blank lines: they are the layout)
            for cell in row.cells if self.bands is None else row.cells[:self.layout.heading_columns + 2]:
                for paragraph in cell.paragraphs[1:]:
                    if not paragraph.text.strip():
                        paragraph._p.getparent().remove(paragraph._p)

    def set_landscape(self) -> None:
        section = self.document.sections[-1]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)

    def save(self, path: Path) -> None:
        self.document.save(str(path))


def _grid_widths(widths: list[float], row) -> list[float]:
    result, col = [], 0
    for tc in row._tr.tc_lst:
        span = tc.grid_span
        result.append(sum(widths[col:col + span]))
        col += span
    return result


def render_docx(seed: str, out: Path, size: float = 10.5, landscape: bool = False,
                bands: list[int] | None = None, directions: tuple[str | None, ...] = (),
                title_size: float | None = None, variant: str | None = None) -> Path:
    """``title_size``: the title page is only the plan's title line, set at this size.
    ``variant``: one of VARIANTS, a real layout of the same content (see write_variant)."""
    expected = yaml.safe_load((ROOT / "tests" / "expected" / f"{seed}.yaml").read_text(encoding="utf-8"))
    seed_text = next((ROOT / "corpus" / "samples").glob(f"{seed}_*.txt")).read_text(encoding="utf-8")
    layout = LAYOUTS[seed]
    title_page, before, after = seed_prose(seed_text, expected)
    writer = DocxWriter(layout, size=size, landscape=landscape)
    writer.bands = bands
    writer.directions = directions
    if landscape:
        writer.set_landscape()
    if title_size is not None:
        writer.title_page(title_page[-1:] or [expected["title"]], size=title_size)
    else:
        writer.title_page(title_page or [expected["title"]])
    writer.sections(before)
    if variant is None:
        writer.table(logical_rows(expected, layout))
    else:
        write_variant(writer, variant, expected)
    writer.sections(after)
    writer.save(out)
    return out


# -- real layouts of the same content (issue 13 item 2) ---------------------------

VARIANTS = ("borderless", "split", "band_rows", "borderless_band_rows", "extra_columns", "outline", "vertical_facet")


def _without_first_column(layout: Layout) -> Layout:
    """The layout once its first heading column (the 面向) is taken out of the table."""
    return Layout(layout.header[1:], layout.heading_columns - 1, layout.levels_per_heading[1:],
                  max(0, layout.fixed_levels - 1), layout.sub_column, layout.values)


def _groups_by_first_column(rows: list[LogicalRow]) -> list[tuple[str, list[LogicalRow]]]:
    """The rows under each first-column label, with that column taken out."""
    groups: list[tuple[str, list[LogicalRow]]] = []
    for row in rows:
        if not groups or row.head_key[:1] != (groups[-1][0],):
            groups.append((row.head_key[0], []))
        groups[-1][1].append(LogicalRow(heads=row.heads[1:], head_key=row.head_key[1:], sub=row.sub, items=row.items))
    return groups


def _band_row(table, before_tr, label: str, writer: "DocxWriter", size: float | None = None) -> None:
    """A full-width row holding ``label``, moved in front of ``before_tr``; ``size``: set in bold at
    this size, as band rows are often emphasised."""
    row = table.add_row()
    cells = list(row.cells)
    merged = cells[0].merge(cells[-1])
    paragraph = writer._write_paragraph(merged, True, label)
    if size:
        for run in paragraph.runs:
            _set_cell_font(run, size)
            run.font.bold = True
    before_tr.addprevious(row._tr)


# Band rows of the ruling-less rendering: bold at 20 pt, so that a label runs across the first column
# into the next (where a line of prose would end a table without ruling lines) and one closes a page.
BORDERLESS_BAND_SIZE = 20.0


def _extra_column(table, header: str, texts: list[str], writer: "DocxWriter", first: bool = False) -> None:
    """A column appended (or put first) with a header and one text per body row."""
    table.add_column(Cm(2.0))
    for row, text in zip(table.rows, [header] + texts):
        tc = row._tr.tc_lst[-1]
        writer._write_paragraph(row.cells[-1], True, text)
        if first:
            row._tr.tc_lst[0].addprevious(tc)
    if first:
        grid = table._tbl.tblGrid
        grid.gridCol_lst[0].addprevious(grid.gridCol_lst[-1])


# The extra columns' text is the seed's own (004, 貳、計畫目標), repeated on every row
# as offices repeat a column's text: it must never be read as a measure.
EXTRA_COLUMNS = (("預期效益", "提升本處為民服務效能"),
                 ("預期目標", "使顧客享有專業、便捷及高效率之服務"),
                 ("檢討管考", "持續推動服務效率"))


def _outline_clause(measure: dict) -> str:
    parts = []
    if measure["departments"]:
        parts.append("承辦單位：" + "、".join(measure["departments"]))
    if measure["deadline"]:
        parts.append("完成期限：" + measure["deadline"])
    return f"（{'；'.join(parts)}）" if parts else ""


def write_variant(writer: "DocxWriter", variant: str, expected: dict) -> None:
    """The measure part of the document in one of the layouts real plans use."""
    layout = writer.layout
    rows = logical_rows(expected, layout)
    band_size = None
    if variant.startswith("borderless_"):  # another layout, without ruling lines
        writer.borderless = True
        variant = variant.removeprefix("borderless_")
        band_size = BORDERLESS_BAND_SIZE
    if variant == "borderless":
        writer.borderless = True
        writer.table(rows)
    elif variant == "vertical_facet":
        writer.vertical_first = True
        writer.table(rows)
    elif variant == "extra_columns":
        table = writer.table(rows)
        body = len(table.rows) - 1
        _extra_column(table, "項次", [str(index) for index in range(1, body + 1)], writer, first=True)
        for header, text in EXTRA_COLUMNS:
            _extra_column(table, header, [text] * body, writer)
    elif variant in ("split", "band_rows"):
        writer.layout = _without_first_column(layout)
        groups = _groups_by_first_column(rows)
        if variant == "split":
            for label, group in groups:
                writer.paragraph(label)
                writer.table(group)
        else:
            table = writer.table([row for _, group in groups for row in group])
            trs = [row._tr for row in table.rows[1:]]
            start = 0
            for label, group in groups:
                _band_row(table, trs[start], label, writer, band_size)
                start += len(group)
        writer.layout = layout
    elif variant == "outline":
        for line in outline_lines(expected):
            writer.paragraph(line)
    else:
        raise ValueError(f"unknown layout variant: {variant}")


def outline_lines(expected: dict) -> list[str]:
    """The measures as a numbered outline: each path label once, where the path
    changes, then the measure with its owner clause."""
    lines: list[str] = []
    written: list[str] = []
    for measure in expected["measures"]:
        path = measure["path"]
        common = 0
        while common < min(len(path), len(written)) and path[common] == written[common]:
            common += 1
        lines.extend(path[common:])
        written = list(path)
        lines.append(_label(measure["number"], measure["text"]) + _outline_clause(measure))
    return lines


# -- HTML ----------------------------------------------------------------------


def _html_items(items: list[Item]) -> list[str]:
    parts = []
    for item in items:
        parts.append(f"<p>{html.escape(item.label)}</p>")
        parts.extend(_html_items(item.children))
    return parts


def render_html(seed: str, out: Path) -> Path:
    expected = yaml.safe_load((ROOT / "tests" / "expected" / f"{seed}.yaml").read_text(encoding="utf-8"))
    seed_text = next((ROOT / "corpus" / "samples").glob(f"{seed}_*.txt")).read_text(encoding="utf-8")
    layout = LAYOUTS[seed]
    rows = logical_rows(expected, layout)
    title_page, before, after = seed_prose(seed_text, expected)
    body = [f"<h1>{html.escape(line)}</h1>" for line in title_page or [expected["title"]]]
    body += [f"<p>{html.escape(line)}</p>" for line in before]
    body.append('<table border="1">')
    header = []
    for index, word in enumerate(layout.header):
        span = ' colspan="2"' if layout.sub_column and index == layout.heading_columns else ""
        header.append(f"<th{span}>{html.escape(word)}</th>")
    body.append("<thead><tr>" + "".join(header) + "</tr></thead><tbody>")
    spans = _heading_spans(rows, layout)
    for index, logical in enumerate(rows):
        cells = []
        for col in range(layout.heading_columns):
            span = spans.get((index, col))
            if span is None:
                continue  # covered by a rowspan above
            content = "".join(f"<p>{html.escape(label)}</p>" for label in logical.heads[col])
            cells.append(f'<td rowspan="{span}">{content}</td>' if span > 1 else f"<td>{content}</td>")
        items = "".join(_html_items(logical.items))
        if layout.sub_column and logical.sub is None:
            cells.append(f'<td colspan="2">{items}</td>')
        else:
            if layout.sub_column:
                cells.append(f"<td><p>{html.escape(logical.sub)}</p></td>")
            cells.append(f"<td>{items}</td>")
        for kind in layout.values:
            values = ["、".join(item.first_leaf().units) if kind == "units" else (item.first_leaf().deadline or "")
                      for item in logical.items]
            cells.append("<td>" + "".join(f"<p>{html.escape(value)}</p>" for value in values) + "</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    body.append("</tbody></table>")
    body += [f"<p>{html.escape(line)}</p>" for line in after]
    title = html.escape(expected["title"])
    document = (f'<!DOCTYPE html>\n<html lang="zh-Hant"><head><meta charset="utf-8"><title>{title}</title></head>\n'
                "<body>\n" + "\n".join(body) + "\n</body></html>\n")
    out.write_text(document, encoding="utf-8")
    return out


def _heading_spans(rows: list[LogicalRow], layout: Layout) -> dict[tuple[int, int], int]:
    """(row, col) → rowspan of each heading cell that is written (others are covered)."""
    spans: dict[tuple[int, int], int] = {}
    for col in range(layout.heading_columns):
        start = None
        for index, logical in enumerate(rows + [None]):
            opens = logical is None or bool(logical.heads[col]) or (col > 0 and bool(logical.heads[col - 1]))
            if opens:
                if start is not None:
                    spans[(start, col)] = index - start
                start = index
    return spans


# -- conversions and bad inputs ------------------------------------------------


def soffice(source: Path, target_format: str, out_dir: Path) -> Path:
    """Convert with LibreOffice headless into out_dir (an isolated profile keeps runs independent)."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", target_format,
             "--outdir", str(out_dir), str(source)],
            check=True, capture_output=True, timeout=300,
        )
    return out_dir / f"{source.stem}.{target_format.split(':')[0]}"


TAGGED_PDF = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'
UNTAGGED_PDF = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"false"}}'


def scanned_pdf(out: Path) -> None:
    from PIL import Image, ImageDraw

    image = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(image)
    for y in range(200, 1500, 60):  # ruled table lines and blots where text would be
        draw.line([(100, y), (1140, y)], fill=0, width=2)
        draw.rectangle([(130, y + 18), (130 + (y * 7) % 800, y + 40)], fill=90)
    image.save(out, "PDF", resolution=150)


def zip_bomb(out: Path, size: int = 1024**3) -> None:
    """A .docx-shaped zip whose document.xml inflates to ``size`` bytes."""
    chunk = b" " * (16 * 1024 * 1024)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(size // len(chunk)):
                member.write(chunk)


def bad_inputs(out: Path) -> None:
    scanned_pdf(out / "scanned.pdf")
    subprocess.run(["qpdf", "--encrypt", "plancheck", "owner-secret", "256", "--", str(out / "001.pdf"),
                    str(out / "encrypted.pdf")], check=True)
    data = (out / "001.pdf").read_bytes()
    (out / "truncated.pdf").write_bytes(data[: int(len(data) * 0.4)])
    docx = (out / "001.docx").read_bytes()
    (out / "corrupt.docx").write_bytes(docx[: docx.rfind(b"PK\x01\x02") - 200])
    zip_bomb(out / "zipbomb.docx")


def measured_bands(pdf_path: Path, rows: list[LogicalRow]) -> list[int]:
    """Lines of each top-level item's band in a tagged rendering of the table:
    the text lines of its paragraph and its sub-items' paragraphs, counted from
    their chars on every page they run over."""
    import pdfplumber

    from extractor.readers.pdf_tagged import read_structure

    with pdfplumber.open(pdf_path) as pdf:
        tree = read_structure(pdf.doc, {page.page_obj.pageid: page.page_number for page in pdf.pages})
        chars: dict[tuple[int, int], list[dict]] = {}
        for page in pdf.pages:
            for char in page.chars:
                if char.get("mcid") is not None and char["text"].strip():
                    chars.setdefault((page.page_number, char["mcid"]), []).append(char)

    def mcids(element: dict) -> list[tuple[int, int]]:
        return element["mcids"] + [key for child in element["children"] for key in mcids(child)]

    paragraphs: list[tuple[str, int]] = []  # (text, lines) of every P, in document order

    def walk(element: dict) -> None:
        if element["type"] == "P":
            own = [char for key in sorted(set(mcids(element))) for char in chars.get(key, [])]
            text = "".join(char["text"] for char in own)
            lines = len({(char["page_number"], round(char["top"])) for char in own})
            paragraphs.append((re.sub(r"\s", "", text), lines))
            return
        for child in element["children"]:
            walk(child)

    for root in tree:
        walk(root)

    def lines_of(item: Item, start: int) -> tuple[int, int]:
        """Lines of the item and its sub-items, and where the search goes on."""
        _, text = parse_marker(item.label)
        key = re.sub(r"\s", "", text)[:10]
        index = next(i for i in range(start, len(paragraphs)) if key in paragraphs[i][0])
        total = paragraphs[index][1]
        position = index + 1
        for child in item.children:
            lines, position = lines_of(child, position)
            total += lines
        return total, position

    bands: list[int] = []
    position = 0
    for logical in rows:
        for item in logical.items:
            lines, position = lines_of(item, position)
            bands.append(lines)
    return bands


def band_docx(seed: str, work_dir: Path) -> Path:
    """The seed with units and deadlines typed level with their items: rendered
    once to measure each item's lines, then again with every values paragraph
    padded to its item's band."""
    layout = LAYOUTS[seed]
    expected = yaml.safe_load((ROOT / "tests" / "expected" / f"{seed}.yaml").read_text(encoding="utf-8"))
    rows = logical_rows(expected, layout)
    first = render_docx(seed, work_dir / f"{seed}_measure.docx", bands=[])
    bands = measured_bands(soffice(first, TAGGED_PDF, work_dir), rows)
    return render_docx(seed, work_dir / f"{seed}_bands.docx", bands=bands)


# Which real layouts are rendered to which formats (issue 13 item 2), all from seed 004.
LAYOUT_FIXTURES = {"borderless": ("docx", "pdf"), "split": ("docx", "pdf"), "band_rows": ("docx", "pdf"),
                   "borderless_band_rows": ("pdf",), "extra_columns": ("docx",), "outline": ("docx", "pdf"),
                   "vertical_facet": ("docx", "pdf")}


def layout_fixtures(work_dir: Path, out: Path) -> list[str]:
    """004_<variant>.docx and untagged 004_<variant>.pdf for each real layout."""
    names = []
    for variant, formats in LAYOUT_FIXTURES.items():
        docx = render_docx("004", work_dir / f"004_{variant}.docx", variant=variant)
        if "docx" in formats:
            shutil.copy(docx, out / docx.name)
            names.append(docx.name)
        if "pdf" in formats:
            pdf = soffice(docx, UNTAGGED_PDF, work_dir)
            shutil.copy(pdf, out / pdf.name)
            names.append(pdf.name)
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "fixtures" / "formats")
    parser.add_argument("--only", choices=["bands", "rotated", "title_wrap", "layouts"], help="make only this fixture")
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        if args.only in (None, "bands"):
            shutil.copy(soffice(band_docx("004", work_dir), UNTAGGED_PDF, work_dir), out / "004_bands.pdf")
            print("004_bands.pdf")
        if args.only in (None, "rotated"):
            rotated = render_docx("004", work_dir / "004_rotated.docx", directions=("btLr", "tbRl"))
            shutil.copy(soffice(rotated, UNTAGGED_PDF, work_dir), out / "004_rotated.pdf")
            print("004_rotated.pdf")
        if args.only in (None, "title_wrap"):
            wrapped = render_docx("001", work_dir / "001_title_wrap.docx", title_size=20)
            shutil.copy(soffice(wrapped, UNTAGGED_PDF, work_dir), out / "001_title_wrap.pdf")
            print("001_title_wrap.pdf")
        if args.only in (None, "layouts"):
            for name in layout_fixtures(work_dir, out):
                print(name)
    if args.only:
        return
    for seed in sorted(LAYOUTS):
        docx = render_docx(seed, out / f"{seed}.docx")
        soffice(docx, "odt", out)
        soffice(docx, TAGGED_PDF, out)
        render_html(seed, out / f"{seed}.html")
        print(f"{seed}: docx odt pdf html")
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        landscape = render_docx("004", work_dir / "004_landscape.docx", landscape=True)
        shutil.copy(soffice(landscape, UNTAGGED_PDF, work_dir), out / "004_landscape.pdf")
        portrait = render_docx("002", work_dir / "002_portrait_breaks.docx", size=13)
        shutil.copy(soffice(portrait, UNTAGGED_PDF, work_dir), out / "002_portrait_breaks.pdf")
    bad_inputs(out)
    print("bad inputs: scanned encrypted truncated corrupt zipbomb")


if __name__ == "__main__":
    main()
