"""What readers produce: a document as a flat sequence of paragraphs and tables.

One reader per format turns its file into these elements; everything after the
readers (table finding, the numbering tree, metadata) works on them alone and
never knows which format they came from."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Paragraph:
    text: str
    line: int | None = None
    page: int | None = None


@dataclass
class Cell:
    """A table cell. ``paragraphs`` holds the cell's paragraphs, each a list of
    its visual lines (line breaks inside a paragraph are kept as separate
    lines so that a wrapped line and a new item can be told apart)."""

    paragraphs: list[list[str]]
    col: int
    rowspan: int = 1
    colspan: int = 1
    covered: bool = False  # a grid position covered by a merged cell above/left
    # (page, top) of each paragraph where the reader knows the layout (PDF):
    # values are aligned with the item on the same line band.
    positions: list[tuple[int, float]] | None = None

    @property
    def lines_wrap(self) -> bool:
        """Lines inside a paragraph are where the text wrapped, never a break
        the author typed: a reader that knows the layout starts a paragraph
        at every typed break."""
        return self.positions is not None

    @property
    def text(self) -> str:
        return "\n".join("\n".join(lines) for lines in self.paragraphs)

    @property
    def is_empty(self) -> bool:
        return not self.text.strip()


@dataclass
class Row:
    cells: list[Cell]
    line: int | None = None
    page: int | None = None
    continues_page: bool = False  # first row of a table continued from the previous page


@dataclass
class Table:
    """Rows of cells. ``positional`` is True when columns are reliable (markdown,
    HTML, DOCX, ODT, ruled PDF); False for layout text where cells shift
    (tab-separated converter output), so roles are read from content."""

    rows: list[Row]
    positional: bool
    line: int | None = None
    page: int | None = None
    unclosed: bool = False  # a drawn table that stops before its bottom rule: the text was cut inside it
    flattened: bool = False  # put back together from one cell per line (extractor.linetable)


@dataclass
class Document:
    elements: list[Paragraph | Table]
    pages: int | None = None
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)
    reading: str | None = None  # how the reader found the structure, where it had a choice
    # Pages read by OCR (1-based) and the mean recognition confidence of each (0..1; None: no text found).
    ocr_pages: dict[int, float | None] = field(default_factory=dict)

    def has_text(self) -> bool:
        """Any paragraph or cell with a visible character."""
        return any(element.text.strip() if isinstance(element, Paragraph)
                   else any(not cell.is_empty for row in element.rows for cell in row.cells)
                   for element in self.elements)
