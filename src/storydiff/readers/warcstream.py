"""The bytes of a WARC (plain or gzip), read in bounded pieces whatever the file claims about itself.

``ByteSource`` decompresses gzip members one after another into a small buffer (64 KiB at a time, so a
member that inflates to gigabytes never reaches memory), counts every byte, and offers what a record
parser needs: bounded line reads, bounded reads, scanning forward to the next record start, and, for
gzip files, jumping over the rest of a gzip member *in the compressed bytes* to the next member that
starts a record. That jump is what keeps a record that claims (or holds) 10 GiB in ten gzip members from
costing 10 GiB of inflating: time stays linear in the file's size.

Damage in the compressed layer (a corrupt or truncated member, junk between members) is a *barrier*: reads
stop there as at the end of the file, ``damage`` says why, and ``cross_barrier`` carries on at the next
member that starts a record.
"""

from __future__ import annotations

import re
import zlib
from typing import BinaryIO

CHUNK = 1 << 16
LOOKAHEAD = 4096  # compressed bytes inflated to test whether a gzip member starts a record
GZIP_MAGIC = b"\x1f\x8b"
GZIP_MEMBER = b"\x1f\x8b\x08"  # magic and the deflate method byte
# A WARC version line, or an ARC record line ("URL IP YYYYMMDDhhmmss ..."), at the start of a record.
RECORD_START = re.compile(rb"WARC/1\.\d\r?\n|(?:filedesc|https?|ftp|dns)://\S{0,8192} \S+ \d{14} ")
_SCAN = re.compile(rb"\n(?=WARC/1\.\d\r?\n|(?:filedesc|https?|ftp|dns)://)")
_BREAKS = re.compile(rb"[\r\n]*")
OVERLAP = 64  # bytes kept between scanned chunks so a record start split across two is still seen


def starts_record(data: bytes | bytearray) -> bool:
    return RECORD_START.match(data) is not None


class ByteSource:
    """Decompressed bytes of one WARC/ARC file, read forward only, with every byte counted."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        first = raw.read(CHUNK)
        self.compressed = first[:2] == GZIP_MAGIC
        self._in = bytearray(first)  # raw bytes not yet decompressed (gzip) or buffered (plain)
        self._z: zlib._Decompress | None = None
        self._buf = bytearray()
        self.offset = 0  # decompressed offset of the next unread byte
        self.member_start = 0  # decompressed offset where the current gzip member began
        self.damage: str | None = None  # why the bytes stop at the end of the buffer (None: they do not)
        self.compressed_skipped = 0  # compressed bytes jumped over without inflating them
        self._previous = b"\n"  # the last byte consumed (a record starts at the beginning of a line)
        self._raw_total = len(first)  # raw bytes read so far
        self._member_raw_start = 0  # raw offset where the current gzip member began
        self._boundaries: list[int] = []  # decompressed offsets of member starts not yet consumed

    # ------------------------------------------------------------------ filling the buffer

    def _read_raw(self) -> bool:
        more = self._raw.read(CHUNK)
        self._raw_total += len(more)
        self._in += more
        return bool(more)

    def _pull(self) -> bool:
        """Append more decompressed bytes to the buffer; False at the end of the file or at a barrier."""
        if self.damage is not None:
            return False
        if not self.compressed:
            if not self._in and not self._read_raw():
                return False
            self._buf += self._in
            self._in.clear()
            return True
        while True:
            if self._z is None and not self._start_member():
                return False
            z = self._z
            assert z is not None
            if z.unconsumed_tail:
                data = z.unconsumed_tail
            else:
                if not self._in and not self._read_raw():
                    self._z = None
                    self.damage = "the gzip data ends inside a member (truncated file)"
                    return False
                data = bytes(self._in)
                self._in.clear()
            try:
                out = z.decompress(data, CHUNK)
            except zlib.error as exc:
                self._z = None
                self._in = bytearray(data[1:]) + self._in
                self.damage = f"corrupt gzip data ({exc})"
                return False
            if z.eof:
                self._in = bytearray(z.unused_data) + self._in
                self._z = None
            if out:
                self._buf += out
                return True

    def _start_member(self) -> bool:
        """Begin the next gzip member; False at a clean end of the file (or at junk, marked as damage)."""
        while len(self._in) < 2 and self._read_raw():
            pass
        stripped = self._in.lstrip(b"\x00")
        while not stripped and self._in:  # zero padding after the last member (some writers add it)
            self._in.clear()
            if not self._read_raw():
                return False
            stripped = self._in.lstrip(b"\x00")
        if not self._in:
            return False
        if len(stripped) != len(self._in):
            self._in = bytearray(stripped)
        if self._in[:2] != GZIP_MAGIC:
            self.damage = f"bytes that are not gzip data between members (starting {bytes(self._in[:16])!r})"
            return False
        self._z = zlib.decompressobj(31)
        self.member_start = self.offset + len(self._buf)
        self._member_raw_start = self._raw_total - len(self._in)
        self._boundaries.append(self.member_start)
        return True

    def cross_barrier(self) -> None:
        """After damage: go on at the next gzip member that starts a record (or the end of the file).

        The search starts just after the start of the damaged member, when the file can seek: a damaged
        member may have swallowed the good members after it as if they were its own deflate data."""
        self.damage = None
        self._buf.clear()
        self._boundaries.clear()
        if not self.compressed:
            return
        if self._raw.seekable():
            self._raw.seek(self._member_raw_start + 1)
            self._raw_total = self._member_raw_start + 1
            self._in.clear()
        self._jump()

    def jump_to_next_member(self) -> None:
        """Leave the current gzip member unread: go on at the next member that starts a record."""
        if not self.compressed:
            return
        if self._z is not None:
            self._in = bytearray(self._z.unconsumed_tail) + self._in
            self._z = None
        self._buf.clear()
        self._boundaries.clear()
        self.damage = None
        self._jump()

    def _jump(self) -> None:
        window = self._in
        self._in = bytearray()
        while True:
            index = window.find(GZIP_MEMBER)
            if index < 0:
                self.compressed_skipped += max(len(window) - 2, 0)
                del window[:-2]
                if not self._read_more(window):
                    self.compressed_skipped += len(window)
                    return
                continue
            while len(window) - index < LOOKAHEAD and self._read_more(window):
                pass
            if self._member_starts_record(bytes(window[index : index + LOOKAHEAD])):
                self.compressed_skipped += index
                self._in = window[index:]
                return
            self.compressed_skipped += index + 1
            del window[: index + 1]

    def _read_more(self, window: bytearray) -> bool:
        more = self._raw.read(CHUNK)
        self._raw_total += len(more)
        window += more
        return bool(more)

    @staticmethod
    def _member_starts_record(candidate: bytes) -> bool:
        z = zlib.decompressobj(31)
        try:
            head = z.decompress(candidate, 96)
        except zlib.error:
            return False
        return starts_record(head)

    # ------------------------------------------------------------------ reading

    def _consume(self, count: int) -> bytes:
        data = bytes(self._buf[:count])
        del self._buf[:count]
        self.offset += len(data)
        if data:
            self._previous = data[-1:]
        while self._boundaries and self._boundaries[0] < self.offset:
            self._boundaries.pop(0)
        return data

    def _line_start(self) -> bool:
        """The next byte begins a line, or a gzip member (where a record may start with no line break)."""
        return self._previous == b"\n" or (bool(self._boundaries) and self._boundaries[0] == self.offset)

    def peek(self, count: int) -> bytes:
        while len(self._buf) < count and self._pull():
            pass
        return bytes(self._buf[:count])

    def at_end(self) -> bool:
        """No byte left before the end of the file or the next barrier."""
        return not self._buf and not self._pull()

    def readline(self, limit: int) -> bytes:
        """Bytes up to and including the next line feed, at most ``limit`` of them."""
        searched = 0
        while True:
            index = self._buf.find(b"\n", searched, limit)
            if index >= 0:
                return self._consume(index + 1)
            if len(self._buf) >= limit:
                return self._consume(limit)
            searched = len(self._buf)
            if not self._pull():
                return self._consume(len(self._buf))

    def read(self, count: int) -> bytes:
        """``count`` bytes, or fewer at the end of the file or a barrier (the caller holds them: bounded by
        the caller's size limit)."""
        parts: list[bytes] = []
        wanted = count
        while wanted > 0:
            if not self._buf and not self._pull():
                break
            part = self._consume(min(wanted, len(self._buf)))
            parts.append(part)
            wanted -= len(part)
        return b"".join(parts)

    def skip_line_breaks(self, limit: int = 64) -> int:
        """Consume (at most ``limit``) CR/LF bytes, such as those that end a record; returns how many."""
        skipped = 0
        while skipped < limit:
            if not self._buf and not self._pull():
                break
            count = min(_BREAKS.match(self._buf).end(), limit - skipped)  # type: ignore[union-attr]
            if count == 0:
                break
            self._consume(count)
            skipped += count
        return skipped

    def unread(self, data: bytes) -> None:
        """Put bytes back in front of the buffer (a record header found inside a body that claimed it)."""
        self._buf[:0] = data
        self.offset -= len(data)
        self._previous = b"\n"

    def at_record(self) -> bool:
        """Whether the next bytes start a record (a WARC version line or a whole ARC record line)."""
        head = self.peek(32)
        if head.startswith(b"WARC/"):
            return starts_record(head)
        return starts_record(self.peek(8300)) if b"://" in head else False

    def seek_record(self, budget: int | None = None) -> tuple[bool, int]:
        """Discard bytes up to the next record start at the beginning of a line.

        Returns (found, bytes discarded). Stops after ``budget`` bytes (None: no limit), at the end of
        the file or at a barrier. Memory stays at one chunk whatever the distance."""
        skipped = 0
        while True:
            if self._buf and self._line_start() and self.at_record():
                return True, skipped
            match = _SCAN.search(self._buf)
            candidates = [match.start() + 1] if match is not None else []
            # A gzip member boundary inside the buffer is a candidate too.
            candidates += [b - self.offset for b in self._boundaries if 0 < b - self.offset < len(self._buf)]
            if candidates:
                skipped += len(self._consume(min(candidates)))
                if self.at_record():
                    return True, skipped
                continue
            if budget is not None and skipped >= budget:
                return False, skipped
            keep = min(len(self._buf), OVERLAP)
            skipped += len(self._consume(len(self._buf) - keep))
            if not self._pull():
                skipped += len(self._consume(len(self._buf)))
                return False, skipped
