"""The web app under bad requests: every answer a clear 4xx in the client's format with the security
headers, never a crash or a 500; Compare now within its budget and off the event loop.

The bad-request set (``BAD_REQUESTS``) is the one of issue 13, plus its neighbours.
"""

from __future__ import annotations

import functools
import gzip
import io
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from storydiff.web.app import create_app
from storydiff.web.inputs import Budget
from tests.test_web_api import PASTED_A, PASTED_B
from tests.webutil import build_store

LOCAL = "http://localhost:8000"
HTML = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}  # what a browser sends
JSON = {"accept": "application/json"}
BIG = "x" * 50_001


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("hardening"))


@pytest.fixture(scope="module")
def client(store: Path) -> Iterator[TestClient]:
    with TestClient(create_app(store), base_url=LOCAL, raise_server_exceptions=False) as test_client:
        yield test_client


def assert_secured(response: httpx.Response) -> None:
    policy = response.headers.get("content-security-policy", "")
    assert "default-src 'none'" in policy and "style-src 'self'" in policy, dict(response.headers)
    assert response.headers.get("x-content-type-options") == "nosniff"
    assert response.headers.get("x-frame-options") == "DENY"


def assert_format(response: httpx.Response, wanted: str) -> None:
    media = response.headers.get("content-type", "")
    if wanted == "json":
        assert media.startswith("application/json"), media
        assert response.json()["detail"]
    elif wanted == "form":  # Compare now's form again, with the problems listed above it
        assert media.startswith("text/html"), media
        assert 'class="problems"' in response.text and 'name="text"' in response.text
    else:
        assert media.startswith("text/html"), media
        assert "<h1>Error" in response.text


@functools.cache
def deep_json(depth: int = 200_000) -> bytes:
    return ("[" * depth + "]" * depth).encode()


@functools.cache
def gzip_bomb(records: int = 500_001) -> bytes:
    """A small .jsonl.gz of many records (~100 bytes each, ~50 MB decompressed)."""
    line = json.dumps(
        {"title": "Flood at Quillmarsh", "text": "The Orvel rose by two metres overnight. " * 2}
    )
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9) as handle:
        block = ((line + "\n") * 1000).encode()
        for _ in range(records // 1000):
            handle.write(block)
        handle.write(((line + "\n") * (records % 1000)).encode())
    return buffer.getvalue()


# (name, method, path, request options, status, format of the answer: json, an html error page, or
# Compare now's form with the problems)
BAD_REQUESTS: list[tuple[str, str, str, dict[str, Any], int, str]] = [
    ("offset 2**63", "GET", "/api/stories", {"params": {"offset": 2**63}}, 422, "json"),
    ("offset -1", "GET", "/api/stories", {"params": {"offset": -1}}, 422, "json"),
    ("limit 10**12", "GET", "/api/stories", {"params": {"limit": 10**12}}, 422, "json"),
    ("huge page", "GET", "/", {"params": {"page": 10**30}, "headers": HTML}, 422, "html"),
    ("page 2**63", "GET", "/", {"params": {"page": 2**63}, "headers": HTML}, 422, "html"),
    ("page not a number", "GET", "/", {"params": {"page": "abc"}, "headers": HTML}, 422, "html"),
    ("q 50k", "GET", "/api/stories", {"params": {"q": BIG}}, 422, "json"),
    ("outlet 50k", "GET", "/api/stories", {"params": {"outlet": BIG}}, 422, "json"),
    ("entity 50k", "GET", "/api/stories", {"params": {"entity": BIG}}, 422, "json"),
    ("q 50k page", "GET", "/", {"params": {"q": BIG}, "headers": HTML}, 422, "html"),
    ("entity 50k page", "GET", "/", {"params": {"entity": BIG}, "headers": HTML}, 422, "html"),
    ("bad sort", "GET", "/api/stories", {"params": {"sort": "id; DROP TABLE stories"}}, 422, "json"),
    ("story id 50k", "GET", f"/stories/{BIG}", {"headers": HTML}, 422, "html"),
    ("unknown story", "GET", "/stories/s-0000000000000000", {"headers": HTML}, 404, "html"),
    ("unknown story api", "GET", "/api/stories/s-0000", {}, 404, "json"),
    ("unknown article", "GET", "/articles/ffffffff", {"headers": HTML}, 404, "html"),
    ("unknown html path", "GET", "/no/such/page", {"headers": HTML}, 404, "html"),
    ("unknown path, curl", "GET", "/no/such/page", {"headers": {"accept": "*/*"}}, 404, "html"),
    ("unknown html path asking json", "GET", "/no/such/page", {"headers": JSON}, 404, "json"),
    ("unknown api path", "GET", "/api/nothing", {}, 404, "json"),
    ("unknown api path from a browser", "GET", "/api/nothing", {"headers": HTML}, 404, "html"),
    ("unknown asset", "GET", "/assets/../../etc/passwd", {"headers": HTML}, 404, "html"),
    ("static traversal", "GET", "/static/..%2f..%2fapp.py", {"headers": HTML}, 404, "html"),
    ("unknown download format", "GET", "/stories/s-0/report.exe", {"headers": HTML}, 404, "html"),
    ("method not allowed", "DELETE", "/api/stories", {}, 405, "json"),
    ("method not allowed page", "PUT", "/compare", {"headers": HTML}, 405, "html"),
    (
        "invalid json",
        "POST",
        "/api/compare",
        {"content": b"{not json", "headers": {"content-type": "application/json"}},
        422,
        "json",
    ),
    (
        "json nested 200k deep",
        "POST",
        "/api/compare",
        {"content": deep_json(), "headers": {"content-type": "application/json"}},
        400,
        "json",
    ),
    ("one article", "POST", "/api/compare", {"json": {"articles": [{"text": PASTED_A}]}}, 422, "json"),
    ("51 articles", "POST", "/api/compare", {"json": {"articles": [{"text": PASTED_A}] * 51}}, 422, "json"),
    (
        "text over 200k",
        "POST",
        "/api/compare",
        {"json": {"articles": [{"text": "w " * 100_001}, {"text": PASTED_B}]}},
        422,
        "json",
    ),
    (
        "multipart without boundary",
        "POST",
        "/compare",
        {"content": b"x", "headers": {"content-type": "multipart/form-data", **HTML}},
        400,
        "html",
    ),
    (
        "form text over 200k",
        "POST",
        "/compare",
        {"data": {"text": ["w " * 100_001, PASTED_B]}, "headers": HTML},
        400,
        "form",
    ),
    (
        "form outlet over 200 chars",
        "POST",
        "/compare",
        {"data": {"text": [PASTED_A, PASTED_B], "source": ["o" * 201, "x"]}, "headers": HTML},
        400,
        "form",
    ),
    (
        "upload nested 200k deep",
        "POST",
        "/compare",
        {
            "files": [
                ("files", ("deep.json", deep_json(), "application/json")),
                ("files", ("b.txt", PASTED_B.encode(), "text/plain")),
            ],
            "headers": HTML,
        },
        400,
        "form",
    ),
    (
        "upload jsonl nested deep",
        "POST",
        "/compare",
        {
            "files": [
                ("files", ("deep.jsonl", deep_json(50_000) + b"\n", "application/json")),
                ("files", ("b.txt", PASTED_B.encode(), "text/plain")),
            ],
            "headers": HTML,
        },
        400,
        "form",
    ),
    (
        "gzip bomb 500k records",
        "POST",
        "/compare",
        {"files": [("files", ("bomb.jsonl.gz", gzip_bomb(), "application/gzip"))], "headers": HTML},
        413,
        "form",
    ),
    (
        "gzip bomb via api headers",
        "POST",
        "/compare",
        {"files": [("files", ("bomb.jsonl.gz", gzip_bomb(), "application/gzip"))], "headers": JSON},
        413,
        "json",
    ),
    (
        "binary upload",
        "POST",
        "/compare",
        {
            "files": [
                ("files", ("a.bin", b"\x00\x01\x02" * 100, "application/octet-stream")),
                ("files", ("b.txt", PASTED_B.encode(), "text/plain")),
            ],
            "headers": HTML,
        },
        400,
        "form",
    ),
    (
        "url of loopback",
        "POST",
        "/compare",
        {"data": {"text": [PASTED_A], "urls": "http://127.0.0.1:8000/api/health"}, "headers": HTML},
        400,
        "form",
    ),
    (
        "url of cloud metadata",
        "POST",
        "/compare",
        {"data": {"text": [PASTED_A], "urls": "http://169.254.169.254/latest/meta-data/"}, "headers": HTML},
        400,
        "form",
    ),
    (
        "url not http",
        "POST",
        "/compare",
        {"data": {"text": [PASTED_A], "urls": "file:///etc/passwd"}, "headers": HTML},
        400,
        "form",
    ),
    (
        "body over 8 MB",
        "POST",
        "/api/compare",
        {"content": b"x" * (8 * 1024 * 1024 + 1), "headers": {"content-type": "application/json"}},
        413,
        "json",
    ),
    (
        "content-length not a number",
        "POST",
        "/api/compare",
        {"content": b"{}", "headers": {"content-type": "application/json", "content-length": "abc"}},
        413,
        "json",
    ),
    ("foreign host", "GET", "/", {"headers": {"host": "evil.example", **HTML}}, 400, "html"),
    (
        "foreign host api",
        "GET",
        "/api/stories",
        {"headers": {"host": "rebind.evil.example:8000"}},
        400,
        "json",
    ),
]


@pytest.mark.parametrize(
    ("name", "method", "path", "options", "status", "fmt"), BAD_REQUESTS, ids=[r[0] for r in BAD_REQUESTS]
)
def test_bad_request_gets_a_clear_answer(
    client: TestClient, name: str, method: str, path: str, options: dict[str, Any], status: int, fmt: str
) -> None:
    response = client.request(method, path, **options)
    assert response.status_code == status, (name, response.status_code, response.text[:500])
    assert_secured(response)
    assert_format(response, fmt)


def test_the_bad_request_set_gives_no_500_and_the_app_still_answers(client: TestClient) -> None:
    statuses = [client.request(m, p, **o).status_code for _, m, p, o, _, _ in BAD_REQUESTS]
    assert max(statuses) < 500, statuses
    assert client.get("/api/health").json()["ok"]


def test_answers_name_the_problem(client: TestClient) -> None:
    big = client.get("/api/stories", params={"q": BIG}).json()["detail"]
    assert "q" in big and "200" in big
    deep = client.post(
        "/compare", files=[("files", ("deep.json", deep_json(), "application/json"))], headers=HTML
    )
    assert "deep.json: JSON nested too deeply" in deep.text
    bomb = client.post(
        "/compare", files=[("files", ("bomb.jsonl.gz", gzip_bomb(), "application/gzip"))], headers=HTML
    )
    assert "at most 50 in one comparison" in bomb.text and "reading stopped" in bomb.text
    loopback = client.post(
        "/compare", data={"text": [PASTED_A], "urls": "http://localhost:9/x"}, headers=HTML
    )
    assert "loopback address" in loopback.text and "refused" in loopback.text
    host = client.get("/", headers={"host": "evil.example"})
    assert "evil.example" in host.text
    assert client.get("/", headers={"host": "127.0.0.1:8000"}).status_code == 200
    assert client.get("/", headers={"host": "[::1]:8000"}).status_code == 200


def test_a_bomb_is_refused_before_anything_is_extracted(store: Path) -> None:
    app = create_app(store)
    with TestClient(app, base_url=LOCAL) as test_client:
        response = test_client.post(
            "/compare", files=[("files", ("bomb.jsonl.gz", gzip_bomb(), "application/gzip"))], headers=HTML
        )
        assert response.status_code == 413
        assert app.state.web.worker._process is None  # the worker, which extracts, never started


def test_a_crash_is_a_500_in_the_clients_format_with_headers(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import storydiff.store.stories as stories_store

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internals 42")

    monkeypatch.setattr(stories_store, "list_stories", broken)
    with TestClient(create_app(store), base_url=LOCAL, raise_server_exceptions=False) as test_client:
        for path, headers, fmt in (("/", HTML, "html"), ("/api/stories", {}, "json")):
            response = test_client.get(path, headers=headers)
            assert response.status_code == 500
            assert_secured(response)
            assert_format(response, fmt)
            assert "secret internals 42" not in response.text  # internals stay in the server log


def test_a_store_that_is_not_a_store_is_an_error_page(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_text("not sqlite at all " * 100)
    with TestClient(create_app(bogus), base_url=LOCAL) as test_client:
        response = test_client.get("/api/stories")
        assert response.status_code == 500 and "not a storydiff store" in response.json()["detail"]
        assert_secured(response)


# --------------------------------------------------------------------------- Compare now's budget


def slow_job(payload: Any) -> dict[str, Any]:
    """A worker job that waits for a release file (named in the payload) before answering."""
    release = Path(payload[0][0][1])  # the first pasted text's outlet names the file
    Path(str(release) + ".started").touch()
    deadline = time.monotonic() + 60
    while not release.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    return {"problems": ["released"]} if release.exists() else {"problems": ["never released"]}


def sleeping_job(payload: Any) -> dict[str, Any]:
    time.sleep(60)
    return {"problems": ["woke up"]}


def hungry_job(payload: Any) -> dict[str, Any]:
    hog = b"x" * (600 * 1024 * 1024)  # touched memory, not just reserved
    time.sleep(30)
    return {"problems": [str(len(hog))]}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def live(request: pytest.FixtureRequest, store: Path) -> Iterator[str]:
    """A real server (uvicorn, in a thread) over ``create_app(store, **request.param)``."""
    import uvicorn

    from storydiff.web.server import server_config

    port = _free_port()
    app = create_app(store, **getattr(request, "param", {}))
    server = uvicorn.Server(server_config(app, "127.0.0.1", port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=15)


@pytest.mark.parametrize("live", [{"compare_job": "tests.test_web_hardening:slow_job"}], indirect=True)
def test_the_app_answers_other_requests_while_a_compare_runs(live: str, tmp_path: Path) -> None:
    """A comparison held in the worker until released: meanwhile the app serves pages and the API."""
    release = tmp_path / "release"
    answer: dict[str, httpx.Response] = {}

    def submit() -> None:
        answer["compare"] = httpx.post(
            f"{live}/compare",
            data={"text": [PASTED_A, PASTED_B], "source": [str(release), "b"]},
            headers=HTML,
            timeout=60,
        )

    comparing = threading.Thread(target=submit)
    comparing.start()
    started = Path(str(release) + ".started")
    deadline = time.monotonic() + 60
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert started.exists(), "the worker got the comparison"
    health = httpx.get(f"{live}/api/health", timeout=10)
    page = httpx.get(f"{live}/compare", timeout=10)
    assert health.status_code == 200 and page.status_code == 200
    assert comparing.is_alive() and "compare" not in answer  # still running when the others were answered
    release.touch()
    comparing.join(timeout=60)
    assert answer["compare"].status_code == 400 and "released" in answer["compare"].text


def _pasted_source_job_payload(release: Path) -> dict[str, Any]:
    return {"text": [PASTED_A, PASTED_B], "source": [str(release), "b"]}


def test_a_comparison_over_its_time_budget_is_stopped_with_503(store: Path) -> None:
    app = create_app(store, budget=Budget(seconds=1.0), compare_job="tests.test_web_hardening:sleeping_job")
    with TestClient(app, base_url=LOCAL) as test_client:
        response = test_client.post("/compare", data={"text": [PASTED_A, PASTED_B]}, headers=HTML)
        assert (
            response.status_code == 503
            and "took longer than" in response.text
            and "limit of 1 s" in response.text
        )
        assert response.headers["retry-after"] == "60"
        assert_secured(response)
        api = test_client.post("/api/compare", json={"articles": [{"text": PASTED_A}, {"text": PASTED_B}]})
        assert api.status_code == 503 and "limit of 1 s" in api.json()["detail"]
        assert app.state.web.worker._process is None  # killed, not left running


def test_a_comparison_over_its_memory_budget_is_stopped_with_503(store: Path) -> None:
    app = create_app(
        store,
        budget=Budget(seconds=60.0, memory_bytes=300 * 1024 * 1024),
        compare_job="tests.test_web_hardening:hungry_job",
    )
    with TestClient(app, base_url=LOCAL) as test_client:
        response = test_client.post(
            "/api/compare", json={"articles": [{"text": PASTED_A}, {"text": PASTED_B}]}
        )
        assert response.status_code == 503 and "limit of 300 MB of memory" in response.json()["detail"]


def test_a_second_comparison_while_one_runs_is_told_the_server_is_busy(store: Path, tmp_path: Path) -> None:
    app = create_app(store, budget=Budget(queue_seconds=0.2), compare_job="tests.test_web_hardening:slow_job")
    release = tmp_path / "release"
    with TestClient(app, base_url=LOCAL) as test_client:
        first: dict[str, httpx.Response] = {}
        thread = threading.Thread(
            target=lambda: first.setdefault(
                "r", test_client.post("/compare", data=_pasted_source_job_payload(release), headers=HTML)
            )
        )
        thread.start()
        started = Path(str(release) + ".started")
        deadline = time.monotonic() + 60
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        second = test_client.post("/api/compare", json={"articles": [{"text": PASTED_A}, {"text": PASTED_B}]})
        assert second.status_code == 503 and "busy" in second.json()["detail"]
        release.touch()
        thread.join(timeout=60)
        assert first["r"].status_code == 400  # the first one finished normally


@pytest.mark.parametrize("live", [{}], indirect=True)
def test_uvicorns_own_400_carries_the_security_headers(live: str) -> None:
    port = int(live.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"NOT A REQUEST\r\n\r\n")
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head = answer.decode("latin-1").lower()
    assert head.startswith("http/1.1 400")
    assert "content-security-policy: default-src 'none'" in head and "x-content-type-options: nosniff" in head


def test_host_allow_list() -> None:
    from storydiff.web.security import HostAllowList, allowed_hosts

    local = HostAllowList(None, allowed_hosts("127.0.0.1"))  # type: ignore[arg-type]
    for host in ("localhost", "localhost:8000", "127.0.0.1:8000", "[::1]:8000", "LOCALHOST."):
        assert local.accepts(host), host
    for host in (
        "evil.example",
        "127.0.0.1.evil.example",
        "localhost.evil.example:8000",
        "10.0.0.5:8000",
        "",
    ):
        assert not local.accepts(host), host
    named = HostAllowList(None, allowed_hosts("newsroom.lan", ["storydiff.internal"]))  # type: ignore[arg-type]
    assert named.accepts("newsroom.lan:8000") and named.accepts("storydiff.internal")
    assert not named.accepts("evil.example")
    # Bound to every interface: the machine's addresses work (a browser sends those only when typed), names not.
    everywhere = HostAllowList(None, allowed_hosts("0.0.0.0"), any_address=True)  # type: ignore[arg-type]
    assert everywhere.accepts("192.168.1.20:8000") and everywhere.accepts("[fe80::1]:8000")
    assert not everywhere.accepts("rebind.evil.example:8000")
