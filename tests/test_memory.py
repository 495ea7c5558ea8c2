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


def test_pdfium_pages_need_only_pdfplumbers_table_finder():
    """PDFium reads every page of 004.pdf: pdfminer's document layer and
    cryptography stay out; pdfplumber itself still opens a file afterwards
    in the same process (the fallback, or any other caller)."""
    pdf = str(FIXTURES / "004.pdf")
    modules = _modules_after(f"from library import read_plan\nassert read_plan({pdf!r}).measures")
    assert "pdfplumber.table" in modules  # the measurement itself works
    assert not {"pdfminer.pdfdocument", "pdfminer.pdfinterp", "pdfplumber.pdf", "cryptography"} & modules
    after = _modules_after(f"from library import read_plan\nassert read_plan({pdf!r}).measures\n"
                           f"import pdfplumber\nwith pdfplumber.open({pdf!r}) as opened:\n"
                           "    assert len(opened.pages) == 12 and opened.pages[0].find_tables() is not None")
    assert {"pdfplumber.pdf", "pdfminer.pdfdocument"} <= after


def test_pdfplumber_fallback_reads_pages_after_the_partial_load():
    """A page PDFium cannot lay out is read by pdfplumber, loaded whole only
    then: the same characters (spaces aside) as PDFium's layer of the same page."""
    code = (
        "from extractor.readers import pdf_layer\n"
        f"data = open({str(FIXTURES / '004.pdf')!r}, 'rb').read()\n"
        "with pdf_layer.PdfPages(data) as pages:\n    ours = [''.join(c['text'].strip() for c in l.chars) for l in pages.layers()]\n"
        "import sys\nassert 'pdfplumber.pdf' not in sys.modules\n"
        "pdf_layer.pdfium_layer = lambda page: None  # every page taken for one PDFium cannot lay out\n"
        "with pdf_layer.PdfPages(data) as pages:\n    theirs = [''.join(c['text'].strip() for c in l.chars) for l in pages.layers()]\n"
        "assert len(ours) == 12 and all(ours) and ours == theirs, (ours[0][:80], theirs[0][:80])"
    )
    assert {"pdfplumber.pdf", "pdfminer.pdfdocument"} <= _modules_after(code)


def test_threads_meeting_the_partly_loaded_pdfplumber_all_get_it_whole():
    """The web page serves requests on threads: sixteen reaching pdfplumber.open
    at once after the partial load each get the one function, none a package
    caught half-built (an AttributeError before the lock)."""
    code = (
        "import threading\nimport extractor.readers.plumber\nimport pdfplumber\n"
        "found, failed = [], []\nbarrier = threading.Barrier(16)\n"
        "def use():\n    barrier.wait()\n    try:\n        found.append(pdfplumber.open)\n"
        "    except Exception as error:\n        failed.append(repr(error))\n"
        "threads = [threading.Thread(target=use) for _ in range(16)]\n"
        "[thread.start() for thread in threads]\n[thread.join() for thread in threads]\n"
        "assert not failed and len(found) == 16 and len({id(f) for f in found}) == 1, failed[:1]\n"
        "assert '__getattr__' not in vars(pdfplumber)\n"
        "try:\n    pdfplumber.no_such_name\nexcept AttributeError:\n    pass\nelse:\n    raise AssertionError('a missing name was found')"
    )
    assert "pdfplumber.pdf" in _modules_after(code)


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


def _with_page_number_page(target) -> object:
    """Fixture 004.pdf with a page of its own that holds only a page number
    (as the long plan's page 13 holds a date and a page number)."""
    import ctypes
    import io

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(FIXTURES / "004.pdf")
    page = document.new_page(595, 842)
    font = raw.FPDFText_LoadStandardFont(document, b"Helvetica")
    label = raw.FPDFPageObj_CreateTextObj(document, font, 10.0)
    wide = ctypes.create_string_buffer("- 13 -".encode("utf-16-le") + b"\0\0")
    raw.FPDFText_SetText(label, ctypes.cast(wide, ctypes.POINTER(ctypes.c_ushort)))
    raw.FPDFPageObj_Transform(label, 1, 0, 0, 1, 280, 40)
    raw.FPDFPage_InsertObject(page, label)
    raw.FPDFPage_GenerateContent(page)
    buffer = io.BytesIO()
    document.save(buffer)
    target.write_bytes(buffer.getvalue())
    return target


def test_a_page_with_a_few_characters_and_no_image_is_not_recognised(tmp_path):
    """Only a page without text, or with little text over an image, is a scan:
    recognising a page number loaded OpenCV, numpy and an engine (the long
    plan's first read peaked at 213 MiB instead of 88)."""
    from extractor.readers.pdf import textless_pages

    path = _with_page_number_page(tmp_path / "plan.pdf")
    data = path.read_bytes()
    assert textless_pages(data, 20) == []
    assert textless_pages((FIXTURES / "scanned.pdf").read_bytes(), 20) == [1]  # an image page still is
    code = (f"import os\nos.environ['XDG_CACHE_HOME'] = {str(tmp_path / 'cache')!r}\n"
            f"from library import read_plan\nplan = read_plan({str(path)!r})\n"
            "assert plan.measures and not plan.source.ocr_pages, plan.source")
    modules = _modules_after(code)
    assert _top_level(modules) & {"cv2", "numpy", "PIL"} == set()
