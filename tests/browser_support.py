"""Headless Chromium (Debian's chromium + chromedriver) for the tests that drive the web UI."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

needs_chromium = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="headless browser test needs /usr/bin/chromium and /usr/bin/chromedriver")


def chromium(profile: Path, window: tuple[int, int] | None = (1200, 900),
             phone: int | None = None) -> Any:
    """A headless Chromium with its own profile folder. ``phone``: emulate a viewport that
    many CSS pixels wide (a headless window cannot be narrower than 500 px)."""
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    flags = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--no-first-run", f"--user-data-dir={profile}", "--lang=zh-CN"]
    if window is not None:
        flags.append(f"--window-size={window[0]},{window[1]}")
    for flag in flags:
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    if phone is not None:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": phone, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    return driver


@contextmanager
def browsing(profile: Path, window: tuple[int, int] | None = (1200, 900),
             phone: int | None = None) -> Iterator[Any]:
    """chromium(), quit when done."""
    driver = chromium(profile, window, phone)
    try:
        yield driver
    finally:
        driver.quit()
