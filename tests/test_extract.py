"""Extraction: main text, metadata, outlet, dates, language, encodings, and records with no article."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import pytest

from storydiff.extract import ExtractionError, extract, raw_input
from storydiff.extract.meta import detect_language, domain_of, name_from_path, normalise_date
from storydiff.model import RawDocument, article_id

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
PAGE = (FIXTURES / "harbour-post.html").read_bytes()

ARTICLE = [
    "The Tessaly ferry ran aground on a sandbank outside Lunmouth harbour late on Friday evening.",
    "All 212 passengers were taken ashore by lifeboat crews before midnight, the coastguard said.",
    "Engineers will try to refloat the vessel at high tide on Sunday, its operator Norsand Lines said.",
    "The operator said the captain had reported a steering fault twenty minutes before the grounding.",
]


def html_page(body_paragraphs: list[str], *, head: str = "", charset: str | None = "utf-8") -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    paras = "".join(f"<p>{p}</p>" for p in body_paragraphs)
    return (
        f"<html><head>{meta}<title>Ferry aground off Lunmouth</title>{head}</head><body>"
        f"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article><h1>Ferry aground off Lunmouth</h1>"
        f"{paras}</article><footer>Contact us</footer></body></html>"
    )


def test_html_page_main_text_without_comments_or_navigation() -> None:
    article = extract(RawDocument("post.html", PAGE, "html"))
    assert article.title == "Crane collapse injures three at Port Vellin"
    assert article.source == "The Harbour Post"  # og:site_name
    assert article.url == "https://www.harbourpost.co.uk/news/crane-collapse"
    assert article.byline == "Mara Quist"
    # The UTC timestamp keeps its time: the page shows the same day (a time orders copies and originals).
    assert article.published == "2025-03-04T09:30:00+00:00"
    assert article.language == "en"
    assert article.text.startswith("A loading crane collapsed at the east dock")
    assert "The west dock stayed open." in article.text
    for noise in ("Jolly99", "disgrace", "Privacy", "All rights reserved", "Sport"):
        assert noise not in article.text
    paragraphs = article.text.split("\n\n")
    assert len(paragraphs) == 5 and all(p == p.strip() and "\n" not in p for p in paragraphs)
    assert article.id == article_id(article.text, url=article.url)
    assert raw_input(article) == PAGE and article.raw_format == "html"


def test_outlet_precedence_source_option_then_metadata_then_domain_then_file_name() -> None:
    assert extract(RawDocument("post.html", PAGE, "html"), source="Quay Weekly").source == "Quay Weekly"
    page = html_page(ARTICLE).encode()
    by_domain = extract(RawDocument("x.html", page, "html", {"url": "https://www.lunmouthtimes.co.uk/ferry"}))
    assert by_domain.source == "lunmouthtimes.co.uk"
    by_name = extract(RawDocument("in/lunmouth-gazette.html.gz", page, "html"))
    assert by_name.source == "lunmouth-gazette"


def test_same_input_gives_the_same_id_and_different_urls_differ() -> None:
    page = html_page(ARTICLE).encode()
    a = extract(RawDocument("a.html", page, "html", {"url": "https://one.com/x"}))
    b = extract(RawDocument("b.html", page, "html", {"url": "https://one.com/x"}))
    c = extract(RawDocument("c.html", page, "html", {"url": "https://two.com/x"}))
    assert a.id == b.id != c.id


def test_mislabelled_utf8_page_declared_latin1_decodes_right() -> None:
    paragraphs = [p.replace("Lunmouth", "Lünmouth café") for p in ARTICLE]
    page = html_page(paragraphs, charset="iso-8859-1").encode("utf-8")
    article = extract(RawDocument("x.html", page, "html"))
    assert "Lünmouth café" in article.text and "Ã" not in article.text


def test_undeclared_cp1252_page_is_detected() -> None:
    paragraphs = [p + " Le café près du quai était fermé, a déclaré l’opérateur." for p in ARTICLE]
    page = html_page(paragraphs, charset=None).encode("cp1252")
    article = extract(RawDocument("x.html", page, "html"))
    assert "café près du quai était fermé" in article.text


def test_page_with_no_article_text_is_an_extraction_error() -> None:
    page = b"<html><head><title>Menu</title></head><body><nav><a href='/a'>A</a><a href='/b'>B</a></nav></body></html>"
    with pytest.raises(ExtractionError, match="no article text"):
        extract(RawDocument("menu.html", page, "html"))


def test_plain_text_article_gets_a_title_and_paragraphs() -> None:
    text = "Ferry aground off Lunmouth\n\n" + "\n\n".join(
        p[: p.index(" ", 40)] + "\n" + p[p.index(" ", 40) + 1 :]
        for p in ARTICLE  # hard-wrapped paragraphs
    )
    article = extract(RawDocument("lunmouth-gazette.txt", text.encode(), "text"))
    assert article.title == "Ferry aground off Lunmouth"
    assert article.text.split("\n\n") == [" ".join(p.split()) for p in ARTICLE]
    assert article.source == "lunmouth-gazette" and article.raw_format == "text"


def test_undecodable_text_is_an_error() -> None:
    with pytest.raises(ExtractionError):
        extract(RawDocument("noise.txt", bytes(range(256)) * 20, "text"))


def test_jsonl_record_fields_and_html_only_records() -> None:
    record = {
        "url": "https://www.lunmouthtimes.co.uk/ferry",
        "title": "Ferry aground",
        "text": "\n".join(ARTICLE),
        "source": "Lunmouth Times",
        "date_publish": "2025-06-13 22:10:00",
        "authors": ["K. Marr"],
    }
    from storydiff.readers.jsonl import record_hints

    line = json.dumps(record).encode()
    article = extract(RawDocument("dump.jsonl#1", line, "json", record_hints(record)))
    assert article.source == "Lunmouth Times" and article.byline == "K. Marr"
    assert article.published == "2025-06-13T22:10:00" and article.title == "Ferry aground"
    assert article.text.split("\n\n") == ARTICLE and zlib.decompress(article.raw) == line
    html_record = {"url": "https://lunmouthtimes.co.uk/f2", "html": html_page(ARTICLE)}
    from_html = extract(RawDocument("dump.jsonl#2", b"{}", "json", record_hints(html_record)))
    assert from_html.text.split("\n\n") == ARTICLE and from_html.source == "lunmouthtimes.co.uk"


def test_feed_fragment_is_extracted_even_when_short() -> None:
    raw = RawDocument(
        "star.rss#1",
        b"<p>A crane fell at the east dock.</p><p>Three people were hurt.</p>",
        "html",
        {
            "fragment": True,
            "url": "https://eveningstar.co.uk/crane",
            "title": "Crane collapse",
            "published": "Tue, 04 Mar 2025 11:00:00 GMT",
            "sitename": "Vellin Evening Star",
        },
    )
    article = extract(raw)
    assert article.text == "A crane fell at the east dock.\n\nThree people were hurt."
    assert article.source == "Vellin Evening Star" and article.published == "2025-03-04T11:00:00+00:00"


def test_non_english_article_is_kept_and_marked() -> None:
    french = [
        "Le ferry Tessaly s'est échoué vendredi soir sur un banc de sable devant le port de Lunmouth.",
        "Les 212 passagers ont été ramenés à terre par les canots de sauvetage avant minuit.",
        "L'opérateur a indiqué que le capitaine avait signalé une panne de direction.",
    ]
    article = extract(RawDocument("fr.txt", "\n\n".join(french).encode(), "text"))
    assert article.language == "fr" and not article.is_english


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-03-04", "2025-03-04"),
        ("2025-03-04T09:30:00Z", "2025-03-04T09:30:00+00:00"),
        ("Tue, 04 Mar 2025 11:00:00 GMT", "2025-03-04T11:00:00+00:00"),
        ("March 4, 2025", "2025-03-04"),
        ("4 March 2025 14:05", "2025-03-04T14:05:00"),
        ("Tuesday", None),  # no year: never completed from the clock
        ("March 4", None),
        ("2026", None),  # no month or day: not filled in from anywhere
        ("October 2026", None),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_date(value: str | None, expected: str | None) -> None:
    assert normalise_date(value) == expected


def test_meta_helpers() -> None:
    assert domain_of("https://news.bbc.co.uk/x") == "bbc.co.uk"
    assert domain_of("http://www.harbourpost.com/a?b=1") == "harbourpost.com"
    assert domain_of("not a url") is None
    assert name_from_path("data/quay-weekly.txt.gz#3") == "quay-weekly"
    assert name_from_path("-") is None
    assert detect_language("Die Fähre ist vor dem Hafen auf Grund gelaufen, sagte die Küstenwache.") == "de"
    assert detect_language("Hi") is None


def test_plain_text_byline_and_dateline_come_from_the_removed_lines() -> None:
    text = (
        "Lunmouth Gazette\nHome | News | Sport | Weather\n\nFerry aground off Lunmouth\n\n"
        "Published 13 June 2025, 22:40 | Updated 14 June 2025, 08:00\nBy Kelda Marr\n\n"
        + "\n\n".join(ARTICLE)
        + "\n\n(c) 2025 Lunmouth Gazette. All rights reserved.\n"
    )
    article = extract(RawDocument("lunmouth-gazette.txt", text.encode(), "text"))
    assert article.byline == "Kelda Marr"
    assert article.published == "2025-06-13T22:40:00"
    assert "Kelda Marr" not in article.text and ARTICLE[0] in article.text
