"""One recognised page, in PDF points, and a page object the PDF geometry
reader accepts as if it were a pdfplumber page.

The recognised words become chars (a word's box shared out among its
characters, CJK characters full width, Latin and digits half) and the ruling
lines edges, so that extractor.readers.pdf reads a scan with the same code as
an untagged digital PDF: pdfplumber's table finder builds the cell grid and
its merged cells from the edges, the chars go into cells and paragraphs by
position, page-break rows are joined and running headers dropped."""

from __future__ import annotations

import re
import unicodedata

from pydantic import BaseModel

from normalizers.ocr import fix_ocr_confusions


class OcrWord(BaseModel):
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float


class OcrLine(BaseModel):
    words: list[OcrWord]
    top: float
    bottom: float


class OcrRuling(BaseModel):
    x0: float
    top: float
    x1: float
    bottom: float
    horizontal: bool


class RecognisedPage(BaseModel):
    """What OCR found on one page; coordinates in points (1/72 inch) of the
    upright, deskewed page."""

    width: float
    height: float
    lines: list[OcrLine]
    rulings: list[OcrRuling]
    turned: int = 0  # degrees the page was turned clockwise before reading
    skew: float = 0.0  # degrees the page was straightened by
    engine: str = ""

    @property
    def confidence(self) -> float | None:
        """Mean word confidence, weighted by characters."""
        pairs = [(len(word.text), word.confidence) for line in self.lines for word in line.words]
        total = sum(count for count, _ in pairs)
        return sum(count * conf for count, conf in pairs) / total if total else None

    @property
    def char_count(self) -> int:
        return sum(len(word.text) for line in self.lines for word in line.words)


def _char_weights(text: str) -> list[float]:
    return [1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.55 for ch in text]


_NOISE_CONFIDENCE = 0.5
_KEPT_MARKS = "、：:（）()「」"  # a speck is never read as these; a heading marker's 、 is often doubtful


def is_noise(word: OcrWord) -> bool:
    """A speck or a remnant of a ruling line read as a mark: a doubtful word of
    punctuation and symbols only (「|」 「[」 「“」 「。」)."""
    return word.confidence < _NOISE_CONFIDENCE and not any(ch.isalnum() or ch in _KEPT_MARKS for ch in word.text)


def _overlap(a: OcrWord, b: OcrWord) -> float:
    """The share of the smaller box that the two boxes have in common."""
    width = min(a.x1, b.x1) - max(a.x0, b.x0)
    height = min(a.bottom, b.bottom) - max(a.top, b.top)
    if width <= 0 or height <= 0:
        return 0.0
    smaller = min((a.x1 - a.x0) * (a.bottom - a.top), (b.x1 - b.x0) * (b.bottom - b.top)) or 1.0
    return width * height / smaller


def without_duplicates(lines: list[OcrLine]) -> list[OcrLine]:
    """The lines without words that another line read again at the same place
    (tesseract can return a noisy stretch twice, as two overlapping lines):
    where two lines' words overlap, the more confident one is kept."""
    ranked = sorted(((word.confidence, index, word) for index, line in enumerate(lines) for word in line.words),
                    key=lambda item: -item[0])
    kept: dict[int, list[OcrWord]] = {}
    buckets: dict[int, list[tuple[int, OcrWord]]] = {}
    for _, index, word in ranked:
        rows = range(int(word.top // 20), int(word.bottom // 20) + 1)
        if any(other_index != index and _overlap(word, other) > 0.5
               for row in rows for other_index, other in buckets.get(row, [])):
            continue
        kept.setdefault(index, []).append(word)
        for row in rows:
            buckets.setdefault(row, []).append((index, word))
    result = []
    for index, line in enumerate(lines):
        words = [word for word in line.words if any(word is other for other in kept.get(index, []))]
        if words:
            result.append(OcrLine(words=words, top=line.top, bottom=line.bottom))
    return result


_RULING_REMNANT = re.compile(r"^[|\[\]丨]+(?=\S)|(?<=\S)[|\[\]丨]+$")


def without_remnants(word: OcrWord) -> OcrWord:
    """A word without the bits of a ruling line it was read with (「[具體」
    「組|」): a bracket without its pair or a bar at the word's edge."""
    text = word.text
    if text.count("[") != text.count("]") or "|" in text or "丨" in text:
        text = _RULING_REMNANT.sub("", text)
    return word if text == word.text else word.model_copy(update={"text": text})


def corrected(line: OcrLine) -> OcrLine:
    """The line with ruling remnants dropped and OCR confusions corrected
    (normalizers.ocr), word by word in place: the rules see the whole line but
    change one character for one."""
    words = [without_remnants(word) for word in line.words]
    text = fix_ocr_confusions("".join(word.text for word in words))
    fixed, start = [], 0
    for word in words:
        fixed.append(word.model_copy(update={"text": text[start:start + len(word.text)]}))
        start += len(word.text)
    return OcrLine(words=[word for word in fixed if word.text], top=line.top, bottom=line.bottom)


def body_size(lines: list[OcrLine]) -> float:
    """The usual text height of the page: the median height of its lines."""
    heights = sorted(line.bottom - line.top for line in lines if line.bottom > line.top)
    return heights[len(heights) // 2] if heights else 10.0


def line_chars(line: OcrLine, size: float) -> list[dict]:
    """pdfplumber-style chars of a line: each word's box shared out among its
    characters by width. The ink of a word rises and falls with its glyphs
    (「一」 is flat, 「（」 tall), so body text gets the page's body size,
    centred on the word's ink; a small word (「、」, 「。」) takes the middle of
    its nearest full-height neighbour. Each word keeps its own band: an engine
    may put words of two neighbouring cells' offset lines into one line, which
    the geometry reader's bands take apart again. Words never overlap (an
    engine's boxes may), so the characters stay in reading order."""
    words = [word for word in line.words if not is_noise(word)]
    full = [word for word in words if 0.6 * size <= word.bottom - word.top <= 1.5 * size]
    chars = []
    cursor = float("-inf")
    for position, word in enumerate(words):
        height = word.bottom - word.top
        if not full and height > 1.5 * size:  # a line of larger type (a title)
            top, bottom, char_size = word.top, word.bottom, height
        else:
            anchor = word if word in full or not full else min(full, key=lambda other: abs(other.x0 - word.x0))
            middle = (anchor.top + anchor.bottom) / 2
            top, bottom, char_size = middle - size / 2, middle + size / 2, size
        start = max(word.x0, cursor)
        end = word.x1
        following = words[position + 1] if position + 1 < len(words) else None
        if following is not None and start < following.x0 < end:
            end = following.x0  # an engine's box reaching over the next word's
        end = max(end, start + 0.5 * len(word.text))
        weights = _char_weights(word.text)
        total = sum(weights) or 1.0
        x = start
        for ch, weight in zip(word.text, weights):
            width = (end - start) * weight / total
            chars.append({"text": ch, "x0": x, "x1": x + width, "top": top, "bottom": bottom,
                          "size": char_size, "upright": True, "confidence": word.confidence})
            x += width
        cursor = end
    return chars


def _edge(ruling: OcrRuling) -> dict:
    return {"x0": ruling.x0, "x1": ruling.x1, "top": ruling.top, "bottom": ruling.bottom,
            "width": ruling.x1 - ruling.x0, "height": ruling.bottom - ruling.top,
            "orientation": "h" if ruling.horizontal else "v", "object_type": "line"}


class OcrPage:
    """The parts of pdfplumber's Page that the geometry reader and the table finder use."""

    def __init__(self, recognised: RecognisedPage) -> None:
        self.recognised = recognised
        self.width = recognised.width
        self.height = recognised.height
        self.bbox = (0.0, 0.0, recognised.width, recognised.height)
        lines = [corrected(line) for line in without_duplicates(recognised.lines)]
        size = body_size(lines)
        self.chars = [char for line in lines for char in line_chars(line, size)]
        self.edges = [_edge(ruling) for ruling in recognised.rulings]

    def extract_words(self, **_: object) -> list[dict]:
        """Words as pdfplumber makes them, for the text-alignment table finder:
        runs of characters less than 3 pt (or half a character) apart (an engine splits
        CJK text into many short words, which would line up as false columns)."""
        words: list[dict] = []
        for char in self.chars:
            last = words[-1] if words else None
            if last is not None and abs(last["top"] - char["top"]) < 0.3 * char["size"] \
                    and -1 <= char["x0"] - last["x1"] <= max(3.0, 0.5 * char["size"]):
                last["text"] += char["text"]
                last["x1"] = char["x1"]
            else:
                words.append({"text": char["text"], "x0": char["x0"], "x1": char["x1"], "top": char["top"],
                              "bottom": char["bottom"], "upright": True, "direction": "ltr"})
        return words

    def find_tables(self, settings: dict) -> list:
        from pdfplumber.table import TableFinder

        return TableFinder(self, settings).tables

    def close(self) -> None:
        pass
