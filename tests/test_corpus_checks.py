"""What the corpus keeps from the checks: dimensions and mandated-item matches
for filters and facets, exemplars for the gap reports, and the gap report on
the plan page; and an honest 'not available' when plans were indexed without
the checks."""

from __future__ import annotations

from pathlib import Path

import pytest

checks = pytest.importorskip("checks")

from corpus import DataUnavailable, Filters, exemplars, search, store  # noqa: E402
import library  # noqa: E402
from library import read_plan  # noqa: E402
from plancheck.web import create_app  # noqa: E402
from tests import SAMPLES_DIR as SAMPLES, copy_samples  # noqa: E402

PHONE = "PHONE-TEST-QUARTERLY"


def seed_of(path: str) -> str:
    return Path(path).name[:3]


def checker_evidence(item_id: str) -> set[tuple[str, str]]:
    """The (seed, measure id) pairs the checker itself cites for the item."""
    out = set()
    for file in sorted(SAMPLES.glob("*.txt")):
        report = checks.check_plan(read_plan(file))
        for verdict in report.items:
            if verdict.id == item_id and verdict.status in ("present", "partial"):
                out |= {(file.name[:3], e.measure_id) for e in verdict.evidence if e.measure_id}
    return out


def test_item_filter_returns_the_checkers_evidence(sample_conn):
    result = search(sample_conn, "", Filters(item=PHONE), limit=500)
    found = {(seed_of(h.source_path), h.measure_id) for h in result.hits}
    assert found == checker_evidence(PHONE)
    assert ("001", "t1-1-1-2-2") in found  # 實施電話禮貌測試至少2次。
    assert search(sample_conn, "電話禮貌", Filters(item=PHONE.lower())).total == result.total


def test_dimension_filter_and_facet(sample_conn):
    # 謄本 in seed 003 (five measures) and 004 (one) stands under 貳/二、服務遞送.
    result = search(sample_conn, "謄本", Filters(dimension="服務遞送"), limit=100)
    assert result.total == 6
    assert {seed_of(h.source_path) for h in result.hits} == {"003", "004"}
    facet = dict(search(sample_conn, "謄本").facets["dimension"])
    assert facet["服務遞送"] == 6 and sum(facet.values()) == 12
    assert dict(search(sample_conn, "謄本").facets["item"])["FEWER-DOCUMENTS"] >= 8


def test_exemplars_come_from_other_plans_and_are_present(sample_db, sample_conn):
    seed_001 = sample_conn.execute("SELECT sha256 FROM plans WHERE source_path LIKE '%001_%'").fetchone()[0]
    chosen = exemplars(sample_conn, PHONE, exclude_source_sha256=seed_001, limit=3)
    assert chosen, "the other seeds do test telephone courtesy"
    assert all(seed_of(e.source_path) != "001" for e in chosen)
    assert len({e.source_path for e in chosen}) == len(chosen)  # one per plan
    present = {
        (row[0], row[1])
        for row in sample_conn.execute(
            "SELECT p.source_path, m.measure_id FROM item_matches i JOIN measures m ON m.id = i.measure_rowid "
            "JOIN plans p ON p.id = m.plan_id WHERE i.item_id = ? AND i.status = 'present'",
            (PHONE,),
        )
    }
    assert all((e.source_path, e.measure_id) in present for e in chosen)
    assert all("電話" in e.text for e in chosen)
    # a stated frequency ranks first: 每月 / 每3個月 beat wording without one
    assert "每" in chosen[0].text
    assert exemplars(sample_db, PHONE, limit=1)[0].item_id == PHONE
    assert exemplars(sample_conn, "NO-SUCH-ITEM") == []


def test_unchecked_plans_say_the_data_is_unavailable(tmp_path, monkeypatch):
    copy_samples(tmp_path / "plans", ("001",))

    def failing_check(plan):
        raise ValueError("a rule failed")

    monkeypatch.setattr(library, "check_plan", failing_check)
    conn = store.connect(tmp_path / "c.sqlite", create=True)
    library.index_paths(conn, [tmp_path / "plans"])
    assert tuple(conn.execute("SELECT checked, report_json FROM plans").fetchone()) == (0, None)
    with pytest.raises(DataUnavailable, match="無法依面向或必辦項目篩選"):
        search(conn, "電話", Filters(dimension="優質便民服務"))
    with pytest.raises(DataUnavailable, match="無法依面向或必辦項目篩選"):
        search(conn, "電話", Filters(item=PHONE))
    with pytest.raises(DataUnavailable, match="無法提供其他機關的寫法範例"):
        exemplars(conn, PHONE)


def test_plan_page_shows_the_gap_report_with_exemplars(sample_db, sample_conn, tmp_path):
    sha256 = sample_conn.execute("SELECT sha256 FROM plans WHERE source_path LIKE '%001_%'").fetchone()[0]
    client = create_app(sample_db, tmp_path).test_client()
    page = client.get(f"/plan/{sha256[:16]}").get_data(as_text=True)
    assert 'id="items"' in page and PHONE in page
    assert 'class="status-partial">部分符合' in page
    assert "其他機關的寫法" in page
    assert 'href="#m-t1-1-1-2-2"' in page  # evidence links to its measure row
