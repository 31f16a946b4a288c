"""A person at a browser finds an attachment, goes to its notice and from there to another
attachment (headless Chromium against a real HTTP server)."""
from __future__ import annotations

from pathlib import Path


from browser_support import needs_chromium
from search_app import create_app
from test_attachments import NOTICE, OF, inbox, ingest  # noqa: F401 - inbox is a fixture
from test_browser import browser  # noqa: F401 - browser is a fixture
from web_support import ServerThread

pytestmark = needs_chromium


def test_from_an_attachment_hit_to_its_notice_and_on_to_another_attachment(
        browser, inbox, tmp_path: Path):  # noqa: F811 - the fixtures imported above
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    index = tmp_path / "idx"
    code, _, _ = ingest(inbox, "--index", index)
    assert code == 0
    wait = WebDriverWait(browser, 30)
    with ServerThread(create_app({"INDEX_PATH": index})) as server:
        browser.get(server.url + "/")
        browser.find_element(By.NAME, "q").send_keys("技能比武占六十分", Keys.ENTER)
        hit = wait.until(ec.presence_of_element_located(
            (By.CSS_SELECTOR, 'li.hit[data-doc-id="评分细则"]')))
        assert hit.find_element(By.CSS_SELECTOR, ".attachment-of").text == f"{OF}2"

        hit.find_element(By.CSS_SELECTOR, ".hit-title a").click()
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "p.attachment-of a")))
        assert browser.find_element(By.CSS_SELECTOR, "p.attachment-of").text == f"{OF}2"
        assert browser.find_element(By.CSS_SELECTOR, "h1.doc-title").text == "劳动竞赛评分细则"

        browser.find_element(By.CSS_SELECTOR, "p.attachment-of a").click()
        wait.until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, "h1.doc-title"), NOTICE))
        items = [li.text for li in browser.find_elements(By.CSS_SELECTOR,
                                                          "section.attachments li")]
        assert items == ["附件1：劳动竞赛实施方案", "附件2：劳动竞赛评分细则",
                         "附件3：劳动竞赛报名表（未收录）", "附件4：优秀组织奖申报表"]
        assert browser.find_elements(By.CSS_SELECTOR, "section.attachments li:nth-child(3) a") \
            == []  # 未收录: nothing to open

        browser.find_element(By.LINK_TEXT, "劳动竞赛实施方案").click()
        wait.until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, "h1.doc-title"),
                                                    "劳动竞赛实施方案"))
        assert browser.find_element(By.CSS_SELECTOR, "p.attachment-of").text == f"{OF}1"
