"""End to end: Debian's Chromium, driven by Playwright, against `vnfacts serve`.

`.ci/run` installs chromium (scripts/install-chromium); no browser is downloaded here.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from pipeline.cli import main

from .conftest import CORPUS


def test_paste_an_article_and_see_its_facts(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = next((CORPUS / "seeds" / "texts").glob("002_*.txt"))
    text = article.read_text(encoding="utf-8")
    assert main(["extract", str(article), "-q", "--workers", "1"]) == 0
    expected = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is missing: run scripts/install-chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(server)
        page.fill("#doc-id", article.stem)
        page.fill("#text", text)
        page.click("#extract")
        page.wait_for_selector("#json[data-ready='1']", timeout=60_000)
        officials = page.locator("#highlighted mark.official")
        money = page.locator("#highlighted mark.money")
        assert officials.count() >= 5 and money.count() >= 5
        assert "Phó Chánh Văn phòng" in (officials.first.get_attribute("title") or "") or any(
            "Trần Quốc Huy" in (officials.nth(i).get_attribute("title") or "")
            for i in range(officials.count())
        )
        shown = json.loads(page.locator("#json").inner_text())
        screenshot = tmp_path / "serve.png"
        page.screenshot(path=str(screenshot), full_page=False)
        if os.environ.get("VNFACTS_SCREENSHOTS"):
            shutil.copy(screenshot, Path(os.environ["VNFACTS_SCREENSHOTS"]) / "serve.png")
        browser.close()
    assert shown == expected  # the JSON panel is what `vnfacts extract` gives
    assert screenshot.stat().st_size > 10_000
    assert all(url.startswith(server) for url in requests)  # no request leaves the machine
