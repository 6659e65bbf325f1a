"""WARC / WARC.gz (Common Crawl CC-NEWS style): HTTP response records carrying HTML, streamed with warcio.

Non-response, non-HTML and non-200 records are skipped quietly (counted in ``SkipCounter``);
a malformed record is reported as an error and reading goes on where warcio can.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator

from storydiff.model import RawDocument
from storydiff.readers.files import ReadError

# Why records were skipped, over the whole process (the CLI prints it in its summary).
SKIPPED: Counter[str] = Counter()


def _open(path: str, data: bytes | None) -> BinaryIO:
    return io.BytesIO(data) if data is not None else open(path, "rb")  # noqa: SIM115


def read_warc(path: str, *, max_size: int, data: bytes | None = None) -> Iterator[RawDocument | ReadError]:
    try:
        stream = _open(path, data)
    except OSError as exc:
        yield ReadError(path, f"cannot read: {exc.strerror or exc}")
        return
    number = 0
    with stream:
        records = iter(ArchiveIterator(stream))
        while True:
            try:
                record = next(records)
            except StopIteration:
                return
            except Exception as exc:  # noqa: BLE001 - ArchiveLoadFailed, ValueError, AttributeError on bad headers
                # warcio cannot resynchronise inside a damaged gzip member or header block.
                yield ReadError(
                    f"{path}#{number + 1}", f"malformed WARC record ({exc}); rest of file skipped"
                )
                return
            number += 1
            origin = f"{path}#{number}"
            try:
                item = _document(record, origin, max_size)
            except Exception as exc:  # noqa: BLE001 - warcio raises all kinds on damaged records
                yield ReadError(origin, f"malformed WARC record ({type(exc).__name__}: {exc})")
                continue
            if item is not None:
                yield item


def _document(record: object, origin: str, max_size: int) -> RawDocument | ReadError | None:
    rec_type = record.rec_type  # type: ignore[attr-defined]
    if rec_type != "response":
        SKIPPED[f"{rec_type} record"] += 1
        return None
    http = record.http_headers  # type: ignore[attr-defined]
    if http is None:
        return ReadError(origin, "malformed WARC record (response without HTTP headers)")
    status = http.get_statuscode()
    if not (status or "").isdigit():
        # warcio parsed something that is not an HTTP status line: a damaged record, not a skip.
        return ReadError(origin, f"malformed WARC record (no HTTP status line: {http.statusline!r:.60})")
    if status != "200":
        SKIPPED[f"HTTP {status}"] += 1
        return None
    ctype = (http.get_header("Content-Type") or "").lower()
    if ctype and "html" not in ctype:
        SKIPPED["not HTML"] += 1
        return None
    headers = record.rec_headers  # type: ignore[attr-defined]
    body = record.content_stream().read(max_size + 1)  # type: ignore[attr-defined]
    if len(body) > max_size:
        return ReadError(origin, f"record larger than the size limit of {max_size} bytes")
    # warcio hands back a short body when the file ends early; its reader still owes the missing bytes.
    missing = getattr(record.raw_stream, "limit", 0)  # type: ignore[attr-defined]
    if missing:
        return ReadError(origin, f"malformed WARC record (truncated: {missing} bytes missing)")
    hints = {
        "url": headers.get_header("WARC-Target-URI"),
        "date_hint": headers.get_header("WARC-Date"),
        "content_type": ctype,
    }
    return RawDocument(origin=origin, content=body, format="html", hints=hints)
