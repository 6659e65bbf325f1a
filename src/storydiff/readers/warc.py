"""WARC / WARC.gz (Common Crawl CC-NEWS style) and ARC files: HTTP responses carrying HTML.

Read by our own streaming parser over ``warcstream.ByteSource``, bounded in memory and time whatever the
headers claim:
- a record body is held only when its Content-Length is within the size limit; a longer one is skipped in
  chunks (and, in a gzip file whose records each sit in their own member, by jumping over the rest of the
  member in the compressed bytes, so a record claiming 10 GiB costs at most the size limit of inflating);
- a Content-Length is checked, never trusted: the record must end where it says (followed by CR/LF and the
  next record, or the end of the file). A claim that is too long (the next record starts inside the body)
  or too short (other bytes follow it) is an error naming the record, never a silently cut article, and
  reading resynchronises on the next ``WARC/1.x`` line;
- header blocks and lines are read with fixed limits; junk between records is skipped in chunks and
  reported once, quoting at most a few dozen characters of it.

Non-response, non-HTML and non-200 records are skipped quietly (counted in ``SKIPPED``).
Known limit: a record over the size limit whose payload itself holds a WARC record (an archived WARC) is cut
at that inner record, which is then read as a record.
"""

from __future__ import annotations

import io
import re
import zlib
from collections import Counter
from collections.abc import Iterator
from typing import BinaryIO

from storydiff.model import RawDocument
from storydiff.readers.files import ReadError, quote
from storydiff.readers.warcstream import ByteSource

# Why records were skipped, over the whole process (the CLI prints it in its summary).
SKIPPED: Counter[str] = Counter()

MAX_LINE = 16_384  # bytes in one header line (long URLs included)
MAX_HEADER = 65_536  # bytes in one WARC or HTTP header block
_HTTP_STATUS = re.compile(rb"HTTP/\d(?:\.\d)?\s+(\d{3})\b")
_INNER_RECORD = re.compile(rb"\r?\n\r?\n(?=WARC/1\.\d\r?\n)")
_ARC_LINE = re.compile(rb"(\S+) (\S+) (\d{14}) (\S*)(?: .*)? (\d+)\s*$")


def _open(path: str, data: bytes | None) -> BinaryIO:
    return io.BytesIO(data) if data is not None else open(path, "rb")  # noqa: SIM115


def read_warc(path: str, *, max_size: int, data: bytes | None = None) -> Iterator[RawDocument | ReadError]:
    try:
        stream = _open(path, data)
    except OSError as exc:
        yield ReadError(path, f"cannot read: {exc.strerror or exc}")
        return
    with stream:
        yield from _WarcReader(ByteSource(stream), path, max_size).items()


class _WarcReader:
    def __init__(self, source: ByteSource, path: str, max_size: int) -> None:
        self.source = source
        self.path = path
        self.max_size = max_size
        self.number = 0

    # ------------------------------------------------------------------ the record loop

    def items(self) -> Iterator[RawDocument | ReadError]:
        source = self.source
        while True:
            source.skip_line_breaks(limit=1 << 20)
            if source.damage is not None and not source.peek(1):
                yield ReadError(self.path, f"damaged after record {self.number}: {source.damage}")
                source.cross_barrier()
                continue
            if source.at_end():
                return
            if source.at_record():
                if source.peek(5) == b"WARC/":
                    yield from self._warc_record()
                else:
                    yield from self._arc_record()
            else:
                yield from self._junk()

    def _junk(self) -> Iterator[ReadError]:
        source = self.source
        start = source.offset
        head = source.peek(64)
        found, skipped = source.seek_record(budget=self.max_size if source.compressed else None)
        where = f"after record {self.number}" if self.number else "at the start"
        reason = (
            f"{skipped} bytes {where} (byte {start}) are not a WARC record (starting {quote(head)}); skipped"
        )
        if not found and source.compressed and not source.at_end():
            source.jump_to_next_member()
            reason = (
                f"bytes {where} (decompressed byte {start}) are not a WARC record (starting {quote(head)}); "
                "skipped to the next gzip member"
            )
        yield ReadError(self.path, reason)

    def _resync(self) -> None:
        """After a malformed record: on to the next record start (or gzip member that holds one)."""
        source = self.source
        found, _ = source.seek_record(budget=self.max_size if source.compressed else None)
        if not found and source.compressed and not source.at_end():
            source.jump_to_next_member()

    # ------------------------------------------------------------------ WARC records

    def _header_block(self) -> tuple[dict[str, str], str | None]:
        """Header fields (lower-case names) up to the blank line; a problem instead when it is malformed."""
        headers: dict[str, str] = {}
        size = 0
        name = ""
        while True:
            line = self.source.readline(MAX_LINE)
            size += len(line)
            if not line:
                return headers, "the file ends inside the header block"
            if not line.endswith(b"\n"):
                return headers, f"header line longer than {MAX_LINE} bytes (starting {quote(line)})"
            if size > MAX_HEADER:
                return headers, f"header block longer than {MAX_HEADER} bytes"
            text = line.rstrip(b"\r\n")
            if not text:
                return headers, None
            if text[:1] in (b" ", b"\t") and name:
                headers[name] += " " + text.strip().decode("utf-8", "replace")
                continue
            field, sep, value = text.partition(b":")
            if not sep or not field.strip():
                return headers, f"not a header line: {quote(text)}"
            name = field.strip().decode("utf-8", "replace").lower()
            headers[name] = value.strip().decode("utf-8", "replace")

    def _warc_record(self) -> Iterator[RawDocument | ReadError]:
        source = self.source
        start = source.offset
        member_aligned = source.compressed and source.member_start == start
        source.readline(MAX_LINE)  # the version line, already checked by at_record
        self.number += 1
        origin = f"{self.path}#{self.number}"
        headers, problem = self._header_block()
        if problem:
            yield ReadError(origin, f"malformed WARC record ({problem})")
            self._resync()
            return
        label = _label(headers)
        declared = headers.get("content-length", "").strip()
        if not declared.isdigit():
            what = f"invalid Content-Length {quote(declared)}" if declared else "no Content-Length"
            yield ReadError(origin, f"malformed WARC record{label} ({what})")
            self._resync()
            return
        body = self._body(origin, label, int(declared), member_aligned)
        if isinstance(body, ReadError):
            yield body
            return
        item = self._response(origin, headers, body)
        if item is not None:
            yield item

    def _body(self, origin: str, label: str, length: int, member_aligned: bool) -> bytes | ReadError:
        """A record's body of ``length`` bytes, checked to end where that length says; else the error."""
        if length > self.max_size:
            return self._oversized(origin, label, length, member_aligned)
        body = self.source.read(length)
        if len(body) < length:
            return self._short_body(origin, label, length, body)
        if not self._ends_here():
            return self._wrong_length(origin, label, length, body)
        return body

    def _ends_here(self) -> bool:
        """The body ends where its Content-Length says: the record's closing blank line follows it (whatever
        comes next is judged on its own), or, from lenient writers, the next record or the end of the file."""
        source = self.source
        if source.peek(4) == b"\r\n\r\n" or source.peek(2) == b"\n\n":
            return True
        source.skip_line_breaks(limit=4)
        if source.damage is not None and not source.peek(1):
            return True  # the member ended with the record; the damage after it is reported on its own
        return source.at_end() or source.at_record()

    def _short_body(self, origin: str, label: str, length: int, body: bytes) -> ReadError:
        """The file (or an intact stretch of gzip) ended before the Content-Length did."""
        inner = _inner_record(body)
        if inner is not None:
            self.source.unread(body[inner:])
            return ReadError(
                origin,
                f"malformed WARC record{label} (Content-Length {length} is longer than the record: the next "
                f"record starts after {inner} bytes; record skipped)",
            )
        cause = self.source.damage or "the file ends"
        return ReadError(
            origin,
            f"malformed WARC record{label} (truncated: {cause} {length - len(body)} bytes before the end "
            "its Content-Length gives)",
        )

    def _wrong_length(self, origin: str, label: str, length: int, body: bytes) -> ReadError:
        """The body was read but something other than the next record follows it."""
        inner = _inner_record(body)
        following = self.source.peek(40)
        if inner is not None:
            self.source.unread(body[inner:])
            detail = f"is longer than the record: the next record starts after {inner} bytes"
        else:
            self._resync()
            detail = f"is shorter than the record: it is followed by {quote(following)}, not the next record"
        return ReadError(
            origin, f"malformed WARC record{label} (Content-Length {length} {detail}; record skipped)"
        )

    def _oversized(self, origin: str, label: str, length: int, member_aligned: bool) -> ReadError:
        """A body over the size limit is never held: skipped in chunks up to the next record start.

        In a gzip file whose records start their own members, at most ``max_size`` bytes are inflated;
        then the rest of the member is jumped over in the compressed bytes."""
        source = self.source
        budget = self.max_size if member_aligned else None
        found, scanned = source.seek_record(budget=budget)
        limit = f"the size limit of {self.max_size} bytes"
        if found and scanned < length:
            return ReadError(
                origin,
                f"malformed WARC record{label} (Content-Length claims {length} bytes but the next record "
                f"starts after {scanned} bytes; record skipped)",
            )
        if not found and member_aligned and not source.at_end():
            source.jump_to_next_member()
            return ReadError(
                origin,
                f"record larger than {limit} (Content-Length {length}); skipped to the next gzip member",
            )
        if not found and scanned < length:
            cause = source.damage or "the file ends"
            return ReadError(
                origin,
                f"malformed WARC record{label} (Content-Length claims {length} bytes but {cause} after "
                f"{scanned} bytes; record skipped)",
            )
        return ReadError(origin, f"record larger than {limit} (Content-Length {length}); skipped")

    def _response(self, origin: str, headers: dict[str, str], body: bytes) -> RawDocument | ReadError | None:
        rec_type = headers.get("warc-type", "").lower()
        if rec_type != "response":
            SKIPPED[f"{rec_type or 'untyped'} record"] += 1
            return None
        url = headers.get("warc-target-uri", "").strip("<> ")
        if not url:
            return ReadError(origin, "malformed WARC record (response without WARC-Target-URI)")
        return _http_document(origin, body, url=url, date=headers.get("warc-date"), max_size=self.max_size)

    # ------------------------------------------------------------------ ARC records

    def _arc_record(self) -> Iterator[RawDocument | ReadError]:
        source = self.source
        member_aligned = source.compressed and source.member_start == source.offset
        line = source.readline(MAX_LINE)
        self.number += 1
        origin = f"{self.path}#{self.number}"
        match = _ARC_LINE.match(line.rstrip(b"\r\n"))
        if match is None:
            yield ReadError(origin, f"malformed ARC record (header line {quote(line)})")
            self._resync()
            return
        url = match.group(1).decode("utf-8", "replace")
        length = int(match.group(5))
        body = self._body(origin, f" ({quote(url, 60)})", length, member_aligned)
        if isinstance(body, ReadError):
            yield body
            return
        if url.startswith("filedesc:"):
            SKIPPED["ARC file header"] += 1
            return
        if not url.startswith(("http://", "https://")):
            SKIPPED["not an HTTP record"] += 1
            return
        date = match.group(3).decode("ascii")
        iso = f"{date[:4]}-{date[4:6]}-{date[6:8]}T{date[8:10]}:{date[10:12]}:{date[12:14]}Z"
        item = _http_document(origin, body, url=url, date=iso, max_size=self.max_size)
        if item is not None:
            yield item


def _label(headers: dict[str, str]) -> str:
    """' (https://...)' naming a record by its target URI, or its record id, kept short."""
    name = headers.get("warc-target-uri") or headers.get("warc-record-id")
    return f" ({quote(name.strip('<> '), 60)})" if name else ""


def _inner_record(body: bytes) -> int | None:
    """Offset of a WARC record that starts inside ``body`` (a Content-Length claiming too much)."""
    for match in _INNER_RECORD.finditer(body):
        header = body[match.end() : match.end() + 2048].lower()
        if b"\nwarc-type:" in header or b"\nwarc-record-id:" in header:
            return match.end()
    return None


# --------------------------------------------------------------------------- HTTP payloads


def _http_document(
    origin: str, block: bytes, *, url: str, date: str | None, max_size: int
) -> RawDocument | ReadError | None:
    """The HTML page of an HTTP response block, or why there is none (None: skipped quietly)."""
    status_end = block.find(b"\n", 0, MAX_LINE)
    status_line = block[: status_end if status_end >= 0 else MAX_LINE]
    status = _HTTP_STATUS.match(status_line)
    if status is None:
        return ReadError(origin, f"malformed WARC record (no HTTP status line: {quote(status_line)})")
    end = _header_end(block)
    if end is None:
        return ReadError(origin, "malformed WARC record (HTTP header block never ends)")
    headers = _http_headers(block[status_end + 1 : end])
    code = status.group(1).decode("ascii")
    if code != "200":
        SKIPPED[f"HTTP {code}"] += 1
        return None
    ctype = headers.get("content-type", "").lower()
    if ctype and "html" not in ctype:
        SKIPPED["not HTML"] += 1
        return None
    payload = block[end:]
    if "chunked" in headers.get("transfer-encoding", "").lower():
        payload = _dechunk(payload)
    encoding = headers.get("content-encoding", "").lower().strip()
    if encoding in ("gzip", "x-gzip", "deflate"):
        decoded = _inflate(payload, max_size)
        if decoded is None:
            return ReadError(origin, f"page larger than the size limit of {max_size} bytes once decompressed")
        payload = decoded
    hints = {"url": url, "date_hint": date, "content_type": ctype}
    return RawDocument(origin=origin, content=payload, format="html", hints=hints)


def _header_end(block: bytes) -> int | None:
    for separator in (b"\r\n\r\n", b"\n\n"):
        index = block.find(separator, 0, MAX_HEADER)
        if index >= 0:
            return index + len(separator)
    return None


def _http_headers(raw: bytes) -> dict[str, str]:
    headers: dict[str, str] = {}
    for line in raw.splitlines():
        name, sep, value = line.partition(b":")
        if sep:
            headers[name.strip().decode("latin-1").lower()] = value.strip().decode("latin-1")
    return headers


def _dechunk(payload: bytes) -> bytes:
    """Chunked transfer coding undone; a payload that is not (or not validly) chunked is kept as it is,
    as many WARC writers store the decoded body but keep the header."""
    parts: list[bytes] = []
    position = 0
    while True:
        line_end = payload.find(b"\n", position, position + 1024)
        if line_end < 0:
            return payload
        size_text = payload[position:line_end].split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            return payload
        if size == 0:
            return b"".join(parts)
        start = line_end + 1
        if start + size > len(payload):
            return payload
        parts.append(payload[start : start + size])
        position = start + size
        if payload[position : position + 2] == b"\r\n":
            position += 2
        elif payload[position : position + 1] == b"\n":
            position += 1


def _inflate(payload: bytes, max_size: int) -> bytes | None:
    """A gzip/deflate-encoded payload decompressed within ``max_size`` (None when over it); a payload that
    does not decompress is kept as it is (already decoded by the crawler)."""
    for wbits in (47, -15):  # 47: gzip or zlib header (auto-detected); -15: raw deflate
        z = zlib.decompressobj(wbits)
        try:
            out = z.decompress(payload, max_size + 1)
        except zlib.error:
            continue
        if len(out) > max_size:
            return None
        return out
    return payload
