"""The character layer of a PDF page, read with PDFium (pypdfium2).

Building the character layer with pdfminer is most of the time a PDF takes;
PDFium gives the same characters with their boxes many times faster. Each page
becomes a ``PageLayer``: pdfplumber-style char dicts (text, box, size, font,
the text matrix, the upright flag, the marked-content id) and the ruling edges
of its path objects, which pdfplumber's table finder reads as it reads its own
pages. Coordinates are pdfplumber's: points from the top-left of the page.

A page PDFium cannot lay out as pdfplumber would (turned by /Rotate, a media
box away from the origin, glyphs without a Unicode mapping) is read by
pdfplumber instead, so the layer is the same whichever library built it."""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from extractor.readers.plumber import TableFinder, TableSettings, extract_words


@dataclass
class PageLayer:
    """One page's chars and ruling edges, shaped like a pdfplumber page for
    the table finder (``chars``, ``edges``, ``bbox``, ``extract_words``)."""

    width: float
    height: float
    chars: list[dict]
    edges: list[dict]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (0.0, 0.0, self.width, self.height)

    def extract_words(self, **settings: Any) -> list[dict]:
        return extract_words(self.chars, **settings)

    def find_tables(self, settings: dict) -> list:
        return TableFinder(self, TableSettings.resolve(settings)).tables


def layer_of_plumber_page(page) -> PageLayer:
    """The layer of a page as pdfplumber reads it (the fallback)."""
    return PageLayer(width=float(page.width), height=float(page.height), chars=page.chars, edges=page.edges)


# -- characters ------------------------------------------------------------------


class _TextPage:
    """Reusable ctypes out-parameters, so a char costs no allocation beyond its dict."""

    def __init__(self) -> None:
        self.x = ctypes.c_double()
        self.y = ctypes.c_double()
        self.box = raw.FS_RECTF()
        self.matrix = raw.FS_MATRIX()
        self.flags = ctypes.c_int()
        self.name = ctypes.create_string_buffer(128)


# FPDFText_GetTextObject returning the bare address: the chars of one text object
# share its state, looked up by address without a ctypes cast per char.
_text_object_address = ctypes.CFUNCTYPE(ctypes.c_void_p, raw.FPDF_TEXTPAGE, ctypes.c_int)(
    ctypes.cast(raw.FPDFText_GetTextObject, ctypes.c_void_p).value)


def _font_name(text_page, index: int, scratch: _TextPage) -> str:
    raw.FPDFText_GetFontInfo(text_page, index, scratch.name, len(scratch.name), scratch.flags)
    return scratch.name.value.decode("latin-1", "replace")


# PDFium reports no space glyph: it drops the content's spaces and generates
# spaces of its own by other rules (also at the narrower gap, 0.20 em, that a
# converter leaves between CJK and Latin or digits; not always where the PDF has
# one). A space glyph is wider (0.22-0.23 em in the fixtures' fonts), so a gap as
# wide on one baseline is taken for the space the PDF carries.
_SPACE_GAP = 0.215


def _word_gap(before: dict, after: dict) -> bool:
    if not (before["upright"] and after["upright"]):
        return False
    size = min(before["size"], after["size"])
    return abs(before["bottom"] - after["bottom"]) < 0.5 * size and after["x0"] - before["x1"] >= _SPACE_GAP * size


def _space_between(before: dict, after: dict) -> dict:
    """A space char filling the gap between two chars."""
    return {**before, "text": " ", "x0": before["x1"], "x1": max(before["x1"], after["x0"]),
            "width": max(0.0, after["x0"] - before["x1"])}


def page_chars(text_page, height: float) -> list[dict] | None:
    """The chars of a text page, or None when a glyph has no Unicode mapping
    (pdfplumber writes those as ``(cid:N)``; the caller lets it read the page)."""
    scratch = _TextPage()
    by_object: dict[int, tuple] = {}
    chars: list[dict] = []
    for index in range(raw.FPDFText_CountChars(text_page)):
        if raw.FPDFText_IsGenerated(text_page, index):
            continue
        code = raw.FPDFText_GetUnicode(text_page, index)
        if raw.FPDFText_HasUnicodeMapError(text_page, index) == 1:
            return None
        text = chr(code)
        if text in "\r\n\x00\ufffe\uffff":
            continue
        key = _text_object_address(text_page, index) or 0
        state = by_object.get(key)
        if state is None:
            raw.FPDFText_GetMatrix(text_page, index, scratch.matrix)
            m = scratch.matrix
            mcid = raw.FPDFPageObj_GetMarkedContentID(ctypes.cast(key, raw.FPDF_PAGEOBJECT)) if key else -1
            size = raw.FPDFText_GetFontSize(text_page, index)
            # pdfminer's rule: upright when the glyphs are neither turned nor mirrored
            upright = m.a * m.d > 0 and m.b * m.c <= 0
            state = ((m.a, m.b, m.c, m.d, m.e, m.f), upright, size, None if mcid < 0 else mcid,
                     _font_name(text_page, index, scratch))
            by_object[key] = state
        matrix, upright, size, mcid, fontname = state
        raw.FPDFText_GetLooseCharBox(text_page, index, scratch.box)
        box = scratch.box
        if upright:
            # pdfminer's box: the advance across, one font size up from the baseline
            raw.FPDFText_GetCharOrigin(text_page, index, scratch.x, scratch.y)
            x0, x1 = box.left, box.right
            y0, y1 = scratch.y.value, scratch.y.value + size * matrix[3]
        else:
            x0, x1, y0, y1 = box.left, box.right, box.bottom, box.top
            size = (y1 - y0) or size
        char = {
            "text": text, "fontname": fontname, "size": size, "upright": upright, "matrix": matrix, "mcid": mcid,
            "x0": x0, "x1": x1, "top": height - y1, "bottom": height - y0, "doctop": height - y1,
            "width": x1 - x0, "height": y1 - y0,
        }
        if chars and _word_gap(chars[-1], char):
            chars.append(_space_between(chars[-1], char))
        chars.append(char)
    return chars


# -- ruling edges ------------------------------------------------------------------


def _transform(matrix: tuple, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


def _compose(inner: tuple, outer: tuple) -> tuple:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _subpaths(path, matrix: tuple) -> list[list[tuple[float, float]]]:
    """Straight-line subpaths of a path object in page space; a Bézier curve
    ends a run (it draws no ruling line)."""
    x, y = ctypes.c_float(), ctypes.c_float()
    runs: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for index in range(raw.FPDFPath_CountSegments(path)):
        segment = raw.FPDFPath_GetPathSegment(path, index)
        raw.FPDFPathSegment_GetPoint(segment, x, y)
        point = _transform(matrix, x.value, y.value)
        kind = raw.FPDFPathSegment_GetType(segment)
        if kind == raw.FPDF_SEGMENT_LINETO and current:
            current.append(point)
        else:
            if len(current) > 1:
                runs.append(current)
            current = [point]
        if raw.FPDFPathSegment_GetClose(segment) and current:
            current.append(current[0])
            runs.append(current)
            current = []
    if len(current) > 1:
        runs.append(current)
    return runs


def _edge(p0: tuple[float, float], p1: tuple[float, float], height: float) -> dict | None:
    x0, x1 = sorted((round(p0[0], 3), round(p1[0], 3)))
    y0, y1 = sorted((round(p0[1], 3), round(p1[1], 3)))
    if x0 == x1:
        orientation = "v"
    elif y0 == y1:
        orientation = "h"
    else:
        return None
    top = height - y1
    return {"object_type": "curve_edge", "x0": x0, "x1": x1, "top": top, "bottom": height - y0, "doctop": top,
            "width": x1 - x0, "height": y1 - y0, "orientation": orientation}


def _paths(container, count_fn, get_fn, matrix: tuple, depth: int = 0) -> Iterator[tuple[Any, tuple]]:
    """Every path object of a page or form, with its matrix in page space."""
    m = raw.FS_MATRIX()
    for index in range(count_fn(container)):
        obj = get_fn(container, index)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind not in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM):
            continue
        raw.FPDFPageObj_GetMatrix(obj, m)
        own = _compose((m.a, m.b, m.c, m.d, m.e, m.f), matrix)
        if kind == raw.FPDF_PAGEOBJ_PATH:
            yield obj, own
        elif depth < 8:  # forms inside forms: bounded, a loop cannot recurse forever
            yield from _paths(obj, raw.FPDFFormObj_CountObjects, raw.FPDFFormObj_GetObject, own, depth + 1)


def page_edges(page, height: float) -> list[dict]:
    """The horizontal and vertical edges of the page's painted paths, as
    pdfplumber derives them from its lines, rects and curves."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    edges: list[dict] = []
    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    for path, matrix in _paths(page, raw.FPDFPage_CountObjects, raw.FPDFPage_GetObject, identity):
        raw.FPDFPath_GetDrawMode(path, fill, stroke)
        if not fill.value and not stroke.value:
            continue  # a clipping path: nothing is drawn
        for run in _subpaths(path, matrix):
            for p0, p1 in zip(run, run[1:]):
                edge = _edge(p0, p1, height)
                if edge is not None:
                    edges.append(edge)
    return edges


# -- pages -----------------------------------------------------------------------


def pdfium_layer(page: pdfium.PdfPage) -> PageLayer | None:
    """The layer of a page read by PDFium, or None where pdfplumber must read it."""
    if page.get_rotation() % 360:
        return None
    left, bottom, right, top = page.get_mediabox()
    if left or bottom:
        return None
    height = top - bottom
    text_page = raw.FPDFText_LoadPage(page)
    try:
        chars = page_chars(text_page, height)
    finally:
        raw.FPDFText_ClosePage(text_page)
    if chars is None:
        return None
    return PageLayer(width=right - left, height=height, chars=chars, edges=page_edges(page, height))


class PdfPages:
    """An open PDF read one page at a time: PDFium for every page it can lay
    out, pdfplumber (opened on first need) for the others and for the whole
    file when PDFium cannot open it. Each page is released after its layer is
    built."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self._plumber = None
        try:
            self.document: pdfium.PdfDocument | None = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as error:
            if "password" in str(error).lower():
                raise
            self.document = None

    @property
    def plumber(self):
        """The file opened by pdfplumber (raises as pdfplumber.open does)."""
        if self._plumber is None:
            import pdfplumber  # the whole package, pdfminer's document layer with it: only for this fallback

            self._plumber = pdfplumber.open(BytesIO(self.data))
        return self._plumber

    def __len__(self) -> int:
        return len(self.document) if self.document is not None else len(self.plumber.pages)

    def layers(self) -> Iterator[PageLayer]:
        for index in range(len(self)):
            layer = None
            if self.document is not None:
                try:
                    page = self.document[index]
                except pdfium.PdfiumError:  # a page PDFium cannot load: pdfplumber's turn
                    page = None
                if page is not None:
                    try:
                        layer = pdfium_layer(page)
                    finally:
                        page.close()
            if layer is None:
                page = self.plumber.pages[index]
                try:
                    layer = layer_of_plumber_page(page)
                finally:
                    page.close()
            yield layer

    def close(self) -> None:
        if self._plumber is not None:
            self._plumber.close()
            self._plumber = None
        if self.document is not None:
            self.document.close()
            self.document = None

    def __enter__(self) -> PdfPages:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
