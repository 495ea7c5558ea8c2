"""Memory: what a process loads and allocates to read a plan. Counts modules
and bytes allocated, never seconds (benchmarks/extraction_bench.py measures the
peak resident memory of the 241-page plan)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests import FIXTURES, ROOT, SAMPLES

# Libraries only one format, OCR, search or the web page needs: each is tens of MB resident.
READER_LIBRARIES = {"pdfplumber", "pdfminer", "pypdfium2", "cryptography", "cv2", "numpy", "PIL", "docx", "lxml",
                    "openpyxl", "rapidocr", "onnxruntime"}
TEXT_LIBRARIES = {"jieba", "opencc"}
WEB = {"flask", "werkzeug", "jinja2"}


def _modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``code``."""
    script = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, encoding="utf-8",
                            cwd=ROOT, timeout=900)
    assert result.returncode == 0, result.stderr[-2000:]
    return set(json.loads(result.stdout.splitlines()[-1]))


def _top_level(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def test_importing_the_library_loads_no_reader_text_or_web_library():
    modules = _modules_after("import library")
    assert {"library", "extractor.readers.pdf", "extractor.readers.docx", "checks", "corpus"} <= modules
    assert _top_level(modules) & (READER_LIBRARIES | TEXT_LIBRARIES | WEB) == set()
    assert "odf.opendocument" not in modules  # odfpy's namespace constants only


def test_reading_a_pdf_plan_loads_no_ocr_word_or_search_library():
    modules = _modules_after(f"from library import read_plan\nassert read_plan({str(FIXTURES / '004.pdf')!r}).measures")
    assert {"pypdfium2", "pdfplumber"} <= _top_level(modules)  # the measurement itself works
    assert _top_level(modules) & {"cv2", "numpy", "PIL", "docx", "lxml", "openpyxl", "jieba"} == set()
    assert "odf.opendocument" not in modules


def test_reading_a_word_plan_loads_no_pdf_library():
    modules = _modules_after(f"from library import read_plan\nassert read_plan({str(FIXTURES / '004.docx')!r}).measures")
    assert "docx" in _top_level(modules)
    assert _top_level(modules) & {"pdfplumber", "pdfminer", "pypdfium2", "cryptography", "cv2", "numpy"} == set()


@pytest.fixture(scope="module")
def long_text() -> str:
    """200,000 characters of real plan text: about a 240-page plan's body."""
    text = "\n".join(path.read_text(encoding="utf-8") for path in SAMPLES)
    return (text * (200_000 // len(text) + 1))[:200_000]


@pytest.mark.parametrize("name", ["to_halfwidth", "fold_key", "simplified_ratio", "normalize_text", "FoldedText"])
def test_folding_a_whole_plan_allocates_no_object_per_character(long_text, name):
    """A whole plan's text is widened, folded and counted in passes over the
    string: a Python object per CJK character (a join or a list of them) cost
    45–85 bytes a character, 9–17 MB for this text."""
    import tracemalloc

    from checks.matching import FoldedText
    from normalizers import text as text_module

    function = FoldedText if name == "FoldedText" else getattr(text_module, name)
    function(long_text[:100])  # converters and tables set up outside the count
    tracemalloc.start()
    try:
        function(long_text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 24 * len(long_text), f"{name}: {peak / len(long_text):.1f} bytes a character"
