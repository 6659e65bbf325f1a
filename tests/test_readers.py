"""Readers: format detection, bounded reading, JSONL / WARC / feed records, inputs expansion, fetch."""

from __future__ import annotations

import gzip
import http.server
import io
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storydiff.model import RawDocument
from storydiff.readers import ReadError, detect_format, read_inputs, read_path
from storydiff.readers import warc as warc_reader
from storydiff.readers.fetch import USER_AGENT, fetch_urls

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
PAGE = (FIXTURES / "harbour-post.html").read_bytes()


def _docs(items: list[RawDocument | ReadError]) -> list[RawDocument]:
    return [i for i in items if isinstance(i, RawDocument)]


def _errors(items: list[RawDocument | ReadError]) -> list[ReadError]:
    return [i for i in items if isinstance(i, ReadError)]


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("page.html", b"<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
        ("page.bin", b"  <html><head><title>t</title></head></html>", "html"),  # content wins
        ("notes.txt", b"Harbour reopens\n\nThe harbour reopened today.", "text"),
        ("noext", b"Plain words with no markup at all.", "text"),
        ("dump.data", b'{"title": "t", "text": "x"}\n', "jsonl"),
        ("feed.xml", b'<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>', "feed"),
        ("atom.txt", b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>', "feed"),
        ("crawl.bin", b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", "warc"),
    ],
)
def test_detect_format_by_content_then_extension(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert detect_format(str(path)) == expected


def test_detect_format_sees_through_gzip(tmp_path: Path) -> None:
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(PAGE))
    assert detect_format(str(path)) == "html"


def test_binary_and_empty_files_are_errors(tmp_path: Path) -> None:
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)) * 4)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.html").write_bytes(b"  \n\n  ")
    errors = _errors(list(read_inputs([str(tmp_path)])))
    reasons = {Path(e.origin).name: e.reason for e in errors}
    assert "binary" in reasons["photo.jpg"]
    assert reasons["empty.txt"] == "empty file"
    assert reasons["blank.html"] == "empty file"


# --------------------------------------------------------------------------- bounded reading


def test_truncated_gzip_is_an_error_naming_the_file(tmp_path: Path) -> None:
    data = gzip.compress(PAGE * 20)
    path = tmp_path / "cut.html.gz"
    path.write_bytes(data[: len(data) // 2])
    items = list(read_path(str(path)))
    assert len(items) == 1 and isinstance(items[0], ReadError)
    assert items[0].origin == str(path) and "truncated" in items[0].reason


def test_decompression_bomb_stops_at_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "bomb.html.gz"
    path.write_bytes(gzip.compress(b"<html><body>" + b"a" * 5_000_000))  # 5 MB from ~5 kB
    items = list(read_path(str(path), max_size=100_000))
    assert isinstance(items[0], ReadError) and "size limit" in items[0].reason


def test_document_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 10_000)
    items = list(read_path(str(path), max_size=1000))
    assert isinstance(items[0], ReadError) and "size limit" in items[0].reason
    assert _docs(list(read_path(str(path), max_size=100_000)))


# --------------------------------------------------------------------------- inputs


def test_directories_are_read_recursively_and_globs_expand(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "deep").mkdir()
    (tmp_path / "a" / "one.txt").write_text("First file text here.")
    (tmp_path / "a" / "deep" / "two.txt").write_text("Second file text here.")
    (tmp_path / "a" / ".hidden.txt").write_text("Hidden.")
    (tmp_path / "a" / "README.md").write_text("About this folder.")
    (tmp_path / "a" / "answers.json").write_text('{"claims": []}')  # metadata beside articles
    origins = [d.origin for d in _docs(list(read_inputs([str(tmp_path / "a")])))]
    assert sorted(Path(o).name for o in origins) == ["one.txt", "two.txt"]
    globbed = _docs(list(read_inputs([str(tmp_path / "a" / "**" / "*.txt")])))
    assert sorted(Path(d.origin).name for d in globbed) == ["one.txt", "two.txt"]
    named = list(read_inputs([str(tmp_path / "a" / "answers.json")]))  # named explicitly: read (and refused)
    assert isinstance(named[0], ReadError) and "no text" in named[0].reason


def test_missing_inputs_are_errors_and_the_batch_goes_on(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("Some text.")
    items = list(
        read_inputs([str(tmp_path / "nope.txt"), str(tmp_path / "none-*.txt"), str(tmp_path / "ok.txt")])
    )
    assert [type(i).__name__ for i in items] == ["ReadError", "ReadError", "RawDocument"]
    assert "no such file" in items[0].reason and "no file matches" in items[1].reason


def test_forced_format_overrides_detection(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(PAGE)
    (doc,) = _docs(list(read_path(str(path), format="text")))
    assert doc.format == "text"


# --------------------------------------------------------------------------- JSON Lines


def test_jsonl_maps_common_export_fields(tmp_path: Path) -> None:
    records = [
        {
            "url": "https://vellinmail.com/a",
            "title": "Crane falls",
            "text": "Body one.",
            "source": "Vellin Mail",
            "published": "2025-03-04",
            "byline": "A. Writer",
            "language": "en",
        },
        # news-please style
        {
            "url": "https://dockside.org/b",
            "title": "Dock shut",
            "maintext": "Body two.",
            "source_domain": "dockside.org",
            "date_publish": "2025-03-05 08:00:00",
            "authors": ["B. One", "C. Two"],
        },
        {"url": "https://x.net/c", "html": "<html><body><p>Only html.</p></body></html>"},
    ]
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n\n")
    docs = _docs(list(read_path(str(path))))
    assert [d.origin for d in docs] == [f"{path}#1", f"{path}#2", f"{path}#3"]
    assert docs[0].hints["source"] == "Vellin Mail" and docs[0].hints["text"] == "Body one."
    assert docs[1].hints["text"] == "Body two." and docs[1].hints["source"] == "dockside.org"
    assert docs[1].hints["published"] == "2025-03-05 08:00:00" and docs[1].hints["byline"] == "B. One, C. Two"
    assert docs[2].hints["text"] is None and docs[2].hints["html"].startswith("<html>")


def test_jsonl_bad_lines_are_errors_with_record_numbers(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl.gz"
    lines = [
        '{"title": "a", "text": "Fine."}',
        "{not json",
        '["a list"]',
        '{"title": "no body"}',
        '{"text": "Also fine."}',
    ]
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    items = list(read_path(str(path)))
    assert [type(i).__name__ for i in items] == [
        "RawDocument",
        "ReadError",
        "ReadError",
        "ReadError",
        "RawDocument",
    ]
    assert items[1].origin.endswith("#2") and "not valid JSON" in items[1].reason
    assert "not a JSON object" in items[2].reason
    assert items[3].origin.endswith("#4") and "no text" in items[3].reason


def test_jsonl_record_over_the_limit_is_skipped_alone(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"text": "x" * 5000}) + "\n" + json.dumps({"text": "small"}) + "\n")
    items = list(read_path(str(path), max_size=1000))
    assert isinstance(items[0], ReadError) and "size limit" in items[0].reason
    assert isinstance(items[1], RawDocument) and items[1].hints["text"] == "small"


# --------------------------------------------------------------------------- WARC


def _warc_bytes(records: list[tuple[str, str, int, str, bytes]], *, gz: bool = True) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz)
    for rec_type, url, status, ctype, body in records:
        if rec_type == "response":
            http = StatusAndHeaders(f"{status} X", [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                http_headers=http,
                warc_headers_dict={"WARC-Date": "2025-03-04T10:00:00Z"},
            )
        else:
            record = writer.create_warc_record(
                url, rec_type, payload=io.BytesIO(body), warc_content_type="application/http; msgtype=request"
            )
        writer.write_record(record)
    return buffer.getvalue()


@pytest.mark.parametrize("gz", [True, False])
def test_warc_yields_html_responses_and_skips_the_rest(tmp_path: Path, gz: bool) -> None:
    data = _warc_bytes(
        [
            ("request", "https://harbourpost.co.uk/a", 0, "", b"GET /a HTTP/1.1\r\n\r\n"),
            ("response", "https://harbourpost.co.uk/a", 200, "text/html; charset=utf-8", PAGE),
            ("response", "https://harbourpost.co.uk/gone", 404, "text/html", b"<html>gone</html>"),
            ("response", "https://harbourpost.co.uk/pic.jpg", 200, "image/jpeg", b"\xff\xd8\xff"),
        ],
        gz=gz,
    )
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    path.write_bytes(data)
    warc_reader.SKIPPED.clear()
    items = list(read_path(str(path)))
    assert len(items) == 1 and isinstance(items[0], RawDocument)
    assert items[0].hints["url"] == "https://harbourpost.co.uk/a"
    assert items[0].hints["date_hint"] == "2025-03-04T10:00:00Z"
    assert items[0].content == PAGE and items[0].origin == f"{path}#2"
    assert warc_reader.SKIPPED == {"request record": 1, "HTTP 404": 1, "not HTML": 1}


def test_malformed_warc_record_is_reported_after_the_good_ones(tmp_path: Path) -> None:
    good = _warc_bytes([("response", "https://harbourpost.co.uk/a", 200, "text/html", PAGE)], gz=False)
    path = tmp_path / "broken.warc"
    path.write_bytes(good + b"this is not a WARC header at all\r\nmore garbage\r\n\r\n")
    items = list(read_path(str(path)))
    assert isinstance(items[0], RawDocument)
    assert isinstance(items[-1], ReadError) and "not a WARC record" in items[-1].reason
    assert items[-1].origin == str(path) and "after record 1" in items[-1].reason


def test_truncated_warc_gz_keeps_the_records_before_the_damage(tmp_path: Path) -> None:
    first = _warc_bytes([("response", "https://harbourpost.co.uk/a", 200, "text/html", PAGE)])
    second = _warc_bytes([("response", "https://harbourpost.co.uk/b", 200, "text/html", PAGE + b" ")])
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(first + second[: len(second) // 2])
    items = list(read_path(str(path)))
    assert isinstance(items[0], RawDocument) and items[0].hints["url"].endswith("/a")
    assert any(isinstance(i, ReadError) for i in items)


# --------------------------------------------------------------------------- feeds

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Vellin Evening Star</title><language>en-gb</language>
<item><title>Crane collapse at east dock</title><link>https://eveningstar.co.uk/crane</link>
<pubDate>Tue, 04 Mar 2025 11:00:00 GMT</pubDate>
<description>&lt;p&gt;A crane fell at the east dock.&lt;/p&gt;&lt;p&gt;Three people were hurt.&lt;/p&gt;</description></item>
<item><title>Empty entry</title><link>https://eveningstar.co.uk/empty</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Dockside Daily</title>
<entry><title>Union calls for checks</title><link href="https://docksidedaily.com/union"/>
<updated>2025-03-05T07:00:00Z</updated><author><name>R. Holm</name></author>
<content type="html">&lt;p&gt;The union asked for all cranes to be checked.&lt;/p&gt;</content></entry>
</feed>"""


def test_rss_entries_become_html_fragments_with_metadata(tmp_path: Path) -> None:
    path = tmp_path / "star.rss"
    path.write_bytes(RSS)
    items = list(read_path(str(path)))
    doc, err = items
    assert isinstance(doc, RawDocument) and doc.format == "html" and doc.hints["fragment"]
    assert (
        doc.hints["url"] == "https://eveningstar.co.uk/crane"
        and doc.hints["title"] == "Crane collapse at east dock"
    )
    assert doc.hints["sitename"] == "Vellin Evening Star" and "Three people were hurt" in doc.content.decode()
    assert isinstance(err, ReadError) and err.origin.endswith("#2") and "no content" in err.reason


def test_atom_entry_content_is_read(tmp_path: Path) -> None:
    path = tmp_path / "dockside.atom"
    path.write_bytes(ATOM)
    (doc,) = list(read_path(str(path)))
    assert isinstance(doc, RawDocument)
    assert doc.hints["url"] == "https://docksidedaily.com/union" and doc.hints["byline"] == "R. Holm"
    assert "all cranes to be checked" in doc.content.decode()


# --------------------------------------------------------------------------- fetch (local server only)


class _Handler(http.server.BaseHTTPRequestHandler):
    hits: dict[str, int] = {}
    agents: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        _Handler.hits[self.path] = _Handler.hits.get(self.path, 0) + 1
        _Handler.agents.append(self.headers.get("User-Agent", ""))
        if self.path == "/page":
            self._send(200, PAGE)
        elif self.path == "/flaky" and _Handler.hits[self.path] == 1:
            self._send(503, b"busy")
        elif self.path == "/flaky":
            self._send(200, PAGE)
        elif self.path == "/down":
            self._send(500, b"broken")
        elif self.path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()  # no Content-Length: the limit must hold while streaming
            for _ in range(100):
                self.wfile.write(b"x" * 10_000)
        else:
            self._send(404, b"missing")

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fetch_downloads_retries_once_and_limits_size(server: str) -> None:
    _Handler.hits.clear()
    urls = [f"{server}/page", f"{server}/flaky", f"{server}/down", f"{server}/missing", f"{server}/huge"]
    page, flaky, down, missing, huge = list(
        fetch_urls(urls, max_size=200_000, timeout=5, backoff=0.01, allow_private=True)
    )
    assert isinstance(page, RawDocument) and page.content == PAGE and page.hints["url"] == f"{server}/page"
    assert isinstance(flaky, RawDocument) and _Handler.hits["/flaky"] == 2
    assert isinstance(down, ReadError) and _Handler.hits["/down"] == 2  # one retry, no storm
    assert isinstance(missing, ReadError) and "404" in missing.reason and _Handler.hits["/missing"] == 1
    assert isinstance(huge, ReadError) and "size limit" in huge.reason
    assert set(_Handler.agents) == {USER_AGENT}


def test_fetch_reports_unreachable_hosts() -> None:
    (item,) = list(fetch_urls(["http://127.0.0.1:9/nothing"], timeout=2, backoff=0.01, allow_private=True))
    assert isinstance(item, ReadError) and item.origin == "http://127.0.0.1:9/nothing"
    assert "download failed" in item.reason


def test_json_array_and_pretty_printed_record_files(tmp_path: Path) -> None:
    array = tmp_path / "export.json"
    array.write_text(
        json.dumps(
            [{"title": "a", "text": "One."}, {"title": "b"}, {"title": "c", "text": "Three."}], indent=2
        )
    )
    items = list(read_path(str(array)))
    assert [type(i).__name__ for i in items] == ["RawDocument", "ReadError", "RawDocument"]
    assert items[2].origin == f"{array}#3" and items[2].hints["text"] == "Three."
    pretty = tmp_path / "one.json"
    pretty.write_text(json.dumps({"title": "a", "text": "Only one."}, indent=2))
    (doc,) = list(read_path(str(pretty)))
    assert isinstance(doc, RawDocument) and doc.hints["text"] == "Only one."


AGGREGATOR_FEED = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Regional Digest</title><link>https://digest.example/</link>
<item><title>Ferry stranded off Quay Point</title><link>https://quay-news.example/ferry</link>
<pubDate>Tue, 01 Sep 2026 08:00:00 +0000</pubDate><source url="https://quay-news.example/rss">Quay News</source>
<description>&lt;p&gt;A ferry with 80 passengers ran aground off Quay Point on Tuesday morning, the coastguard said.&lt;/p&gt;</description></item>
<item><title>Quay Point ferry refloated</title><link>https://digest.example/ferry</link>
<pubDate>Tue, 01 Sep 2026 12:00:00 +0000</pubDate>
<description>&lt;p&gt;Tugs refloated the stranded ferry off Quay Point at noon, the harbour master said.&lt;/p&gt;</description></item>
</channel></rss>"""


def test_feed_item_source_names_the_outlet(tmp_path: Path) -> None:
    from storydiff.extract import extract

    path = tmp_path / "digest.xml"
    path.write_bytes(AGGREGATOR_FEED)
    docs = [d for d in read_path(str(path)) if isinstance(d, RawDocument)]
    sources = [extract(d).source for d in docs]
    # The item's own <source> wins; an item without one falls back to the feed's title.
    assert sources == ["Quay News", "Regional Digest"]


def test_warc_record_without_target_uri_or_status_is_an_error_and_the_batch_goes_on(tmp_path: Path) -> None:
    good = _warc_bytes([("response", "https://harbourpost.co.uk/a", 200, "text/html", PAGE)], gz=False)
    http_body = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>x</p></body></html>"
    no_uri = (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:1>\r\n"
        b"Content-Type: application/http; msgtype=response\r\n"
        b"Content-Length: " + str(len(http_body)).encode() + b"\r\n\r\n" + http_body + b"\r\n\r\n"
    )
    not_http = b"just some bytes, not an HTTP response"
    no_status = (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://harbourpost.co.uk/c\r\n"
        b"WARC-Record-ID: <urn:uuid:2>\r\nContent-Type: application/http; msgtype=response\r\n"
        b"Content-Length: " + str(len(not_http)).encode() + b"\r\n\r\n" + not_http + b"\r\n\r\n"
    )
    path = tmp_path / "damaged.warc"
    path.write_bytes(good + no_uri + no_status + good)
    items = list(read_path(str(path)))
    documents = [i for i in items if isinstance(i, RawDocument)]
    errors = [i for i in items if isinstance(i, ReadError)]
    assert len(documents) >= 1 and documents[0].hints["url"] == "https://harbourpost.co.uk/a"
    assert errors and all("malformed WARC record" in e.reason for e in errors)


def test_folder_walk_keeps_article_files_and_leaves_out_project_files(tmp_path: Path) -> None:
    from storydiff.readers.files import expand_inputs

    folder = tmp_path / "crawl"
    folder.mkdir()
    for name in (
        "licence-fee-row.html",
        "notice-of-closure.txt",
        "export.json",
        "README.md",
        "LICENSE",
        "answers.json",
        ".hidden.html",
        "lines.json",
    ):
        (folder / name).write_text("x", encoding="utf-8")
    (folder / "export.json").write_text('[{"title": "A", "text": "B"}]', encoding="utf-8")
    (folder / "lines.json").write_text('{"title": "A", "text": "B"}\n{"title": "C", "text": "D"}\n')
    (folder / "answers.json").write_text('{\n  "story": "x",\n  "claims": []\n}\n', encoding="utf-8")
    found = sorted(Path(p).name for p in expand_inputs([str(folder)]))
    assert found == ["export.json", "licence-fee-row.html", "lines.json", "notice-of-closure.txt"]
