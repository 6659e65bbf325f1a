"""Time in story clustering, on a fictional stream (tests/fixtures/stories/timeline.json): a follow-up three
weeks later joins its story, a same-week event in the same town does not, no story spans more than a year
unless its articles name the same day, and copies join their original's story only within days."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from storydiff.cli import main
from storydiff.model import Article, Copy
from storydiff.store import connect
from storydiff.store.articles import add_articles
from storydiff.stories.cluster import ClusterConfig, cluster_articles
from storydiff.stories.features import article_features, referred_values
from storydiff.stories.incremental import run_cluster

FIXTURES = Path(__file__).parent / "fixtures" / "stories"

ANNIVERSARY = (
    "Relatives of the four passengers who died when the ferry Saga Linnea capsized on Lake Tovra on March 2, "
    "2026 gathered at the Oskarhavn landing on Thursday to unveil a memorial.\n\nCaptain Henrik Vesterlund, "
    "who survived the capsizing, laid a wreath. Tovra Lake Lines, which was found to have overloaded the "
    "ferry, has since sold its remaining boats, and crossings to Brenna are run by the regional council."
)


def stream() -> tuple[list[Article], dict[str, str]]:
    articles, gold = [], {}
    for i, rec in enumerate(json.loads((FIXTURES / "timeline.json").read_text())):
        aid = f"t{i}"
        articles.append(
            Article(
                id=aid,
                source=rec["source"],
                text=rec["text"],
                title=rec["title"],
                published=rec["published"],
                url=f"https://{rec['source'].replace(' ', '').lower()}.example/{i}",
            )
        )
        gold[aid] = rec["event"]
    return articles, gold


def events(stories: list, gold: dict[str, str]) -> set[frozenset[str]]:
    return {frozenset(gold.get(a, a) for a in s.articles) for s in stories}


def story_of(stories: list, article: str) -> set[str]:
    return next(set(s.articles) for s in stories if article in s.articles)


def test_follow_up_three_weeks_later_joins_and_same_week_fire_in_the_same_town_does_not() -> None:
    articles, gold = stream()
    stories = cluster_articles(articles)
    assert events(stories, gold) == {
        frozenset({"tovra-ferry"}),
        frozenset({"oskarhavn-school-fire"}),
        frozenset({"brenna-election"}),
    }
    inquiry = next(a for a in articles if a.published.startswith("2026-03-23"))
    assert len(story_of(stories, inquiry.id)) == 4  # with the three reports of the capsizing
    # The follow-up needs the decay: a one-week wall (the horizon at 7 days) leaves it alone.
    walled = cluster_articles(articles, config=ClusterConfig(horizon_days=7))
    assert story_of(walled, inquiry.id) == {inquiry.id}


def test_time_penalty_grows_with_the_gap_and_is_zero_on_the_day() -> None:
    cfg = ClusterConfig()
    gaps = [0, 1, 7, 21, 90, 365]
    penalties = [cfg.penalty(g) for g in gaps]
    assert penalties[0] == 0.0 and cfg.penalty(None) == 0.0
    assert penalties == sorted(penalties) and len(set(penalties)) == len(penalties)
    assert penalties[3] < 0.1 < penalties[5]  # weeks cost little, a year a lot


def test_a_story_spans_more_than_a_year_only_when_its_articles_name_the_same_day() -> None:
    articles, gold = stream()
    dated = Article(
        id="anniversary",
        source="Lakeland Times",
        title="Two years on, Oskarhavn remembers the Saga Linnea",
        text=ANNIVERSARY,
        published="2028-03-02T09:00:00Z",
    )
    undated = Article(
        id="memorial",
        source="Lakeland Times",
        title=dated.title,
        text=ANNIVERSARY.replace(" on March 2, 2026", ""),
        published="2028-03-02T09:00:00Z",
    )
    # The inquiry's "March 2" (published 2026-03-23) and the anniversary's "March 2, 2026" are one day.
    assert article_features(articles[-1], 0).event_dates & article_features(dated, 1).event_dates
    with_date = cluster_articles([*articles, dated])
    assert gold[articles[0].id] == "tovra-ferry" and articles[0].id in story_of(with_date, "anniversary")
    without = cluster_articles([*articles, undated])
    assert story_of(without, "memorial") == {"memorial"}
    for stories in (with_date, without):
        for story in stories:
            if story.first and story.last and "anniversary" not in story.articles:
                assert (story.last - story.first).days <= ClusterConfig().horizon_days


def test_referred_dates_take_their_year_from_the_text_or_the_publication_day() -> None:
    from datetime import date

    values, full = referred_values(
        "The quake of 14 November 2025 and the flood on March 2.", date(2026, 3, 23)
    )
    assert full == ["#d:2025-11-14", "#d:2026-03-02"]
    assert "#d:11-14" in values and "#d:03-02" in values
    # Early January: "December 30" is last year's.
    assert referred_values("since December 30", date(2026, 1, 4))[1] == ["#d:2025-12-30"]
    assert referred_values("12 dead, 6.1 magnitude, in 2026")[0] == ["#12", "#6.1"]


def test_a_copy_joins_within_days_and_a_copy_of_an_old_article_is_clustered_on_its_own() -> None:
    articles, _ = stream()
    original = articles[3]  # the school fire
    wire = Article(
        id="wire", source="Wire", text=original.text, title="Wire", published="2026-03-05T08:00:00Z"
    )
    stale = Article(id="stale", source="Archive", text=original.text, title="Old", published="2028-06-01")
    ferry = articles[0]
    # A "copy" link of a ferry report to the school fire: followed only while the dates are close.
    far = Article(id="far", source="Wire", text=ferry.text, title="Far", published="2026-05-20T08:00:00Z")
    copies = [Copy("wire", original.id, 1.0), Copy("stale", original.id, 1.0), Copy("far", original.id, 0.9)]
    stories = cluster_articles([*articles, wire, stale, far], copies=copies)
    assert {"wire", original.id} <= story_of(stories, "wire")
    assert story_of(stories, "stale") == {"stale"}  # two years later: its own merits, past the horizon
    assert ferry.id in story_of(stories, "far")  # out of the copy window: scored, joins the ferry


@pytest.fixture
def store(tmp_path: Path) -> Path:
    articles, _ = stream()
    original = articles[3]
    wire = Article(
        id="wire", source="Wire", text=original.text, title=original.title, published="2026-03-05T08:00:00Z"
    )
    reprint = Article(
        id="reprint",
        source="Archive",
        text=original.text,
        title=original.title,
        published="2028-06-01T08:00:00Z",
        url="https://archive.example/old",
    )
    path = tmp_path / "time.db"
    conn = connect(path)
    add_articles(conn, [*articles, wire, reprint])
    conn.close()
    return path


def test_store_run_follows_up_and_flags_a_stale_copy(store: Path) -> None:
    result = CliRunner().invoke(main, ["cluster", "--db", str(store)])
    assert result.exit_code == 0, result.output
    assert "reprint copies" in result.output and "clustered on its own" in result.output
    assert "1 stale copies clustered on their own" in result.output
    conn = sqlite3.connect(store)
    members = dict(conn.execute("SELECT article_id, story_id FROM story_articles"))
    copies = dict(conn.execute("SELECT article_id, original_id FROM copies"))
    assert copies == {"wire": "t3", "reprint": "t3"}  # both are copies...
    assert members["wire"] == members["t3"] != members["reprint"]  # ...one joined, one did not
    assert members["t6"] == members["t0"] == members["t1"] == members["t2"]  # the follow-up
    assert members["t3"] != members["t0"]
    spans = conn.execute("SELECT julianday(last_published) - julianday(first_published) FROM stories")
    assert max(r[0] for r in spans) <= 365


def test_an_older_stores_stories_ask_for_a_rebuild(tmp_path: Path) -> None:
    import zlib

    articles, _ = stream()
    path = tmp_path / "old.db"
    conn = connect(path)
    add_articles(conn, articles[:2])
    run_cluster(conn)
    old_state = zlib.compress(json.dumps({"id": "s-x", "terms": {}}).encode())
    conn.execute("UPDATE stories SET state = ?", (old_state,))
    conn.execute("DELETE FROM state WHERE key = 'cluster.version'")
    conn.close()
    result = CliRunner().invoke(main, ["cluster", "--db", str(path)])
    assert result.exit_code == 2
    assert "--rebuild" in result.output and "Traceback" not in result.output
    again = CliRunner().invoke(main, ["cluster", "--db", str(path), "--rebuild"])
    assert again.exit_code == 0, again.output
