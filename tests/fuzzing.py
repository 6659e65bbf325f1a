"""Fuzzing harness for the readers and extraction: seeds of every input format, mutations, and the oracle.

Used by tests/test_fuzz_readers.py (hypothesis, a few seconds, derandomized) and bench/bench_fuzz.py
(longer runs, a fixed seed, and the whole CLI on a folder of mutants). The oracle is what storydiff
promises for any input: nothing escapes as an exception, every result is an Article or a ReadError, a
reason is one short line, and an article's text is clean, storable text.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass

from storydiff.ingest import extract_raws
from storydiff.model import Article
from storydiff.readers import ReadError, read_path
from storydiff.readers.files import MAX_ORIGIN_CHARS, MAX_REASON_CHARS
from tests.warcbuild import PAGE, gzip_member, http_response, page_record, warc_record

_PARAGRAPHS = [
    "The harbour lights at Marlow Point were switched back on on Thursday evening after three weeks of repairs.",
    "Engineers replaced the cables that a storm had torn loose, the Marlow harbour board said in a statement.",
    "The ferry to Tessel Island will run to its winter timetable again from Saturday, said its chair, Ines Varga.",
]
_BODY = "".join(f"<p>{p}</p>" for p in _PARAGRAPHS)
_ESCAPED = _BODY.replace("<", "&lt;").replace(">", "&gt;")


def _jsonl() -> bytes:
    records = [
        {
            "url": "https://marlow.example/1",
            "title": "Lights",
            "text": "\n\n".join(_PARAGRAPHS),
            "source": "Herald",
        },
        {"url": "https://marlow.example/2", "maintext": " ".join(_PARAGRAPHS), "authors": ["A. Quill"]},
        {"url": "https://marlow.example/3", "html": f"<html><body><article>{_BODY}</article></body></html>"},
    ]
    return ("\n".join(json.dumps(r) for r in records) + "\n").encode()


SEEDS: dict[str, tuple[str, bytes]] = {
    "html": (
        "page.html",
        f"<!DOCTYPE html><html><head><title>Lights</title></head><body>{_BODY}</body></html>".encode(),
    ),
    "html-latin1": (
        "latin.html",
        f'<html><head><meta charset="iso-8859-1"></head><body><p>Le maire a déclaré à Valmorin.</p>{_BODY}'
        "</body></html>".encode("latin-1"),
    ),
    "html-gzip": ("page.html.gz", gzip.compress(PAGE.encode())),
    "text": (
        "story.txt",
        ("Harbour lights return\n\nHome | News | Sport\n\n" + "\n\n".join(_PARAGRAPHS)).encode(),
    ),
    "text-utf16": ("story16.txt", "\n\n".join(_PARAGRAPHS).encode("utf-16-le")),
    "jsonl": ("export.jsonl", _jsonl()),
    "json-array": ("export.json", json.dumps([{"title": "a", "text": " ".join(_PARAGRAPHS)}]).encode()),
    "warc": (
        "crawl.warc",
        page_record("https://marlow.example/a")
        + warc_record("https://marlow.example/r", b"GET / HTTP/1.1\r\n\r\n", record_type="request")
        + page_record("https://marlow.example/b"),
    ),
    "warc-gzip": (
        "crawl.warc.gz",
        gzip_member(page_record("https://marlow.example/a"))
        + gzip_member(page_record("https://marlow.example/b")),
    ),
    "arc": (
        "crawl.arc",
        b"filedesc://crawl.arc 0.0.0.0 20260305090000 text/plain 9\n1 0 Test\n\n"
        + b"https://marlow.example/a 10.0.0.1 20260305090000 text/html "
        + str(len(http_response(PAGE))).encode()
        + b"\n"
        + http_response(PAGE)
        + b"\n",
    ),
    "rss": (
        "feed.rss",
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Marlow Radio</title><item>'
        f"<title>Lights</title><link>https://marlow.example/l</link><pubDate>Thu, 05 Mar 2026 09:00:00 GMT</pubDate>"
        f"<description>{_ESCAPED}</description></item></channel></rss>".encode(),
    ),
    "atom": (
        "feed.atom",
        f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Tessel Gazette</title><entry>'
        f'<title>Lights</title><link href="https://tessel.example/l"/><updated>2026-03-05T09:00:00Z</updated>'
        f'<content type="html">{_ESCAPED}</content></entry></feed>'.encode(),
    ),
    "rdf": (
        "feed.rdf",
        f'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        f'xmlns="http://purl.org/rss/1.0/"><channel><title>Valley News</title></channel><item>'
        f"<title>Lights</title><link>https://valley.example/l</link><description>{_ESCAPED}</description>"
        f"</item></rdf:RDF>".encode(),
    ),
    "cdf": (
        "channel.cdf",
        f'<?xml version="1.0"?><CHANNEL HREF="https://tessel.example/"><TITLE>Tessel Gazette</TITLE>'
        f'<ITEM HREF="https://tessel.example/l"><TITLE>Lights</TITLE><ABSTRACT>{" ".join(_PARAGRAPHS)}</ABSTRACT>'
        f"</ITEM></CHANNEL>".encode(),
    ),
}

# Byte strings that reach the parsers' odd corners when spliced in.
TOKENS = [
    b"WARC/1.0\r\n",
    b"WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 99999999999\r\n\r\n",
    b"Content-Length: -1\r\n",
    b"Content-Length: 4\r\n\r\n",
    b"\r\n\r\n",
    b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff",
    b"\x00",
    b"\x00\x00\x00\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\x1b[31m",
    b"\xed\xa0\x80",  # a UTF-8-encoded lone surrogate
    b"<![CDATA[",
    b"]]>",
    b"<!--",
    b"<psc:chapters><psc:chapter/></psc:chapters>",
    b"<width/>",
    b"<description><content/>",
    b"<media:content><media:thumbnail/></media:content>",
    b"&#0;",
    b"&#xD800;",
    b'<meta charset="shift_jis">',
    b'<?xml version="1.0" encoding="x-unknown"?>',
    b'{"text": ',
    b'"\\ud800"',
    b"[",
    b"}",
    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n",
    b"\n" * 50,
    b"x" * 5000,
]


def mutate(data: bytes, rng: random.Random, *, others: Iterable[bytes] = ()) -> bytes:
    """One to four random edits of ``data``: byte flips, inserted tokens or noise, cuts, copies, splices."""
    buffer = bytearray(data)
    pool = list(others)
    for _ in range(rng.randint(1, 4)):
        where = rng.randint(0, len(buffer))
        kind = rng.randrange(7)
        if kind == 0 and buffer:
            for _ in range(rng.randint(1, 8)):
                buffer[rng.randrange(len(buffer))] = rng.randrange(256)
        elif kind == 1:
            buffer[where:where] = rng.choice(TOKENS)
        elif kind == 2:
            buffer[where:where] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
        elif kind == 3 and buffer:
            end = min(len(buffer), where + rng.randint(1, 256))
            del buffer[where:end]
        elif kind == 4 and buffer:
            end = min(len(buffer), where + rng.randint(1, 512))
            buffer[where:where] = buffer[where:end] * rng.randint(1, 4)
        elif kind == 5 and pool:
            other = rng.choice(pool)
            cut = rng.randint(0, len(other))
            buffer = buffer[:where] + bytearray(other[cut:])
        else:
            buffer = buffer[: rng.randint(0, len(buffer))]
    return bytes(buffer)


_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


@dataclass
class Outcome:
    articles: int = 0
    errors: int = 0


def check(name: str, data: bytes) -> Outcome:
    """Read and extract one input; raise AssertionError when storydiff breaks a promise on it."""
    outcome = Outcome()
    for item in extract_raws(read_path(name, data=data, max_size=2 * 1024 * 1024)):
        if isinstance(item, ReadError):
            assert isinstance(item.reason, str) and 0 < len(item.reason) <= MAX_REASON_CHARS, item.reason
            assert len(item.origin) <= MAX_ORIGIN_CHARS
            assert "\n" not in item.reason
            outcome.errors += 1
        else:
            assert isinstance(item, Article), type(item)
            text = item.text
            # No C0 control characters, noncharacters or lone surrogates (lxml, SQLite and JSON refuse them).
            assert text.strip() and not _FORBIDDEN.search(text), repr(text[:80])
            text.encode("utf-8")  # no lone surrogates: SQLite and JSON must take it
            json.dumps(item.to_dict(), ensure_ascii=False).encode("utf-8")
            assert isinstance(item.source, str) and item.source
            outcome.articles += 1
    return outcome
