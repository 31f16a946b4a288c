"""A person at a browser: headless Chromium types a query, reads the hit, opens the passage."""
from __future__ import annotations

import pytest

from browser_support import browsing, needs_chromium
from web_support import BULLETIN_ISSUE, BULLETIN_TITLE

pytestmark = needs_chromium


@pytest.fixture()
def browser(tmp_path):
    with browsing(tmp_path / "profile") as driver:
        yield driver


def test_search_then_open_the_passage(browser, live_server, bulletin_id, bulletin,
                                      passage_pages):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 30)
    browser.get(live_server.url + "/")
    box = browser.find_element(By.NAME, "q")
    box.send_keys("产业工人", Keys.ENTER)
    hit = wait.until(ec.presence_of_element_located(
        (By.CSS_SELECTOR, f'li.hit[data-doc-id="{bulletin_id}"]')))

    assert hit.find_element(By.CSS_SELECTOR, ".hit-title a").text == BULLETIN_TITLE
    assert hit.find_element(By.CSS_SELECTOR, ".issue").text == BULLETIN_ISSUE
    passage = hit.find_element(By.CSS_SELECTOR, ".passage")
    marks = "".join(m.text for m in passage.find_elements(By.TAG_NAME, "mark"))
    assert "产业工人" in marks
    link = passage.find_element(By.CSS_SELECTOR, "a.passage-link")
    anchor = link.get_attribute("href").rsplit("#", 1)[1]
    assert passage.find_element(By.CSS_SELECTOR, ".page").text == f"第{passage_pages[anchor]}页"

    link.click()
    wait.until(ec.url_contains(f"/documents/{bulletin_id}"))
    target = wait.until(ec.presence_of_element_located((By.ID, anchor)))
    assert browser.current_url.endswith(f"#{anchor}")
    assert browser.execute_script("return document.querySelector(':target').id") == anchor
    assert target.is_displayed()
    assert "产业工人" in "".join(m.text for m in target.find_elements(By.TAG_NAME, "mark"))
    assert browser.find_element(By.CSS_SELECTOR, "h1.doc-title").text == BULLETIN_TITLE
    citation = target.find_element(By.CSS_SELECTOR, "button.copy").get_attribute("data-copy")
    assert f"[J/OL]. 改革快报, 2021(12): {passage_pages[anchor]}[" in citation  # issue 12
