"""Build WARC files byte by byte for tests and benchmarks, lies included (wrong Content-Length, junk).

``huge_gzip_members`` writes gzip members that inflate to gigabytes from a few megabytes on disk, without
ever holding or compressing those gigabytes: one deflate block of 1 MiB of a repeated byte, flushed so
it stands alone, is repeated; the gzip CRC is combined arithmetically (zlib's crc32_combine).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from typing import BinaryIO

MIB = 1 << 20

PAGE = (
    "<html><head><title>Quay lights return to Marlow Point</title></head><body><article>"
    "<h1>Quay lights return to Marlow Point</h1>"
    "<p>The harbour lights at Marlow Point were switched back on on Thursday evening after three weeks of "
    "repairs, the Marlow harbour board said in a statement.</p>"
    "<p>Engineers replaced the cables that a storm had torn loose, and the ferry to Tessel Island will run "
    "to its winter timetable again from Saturday, the board's chair, Ines Varga, told reporters.</p>"
    "</article></body></html>"
)


def http_response(html: str | bytes, content_type: str = "text/html; charset=utf-8") -> bytes:
    body = html.encode("utf-8") if isinstance(html, str) else html
    return (
        b"HTTP/1.1 200 OK\r\nContent-Type: " + content_type.encode() + b"\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )


def warc_record(
    url: str,
    block: bytes,
    *,
    content_length: int | str | None = None,
    record_type: str = "response",
    record_id: str = "<urn:uuid:00000000-0000-4000-8000-000000000001>",
) -> bytes:
    """One WARC/1.0 record; ``content_length`` overrides the true length (a lying header)."""
    length = len(block) if content_length is None else content_length
    head = (
        f"WARC/1.0\r\nWARC-Type: {record_type}\r\nWARC-Target-URI: {url}\r\n"
        f"WARC-Date: 2026-03-05T09:00:00Z\r\nWARC-Record-ID: {record_id}\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {length}\r\n\r\n"
    )
    return head.encode() + block + b"\r\n\r\n"


def page_record(url: str, html: str = PAGE, **kwargs: object) -> bytes:
    return warc_record(url, http_response(html), **kwargs)  # type: ignore[arg-type]


def gzip_member(data: bytes) -> bytes:
    """One gzip member (a WARC.gz record)."""
    z = zlib.compressobj(6, zlib.DEFLATED, 31)
    return z.compress(data) + z.flush()


# --------------------------------------------------------------------------- huge members, small files


def _gf2_times(matrix: list[int], vector: int) -> int:
    total = 0
    index = 0
    while vector:
        if vector & 1:
            total ^= matrix[index]
        vector >>= 1
        index += 1
    return total


def _gf2_square(matrix: list[int]) -> list[int]:
    return [_gf2_times(matrix, matrix[n]) for n in range(32)]


def crc32_combine(crc1: int, crc2: int, length2: int) -> int:
    """CRC-32 of A+B from crc(A), crc(B) and len(B) (zlib's crc32_combine)."""
    if length2 <= 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]
    even = _gf2_square(odd)
    odd = _gf2_square(even)
    while True:
        even = _gf2_square(odd)
        if length2 & 1:
            crc1 = _gf2_times(even, crc1)
        length2 >>= 1
        if not length2:
            break
        odd = _gf2_square(even)
        if length2 & 1:
            crc1 = _gf2_times(odd, crc1)
        length2 >>= 1
        if not length2:
            break
    return crc1 ^ crc2


def _repeated_crc(unit_crc: int, unit_len: int, count: int) -> int:
    """CRC-32 of ``count`` copies of a unit, by doubling."""
    result, result_len = 0, 0
    power_crc, power_len = unit_crc, unit_len
    while count:
        if count & 1:
            result = crc32_combine(result, power_crc, power_len) if result_len else power_crc
            result_len += power_len
        power_crc = crc32_combine(power_crc, power_crc, power_len)
        power_len *= 2
        count >>= 1
    return result


def huge_gzip_member(prefix: bytes, mebibytes: int, fill: bytes = b" ") -> Iterator[bytes]:
    """A gzip member holding ``prefix`` then ``mebibytes`` MiB of ``fill`` bytes, as chunks to write."""
    unit = fill * MIB
    z = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = z.compress(prefix) + z.flush(zlib.Z_FULL_FLUSH)
    z = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = z.compress(unit) + z.flush(zlib.Z_FULL_FLUSH)
    tail = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    yield b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff" + head
    for _ in range(mebibytes):
        yield block
    crc = crc32_combine(zlib.crc32(prefix), _repeated_crc(zlib.crc32(unit), MIB, mebibytes), mebibytes * MIB)
    size = (len(prefix) + mebibytes * MIB) & 0xFFFFFFFF
    yield tail + struct.pack("<II", crc, size)


def write_claims_10_gib(out: BinaryIO, *, members: int = 10, mebibytes_each: int = 1024) -> int:
    """A record claiming (and holding) ``members`` x ``mebibytes_each`` MiB of body, one gzip member per
    GiB, followed by a good record in its own member. Returns the claimed Content-Length."""
    body_size = members * mebibytes_each * MIB
    http_head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>"
    claimed = len(http_head) + body_size
    header = warc_record("https://tessel-gazette.example/huge", b"", content_length=claimed)[:-4]
    for number in range(members):
        prefix = header + http_head if number == 0 else b""
        for chunk in huge_gzip_member(prefix, mebibytes_each):
            out.write(chunk)
    out.write(gzip_member(b"\r\n\r\n"))
    out.write(gzip_member(page_record("https://tessel-gazette.example/good")))
    return claimed
