"""Robustness: fuzzed text through the parsers and normalizers, and malformed
PDF/DOCX/ODT/HTML files through ``plancheck extract``.

Every input must end in a result or a ``PlanError`` (a one-line ``plancheck: …``
message and exit status 1 from the command) — never another exception, a
traceback, a hang or runaway memory. The malformed files are generated here in
a temporary folder; each runs in its own ``plancheck extract`` process with a
timeout that only a real hang reaches and an address-space limit
(``RLIMIT_AS``), two at a time. Speed is never asserted: that the work grows
no faster than the input is checked by counting function calls (cProfile's
count is the same on a busy machine as on an idle one); the seconds live in
benchmarks/."""

from __future__ import annotations

import io
import random
import re
import resource
import shutil
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor import build_plan
from extractor.errors import PlanError
from extractor.readers.text import parse_text
from models import SourceFile
from normalizers.frequency import find_frequencies
from normalizers.numbering import split_items
from normalizers.text import fold_key, normalize_text
from tests import FIXTURES, hostile

PLANCHECK = str(Path(sys.executable).with_name("plancheck"))
HANG_S = 900  # per file: only a real hang reaches it (an idle run takes 1-15 s)
MEMORY_BYTES = 3 * 1024**3  # address space of each extract process

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)


# -- property-based fuzzing of the text parsers and normalizers ------------------------

MARKERS = ["一、", "二、", "(一)", "（二）", "1.", "2、", "(1)", "（2）", "①", "壹、", "貳、", "甲、", "A.", "第一章", "十一、"]
WORDS = ["面向", "執行策略", "具體推動作法", "辦理情形", "主辦單位", "協辦單位", "完成期限", "預期效益", "提升服務品質",
         "每3個月", "每季", "每年至少2次", "不定期", "半年", "每月1次", "12月底前", "持續辦理", "105年度", "一○五年",
         "秘書室", "戶政事務所", "%", "件", "人次", "簡化申辦流程", "执行策略", "ｗｅｂ２．０", "Web 2.0", "每 3 個月"]
SEPARATORS = ["\t", " ", "　", "|", "\n", "\r\n", "，", "。", "；", ""]
FOLDING = "\u3000\u00a0\u200b\ufeff\u2028\x0c\x00\ufffd\ud7ff\U0002a6a5"

structured_text = st.lists(
    st.one_of(st.sampled_from(MARKERS), st.sampled_from(WORDS), st.sampled_from(SEPARATORS),
              st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
              st.integers(min_value=-5, max_value=10**12).map(str), st.sampled_from(list(FOLDING))),
    max_size=80,
).map("".join)
any_text = st.one_of(st.text(max_size=400), structured_text)

SOURCE = SourceFile(path="fuzz.txt", sha256="0" * 64, format="text")


@FUZZ
@given(any_text)
def test_text_parser_and_plan_builder_end_in_a_plan_or_plan_error(text):
    try:
        plan, _ = build_plan(parse_text(text), SOURCE)
    except PlanError:
        return
    _assert_measures_come_from(plan, text)


def _assert_measures_come_from(plan, text: str) -> None:
    """Every measure has text, and no character the input did not have."""
    source = set(fold_key(text))
    for measure in plan.measures:
        assert measure.text.strip(), measure
        assert set(fold_key(measure.text)) <= source, (measure.text, text)


@FUZZ
@given(st.lists(st.lists(st.one_of(st.sampled_from(MARKERS + WORDS), st.text(max_size=8)), min_size=1, max_size=5)
                .map("\t".join), max_size=40))
def test_tab_tables_end_in_a_plan_or_plan_error(lines):
    text = "臺北市政府105年度提升服務品質執行計畫\n面向\t執行策略\t具體推動作法\n" + "\n".join(lines)
    try:
        plan, _ = build_plan(parse_text(text), SOURCE)
    except PlanError:
        return
    _assert_measures_come_from(plan, text)


@FUZZ
@given(any_text)
def test_normalize_text_is_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once


@FUZZ
@given(any_text)
def test_split_items_keeps_to_the_input(text):
    items = split_items(text)
    rebuilt = "".join((marker.raw if marker else "") + part for marker, part in items)
    assert re.sub(r"\s+", "", rebuilt) == re.sub(r"\s+", "", text)


@FUZZ
@given(any_text)
def test_find_frequencies_offsets_point_into_the_text(text):
    for frequency in find_frequencies(text):
        assert frequency.quote
        assert frequency.per_year is None or frequency.per_year >= 0


# -- malformed files through `plancheck extract` -----------------------------------------


def _limits() -> None:  # runs in the child before exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _extract(path: Path) -> tuple[Path, subprocess.CompletedProcess | None]:
    try:
        done = subprocess.run([PLANCHECK, "extract", str(path)], capture_output=True, text=True,
                              timeout=HANG_S, preexec_fn=_limits)
    except subprocess.TimeoutExpired:
        return path, None
    return path, done


def _check_all(paths: list[Path]) -> dict[str, str]:
    """Run extract on every path, 2 at a time; fail on a hang, a crash or a traceback. Returns name → outcome."""
    outcomes = {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        for path, done in pool.map(_extract, paths):
            assert done is not None, f"{path.name}: no answer within {HANG_S} s (a hang)"
            assert "Traceback" not in done.stderr, f"{path.name}: {done.stderr[-3000:]}"
            assert done.returncode in (0, 1), f"{path.name}: exit {done.returncode}: {done.stderr[-2000:]}"
            if done.returncode == 1:
                # pdfminer may log warnings first ("MediaBox missing …"); the error itself is one line, last
                lines = done.stderr.strip().splitlines()
                assert lines and lines[-1].startswith("plancheck: "), f"{path.name}: {done.stderr[-2000:]}"
                assert sum(line.startswith("plancheck: ") for line in lines) == 1, done.stderr[-2000:]
                assert "無法處理（" not in lines[-1], f"{path.name}: not a PlanError: {lines[-1]}"
                outcomes[path.name] = lines[-1]
            else:
                assert done.stdout.lstrip().startswith("{"), path.name
                outcomes[path.name] = "ok"
    return outcomes


def _truncations(source: Path, folder: Path) -> list[Path]:
    data = source.read_bytes()
    out = []
    for fraction in (0.02, 0.3, 0.7, 0.97):
        cut = data[: int(len(data) * fraction)]
        plain = folder / f"cut{int(fraction * 100):02d}_{source.name}"
        plain.write_bytes(cut)
        out.append(plain)
        if source.suffix == ".pdf":  # keep the end marker so the damage is met inside the parser
            marked = folder / f"cutmark{int(fraction * 100):02d}_{source.name}"
            marked.write_bytes(cut + b"\n%%EOF\n")
            out.append(marked)
    return out


def _random_with_magic(folder: Path) -> list[Path]:
    rng = random.Random(8)
    noise = lambda n: bytes(rng.getrandbits(8) for _ in range(n))  # noqa: E731
    cases = {
        "noise.pdf": b"%PDF-1.7\n" + noise(20_000) + b"\nstartxref\n9\n%%EOF\n",
        "noise_objects.pdf": b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages "
                             b"/Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /Contents 4 0 R "
                             b">>\nendobj\n4 0 obj\n<< /Length 500 >>\nstream\n" + noise(500)
                             + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
        "noise.docx": b"PK\x03\x04" + noise(20_000),
        "noise.odt": b"PK\x03\x04" + noise(20_000),
    }
    # a real zip whose members are noise
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", noise(300))
        archive.writestr("word/document.xml", b"<?xml version='1.0'?><w:document " + noise(3000))
    cases["noise_members.docx"] = buffer.getvalue()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", b"<?xml version='1.0'?><office:document-content " + noise(3000))
    cases["noise_members.odt"] = buffer.getvalue()
    out = []
    for name, data in cases.items():
        (folder / name).write_bytes(data)
        out.append(folder / name)
    return out


@pytest.fixture(scope="module")
def cases(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("malformed")
    return folder


def test_truncated_files_give_a_result_or_a_clear_error(cases):
    paths = []
    for name in ("001.pdf", "001.docx", "001.odt"):
        paths += _truncations(FIXTURES / name, cases)
    outcomes = _check_all(paths)
    # a cut at 2% can never be read
    assert all(outcomes[p.name] != "ok" for p in paths if p.name.startswith("cut02"))


def test_random_bytes_with_valid_magic_give_a_clear_error(cases):
    outcomes = _check_all(_random_with_magic(cases))
    assert all(outcome != "ok" for outcome in outcomes.values()), outcomes


def test_nested_huge_and_long_tables_end_in_bounded_time_and_memory(cases):
    outcomes = _check_all(hostile.structural(cases))
    assert outcomes["empty_body.docx"] != "ok"


def test_the_bad_input_fixtures_give_one_line_errors(cases):
    names = ["corrupt.docx", "encrypted.pdf", "scanned.pdf", "truncated.pdf", "zipbomb.docx"]
    paths = [shutil.copy(FIXTURES / name, cases / f"fixture_{name}") for name in names]
    outcomes = _check_all([Path(p) for p in paths])
    assert all(outcome != "ok" for outcome in outcomes.values()), outcomes


# -- tagged PDFs: damaged and hostile structure trees ------------------------------------


def _flipped(source: Path, folder: Path, copies: int = 6, flips: int = 40) -> list[Path]:
    """Copies of a tagged PDF with random bytes changed past the header."""
    data = source.read_bytes()
    rng = random.Random(11)
    out = []
    for copy in range(copies):
        damaged = bytearray(data)
        for _ in range(flips):
            damaged[rng.randrange(64, len(damaged) - 64)] = rng.getrandbits(8)
        path = folder / f"flipped{copy}_{source.name}"
        path.write_bytes(bytes(damaged))
        out.append(path)
    return out


def _tagged_pdf(struct_objects: str, root_kids: str) -> bytes:
    """A one-page tagged PDF whose text is one marked paragraph (MCID 0) and
    whose structure tree is given as raw objects from number 10 on."""
    content = "/P <</MCID 0>> BDC BT /F1 12 Tf 72 720 Td (plan) Tj ET EMC"
    return (
        "%PDF-1.7\n"
        "1 0 obj << /Type /Catalog /Pages 2 0 R /StructTreeRoot 9 0 R /MarkInfo << /Marked true >> >> endobj\n"
        "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> /StructParents 0 >> endobj\n"
        f"4 0 obj << /Length {len(content)} >> stream\n{content}\nendstream endobj\n"
        "5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n"
        f"9 0 obj << /Type /StructTreeRoot /K [{root_kids}] >> endobj\n"
        f"{struct_objects}"
        "trailer << /Root 1 0 R >>\n%%EOF\n"
    ).encode("latin-1")


def _hostile_trees(folder: Path) -> list[Path]:
    """Tagged PDFs whose structure tree has a cycle, 3,000 levels, or wrong types everywhere."""
    cyclic = _tagged_pdf(
        "10 0 obj << /Type /StructElem /S /Table /P 9 0 R /Pg 3 0 R /K [11 0 R] >> endobj\n"
        "11 0 obj << /Type /StructElem /S /TR /P 10 0 R /K [12 0 R 10 0 R] >> endobj\n"
        "12 0 obj << /Type /StructElem /S /TD /P 11 0 R /K [0 11 0 R] >> endobj\n", "10 0 R")
    deep = "".join(f"{n} 0 obj << /Type /StructElem /S /{'Table' if n == 10 else 'Div'} /Pg 3 0 R /K [{n + 1} 0 R] >> endobj\n"
                   for n in range(10, 3010)) + "3010 0 obj << /Type /StructElem /S /P /Pg 3 0 R /K 0 >> endobj\n"
    odd = _tagged_pdf(
        "10 0 obj << /Type /StructElem /S /Table /Pg 3 0 R /A [1 << /O /Table /RowSpan (x) /ColSpan -4 >> 7] "
        "/K [<< /Type /MCR /MCID (zero) >> << /Type /OBJR /Obj 5 0 R >> 11 0 R 999 0 R] >> endobj\n"
        "11 0 obj << /Type /StructElem /S /TR /K [<< /S /TD /K 0 /A << /RowSpan 100000 >> >> "
        "<< /S /TD /A << /RowSpan (x) /ColSpan 2.5 >> >>] >> endobj\n", "10 0 R")
    paths = []
    for name, data in (("cyclic_tree.pdf", cyclic), ("deep_tree.pdf", _tagged_pdf(deep, "10 0 R")), ("odd_tree.pdf", odd)):
        (folder / name).write_bytes(data)
        paths.append(folder / name)
    return paths


def test_hostile_structure_trees_end_in_bounded_time(cases):
    _check_all(_hostile_trees(cases) + _flipped(FIXTURES / "004.pdf", cases))


def test_structure_tree_walk_survives_cycles_and_depth(tmp_path):
    """The walk itself (not wrapped in the reader's fallback): each element
    once in a cycle, depth capped, wrong attribute types read as no span."""
    import pdfplumber

    from extractor.readers.pdf_tagged import (
        _MAX_DEPTH,
        MarkedContent,
        read_structure,
        tagged_elements,
    )

    def types(element):
        return [element["type"]] + [kind for child in element["children"] for kind in types(child)]

    trees = {}
    for path in _hostile_trees(tmp_path):
        with pdfplumber.open(path) as pdf:
            trees[path.name] = read_structure(pdf.doc, {page.page_obj.pageid: page.page_number for page in pdf.pages})
    assert types(trees["cyclic_tree.pdf"][0]) == ["Table", "TR", "TD"]
    assert len(types(trees["deep_tree.pdf"][0])) == _MAX_DEPTH + 1
    assert types(trees["odd_tree.pdf"][0]) == ["Table", "TR", "TD", "TD"]
    table = tagged_elements(trees["odd_tree.pdf"], MarkedContent())
    assert table is None  # no marked chars: the caller reads the geometry


# -- work grows with the input, not faster: counted, never timed -----------------------------


def _calls(path: Path) -> int:
    """Function calls (Python and built-in) made while reading one file as
    `plancheck extract` does: extraction, normalisation, framework mapping."""
    import cProfile
    import pstats

    from library import read_plan

    profile = cProfile.Profile()
    profile.enable()
    try:
        read_plan(path)
    except PlanError:
        pass
    finally:
        profile.disable()
    return pstats.Stats(profile).total_calls


SCALING = {
    # name: (make a file of size n, small n, large n)
    "docx_rows": (lambda path, n: hostile.docx(path, hostile.w_par(hostile.TITLE) + hostile.w_table(hostile.many_rows(n))), 100, 400),
    "odt_rows": (lambda path, n: hostile.odt(path, f"<text:p>{hostile.TITLE}</text:p>" + hostile.o_table(hostile.many_rows(n))), 100, 400),
    "docx_cell_chars": (lambda path, n: hostile.docx(path, hostile.w_par(hostile.TITLE) + hostile.w_table(
        [hostile.HEAD, ["一、優質便民服務", "(一)便捷", "提升服務品質，簡化申辦流程。" * n]])), 500, 2000),
    "docx_nesting": (hostile.nested_docx, 10, 40),
    "html_nesting": (hostile.nested_html, 25, 100),
}


@pytest.mark.parametrize("name", SCALING)
def test_work_grows_linearly_with_the_input(name, tmp_path):
    """Four times the input may cost at most six times the calls: linear work
    with room for fixed costs. A quadratic step would cost sixteen times, an
    exponential one far more."""
    make, small, large = SCALING[name]
    suffix = name.split("_")[0]
    few = _calls(make(tmp_path / f"small.{suffix}", small))
    many = _calls(make(tmp_path / f"large.{suffix}", large))
    print(f"{name}: {few} calls for n={small}, {many} for n={large} ({many / few:.2f}x)")
    assert many / few <= 6.0, f"{name}: {few} calls for {small}, {many} for {large} ({many / few:.1f}x)"
