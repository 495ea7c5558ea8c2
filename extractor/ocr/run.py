"""Recognise the pages of one file: from the cache where it has them, the
others spread over worker threads (each engine call runs outside the GIL:
tesseract is a process, onnxruntime native code), with a progress bar per
page when stderr is a terminal (and this is not a batch worker)."""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from extractor.ocr import cache
from extractor.ocr.page import RecognisedPage
from extractor.ocr.settings import OcrSettings

if TYPE_CHECKING:
    import numpy as np

PageImage = Callable[[], "tuple[np.ndarray, int]"]  # renders one page on demand: the image and its dpi


@dataclass(frozen=True)
class OcrOptions:
    """Whether and how pages are recognised. Only ``settings`` shape the result
    (and the cache key); the rest is how the work is done."""

    settings: OcrSettings = OcrSettings()
    jobs: int = 1
    use_cache: bool = True
    progress: bool = True  # a bar on a terminal; quiet when stderr is not one


def recognise(image: np.ndarray, dpi: int, settings: OcrSettings) -> RecognisedPage:
    """extractor.ocr.recognise, imported on the first scanned page: OpenCV and
    numpy (50 MB) are never loaded for a file with a text layer."""
    from extractor.ocr.recognise import recognise as recognise_image

    return recognise_image(image, dpi, settings)


def recognise_pages(run: OcrOptions, sha256: str, pages: Sequence[tuple[int, PageImage]],
                     label: str = "") -> dict[int, RecognisedPage]:
    """The recognised page for every (page number, renderer) given."""
    results: dict[int, RecognisedPage] = {}
    todo = []
    for number, render in pages:
        cached = cache.load(cache.entry(sha256, run.settings, number)) if run.use_cache else None
        if cached is not None:
            results[number] = cached
        else:
            todo.append((number, render))
    if not todo:
        return results

    def work(item: tuple[int, PageImage]) -> tuple[int, RecognisedPage]:
        number, render = item
        image, dpi = render()
        page = recognise(image, dpi, run.settings)
        if run.use_cache:
            cache.store(cache.entry(sha256, run.settings, number), page)
        return number, page

    # Only the main process draws: batch workers share the terminal with the batch's own bar.
    show = run.progress and sys.stderr.isatty() and multiprocessing.parent_process() is None
    with _bar(show, len(todo), label) as advance, \
            ThreadPoolExecutor(max_workers=max(1, min(run.jobs, len(todo)))) as pool:
        for number, page in pool.map(work, todo):
            results[number] = page
            advance()
    return results


class _bar:
    def __init__(self, show: bool, total: int, label: str) -> None:
        self.show, self.total, self.label = show, total, label
        self.progress = None

    def __enter__(self) -> Callable[[], None]:
        if not self.show:
            return lambda: None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(TextColumn("OCR {task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TimeRemainingColumn(), transient=True, console=Console(stderr=True))
        self.progress.start()
        task = self.progress.add_task(self.label, total=self.total)
        return lambda: self.progress.advance(task)

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()
