"""Start-up: declaring the commands imports no reader, report, web or Chinese
text library, and search reads jieba's dictionary word by word from the file
prepared once. Counts imports and dictionary reads, never seconds."""

from __future__ import annotations

import re

import pytest

from tests import SAMPLES

# Libraries that only reading, checking, reporting or the web page need.
HEAVY = ("jieba", "opencc", "pdfplumber", "pdfminer", "pypdfium2", "flask", "werkzeug", "openpyxl", "docx", "odf",
         "lxml", "bs4", "pydantic", "yaml", "extractor", "checks", "outputs", "library")
_IMPORTED = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|\s*(\S+)$")



def _run_importtime(*args: str, env: dict[str, str] | None = None):
    import os
    import subprocess
    import sys

    from tests import ROOT

    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "plancheck", *args], capture_output=True,
                            text=True, encoding="utf-8", cwd=ROOT, timeout=900, env={**os.environ, **(env or {})})
    return result, {m.group(1) for line in result.stderr.splitlines() if (m := _IMPORTED.match(line))}


def _heavy_among(modules: set[str], libraries=HEAVY) -> set[str]:
    return {m for m in modules if m.split(".")[0] in libraries}


@pytest.mark.parametrize("args", [("--version",), ("--help",), ("check", "--help"), ("search", "--help")])
def test_declaring_the_commands_imports_nothing_heavy(args):
    result, modules = _run_importtime(*args)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "typer" in modules and "plancheck.cli" in modules  # the measurement itself works
    # typer renders a command's help with pydantic; the top level needs neither
    allowed = {"pydantic"} if args[0] != "--version" and args != ("--help",) else set()
    assert {m for m in _heavy_among(modules) if m.split(".")[0] not in allowed} == set()


def test_version_is_the_installed_one_without_reading_metadata():
    from importlib.metadata import version

    result, modules = _run_importtime("--version")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == f"plancheck {version('plancheck')}"
    assert "importlib.metadata" not in modules


def test_search_loads_no_reader_report_or_web_module(sample_db, tmp_path):
    result, modules = _run_importtime("search", "電話禮貌", "--db", str(sample_db), "--json",
                                      env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert result.returncode == 0, result.stderr[-2000:]
    assert '"total"' in result.stdout
    assert {"jieba", "opencc"} <= modules  # search does segment and fold
    assert _heavy_among(modules, ("pdfplumber", "pdfminer", "pypdfium2", "flask", "openpyxl", "docx", "odf",
                                  "extractor", "checks", "outputs", "library")) == set()
    assert not any(m.startswith("pkg_resources.") for m in modules)  # jieba is imported without it


def test_search_table_reads_validated_data_from_the_cache(sample_db, tmp_path):
    """The table's item titles come from the profile, its folding, unit and
    synonym data from YAML files: validated on the first run, then read from
    the cache without the checks, the YAML parser, pydantic or the report views."""
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    first, first_modules = _run_importtime("search", "電話禮貌", "--db", str(sample_db), env=env)
    assert first.returncode == 0, first.stderr[-2000:]
    assert {"checks", "yaml", "pydantic"} <= first_modules  # the measurement itself works: the first run validates
    again, modules = _run_importtime("search", "電話禮貌", "--db", str(sample_db), env=env)
    assert again.returncode == 0, again.stderr[-2000:]
    assert again.stdout == first.stdout and "電話禮貌測試（每 3 個月至少 1 次）" in again.stdout
    assert _heavy_among(modules, ("checks", "yaml", "pydantic", "outputs", "extractor", "library")) == {"outputs", "outputs.location"}
    assert "models.plan" not in modules


# --- the prepared dictionary -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """normalizers.terms on a dictionary prepared into a fresh cache folder."""
    import os

    from normalizers import terms

    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    terms._tokenizer.cache_clear()
    try:
        yield terms
    finally:
        terms._tokenizer.cache_clear()
        if previous is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = previous


def _reference_tokenizer(terms):
    """jieba as it is set up without the prepared file: its dictionary, then ours word by word."""
    jieba = terms._import_jieba()
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for entry in terms.read_userdict():
        tokenizer.add_word(terms._simplified(entry.word), freq=entry.freq, tag=entry.tag)
    return tokenizer


def _sample_texts() -> list[str]:
    from library import read_plan

    return [m.text for path in SAMPLES[:2] for m in read_plan(path).measures]


def test_prepared_dictionary_cuts_exactly_like_jieba(prepared):
    reference = _reference_tokenizer(prepared)
    texts = _sample_texts() + ["电话礼貌测试", "臺灣電力公司線上申辦", "e化服務ODF格式", "謄本"]
    assert len(texts) > 100
    for text in texts:
        expected = [(text[s:e], s, e) for _, s, e in reference.tokenize(prepared._simplified(text), mode="search")]
        assert prepared.segment(text) == expected, text


def test_a_query_reads_a_few_words_not_the_dictionary(prepared):
    prepared._tokenizer.cache_clear()
    prepared.segment("電話禮貌測試")
    frequencies = prepared._tokenizer().FREQ
    assert 0 < frequencies.lookups < 100  # of some 500,000 entries
    assert len(frequencies) > 400_000


def test_the_dictionary_is_prepared_once(prepared, monkeypatch):
    first = prepared.prepared_dictionary()
    built = []
    monkeypatch.setattr(prepared, "_write_dictionary", lambda *args: built.append(args))
    assert prepared.prepared_dictionary() == first
    assert built == []
    assert first.parent == prepared.cache_dir()


def test_preparing_the_dictionary_removes_versions_over_a_week_old(prepared):
    import os

    from models import datacache

    current = prepared.prepared_dictionary()
    old, recent = current.with_name("dictionary-0000000000000000.sqlite"), current.with_name("dictionary-1111111111111111.sqlite")
    for version in (old, recent):
        version.write_bytes(b"")
    week_ago = current.stat().st_mtime - datacache.STALE_SECONDS - 60  # a file date, not a clock reading
    os.utime(old, (week_ago, week_ago))
    current.unlink()  # as after an edit of the word list: a version to prepare
    assert prepared.prepared_dictionary() == current and current.is_file()
    assert not old.exists() and recent.exists()  # another installation may still use the recent one
    recent.unlink()


def test_the_export_command_names_the_exporters_default_index():
    from corpus.export import DEFAULT_INDEX
    from plancheck.commands import corpus as commands

    assert commands.DEFAULT_INDEX == DEFAULT_INDEX


def test_the_extract_commands_declare_the_trees_steps_and_the_registrys_extensions():
    from extractor.readers import document_extensions
    from extractor.tree import STEPS
    from plancheck.commands import extract as commands

    assert commands.STEPS == STEPS
    assert commands.PLAN_EXTENSIONS == document_extensions()


def test_a_forked_worker_reads_the_dictionary_through_its_own_connection(prepared):
    import os

    prepared._tokenizer.cache_clear()
    prepared.segment("電話禮貌")
    frequencies = prepared._tokenizer().FREQ
    parents = frequencies._conn
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        try:
            cut = [token for token, _, _ in prepared.segment("服務禮貌測試")]
            os._exit(0 if frequencies._conn is not parents and "測試" in cut else 1)
        except BaseException:
            os._exit(2)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert frequencies._conn is parents  # the parent keeps its own
