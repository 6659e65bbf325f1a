"""Ingest: inputs -> RawDocuments -> Articles (or errors), optionally into the store.

Streaming except for plain-text files, which are held back per folder so that lines repeated across
several files of one outlet (navigation, sign-up blurbs) can be removed as boilerplate.
"""

from __future__ import annotations

import os
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from storydiff.extract import ExtractionError, _textclean, extract
from storydiff.extract.meta import DecodeError, decode
from storydiff.model import Article, RawDocument
from storydiff.readers import DEFAULT_MAX_SIZE, ReadError, read_inputs
from storydiff.store.articles import add_articles, record_error

MIN_FILES_FOR_REPEATS = 3


def _extract_one(
    raw: RawDocument, source: str | None, boilerplate: Iterable[str] = ()
) -> Article | ReadError:
    try:
        return extract(raw, source=source, known_boilerplate=frozenset(boilerplate))
    except ExtractionError as exc:
        return ReadError(raw.origin, str(exc))
    except Exception as exc:  # a library crash on one odd page must not end the batch
        return ReadError(raw.origin, f"extraction failed ({type(exc).__name__}: {exc})")


def _text_group(raw: RawDocument, source: str | None) -> str:
    return source or os.path.dirname(raw.origin.split("#", 1)[0])


def _extract_texts(docs: list[RawDocument], source: str | None) -> Iterator[Article | ReadError]:
    groups: dict[str, list[RawDocument]] = defaultdict(list)
    for raw in docs:
        groups[_text_group(raw, source)].append(raw)
    textclean = _textclean()
    for group in groups.values():
        repeated: set[str] = set()
        if textclean is not None and len(group) >= MIN_FILES_FOR_REPEATS:
            texts = []
            for raw in group:
                try:
                    texts.append(decode(raw.content))
                except DecodeError:
                    continue
            repeated = set(textclean.repeated_lines(texts, min_count=MIN_FILES_FOR_REPEATS))
        for raw in group:
            yield _extract_one(raw, source, repeated)


def extract_raws(
    raws: Iterable[RawDocument | ReadError], *, source: str | None = None, text_batch: int = 1000
) -> Iterator[Article | ReadError]:
    """Articles (or errors) of the records, in input order except plain-text files (held per batch)."""
    held: list[RawDocument] = []
    for item in raws:
        if isinstance(item, ReadError):
            yield item
        elif item.format == "text":
            held.append(item)
            if len(held) >= text_batch:
                yield from _extract_texts(held, source)
                held = []
        else:
            yield _extract_one(item, source)
    if held:
        yield from _extract_texts(held, source)


def extract_inputs(
    inputs: Iterable[str],
    *,
    format: str | None = None,
    source: str | None = None,
    max_size: int = DEFAULT_MAX_SIZE,
) -> Iterator[Article | ReadError]:
    """Articles (or errors) of files, directories, globs and ``-`` (stdin)."""
    return extract_raws(read_inputs(inputs, format=format, max_size=max_size), source=source)


@dataclass
class IngestSummary:
    ingested: int = 0
    duplicates: int = 0
    failed: int = 0
    errors: list[ReadError] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.ingested + self.duplicates + self.failed


def store_results(
    conn: sqlite3.Connection,
    results: Iterable[Article | ReadError],
    *,
    batch_size: int = 20,
    on_item: Callable[[Article | ReadError], None] | None = None,
    keep_errors: int = 1000,
) -> IngestSummary:
    """Insert articles in small transactions and record errors; a re-run after a crash finishes the job."""
    summary = IngestSummary()
    batch: list[Article] = []

    def flush() -> None:
        counts = add_articles(conn, batch, batch_size=batch_size)
        summary.ingested += counts.inserted
        summary.duplicates += counts.duplicates
        batch.clear()

    for item in results:
        if isinstance(item, ReadError):
            summary.failed += 1
            if len(summary.errors) < keep_errors:
                summary.errors.append(item)
            record_error(conn, item.origin, item.reason)
        else:
            batch.append(item)
            if len(batch) >= batch_size:
                flush()
        if on_item is not None:
            on_item(item)
    if batch:
        flush()
    return summary


def ingest(
    conn: sqlite3.Connection,
    inputs: Iterable[str],
    *,
    format: str | None = None,
    source: str | None = None,
    max_size: int = DEFAULT_MAX_SIZE,
) -> IngestSummary:
    """Read, extract and store every input; the library form of ``storydiff ingest``."""
    return store_results(conn, extract_inputs(inputs, format=format, source=source, max_size=max_size))
