"""Input format detection: by content first (strong signatures), then by extension."""

from __future__ import annotations

import re

from storydiff.readers.files import ReadError, head_bytes

FORMATS = ("html", "text", "jsonl", "warc", "feed")

_EXTENSIONS = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".warc": "warc",
    ".arc": "warc",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
}
_FEED = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.I)
_HTML = re.compile(rb"<(!doctype\s+html|html|head|body|article|div|p|meta|title)[\s>/]", re.I)


def extension_format(path: str) -> str | None:
    name = path.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    dot = name.rfind(".")
    return _EXTENSIONS.get(name[dot:]) if dot >= 0 else None


def sniff_format(head: bytes) -> str | None:
    """The format a file's first bytes prove, or None when they prove nothing."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith((b"WARC/", b"filedesc://")):
        return "warc"
    if start.startswith(b"{") or (start.startswith(b"[") and start[1:].lstrip()[:1] in (b"{", b"]")):
        return "jsonl"
    lead = start[:4096]
    if start.startswith(b"<"):
        if _FEED.search(lead):
            return "feed"
        if _HTML.search(lead):
            return "html"
    return None


def looks_binary(head: bytes) -> bool:
    """NUL bytes (outside UTF-16 text) mean a binary file such as an image or a PDF."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    return b"\x00" in head[:8192] or head.startswith(b"%PDF")


def detect_format(path: str, *, data: bytes | None = None) -> str:
    """One of FORMATS for ``path``; raises ReadError for empty or binary inputs."""
    head = head_bytes(path, data=data)
    if not head.strip():
        raise ReadError(path, "empty file")
    sniffed = sniff_format(head)
    if sniffed:
        return sniffed
    if looks_binary(head):
        raise ReadError(path, "binary file, not a supported input (html, text, jsonl, warc, feed)")
    return extension_format(path) or "text"
