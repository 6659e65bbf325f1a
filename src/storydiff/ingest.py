"""Ingest: inputs -> RawDocuments -> Articles (or errors), optionally into the store.

Streaming except for the records whose text the line classifier cleans (text files, JSON Lines texts,
feed entries): those are held back in windows (``text_batch`` records, ``HOLD_CHARS`` characters) so that
lines an outlet repeats across several of them (navigation, sign-up blurbs, a notification widget) can be
removed as boilerplate. Outlet groups: a folder of text files; one outlet's records within one input file,
so that a file's articles never depend on what else was ingested with it.
"""

from __future__ import annotations

import os
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from storydiff.extract import CLEAN_DUMP, Draft, ExtractionError, draft, finish, outlet_of
from storydiff.model import Article, RawDocument
from storydiff.readers import DEFAULT_MAX_SIZE, ReadError, read_inputs
from storydiff.store.articles import add_articles, record_error

MIN_FILES_FOR_REPEATS = 3
HOLD_CHARS = 64 * 1024 * 1024  # held text and raw input, in characters/bytes, before a window is flushed


def _failure(origin: str, exc: Exception) -> ReadError:
    if isinstance(exc, ExtractionError):
        return ReadError(origin, str(exc))
    # A library crash on one odd page must not end the batch.
    return ReadError(origin, f"extraction failed ({type(exc).__name__}: {exc})")


def _draft_one(raw: RawDocument) -> Draft | ReadError:
    try:
        return draft(raw)
    except Exception as exc:  # noqa: BLE001 - see _failure
        return _failure(raw.origin, exc)


def _finish_one(item: Draft, source: str | None, boilerplate: Iterable[str] = ()) -> Article | ReadError:
    try:
        return finish(item, source=source, known_boilerplate=frozenset(boilerplate))
    except Exception as exc:  # noqa: BLE001 - see _failure
        return _failure(item.raw.origin, exc)


def _extract_one(
    raw: RawDocument, source: str | None, boilerplate: Iterable[str] = ()
) -> Article | ReadError:
    item = _draft_one(raw)
    return item if isinstance(item, ReadError) else _finish_one(item, source, boilerplate)


def _group(item: Draft, source: str | None) -> tuple[str, ...]:
    if item.cleaning == CLEAN_DUMP:
        return ("dump", source or os.path.dirname(item.raw.origin.split("#", 1)[0]))
    return ("record", item.raw.origin.rsplit("#", 1)[0], outlet_of(item, source))


def _repeats(held: Iterable[Draft], source: str | None) -> dict[tuple[str, ...], frozenset[str]]:
    """For each outlet group of the held drafts, the lines (and sentences) it repeats across articles."""
    groups: dict[tuple[str, ...], list[Draft]] = defaultdict(list)
    for item in held:
        groups[_group(item, source)].append(item)
    from storydiff.extract import textclean

    repeated: dict[tuple[str, ...], frozenset[str]] = {}
    for key, members in groups.items():
        if len(members) >= MIN_FILES_FOR_REPEATS:
            texts = [m.text for m in members]
            repeated[key] = frozenset(
                textclean.repeated_boilerplate(
                    texts, min_count=MIN_FILES_FOR_REPEATS, record=key[0] == "record"
                )
            )
    return repeated


def _flush(
    slots: list[Draft | Article | ReadError], dumps: list[Draft], source: str | None
) -> Iterator[Article | ReadError]:
    """The held window: other results in input order, then the plain-text files (as the Spark engine
    numbers them), each held record cleaned with the lines its outlet group repeats."""
    held = [s for s in slots if isinstance(s, Draft)] + dumps
    repeated = _repeats(held, source)
    for slot in [*slots, *dumps]:
        if isinstance(slot, Draft):
            yield _finish_one(slot, source, repeated.get(_group(slot, source), frozenset()))
        else:
            yield slot


def extract_raws(
    raws: Iterable[RawDocument | ReadError], *, source: str | None = None, text_batch: int = 1000
) -> Iterator[Article | ReadError]:
    """Articles (or errors) of the records: in input order, except that plain-text files come after the
    other records of their window (``text_batch`` held records, see the module docstring)."""
    slots: list[Draft | Article | ReadError] = []  # from the first held record on, in input order
    dumps: list[Draft] = []
    held = size = 0
    for raw in raws:
        item = raw if isinstance(raw, ReadError) else _draft_one(raw)
        if isinstance(item, ReadError) or not item.cleanable:
            result = item if isinstance(item, ReadError) else _finish_one(item, source)
            if slots:
                slots.append(result)  # behind a held record: keeps the input order
            else:
                yield result
            continue
        (dumps if item.cleaning == CLEAN_DUMP else slots).append(item)
        held += 1
        size += len(item.text) + len(item.raw.content)
        if held >= text_batch or size >= HOLD_CHARS or len(slots) >= 4 * text_batch:
            yield from _flush(slots, dumps, source)
            slots, dumps, held, size = [], [], 0, 0
    if slots or dumps:
        yield from _flush(slots, dumps, source)


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
