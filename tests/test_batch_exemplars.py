"""With --corpus-db, each missing or partial item of a gap report shows how other
plans in the corpus worded it; without, the section is left out."""

from __future__ import annotations

import json
from contextlib import closing
from pathlib import Path

import pytest
from lxml import html as lxml_html

import corpus
import library
from outputs.reports.summary import BatchSummary

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "corpus" / "samples").glob("*.txt"))
TARGET = SAMPLES[1]  # seed 001: several missing and partial items


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "corpus.sqlite"
    with closing(corpus.connect(path, create=True)) as conn:
        library.index_paths(conn, SAMPLES)
    return path


@pytest.fixture(scope="module")
def out(cli, db, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("out")
    result = cli("check", str(TARGET), "--out", str(folder), "--format", "json,html,md", "--corpus-db", str(db))
    assert result.returncode == 0, result.stderr
    return folder


def test_gaps_get_exemplars_from_other_plans_only(out):
    plan = BatchSummary.model_validate_json((out / "summary.json").read_text(encoding="utf-8")).plans[0]
    report = json.loads((out / plan.reports["json"]).read_text(encoding="utf-8"))
    gaps = {v["id"] for v in report["items"] if v["status"] in ("missing", "partial")}
    exemplars = report["exemplars"]
    assert exemplars, "other samples are present on some of seed 001's gaps"
    assert {e["item_id"] for e in exemplars} <= gaps
    assert all(Path(e["source_path"]).name != TARGET.name and e["agency"] != report["agency"] for e in exemplars)
    page = lxml_html.fromstring((out / plan.reports["html"]).read_text(encoding="utf-8"))
    listed = " ".join(li.text_content() for li in page.xpath("//section[@id='exemplars']//li | //h2[@id='exemplars']/following::li"))
    for exemplar in exemplars:
        assert exemplar["text"] in listed


def test_without_a_corpus_the_section_is_left_out(cli, tmp_path):
    formats = ("html", "md", "json", "csv", "xlsx", "odt", "docx")
    result = cli("check", str(TARGET), "--out", str(tmp_path), "--format", ",".join(formats))
    assert result.returncode == 0, result.stderr
    report = json.loads(next((tmp_path / "plans").glob("*.json")).read_text(encoding="utf-8"))
    assert report["exemplars"] == []
    for name in formats:
        data = next((tmp_path / "plans").glob(f"*.{name}")).read_bytes()
        text = data.decode("utf-8") if name in ("html", "md", "csv", "json") else _zip_text(data)
        assert "其他計畫的寫法" not in text and "其他計畫寫法" not in text and "無範例" not in text, name


def test_with_a_corpus_every_format_has_the_section(cli, db, tmp_path):
    result = cli("check", str(TARGET), "--out", str(tmp_path), "--format", "md,xlsx,docx,odt", "--corpus-db", str(db))
    assert result.returncode == 0, result.stderr
    for name in ("md", "xlsx", "docx", "odt"):
        data = next((tmp_path / "plans").glob(f"*.{name}")).read_bytes()
        text = data.decode("utf-8") if name == "md" else _zip_text(data)
        assert "其他計畫" in text, name


def _zip_text(data: bytes) -> str:
    """Every XML member's text, character references resolved."""
    import io
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return " ".join(" ".join(etree.fromstring(archive.read(n)).itertext()) + " ".join(
            etree.fromstring(archive.read(n)).xpath("//@name")) for n in archive.namelist() if n.endswith(".xml"))


def test_single_file_json_with_a_corpus_carries_the_exemplars(cli, db, out):
    printed = json.loads(cli("check", str(TARGET), "--corpus-db", str(db)).stdout)
    plan = BatchSummary.model_validate_json((out / "summary.json").read_text(encoding="utf-8")).plans[0]
    written = json.loads((out / plan.reports["json"]).read_text(encoding="utf-8"))
    assert printed == written
