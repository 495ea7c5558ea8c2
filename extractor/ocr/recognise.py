"""A page image in, a RecognisedPage out: prepare the image, find the ruling
lines, run the engine (on the table cells one by one, on the rest of the page
as a whole), and express everything in PDF points."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from extractor.ocr import image as prep
from extractor.ocr.engine import engine
from extractor.ocr.page import OcrLine, OcrRuling, OcrWord, RecognisedPage
from extractor.ocr.settings import OcrSettings
from extractor.ocr.tesseract import orientation
from extractor.ocr.words import TextLine, Word


def _fit(image: np.ndarray, dpi: int, max_pixels: int) -> tuple[np.ndarray, int]:
    pixels = image.shape[0] * image.shape[1]
    if pixels <= max_pixels:
        return image, dpi
    scale = (max_pixels / pixels) ** 0.5
    return cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA), max(72, int(dpi * scale))


def upright(binary: np.ndarray, settings: OcrSettings) -> int:
    """Degrees to turn the page clockwise so that its text reads upright."""
    if not settings.detect_orientation:
        return 0
    return orientation(binary) or 0


_MARGIN = 12  # white pixels around a block's image: engines misread text that touches the border
_BLOCK_DPI = 300  # blocks of smaller scans are enlarged to this: small glyphs lose their strokes
_BODY_POINTS = 12  # the usual body type of a plan; lines are read best near this size
_LARGE_TYPE = 1.4  # a line this many times the body size is large type


@dataclass
class _Block:
    """A part of the page read on its own: a table cell, or a band of large type."""

    box: prep.Box
    image: np.ndarray  # the page it is cut from
    scale: float  # enlarged (a small scan) or reduced (large type) by this before reading

    def crop(self) -> np.ndarray:
        crop = self.image[self.box.y0:self.box.y1, self.box.x0:self.box.x1]
        if self.scale != 1:
            crop = cv2.resize(crop, None, fx=self.scale, fy=self.scale,
                              interpolation=cv2.INTER_CUBIC if self.scale > 1 else cv2.INTER_AREA)
        return cv2.copyMakeBorder(crop, *[_MARGIN] * 4, cv2.BORDER_CONSTANT, value=255)

    def placed(self, line: TextLine) -> TextLine:
        """A line read in the block's image, in page pixels."""
        def x(value: float) -> float:
            return self.box.x0 + (value - _MARGIN) / self.scale

        def y(value: float) -> float:
            return self.box.y0 + (value - _MARGIN) / self.scale

        return TextLine(tuple(Word(word.text, x(word.x0), y(word.top), x(word.x1), y(word.bottom), word.confidence)
                              for word in line.words))


def has_ink(image: np.ndarray) -> bool:
    """Whether a cell holds more than a few specks."""
    return int(np.count_nonzero(image < 128)) > max(30, image.size // 2000)


@dataclass
class _Span:
    """Lines of a page that share a band of height (a line the engine read in pieces)."""

    top: float
    bottom: float
    x0: float
    x1: float
    size: float


def _spans(lines: list[TextLine]) -> list[_Span]:
    spans: list[_Span] = []
    for line in sorted(lines, key=lambda line: line.top):
        x0, x1 = min(word.x0 for word in line.words), max(word.x1 for word in line.words)
        if spans and line.top < spans[-1].bottom:
            last = spans[-1]
            spans[-1] = _Span(last.top, max(last.bottom, line.bottom), min(last.x0, x0), max(last.x1, x1),
                              max(last.size, line.bottom - line.top))
        else:
            spans.append(_Span(line.top, line.bottom, x0, x1, line.bottom - line.top))
    return spans


def large_type_bands(lines: list[TextLine], width: int, height: int, dpi: int) -> list[tuple[prep.Box, float]]:
    """The bands of the page that hold a line of large type (a title), each with
    its type size in pixels, to be read again on their own: a page's layout
    analysis splits a large line where a short glyph stands (台's two parts
    read apart as 已, or lost), which it does not do on the line alone. A band
    reaches two characters beyond its lines on both sides, for a glyph the
    first read dropped, and a quarter of a character above and below, never
    past half-way to the next line. The body size is the page's usual line
    height, or the usual type of a plan on a page of few lines (a title page)."""
    heights = sorted(line.bottom - line.top for line in lines)
    if not heights:
        return []
    large = _LARGE_TYPE * min(heights[len(heights) // 2], _BODY_POINTS * dpi / 72)
    spans = _spans(lines)
    bands = []
    for index, span in enumerate(spans):
        if span.size <= large:
            continue
        above = (spans[index - 1].bottom + span.top) / 2 if index else 0
        below = (span.bottom + spans[index + 1].top) / 2 if index + 1 < len(spans) else height
        box = prep.Box(int(max(0, span.x0 - 2 * span.size)), int(max(above, span.top - span.size / 4)),
                       int(min(width, span.x1 + 2 * span.size)), int(min(below, span.bottom + span.size / 4)))
        bands.append((box, span.size))
    return bands


_LINE_SPACE = 0.3  # a cell line is read with this much of its height of blank above and below at most


@dataclass(frozen=True)
class CellLine:
    """A part of a table cell to read: its box, the same cut to its ink (read
    again when the first reading is doubtful), and whether it is a single line."""

    box: prep.Box
    ink: prep.Box
    single: bool


def cell_lines(text: np.ndarray, cell: prep.Box) -> list[CellLine]:
    """The parts of a table cell to read: its text lines, found between blank
    rows, each read as one line (read as one block, a cell whose characters
    stand in a grid of columns, as a plan's fixed-pitch CJK does, was now and
    then taken for columns of single characters); a run of lines with no blank
    row between them as a block. Each part reaches half-way to its neighbours,
    but no further than _LINE_SPACE of its height: with a tall cell's blank rest
    around it, a clear 「滿意度」 came back empty, then as 「度」."""
    ink = text[cell.y0:cell.y1, cell.x0:cell.x1] < 128
    if not has_ink(text[cell.y0:cell.y1, cell.x0:cell.x1]):
        return []
    runs = prep.line_bands(ink)
    usual = sorted(end - start for start, end in runs)[len(runs) // 2]
    parts = []
    for index, (start, end) in enumerate(runs):
        columns = np.flatnonzero(ink[start:end].any(axis=0))
        if end - start < 0.4 * usual and columns[-1] - columns[0] < usual:
            continue  # a speck the cleaning left: cut to its ink, it reads as 「品加」
        above = runs[index - 1][1] if index else 0
        below = runs[index + 1][0] if index + 1 < len(runs) else cell.y1 - cell.y0
        space = int(_LINE_SPACE * (end - start))
        box = prep.Box(cell.x0, cell.y0 + max((start + above) // 2, start - space),
                       cell.x1, cell.y0 + min((end + below + 1) // 2, end + space))
        tight = prep.Box(cell.x0 + int(columns[0]), cell.y0 + start, cell.x0 + int(columns[-1]) + 1, cell.y0 + end)
        parts.append(CellLine(box, tight, end - start < 1.6 * usual))
    return parts


def unread_lines(page: np.ndarray, found: list[TextLine], floor: float) -> list[prep.Box]:
    """The text lines of the page around the table cells that the page's layout
    analysis returned nothing sure for (no line above the confidence floor with
    every word above _DOUBTFUL_WORD), each cut to its ink, to be read again as a
    line: beside dense text it dropped a large heading whole (「參、實施對象」)."""
    ink = page < 128
    boxes = []
    for start, end in prep.line_bands(ink):
        if not has_ink(page[start:end]):
            continue
        if any(line.top < end and line.bottom > start and _confident(line, floor) and not _doubtful([line])
               for line in found):
            continue
        columns = np.flatnonzero(ink[start:end].any(axis=0))
        if columns[-1] - columns[0] < 2 * (end - start):
            continue  # a speck or a stray glyph, not a line the analysis missed
        boxes.append(prep.Box(int(columns[0]), start, int(columns[-1]) + 1, end))
    return boxes


def _within(line: TextLine, box: prep.Box) -> bool:
    middle = (line.top + line.bottom) / 2
    return box.y0 <= middle <= box.y1 and line.words[0].x0 < box.x1 and line.words[-1].x1 > box.x0


_DOUBTFUL_WORD = 0.5  # a word read with less confidence than this makes its line worth a second reading
_SURE_LINE = 0.6  # a line the page's analysis left unread is taken only when read again this surely (not specks: 「品加」)


def _mean_confidence(lines: list[TextLine]) -> float:
    words = [word for line in lines for word in line.words]
    return sum(word.confidence for word in words) / len(words) if words else 0.0


def _doubtful(lines: list[TextLine]) -> bool:
    words = [word for line in lines for word in line.words]
    return not words or min(word.confidence for word in words) < _DOUBTFUL_WORD


def _confident(line: TextLine, floor: float) -> bool:
    return _mean_confidence([line]) > floor  # a line with no words has 0: never above a floor


def _lines_read(run, single_lines: list[_Block], second_views: list[_Block], dpi: int,
                settings: OcrSettings) -> list[list[TextLine]]:
    """Each single line read as a line. A line the engine returned nothing for,
    though it holds ink, or with a word it was unsure of (「(2)診機關」 for
    「(2)於機關」, 「揚供」 for 「提供」), is read once more, cut to its ink, as
    a raw line, and the surer reading kept (``single_lines`` then holds the
    view that was kept)."""
    lines_read = run.blocks([block.crop() for block in single_lines], dpi, settings, kind="line")
    doubtful = [index for index, got in enumerate(lines_read) if _doubtful(got)]
    again = run.blocks([second_views[index].crop() for index in doubtful], dpi, settings, kind="raw_line")
    for index, second in zip(doubtful, again):
        if _mean_confidence(second) > _mean_confidence(lines_read[index]):
            lines_read[index] = second
            single_lines[index] = second_views[index]
    return lines_read


def _surer_rereads(found: list[TextLine], unread: list[_Block], lines_read: list[list[TextLine]],
                   bands: list[prep.Box]) -> list[prep.Box]:
    """The boxes of the lines the page's analysis left unread (``unread``, the
    first of ``lines_read``) whose second reading replaces what the page read
    there: only when it is surer and no band of large type read again covers
    it. The other readings are emptied."""
    kept: list[prep.Box] = []
    for block, got in zip(unread, lines_read):
        before = [line for line in found if _within(line, block.box)]
        if got and _mean_confidence(got) > max(_SURE_LINE, _mean_confidence(before)) \
                and not any(box.y0 < block.box.y1 and block.box.y0 < box.y1 for box in bands):
            kept.append(block.box)
        else:
            got.clear()
    return kept


def read_text(text: np.ndarray, lines: np.ndarray, dpi: int, settings: OcrSettings) -> list[TextLine]:
    """The text lines of a prepared page (ruling lines erased): each table cell
    the ruling lines close read on its own, line by line; the page around them
    by the engine's own layout analysis, its lines of large type once more
    on their own, brought down to body size (the engine misreads strokes of
    very large glyphs: 營 as 當), and its lines of ink the analysis left unread
    on their own as lines."""
    run = engine(settings.engine)
    cells = prep.cell_boxes(lines, dpi) if settings.read_cells else []
    rest = text.copy()
    for box in cells:
        rest[box.y0:box.y1, box.x0:box.x1] = 255
    found = run.page(rest, dpi, settings)
    enlarge = max(1.0, _BLOCK_DPI / dpi)
    body = _BODY_POINTS * dpi * enlarge / 72  # in the pixels of the blocks' resolution
    bands = [_Block(box, rest, body / size)
             for box, size in large_type_bands(found, rest.shape[1], rest.shape[0], dpi)] if settings.read_cells else []
    blocks = list(bands)
    # in block pixels, a line is read at body size at most (large type is brought down to it)
    unread = [_Block(box, rest, min(enlarge, body / max(1, box.y1 - box.y0)))
              for box in unread_lines(rest, found, settings.min_line_confidence)] if settings.read_cells else []
    single_lines, second_views = list(unread), list(unread)
    for cell in cells:
        for part in cell_lines(text, cell):
            if part.single:
                single_lines.append(_Block(part.box, text, enlarge))
                second_views.append(_Block(part.ink, text, enlarge))
            else:
                blocks.append(_Block(part.box, text, enlarge))
    read = run.blocks([block.crop() for block in blocks], round(dpi * enlarge), settings)
    lines_read = _lines_read(run, single_lines, second_views, round(dpi * enlarge), settings)
    reread = [band.box for band, got in zip(bands, read) if got]
    reread += _surer_rereads(found, unread, lines_read, reread)
    result = [line for line in found if not any(_within(line, box) for box in reread)]
    for block, got in zip(blocks + single_lines, read + lines_read):
        result.extend(block.placed(line) for line in got if line.words)
    return [line for line in result if _confident(line, settings.min_line_confidence)]


def recognise(image: np.ndarray, dpi: int, settings: OcrSettings) -> RecognisedPage:
    gray, dpi = _fit(prep.gray(image), dpi, settings.max_ocr_pixels)
    if settings.unwarp_photos:
        gray = prep.unwarped(gray)
    binary = prep.binarise(gray)
    turned = upright(binary, settings)
    if turned:
        gray, binary = prep.turn(gray, turned), prep.turn(binary, turned)
    skew = prep.skew_angle(binary, settings.max_skew_degrees) if settings.deskew else 0.0
    if skew:
        gray = prep.rotate(gray, skew)
        binary = prep.binarise(gray)
    segments, ruled = prep.rulings(binary, dpi)
    text = prep.flattened(gray, dpi)
    text[(ruled > 0) | (prep.specks(binary, dpi) > 0)] = 255
    lines = read_text(text, ruled, dpi, settings)
    scale = 72.0 / dpi
    return RecognisedPage(
        width=binary.shape[1] * scale,
        height=binary.shape[0] * scale,
        lines=[OcrLine(words=[OcrWord(text=w.text, x0=w.x0 * scale, top=w.top * scale, x1=w.x1 * scale,
                                      bottom=w.bottom * scale, confidence=round(w.confidence, 3)) for w in line.words],
                       top=line.top * scale, bottom=line.bottom * scale)
               for line in lines if line.words],
        rulings=[OcrRuling(x0=s.x0 * scale, top=s.y0 * scale, x1=s.x1 * scale, bottom=s.y1 * scale, horizontal=s.horizontal)
                 for s in segments],
        turned=turned,
        skew=round(skew, 2),
        engine=settings.engine,
    )
