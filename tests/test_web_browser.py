"""The web app end to end in headless Chromium (Debian's chromium and
chromium-driver, installed by scripts/setup.sh), driven with selenium: type a
query, read the highlighted results, follow a facet, open a plan at a measure,
upload a plan through the form, and check a screenshot is not blank."""

from __future__ import annotations

import io
import shutil
import threading
from pathlib import Path

import pytest
from PIL import Image
from werkzeug.serving import make_server

from plancheck.web import create_app
from tests import SAMPLES_DIR as SAMPLES

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path(shutil.which("chromedriver") or "/usr/bin/chromedriver")


@pytest.fixture(scope="module")
def server(sample_db, tmp_path_factory):
    app = create_app(sample_db, tmp_path_factory.mktemp("web-data"))
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    assert CHROMIUM.exists() and CHROMEDRIVER.exists(), "Chromium is missing: run scripts/setup.sh"
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 "--window-size=1280,1000", "--lang=zh-TW"):
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def is_not_blank(png: bytes) -> bool:
    """More than a handful of colours and some dark (text) pixels."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20) or []
    dark = sum(count for count, (r, g, b) in colours if r + g + b < 200)
    return len(colours) > 20 and dark > 500


def test_search_plan_and_upload_in_a_real_browser(server, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 30)
    browser.get(server + "/")
    box = wait.until(ec.presence_of_element_located((By.NAME, "q")))
    box.send_keys("电话礼貌测试")
    box.submit()
    total = wait.until(ec.presence_of_element_located((By.ID, "total")))
    assert "6" in total.text
    marks = [m.text for m in browser.find_elements(By.CSS_SELECTOR, ".result mark")]
    assert "電話禮貌測試" in marks
    assert len(browser.find_elements(By.CSS_SELECTOR, ".result")) == 6
    screenshot = browser.get_screenshot_as_png()
    (tmp_path / "search.png").write_bytes(screenshot)
    assert is_not_blank(screenshot)

    # a facet narrows the results
    browser.find_element(By.LINK_TEXT, "臺中市龍井區戶政事務所").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "total"), "2"))
    assert len(browser.find_elements(By.CSS_SELECTOR, ".result")) == 2

    # a result opens its plan at the measure
    browser.find_elements(By.CSS_SELECTOR, "a.measure-link")[0].click()
    focused = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "tr.focus")))
    assert "電話" in focused.text
    assert "臺中市龍井區戶政事務所" in browser.find_element(By.TAG_NAME, "h1").text

    # upload a plan through the form
    browser.get(server + "/check")
    chooser = wait.until(ec.presence_of_element_located((By.ID, "plan-file")))
    chooser.send_keys(str(SAMPLES / "004_3bdb734e2070ee73.txt"))
    browser.find_element(By.ID, "check-submit").click()
    note = wait.until(ec.presence_of_element_located((By.ID, "upload-note")))
    assert "未加入語料庫" in note.text
    assert "台電公司台北市區營業處112年度提升服務效能執行計畫" in browser.find_element(By.TAG_NAME, "h1").text
    assert len(browser.find_elements(By.CSS_SELECTOR, "tr[id^='m-']")) == 105
    report = browser.get_screenshot_as_png()
    (tmp_path / "report.png").write_bytes(report)
    assert is_not_blank(report)


def test_pages_fit_a_phone_screen(server, browser):
    """At a phone's width (390×844 CSS pixels) no page scrolls sideways: wide
    tables scroll inside their own box."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 30)
    browser.set_window_size(390, 844)
    try:
        assert browser.execute_script("return window.innerWidth") <= 420
        browser.get(server + "/?q=電話禮貌測試")
        link = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "a.measure-link"))).get_attribute("href")
        pages = ["/", "/?q=電話禮貌測試", "/?agency=經濟部水利署", "/check", link]
        for page in pages:
            browser.get(page if page.startswith("http") else server + page)
            wait.until(ec.presence_of_element_located((By.TAG_NAME, "main")))
            width, inner = browser.execute_script(
                "return [document.documentElement.scrollWidth, window.innerWidth]")
            assert width <= inner, (page, width, inner)
        # the plan page's measure table is wider than the screen and scrolls in its box
        wraps = browser.execute_script(
            "return [...document.querySelectorAll('.table-wrap')].map(w => [w.scrollWidth, w.clientWidth])")
        assert wraps and any(scroll > client for scroll, client in wraps), wraps
        family = browser.execute_script("return getComputedStyle(document.body).fontFamily")
        assert family.startswith('"Noto Sans CJK TC"'), family
    finally:
        browser.set_window_size(1280, 1000)
