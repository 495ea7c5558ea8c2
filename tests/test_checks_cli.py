"""`plancheck check` per docs/cli.md: JSON, exit codes, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "samples" / "001_dc73fa876cd20475.txt"
OTHER = ROOT / "corpus" / "samples" / "004_3bdb734e2070ee73.txt"



def test_one_file_prints_the_contract_object(cli):
    result = cli("check", str(SEED), "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    for key in ("source", "agency", "roc_year", "framework", "profile", "items", "findings"):
        assert key in report
    assert report["profile"] == "default" and report["framework"]["id"] == "F1"
    phone = next(i for i in report["items"] if i["id"] == "PHONE-TEST-QUARTERLY")
    assert phone["status"] == "partial" and phone["evidence"][0]["measure_id"]
    assert "電話禮貌測試" in result.stdout  # UTF-8, no ASCII escapes
    assert "\\u" not in result.stdout


def test_several_files_one_line_each_and_unreadable_files_reported(cli, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = cli("check", str(SEED), str(empty), str(OTHER))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert [json.loads(line)["roc_year"] for line in lines] == [102, 112]
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith("plancheck: ") and "empty.txt" in errors[0]


def test_bad_profile_is_a_usage_error(cli, tmp_path):
    profile = tmp_path / "bad.yaml"
    profile.write_text("name: x\nextends: default\nthresholds:\n  PHONE-TEST-QUARTERLY: {bar: -1}\n", encoding="utf-8")
    result = cli("check", str(SEED), "--profile", str(profile))
    assert result.returncode == 2
    assert result.stderr.strip() == result.stderr.strip().splitlines()[0]
    assert f"{profile}:4" in result.stderr and "bar" in result.stderr


def test_profile_by_file_changes_the_verdict(cli, tmp_path):
    profile = tmp_path / "lenient.yaml"
    profile.write_text("name: lenient\nextends: default\nthresholds:\n  PHONE-TEST-QUARTERLY: {bar: 2}\n", encoding="utf-8")
    report = json.loads(cli("check", str(SEED), "--profile", str(profile)).stdout)
    assert report["profile"] == "lenient"
    assert next(i for i in report["items"] if i["id"] == "PHONE-TEST-QUARTERLY")["status"] == "present"


def test_items_command_prints_the_catalogue(cli):
    result = cli("items")
    assert result.returncode == 0 and "## PHONE-TEST-QUARTERLY" in result.stdout
