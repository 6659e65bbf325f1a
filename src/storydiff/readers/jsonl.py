"""JSON Lines: one article per line, in the field names of common exports (news-please, CC-NEWS dumps).

Streams line by line (gzip too); a line that is not JSON or has no text is an error for that record only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from storydiff.model import RawDocument
from storydiff.readers.files import ReadError, open_stream, read_limited

# Field names, most specific first: our own export, news-please, generic scrapers.
_TEXT = ("text", "maintext", "body", "content", "article", "articleBody")
_HTML = ("html", "raw_html", "content_html")
_TITLE = ("title", "headline", "title_page")
_URL = ("url", "link", "source_url")
_SOURCE = ("source", "source_domain", "outlet", "site_name", "sitename", "publisher")
_DATE = ("published", "date_publish", "date", "pubdate", "published_at", "datePublished", "date_modify")
_BYLINE = ("byline", "authors", "author")
_LANG = ("language", "lang")


TOO_DEEP = "JSON nested too deeply to read"


def _first(record: dict[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        value = record.get(name)
        if value not in (None, "", []):
            return value
    return None


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):  # news-please "authors": ["A", "B"]
        return ", ".join(str(v).strip() for v in value if str(v).strip()) or None
    if isinstance(value, dict):
        value = value.get("name") or value.get("value")
    return str(value).strip() or None


def record_hints(record: dict[str, Any]) -> dict[str, Any]:
    """The article fields of one export record, under our names (None when absent)."""
    return {
        "text": _as_text(_first(record, _TEXT)),
        "html": _as_text(_first(record, _HTML)),
        "title": _as_text(_first(record, _TITLE)),
        "url": _as_text(_first(record, _URL)),
        "source": _as_text(_first(record, _SOURCE)),
        "published": _as_text(_first(record, _DATE)),
        "byline": _as_text(_first(record, _BYLINE)),
        "language": _as_text(_first(record, _LANG)),
    }


def _whole_json(path: str, max_size: int, data: bytes | None) -> Iterator[RawDocument | ReadError] | None:
    """Records of a file holding one JSON document (an array of records, or one pretty-printed record)."""
    try:
        content = read_limited(path, max_size, data)
        document = json.loads(content)
    except (ReadError, ValueError):
        return None
    except RecursionError:
        return iter([ReadError(path, TOO_DEEP)])
    records = document if isinstance(document, list) else [document]

    def generate() -> Iterator[RawDocument | ReadError]:
        for number, record in enumerate(records, 1):
            yield _record(f"{path}#{number}", json.dumps(record, ensure_ascii=False).encode())

    return generate()


def read_jsonl(path: str, *, max_size: int, data: bytes | None = None) -> Iterator[RawDocument | ReadError]:
    try:
        stream = open_stream(path, data)
        first = stream.readline(max_size + 1).strip()
        stream.seek(0)
    except (OSError, EOFError) as exc:
        yield ReadError(path, f"cannot read: {exc}")
        return
    if first.startswith(b"[") or first == b"{":
        whole = _whole_json(path, max_size, data)
        if whole is not None:
            stream.close()
            yield from whole
            return
    number = 0
    with stream:
        while True:
            try:
                line = stream.readline(max_size + 1)
            except EOFError:
                yield ReadError(path, f"truncated gzip stream after record {number}")
                return
            except OSError as exc:
                yield ReadError(path, f"corrupt data after record {number} ({exc})")
                return
            if not line:
                return
            number += 1
            origin = f"{path}#{number}"
            if len(line) > max_size:
                yield ReadError(origin, f"record larger than the size limit of {max_size} bytes")
                # Skip the rest of the over-long line without holding it.
                while line and not line.endswith(b"\n"):
                    line = stream.readline(max_size)
                continue
            if not line.strip():
                number -= 1  # blank lines are not records
                continue
            yield _record(origin, line)


def _record(origin: str, line: bytes) -> RawDocument | ReadError:
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return ReadError(origin, f"not valid JSON ({exc.msg if hasattr(exc, 'msg') else exc})")
    except RecursionError:
        return ReadError(origin, TOO_DEEP)
    if not isinstance(record, dict):
        return ReadError(origin, "not a JSON object")
    hints = record_hints(record)
    if not hints["text"] and not hints["html"]:
        return ReadError(origin, "record has no text (expected a text, maintext or html field)")
    return RawDocument(origin=origin, content=line.rstrip(b"\r\n"), format="json", hints=hints)
