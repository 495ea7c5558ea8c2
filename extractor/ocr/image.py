"""A page image made ready for recognition: gray, upright, straight, ruling
lines found and erased.

    unwarped     a photographed page (perspective: the sheet a quadrilateral on a
                 darker ground) mapped back to a rectangle
    orientation  pages fed sideways or upside down are turned (tesseract's
                 orientation detection; a trial of both readings when it cannot tell)
    deskew       the small angle a page lies at on the glass, from the angle at
                 which the rows of ink line up best (projection profile)
    binarise     adaptive threshold, so uneven light (a photographed page) leaves
                 no dark patches: for finding lines, angles and cells
    flattened    the gray page with uneven light divided out: for the engine
    specks       dust, to be erased before the engine reads the page
    line_bands   the text lines of a table cell, each read as one line
    rulings      long horizontal and vertical strokes (morphological opening)
                 are the table's ruling lines; they are returned as segments
                 and a mask, to be erased so that the engine does not read them as 一 or |
    cell_boxes   the cells those lines close, each read on its own: a page
                 engine's layout analysis runs a table's rows together across
                 its columns (one "line" from the first cell to the last)"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass
class Segment:
    """A ruling line in pixels: horizontal when y0 == y1 (roughly), else vertical."""

    x0: float
    y0: float
    x1: float
    y1: float
    horizontal: bool


def gray(image: np.ndarray) -> np.ndarray:
    if image.ndim == 3:
        return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY if image.shape[2] == 3 else cv2.COLOR_BGRA2GRAY)
    return image


def turn(image: np.ndarray, degrees: int) -> np.ndarray:
    """The image turned clockwise by a multiple of 90 degrees."""
    codes = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return cv2.rotate(image, codes[degrees % 360]) if degrees % 360 else image


def page_corners(image: np.ndarray) -> np.ndarray | None:
    """The four corners of the sheet of paper in a photograph (top left, top
    right, bottom right, bottom left), or None when the image is the page
    (a scan) or no sheet stands out from what surrounds it.

    The paper is the region that a flood from the image's centre reaches in
    small steps of brightness, on a reduced copy with the ink filtered out: the
    light may fall off across the sheet (a shadow), but smoothly, while the
    sheet's edge is a jump. Its convex hull, simplified until four points
    remain, gives the corners."""
    scale = min(1.0, 800 / max(image.shape))
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else image
    small = cv2.GaussianBlur(cv2.medianBlur(small, 7), (5, 5), 0)
    height, width = small.shape
    # Edges stop the flood where the ground narrows to a sliver that the filters blur into the paper.
    mask = np.pad(cv2.dilate(cv2.Canny(small, 20, 60), np.ones((3, 3), np.uint8)) // 255, 1)
    cv2.floodFill(small.copy(), mask, (width // 2, height // 2), 255, loDiff=3, upDiff=3,
                  flags=4 | cv2.FLOODFILL_MASK_ONLY | (255 << 8))
    paper = np.where(mask[1:-1, 1:-1] == 255, 255, 0).astype(np.uint8)
    contours, _ = cv2.findContours(paper, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    hull = cv2.convexHull(max(contours, key=cv2.contourArea))
    if cv2.contourArea(hull) < 0.3 * width * height:
        return None
    perimeter = cv2.arcLength(hull, True)
    quad = None
    for share in (0.01, 0.02, 0.03, 0.05):
        approx = cv2.approxPolyDP(hull, share * perimeter, True)
        if len(approx) == 4:
            quad = approx.reshape(4, 2).astype(np.float32)
            break
    if quad is None:
        return None
    by_sum, by_difference = quad.sum(axis=1), np.diff(quad, axis=1).ravel()
    corners = np.array([quad[np.argmin(by_sum)], quad[np.argmin(by_difference)],
                        quad[np.argmax(by_sum)], quad[np.argmax(by_difference)]], dtype=np.float32)
    frame = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32)
    if np.abs(corners - frame).max() < 0.01 * max(width, height):
        return None  # the page fills the image: nothing to straighten
    return corners / scale


def unwarped(image: np.ndarray) -> np.ndarray:
    """A photographed page seen square on: the sheet's corners mapped to a
    rectangle as wide and tall as its longer opposite edges (the edge further
    from the camera is the shorter one). A scan is returned as it is."""
    corners = page_corners(image)
    if corners is None:
        return image
    top_left, top_right, bottom_right, bottom_left = corners
    width = int(round(max(np.linalg.norm(top_right - top_left), np.linalg.norm(bottom_right - bottom_left))))
    height = int(round(max(np.linalg.norm(bottom_left - top_left), np.linalg.norm(bottom_right - top_right))))
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(corners, target)
    return cv2.warpPerspective(image, matrix, (width, height), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)


def binarise(image: np.ndarray) -> np.ndarray:
    """Black ink (0) on white (255); the threshold follows the local background."""
    block = max(31, (min(image.shape[:2]) // 40) | 1)
    blurred = cv2.medianBlur(image, 3)
    return cv2.adaptiveThreshold(blurred, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, 20)


def flattened(image: np.ndarray, dpi: int) -> np.ndarray:
    """The gray page with its background lifted to white (uneven light divided
    out) and the glyphs' gray edges kept: what the engine reads. An engine reads
    a gray page better than our binarised one, whose fixed threshold breaks the
    thin strokes of dense characters in a soft 200-dpi scan (櫃檯 read as 櫃樣)."""
    size = max(15, int(dpi * 0.15)) | 1  # wider than any glyph's stroke: closing leaves the paper alone
    background = cv2.morphologyEx(image, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size)))
    return cv2.divide(image, np.maximum(background, 1), scale=255)


def line_bands(ink: np.ndarray) -> list[tuple[int, int]]:
    """The text lines of a table cell's image (``ink`` True where there is ink)
    as runs of rows with ink between blank rows: (first row, row after the last).
    A run much lower than the cell's usual line (a speck, the dot of a mark cut
    off by the scan) joins its nearest neighbour."""
    rows = ink.any(axis=1)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], rows.astype(np.int8), [0]])))
    runs = [[int(start), int(end)] for start, end in zip(edges[::2], edges[1::2])]
    if len(runs) < 2:
        return [tuple(run) for run in runs]
    usual = sorted(end - start for start, end in runs)[len(runs) // 2]
    merged: list[list[int]] = []
    for run in runs:
        if merged and (run[1] - run[0] < 0.4 * usual or merged[-1][1] - merged[-1][0] < 0.4 * usual) \
                and run[0] - merged[-1][1] < 0.5 * usual:
            merged[-1][1] = run[1]
        else:
            merged.append(run)
    return [tuple(run) for run in merged]


def specks(binary: np.ndarray, dpi: int) -> np.ndarray:
    """The mask of dust on the page: blobs of ink smaller than a full stop
    (about 0.3 mm across). A speck between two lines of a cell can make the
    engine take the block for something else and read it as a column of
    single characters."""
    ink = 255 - binary
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    largest = max(2, round(dpi * 0.3 / 25.4))
    small = np.zeros(count, dtype=bool)
    small[1:] = (stats[1:, cv2.CC_STAT_WIDTH] <= largest) & (stats[1:, cv2.CC_STAT_HEIGHT] <= largest)
    mask = small[labels].astype(np.uint8) * 255
    return cv2.dilate(mask, np.ones((3, 3), np.uint8))  # with the speck's gray rim


def skew_angle(binary: np.ndarray, limit: float) -> float:
    """The angle (degrees, anticlockwise positive as cv2 counts) that makes rows
    of ink line up best: the variance of the row sums peaks when text lines and
    horizontal rulings lie level."""
    ink = 255 - binary
    scale = min(1.0, 1200 / max(ink.shape))
    small = cv2.resize(ink, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else ink
    center = (small.shape[1] / 2, small.shape[0] / 2)

    def sharpness(angle: float) -> float:
        matrix = cv2.getRotationMatrix2D(center, angle, 1.0)
        turned = cv2.warpAffine(small, matrix, (small.shape[1], small.shape[0]), flags=cv2.INTER_NEAREST)
        return float(np.var(turned.sum(axis=1, dtype=np.float64)))

    best, step = 0.0, 0.5
    candidates = np.arange(-limit, limit + 1e-9, step)
    while step >= 0.05:
        best = max(candidates, key=sharpness)
        step /= 4
        candidates = np.arange(best - 2 * step, best + 2 * step + 1e-9, step)
    return float(best)


def rotate(image: np.ndarray, angle: float) -> np.ndarray:
    if abs(angle) < 0.05:
        return image
    center = (image.shape[1] / 2, image.shape[0] / 2)
    matrix = cv2.getRotationMatrix2D(center, angle, 1.0)
    return cv2.warpAffine(image, matrix, (image.shape[1], image.shape[0]), flags=cv2.INTER_CUBIC,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=255)


def rulings(binary: np.ndarray, dpi: int) -> tuple[list[Segment], np.ndarray]:
    """The ruling lines of the page, and the mask of them to erase.

    A stroke is a ruling line when it runs straight for more than about 1.5 cm:
    no glyph does. Opening with a long thin kernel keeps exactly those."""
    ink = 255 - binary
    length = max(20, int(dpi * 0.6))
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))
    segments = _segments(horizontal, True) + _segments(vertical, False)
    # Erase a little wider than the stroke: its anti-aliased edge would read as a stroke of a glyph.
    lines = cv2.dilate(cv2.bitwise_or(horizontal, vertical), np.ones((3, 3), np.uint8))
    return segments, lines


@dataclass
class Box:
    """A rectangle in pixels: a table cell's inside."""

    x0: int
    y0: int
    x1: int
    y1: int


def cell_boxes(lines: np.ndarray, dpi: int) -> list[Box]:
    """The insides of the table cells that the ruling lines close on every side
    (a merged cell is one), in reading order.

    They are the regions of the page the lines enclose: connected areas of
    non-line pixels that do not reach the page's edge (the page around a table
    does), at least a line of text high and about as full as their bounding
    box (a cell is a rectangle; the gap between two tables is not closed)."""
    # Close small gaps in the lines (a broken scan of a stroke) so that a cell does not leak.
    closed = cv2.dilate(lines, np.ones((5, 5), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(255 - closed, connectivity=4)
    height, width = lines.shape
    minimum = max(8, int(dpi * 0.12))
    boxes = []
    for index in range(1, count):
        x, y, w, h, area = stats[index]
        if x == 0 or y == 0 or x + w >= width or y + h >= height:
            continue
        if w < minimum or h < minimum or area < 0.85 * w * h:
            continue
        boxes.append(Box(int(x), int(y), int(x + w), int(y + h)))
    return sorted(boxes, key=lambda box: (box.y0, box.x0))


def _segments(mask: np.ndarray, horizontal: bool) -> list[Segment]:
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    segments = []
    for index in range(1, count):
        x, y, width, height, _ = stats[index]
        if horizontal:
            middle = y + height / 2
            segments.append(Segment(float(x), middle, float(x + width), middle, True))
        else:
            middle = x + width / 2
            segments.append(Segment(middle, float(y), middle, float(y + height), False))
    return segments
