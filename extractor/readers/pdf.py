"""PDF plans, read page by page from their character layer (extractor.readers.pdf_layer:
PDFium, pdfplumber where PDFium cannot lay a page out).

A tagged PDF is read from its structure tree first (extractor.readers.pdf_tagged):
the author's cells and paragraphs. Otherwise, or where the tree leaves the text
out, from the page geometry:

    chars → lines → paragraphs                  (CJK-aware joining, no converter spaces)
    ruling lines → table grid (where a page has none: word starts, extractor.readers.pdf_aligned;
                               then pdfplumber's text alignment)
    grid positions pdfplumber returns as None  → covered cells of merged cells
    running headers/footers                    → dropped

A row cut by a page break is joined back to the row it continues after the
measure table is found, like in every format (extractor.continuation).

Paragraphs inside a cell are told apart by a larger line pitch (paragraph
spacing), a line ending short of the cell's right edge, or a line opening with
a numbering marker; each carries its (page, top) so that values are aligned
with the item on the same line band (extractor.tree).

Location: ``page`` is 1-based; ``line`` is the 1-based index of the text line
on that page where the paragraph or row begins."""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from extractor.elements import Cell, Document, Paragraph, Row, Table
from extractor.errors import CorruptFile, EncryptedFile, NoTextFound, ScannedPdf, TooLarge
from extractor.ocr.page import OcrPage
from extractor.ocr.run import OcrOptions, recognise_pages
from extractor.readers.base import PDF_HEADER_WINDOW, Probe, ReadLimits
from extractor.readers.pdf_aligned import AlignedRow, aligned_tables
from extractor.readers.pdf_lines import Line, chars_to_lines, is_cjk
from normalizers.numbering import parse_marker
from normalizers.text import join_lines

# PDFium, pdfplumber and pdfminer (with pdfminer's cryptography, 30 MB) are
# imported by the functions that open a file: reading a Word plan, or the
# geometry of a page image, never loads them.
if TYPE_CHECKING:
    from extractor.readers.pdf_layer import PageLayer, PdfPages

_RULED = {"vertical_strategy": "lines", "horizontal_strategy": "lines", "snap_tolerance": 3, "intersection_tolerance": 3}
_ALIGNED = {"vertical_strategy": "text", "horizontal_strategy": "text", "min_words_vertical": 3}
_OPEN_END = re.compile(r"[、，,（(「『]$")
T = TypeVar("T")
_RUNNING_ZONE = 0.08  # top and bottom share of the page where running headers/footers sit


@dataclass
class _PageItem:
    top: float
    element: Paragraph | Table
    running: bool = False  # in the header/footer zone
    key: str = ""
    boxes: list[list] | None = None  # a table's cell boxes, to align its columns with its continuations


def normal_pitch(columns: list[list[Line]]) -> float | None:
    """The usual distance between consecutive lines of one paragraph, in font
    sizes, from runs of lines that each sit in one column (a cell, the page body)."""
    pitches = [(b.top - a.top) / a.size for lines in columns for a, b in zip(lines, lines[1:])
               if 0.5 * a.size < b.top - a.top < 3 * a.size]
    if not pitches:
        return None
    pitches.sort()
    return pitches[len(pitches) // 4]


def paragraphs_of(lines: list[Line], right: float, pitch: float | None) -> list[list[Line]]:
    """Group a column of lines into paragraphs."""
    paragraphs: list[list[Line]] = []
    for line in lines:
        if not paragraphs:
            paragraphs.append([line])
            continue
        previous = paragraphs[-1][-1]
        step = line.top - previous.top
        spaced = pitch is not None and step > pitch * previous.size + max(1.2, 0.12 * line.size)
        # A line ending short of the right edge ends its paragraph, unless it ends
        # mid-sentence (a comma cannot end a paragraph; line breaking moved a word).
        short = previous.x1 < right - 1.6 * previous.size and not _OPEN_END.search(previous.text)
        marker, _ = parse_marker(line.text)
        # A wrapped line starts at the margin (or a hanging indent under a marker);
        # one starting further in is a new, centred or indented, paragraph.
        indented = line.x0 > previous.x0 + 1.5 * line.size and parse_marker(paragraphs[-1][0].text)[0] is None
        if spaced or short or indented or marker is not None or abs(line.size - previous.size) > 1:
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    return paragraphs


_UNBREAKABLE = re.compile(r"[A-Za-z0-9(（\[「『][A-Za-z0-9.,:/()（）\-_&+%']*|.[、，,。．.；;：:）)」』》〉！!？?]*")


def _first_unit_width(line: Line) -> float:
    """About how wide the first unbreakable piece of a line is: a Latin word
    or number ("(FAQ)"), or a CJK char with the punctuation that may not start
    a line ("閡，"). A line above that had less room than this left wrapped."""
    match = _UNBREAKABLE.match(line.text)
    piece = match.group(0) if match else line.text[:1]
    return sum(line.size if is_cjk(ch) else 0.6 * line.size for ch in piece)


def author_lines(lines: list[Line], box: tuple[float, float, float, float]) -> list[tuple[list[str], float]]:
    """The lines the author typed in a cell, each with its top and with the
    visual lines it wrapped onto.

    A line wrapped when the room left at its end is narrower than the first
    unbreakable piece of the next line (a CJK char, with the punctuation that
    may not start a line; a Latin word). Otherwise the author ended it, with a
    paragraph or a line break: "業務組" / "北客服" typed one under the other
    are two names, each beside its own item. The text edge mirrors the left
    padding. Wrapped lines stay lines of their own: a short value can fill a
    narrow column exactly ("持續辦理" over "持續辦理"), so the values columns
    decide what a wrap joins (extractor.align)."""
    result: list[tuple[list[str], float]] = []
    previous: Line | None = None
    for line in lines:
        wrapped = False
        if previous is not None:
            room = box[2] - max(0.0, lines[0].x0 - box[0]) - previous.x1
            wrapped = room < _first_unit_width(line)
        if wrapped and result:
            result[-1][0].append(line.text)
        elif line.text:
            result.append(([line.text], line.top))
        previous = line
    return result


@dataclass
class _Grid:
    """A table found on one page, as rows of cells with their bboxes."""

    rows: list[Row]
    bbox: tuple[float, float, float, float]
    positional: bool
    bottoms: list[float] = field(default_factory=list)
    boxes: list[list] = field(default_factory=list)  # per row, pdfplumber's cell boxes (None: covered)


def _edges(values: list[float], tolerance: float = 2.0) -> list[float]:
    edges: list[float] = []
    for value in sorted(values):
        if not edges or value - edges[-1] > tolerance:
            edges.append(value)
    return edges


def _grid_lines_crossed(start: float, end: float, edges: list[float]) -> int:
    """How many grid cells a box from start to end covers: the grid lines (edges) it crosses, at least 1."""
    return max(1, sum(1 for edge in edges if start - 1 <= edge < end - 1))


def cell_lines(table, chars: list[dict]) -> dict[tuple[int, int], list[Line]]:
    """The text lines of every cell of a pdfplumber table, by (row, column):
    the chars whose centre lies in the cell's box (edges included), in page order."""
    by_height = sorted(((char["top"] + char["bottom"]) / 2, index) for index, char in enumerate(chars))
    heights = [height for height, _ in by_height]
    result = {}
    for row_index, row in enumerate(table.rows):
        for col, box in enumerate(row.cells):
            if box is not None:
                # A ruling-less table knows where each cell's text is (a heading wraps past the row).
                text_box = row.text_boxes[col] if isinstance(row, AlignedRow) else box
                band = by_height[bisect.bisect_left(heights, text_box[1]):bisect.bisect_right(heights, text_box[3])]
                inside = sorted(index for _, index in band
                                if text_box[0] <= (chars[index]["x0"] + chars[index]["x1"]) / 2 <= text_box[2])
                result[(row_index, col)] = chars_to_lines([chars[index] for index in inside])
    return result


def table_grid(table, lines_of: dict[tuple[int, int], list[Line]], pitch: float | None, positional: bool,
               page_number: int) -> _Grid:
    """Rows of Cells for one pdfplumber table; None positions are covered."""
    boxes = [cell for row in table.rows for cell in row.cells if cell is not None]
    col_edges = _edges([box[0] for box in boxes])
    row_edges = _edges([box[1] for box in boxes])
    rows: list[Row] = []
    bottoms: list[float] = []
    boxes: list[list] = []
    for row_index, row in enumerate(table.rows):
        cells: list[Cell] = []
        for col, box in enumerate(row.cells):
            if box is None:
                cells.append(Cell(paragraphs=[], col=col, covered=True))
                continue
            lines = lines_of[(row_index, col)]
            right = max((line.x1 for line in lines), default=box[2])
            groups = [typed for group in paragraphs_of(lines, right, pitch) for typed in author_lines(group, box)]
            cells.append(Cell(
                paragraphs=[texts for texts, _ in groups], col=col,
                colspan=_grid_lines_crossed(box[0], box[2], col_edges), rowspan=_grid_lines_crossed(box[1], box[3], row_edges),
                positions=[(page_number, top) for _, top in groups],
            ))
        tops = [box[1] for box in row.cells if box is not None]
        rows.append(Row(cells=cells))
        boxes.append(list(row.cells))
        bottoms.append(max((box[3] for box in row.cells if box is not None), default=min(tops, default=0)))
    return _Grid(rows=rows, bbox=table.bbox, positional=positional, bottoms=bottoms, boxes=boxes)


def read_page(page, page_number: int) -> tuple[list[_PageItem], int]:
    """The paragraphs and tables of one page, top to bottom, and its char count."""
    chars = [char for char in page.chars if char["text"].strip()]
    if not chars:
        return [], 0
    all_lines = chars_to_lines(chars)
    tables = page.find_tables(_RULED)
    positional = True
    if not tables:
        tables = aligned_tables(page.extract_words(x_tolerance=1.5))
    if not tables:
        tables = [t for t in page.find_tables(_ALIGNED) if len(t.rows) >= 2 and len(t.columns) >= 3]
        positional = False
    lines_by_table = [cell_lines(table, chars) for table in tables]
    loose = [line for line in all_lines if not any(_line_in(line, table.bbox) for table in tables)]
    pitch = normal_pitch([loose] + [lines for by_cell in lines_by_table for lines in by_cell.values()])
    grids = [table_grid(table, lines_of, pitch, positional, page_number) for table, lines_of in zip(tables, lines_by_table)]
    items: list[_PageItem] = []
    line_index = {round(line.top): index + 1 for index, line in enumerate(all_lines)}

    def line_at(top: float) -> int | None:
        nearest = min(line_index, key=lambda key: abs(key - top), default=None)
        return line_index[nearest] if nearest is not None else None

    for grid in grids:
        for row, cells_top in zip(grid.rows, _row_tops(grid)):
            row.page = page_number
            row.line = line_at(cells_top)
        items.append(_PageItem(top=grid.bbox[1], element=Table(rows=grid.rows, positional=grid.positional,
                                                               line=line_at(grid.bbox[1]), page=page_number),
                               boxes=grid.boxes))
    for group in paragraphs_of(loose, max((line.x1 for line in loose), default=0), pitch):
        text = join_lines([line.text for line in group])
        if not text:
            continue
        top = group[0].top
        running = top < page.height * _RUNNING_ZONE or group[-1].bottom > page.height * (1 - _RUNNING_ZONE)
        items.append(_PageItem(top=top, element=Paragraph(text=text, line=line_at(top), page=page_number),
                               running=running, key=re.sub(r"\d+", "#", text)))
    items.sort(key=lambda item: item.top)
    return items, len(chars)


def _row_tops(grid: _Grid) -> list[float]:
    tops = []
    previous = grid.bbox[1]
    for bottom in grid.bottoms:
        tops.append(previous)
        previous = bottom
    return tops


def _line_in(line: Line, bbox) -> bool:
    x = (line.x0 + line.x1) / 2
    y = (line.top + line.bottom) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def drop_running_lines(pages: list[list[_PageItem]]) -> list[list[_PageItem]]:
    """Remove headers and footers that repeat on several pages (page numbers
    included: digits are ignored when comparing)."""
    counts: dict[str, int] = {}
    for items in pages:
        for key in {item.key for item in items if item.running}:
            counts[key] = counts.get(key, 0) + 1
    repeated = {key for key, count in counts.items() if count >= 2}
    return [[item for item in items if not (item.running and item.key in repeated)] for items in pages]


# -- one column grid for a table continued over pages -------------------------------


def table_chains(items: list[_PageItem]) -> list[list[_PageItem]]:
    """Tables that continue each other: consecutive tables on consecutive pages."""
    chains: list[list[_PageItem]] = []
    previous: _PageItem | None = None
    for item in items:
        element = item.element
        if isinstance(element, Table) and item.boxes is not None:
            if previous is not None and isinstance(previous.element, Table) and previous.element.page is not None \
                    and element.page in (previous.element.page, previous.element.page + 1) and chains:
                chains[-1].append(item)
            else:
                chains.append([item])
        previous = item
    return chains


def regrid(chain: list[_PageItem]) -> None:
    """Give the tables of a chain one set of columns. A page where a column
    boundary is missing (every cell there spans it) would otherwise number its
    columns differently from the other pages; a cell spanning a boundary
    covers the column after it."""
    edges = _edges([box[0] for item in chain for row in item.boxes for box in row if box is not None])
    for item in chain:
        for row, boxes in zip(item.element.rows, item.boxes):
            by_start = {}
            for cell, box in zip(row.cells, boxes):
                if box is not None:
                    start = min(range(len(edges)), key=lambda index: abs(edges[index] - box[0]))
                    by_start[start] = (cell, box)
            cells: list[Cell] = []
            for col, edge in enumerate(edges):
                if col in by_start:
                    cell, box = by_start[col]
                    cell.col, cell.colspan = col, _grid_lines_crossed(box[0], box[2], edges)
                    cells.append(cell)
                else:
                    cells.append(Cell(paragraphs=[], col=col, covered=True))
            row.cells = cells


# -- the document ------------------------------------------------------------------


def _damaged() -> tuple[type[Exception], ...]:
    """What pdfminer and pdfplumber raise on a damaged file (pdfplumber wraps
    pdfminer's errors met while parsing a page in PdfminerException)."""
    import pypdfium2 as pdfium
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    return PDFSyntaxError, PSException, PdfminerException, pdfium.PdfiumError, KeyError, ValueError, TypeError


def _open(path: Path, data: bytes) -> PdfPages:
    import pypdfium2 as pdfium
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    from extractor.readers.pdf_layer import PdfPages

    if b"%%EOF" not in data[-2048:]:
        raise CorruptFile(path, "PDF 不完整，缺少檔案結尾標記")
    try:
        pages = PdfPages(data)
        if pages.document is None:  # PDFium could not open it: pdfplumber reads every page, or says why not
            len(pages)
        return pages
    except (PDFPasswordIncorrect, PDFEncryptionError, pdfium.PdfiumError):
        raise EncryptedFile(path) from None  # PdfPages re-raises PDFium's errors only for a password
    except Exception as error:  # pdfminer raises many kinds for damaged files
        cause = error.__cause__ or error.__context__ or error
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in str(error).lower():
            raise EncryptedFile(path) from None
        raise CorruptFile(path, f"PDF 無法讀取：{type(cause).__name__}") from None


def structure_tree(pdf: PdfPages) -> list[dict] | None:
    """The document's structure tree when it has a table to read, else None.
    PDFium reads it; pdfminer's walk where PDFium could not open the file."""
    from extractor.readers.pdf_tagged import has_table, read_structure, read_structure_pdfium

    try:
        tree = read_structure_pdfium(pdf.document) if pdf.document is not None else None
        if tree is None:
            plumber = pdf.plumber
            tree = read_structure(plumber.doc, {page.page_obj.pageid: page.page_number for page in plumber.pages})
    except Exception:  # a damaged or unusual tree is no reason to refuse the file: read the geometry
        return None
    return tree if tree and has_table(tree) else None


def each_page(pdf: PdfPages, path: Path, read: Callable[[PageLayer, int], T]) -> list[T]:
    """``read(layer, number)`` for every page's character layer, one page at a
    time (bounded memory: a page is released once its layer is read)."""
    results: list[T] = []
    layers = pdf.layers()
    for number in range(1, len(pdf) + 1):
        try:
            results.append(read(next(layers), number))
        except _damaged() as error:
            raise CorruptFile(path, f"第 {number} 頁損壞：{type(error).__name__}") from None
    return results


def read_tagged(pdf: PdfPages, tree: list[dict], path: Path) -> tuple[list[Paragraph | Table] | None, int]:
    """Elements from the structure tree (None if it does not carry the text), and the char count."""
    from extractor.readers.pdf_tagged import MarkedContent, tagged_elements

    content = MarkedContent()

    def collect(page, number: int) -> int:
        chars = page.chars  # with their space chars: a space the PDF carries is a real one ("Web 2.0")
        content.add_page(number, chars, [line.top for line in chars_to_lines(chars)])
        return sum(1 for char in chars if char["text"].strip())

    total_chars = sum(each_page(pdf, path, collect))
    return tagged_elements(tree, content), total_chars


def read_geometry(pdf: PdfPages, path: Path, substitutes: dict[int, Any] | None = None) -> tuple[list[Paragraph | Table], int]:
    """Elements from the page geometry: ruling lines, text alignment, spacing.
    ``substitutes`` are pages read in place of the PDF's own (OCR pages)."""
    substitutes = substitutes or {}
    pages = each_page(pdf, path, lambda page, number: read_page(substitutes.get(number, page), number))
    return geometry_elements(pages)


def geometry_elements(pages: list[tuple[list[_PageItem], int]]) -> tuple[list[Paragraph | Table], int]:
    """The document's elements from its pages' items: running lines dropped,
    tables continued over pages on one grid, rows cut by a page break joined."""
    items = [item for page_items in drop_running_lines([page_items for page_items, _ in pages]) for item in page_items]
    for chain in table_chains(items):
        regrid(chain)
    return [item.element for item in items], sum(chars for _, chars in pages)


def textless_pages(data: bytes, min_chars: int) -> list[int]:
    """The pages (1-based) with fewer than ``min_chars`` text characters: scans.
    A page whose few characters are all it holds, with no image (a date and a
    page number, a short cover title), is no scan: recognising it found only
    those characters again, and loaded OpenCV and an engine (100 MB) to do so."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(data)
    try:
        result = []
        for index in range(len(document)):
            try:
                page = document[index]
            except pdfium.PdfiumError:  # not a scan: a damaged page, which the layer reading judges
                continue
            text = page.get_textpage()
            chars = sum(not ch.isspace() for ch in text.get_text_range())
            if chars == 0 or (chars < min_chars and next(page.get_objects([raw.FPDF_PAGEOBJ_IMAGE]), None) is not None):
                result.append(index + 1)
            text.close()
            page.close()
        return result
    finally:
        document.close()


def _renderer(data: bytes, number: int, dpi: int):
    def render():
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(data)
        try:
            image = document[number - 1].render(scale=dpi / 72, grayscale=True).to_numpy()
        finally:
            document.close()
        return (image[:, :, 0] if image.ndim == 3 else image), dpi
    return render


def ocr_pages(path: Path, data: bytes, numbers: list[int], ocr: OcrOptions) -> dict[int, Any]:
    """OcrPages for the given pages of the PDF."""
    recognised = recognise_pages(ocr, hashlib.sha256(data).hexdigest(), [(number, _renderer(data, number, ocr.settings.pdf_dpi)) for number in numbers],
                                 label=path.name)
    return {number: OcrPage(page) for number, page in recognised.items()}


def read_pdf(path: Path, data: bytes, max_pages: int = 2000, ocr: OcrOptions | None = None) -> Document:
    try:
        pdf = _open(path, data)
        with pdf:
            try:
                count = len(pdf)
            except _damaged() as error:
                raise CorruptFile(path, f"PDF 無法讀取：{type(error).__name__}") from None
            if count > max_pages:
                raise TooLarge(path, f"{count} 頁，上限 {max_pages} 頁")
            scanned = textless_pages(data, ocr.settings.min_text_chars) if ocr is not None else []
            substitutes = ocr_pages(path, data, scanned, ocr) if scanned else {}
            elements = None
            reading = "page geometry (untagged PDF)"
            # A structure tree cannot hold the text of a scanned page: then the geometry reads every page.
            tree = structure_tree(pdf) if not scanned else None
            if tree is not None:
                elements, total_chars = read_tagged(pdf, tree, path)
                reading = "structure tree (tagged PDF)"
            if elements is None:
                if tree is not None:
                    reading = "page geometry (the structure tree leaves text out)"
                if scanned:
                    reading = f"page geometry, OCR ({ocr.settings.engine}) on pages {_ranges(scanned)}"
                elements, total_chars = read_geometry(pdf, path, substitutes)
    except (*_damaged(), AttributeError) as error:
        # pdfplumber builds pages lazily, also on close(): a damaged page tree fails there
        raise CorruptFile(path, f"PDF 無法讀取：{type(error).__name__}") from None
    if total_chars == 0:
        raise NoTextFound(path) if scanned else ScannedPdf(path)
    return Document(elements=elements, pages=count, reading=reading,
                    ocr_pages={number: page.recognised.confidence for number, page in substitutes.items()})


def _ranges(numbers: list[int]) -> str:
    """1, 2, 3, 5 → "1-3, 5"."""
    spans: list[list[int]] = []
    for number in numbers:
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    return ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in spans)


def sniff(probe: Probe) -> bool:
    return probe.pdf_offset is not None


def read(path: Path, data: bytes, limits: ReadLimits) -> Document:
    # Cross-reference offsets count from the %PDF- header, not from a banner before it.
    offset = data.find(b"%PDF-", 0, PDF_HEADER_WINDOW + 5)
    return read_pdf(path, data[max(offset, 0):], max_pages=limits.max_pdf_pages, ocr=limits.ocr)
