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
# Root elements of the feed dialects feedparser reads: RSS 0.9x/2.0, RSS 1.0 (RDF, any prefix), Atom 0.3/1.0,
# and Microsoft's CDF (<CHANNEL>).
_FEED_ROOTS = frozenset({"rss", "feed", "rdf", "channel"})
_PROLOGUE = re.compile(rb"\s*(?:<\?[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)", re.S | re.I)
_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s>/]")
_FEED = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.I)
_HTML = re.compile(rb"<(!doctype\s+html|html|head|body|article|div|p|meta|title)[\s>/]", re.I)


def extension_format(path: str) -> str | None:
    name = path.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    dot = name.rfind(".")
    return _EXTENSIONS.get(name[dot:]) if dot >= 0 else None


def root_element(lead: bytes) -> str | None:
    """Lower-case local name of the first element after the XML prologue (declaration, comments, doctype)."""
    position = 0
    while match := _PROLOGUE.match(lead, position):
        if match.end() == position:
            break
        position = match.end()
    root = _ROOT.match(lead, position + (len(lead[position:]) - len(lead[position:].lstrip())))
    return root.group(2).decode("ascii").lower() if root else None


def sniff_format(head: bytes) -> str | None:
    """The format a file's first bytes prove, or None when they prove nothing."""
    head = _as_utf8(head)
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith((b"WARC/", b"filedesc://")):
        return "warc"
    if start.startswith(b"{") or (start.startswith(b"[") and start[1:].lstrip()[:1] in (b"{", b"]")):
        return "jsonl"
    lead = start[:4096]
    if start.startswith(b"<"):
        if root_element(lead) in _FEED_ROOTS or _FEED.match(lead):
            return "feed"
        if _HTML.search(lead):
            return "html"
        if root_element(lead) != "html" and _FEED.search(lead):
            return "feed"
    return None


def _as_utf8(head: bytes) -> bytes:
    """UTF-16/32 (with or without a BOM) re-encoded as UTF-8, so the signatures above can be seen."""
    from storydiff.readers.encoding import bom_encoding, wide_encoding  # when a file is read, not at start-up

    wide = bom_encoding(head) or wide_encoding(head)
    if wide is None or wide == "utf-8-sig":
        return head
    size = 4 if "32" in wide else 2
    usable = head[: len(head) - len(head) % size]
    return usable.decode(wide, "replace").encode("utf-8")


# Signatures of the binary files most often met among articles: PDF, images, archives, office documents.
_BINARY_MAGIC = (
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0",
    b"RIFF",
    b"\x7fELF",
)
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0E, *range(0x10, 0x1B), *range(0x1C, 0x20)])


def looks_binary(head: bytes) -> bool:
    """A binary file (image, PDF, archive...): a known signature, or control bytes that text (outside
    UTF-16/32) does not have; a stray NUL in a text file is cleaned later, not a reason to refuse it."""
    from storydiff.readers.encoding import bom_encoding, wide_encoding

    if head.startswith(_BINARY_MAGIC):
        return True
    if b"\x00" not in head[:8192] or bom_encoding(head) or wide_encoding(head):
        return False
    sample = head[:8192]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > 0.01 * len(sample) or b"\x00" * 8 in sample


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
