"""Compare now: turn pasted texts, uploaded files and URLs into articles, with clear problems."""

from __future__ import annotations

from pydantic import BaseModel, Field

from storydiff.model import Article, RawDocument

MAX_TEXT_CHARS = 200_000  # one pasted article; a long feature is ~60k characters
MAX_FILE_BYTES = 2 * 1024 * 1024


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


def build_articles(
    pasted: list[PastedArticle],
    uploads: list[tuple[str, bytes]],
    urls: list[str],
    *,
    max_articles: int = 50,
) -> list[Article]:
    """Articles from every input, or InputProblem naming each input that failed and why."""
    from storydiff.extract import extract
    from storydiff.readers import ReadError, read_path

    problems: list[str] = []
    raws: list[tuple[RawDocument, str | None]] = []
    for number, item in enumerate(pasted, start=1):
        if len(item.text) > MAX_TEXT_CHARS:
            problems.append(f"text {number}: longer than {MAX_TEXT_CHARS} characters")
            continue
        hints = {"title": item.title, "url": item.url, "published": item.published, "source": item.source}
        raw = RawDocument(
            origin=f"pasted text {number}",
            content=item.text,
            format="text",
            hints={k: v for k, v in hints.items() if v},
        )
        raws.append((raw, item.source or f"Text {number}"))
    for name, content in uploads:
        if len(content) > MAX_FILE_BYTES:
            problems.append(f"{name}: larger than {MAX_FILE_BYTES // 1024 // 1024} MB")
            continue
        if not content.strip():
            problems.append(f"{name}: empty file")
            continue
        # The CLI's readers: format detection, decoding and bad-input errors are the same as for ingest.
        for found in read_path(name, data=content, max_size=MAX_FILE_BYTES):
            if isinstance(found, ReadError):
                problems.append(f"{found.origin}: {found.reason}")
            else:
                raws.append((found, None))
    for url in urls:
        if not url.startswith(("http://", "https://")):
            problems.append(f"{url}: not an http(s) URL")
            continue
        try:
            raws.append((_fetch(url), None))
        except Exception as exc:  # noqa: BLE001 - any fetch failure is reported per URL
            problems.append(f"{url}: {exc}")
    articles: list[Article] = []
    for raw, source in raws:
        try:
            articles.append(extract(raw, source=source))
        except Exception as exc:  # noqa: BLE001 - extraction errors name the input and go on
            problems.append(f"{raw.origin}: {exc}")
    if problems:
        raise InputProblem(problems)
    if len(articles) < 2:
        raise InputProblem([f"give at least two articles to compare (got {len(articles)})"])
    if len(articles) > max_articles:
        raise InputProblem([f"at most {max_articles} articles at once (got {len(articles)})"])
    return articles


def _fetch(url: str) -> RawDocument:
    from storydiff.readers import ReadError
    from storydiff.readers.fetch import fetch_urls

    for item in fetch_urls([url]):
        if isinstance(item, ReadError):
            raise item
        return item
    raise ReadError(url, "nothing downloaded")
