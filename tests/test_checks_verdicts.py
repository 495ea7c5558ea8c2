"""The checker scored against the hand-checked expected verdicts
(tests/expected/verdicts/NNN.yaml, written by reading the seeds)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from checks.matching import fold_term
from library import check_file

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"
EXPECTED = Path(__file__).parent / "expected" / "verdicts"
SEEDS = sorted(path.stem for path in EXPECTED.glob("*.yaml"))


@pytest.fixture(scope="module", params=SEEDS)
def judged(request):
    expected = yaml.safe_load((EXPECTED / f"{request.param}.yaml").read_text(encoding="utf-8"))
    report = check_file(SAMPLES / expected["seed"])
    return request.param, expected, {verdict.id: verdict for verdict in report.items}, report


def test_every_catalogue_item_is_judged(judged):
    _, expected, got, _ = judged
    assert set(expected["items"]) == set(got)


def test_agreement_at_least_95_percent(judged):
    seed, expected, got, _ = judged
    agree = sum(got[item].status == e["status"] for item, e in expected["items"].items())
    share = agree / len(expected["items"])
    print(f"\n{seed}: verdict agreement {agree}/{len(expected['items'])} = {share:.3f}")
    assert share >= 0.95


def test_every_partial_and_missing_verdict_is_right(judged):
    _, expected, got, _ = judged
    wrong = {item: (e["status"], got[item].status, got[item].reason) for item, e in expected["items"].items()
             if e["status"] in ("partial", "missing") and got[item].status != e["status"]}
    assert not wrong


def test_evidence_quotes_the_proving_text(judged):
    """For present and partial items the checker quotes the measure or section
    the hand check named (any one of its snippets)."""
    _, expected, got, _ = judged
    unproven = []
    for item, e in expected["items"].items():
        snippets = [fold_term(s) for s in e.get("evidence") or []]
        if not snippets or got[item].status != e["status"]:
            continue
        quotes = [fold_term(ev.quote) for ev in got[item].evidence]
        if not any(s in q for s in snippets for q in quotes):
            unproven.append((item, e["evidence"], [ev.quote for ev in got[item].evidence]))
    assert not unproven


def test_framework_detected(judged):
    _, expected, _, report = judged
    assert report.framework.id == expected["framework"]
    assert report.framework.reasons


def test_partial_reasons_say_what_is_lacking(judged):
    _, _, got, _ = judged
    for verdict in got.values():
        assert verdict.reason and "\n" not in verdict.reason
        if verdict.status in ("present", "partial") and verdict.id not in ("SECTIONS",):
            assert verdict.evidence, verdict.id


# Regression cases named after their seed and quirk.
def test_seed001_phone_test_twice_a_year_is_partial_with_the_frequency():
    report = check_file(SAMPLES / "001_dc73fa876cd20475.txt")
    phone = next(v for v in report.items if v.id == "PHONE-TEST-QUARTERLY")
    assert phone.status == "partial"
    assert phone.reason == "電話禮貌測試 每年2次，低於每3個月1次"
    assert "至少2次" in phone.evidence[0].quote and phone.evidence[0].measure_id


def test_seed004_monthly_phone_tests_are_present_and_the_sop_is_not_a_test():
    report = check_file(SAMPLES / "004_3bdb734e2070ee73.txt")
    phone = next(v for v in report.items if v.id == "PHONE-TEST-QUARTERLY")
    assert phone.status == "present"
    assert all("標準作業程序" not in ev.quote for ev in phone.evidence)
    assert "每月" in phone.reason


def test_seed000_quarterly_phone_test_split_over_two_lines():
    report = check_file(SAMPLES / "000_c9ab90e6d2d4423d.txt")
    phone = next(v for v in report.items if v.id == "PHONE-TEST-QUARTERLY")
    assert phone.status == "present"
    assert "每3個月至少測試1次" in phone.evidence[0].quote


def test_seed003_a_plus_website_is_web_accessibility_not_a_ramp():
    report = {v.id: v for v in check_file(SAMPLES / "003_b8edc63295c616bd.txt").items}
    web, physical = report["WEB-ACCESSIBILITY-MARK"], report["ACCESSIBLE-FACILITIES"]
    assert web.status == "present" and "A+" in web.evidence[0].quote
    assert physical.status == "partial"
    assert all("網頁" not in ev.quote for ev in physical.evidence)
