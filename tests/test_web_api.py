"""The web app's pages and JSON API, through FastAPI's test client over a real store."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import jsonschema
import pytest
from fastapi.testclient import TestClient

from storydiff.web.app import create_app
from tests.conftest import SCHEMA_PATH
from tests.webutil import build_store

PASTED_A = (
    "A freight train derailed near Brindlecombe on Friday, spilling 20 tonnes of grain.\n\n"
    "Rail operator Norhaven Lines said nobody was hurt. The line will reopen on Monday."
)
PASTED_B = (
    "Twenty tonnes of grain spilled when a freight train left the tracks near Brindlecombe on Friday.\n\n"
    "Norhaven Lines said two workers were hurt. The company expects the line to reopen on Monday."
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def client(store: Path) -> TestClient:
    return TestClient(create_app(store), base_url="http://127.0.0.1:8000")


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text())


def story_ids(store: Path) -> dict[str, str]:
    """Story id by a word of its title, read straight from the store."""
    conn = sqlite3.connect(store)
    rows = conn.execute("SELECT id, title FROM stories").fetchall()
    conn.close()
    return {title: story_id for story_id, title in rows}


def hostile_story(store: Path) -> str:
    conn = sqlite3.connect(store)
    row = conn.execute(
        "SELECT sa.story_id FROM story_articles sa JOIN articles a ON a.id = sa.article_id "
        "WHERE a.url = 'https://evil.example/b'"
    ).fetchone()
    conn.close()
    return row[0]


def test_stories_page_lists_every_story_with_security_headers(client: TestClient, store: Path) -> None:
    response = client.get("/")
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    for story_id in story_ids(store).values():
        assert f"/stories/{story_id}" in response.text


def test_api_stories_search_by_outlet_and_text(client: TestClient) -> None:
    everything = client.get("/api/stories").json()
    assert everything["total"] >= 4
    by_outlet = client.get("/api/stories", params={"outlet": "Quillmarsh Post"}).json()
    assert by_outlet["total"] == 1
    assert "Quillmarsh Post" in by_outlet["stories"][0]["outlets"]
    by_text = client.get("/api/stories", params={"q": "Orvel dam"}).json()
    assert [s["id"] for s in by_text["stories"]] == [s["id"] for s in by_outlet["stories"]]
    assert client.get("/api/stories", params={"q": "no such words anywhere zzzz"}).json()["total"] == 0


def test_story_report_is_schema_valid_and_cached(client: TestClient, store: Path, schema: dict) -> None:
    story_id = hostile_story(store)
    report = client.get(f"/api/stories/{story_id}/report").json()
    jsonschema.validate(report, schema)
    texts = {a["id"]: a["text"] for a in report["articles"]}
    for claim in report["claims"]:
        for span in claim["statements"]:
            assert texts[span["article"]][span["start"] : span["end"]] == span["text"]
    # Opening a story caches its report: the list now shows its counts.
    listed = client.get("/api/stories", params={"outlet": "Quillmarsh Post"}).json()["stories"][0]
    assert listed["disputed"] is not None


def test_story_page_escapes_hostile_text(client: TestClient, store: Path) -> None:
    page = client.get(f"/stories/{hostile_story(store)}").text
    assert "<script>window.__pwned" not in page
    assert "&lt;script&gt;window.__pwned" in page
    assert "<img src=x" not in page
    assert 'href="javascript:' not in page


def test_unknown_ids_are_404_with_a_message(client: TestClient) -> None:
    for path in ("/api/stories/nope", "/api/stories/nope/report", "/api/articles/nope"):
        response = client.get(path)
        assert response.status_code == 404
        assert "nope" in response.json()["detail"]
    page = client.get("/stories/nope")
    assert page.status_code == 404 and "no story with id" in page.text


def test_downloads_in_three_formats(client: TestClient, store: Path) -> None:
    story_id = hostile_story(store)
    as_json = client.get(f"/stories/{story_id}/report.json")
    assert as_json.status_code == 200 and as_json.json()["schema_version"] == "1"
    as_md = client.get(f"/stories/{story_id}/report.md")
    assert as_md.status_code == 200 and as_md.text.startswith("#")
    as_html = client.get(f"/stories/{story_id}/report.html")
    assert as_html.status_code == 200 and "<html" in as_html.text.lower()
    assert client.get(f"/stories/{story_id}/report.pdf").status_code == 404


def test_api_compare_valid_and_errors(client: TestClient, schema: dict) -> None:
    body = {
        "articles": [{"text": PASTED_A, "source": "Rail Daily"}, {"text": PASTED_B, "source": "Valley Times"}]
    }
    response = client.post("/api/compare", json=body)
    assert response.status_code == 200, response.text
    report = response.json()
    jsonschema.validate(report, schema)
    assert {a["source"] for a in report["articles"]} == {"Rail Daily", "Valley Times"}
    empty = client.post("/api/compare", json={"articles": []})
    assert empty.status_code == 422 and "articles" in empty.json()["detail"]
    one = client.post("/api/compare", json={"articles": [{"text": PASTED_A}]})
    assert one.status_code == 422
    blank = client.post("/api/compare", json={"articles": [{"text": ""}, {"text": PASTED_B}]})
    assert blank.status_code == 422


def test_oversized_request_is_rejected(store: Path) -> None:
    small = TestClient(create_app(store, max_body_bytes=10_000), base_url="http://localhost")
    response = small.post("/api/compare", json={"articles": [{"text": "x" * 20_000}, {"text": "y"}]})
    assert response.status_code == 413
    assert "limit" in response.json()["detail"]


def test_compare_now_form(client: TestClient) -> None:
    form = client.get("/compare")
    assert form.status_code == 200 and 'name="text"' in form.text
    response = client.post(
        "/compare", data={"text": [PASTED_A, PASTED_B], "source": ["Rail Daily", "Valley Times"]}
    )
    assert response.status_code == 200, response.text
    assert "sd-articles" in response.text and "Valley Times" in response.text
    too_few = client.post("/compare", data={"text": [PASTED_A, ""]})
    assert too_few.status_code == 400 and "at least two articles" in too_few.text


def test_article_page_shows_metadata_and_copies(client: TestClient, store: Path) -> None:
    conn = sqlite3.connect(store)
    copy = conn.execute("SELECT article_id, original_id FROM copies LIMIT 1").fetchone()
    conn.close()
    assert copy, "the examples carry a wire-copy reprint"
    page = client.get(f"/articles/{copy[0]}")
    assert page.status_code == 200 and "Copy of" in page.text and f"/articles/{copy[1]}" in page.text


def test_openapi_documents_the_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/api/stories", "/api/stories/{story_id}", "/api/stories/{story_id}/report", "/api/compare"):
        assert path in spec["paths"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static-offline-docs/" in docs.text  # no CDN


def test_compare_now_with_uploaded_files(client: TestClient) -> None:
    page = (
        "<html><head><title>Train derails near Brindlecombe</title></head><body><article><p>"
        + PASTED_A.replace("\n\n", "</p><p>")
        + "</p></article></body></html>"
    ).encode()
    files = [
        ("files", ("rail-daily.html", page, "text/html")),
        (
            "files",
            ("valley-times.txt", ("Grain spill at Brindlecombe\n\n" + PASTED_B).encode(), "text/plain"),
        ),
        ("files", ("broken.bin", b"\x00\x01\x02binary", "application/octet-stream")),
    ]
    response = client.post("/compare", files=files[:2])
    assert response.status_code == 200, response.text
    assert "sd-articles" in response.text and "Grain spill at Brindlecombe" in response.text
    bad = client.post("/compare", files=files)
    assert bad.status_code == 400 and "broken.bin" in bad.text and "binary" in bad.text
