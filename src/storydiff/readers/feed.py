"""RSS / Atom / RDF / CDF feed files (feedparser): each entry's content (or summary) is an HTML fragment.

The feed is decoded here, not by feedparser: its declared encoding is read as the WHATWG superset (a
"Shift_JIS" feed is CP932, "EUC-KR" is CP949), where feedparser would fall back to windows-1252 mojibake on
the first character beyond the strict standard. feedparser itself raises on some malformed markup (a
podcast chapter without ``start``, a ``<width>`` outside an image...): the feed is then parsed once more
reduced to the elements we read (``_READ_TAGS``; CDATA kept as it is), and only if that fails too is the
whole feed one ReadError. Entries are read defensively: any field may be missing, None or of an odd type.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import feedparser

from storydiff.model import RawDocument
from storydiff.readers.encoding import DecodeError, decode
from storydiff.readers.files import ReadError

# The elements an entry's article comes from (RSS, RDF, Atom, CDF); the retry keeps only these.
_READ_TAGS = frozenset(
    {
        "rss", "channel", "item", "feed", "entry", "title", "link", "description", "summary", "content",
        "pubdate", "published", "updated", "modified", "issued", "created", "date", "author", "name", "creator",
        "source", "language", "guid", "id", "rdf", "abstract", "subtitle", "encoded",
    }
)  # fmt: skip
_MARKUP = re.compile(rb"<!\[CDATA\[.*?\]\]>|<!--.*?-->|<\?.*?\?>|</?(?:[\w.-]+:)?([\w.-]+)[^<>]*>", re.S)
_XML_DECLARATION = re.compile(r"^(\s*<\?xml[^>]*?encoding\s*=\s*[\"'])[^\"']*([\"'])", re.I)


def _text(value: Any) -> str:
    """A feed field as text: feedparser gives str, None, dicts or lists depending on the feed."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _text(value.get("value") or value.get("name") or value.get("title"))
    if isinstance(value, list | tuple):
        return ", ".join(t for t in (_text(v) for v in value) if t)
    return str(value)


def _entry_html(entry: Any) -> str:
    contents = entry.get("content") or []
    if not isinstance(contents, list):
        contents = [contents]
    best = max((_text(c) for c in contents), key=len, default="")
    return best or _text(entry.get("summary")) or _text(entry.get("description"))


def _as_utf8(data: bytes, content_type: str | None) -> bytes:
    """The feed decoded by our rules and handed to feedparser as UTF-8 that says so."""
    text = decode(data, xml=True, content_type=content_type)
    text = _XML_DECLARATION.sub(r"\1utf-8\2", text, count=1)
    return text.encode("utf-8", "replace")


def _reduced(data: bytes) -> bytes:
    """The feed with every element but those in _READ_TAGS removed (their text stays), CDATA untouched."""

    def keep(match: re.Match[bytes]) -> bytes:
        name = match.group(1)
        if name is None or name.decode("ascii", "ignore").lower() in _READ_TAGS:
            return match.group(0)
        return b""

    return _MARKUP.sub(keep, data)


def _parse(data: bytes) -> Any:
    headers = {"content-type": "application/xml; charset=utf-8"}
    try:
        return feedparser.parse(
            data, response_headers=headers, sanitize_html=True, resolve_relative_uris=True
        )
    except Exception as exc:  # noqa: BLE001 - feedparser raises TypeError/AttributeError on odd markup
        first = exc
    try:
        return feedparser.parse(_reduced(data), response_headers=headers)
    except Exception:  # noqa: BLE001
        raise first from None


def read_feed(
    path: str, data: bytes, *, content_type: str | None = None
) -> Iterator[RawDocument | ReadError]:
    try:
        utf8 = _as_utf8(data, content_type)
    except DecodeError as exc:
        yield ReadError(path, str(exc))
        return
    try:
        parsed = _parse(utf8)
    except Exception as exc:  # noqa: BLE001 - any failure inside the library is this input's error
        yield ReadError(path, f"not a readable feed (feedparser failed: {type(exc).__name__}: {exc})")
        return
    entries = parsed.get("entries") or []
    if not entries:
        reason = "feed has no entries"
        if parsed.get("bozo"):
            reason = f"not a readable feed ({parsed.get('bozo_exception')})"
        yield ReadError(path, reason)
        return
    feed_info = parsed.get("feed") or {}
    sitename = _text(feed_info.get("title")) or None
    language = _text(feed_info.get("language"))[:2] or None
    for number, entry in enumerate(entries, 1):
        origin = f"{path}#{number}"
        try:
            yield _document(origin, entry, sitename, language)
        except Exception as exc:  # noqa: BLE001 - one odd entry is that entry's error
            yield ReadError(origin, f"unreadable feed entry ({type(exc).__name__}: {exc})")


def _document(origin: str, entry: Any, sitename: str | None, language: str | None) -> RawDocument | ReadError:
    html = _entry_html(entry)
    if not html.strip():
        return ReadError(origin, "feed entry has no content or summary")
    # An aggregator feed names each item's own outlet in <source> (RSS) / source.title (Atom);
    # that beats the feed's title, which is the aggregator.
    source = entry.get("source")
    item_source = _text(source.get("title")) if isinstance(source, dict) else ""
    hints = {
        "source": item_source or None,
        "url": _text(entry.get("link")) or None,
        "title": _text(entry.get("title")) or None,
        "published": _text(entry.get("published") or entry.get("updated")) or None,
        "byline": _text(entry.get("author")) or None,
        "sitename": sitename,
        "fragment": True,
        "language": language,
    }
    return RawDocument(origin=origin, content=html.encode("utf-8", "replace"), format="html", hints=hints)
