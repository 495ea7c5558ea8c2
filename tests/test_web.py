"""The web app through Flask's test client: search, facets, plan pages and the
upload form, including its limits (CSRF, size, suffix, names)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from plancheck.web import create_app
from tests import SAMPLES_DIR as SAMPLES


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def client(sample_db, data_dir):
    app = create_app(sample_db, data_dir)
    app.config["TESTING"] = True
    return app.test_client()


def csrf_of(client) -> str:
    page = client.get("/check").get_data(as_text=True)
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def test_search_page_shows_highlighted_results_and_facets(client):
    page = client.get("/", query_string={"q": "电话礼貌测试"}).get_data(as_text=True)
    assert re.search(r"共 <strong>6</strong> 項措施", page)
    assert "實施<mark>電話禮貌測試</mark>至少2次。" in page
    assert page.count('class="result"') == 6
    assert 'data-facet="agency"' in page and 'data-facet="roc_year"' in page
    assert 'href="/plan/' in page and "#m-t1-1-1-2-2" in page


def test_facet_links_filter(client):
    page = client.get("/", query_string={"q": "謄本"}).get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)">臺中市龍井區戶政事務所</a><span class="count">5</span>', page)
    assert link, "agency facet with its count"
    filtered = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert re.search(r"共 <strong>5</strong> 項措施", filtered)
    assert "移除此篩選" in filtered


def test_user_text_is_escaped(client):
    page = client.get("/", query_string={"q": "<script>alert(1)</script>"}).get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_malformed_query_shows_a_message_not_an_error_page(client):
    response = client.get("/", query_string={"q": '"電話禮貌'})
    assert response.status_code == 200
    assert "引號未閉合" in response.get_data(as_text=True)


def test_plan_page_lists_measures_and_says_when_no_report(client):
    search_page = client.get("/", query_string={"q": "實施電話禮貌測試至少2次"}).get_data(as_text=True)
    key = re.search(r'href="/plan/([0-9a-f]{16})"', search_page).group(1)
    page = client.get(f"/plan/{key}").get_data(as_text=True)
    assert 'id="measures"' in page
    assert page.count('<tr id="m-') == 51
    assert ('id="items"' in page) or ('id="report-missing"' in page)
    for missing in ("/plan/1", "/plan/0123456789abcdef", "/plan/../../etc"):
        assert client.get(missing).status_code == 404


def test_requests_for_other_host_names_are_refused(client):
    """DNS rebinding: a page on evil.example resolving to 127.0.0.1 gets nothing."""
    assert client.get("/", headers={"Host": "evil.example:8000"}).status_code == 400
    assert client.get("/", headers={"Host": "127.0.0.1:8000"}).status_code == 200


def test_security_headers(client):
    response = client.get("/")
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def upload(client, name: str, content: bytes, csrf: str | None):
    import io

    data = {"plan": (io.BytesIO(content), name)}
    if csrf is not None:
        data["csrf"] = csrf
    return client.post("/check", data=data, content_type="multipart/form-data")


def test_upload_is_checked_and_stored_under_a_generated_name(client, data_dir):
    sample = (SAMPLES / "001_dc73fa876cd20475.txt").read_bytes()
    response = upload(client, "../../../etc/evil name.txt", sample, csrf_of(client))
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert "經濟部水利署第二河川局102年度提升服務品質執行計畫" in page and 'id="upload-note"' in page
    stored = list((data_dir / "uploads").iterdir())
    assert len(stored) == 1 and re.fullmatch(r"[0-9a-f]{32}\.txt", stored[0].name)
    assert stored[0].read_bytes() == sample
    assert not (data_dir.parent / "etc").exists()
    # a second upload of the same file gets its own name; nothing is overwritten
    upload(client, "evil name.txt", sample, csrf_of(client))
    assert len(list((data_dir / "uploads").iterdir())) == 2


def test_upload_without_the_form_token_is_refused(client, data_dir):
    response = upload(client, "plan.txt", b"x", None)
    assert response.status_code == 403
    assert not (data_dir / "uploads").exists()


def test_upload_of_an_unsupported_type_is_refused(client, data_dir):
    response = upload(client, "plan.exe", b"MZ\x90\x00", csrf_of(client))
    assert response.status_code == 415 and "不支援的檔案類型" in response.get_data(as_text=True)
    assert not (data_dir / "uploads").exists()


def test_upload_over_the_size_limit_is_refused(client, data_dir):
    client.application.config["MAX_CONTENT_LENGTH"] = 4096
    response = upload(client, "plan.txt", b"a" * 10_000, csrf_of(client))
    assert response.status_code == 413 and "檔案超過上限" in response.get_data(as_text=True)
    assert not any((data_dir / "uploads").glob("*")) if (data_dir / "uploads").exists() else True


def test_unreadable_upload_gets_a_sentence(client):
    response = upload(client, "plan.pdf", b"%PDF-1.4 not really", csrf_of(client))
    assert response.status_code == 422
    assert "無法讀取此檔案" in response.get_data(as_text=True)
