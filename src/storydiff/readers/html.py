"""HTML pages (plain or gzip): one page, one RawDocument; extraction happens in storydiff.extract."""

from __future__ import annotations

from collections.abc import Iterator

from storydiff.model import RawDocument
from storydiff.readers.files import ReadError


def read_html(path: str, data: bytes) -> Iterator[RawDocument | ReadError]:
    yield RawDocument(origin=path, content=data, format="html", hints={"path": path})
