"""A reader at a phone-sized Chromium (390 px): home page → a series → an issue → the next one,
and the catalogue, without typing a query."""
from __future__ import annotations

from pathlib import Path

import pytest

from archive_support import ISSUES, NAME, OFFICE, build_index, write_collection
from browser_support import browsing, needs_chromium
from web_support import ServerThread

ROOT = Path(__file__).resolve().parent.parent
WIDTH = 390

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory):
    import shutil

    from search_app import create_app
    from search_app.measures import read_measures_file, save_measures
    from search_app.store import close_index

    root = tmp_path_factory.mktemp("archive_browser")
    corpus = write_collection(root / "corpus")
    shutil.copy(ROOT / "corpus" / "gaigekuaibao-2021-12.txt", corpus)
    index = build_index(corpus, root / "index", len(ISSUES) + 1)
    listed = root / "清单.csv"
    listed.write_text("序号,文件名称,发文字号,出台单位,出台时间\n"
                      "1,大理州企业民主管理工作意见,,大理州总工会,2020年\n"
                      "2,大理州产业工人队伍建设改革职工技能提升行动实施方案（2021—2023年）,"
                      "大产改发〔2021〕3号,大理州产业工人队伍建设改革协调领导小组,2021年5月\n",
                      encoding="utf-8")
    save_measures(index, read_measures_file(listed), listed)
    app = create_app({"TESTING": True, "INDEX_PATH": index})
    with ServerThread(app) as server:
        yield server
    close_index(app)


@pytest.fixture()
def browser(tmp_path):
    with browsing(tmp_path / "profile", (WIDTH, 844), phone=WIDTH) as driver:
        yield driver


def _fits(browser) -> None:
    """Nothing on the page is wider than the phone's viewport (no sideways scrolling)."""
    width = browser.execute_script("return document.documentElement.scrollWidth")
    viewport = browser.execute_script("return window.innerWidth")
    assert viewport <= WIDTH and width <= viewport, (browser.current_url, width, viewport)


def test_home_to_series_to_issue_and_the_next(browser, live_server) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 30)
    browser.get(live_server.url + "/")
    _fits(browser)
    series_link = next(li.find_element(By.CSS_SELECTOR, "a.series-name")
                       for li in browser.find_elements(By.CSS_SELECTOR, ".home-series .series-item")
                       if OFFICE in li.text)
    assert series_link.text == f"《{NAME}》"
    series_link.click()

    wait.until(ec.url_contains("/series/"))
    _fits(browser)
    assert browser.find_element(By.TAG_NAME, "h1").text == f"《{NAME}》"
    year = browser.find_element(By.ID, "year-2021")
    assert year.find_element(By.CSS_SELECTOR, ".gaps").text == "本库缺：缺第3期"
    supplements = browser.find_element(By.ID, "supplements")
    assert [r.get_attribute("data-doc-id")
            for r in supplements.find_elements(By.CSS_SELECTOR, ".issue-row")] == ["k2021-s1"]
    row = year.find_element(By.CSS_SELECTOR, '.issue-row[data-doc-id="k2021-04"]')
    assert row.find_element(By.CSS_SELECTOR, ".issue-label").text == "2021年第4期（总第24期）"
    row.find_element(By.CSS_SELECTOR, "a.issue-title").click()

    wait.until(ec.url_contains("/documents/k2021-04"))
    _fits(browser)
    assert browser.find_element(By.CSS_SELECTOR, "h1.doc-title").text == "产业工人技能大赛决赛举行"
    nav = browser.find_element(By.CSS_SELECTOR, "nav.issue-nav")
    assert nav.find_element(By.CSS_SELECTOR, ".prev-issue").text == "← 上一期：2021年第2期（总第22期）"
    nav.find_element(By.CSS_SELECTOR, "a.next-issue").click()

    wait.until(ec.url_contains("/documents/k2022-01"))
    assert browser.find_element(By.CSS_SELECTOR, "h1.doc-title").text == "二〇二二年产改工作要点印发"
    browser.find_element(By.CSS_SELECTOR, "nav.issue-nav a.series-link").click()
    wait.until(ec.url_contains("/series/"))
    assert browser.find_element(By.ID, "year-2022").find_element(By.CSS_SELECTOR, ".gaps").text \
        == "本库缺：缺第2期"


def test_nav_to_the_catalogue_and_a_citing_passage(browser, live_server) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 30)
    browser.get(live_server.url + "/")
    browser.find_element(By.LINK_TEXT, "政策措施").click()
    wait.until(ec.url_contains("/measures"))
    _fits(browser)
    stated = browser.find_element(By.CSS_SELECTOR, ".stated")
    assert stated.find_element(By.CSS_SELECTOR, ".stated-total").text == "24项"
    assert stated.find_element(By.CSS_SELECTOR, ".stated-parts").text == (
        "＝州委、州政府6项＋州产业工人队伍建设改革协调领导小组2项＋领导小组成员单位16项")
    rows = browser.find_elements(By.CSS_SELECTOR, ".declared-row")
    assert [r.find_element(By.CSS_SELECTOR, ".status").text for r in rows] == ["未收录", "未收录"]
    assert rows[0].find_element(By.CSS_SELECTOR, ".mention a").text == \
        "《改革快报》2021年第12期（总第38期）"
    assert rows[1].find_element(By.CSS_SELECTOR, ".hint").text == "库中无文件引用"
    rows[0].find_element(By.CSS_SELECTOR, ".mention a").click()
    wait.until(ec.url_contains("#p5"))
    target = browser.find_element(By.ID, "p5")
    assert "《大理州企业民主管理工作意见》" in target.text
    assert browser.execute_script("return document.querySelector(':target').id") == "p5"
