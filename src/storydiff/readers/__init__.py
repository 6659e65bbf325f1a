"""Readers: turn inputs (files, directories, globs, stdin, URLs) into a stream of ``RawDocument``s.

Every reader is a generator yielding ``RawDocument`` or ``ReadError`` so one bad record never stops a
batch and a huge WARC is never held in memory. ``read_inputs`` is the one entry point. Whatever a reader or
the library under it raises while reading one input becomes a ReadError for that input, and the next
input is read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from storydiff.model import RawDocument
from storydiff.readers.detect import FORMATS, detect_format
from storydiff.readers.files import DEFAULT_MAX_SIZE, ReadError, expand_inputs, read_limited, stdin_bytes

__all__ = [
    "DEFAULT_MAX_SIZE",
    "FORMATS",
    "ReadError",
    "detect_format",
    "read_inputs",
    "read_path",
]


def read_path(
    path: str, *, format: str | None = None, max_size: int = DEFAULT_MAX_SIZE, data: bytes | None = None
) -> Iterator[RawDocument | ReadError]:
    """Records of one input file (or of ``data`` already read, e.g. stdin) as RawDocuments or errors.

    Never raises: an unexpected failure ends this input with a ReadError naming it (records already
    yielded stand)."""
    try:
        yield from _read_path(path, format=format, max_size=max_size, data=data)
    except ReadError as exc:
        yield exc
    except OSError as exc:
        yield ReadError(path, f"cannot read: {exc.strerror or exc}")
    except Exception as exc:  # noqa: BLE001 - a reader or library bug on one input must not end the batch
        yield ReadError(path, f"unreadable input ({type(exc).__name__}: {exc})")


def _read_path(
    path: str, *, format: str | None, max_size: int, data: bytes | None
) -> Iterator[RawDocument | ReadError]:
    try:
        fmt = format or detect_format(path, data=data)
    except ReadError as exc:
        yield exc
        return
    except OSError as exc:
        yield ReadError(path, f"cannot read: {exc.strerror or exc}")
        return
    # Each reader is imported when its format comes up (feedparser costs start-up time).
    if fmt == "warc":
        from storydiff.readers import warc

        yield from warc.read_warc(path, max_size=max_size, data=data)
        return
    if fmt == "jsonl":
        from storydiff.readers import jsonl

        yield from jsonl.read_jsonl(path, max_size=max_size, data=data)
        return
    try:
        data = read_limited(path, max_size, data)  # gunzipped and size-checked, read from disk or not
    except ReadError as exc:
        yield exc
        return
    if not data.strip():
        yield ReadError(path, "empty file")
        return
    if fmt == "feed":
        from storydiff.readers import feed

        yield from feed.read_feed(path, data)
    elif fmt == "html":
        from storydiff.readers import html

        yield from html.read_html(path, data)
    else:
        from storydiff.readers import text

        yield from text.read_text(path, data)


def read_inputs(
    inputs: Iterable[str], *, format: str | None = None, max_size: int = DEFAULT_MAX_SIZE
) -> Iterator[RawDocument | ReadError]:
    """Every record of every input (files, directories recursively, globs, ``-`` for stdin)."""
    for item in expand_inputs(inputs):
        if isinstance(item, ReadError):
            yield item
        elif item == "-":
            try:
                data = stdin_bytes(max_size)
            except ReadError as exc:
                yield exc
                continue
            yield from read_path("-", format=format, max_size=max_size, data=data)
        else:
            yield from read_path(item, format=format, max_size=max_size)
