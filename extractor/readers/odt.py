"""OpenDocument text (.odt) plans, read with odfpy.

Tables keep their grid: ``table:number-columns-spanned`` / ``number-rows-spanned``
give a cell's spans and ``table:covered-table-cell`` the positions it covers,
which become ``covered`` cells. Automatic list numbering is rebuilt from the
list styles (``text:list-level-style-number``: num-format, num-prefix,
num-suffix, start-value, display-levels) with counters per list; a list that
``continue-numbering``/``continue-list`` continues another shares its counters.

Location: ``line`` is the 1-based ordinal of the block in document order,
counting paragraphs and headings outside tables and table rows."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from xml.parsers.expat import ExpatError

from odf.namespaces import STYLENS, TABLENS, TEXTNS, XMLNS

from extractor.elements import Cell, Document, Paragraph, Row, Table
from extractor.errors import CorruptFile, EncryptedFile
from extractor.readers.base import Probe, ReadLimits
from extractor.readers.listnumbers import Counters, format_number

_MAX_REPEAT = 64  # repeated empty columns/rows at a table's edge are padding


def node_name(node) -> tuple[str, str] | None:
    return getattr(node, "qname", None)


def node_attribute(node, namespace: str, name: str) -> str | None:
    for (ns, local), value in node.attributes.items():
        if ns == namespace and local == name:
            return value
    return None


@dataclass
class _ListLevel:
    fmt: str
    prefix: str
    suffix: str
    start: int
    display: int
    bullet: str | None = None


@dataclass
class ListStyles:
    styles: dict[str, dict[int, _ListLevel]] = field(default_factory=dict)
    paragraph_list_style: dict[str, str] = field(default_factory=dict)  # paragraph style → list style

    @classmethod
    def of(cls, document) -> "ListStyles":
        result = cls()
        for container in (document.styles, document.automaticstyles):
            for node in container.childNodes:
                qname = node_name(node)
                if qname == (TEXTNS, "list-style"):
                    result.styles[node_attribute(node, STYLENS, "name")] = _levels(node)
                elif qname == (STYLENS, "style"):
                    list_style = node_attribute(node, STYLENS, "list-style-name")
                    if list_style:
                        result.paragraph_list_style[node_attribute(node, STYLENS, "name")] = list_style
        return result


def _levels(list_style) -> dict[int, _ListLevel]:
    levels = {}
    for node in list_style.childNodes:
        qname = node_name(node)
        if qname not in ((TEXTNS, "list-level-style-number"), (TEXTNS, "list-level-style-bullet")):
            continue
        level = int(node_attribute(node, TEXTNS, "level") or 1)
        bullet = node_attribute(node, TEXTNS, "bullet-char") if qname[1] == "list-level-style-bullet" else None
        levels[level] = _ListLevel(
            fmt=node_attribute(node, STYLENS, "num-format") or "",
            prefix=node_attribute(node, STYLENS, "num-prefix") or "",
            suffix=node_attribute(node, STYLENS, "num-suffix") or "",
            start=int(node_attribute(node, TEXTNS, "start-value") or 1),
            display=int(node_attribute(node, TEXTNS, "display-levels") or 1),
            bullet=bullet,
        )
    return levels


@dataclass
class _Reader:
    styles: ListStyles
    counters: dict[str, Counters] = field(default_factory=dict)  # list id → counters
    last_list_of_style: dict[str, str] = field(default_factory=dict)
    line: int = 1

    # -- text -------------------------------------------------------------------

    def inline_text(self, node, parts: list[str]) -> None:
        for child in node.childNodes:
            if child.nodeType == child.TEXT_NODE:
                parts.append(child.data)
                continue
            qname = node_name(child)
            if qname == (TEXTNS, "s"):
                parts.append(" " * int(node_attribute(child, TEXTNS, "c") or 1))
            elif qname == (TEXTNS, "tab"):
                parts.append(" ")
            elif qname == (TEXTNS, "line-break"):
                parts.append("\n")
            elif qname in ((TEXTNS, "note"), (TEXTNS, "tracked-changes")) or (qname and qname[1] == "frame"):
                continue  # footnotes and frames are not the paragraph's text
            else:
                self.inline_text(child, parts)

    def lines(self, paragraph, label: str = "") -> list[str]:
        parts = [label]
        self.inline_text(paragraph, parts)
        return [line.strip() for line in "".join(parts).split("\n") if line.strip()]

    # -- lists --------------------------------------------------------------------

    def _label(self, style: dict[int, _ListLevel], level: int, counters: Counters, restart: int | None) -> str:
        definition = style.get(level)
        if definition is None:
            return ""
        if definition.bullet is not None:
            return definition.bullet
        values = counters.advance(level, definition.start, restart)
        if not definition.fmt:
            return ""
        shown = range(max(1, level - definition.display + 1), level + 1)
        number = ".".join(format_number(values.get(lvl, style[lvl].start if lvl in style else 1),
                                        style[lvl].fmt if lvl in style else "1") for lvl in shown)
        return f"{definition.prefix}{number}{definition.suffix}"

    def list_paragraphs(self, node, style_name: str | None, level: int, counters: Counters | None) -> list[list[str]]:
        """The paragraphs of a text:list, each numbered."""
        style_name = node_attribute(node, TEXTNS, "style-name") or style_name
        if counters is None:  # an outermost list: new counters unless it continues another
            continues = node_attribute(node, TEXTNS, "continue-list")
            if continues is None and node_attribute(node, TEXTNS, "continue-numbering") == "true" and style_name:
                continues = self.last_list_of_style.get(style_name)
            list_id = node_attribute(node, XMLNS, "id") or f"list-{id(node)}"
            counters = self.counters[continues] if continues in self.counters else Counters()
            self.counters[list_id] = counters
            if style_name:
                self.last_list_of_style[style_name] = list_id
        style = self.styles.styles.get(style_name or "", {})
        paragraphs: list[list[str]] = []
        for item in node.childNodes:
            qname = node_name(item)
            if qname not in ((TEXTNS, "list-item"), (TEXTNS, "list-header")):
                continue
            restart = node_attribute(item, TEXTNS, "start-value")
            numbered = qname[1] == "list-item"
            for child in item.childNodes:
                child_name = node_name(child)
                if child_name in ((TEXTNS, "p"), (TEXTNS, "h")):
                    label = self._label(style, level, counters, int(restart) if restart else None) if numbered else ""
                    numbered, restart = False, None  # further paragraphs of the item carry no number
                    lines = self.lines(child, label)
                    if lines:
                        paragraphs.append(lines)
                elif child_name == (TEXTNS, "list"):
                    paragraphs.extend(self.list_paragraphs(child, style_name, level + 1, counters))
                elif child_name == (TABLENS, "table"):
                    paragraphs.extend(self.flattened_table(child))
        return paragraphs

    def paragraph_label(self, paragraph) -> str:
        """A paragraph numbered through its paragraph style's list style."""
        style_name = self.styles.paragraph_list_style.get(node_attribute(paragraph, TEXTNS, "style-name") or "")
        if not style_name:
            return ""
        counters = self.counters.setdefault(f"style:{style_name}", Counters())
        return self._label(self.styles.styles.get(style_name, {}), 1, counters, None)

    # -- blocks -------------------------------------------------------------------

    def block_paragraphs(self, node) -> list[list[str]]:
        """Paragraphs of a cell or list item's content."""
        paragraphs: list[list[str]] = []
        for child in node.childNodes:
            qname = node_name(child)
            if qname in ((TEXTNS, "p"), (TEXTNS, "h")):
                lines = self.lines(child, self.paragraph_label(child))
                if lines:
                    paragraphs.append(lines)
            elif qname == (TEXTNS, "list"):
                paragraphs.extend(self.list_paragraphs(child, None, 1, None))
            elif qname == (TABLENS, "table"):
                paragraphs.extend(self.flattened_table(child))
            elif qname == (TEXTNS, "section"):
                paragraphs.extend(self.block_paragraphs(child))
        return paragraphs

    def flattened_table(self, table) -> list[list[str]]:
        paragraphs: list[list[str]] = []
        for row in self.table_rows(table):
            for cell in row.childNodes:
                if node_name(cell) == (TABLENS, "table-cell"):
                    paragraphs.extend(self.block_paragraphs(cell))
        return paragraphs

    def table_rows(self, node) -> list:
        rows = []
        for child in node.childNodes:
            qname = node_name(child)
            if qname == (TABLENS, "table-row"):
                repeat = min(int(node_attribute(child, TABLENS, "number-rows-repeated") or 1), _MAX_REPEAT)
                rows.extend([child] * repeat)
            elif qname in ((TABLENS, "table-header-rows"), (TABLENS, "table-rows"), (TABLENS, "table-row-group")):
                rows.extend(self.table_rows(child))
        return rows

    def table(self, node) -> Table:
        first_line = self.line
        rows: list[Row] = []
        for index, tr in enumerate(self.table_rows(node)):
            cells: list[Cell] = []
            col = 0
            for child in tr.childNodes:
                qname = node_name(child)
                if qname not in ((TABLENS, "table-cell"), (TABLENS, "covered-table-cell")):
                    continue
                repeat = min(int(node_attribute(child, TABLENS, "number-columns-repeated") or 1), _MAX_REPEAT)
                for _ in range(repeat):
                    if qname[1] == "covered-table-cell":
                        cells.append(Cell(paragraphs=[], col=col, covered=True))
                    else:
                        cells.append(Cell(
                            paragraphs=self.block_paragraphs(child), col=col,
                            rowspan=int(node_attribute(child, TABLENS, "number-rows-spanned") or 1),
                            colspan=int(node_attribute(child, TABLENS, "number-columns-spanned") or 1),
                        ))
                    col += 1
            rows.append(Row(cells=cells, line=first_line + index))
        self.line += max(1, len(rows))
        return Table(rows=rows, positional=True, line=first_line)

    def body(self, node, elements: list) -> None:
        for child in node.childNodes:
            qname = node_name(child)
            if qname in ((TEXTNS, "p"), (TEXTNS, "h")):
                lines = self.lines(child, self.paragraph_label(child))
                if lines:
                    elements.append(Paragraph(text=" ".join(lines), line=self.line))
                self.line += 1
            elif qname == (TEXTNS, "list"):
                for lines in self.list_paragraphs(child, None, 1, None):
                    elements.append(Paragraph(text=" ".join(lines), line=self.line))
                    self.line += 1
            elif qname == (TABLENS, "table"):
                elements.append(self.table(child))
            elif qname in ((TEXTNS, "section"), (TEXTNS, "index-body")):
                self.body(child, elements)


def load_opendocument(path: Path, data: bytes, suffix: str = ".odt") -> tuple[object, "_Reader"]:
    """The odfpy document and a reader set up with its list styles."""
    from odf import opendocument  # on first use: odfpy is 10 MB that other formats never need

    try:
        document = opendocument.load(BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ExpatError, ValueError, UnicodeDecodeError) as error:
        raise CorruptFile(path, f"不是可讀取的 {suffix} 檔：{type(error).__name__}") from None
    return document, _Reader(styles=ListStyles.of(document))


def read_odt(path: Path, data: bytes) -> Document:
    document, reader = load_opendocument(path, data)
    elements: list[Paragraph | Table] = []
    reader.body(document.text, elements)
    return Document(elements=elements)


def opendocument_kind(probe: Probe, kind: bytes) -> bool:
    """Whether the probe is an OpenDocument package of ``kind`` (b"text",
    b"spreadsheet"); a password-protected one is refused here."""
    names = probe.zip_names
    if not names or "mimetype" not in names or b"opendocument." + kind not in probe.zip_member("mimetype", 100):
        return False
    if b"encryption-data" in probe.zip_member("META-INF/manifest.xml"):
        raise EncryptedFile(probe.path)
    return True


def sniff(probe: Probe) -> bool:
    return opendocument_kind(probe, b"text")


def read(path: Path, data: bytes, limits: ReadLimits) -> Document:
    return read_odt(path, data)
