"""Article metadata helpers: decoding, outlet names, ISO dates, language, paragraph layout."""

from __future__ import annotations

import email.utils
import re
from datetime import date, datetime
from functools import lru_cache
from itertools import islice
from pathlib import PurePath
from typing import Any

from storydiff.readers.encoding import DecodeError, decode

__all__ = [
    "DecodeError",
    "decode",
    "detect_language",
    "domain_of",
    "name_from_path",
    "normalise_date",
    "paragraphs_from_blocks",
    "paragraphs_from_lines",
]

# --------------------------------------------------------------------------- outlets


@lru_cache(maxsize=1)
def _tld_extractor() -> Any:
    import tldextract

    # The bundled public-suffix snapshot only: never touch the network.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def domain_of(url: str | None) -> str | None:
    """Registered domain of ``url`` ("https://www.news.example.co.uk/x" -> "example.co.uk")."""
    if not url or "://" not in url:
        return None
    parts = _tld_extractor()(url)
    if parts.domain and parts.suffix:
        return f"{parts.domain}.{parts.suffix}".lower()
    host = url.split("://", 1)[1].split("/", 1)[0].split(":", 1)[0].lower()
    return host.removeprefix("www.") or None


def name_from_path(origin: str) -> str | None:
    path = origin.split("#", 1)[0]
    if path in ("", "-"):
        return None
    name = PurePath(path).name
    for suffix in (
        ".gz",
        ".html",
        ".htm",
        ".xhtml",
        ".txt",
        ".text",
        ".md",
        ".jsonl",
        ".json",
        ".warc",
        ".xml",
        ".rss",
        ".atom",
    ):
        name = name.removesuffix(suffix)
    return name or None


# --------------------------------------------------------------------------- dates

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Two different defaults: a field that comes out different was missing from the text.
_SENTINELS = (datetime(1, 1, 1), datetime(2, 2, 2))


def normalise_date(value: object) -> str | None:
    """ISO 8601 for a date in any common format; None when it cannot be read (never 'today')."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if not text:
        return None
    if _ISO_DATE.match(text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text).isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    from dateutil import parser

    try:
        # Missing fields come from sentinels, never from the clock; a date lacking its year, month or day
        # ("Tuesday", "October 2026") cannot be a publication date.
        parsed, other = (parser.parse(text, default=default, fuzzy=False) for default in _SENTINELS)
    except (ValueError, OverflowError, parser.ParserError):
        return None
    if (parsed.year, parsed.month, parsed.day) != (other.year, other.month, other.day):
        return None
    if parsed.hour == parsed.minute == parsed.second == 0 and not re.search(r"\d:\d", text):
        return parsed.date().isoformat()
    return parsed.isoformat()


# --------------------------------------------------------------------------- language


# The commonest English function words. In English news their share of a sample's words is 0.3-0.5; in the
# example sentences spaCy ships for 60 other languages it is at most 0.125 (Danish, Bokmal: "i", "at").
_ENGLISH_WORDS = frozenset(
    """the of and to a in is that for on was with as it by at from he his be are have has said were an its
    not but this which they their had or been who will would we i you she her after than more about also
    there one two up out into over could when""".split()  # noqa: SIM905 - a word list reads better as text
)
_LETTERS = re.compile(r"[^\W\d_]+")
ENGLISH_SHARE = 0.25  # twice the highest share of any other language's examples
ENGLISH_MIN_WORDS = 20


def clearly_english(sample: str) -> bool:
    """Whether a sample is English beyond doubt, so the 68 MB language model need not load (it is most of
    a one-page ``storydiff extract``). On ECB+, NAnCo and the extraction pages this never says English
    where py3langid does not (bench/bench_startup.py checks it)."""
    words = _LETTERS.findall(sample.lower())
    if len(words) < ENGLISH_MIN_WORDS:
        return False
    return sum(word in _ENGLISH_WORDS for word in words) >= ENGLISH_SHARE * len(words)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code from py3langid (bundled model); None for text too short to tell."""
    sample = text[:600]  # langid is linear in length; a few sentences (~100 words) decide
    if len(sample.split(None, 3)) < 3:
        from storydiff.extract.textclean_features import WORD

        if sum(1 for _ in islice(WORD.finditer(sample), 3)) < 3:  # CJK characters count in pairs
            return None
    if clearly_english(sample):
        return "en"
    from storydiff.extract.langid_model import classify  # py3langid's model, unpacked once and mapped

    lang, _score = classify(sample)
    return lang


# --------------------------------------------------------------------------- layout

_BLANK = re.compile(r"\n\s*\n")


def paragraphs_from_lines(text: str) -> str:
    """One paragraph per non-empty line (trafilatura's layout) -> paragraphs separated by a blank line."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n\n".join(line for line in lines if line)


def paragraphs_from_blocks(text: str) -> str:
    """Blank-line separated blocks (hard-wrapped lines joined) -> paragraphs separated by a blank line."""
    blocks = (" ".join(block.split()) for block in _BLANK.split(text.replace("\r\n", "\n")))
    return "\n\n".join(block for block in blocks if block)
