"""`plancheck extract` and `plancheck debug` as a user runs them: the JSON
contract, clean text, encodings, and one-line errors for bad input."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from extractor import extract

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "corpus" / "samples").glob("*.txt"))
CONTRACT_MEASURE_FIELDS = {"id", "path", "number", "text", "departments", "deadline", "dimension", "location"}



@pytest.fixture(scope="module")
def extracted(cli) -> dict[str, dict]:
    return {path.name[:3]: json.loads(cli("extract", str(path), "--format", "json").stdout) for path in SAMPLES}


def test_json_follows_the_contract(extracted):
    for seed, data in extracted.items():
        for field in ("schema_version", "source", "agency", "roc_year", "year", "title", "framework", "sections", "measures"):
            assert field in data, (seed, field)
        assert set(data["source"]) >= {"path", "sha256", "format", "pages"}
        assert data["source"]["format"] == "text"
        assert all(isinstance(name, str) for name in data["sections"])
        ids = [m["id"] for m in data["measures"]]
        assert len(ids) == len(set(ids)), f"{seed}: measure ids are not unique"
        for measure in data["measures"]:
            assert CONTRACT_MEASURE_FIELDS <= set(measure)
            assert measure["location"]["line"] is not None


def test_json_is_utf8_without_ascii_escapes(cli):
    out = cli("extract", str(SAMPLES[3]), "--format", "json").stdout
    assert "\\u" not in out and "臺中市龍井區戶政事務所" in out


def test_measure_ids_are_stable_across_runs(cli, extracted):
    again = json.loads(cli("extract", str(SAMPLES[4]), "--format", "json").stdout)
    assert [m["id"] for m in again["measures"]] == [m["id"] for m in extracted["004"]["measures"]]


_CJK = r"[\u4e00-\u9fff，。、；：「」（）]"
HEADER_WORDS = ("具體作法", "具體推動作法", "承辦部門", "完成期限", "實施(參考)方法", "推動作法", "執行單位")


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name[:3])
def test_measure_text_is_clean(path):
    plan = extract(path)
    for measure in plan.measures:
        for text in [measure.text, *measure.path, *measure.departments, measure.deadline or ""]:
            assert not re.search(r"</?[a-zA-Z][^>]*>", text), text          # no HTML tags
            assert "|" not in text, text                                     # no markdown pipes
            assert not re.search(f"{_CJK} +{_CJK}", text), text              # no converter spaces in CJK
            assert "\t" not in text and "\n" not in text, text
        assert not any(word == measure.text for word in HEADER_WORDS)
        assert not measure.text.startswith(("面向", "執行策略")), measure.text


@pytest.mark.parametrize("encoding", ["cp950", "utf-16", "utf-8-sig", "utf-16-be"])
def test_encodings_read_like_utf8(tmp_path, encoding):
    # Seed 000's annexed scoring sheet holds OCR debris that Big5 cannot encode;
    # the other four plans are used whole.
    for path in SAMPLES[1:]:
        original = extract(path)
        text = path.read_text(encoding="utf-8")
        copy = tmp_path / f"{path.stem}.{encoding}.txt"
        copy.write_bytes(text.encode(encoding))
        converted = extract(copy)
        assert converted.measures == original.measures
        assert (converted.title, converted.agency, converted.roc_year) == (original.title, original.agency, original.roc_year)
        assert converted.source.encoding is not None


def _one_line_error(result: subprocess.CompletedProcess, name: str) -> str:
    assert result.returncode == 1, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr and name in lines[0]
    return lines[0]


def test_bad_inputs_give_one_line_errors(cli, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 64)
    cases = {
        empty: "檔案是空的",
        binary: "二進位資料",
        tmp_path / "missing.pdf": "找不到這個檔案",
    }
    for path, reason in cases.items():
        line = _one_line_error(cli("extract", str(path)), path.name)
        assert reason in line, line


def test_a_plan_without_a_table_is_read_not_refused(cli, tmp_path):
    """Only its frame is visible: read (exit 0), no measure, the method recorded."""
    prose = tmp_path / "no-table.txt"
    prose.write_text("經濟部水利署105年度提升服務品質執行計畫\n\n壹、計畫依據\n\n依經濟部函辦理。\n", encoding="utf-8")
    result = cli("extract", str(prose), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["measures"] == [] and data["method"] == "text" and data["confidence"] == 0.0
    assert data["title"] == "經濟部水利署105年度提升服務品質執行計畫" and data["complete"] is True


def test_output_file_is_written_and_never_replaces_the_input(cli, tmp_path):
    source = tmp_path / "plan.txt"
    source.write_bytes(SAMPLES[1].read_bytes())
    out = tmp_path / "plan.md"
    assert cli("extract", str(source), "--format", "md", "-o", str(out)).returncode == 0
    assert "| 編號 |" in out.read_text(encoding="utf-8")
    result = cli("extract", str(source), "-o", str(source))
    _one_line_error(result, "plan.txt")
    assert source.read_bytes() == SAMPLES[1].read_bytes()


def test_debug_shows_intermediates(cli):
    result = cli("debug", str(SAMPLES[4]))
    assert result.returncode == 0
    out = result.stdout
    assert "header: 面向→dimension | 執行策略→strategy | 具體作法→measure | 承辦部門→units | 完成期限→deadline" in out
    assert "-- row line 29" in out and "values-only row" in out          # seed 004's stacked units
    assert "continuation" in out and "== result: 105 measures" in out


def test_extract_reports_framework_and_dimensions(extracted):
    expected_framework = {"000": "F1", "001": "F1", "002": "F1", "003": "F2", "004": "F2"}
    for seed, data in extracted.items():
        assert data["framework"]["id"].startswith(expected_framework[seed]), (seed, data["framework"])
        assert 0 < data["framework"]["confidence"] <= 1
        mapped = [m for m in data["measures"] if m["dimension"]]
        assert len(mapped) >= 0.97 * len(data["measures"]), seed
        assert all("norm" in m and m["norm"]["key"] for m in data["measures"])


def test_samples_command_summarises_every_plan(cli):
    result = cli("samples")
    assert result.returncode == 0, result.stderr
    for agency in ("經濟部水利署", "第二河川局", "高雄市政府", "龍井區戶政事務所", "台電公司台北市區營業處"):
        assert agency in result.stdout
    assert result.stdout.count("應辦事項：符合") == 5 and "上級機關之實施計畫" in result.stdout
