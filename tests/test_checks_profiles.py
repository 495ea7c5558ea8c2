"""Profiles: the default covers the whole catalogue; a secretariat's profile
selects, drops, changes bars and adds items without code; a wrong profile
gets one line naming the file, line and field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from checks import DataError, check_plan, load_profile
from checks.frameworks import frameworks
from models import Measure, Plan, SourceFile

# The catalogue's IDs are a contract (docs/cli.md, docs/mandated-items.md): JSON
# reports and secretariats' profiles name them, so none may go or change.
CONTRACT_IDS = """
SOP-PUBLISHED SINGLE-WINDOW ONE-TIME-NOTICE CASE-QUERY RECEIPT-NOTICE BILINGUAL-SIGNS FORM-EXAMPLES
ACCESSIBLE-FACILITIES ENVIRONMENT-CHECK PHONE-TEST-QUARTERLY STAFF-TRAINING FEWER-DOCUMENTS SATISFACTION-SURVEY
SATISFACTION-TREND COMPLAINT-SOP COMPLAINT-FOLLOWUP STAFF-SATISFACTION ODF-DOCUMENTS PROACTIVE-DISCLOSURE
WEB-ACCESSIBILITY-MARK WEB-UPDATES CLASSIFIED-SEARCH FULLTEXT-SEARCH ONLINE-SERVICES EFORM-SIMPLIFY PRIVACY
E-PARTICIPATION OPEN-DATA FAQ INNOVATION-PROPOSALS CROSS-AGENCY OPEN-PARTICIPATION PLAN-PUBLISHED SECTIONS
SELF-ASSESSMENT ANNUAL-RESULTS-REPORT QUANTIFIED OWNER-AND-DEADLINE
""".split()


def test_every_catalogue_id_is_in_the_default_profile():
    assert len(CONTRACT_IDS) == 38
    default = {item.id for item in load_profile("default").items}
    assert set(CONTRACT_IDS) <= default, set(CONTRACT_IDS) - default


def test_default_items_are_documented_in_chinese():
    for item in load_profile("default").items:
        assert re.search(r"[\u4e00-\u9fff]", item.name + item.requirement + item.doc.rationale), item.id
        assert item.source and item.doc.present and item.doc.missing


def test_in_force_frameworks_exist():
    known = set(frameworks())
    for item in load_profile("default").items:
        for window in item.in_force:
            assert set(window.frameworks or []) <= known, item.id


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "secretariat.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _plan(*texts: str) -> Plan:
    return Plan(source=SourceFile(path="x.txt", sha256="0" * 64, format="text"), roc_year=112,
                measures=[Measure(id=f"m{i}", path=["一、基礎服務"], number="", text=t) for i, t in enumerate(texts)],
                framework={"id": "F2", "confidence": 1.0})


def test_overlay_selects_changes_a_bar_and_adds_an_item(tmp_path):
    path = _write(tmp_path, """
name: 某局秘書室
extends: default
select: [PHONE-TEST-QUARTERLY, SINGLE-WINDOW]
thresholds:
  PHONE-TEST-QUARTERLY: {bar: 12}
items:
  - id: LOCAL-VOLUNTEERS
    name: 志工服務
    group: 自訂
    requirement: 運用志工協助引導。
    source: 本局秘書室
    rule: {kind: keyword, cues: {terms: [志工]}}
    doc: {rationale: 志工補充人力。, present: 成立志工隊。, missing: 未提志工。}
""")
    profile = load_profile(path)
    assert [i.id for i in profile.items] == ["SINGLE-WINDOW", "PHONE-TEST-QUARTERLY", "LOCAL-VOLUNTEERS"]
    report = check_plan(_plan("每3個月至少辦理電話禮貌測試1次。", "加強運用社會志願服務資源成立志工隊。"), profile)
    got = {v.id: v for v in report.items}
    assert report.profile == "某局秘書室"
    assert got["PHONE-TEST-QUARTERLY"].status == "partial" and "每月1次" in got["PHONE-TEST-QUARTERLY"].reason
    assert got["LOCAL-VOLUNTEERS"].status == "present"
    # The default is untouched.
    assert load_profile("default").item("PHONE-TEST-QUARTERLY").rule.bar == 4


def test_overlay_drops_items(tmp_path):
    profile = load_profile(_write(tmp_path, "name: x\nextends: default\ndrop: [FAQ, PRIVACY]\n"))
    ids = {i.id for i in profile.items}
    assert "FAQ" not in ids and "PRIVACY" not in ids and "SECTIONS" in ids


@pytest.mark.parametrize("text, line, field", [
    ("name: x\nextends: default\nselect: [PHONE-TEST, FAQ]\n", 3, "select.0"),
    ("name: x\nextends: default\nthresholds:\n  PHONE-TEST-QUARTERLY:\n    bar: often\n", 5, "thresholds.PHONE-TEST-QUARTERLY.bar"),
    ("name: x\nextends: default\nthresholds:\n  PHONE-TEST-QUARTERLY:\n    limit: 3\n", 5, "thresholds.PHONE-TEST-QUARTERLY.limit"),
    ("name: x\nextends: default\nthresholds:\n  NO-SUCH-ITEM: {bar: 3}\n", 4, "thresholds.NO-SUCH-ITEM"),
    ("name: x\nextends: nosuch\n", 2, "extends"),
    ("name: x\nextends: default\nitems:\n  - id: lower-case\n    name: a\n", 4, "items.0.id"),
    ("name: x\nextends: default\nitems:\n  - id: NEW\n    name: a\n    group: b\n    requirement: c\n    source: d\n"
     "    rule: {kind: keyword, cues: {termz: [a]}}\n    doc: {rationale: r, present: p, missing: m}\n", 9, "items.0.rule.cues.termz"),
    ("name: x\nextends: default\nitems:\n  - id: NEW\n    name: a\n    group: b\n    requirement: c\n    source: d\n"
     "    rule: {kind: qualified, subject_label: s, groups: {}, present: [web]}\n    doc: {rationale: r, present: p, missing: m}\n",
     9, "items.0.rule.present"),
    ("name: x\nextends: default\nselect: [FAQ\n", 4, ""),
])
def test_wrong_profile_names_file_line_and_field(tmp_path, text, line, field):
    path = _write(tmp_path, text)
    with pytest.raises(DataError) as caught:
        load_profile(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:{line}:"), message
    assert field in message


def test_missing_profile_file(tmp_path):
    with pytest.raises(DataError, match="檔案不存在"):
        load_profile(tmp_path / "none.yaml")


def test_framework_files_validate_with_lines(tmp_path, monkeypatch):
    from checks import frameworks as module
    from models.datafile import load

    bad = tmp_path / "F9.yaml"
    bad.write_text("id: F9\nname: x\nnames: [x]\nyears: {from: soon}\nsource: s\n", encoding="utf-8")
    with pytest.raises(DataError, match=rf"{bad}:4: years.from"):
        load(bad, module.Framework)
