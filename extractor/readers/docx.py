"""Word .docx plans, read with python-docx and its lxml elements.

python-docx's ``table.cell()`` repeats a merged cell at every grid position it
covers, so the table grid is read from the XML instead: ``w:gridSpan`` gives a
cell's width in grid columns and ``w:vMerge`` marks the cells a vertically
merged cell covers, which become ``covered`` cells without text. Automatic list
numbering is not in the text; it is rebuilt from numbering.xml (numId →
abstractNum → level format, template and start) with a counter per list and
level. Nested tables are flattened into the paragraphs of their cell.

Location: ``line`` is the 1-based ordinal of the block in document order,
counting body paragraphs and table rows (a table row is one block)."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from extractor.elements import Cell, Document, Paragraph, Row, Table
from extractor.errors import CorruptFile
from extractor.readers.base import Probe, ReadLimits
from extractor.readers.listnumbers import Counters, format_number

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_LEVEL_REF = re.compile(r"%([1-9])")
# Bullet glyphs Word writes in Symbol/Wingdings private-use code points.
_SYMBOL_BULLETS = {"\uf0b7": "●", "\uf0a7": "■", "\uf0d8": "◆", "\uf076": "◆", "\uf0fc": "✓", "\uf06e": "■"}


def _val(element, tag: str) -> str | None:
    child = element.find(W + tag) if element is not None else None
    return child.get(W + "val") if child is not None else None


@dataclass
class _Level:
    fmt: str
    text: str
    start: int


@dataclass
class WordNumbering:
    """numbering.xml: list instances, their abstract definitions and counters."""

    abstract: dict[str, dict[int, _Level]] = field(default_factory=dict)
    nums: dict[str, tuple[str, dict[int, int]]] = field(default_factory=dict)  # numId → (abstractId, start overrides)
    counters: dict[str, Counters] = field(default_factory=dict)
    style_numbering: dict[str, tuple[str, int]] = field(default_factory=dict)  # styleId → (numId, ilvl)

    @classmethod
    def of(cls, document) -> "WordNumbering":
        numbering = cls()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            root = None
        if root is not None:
            for abstract in root.findall(W + "abstractNum"):
                levels = {}
                for lvl in abstract.findall(W + "lvl"):
                    levels[int(lvl.get(W + "ilvl", "0"))] = _Level(
                        fmt=_val(lvl, "numFmt") or "decimal",
                        text=_val(lvl, "lvlText") or "",
                        start=int(_val(lvl, "start") or 1),
                    )
                numbering.abstract[abstract.get(W + "abstractNumId")] = levels
            for num in root.findall(W + "num"):
                overrides = {}
                for override in num.findall(W + "lvlOverride"):
                    start = _val(override, "startOverride")
                    if start is not None:
                        overrides[int(override.get(W + "ilvl", "0"))] = int(start)
                numbering.nums[num.get(W + "numId")] = (_val(num, "abstractNumId") or "", overrides)
        for style in document.styles.element.findall(W + "style"):
            num_pr = style.find(f"{W}pPr/{W}numPr")
            if num_pr is not None and _val(num_pr, "numId"):
                numbering.style_numbering[style.get(W + "styleId")] = (_val(num_pr, "numId"), int(_val(num_pr, "ilvl") or 0))
        return numbering

    def label(self, num_id: str, level: int) -> str:
        """The label of the next item of list ``num_id`` at ``level``."""
        if num_id not in self.nums:
            return ""
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstract.get(abstract_id, {})
        if level not in levels:
            return ""
        # Lists of one abstract definition continue each other unless restarted.
        key = num_id if overrides else f"abstract:{abstract_id}"
        counters = self.counters.setdefault(key, Counters())
        first_use = level not in counters.values
        restart = overrides.get(level) if first_use and level in overrides else None
        values = counters.advance(level, levels[level].start, restart)
        definition = levels[level]
        if definition.fmt == "bullet":
            return "".join(_SYMBOL_BULLETS.get(ch, ch) for ch in definition.text)

        def number(match: re.Match[str]) -> str:
            ref = int(match.group(1)) - 1
            ref_level = levels.get(ref)
            value = values.get(ref, ref_level.start if ref_level else 1)
            return format_number(value, ref_level.fmt if ref_level else "decimal")

        return _LEVEL_REF.sub(number, definition.text)

    def paragraph_label(self, p) -> str:
        p_pr = p.find(W + "pPr")
        num_pr = p_pr.find(W + "numPr") if p_pr is not None else None
        if num_pr is not None:
            num_id, level = _val(num_pr, "numId"), int(_val(num_pr, "ilvl") or 0)
        else:
            style_id = _val(p_pr, "pStyle") if p_pr is not None else None
            num_id, level = self.style_numbering.get(style_id, (None, 0)) if style_id else (None, 0)
        if not num_id or num_id == "0":
            return ""
        return self.label(num_id, level)


_RUN_CONTENT = ".//w:r[not(ancestor::w:del)]/*[self::w:t or self::w:tab or self::w:br or self::w:cr or self::w:noBreakHyphen]"


def paragraph_lines(p, numbering: WordNumbering) -> list[str]:
    """A paragraph's visual lines (w:br and w:cr break them), its automatic
    number in front."""
    parts = [numbering.paragraph_label(p)]
    for element in p.xpath(_RUN_CONTENT):  # python-docx elements know the w: prefix
        tag = element.tag[len(W):]
        if tag == "t":
            parts.append(element.text or "")
        elif tag == "tab":
            parts.append(" ")
        elif tag == "noBreakHyphen":
            parts.append("-")
        elif element.get(W + "type") != "page":
            parts.append("\n")
    return [line.strip() for line in "".join(parts).split("\n") if line.strip()]


def _block_children(element):
    """Paragraphs and tables of a body or cell, through content controls."""
    for child in element:
        if child.tag in (W + "p", W + "tbl"):
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            content = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if content is not None:
                yield from _block_children(content)


def cell_paragraphs(tc, numbering: WordNumbering) -> list[list[str]]:
    paragraphs: list[list[str]] = []
    for block in _block_children(tc):
        if block.tag == W + "p":
            lines = paragraph_lines(block, numbering)
            if lines:
                paragraphs.append(lines)
        else:  # a nested table: its cells' paragraphs, row by row
            for tr in block.findall(W + "tr"):  # its own rows: nested tables are reached by the recursion
                for inner in _row_cells(tr):
                    paragraphs.extend(cell_paragraphs(inner, numbering))
    return paragraphs


def _row_cells(tr):
    for child in tr:
        if child.tag == W + "tc":
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            content = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if content is not None:
                yield from _row_cells(content)


def read_table(tbl, numbering: WordNumbering, first_line: int) -> Table:
    """The table's grid: one Cell per grid position, covered positions marked."""
    rows: list[Row] = []
    open_merges: dict[int, Cell] = {}  # grid column → the cell a vMerge continues
    for index, tr in enumerate(tbl.findall(W + "tr")):
        tr_pr = tr.find(W + "trPr")
        col = int(_val(tr_pr, "gridBefore") or 0)
        cells: list[Cell] = [Cell(paragraphs=[], col=c, covered=True) for c in range(col)]
        for tc in _row_cells(tr):
            tc_pr = tc.find(W + "tcPr")
            span = int(_val(tc_pr, "gridSpan") or 1)
            merge_element = tc_pr.find(W + "vMerge") if tc_pr is not None else None
            merge = None if merge_element is None else (merge_element.get(W + "val") or "continue")
            if merge == "continue" and col in open_merges:
                open_merges[col].rowspan += 1
                cell = Cell(paragraphs=[], col=col, colspan=span, covered=True)
            else:
                cell = Cell(paragraphs=cell_paragraphs(tc, numbering), col=col, colspan=span)
                if merge == "restart":
                    open_merges[col] = cell
                else:
                    open_merges.pop(col, None)
            cells.append(cell)
            cells.extend(Cell(paragraphs=[], col=c, covered=True) for c in range(col + 1, col + span))
            col += span
        rows.append(Row(cells=cells, line=first_line + index))
    return Table(rows=rows, positional=True, line=first_line)


# Strict Open XML (ISO 29500 Strict, which Word offers as "Strict Open XML
# Document") names the same vocabulary under purl.oclc.org namespaces, which
# python-docx does not know: they are mapped to the transitional ones.
_STRICT = re.compile(rb"http://purl\.oclc\.org/ooxml/(\w+)/(\w+)")
_STRICT_NAMES = {b"extendedProperties": b"extended-properties", b"customProperties": b"custom-properties"}
_STRICT_CONFORMANCE = re.compile(rb'\s(?:\w+:)?conformance="strict"')


def _transitional_uri(match: re.Match[bytes]) -> bytes:
    group, name = match.group(1), match.group(2)
    return b"http://schemas.openxmlformats.org/%s/2006/%s" % (group, _STRICT_NAMES.get(name, name))


def is_strict(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            return b"purl.oclc.org/ooxml/" in archive.read("_rels/.rels")
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False


def transitional(data: bytes) -> bytes:
    """A Strict package rewritten with transitional namespaces (the part names
    and the content are the same in both)."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename.endswith((".xml", ".rels")):
                content = _STRICT_CONFORMANCE.sub(b"", _STRICT.sub(_transitional_uri, content))
            target.writestr(info, content)
    return out.getvalue()


def sniff(probe: Probe) -> bool:
    names = probe.zip_names
    return bool(names) and ("word/document.xml" in names
                            or b"wordprocessingml.document.main" in probe.zip_member("[Content_Types].xml"))


def read(path: Path, data: bytes, limits: ReadLimits) -> Document:
    return read_docx(path, transitional(data) if is_strict(data) else data)


def read_docx(path: Path, data: bytes) -> Document:
    import docx  # on first use: python-docx and lxml are 15 MB that a PDF plan never needs
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as error:
        raise CorruptFile(path, f"不是可讀取的 .docx 檔：{type(error).__name__}") from None
    except Exception as error:  # lxml and zipfile errors of a damaged package
        raise CorruptFile(path, type(error).__name__) from None
    numbering = WordNumbering.of(document)
    elements: list[Paragraph | Table] = []
    line = 1
    for block in _block_children(document.element.body):
        if block.tag == W + "p":
            lines = paragraph_lines(block, numbering)
            if lines:
                elements.append(Paragraph(text=" ".join(lines), line=line))
            line += 1
        else:
            table = read_table(block, numbering, line)
            elements.append(table)
            line += len(table.rows)
    return Document(elements=elements)
