"""In Chromium: a passage's copy button puts its GB/T 7714 citation on the clipboard, and its
permalink and original-file links lead where the citation says (issue 12)."""
from __future__ import annotations

import pytest

from browser_support import browsing, needs_chromium

pytestmark = needs_chromium


@pytest.fixture()
def browser(tmp_path):
    with browsing(tmp_path / "profile") as driver:
        yield driver


def test_copy_a_passage_citation_then_follow_its_links(browser, live_server, bulletin_id,
                                                       passage_pages, client):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 30)
    browser.execute_cdp_cmd("Browser.grantPermissions", {
        "origin": live_server.url, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {  # a phone: 390 px wide
        "width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    anchor = next(pid for pid, page in passage_pages.items() if page == 2)
    browser.get(f"{live_server.url}/documents/{bulletin_id}")
    passage = wait.until(ec.presence_of_element_located((By.ID, anchor)))
    button = passage.find_element(By.CSS_SELECTOR, "button.copy")
    browser.execute_script("arguments[0].scrollIntoView()", button)
    button.click()
    wait.until(lambda d: button.text == "已复制")

    api = client.get(f"/api/documents/{bulletin_id}").get_json()
    expected = next(p["citation"]["text"] for s in api["sections"] for p in s["passages"]
                    if p["id"] == anchor).replace("http://localhost/", live_server.url + "/")
    clipboard = browser.execute_async_script(
        "navigator.clipboard.readText().then(arguments[0], e => arguments[0]('ERR ' + e))")
    assert clipboard == expected
    shown = passage.find_element(By.CSS_SELECTOR, "textarea.copied")
    assert shown.get_attribute("value") == expected and shown.is_displayed()
    assert f"改革快报, 2021(12): {passage_pages[anchor]}[" in expected
    # the page fits a phone's width: nothing wider than the window
    wide = browser.execute_script(
        "return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
        " > 390).map(e => e.tagName + '.' + e.className).slice(0, 12)")
    assert browser.execute_script("return window.innerWidth") == 390
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390, wide

    browser.get(f"{live_server.url}/search?q=职工")  # the export links and check boxes fit too
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "form.export")))
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
    assert browser.find_element(By.CSS_SELECTOR, "a.export-ris").is_displayed()
    browser.back()
    passage = wait.until(ec.presence_of_element_located((By.ID, anchor)))
    original = passage.find_element(By.CSS_SELECTOR, "a.original-page").get_attribute("href")
    assert original.endswith(f"/gaigekuaibao-2021-12.pdf#page={passage_pages[anchor]}")
    permalink = passage.find_element(By.CSS_SELECTOR, "a.permalink")
    assert expected.endswith(permalink.get_attribute("href") + ".")
    permalink.click()
    wait.until(ec.url_contains(f"at={anchor}"))
    assert browser.current_url.endswith(f"#{anchor}")
    assert browser.execute_script("return document.querySelector(':target').id") == anchor
