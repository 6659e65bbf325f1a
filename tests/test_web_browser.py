"""Click through the web app in a real browser: Playwright driving Debian's headless Chromium.

`make test` installs chromium when missing; these tests skip, saying why, only when it could not be
installed or Playwright is absent.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_web_api import PASTED_A, PASTED_B, hostile_story
from tests.webutil import build_store

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="module")
def server(store: Path) -> Iterator[str]:
    import uvicorn

    from storydiff.web.app import create_app
    from storydiff.web.server import server_config

    port = _free_port()
    instance = uvicorn.Server(server_config(create_app(store), "127.0.0.1", port, log_level="warning"))
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not instance.started:
        if time.monotonic() > deadline:
            raise RuntimeError("web app did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (make test installs it with apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs  # type: ignore[attr-defined]
    yield page
    context.close()


def test_open_story_and_click_a_disputed_claim(page: object, server: str) -> None:
    page.goto(server + "/")  # type: ignore[attr-defined]
    page.locator("a.story-link", has_text="Vestrahavn").first.click()  # type: ignore[attr-defined]
    page.wait_for_selector("#disputed")  # type: ignore[attr-defined]
    disputes = page.locator(".sd-conflict-card")  # type: ignore[attr-defined]
    assert disputes.count() >= 1, "the harbor-fire story has planted conflicts"
    disputes.first.click()
    highlighted = page.locator(".sd-col .sd-st.sd-active")  # type: ignore[attr-defined]
    highlighted.first.wait_for()
    columns = page.eval_on_selector_all(  # type: ignore[attr-defined]
        ".sd-col .sd-st.sd-active", "els => new Set(els.map(e => e.closest('.sd-col').dataset.article)).size"
    )
    assert columns >= 2, "both sides of the disputed claim are highlighted, in different articles"
    # The conflicting values themselves are marked inside the highlighted statements.
    assert page.locator(".sd-st.sd-active mark.sd-conflict").count() >= 2  # type: ignore[attr-defined]
    # Clicking a statement in the columns highlights its counterparts elsewhere too.
    statement = page.locator(".sd-col .sd-st.sd-corroborated").first  # type: ignore[attr-defined]
    claim = statement.get_attribute("data-claim")
    statement.click()
    assert page.locator(f'.sd-st.sd-active[data-claim="{claim}"]').count() >= 2  # type: ignore[attr-defined]


def test_story_page_has_pictures(page: object, server: str) -> None:
    page.goto(server + "/")  # type: ignore[attr-defined]
    page.locator("a.story-link", has_text="Vestrahavn").first.click()  # type: ignore[attr-defined]
    for chart in ("svg.coverage", "svg.claims", "svg.timeline"):
        assert page.locator(chart).count() == 1, chart  # type: ignore[attr-defined]
    assert page.locator("svg.coverage circle").count() >= 3  # type: ignore[attr-defined]


def test_compare_now_with_two_pasted_texts(page: object, server: str) -> None:
    page.goto(server + "/compare")  # type: ignore[attr-defined]
    sources = page.locator('input[name="source"]')  # type: ignore[attr-defined]
    texts = page.locator('textarea[name="text"]')  # type: ignore[attr-defined]
    sources.nth(0).fill("Rail Daily")
    texts.nth(0).fill(PASTED_A)
    sources.nth(1).fill("Valley Times")
    texts.nth(1).fill(PASTED_B)
    page.click("#compare-submit")  # type: ignore[attr-defined]
    page.wait_for_selector(".sd-articles")  # type: ignore[attr-defined]
    heads = page.locator(".sd-col-head .sd-outlet").all_inner_texts()  # type: ignore[attr-defined]
    assert sorted(heads) == ["Rail Daily", "Valley Times"]
    assert page.locator(".sd-col .sd-st").count() >= 4  # type: ignore[attr-defined]


def test_hostile_article_renders_as_text_and_runs_nothing(page: object, server: str, store: Path) -> None:
    story = hostile_story(store)
    page.goto(f"{server}/stories/{story}")  # type: ignore[attr-defined]
    page.wait_for_selector(".sd-articles")  # type: ignore[attr-defined]
    body = page.inner_text("main")  # type: ignore[attr-defined]
    assert "<script>window.__pwned='text'</script>" in body
    assert "javascript:window.__pwned" in body  # shown as text, not a link
    assert page.locator("main img").count() == 0  # type: ignore[attr-defined]
    assert page.locator("a[href^='javascript:']").count() == 0  # type: ignore[attr-defined]
    page.locator(".sd-col .sd-st").first.click()  # type: ignore[attr-defined]
    assert page.evaluate("window.__pwned === undefined")  # type: ignore[attr-defined]
    assert page.dialogs == []  # type: ignore[attr-defined]
    # The article pages too.
    hrefs = [link.get_attribute("href") for link in page.locator("a.article-link").all()]  # type: ignore[attr-defined]
    assert hrefs
    for href in hrefs:
        page.goto(server + href)  # type: ignore[attr-defined]
        assert "<script>" in page.inner_text("main") or "Quillmarsh" in page.inner_text("main")  # type: ignore[attr-defined]
        assert page.evaluate("window.__pwned === undefined")  # type: ignore[attr-defined]


SIDE_BY_SIDE = """els => els.slice(0, 2).map(e => { const r = e.getBoundingClientRect();
  return {x: r.x, y: r.y, width: r.width, height: r.height}; })"""


def assert_side_by_side(page: object) -> None:
    """The first two article columns stand next to each other: same top, the second right of the first,
    each a readable width (not one full-width column above the other)."""
    first, second = page.eval_on_selector_all(".sd-articles > .sd-col", SIDE_BY_SIDE)  # type: ignore[attr-defined]
    viewport = page.viewport_size["width"]  # type: ignore[attr-defined]
    assert abs(first["y"] - second["y"]) < 2, (first, second)
    assert second["x"] >= first["x"] + first["width"] - 1, (first, second)
    assert 250 <= first["width"] < viewport / 2, (first, viewport)


def test_story_page_shows_articles_side_by_side(page: object, server: str) -> None:
    page.goto(server + "/")  # type: ignore[attr-defined]
    page.locator("a.story-link", has_text="Vestrahavn").first.click()  # type: ignore[attr-defined]
    page.wait_for_selector(".sd-articles .sd-col")  # type: ignore[attr-defined]
    assert_side_by_side(page)


def test_compare_now_shows_articles_side_by_side(page: object, server: str) -> None:
    page.goto(server + "/compare")  # type: ignore[attr-defined]
    page.locator('textarea[name="text"]').nth(0).fill(PASTED_A)  # type: ignore[attr-defined]
    page.locator('textarea[name="text"]').nth(1).fill(PASTED_B)  # type: ignore[attr-defined]
    page.click("#compare-submit")  # type: ignore[attr-defined]
    page.wait_for_selector(".sd-articles .sd-col")  # type: ignore[attr-defined]
    assert_side_by_side(page)


def test_no_style_is_blocked_by_the_content_security_policy(page: object, server: str) -> None:
    """Chromium reports every inline style the CSP refuses; the pages must have none."""
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)  # type: ignore[attr-defined]
    page.goto(server + "/")  # type: ignore[attr-defined]
    page.locator("a.story-link", has_text="Vestrahavn").first.click()  # type: ignore[attr-defined]
    page.wait_for_selector(".sd-articles .sd-col")  # type: ignore[attr-defined]
    href = page.locator("a.article-link").first.get_attribute("href")  # type: ignore[attr-defined]
    page.goto(server + href)  # type: ignore[attr-defined]
    page.goto(server + "/compare")  # type: ignore[attr-defined]
    assert refused == []
