"""Page metadata read from the parsed tree (pagemeta), and the one-parse HTML extraction that uses it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storydiff.extract import extract
from storydiff.extract.pagemeta import _author, page_metadata, parse_html, published_date
from storydiff.model import RawDocument

BODY = [
    "The Orvale valley council voted on Tuesday evening to close the old quarry road to lorries for good.",
    "Residents of Low Orvale had campaigned for six years against the traffic, which they said shook "
    "their houses and blocked the lane to the school every morning.",
    "The quarry operator, Granmoor Stone, said it would move its loading yard to the north gate by June.",
    "Councillor Edda Rensfield said the decision would be reviewed after one year of the new route.",
]


def page(
    head: str = "", *, byline: str = "", extra: str = "", title: str = "Quarry road closed to lorries"
) -> str:
    paras = "".join(f"<p>{p}</p>" for p in BODY)
    return (
        f"<html><head><meta charset='utf-8'><title>{title} | Valley Courier</title>{head}</head><body>"
        f"<nav><a href='/'>Home</a> <a href='/local'>Local</a></nav><article><h1>{title}</h1>{byline}"
        f"{paras}</article>{extra}<footer>Contact the Courier</footer></body></html>"
    )


def meta_of(html: str, url: str | None = None):  # type: ignore[no-untyped-def]
    tree = parse_html(html)
    assert tree is not None
    return page_metadata(tree, url)


def test_open_graph_and_article_tags() -> None:
    head = (
        "<meta property='og:title' content='Quarry road closed to lorries for good'>"
        "<meta property='og:site_name' content='Valley Courier'>"
        "<meta property='og:url' content='https://valleycourier.example/news/quarry-road'>"
        "<meta property='article:published_time' content='2025-04-08T18:30:00+02:00'>"
        "<meta name='author' content='Tilde Marrow'>"
    )
    meta = meta_of(page(head))
    assert meta.title == "Quarry road closed to lorries for good"
    assert meta.sitename == "Valley Courier"
    assert meta.url == "https://valleycourier.example/news/quarry-road"
    assert meta.author == "Tilde Marrow"
    # A time with its local offset states the outlet's own day: kept as given.
    assert meta.published == "2025-04-08T18:30:00+02:00"


def test_json_ld_news_article() -> None:
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Quarry road closed to lorries",
        "datePublished": "2025-04-08",
        "author": {"@type": "Person", "name": "Osk Vendel"},
        "publisher": {"@type": "Organization", "name": "Valley Courier"},
    }
    meta = meta_of(page(f"<script type='application/ld+json'>{json.dumps(ld)}</script>"))
    assert meta.published == "2025-04-08"
    assert meta.author == "Osk Vendel"
    assert meta.sitename == "Valley Courier"


def test_utc_timestamp_defers_to_the_local_day_in_the_url() -> None:
    # 02:10 UTC on the 9th is still the 8th where the outlet is; the URL carries the local day.
    head = "<meta property='article:published_time' content='2025-04-09T02:10:00+00:00'>"
    tree = parse_html(page(head))
    assert tree is not None
    assert published_date(tree, "https://valleycourier.example/2025/04/08/quarry-road") == "2025-04-08"


def test_time_element_when_no_meta_date() -> None:
    byline = "<p class='dateline'><time datetime='2025-04-08' pubdate>8 April</time></p>"
    assert meta_of(page(byline=byline)).published == "2025-04-08"


def test_future_or_missing_date_is_none() -> None:
    head = "<meta property='article:published_time' content='2299-01-01T10:00:00+02:00'>"
    assert meta_of(page(head)).published is None
    assert meta_of(page()).published is None


def test_author_from_byline_element_not_from_comments() -> None:
    byline = "<div class='byline'>Brannoc Hale</div>"
    comments = "<section class='comments'><span class='author'>Angry Reader</span><p>Nonsense.</p></section>"
    assert meta_of(page(byline=byline, extra=comments)).author == "Brannoc Hale"
    # Only the comment author is marked: trafilatura skips comment sections, so must we.
    assert meta_of(page(extra=comments)).author is None


def test_author_lookup_matches_trafilatura() -> None:
    from trafilatura.metadata import extract_author

    variants = [
        "<span class='author-name'>Wenna Sollis</span>",
        "<a rel='author' href='/staff/w'>Wenna Sollis</a>",
        "<div class='article-meta'><span class='writer'>Wenna Sollis</span>"
        "<span class='print'>Print</span></div>",
        "<div class='byline'>By <a href='/staff/w'>Wenna Sollis</a><time>8 April</time></div>",
        "<figure><span class='author'>Photo Desk</span></figure>",
    ]
    for byline in variants:
        tree = parse_html(page(byline=byline))
        assert tree is not None
        assert _author(tree) == extract_author(tree), byline


def test_extract_reads_metadata_and_strips_the_headline() -> None:
    head = (
        "<meta property='og:site_name' content='Valley Courier'>"
        "<meta property='article:published_time' content='2025-04-08T18:30:00+02:00'>"
    )
    article = extract(
        RawDocument("quarry.html", page(head, byline="<p class='byline'>Tilde Marrow</p>"), "html")
    )
    assert article.source == "Valley Courier"
    assert article.title == "Quarry road closed to lorries"
    assert article.published == "2025-04-08T18:30:00+02:00"
    assert article.text.split("\n\n")[0] == BODY[0]
    assert "Contact the Courier" not in article.text


def test_parse_html_gives_nothing_for_empty_input() -> None:
    assert parse_html("") is None


def test_real_pages_all_get_a_date(shared_data: Path) -> None:
    import gzip

    pages = sorted((shared_data / "extraction-dev" / "html").glob("*.html.gz"))[:12]
    if not pages:
        pytest.skip("no extraction-dev pages")
    dates = [
        published_date(tree)
        for p in pages
        if (tree := parse_html(gzip.decompress(p.read_bytes()).decode("utf-8", "replace"))) is not None
    ]
    assert sum(d is not None for d in dates) >= len(dates) - 1
