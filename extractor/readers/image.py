"""Page images (.png, .jpg, .tif/.tiff, multi-page TIFF): every frame a page,
recognised by OCR and read by the PDF geometry reader."""

from __future__ import annotations

import hashlib
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from extractor.elements import Document
from extractor.errors import CorruptFile, NoTextFound, PageImage, TooLarge
from extractor.ocr.page import OcrPage
from extractor.ocr.run import OcrOptions, recognise_pages
from extractor.readers.base import Probe, ReadLimits
from extractor.readers.pdf import geometry_elements, read_page

if TYPE_CHECKING:
    import numpy as np

_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
_MAX_PIXELS = 200_000_000  # Pillow's own bomb limit is per frame; this bounds a page


def _frames(path: Path, data: bytes, default_dpi: int) -> list[tuple[np.ndarray, int]]:
    import numpy as np  # on first use, like the OCR they feed: a plan with a text layer never loads them
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        with Image.open(BytesIO(data)) as image:
            frames = []
            for frame in ImageSequence.Iterator(image):
                if frame.width * frame.height > _MAX_PIXELS:
                    raise TooLarge(path, f"一頁 {frame.width}×{frame.height} 像素")
                dpi = frame.info.get("dpi", (default_dpi,))[0]
                dpi = int(round(float(dpi))) if dpi and float(dpi) >= 72 else default_dpi
                frames.append((np.asarray(frame.convert("L")), dpi))
            return frames
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise CorruptFile(path, f"影像無法讀取：{type(error).__name__}") from None


def read_image(path: Path, data: bytes, ocr: OcrOptions | None, max_pages: int = 2000) -> Document:
    if ocr is None:
        raise PageImage(path)
    frames = _frames(path, data, ocr.settings.image_dpi)
    if len(frames) > max_pages:
        raise TooLarge(path, f"{len(frames)} 頁，上限 {max_pages} 頁")
    renderers = [(number, (lambda frame=frame: frame)) for number, frame in enumerate(frames, start=1)]
    recognised = recognise_pages(ocr, hashlib.sha256(data).hexdigest(), renderers, label=path.name)
    pages = [read_page(OcrPage(recognised[number]), number) for number in sorted(recognised)]
    elements, total_chars = geometry_elements(pages)
    if total_chars == 0:
        raise NoTextFound(path)
    return Document(elements=elements, pages=len(frames), reading=f"page images, OCR ({ocr.settings.engine})",
                    ocr_pages={number: page.confidence for number, page in recognised.items()})


def sniff(probe: Probe) -> bool:
    return probe.data.startswith(_IMAGE_MAGIC)


def read(path: Path, data: bytes, limits: ReadLimits) -> Document:
    return read_image(path, data, limits.ocr, max_pages=limits.max_pdf_pages)
