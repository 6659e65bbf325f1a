"""Bounded file reading (plain or gzip) and expansion of input arguments into file paths."""

from __future__ import annotations

import glob
import gzip
import io
import os
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from storydiff.errors import InputError

DEFAULT_MAX_SIZE = 20 * 1024 * 1024  # bytes, after decompression
GZIP_MAGIC = b"\x1f\x8b"
# Input quoted in a message: enough to recognise it, never the megabytes a junk line may hold.
QUOTE_CHARS = 40
# A reason is one line on stderr and one field of the --errors file, whatever a library put in it.
MAX_REASON_CHARS = 300
MAX_ORIGIN_CHARS = 1000


def quote(data: bytes | str | None, limit: int = QUOTE_CHARS) -> str:
    """``data`` as a short printable quotation: at most ``limit`` characters, control characters escaped."""
    if data is None:
        return "''"
    head = data[: limit * 4]
    text = head.decode("utf-8", "replace") if isinstance(head, bytes) else head
    more = len(data) > len(head) or len(text) > limit
    shown = repr(text[:limit])
    return f"{shown[:-1]}…{shown[-1]}" if more else shown


def _bounded(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class ReadError(InputError):
    """An input (or one record of it) that could not be read; the batch goes on.

    The reason is cut to MAX_REASON_CHARS: library messages may embed the input (a 1 GiB "line")."""

    origin: str
    reason: str

    def __post_init__(self) -> None:
        self.origin = _bounded(str(self.origin), MAX_ORIGIN_CHARS)
        self.reason = _bounded(" ".join(str(self.reason).split()), MAX_REASON_CHARS)

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"

    def to_dict(self) -> dict[str, str]:
        return {"origin": self.origin, "reason": self.reason}


def is_gzip(head: bytes) -> bool:
    return head[:2] == GZIP_MAGIC


def open_stream(path: str, data: bytes | None = None) -> BinaryIO:
    """A binary stream of the input, transparently gunzipped (by magic bytes, not extension)."""
    raw: BinaryIO = io.BytesIO(data) if data is not None else open(path, "rb")  # noqa: SIM115
    head = raw.read(2)
    raw.seek(0)
    if is_gzip(head):
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    return raw


def read_stream_limited(stream: BinaryIO, origin: str, max_size: int) -> bytes:
    """Read at most ``max_size`` bytes; past it, stop (a decompression bomb never expands fully)."""
    try:
        data = stream.read(max_size + 1)
    except EOFError:
        raise ReadError(origin, "truncated gzip stream") from None
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise ReadError(origin, f"corrupt gzip data ({exc})") from None
    if len(data) > max_size:
        raise ReadError(origin, f"larger than the size limit of {max_size} bytes")
    return data


def read_limited(path: str, max_size: int, data: bytes | None = None) -> bytes:
    """The whole (decompressed) content of ``path``, refusing anything over ``max_size``."""
    try:
        with open_stream(path, data) as stream:
            return read_stream_limited(stream, path, max_size)
    except OSError as exc:
        if isinstance(exc, gzip.BadGzipFile):
            raise ReadError(path, f"corrupt gzip data ({exc})") from None
        raise ReadError(path, f"cannot read: {exc.strerror or exc}") from None


def head_bytes(path: str, size: int = 65536, data: bytes | None = None) -> bytes:
    """The first ``size`` decompressed bytes, for format sniffing (tolerates truncated gzip)."""
    with open_stream(path, data) as stream:
        try:
            return stream.read(size)
        except (EOFError, zlib.error, gzip.BadGzipFile):
            # A truncated archive still has a readable beginning; the reader reports the damage.
            return _partial_gunzip(path, size, data)


def _partial_gunzip(path: str, size: int, data: bytes | None) -> bytes:
    raw = data if data is not None else open(path, "rb").read(size * 4)  # noqa: SIM115
    decomp = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        return decomp.decompress(raw, size)
    except zlib.error:
        return b""


def stdin_bytes(max_size: int) -> bytes:
    return read_stream_limited(sys.stdin.buffer, "-", max_size)


_GLOB_CHARS = set("*?[")
# Inside folders, these are project files rather than articles (name them explicitly to read them): the
# whole name, bare or with one documentation extension. "changelog.blog.zwischenbilanz.html" is an article.
_PROJECT_FILE = re.compile(
    r"(?:readme|license|licence|copying|notice|changelog|changes|history|authors|contributors|contributing"
    r"|code_of_conduct|security)(?:\.(?:md|markdown|txt|text|rst|adoc|asciidoc|org))?",
    re.I,
)


def _folder_member(path: str) -> bool:
    """Whether a file met while walking a folder is an input (named files are always read).

    Left out: hidden files; project files named README, LICENSE, CHANGELOG... (bare or .md, .txt, .rst...);
    and plain ``.json`` files holding one JSON object (gold answers, manifests) rather than article records.
    """
    name = os.path.basename(path)
    if name.startswith(".") or _PROJECT_FILE.fullmatch(name):
        return False
    if name.lower().endswith(".json"):
        return _json_holds_records(path)
    return True


def _json_holds_records(path: str) -> bool:
    """A JSON array, or JSON Lines saved as .json (first line a whole object), holds articles."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(65536)
    except OSError:
        return True  # let the reader report it
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"["):
        return True
    first_line = start.split(b"\n", 1)[0].strip()
    return first_line.startswith(b"{") and first_line.endswith(b"}")


def expand_inputs(inputs: Iterable[str]) -> Iterator[str | ReadError]:
    """Files named by the arguments: files as given, directories recursively (sorted).

    In folders, hidden files, README/LICENSE files and ``.json`` files holding a single object are left out.
    An argument that cannot be listed (permissions, a name the file system refuses) is an error for it alone.
    """
    for arg in inputs:
        try:
            yield from _expand_one(arg)
        except (OSError, ValueError) as exc:
            yield ReadError(arg, f"cannot list: {getattr(exc, 'strerror', None) or exc}")


def _expand_one(arg: str) -> Iterator[str | ReadError]:
    if arg == "-":
        yield "-"
    elif os.path.isdir(arg):
        found = False
        for root, dirs, files in os.walk(arg):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if _folder_member(os.path.join(root, name)):
                    found = True
                    yield os.path.join(root, name)
        if not found:
            yield ReadError(
                arg,
                "directory contains no input files (hidden, README/LICENSE and "
                "single-object .json files are left out)",
            )
    elif os.path.exists(arg):
        yield arg
    elif _GLOB_CHARS & set(arg):
        matches = sorted(glob.glob(arg, recursive=True))
        if not matches:
            yield ReadError(arg, "no file matches this pattern")
        yield from expand_inputs(matches)
    else:
        yield ReadError(arg, "no such file or directory")
