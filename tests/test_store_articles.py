"""Article store: whole-article inserts, duplicates, lookups, filters, incremental iteration, errors."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from storydiff.model import Article, article_id
from storydiff.store import connect
from storydiff.store.articles import (
    AmbiguousId,
    add_article,
    add_articles,
    articles_by_ids,
    count,
    get_article,
    iter_articles,
    list_articles,
    list_errors,
    record_error,
    resolve_id,
)


def make(
    n: int, *, source: str = "Quay Weekly", language: str = "en", published: str | None = None
) -> Article:
    text = f"Story number {n} about the harbour at Lunmouth."
    url = f"https://quayweekly.com/{n}"
    return Article(
        id=article_id(text, url=url),
        source=source,
        text=text,
        title=f"Title {n}",
        url=url,
        published=published,
        language=language,
        origin=f"in.jsonl#{n}",
        raw=zlib.compress(text.encode()),
        raw_format="json",
    )


@pytest.fixture
def conn(db_path: Path):  # type: ignore[no-untyped-def]
    connection = connect(db_path)
    yield connection
    connection.close()


def test_add_counts_inserted_and_duplicates(conn) -> None:  # type: ignore[no-untyped-def]
    articles = [make(i) for i in range(7)]
    first = add_articles(conn, articles, batch_size=3)
    assert (first.inserted, first.duplicates) == (7, 0)
    again = add_articles(conn, [*articles[:4], make(99)], batch_size=2)
    assert (again.inserted, again.duplicates) == (1, 4)
    assert count(conn) == 8
    assert add_article(conn, make(99)) is False


def test_get_article_round_trips_every_field(conn) -> None:  # type: ignore[no-untyped-def]
    article = make(1, published="2025-03-04")
    add_articles(conn, [article])
    light = get_article(conn, article.id)
    assert light is not None and light.raw is None
    assert light.to_dict() == article.to_dict()
    full = get_article(conn, article.id, with_raw=True)
    assert full is not None and zlib.decompress(full.raw) == article.text.encode()
    assert get_article(conn, "0" * 16) is None


def test_list_filters_limit_offset_and_order(conn) -> None:  # type: ignore[no-untyped-def]
    add_articles(
        conn,
        [
            make(1, published="2025-01-01"),
            make(2, source="Dockside", published="2025-02-01"),
            make(3, language="fr", published="2025-03-01"),
            make(4, published="2025-04-01"),
        ],
    )
    assert [a.title for a in list_articles(conn)] == ["Title 1", "Title 2", "Title 3", "Title 4"]
    assert [a.title for a in list_articles(conn, source="Dockside")] == ["Title 2"]
    assert [a.title for a in list_articles(conn, language="fr")] == ["Title 3"]
    assert [a.title for a in list_articles(conn, since="2025-02-01", until="2025-04-01")] == [
        "Title 2",
        "Title 3",
    ]
    assert [a.title for a in list_articles(conn, limit=2, offset=1)] == ["Title 2", "Title 3"]
    assert count(conn, source="Quay Weekly") == 3


def test_articles_by_ids_keeps_the_requested_order(conn) -> None:  # type: ignore[no-untyped-def]
    articles = [make(i) for i in range(5)]
    add_articles(conn, articles)
    wanted = [articles[3].id, "f" * 16, articles[0].id]
    assert [a.id for a in articles_by_ids(conn, wanted)] == [articles[3].id, articles[0].id]


def test_iter_articles_resumes_after_a_seq(conn) -> None:  # type: ignore[no-untyped-def]
    add_articles(conn, [make(i) for i in range(5)])
    seen = list(iter_articles(conn, batch_size=2))
    assert [a.title for _, a in seen] == [f"Title {i}" for i in range(5)]
    seqs = [seq for seq, _ in seen]
    assert seqs == sorted(seqs)
    add_articles(conn, [make(5)])
    assert [a.title for _, a in iter_articles(conn, after_seq=seqs[-1])] == ["Title 5"]


def test_resolve_id_prefix(conn) -> None:  # type: ignore[no-untyped-def]
    articles = [make(i) for i in range(40)]
    add_articles(conn, articles)
    target = articles[0].id
    assert resolve_id(conn, target) == target
    unique = next(target[:n] for n in range(1, 17) if sum(a.id.startswith(target[:n]) for a in articles) == 1)
    assert resolve_id(conn, unique) == target
    shared = next(a.id[:1] for a in articles if sum(b.id.startswith(a.id[:1]) for b in articles) > 1)
    with pytest.raises(AmbiguousId):
        resolve_id(conn, shared)
    assert resolve_id(conn, "zz") is None


def test_record_error_is_kept_once(conn) -> None:  # type: ignore[no-untyped-def]
    record_error(conn, "bad.jsonl#2", "not valid JSON")
    record_error(conn, "bad.jsonl#2", "not valid JSON")
    record_error(conn, "cut.html.gz", "truncated gzip stream")
    assert list_errors(conn) == [("bad.jsonl#2", "not valid JSON"), ("cut.html.gz", "truncated gzip stream")]
