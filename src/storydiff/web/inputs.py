"""Compare now: pasted texts, uploaded files and URLs -> raw documents, within the request's budget.

Reading is bounded as it goes: records and decompressed bytes are counted while each input is read, so a
small upload that expands to 50 MB or 500,000 records is refused at the first record past the budget,
before anything is extracted (``OverBudget``, answered 413). Problems with single inputs (a binary
file, a URL that is refused) are collected with the input's name, never a server path.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from pydantic import BaseModel, Field

from storydiff.model import RawDocument
from storydiff.readers.files import ReadError

MAX_TEXT_CHARS = 200_000  # one pasted article; a long feature is ~60k characters
MAX_FILE_BYTES = 2 * 1024 * 1024
MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Budget:
    """What one comparison may use. Sizes are after decompression."""

    max_articles: int = 50
    max_total_bytes: int = 16 * MB  # every input together
    max_file_bytes: int = MAX_FILE_BYTES  # one upload, one record, one downloaded page
    seconds: float = 120.0  # extraction and analysis, in the worker; then 503
    memory_bytes: int | None = 4 * 1024 * MB  # the worker's resident memory; then 503 (None: unchecked)
    queue_seconds: float = 5.0  # how long a request waits for a busy worker; then 503
    url_seconds: float = 10.0  # one URL, redirects included
    allow_private_urls: bool = False  # serve --allow-private: URLs on loopback/private networks too


class PastedArticle(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)
    source: str | None = Field(default=None, max_length=200)
    title: str | None = Field(default=None, max_length=1000)
    url: str | None = Field(default=None, max_length=2000)
    published: str | None = Field(default=None, max_length=40)


class InputProblem(Exception):
    """The inputs cannot make a comparison; ``problems`` says why, one line per input."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class OverBudget(Exception):
    """The request asks for more than this server gives one comparison: 413 (too big) or 503 (too long,
    too much memory, or busy)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(slots=True)
class Tally:
    """Records and bytes read so far; raises OverBudget at the first record past the budget."""

    budget: Budget
    records: int = 0
    size: int = 0

    def take(self, found: RawDocument | ReadError, raws: list[Raw], problems: list[str]) -> None:
        """Count one record read (a document or a reading error) and keep it where it belongs."""
        if isinstance(found, ReadError):
            self.add(0)
            problems.append(f"{_label(found.origin)}: {found.reason}")
        else:
            self.add(len(found.content))
            raws.append((found, None))

    def add(self, size: int) -> None:
        self.records += 1
        self.size += size
        if self.records > self.budget.max_articles:
            raise OverBudget(
                413,
                f"too many articles: at most {self.budget.max_articles} in one comparison (reading stopped there)",
            )
        if self.size > self.budget.max_total_bytes:
            raise OverBudget(
                413,
                f"too much text: at most {self.budget.max_total_bytes // MB} MB in one comparison, after "
                "decompression (reading stopped there)",
            )


Raw = tuple[RawDocument, str | None]  # a document and the outlet name to give it (None: from the page)


def gather(
    pasted: list[PastedArticle], uploads: list[tuple[str, bytes]], urls: list[str], budget: Budget
) -> tuple[list[Raw], list[str]]:
    """Raw documents of every input, read and counted (not extracted), and the problems of single inputs.

    Raises OverBudget when the inputs together are over the budget.
    """
    tally = Tally(budget)
    problems: list[str] = []
    raws: list[Raw] = []
    for number, item in enumerate(pasted, start=1):
        if len(item.text) > MAX_TEXT_CHARS:
            problems.append(f"text {number}: longer than {MAX_TEXT_CHARS} characters")
            continue
        tally.add(len(item.text.encode("utf-8", "replace")))
        hints = {"title": item.title, "url": item.url, "published": item.published, "source": item.source}
        raw = RawDocument(
            origin=f"pasted text {number}",
            content=item.text,
            format="text",
            hints={k: v for k, v in hints.items() if v},
        )
        raws.append((raw, item.source or f"Text {number}"))
    for name, content in uploads:
        _read_upload(name, content, budget, tally, raws, problems)
    _fetch_all(urls, budget, tally, raws, problems)
    return raws, problems


def _read_upload(
    name: str, content: bytes, budget: Budget, tally: Tally, raws: list[Raw], problems: list[str]
) -> None:
    from storydiff.readers import read_path

    label = _label(name)
    if not content.strip():
        problems.append(f"{label}: empty file")
        return
    # The CLI's readers: format detection, decoding and bad-input errors are the same as for ingest; the
    # records come one at a time, so counting stops a bomb at the first record past the budget.
    try:
        for found in read_path(label, data=content, max_size=budget.max_file_bytes):
            tally.take(found, raws, problems)
    except RecursionError:
        problems.append(f"{label}: JSON nested too deeply to read")


def _fetch_all(urls: list[str], budget: Budget, tally: Tally, raws: list[Raw], problems: list[str]) -> None:
    from storydiff.readers.fetch import fetch_urls

    if not urls:
        return
    started = time.monotonic()
    wanted = []
    for url in urls:
        if url.startswith(("http://", "https://")):
            wanted.append(url)
        else:
            problems.append(f"{_label(url)}: not an http(s) URL")
    downloads = fetch_urls(
        wanted,
        max_size=budget.max_file_bytes,
        timeout=budget.url_seconds,
        backoff=0.5,
        allow_private=budget.allow_private_urls,
    )
    for found in downloads:
        if time.monotonic() - started > budget.seconds:
            raise OverBudget(503, f"downloading the URLs took longer than {budget.seconds:.0f} s")
        tally.take(found, raws, problems)


def _label(name: str, width: int = 200) -> str:
    """An input's name as shown back and read by: one line, bounded (it is the client's own text), its
    end kept (the extension tells the format)."""
    line = " ".join(name.split()) or "upload"
    return line if len(line) <= width else "\u2026" + line[-(width - 1) :]
