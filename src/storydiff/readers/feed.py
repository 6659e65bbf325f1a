"""RSS / Atom feed files (feedparser): each entry's content (or summary) is an HTML fragment to extract."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import feedparser

from storydiff.model import RawDocument
from storydiff.readers.files import ReadError


def _entry_html(entry: Any) -> str:
    contents = entry.get("content") or []
    best = max((c.get("value", "") for c in contents), key=len, default="")
    return best or entry.get("summary", "") or entry.get("description", "")


def read_feed(path: str, data: bytes) -> Iterator[RawDocument | ReadError]:
    parsed = feedparser.parse(data)
    entries = parsed.get("entries") or []
    if not entries:
        reason = "feed has no entries"
        if parsed.get("bozo"):
            reason = f"not a readable feed ({parsed.get('bozo_exception')})"
        yield ReadError(path, reason)
        return
    feed_info = parsed.get("feed", {})
    sitename = feed_info.get("title")
    for number, entry in enumerate(entries, 1):
        origin = f"{path}#{number}"
        html = _entry_html(entry)
        if not html.strip():
            yield ReadError(origin, "feed entry has no content or summary")
            continue
        # An aggregator feed names each item's own outlet in <source> (RSS) / source.title (Atom);
        # that beats the feed's title, which is the aggregator.
        item_source = (entry.get("source") or {}).get("title")
        hints = {
            "source": item_source or None,
            "url": entry.get("link"),
            "title": entry.get("title"),
            "published": entry.get("published") or entry.get("updated"),
            "byline": entry.get("author"),
            "sitename": sitename,
            "fragment": True,
            "language": (feed_info.get("language") or "")[:2] or None,
        }
        yield RawDocument(origin=origin, content=html.encode("utf-8"), format="html", hints=hints)
