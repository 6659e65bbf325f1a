"""Regenerate docs/story-page.png: the harbor-fire example's story page in headless Chromium.

Usage: .venv/bin/python docs/screenshot.py   (needs /usr/bin/chromium; see tests/test_web_browser.py)
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.test_web_browser import ARGS, CHROMIUM, _free_port  # noqa: E402
from tests.webutil import build_store  # noqa: E402


def main() -> None:
    import uvicorn
    from playwright.sync_api import sync_playwright

    from storydiff.web.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        store = build_store(Path(tmp))
        port = _free_port()
        server = uvicorn.Server(uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            page = browser.new_page(viewport={"width": 1500, "height": 1700})
            page.goto(f"http://127.0.0.1:{port}/")
            page.locator("a.story-link", has_text="Vestrahavn").first.click()
            page.locator(".sd-conflict-card").first.click()
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(ROOT / "docs" / "story-page.png"), full_page=False)
            browser.close()
        server.should_exit = True
    print("wrote docs/story-page.png")


if __name__ == "__main__":
    main()
