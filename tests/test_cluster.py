"""Online story clustering on fictional events (tests/fixtures/stories)."""

from __future__ import annotations

import json
from pathlib import Path

from storydiff.model import Article, Copy, article_id
from storydiff.stories.cluster import ClusterConfig, Clusterer, StoryState, cluster_articles
from storydiff.stories.features import article_features, capitalised_phrases, content_words

FIXTURES = Path(__file__).parent / "fixtures" / "stories"


def load(name: str) -> tuple[list[Article], dict[str, str]]:
    articles, gold = [], {}
    for rec in json.loads((FIXTURES / name).read_text()):
        aid = article_id(rec["text"], source=rec["source"])
        articles.append(
            Article(
                id=aid, source=rec["source"], text=rec["text"], title=rec["title"], published=rec["published"]
            )
        )
        gold[aid] = rec["event"]
    return articles, gold


def partition(stories: list) -> set[frozenset[str]]:
    return {frozenset(s.articles) for s in stories}


def gold_partition(gold: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for aid, event in gold.items():
        groups.setdefault(event, set()).add(aid)
    return {frozenset(g) for g in groups.values()}


def test_features_pick_names_and_content_words() -> None:
    names = capitalised_phrases(
        "The Brindlemoor fire chief Odile Marchetti spoke. After that, Tanner Street closed."
    )
    assert "odile marchetti" in names and "tanner street" in names
    assert "the" not in names and "after" not in names
    assert content_words("The fire was in the depot") == ["fire", "depot"]


def test_two_fires_in_two_towns_are_two_stories() -> None:
    articles, gold = load("articles.json")
    stories = cluster_articles(articles)
    assert partition(stories) == gold_partition(gold)


def test_no_story_spans_more_than_the_horizon_without_a_shared_date() -> None:
    articles, _ = load("articles.json")
    fire = [a for a in articles if "Brindlemoor" in a.text]
    # The same text published two years later: far past the horizon, a story of its own.
    late = Article(id="late", source="Other", text=fire[0].text, title=fire[0].title, published="2028-03-20")
    stories = cluster_articles([*fire, late])
    assert partition(stories) == {frozenset(a.id for a in fire), frozenset({"late"})}
    # A horizon wider than the gap lets the decayed similarity decide: the same words join.
    wide = cluster_articles([*fire, late], config=ClusterConfig(horizon_days=800))
    assert partition(wide) == {frozenset(a.id for a in [*fire, late])}


def test_deterministic_ids_and_titles() -> None:
    articles, _ = load("articles.json")
    a = cluster_articles(articles)
    b = cluster_articles(list(articles))
    assert [(s.id, s.title, s.articles) for s in a] == [(s.id, s.title, s.articles) for s in b]
    # A story's id derives from the article that opened it.
    for story in a:
        assert story.id == f"s-{story.articles[0]}"
        assert story.title in {x.title for x in articles if x.id in story.articles}


def test_copy_joins_its_originals_story() -> None:
    articles, _ = load("articles.json")
    # An unrelated text forced in as a "copy" must follow its original, not the similarity.
    odd = Article(
        id="odd",
        source="Wire",
        text="Completely different words about a chess final in Lumora.",
        title="Chess",
    )
    stories = cluster_articles([*articles, odd], copies=[Copy("odd", articles[0].id, 0.9)])
    home = next(s for s in stories if "odd" in s.articles)
    assert articles[0].id in home.articles
    assert home.copies == [Copy("odd", articles[0].id, 0.9)]


def test_article_without_date_or_title_still_clusters() -> None:
    articles, _ = load("articles.json")
    first = articles[0]
    bare = Article(id="bare", source="Blog", text=articles[1].text)  # no title, no date
    stories = cluster_articles([first, bare])
    assert partition(stories) == {frozenset({first.id, "bare"})}


def test_story_state_round_trip_scores_identically() -> None:
    articles, _ = load("articles.json")
    c = Clusterer()
    for i, a in enumerate(articles[:3]):
        c.add(article_features(a, i))
    state = next(iter(c.stories.values()))
    back = StoryState.loads(state.dumps())
    assert back.terms == state.terms and back.entities == state.entities and back.first == state.first
