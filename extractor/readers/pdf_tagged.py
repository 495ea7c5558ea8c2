"""Tagged PDFs: the structure tree gives the real paragraphs, tables and cells.

Word's and LibreOffice's PDF export keep the document's structure: ``Table`` /
``TR`` / ``TH`` / ``TD`` elements with their ``RowSpan`` and ``ColSpan``, one
``P`` per paragraph, list items with their labels. Each element points at its
text through marked-content ids (mcids) on its pages, and the character layer
(extractor.readers.pdf_layer) gives every char its mcid. Read this way, a cell
cut by a page break is still one cell, a merged cell is one cell, the repeated header row and the page footer
are artifacts outside the tree, and the items of a cell are its paragraphs, as
the author typed them, not a guess from line spacing.

The tree is used when it carries the document: it has a table and it reaches
almost every marked char. Otherwise the caller falls back to reading the page
geometry (extractor.readers.pdf)."""

from __future__ import annotations

import bisect
import ctypes
import functools
from dataclasses import dataclass, field

import pypdfium2.raw as raw
from pdfminer.pdftypes import PDFObjRef, resolve1
from pdfminer.psparser import PSLiteral

from extractor.elements import Cell, Paragraph, Row, Table
from extractor.grid import place_cells
from extractor.readers.pdf_lines import chars_to_lines
from normalizers.text import join_lines

_CHAR_KEYS = ("text", "x0", "x1", "top", "bottom", "size", "upright", "matrix")
_BLOCKS = {"P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "Caption", "BlockQuote", "Note", "Title", "TOCI"}
_SKIPPED = {"Artifact", "Figure", "Formula"}  # no plan text; a figure's alt text is not the author's words
_MIN_COVERAGE = 0.9
_MAX_DEPTH = 100


# -- the structure tree ----------------------------------------------------------
#
# pdfplumber's ``structure_tree`` drops the page of each marked-content
# reference, so a paragraph continued on the next page gets the mcids of that
# page read on its first page. The tree is walked here instead, keeping the
# page of every mcid.


def _name(value) -> str | None:
    value = resolve1(value)
    if isinstance(value, PSLiteral):
        return value.name if isinstance(value.name, str) else value.name.decode("latin-1")
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value if isinstance(value, str) else None


def _listed(value) -> list:
    value = resolve1(value)
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _attributes(value) -> dict:
    """Table attributes (RowSpan, ColSpan, Width) of an element; ``A`` is one
    attribute dict or an array of them, possibly with revision numbers."""
    merged: dict = {}
    for entry in _listed(value):
        entry = resolve1(entry)
        if isinstance(entry, dict):
            for key, item in entry.items():
                item = resolve1(item)
                merged[key] = _name(item) if isinstance(item, PSLiteral) else item
    return merged


def read_structure(doc, page_numbers: dict[int, int]) -> list[dict]:
    """The document's structure tree as dicts: ``type`` (role-mapped),
    ``attributes``, ``mcids`` as (page number, mcid) pairs, ``children``.

    ``page_numbers`` maps each page object's id to its 1-based number."""
    root = resolve1(doc.catalog.get("StructTreeRoot"))
    if not isinstance(root, dict):
        return []
    role_map = {key: _name(value) for key, value in (resolve1(root.get("RoleMap")) or {}).items()}
    seen: set[int] = set()

    def page_of(obj: dict, default: int | None) -> int | None:
        ref = obj.get("Pg")
        return page_numbers.get(ref.objid, default) if isinstance(ref, PDFObjRef) else default

    def element_of(ref, page: int | None, depth: int) -> dict | None:
        if isinstance(ref, PDFObjRef):
            if ref.objid in seen:
                return None  # a cycle in a damaged tree
            seen.add(ref.objid)
        obj = resolve1(ref)
        if not isinstance(obj, dict) or depth > _MAX_DEPTH:
            return None
        kind = _name(obj.get("S"))
        kind = role_map.get(kind, kind)
        page = page_of(obj, page)
        element = {"type": kind, "attributes": _attributes(obj.get("A")), "mcids": [], "children": []}
        for kid in _listed(obj.get("K")):
            value = resolve1(kid)
            if isinstance(value, int):
                if page is not None:
                    element["mcids"].append((page, value))
            elif isinstance(value, dict) and "MCID" in value:
                mcid_page = page_of(value, page)
                if mcid_page is not None and isinstance(resolve1(value["MCID"]), int):
                    element["mcids"].append((mcid_page, resolve1(value["MCID"])))
            elif isinstance(value, dict) and "S" in value:
                child = element_of(kid, page, depth + 1)
                if child is not None:
                    element["children"].append(child)
        return element

    tree = []
    for kid in _listed(root.get("K")):
        element = element_of(kid, None, 0)
        if element is not None:
            tree.append(element)
    return tree


# -- the same tree read by PDFium --------------------------------------------------
#
# PDFium gives the tree page by page: each page's tree holds the elements with
# content on that page and their ancestors, every element keeping its index among
# its parent's kids. An element is the same on every page by its path of kid
# indices from the root, so the pages' trees fold into the document's tree, each
# mcid with its page. This skips parsing the tree's objects in Python, which is
# most of the time a tagged file takes otherwise.

_SPAN_ATTRIBUTES = (b"RowSpan", b"ColSpan", b"Width")


def _pdfium_type(element) -> str | None:
    size = raw.FPDF_StructElement_GetType(element, None, 0)
    if size <= 2:
        return None
    buffer = ctypes.create_string_buffer(size)
    raw.FPDF_StructElement_GetType(element, buffer, size)
    return buffer.raw[:size - 2].decode("utf-16-le", "replace")


def _pdfium_attributes(element) -> dict:
    """RowSpan, ColSpan and Width of an element, where they are numbers."""
    found: dict = {}
    number = ctypes.c_float()
    for index in range(max(0, raw.FPDF_StructElement_GetAttributeCount(element))):
        attribute = raw.FPDF_StructElement_GetAttributeAtIndex(element, index)
        if not attribute:
            continue
        for name in _SPAN_ATTRIBUTES:
            value = raw.FPDF_StructElement_Attr_GetValue(attribute, name)
            if value and raw.FPDF_StructElement_Attr_GetType(value) == raw.FPDF_OBJECT_NUMBER \
                    and raw.FPDF_StructElement_Attr_GetNumberValue(value, number):
                found[name.decode()] = int(number.value) if number.value.is_integer() else round(number.value, 4)
    return found


def _visit(element, path: tuple[int, ...], page: int, nodes: dict[tuple[int, ...], dict]) -> None:
    node = nodes.get(path)
    if node is None:
        node = {"type": _pdfium_type(element), "attributes": _pdfium_attributes(element), "mcids": [], "children": []}
        nodes[path] = node
    for index in range(max(0, raw.FPDF_StructElement_GetMarkedContentIdCount(element))):
        mcid = raw.FPDF_StructElement_GetMarkedContentIdAtIndex(element, index)
        if mcid >= 0:
            node["mcids"].append((page, mcid))
    if len(path) > _MAX_DEPTH:
        return
    for index in range(max(0, raw.FPDF_StructElement_CountChildren(element))):
        child = raw.FPDF_StructElement_GetChildAtIndex(element, index)
        if child:
            _visit(child, path + (index,), page, nodes)


def read_structure_pdfium(document) -> list[dict] | None:
    """The structure tree of a document opened by PDFium, in ``read_structure``'s form
    (None where PDFium's pages do not say which element owns an mcid)."""
    if not raw.FPDFCatalog_IsTagged(document):
        return []
    nodes: dict[tuple[int, ...], dict] = {}
    for index in range(len(document)):
        page = document[index]
        tree = raw.FPDF_StructTree_GetForPage(page)
        try:
            for kid in range(max(0, raw.FPDF_StructTree_CountChildren(tree)) if tree else 0):
                element = raw.FPDF_StructTree_GetChildAtIndex(tree, kid)
                if element:
                    _visit(element, (kid,), index + 1, nodes)
        finally:
            if tree:
                raw.FPDF_StructTree_Close(tree)
            page.close()
    if not _drop_copied_mcids(list(nodes.values())):
        return None
    roots: list[dict] = []
    for path in sorted(nodes):  # a parent's path sorts before its kids', kids in their order
        parent = nodes.get(path[:-1])
        (parent["children"] if parent is not None else roots).append(nodes[path])
    return roots


def _drop_copied_mcids(elements: list[dict]) -> bool:
    """Remove the mcids PDFium reports on pages they are not on.

    PDFium lists an element's mcids on every page whose tree holds the element,
    whichever page each is on; there the same number may be another element's
    content. Each mcid of a page belongs to one element: where several claim it,
    the one element seen on that page only owns it, and the others' claims there
    are copies. False when that does not settle a claim (the caller reads the tree
    with pdfminer)."""
    claims: dict[tuple[int, int], list[dict]] = {}
    for element in elements:
        for claim in element["mcids"]:
            claims.setdefault(claim, []).append(element)
    single_page = {id(element) for element in elements if len({page for page, _ in element["mcids"]}) == 1}
    for claim, owners in claims.items():
        if len(owners) < 2:
            continue
        own = [element for element in owners if id(element) in single_page]
        if len(own) != 1:
            return False
        for element in owners:
            if element is not own[0]:
                element["mcids"].remove(claim)
    return True


@dataclass
class MarkedContent:
    """The chars of every page by mcid, and each page's line tops to number lines."""

    chars: dict[int, dict[int, list[dict]]] = field(default_factory=dict)  # page → mcid → chars
    line_tops: dict[int, list[float]] = field(default_factory=dict)
    marked_chars: int = 0

    def add_page(self, page_number: int, chars: list[dict], line_tops: list[float]) -> None:
        by_mcid: dict[int, list[dict]] = {}
        for char in chars:
            mcid = char.get("mcid")
            if mcid is not None and char["text"]:
                # A slim copy: pdfplumber's char dicts are large and a long plan has many.
                by_mcid.setdefault(mcid, []).append({key: char.get(key) for key in _CHAR_KEYS})
                self.marked_chars += bool(char["text"].strip())
        self.chars[page_number] = by_mcid
        self.line_tops[page_number] = sorted(line_tops)

    def line_at(self, page: int, top: float) -> int:
        """1-based index of the text line of the page at this height."""
        tops = self.line_tops.get(page, [])
        return max(1, bisect.bisect_right(tops, top + 1.0))


def has_table(tree: list[dict]) -> bool:
    stack = list(tree)
    while stack:
        element = stack.pop()
        if element.get("type") == "Table":
            return True
        stack.extend(element.get("children", []))
    return False


@dataclass
class _Block:
    text: str
    page: int
    top: float


class _TreeReader:
    def __init__(self, content: MarkedContent) -> None:
        self.content = content
        self.used_chars = 0

    # -- text of an element -------------------------------------------------

    def _mcids(self, element: dict) -> list[tuple[int, int]]:
        found = list(element.get("mcids", []))
        for child in element.get("children", []):
            if child.get("type") not in _SKIPPED:
                found.extend(self._mcids(child))
        return found

    def block_of(self, element: dict) -> _Block | None:
        """One paragraph: its chars in content order, page by page, lines joined."""
        by_page: dict[int, list[dict]] = {}
        for page, mcid in sorted(set(self._mcids(element))):
            by_page.setdefault(page, []).extend(self.content.chars.get(page, {}).get(mcid, []))
        texts: list[str] = []
        start: tuple[int, float] | None = None
        for page, chars in sorted(by_page.items()):
            if not any(char["text"].strip() for char in chars):
                continue
            self.used_chars += sum(1 for char in chars if char["text"].strip())
            lines = chars_to_lines(chars)
            texts.extend(line.text for line in lines)
            if start is None:
                start = (page, min(line.top for line in lines))
        text = join_lines(texts)
        if not text or start is None:
            return None
        return _Block(text=text, page=start[0], top=start[1])

    # -- structure ------------------------------------------------------------

    def blocks_in(self, element: dict) -> list[_Block]:
        """The paragraphs inside an element, in order; a nested table's cells
        are read as paragraphs of the element holding it."""
        kind = element.get("type")
        if kind in _SKIPPED:
            return []
        if kind in _BLOCKS:
            block = self.block_of(element)
            return [block] if block else []
        blocks: list[_Block] = []
        if element.get("mcids"):  # text directly on a container
            own = self.block_of({"mcids": element["mcids"]})
            if own:
                blocks.append(own)
        for child in element.get("children", []):
            blocks.extend(self.blocks_in(child))
        return blocks

    def cell_of(self, element: dict) -> Cell:
        attributes = element.get("attributes") or {}
        blocks = self.blocks_in(element)
        return Cell(
            paragraphs=[[block.text] for block in blocks], col=0,
            rowspan=_span_attribute(attributes.get("RowSpan")), colspan=_span_attribute(attributes.get("ColSpan")),
            positions=[(block.page, block.top) for block in blocks],
        )

    def table_of(self, element: dict) -> Table:
        written: list[list[Cell]] = []
        widths: list[list[float | None]] = []
        starts: list[tuple[int, float] | None] = []
        for tr in _rows_of(element):
            tagged = [cell for cell in tr.get("children", []) if cell.get("type") in ("TD", "TH")]
            cells, row_widths = fold_split_row([self.cell_of(cell) for cell in tagged], [_width(cell) for cell in tagged])
            written.append(cells)
            widths.append(row_widths)
            positions = [position for cell in cells for position in (cell.positions or [])]
            starts.append(min(positions) if positions else None)
        rows: list[Row] = []
        for cells, start in zip(place_cells(with_empty_cells(written, widths)), starts):
            row = Row(cells=cells)
            if start is not None:
                row.page, row.line = start[0], self.content.line_at(*start)
            rows.append(row)
        first = next((start for start in starts if start is not None), None)
        return Table(rows=rows, positional=True,
                     page=first[0] if first else None, line=self.content.line_at(*first) if first else None)

    def elements_in(self, element: dict) -> list[Paragraph | Table]:
        kind = element.get("type")
        if kind == "Table":
            return [self.table_of(element)]
        if kind in _SKIPPED:
            return []
        if kind in _BLOCKS or not element.get("children"):
            return [Paragraph(text=block.text, page=block.page, line=self.content.line_at(block.page, block.top))
                    for block in self.blocks_in(element)]
        elements: list[Paragraph | Table] = []
        if element.get("mcids"):
            elements.extend(self.elements_in({"type": "P", "mcids": element["mcids"]}))
        for child in element.get("children", []):
            elements.extend(self.elements_in(child))
        return elements


def fold_split_row(cells: list[Cell], widths: list[float | None]) -> tuple[list[Cell], list[float | None]]:
    """A row split by a page break, as one TR holding its cells twice.

    LibreOffice writes the part of a row that runs onto the next page as a
    second set of cells in the same TR. The widths then repeat with the row's
    period and each later set starts on a later page: its paragraphs are
    appended to the cells of the first set."""
    count = len(cells)
    for period in range(1, count // 2 + 1):
        if count % period or None in widths:
            continue
        if any(abs(widths[index] - widths[index % period]) > 0.01 for index in range(count)):
            continue
        first_page = min((position[0] for cell in cells[:period] for position in cell.positions or []), default=0)
        later = [position[0] for cell in cells[period:] for position in cell.positions or []]
        if later and min(later) <= first_page:
            continue
        folded = cells[:period]
        for index, cell in enumerate(cells[period:]):
            target = folded[index % period]
            target.paragraphs.extend(cell.paragraphs)
            target.positions = (target.positions or []) + (cell.positions or [])
        return folded, widths[:period]
    return cells, widths


def _span_attribute(value) -> int:
    """A RowSpan/ColSpan attribute; anything but a positive integer is 1."""
    return value if isinstance(value, int) and value > 1 else 1


def _width(element: dict) -> float | None:
    width = (element.get("attributes") or {}).get("Width")
    return float(width) if isinstance(width, (int, float)) else None


def _covered_columns(rows: list[list[Cell]]) -> list[set[int]]:
    """Per row, the grid columns a rowspan from a row above covers."""
    shapes = [[Cell(paragraphs=[], col=0, rowspan=cell.rowspan, colspan=cell.colspan) for cell in row] for row in rows]
    return [{cell.col for cell in cells if cell.covered and cell.col not in _own_span_columns(cells)}
            for cells in place_cells(shapes)]


def _own_span_columns(cells: list[Cell]) -> set[int]:
    """Columns covered by a colspan of a cell of the same row (not by a rowspan above)."""
    return {col for cell in cells if not cell.covered for col in range(cell.col + 1, cell.col + cell.colspan)}


def with_empty_cells(rows: list[list[Cell]], widths: list[list[float | None]]) -> list[list[Cell]]:
    """The rows with the cells the tree leaves out put back.

    An empty cell has no content, so PDF exporters write no TD for it (the
    blank corner over the first column, an empty units cell), and the cells
    after it would slide one column left. The table's width and its columns'
    widths come from the rows that fill the grid; a short row's cells are
    placed on the free columns whose widths match theirs. (A restored cell
    spans one row, so it changes no other row's coverage.)"""
    covered = _covered_columns(rows)
    grid = max((sum(cell.colspan for cell in row) + len(cover) for row, cover in zip(rows, covered)), default=0)
    known = _column_widths(rows, widths, covered, grid)
    restored_rows: list[list[Cell]] = []
    for row, row_widths, cover in zip(rows, widths, covered):
        free = [col for col in range(grid) if col not in cover]
        if sum(cell.colspan for cell in row) >= len(free):
            restored_rows.append(row)
            continue
        starts = dict(zip(_best_columns(row, row_widths, free, known), row))
        restored: list[Cell] = []
        index = 0
        while index < len(free):
            cell = starts.get(index) or Cell(paragraphs=[], col=0, positions=[])
            restored.append(cell)
            index += cell.colspan
        restored_rows.append(restored)
    return restored_rows


def _column_widths(rows: list[list[Cell]], widths: list[list[float | None]], covered: list[set[int]],
                   grid: int) -> dict[int, float]:
    """Each grid column's width (the median), from the rows that fill the grid."""
    seen: dict[int, list[float]] = {}
    for row, row_widths, cover in zip(rows, widths, covered):
        if sum(cell.colspan for cell in row) + len(cover) != grid:
            continue
        free = [col for col in range(grid) if col not in cover]
        position = 0
        for cell, width in zip(row, row_widths):
            if cell.colspan == 1 and width is not None and position < len(free):
                seen.setdefault(free[position], []).append(width)
            position += cell.colspan
    return {col: sorted(values)[len(values) // 2] for col, values in seen.items()}


def _best_columns(row: list[Cell], row_widths: list[float | None], free: list[int],
                  known: dict[int, float]) -> list[int]:
    """Index into ``free`` where each cell of a short row starts: cells keep
    their order and the sum of width mismatches is least (leftmost on ties)."""
    @functools.cache
    def best(cell_index: int, free_index: int) -> tuple[float, tuple[int, ...]]:
        if cell_index == len(row):
            return 0.0, ()
        remaining = sum(cell.colspan for cell in row[cell_index:])
        options: list[tuple[float, tuple[int, ...]]] = []
        for start in range(free_index, len(free) - remaining + 1):
            span = free[start:start + row[cell_index].colspan]
            if span[-1] - span[0] != len(span) - 1:
                continue  # a cell spans adjacent grid columns only
            width = row_widths[cell_index]
            span_widths = [known.get(col) for col in span]
            cost = abs(width - sum(span_widths)) if width is not None and None not in span_widths else 0.0
            rest_cost, rest = best(cell_index + 1, start + len(span))
            options.append((cost + rest_cost, (start,) + rest))
        return min(options, key=lambda option: option[0]) if options else (float("inf"), ())

    cost, starts = best(0, 0)
    return list(starts) if len(starts) == len(row) else list(range(len(row)))


def _rows_of(table: dict) -> list[dict]:
    rows: list[dict] = []
    for child in table.get("children", []):
        if child.get("type") == "TR":
            rows.append(child)
        elif child.get("type") in ("THead", "TBody", "TFoot"):
            rows.extend(_rows_of(child))
    return rows


def tagged_elements(tree: list[dict], content: MarkedContent) -> list[Paragraph | Table] | None:
    """The document's paragraphs and tables from its structure tree, or None
    when the tree leaves too much of the marked text out to be trusted."""
    reader = _TreeReader(content)
    elements: list[Paragraph | Table] = []
    for root in tree:
        elements.extend(reader.elements_in(root))
    if content.marked_chars == 0 or reader.used_chars < _MIN_COVERAGE * content.marked_chars:
        return None
    return elements
