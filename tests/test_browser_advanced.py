"""Issue 13 in a real browser: the advanced form, facets ticked, chips removed (1200 and 390 px)."""
from __future__ import annotations

import pytest

from docs import build_index
from search_app import create_app
from test_advanced_search import corpus
from browser_support import browsing, needs_chromium
from web_support import ServerThread

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser-advanced") / "ix"
    build_index(folder, corpus()).close()
    with ServerThread(create_app({"TESTING": True, "INDEX_PATH": folder})) as live:
        yield live


@pytest.fixture(params=[1200, 390], ids=["desktop", "phone"])
def browser(request, tmp_path):
    phone = request.param if request.param < 500 else None  # narrower than a headless window
    with browsing(tmp_path / "profile", (max(request.param, 500), 900), phone=phone) as driver:
        yield driver


def _hits(browser):
    from selenium.webdriver.common.by import By
    return sorted(h.get_attribute("data-doc-id")
                  for h in browser.find_elements(By.CSS_SELECTOR, "li.hit"))


def _chips(browser):
    from selenium.webdriver.common.by import By
    return [c.text for c in browser.find_elements(By.CSS_SELECTOR, "a.chip")]


def _fits(browser):
    return browser.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth")


def test_advanced_form_facets_and_chips(browser, server):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    # a chip read while the next page replaces this one is stale: read again
    wait = WebDriverWait(browser, 30, ignored_exceptions=(StaleElementReferenceException,))
    browser.get(server.url + "/")
    browser.find_element(By.LINK_TEXT, "高级检索").click()
    wait.until(ec.presence_of_element_located((By.ID, "advanced-form")))
    width = browser.execute_script("return window.innerWidth")
    assert width == 390 or width >= 1000  # the phone really is 390 px wide
    assert _fits(browser)
    browser.find_element(By.ID, "adv-all").send_keys("改革")
    browser.find_element(By.ID, "adv-kind").send_keys("通知")
    date = browser.find_element(By.ID, "adv-from")
    assert date.get_attribute("type") == "date"
    browser.execute_script("arguments[0].value = '2019-01-01'", date)  # the picker's own value
    button = browser.find_element(By.ID, "adv-submit")
    browser.execute_script("arguments[0].scrollIntoView()", button)
    button.click()
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "a.chip")))
    assert browser.find_element(By.NAME, "q").get_attribute("value") == "改革"
    assert _chips(browser) == ["文种：通知 ×", "成文日期起：2019-01-01 ×"]
    assert _hits(browser) == ["g1", "g3"]
    assert _fits(browser)

    more = browser.find_element(By.XPATH, '//div[@data-facet="kind"]//a[contains(., "意见")]')
    assert more.get_attribute("aria-checked") == "false"
    browser.execute_script("arguments[0].scrollIntoView()", more)
    more.click()
    wait.until(lambda b: len(_chips(b)) == 3)
    assert _chips(browser) == ["文种：通知 ×", "文种：意见 ×", "成文日期起：2019-01-01 ×"]
    assert _hits(browser) == ["g1", "g2", "g3"]

    chip = browser.find_element(By.XPATH, '//a[@class="chip"][contains(., "通知")]')
    browser.execute_script("arguments[0].scrollIntoView()", chip)
    chip.click()
    wait.until(lambda b: len(_chips(b)) == 2)
    assert _chips(browser) == ["文种：意见 ×", "成文日期起：2019-01-01 ×"]
    assert _hits(browser) == ["g2"]

    # a new query typed in the box keeps the filters; 结果中检索 narrows the results
    box = browser.find_element(By.NAME, "q")
    box.clear()
    box.send_keys("试点")
    browser.find_element(By.ID, "in-results").click()
    browser.find_element(By.CSS_SELECTOR, "form.search-form button[type=submit]").click()
    wait.until(lambda b: "在“改革”的结果中 ×" in _chips(b))
    assert _hits(browser) == ["g2"]
    assert _chips(browser) == ["文种：意见 ×", "成文日期起：2019-01-01 ×", "在“改革”的结果中 ×"]
    assert _fits(browser)
    browser.find_element(By.LINK_TEXT, "清除条件").click()
    wait.until(lambda b: not _chips(b))
    assert browser.find_element(By.NAME, "q").get_attribute("value") == "试点"
