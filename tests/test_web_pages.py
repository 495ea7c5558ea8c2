"""What a user of the web page sees: a home page to browse without typing,
cards naming the file and its format with the plan's renderings grouped,
Chinese names instead of codes, PDF page numbers beside evidence, plan
addresses that survive re-indexing, the Host check on every loopback address,
and bounded queries answered with HTTP 400."""

from __future__ import annotations

import html
import json
import re
import socket
import subprocess
import sys
from http.client import HTTPConnection
from pathlib import Path

import pytest

from corpus import store
from library import index_file, index_paths
from plancheck.web import create_app, is_loopback, trusted_hosts_for
from tests import FIXTURES, ROOT, SAMPLES_DIR, copy_samples

SECOND_RIVER = "經濟部水利署第二河川局"
ITEM_IDS = re.compile(r"\b[A-Z]{2,}(?:-[A-Z0-9]+)+\b")


@pytest.fixture(scope="module")
def renderings_db(tmp_path_factory, new_corpus_db) -> str:
    """Seed 001 as text, PDF, Word and ODF (one plan, four files), and seed 003."""
    db = new_corpus_db(tmp_path_factory.mktemp("renderings"))
    conn = store.connect(db, create=True)
    files = [SAMPLES_DIR / "001_dc73fa876cd20475.txt", FIXTURES / "001.pdf", FIXTURES / "001.docx", FIXTURES / "001.odt",
             SAMPLES_DIR / "003_b8edc63295c616bd.txt"]
    summary = index_paths(conn, files)
    conn.close()
    assert [o.action for o in summary.outcomes] == ["added"] * 5
    return db


@pytest.fixture(scope="module")
def client(renderings_db, tmp_path_factory):
    app = create_app(renderings_db, tmp_path_factory.mktemp("web"))
    app.config["TESTING"] = True
    return app.test_client()


def text_of(page: str) -> str:
    """What the reader sees: tags, attributes and the style sheet removed."""
    page = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def cards(page: str) -> list[str]:
    return re.findall(r'<article class="result">.*?</article>', page, flags=re.S)


def test_renderings_of_one_plan_are_one_card_naming_each_file_and_format(client):
    page = client.get("/", query_string={"q": "實施電話禮貌測試至少2次"}).get_data(as_text=True)
    (card,) = cards(page)
    seen = text_of(card)
    for name, kind in (("001.pdf", "PDF"), ("001.docx", "Word 文件"), ("001.odt", "ODF 文字文件"),
                       ("001_dc73fa876cd20475.txt", "純文字")):
        assert re.search(re.escape(name) + r"\s*（" + re.escape(kind), seen), (name, seen)
    assert len(set(re.findall(r'href="/plan/([0-9a-f]{16})', card))) == 4
    assert "合併為一張卡片" in page


def test_plan_page_names_its_file_format_and_other_renderings(client):
    page = client.get("/", query_string={"q": "實施電話禮貌測試至少2次"}).get_data(as_text=True)
    pdf_key = re.search(r'href="/plan/([0-9a-f]{16})\?m=[^"]*">001\.pdf<', page).group(1)
    plan = client.get(f"/plan/{pdf_key}").get_data(as_text=True)
    assert re.search(r'id="file-name">001\.pdf<', plan)
    assert "<dd>PDF，" in plan
    others = re.search(r'id="renderings">(.*?)</dd>', plan, flags=re.S).group(1)
    assert "001.docx" in others and "001.odt" in others and "001.pdf" not in others


def test_users_see_chinese_names_not_codes(client):
    page = client.get("/", query_string={"q": "電話"}).get_data(as_text=True)
    seen = text_of(page)
    assert "電話禮貌測試（每 3 個月至少 1 次）" in seen  # item title in the cards and the facet
    assert ITEM_IDS.findall(seen) == []
    assert "相關度" not in seen and not re.search(r"\b\d+\.\d{2}\b", seen)  # no BM25 scores
    key = re.search(r'href="/plan/([0-9a-f]{16})"', page).group(1)
    plan = text_of(client.get(f"/plan/{key}").get_data(as_text=True))
    assert ITEM_IDS.findall(plan) == []
    assert re.search(r"框架\s+政府服務", plan) and not re.search(r"\bF[0-2]\b", plan)
    assert re.search(r"擷取狀態\s+完整擷取", plan) and not re.search(r"\b(ok|partial|present|missing)\b", plan)
    assert all(word in plan for word in ("符合", "部分符合", "未見", "不適用"))


def test_pdf_evidence_shows_its_page_everywhere(client):
    page = client.get("/", query_string={"q": "實施電話禮貌測試至少2次"}).get_data(as_text=True)
    assert re.search(r"001\.pdf</a>（PDF，第 2 頁 第 \d+ 行）", page)
    pdf_key = re.search(r'href="/plan/([0-9a-f]{16})\?m=[^"]*">001\.pdf<', page).group(1)
    plan = client.get(f"/plan/{pdf_key}").get_data(as_text=True)
    # Evidence quoting a measure (the section-heading evidence of SECTIONS has no location from the checks).
    evidence = re.findall(r'<div class="evidence"><a href="#m-.*?</div>', plan, flags=re.S)
    assert len(evidence) > 10 and all(re.search(r"第 \d+ 頁", e) for e in evidence), evidence[:3]
    rows = re.findall(r'<td class="muted location">(.*?)</td>', plan)
    assert len(rows) == 51 and all(re.match(r"第 \d+ 頁", r) for r in rows)


def test_home_page_browses_by_agency_year_and_dimension_without_a_query(client):
    home = client.get("/").get_data(as_text=True)
    for section in ("agency", "year", "dimension"):
        assert f'data-browse="{section}"' in home
    assert f">{SECOND_RIVER}</a> <span class=\"count\">4 份</span>" in home
    assert ">民國 107 年</a>" in home and ">服務遞送</a>" in home
    link = re.search(r'<a href="([^"]+)">' + SECOND_RIVER + "</a>", home).group(1)
    agency = client.get(html.unescape(link)).get_data(as_text=True)
    listed = re.search(r'<section id="plans">(.*?)</section>', agency, flags=re.S).group(1)
    assert listed.count("<li>") == 1 and listed.count('href="/plan/') == 4  # one plan, four files
    assert re.search(r"共 <strong>\d+</strong> 項措施", agency)
    year = client.get(html.unescape(re.search(r'<a href="([^"]+)">民國 107 年</a>', home).group(1))).get_data(as_text=True)
    assert "臺中市龍井區戶政事務所" in year and SECOND_RIVER not in text_of(re.search(r'<section id="plans">.*?</section>', year, flags=re.S).group(0))
    dimension = client.get(html.unescape(re.search(r'<a href="([^"]+)">服務遞送</a>', home).group(1))).get_data(as_text=True)
    assert len(cards(dimension)) > 0 and all("面向：服務遞送" in card for card in cards(dimension))


def test_plan_address_survives_reindexing(tmp_path, corpus_db):
    (plan,) = copy_samples(tmp_path / "plans", ("001",))
    db = corpus_db
    conn = store.connect(db, create=True)
    index_file(conn, plan)
    index_file(conn, copy_samples(tmp_path / "more", ("004",))[0])  # so a new row cannot reuse the old id
    client = create_app(db, tmp_path / "web").test_client()
    page = client.get("/", query_string={"q": "實施電話禮貌測試至少2次"}).get_data(as_text=True)
    address = re.search(r'href="(/plan/[0-9a-f]{16})"', page).group(1)
    before = client.get(address).get_data(as_text=True)
    rowid = "SELECT id FROM plans WHERE source_path LIKE '%001_%'"
    old_rowid = conn.execute(rowid).fetchone()[0]
    assert index_file(conn, plan, signature="a newer ingest signature").action == "replaced"
    assert conn.execute(rowid).fetchone()[0] != old_rowid  # the row id did change
    conn.close()
    after = client.get(address)
    assert after.status_code == 200
    assert after.get_data(as_text=True).count('<tr id="m-') == before.count('<tr id="m-') == 51


def test_bounded_queries_get_http_400_with_a_chinese_message(sample_db):
    client = create_app(sample_db, Path("/nonexistent")).test_client()
    for params in ({"q": " ".join(["電話禮貌測試"] * 1500)}, {"q": "(" * 20 + "電話" + ")" * 20},
                   {"q": " ".join(["電話"] * 30)}, {"q": "電話", "year": str(10**30)},
                   {"q": "電話", "page": str(10**30)}, {"q": "電話", "agency": "署" * 5000}):
        response = client.get("/", query_string=params)
        assert response.status_code == 400, params
        message = re.search(r'id="query-error">(.*?)</p>', response.get_data(as_text=True)).group(1)
        assert re.search(r"[\u4e00-\u9fff]{4}", message) and "Error" not in message


def test_loopback_addresses_of_every_family_keep_the_host_check():
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost", "0:0:0:0:0:0:0:1"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "192.168.1.10", "fe80::1", "example.org"))
    assert trusted_hosts_for("0.0.0.0") is None and "[::1]" in trusted_hosts_for("::1")


def ipv6_loopback_available() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


@pytest.mark.skipif(not ipv6_loopback_available(), reason="no IPv6 loopback on this machine")
def test_serve_on_ipv6_loopback_refuses_other_host_names(sample_db, tmp_path):
    """`plancheck serve --host ::1` as a user runs it: a DNS-rebinding request
    (Host: evil.example) is refused, a request to [::1] is answered."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "plancheck", "serve", "--host", "::1", "--port", "0", "--db", str(sample_db),
         "--data-dir", str(tmp_path)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = proc.stdout.readline()
        port = int(re.search(r"http://\[::1\]:(\d+)/", line).group(1))

        def status(host: str) -> int:
            conn = HTTPConnection("::1", port, timeout=60)
            conn.request("GET", "/", headers={"Host": host})
            code = conn.getresponse().status
            conn.close()
            return code

        assert status(f"[::1]:{port}") == 200
        assert status(f"localhost:{port}") == 200
        assert status(f"evil.example:{port}") == 400
        assert status("[::2]") == 400
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# --- the same names in `plancheck search`'s table ---------------------------------------------------


def _measure_column(table: str) -> str:
    """The third column of a rich table, its wrapped lines joined (spaces dropped)."""
    cells = [line.split("│")[3] for line in table.splitlines() if line.count("│") == 4]
    return "".join("".join(cell.split()) for cell in cells)


def test_search_table_shows_the_cards_chinese_names_not_codes_or_scores(cli, renderings_db):
    from checks import load_profile

    args = ("search", "電話禮貌測試", "--db", str(renderings_db), "--limit", "50")
    table = cli(*args)
    data = json.loads(cli(*args, "--json").stdout)
    assert table.returncode == 0, table.stderr
    seen, column = table.stdout, _measure_column(table.stdout)
    hits = data["results"]
    assert hits and all(hit["items"] for hit in hits)  # the names below are really exercised
    # no internal code: item IDs, measure IDs, BM25 scores, verdict codes, full paths
    assert not ITEM_IDS.search(seen), ITEM_IDS.search(seen)
    assert "分數" not in seen and not re.search(r"\b(present|partial|missing|ok)\b", seen)
    for hit in hits:
        assert hit["measure_id"] not in column and f"{hit['score']:.2f}" not in seen
        assert hit["source"]["path"] not in seen
    # the names the web page's cards show: 面向, item titles with the verdict, file name (format)
    titles = {item.id: item.name for item in load_profile("default").items}
    for hit in hits:
        assert f"面向：{hit['dimension']}" in column
        for item in hit["items"]:
            assert re.search(re.escape("".join(titles[item].split())) + r"［(符合|部分符合)］", column), item
    for name, kind in (("001.pdf", "PDF"), ("001.docx", "Word文件"), ("001.odt", "ODF文字文件"),
                       ("001_dc73fa876cd20475.txt", "純文字")):
        assert re.search(re.escape(name) + "（" + kind, column), name
    assert "合併為一列" in seen  # the four renderings of seed 001's measures share their rows
    assert "必辦項目：" + "".join(titles["PHONE-TEST-QUARTERLY"].split()) in "".join(seen.split())  # facet names


def test_search_table_heading_says_the_filters_in_words(cli, sample_db):
    """A search by filters alone says what it filtered by (the item by its
    title), not an empty query 「」; a text search keeps its query first."""
    from plancheck import names

    listed = cli("search", "", "--db", str(sample_db), "--agency", "臺中", "--years", "105-108",
                 "--item", "PHONE-TEST-QUARTERLY")
    assert listed.returncode == 0, listed.stderr
    first = "".join(listed.stdout.splitlines()[0].split())
    title = "".join(names.item_name("PHONE-TEST-QUARTERLY").split())
    assert first.startswith(f"篩選：機關臺中、年度105–108、必辦項目{title}：共") and "「」" not in first
    found = cli("search", "電話禮貌", "--db", str(sample_db), "--year", "107")
    assert "".join(found.stdout.splitlines()[0].split()).startswith("查詢「電話禮貌」；篩選：年度107：共")
    everything = cli("search", "", "--db", str(sample_db), "--limit", "1")
    assert everything.stdout.startswith("全部措施：共 ")
