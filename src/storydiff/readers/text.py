"""Plain-text articles: one file, one RawDocument (textclean finds the title and boilerplate)."""

from __future__ import annotations

from collections.abc import Iterator

from storydiff.model import RawDocument
from storydiff.readers.files import ReadError


def read_text(path: str, data: bytes) -> Iterator[RawDocument | ReadError]:
    yield RawDocument(origin=path, content=data, format="text", hints={"path": path})
