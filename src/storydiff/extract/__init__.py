"""Extraction: one ``RawDocument`` -> one clean ``Article`` (main text, metadata, id, language).

Two steps, so that a batch can learn an outlet's repeated lines in between (``storydiff.ingest``):
``draft`` reads the input into metadata and a text still to clean; ``finish`` cleans that text with the
line classifier (``extract.textclean``) and builds the Article. Text dumps and pasted text get the full
classifier; text that arrives already extracted (a JSON Lines record's text, a feed entry) gets its
positive-evidence form, which removes site chrome, widgets and prompts but never prose for a low score alone.
A record whose text was all boilerplate is an ExtractionError ("only site boilerplate"), not an article.
``extract`` does both steps.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Collection
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from storydiff.errors import ExtractionError
from storydiff.extract.html import extract_html
from storydiff.extract.meta import (
    DecodeError,
    decode,
    detect_language,
    domain_of,
    name_from_path,
    normalise_date,
    paragraphs_from_blocks,
)
from storydiff.model import Article, RawDocument, article_id
from storydiff.readers.encoding import clean_controls
from storydiff.readers.files import quote

__all__ = [
    "CLEAN_DUMP",
    "CLEAN_NONE",
    "CLEAN_RECORD",
    "Draft",
    "ExtractionError",
    "article_words",
    "clean_plain_text",
    "draft",
    "extract",
    "finish",
    "outlet_of",
]

# zlib level for the kept raw input: level 1 is ~4x faster than the default 6 for ~15% more bytes.
RAW_LEVEL = 1
# Fewer words than this is a menu or a stub, not an article. Words as the line classifier counts them:
# space-separated words, and in Chinese, Japanese and Korean script every two characters (10 characters).
MIN_WORDS = 5

# How ``finish`` cleans a draft's text.
CLEAN_DUMP = "dump"  # a scraped page dump or pasted text: the full classifier, title from the first lines
CLEAN_RECORD = "record"  # already extracted (JSON Lines text, feed entry): positive evidence only
CLEAN_NONE = "none"  # an HTML page: trafilatura has already separated article from page


def article_words(text: str, enough: int = MIN_WORDS) -> int:
    """Words of ``text`` for the minimum length (counted up to ``enough``): CJK characters count in pairs,
    not by spaces."""
    if len(text.split(None, enough)) >= enough:
        return enough  # space-separated words suffice (and spare the classifier's patterns at start-up)
    from storydiff.extract.textclean_features import WORD

    return sum(1 for _ in islice(WORD.finditer(text), enough))


_BYLINE = re.compile(r"^\s*(?:by|written by|words by)\s+(.+?)\s*(?:[,|]|$)", re.I)
_DATELINE = re.compile(r"^\s*(?:published|posted|first published|updated|date)?\s*(?:on|:)?\s*", re.I)


def _byline_of(line: str) -> str | None:
    match = _BYLINE.match(line)
    return match.group(1).strip() if match and len(match.group(1).split()) <= 6 else None


def _date_of(line: str) -> str | None:
    """Publication date of a dateline ("Published 4 March 2025, 12:05 | Updated ..."), else None."""
    first = line.split("|", 1)[0]
    candidate = _DATELINE.sub("", first, count=1).strip()
    if not candidate or not any(ch.isdigit() for ch in candidate) or len(candidate) > 40:
        return None
    return normalise_date(candidate)


def _removed_metadata(removed: list[tuple[str, str]], fields: dict[str, Any]) -> None:
    """Byline and date from the byline/dateline lines the classifier removed."""
    for line, _reason in removed:
        if not fields.get("byline") and (byline := _byline_of(line)):
            fields["byline"] = byline
        if not fields.get("published") and (published := _date_of(line)):
            fields["published"] = published


def clean_plain_text(text: str, *, known_boilerplate: Collection[str] = ()) -> dict[str, Any]:
    """Title, body and (from the byline/dateline lines it removed) byline and date of a plain-text article."""
    from storydiff.extract import textclean  # imported when text comes up: HTML pages never need it

    cleaned = textclean.clean_text(text, known_boilerplate=known_boilerplate)
    fields: dict[str, Any] = {"title": cleaned.title, "text": paragraphs_from_blocks(cleaned.text)}
    _removed_metadata(cleaned.removed, fields)
    if cleaned.removed and not fields["text"]:
        fields["boilerplate"] = cleaned.removed[0][0]
    return fields


@dataclass
class Draft:
    """An input read into metadata and a text that ``finish`` still has to clean (see ``cleaning``)."""

    raw: RawDocument
    text: str
    cleaning: str = CLEAN_NONE
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def cleanable(self) -> bool:
        """Whether the outlet's repeated lines (known boilerplate) can help clean this draft."""
        return self.cleaning != CLEAN_NONE


def _from_html(hints: dict[str, Any], html: str | bytes) -> dict[str, Any]:
    try:
        page = decode(html, html=True, content_type=hints.get("content_type"))
    except DecodeError as exc:
        raise ExtractionError(str(exc)) from None
    result = extract_html(page, url=hints.get("url"), fragment=bool(hints.get("fragment")))
    if result is None:
        raise ExtractionError("no article text found in the page")
    return {
        "text": result.text,
        "title": result.title,
        "byline": result.byline,
        "published": result.published,
        "sitename": result.sitename,
        "page_url": result.url,
    }


def _record_paragraphs(text: str) -> str:
    """Exports keep paragraphs one per line or blank-line separated: the former become blank-line separated
    (the line classifier, ``textclean.clean_record``, then forms the paragraphs)."""
    text = clean_controls(text).replace("\r\n", "\n")
    return text if "\n\n" in text else text.replace("\n", "\n\n")


def draft(raw: RawDocument) -> Draft:
    """Read one input record into metadata and a text to clean; raises ExtractionError when it has none."""
    hints = raw.hints
    if raw.format == "html":
        fields = _from_html(hints, raw.content)
        # A feed entry is a fragment of text the feed's author wrote out, not a page trafilatura cut out.
        cleaning = CLEAN_RECORD if hints.get("fragment") else CLEAN_NONE
        return Draft(raw, fields.pop("text"), cleaning, fields)
    if raw.format == "json":
        if hints.get("text"):
            return Draft(raw, _record_paragraphs(str(hints["text"])), CLEAN_RECORD)
        if hints.get("html"):
            fields = _from_html(hints, hints["html"])
            return Draft(raw, fields.pop("text"), CLEAN_NONE, fields)
        raise ExtractionError("record has no text")
    try:
        text = decode(raw.content)
    except DecodeError as exc:
        raise ExtractionError(str(exc)) from None
    return Draft(raw, text, CLEAN_DUMP)


def outlet_of(item: Draft, source: str | None = None) -> str:
    """Outlet: ``source``, else the record's own source field, else site metadata (og:site_name /
    publisher, a feed's title), else the URL's registered domain, else the input file's name."""
    hints, fields = item.raw.hints, item.fields
    url = hints.get("url") or fields.get("page_url")
    outlet = (
        source
        or hints.get("source")
        or hints.get("sitename")  # a feed's own title beats what trafilatura guesses for a fragment
        or fields.get("sitename")
        or domain_of(url)
        or name_from_path(item.raw.origin)
        or "unknown"
    )
    return clean_controls(str(outlet)).strip() or "unknown"


def _clean(item: Draft, known_boilerplate: Collection[str]) -> dict[str, Any]:
    if item.cleaning == CLEAN_DUMP:
        return clean_plain_text(item.text, known_boilerplate=known_boilerplate)
    if item.cleaning == CLEAN_RECORD:
        from storydiff.extract import textclean

        title = item.raw.hints.get("title") or item.fields.get("title")
        cleaned = textclean.clean_record(item.text, title=title, known_boilerplate=known_boilerplate)
        fields: dict[str, Any] = {"text": cleaned.text}
        if cleaned.removed and not cleaned.text:
            fields["boilerplate"] = cleaned.removed[0][0]
        return fields
    return {"text": item.text}


def _hint(value: Any) -> str | None:
    if value is None:
        return None
    text = clean_controls(str(value)).strip()
    return text or None


def finish(item: Draft, *, source: str | None = None, known_boilerplate: Collection[str] = ()) -> Article:
    """The clean Article of a draft; raises ExtractionError when its text is too short or all boilerplate."""
    raw, hints = item.raw, item.raw.hints
    fields = {**item.fields, **_clean(item, known_boilerplate)}
    text = fields["text"].strip()
    if article_words(text) < MIN_WORDS:
        before = article_words(item.text)
        if item.cleanable and before >= MIN_WORDS and article_words(text) < before:
            example = fields.get("boilerplate") or item.text
            raise ExtractionError(f"only site boilerplate, no article text (removed {quote(example)})")
        raise ExtractionError("no article text found" + (f" (only {quote(text)})" if text else ""))
    url = _hint(hints.get("url") or fields.get("page_url"))
    outlet = outlet_of(item, source)
    published = (
        normalise_date(hints.get("published"))
        or normalise_date(fields.get("published"))
        or normalise_date(hints.get("date_hint"))
    )
    language = detect_language(text) or (hints.get("language") or None)
    return Article(
        id=article_id(text, url=url, source=outlet),
        source=outlet,
        text=text,
        title=_hint(hints.get("title") or fields.get("title")),
        url=url,
        byline=_hint(hints.get("byline") or fields.get("byline")),
        published=published,
        language=_hint(language),
        origin=raw.origin,
        raw=zlib.compress(_raw_bytes(raw), RAW_LEVEL),
        raw_format=raw.format,
    )


def extract(
    raw: RawDocument, *, source: str | None = None, known_boilerplate: Collection[str] = ()
) -> Article:
    """The clean Article of one input record; raises ExtractionError when it holds none."""
    return finish(draft(raw), source=source, known_boilerplate=known_boilerplate)


def _raw_bytes(raw: RawDocument) -> bytes:
    content = raw.content
    return content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content


def raw_input(article: Article) -> bytes | None:
    """The input an article was extracted from, decompressed (for re-running extraction)."""
    return zlib.decompress(article.raw) if article.raw else None


def article_json(article: Article) -> str:
    return json.dumps(article.to_dict(), ensure_ascii=False)
