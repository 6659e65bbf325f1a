"""The batch refinement pass over the online clustering, and lead names, on fictional events."""

from __future__ import annotations

import json
from pathlib import Path

from storydiff.model import Article, Copy, article_id
from storydiff.stories.cluster import ClusterConfig, Clusterer, StoryState, cluster_articles, story_id_for
from storydiff.stories.features import article_features
from storydiff.stories.refine import refine

FIXTURES = Path(__file__).parent / "fixtures" / "stories"


def load() -> tuple[list[Article], dict[str, str]]:
    articles, gold = [], {}
    for rec in json.loads((FIXTURES / "articles.json").read_text()):
        aid = article_id(rec["text"], source=rec["source"])
        articles.append(
            Article(
                id=aid, source=rec["source"], text=rec["text"], title=rec["title"], published=rec["published"]
            )
        )
        gold[aid] = rec["event"]
    return articles, gold


def online(articles: list[Article]) -> tuple[Clusterer, list, dict[str, str]]:
    clusterer = Clusterer(ClusterConfig())
    feats = [article_features(a, i) for i, a in enumerate(articles)]
    where = {f.id: clusterer.add(f).story for f in feats}
    return clusterer, feats, where


def by_event(where: dict[str, str], gold: dict[str, str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for aid, sid in where.items():
        out.setdefault(gold[aid], set()).add(sid)
    return out


def _misplace(clusterer: Clusterer, feats: list, where: dict[str, str], aid: str, story: str) -> None:
    """Move ``aid`` into ``story`` as an early bad online join would have put it."""
    feat = next(f for f in feats if f.id == aid)
    vec = clusterer.vectors(feat)
    clusterer.leave(clusterer.stories[where[aid]], vec, [feat.day], feat.event_dates)
    clusterer.join(clusterer.stories[story], vec, [feat.day], feat.event_dates, feat.title)
    where[aid] = story


def test_refine_moves_a_misplaced_article_back_to_its_event() -> None:
    articles, gold = load()
    clusterer, feats, where = online(articles)
    assert all(len(s) == 1 for s in by_event(where, gold).values())  # the online pass is right here
    right = dict(where)
    # Misplace the last hotel-fire article into the depot-fire story.
    hotel = [a.id for a in articles if gold[a.id] == "kestrelford-fire"][-1]
    depot_story = where[next(a.id for a in articles if gold[a.id] == "brindlemoor-fire")]
    hotel_story = where[hotel]
    _misplace(clusterer, feats, where, hotel, depot_story)
    sizes = {sid: s.size for sid, s in clusterer.stories.items()}
    result = refine(clusterer, feats, where, passes=2)
    assert result.moves == {hotel: (hotel_story, result.moves[hotel][1])}
    assert result.moves[hotel][1] >= clusterer.config.threshold
    assert where == right and result.touched == {hotel_story, depot_story}
    assert clusterer.stories[hotel_story].size == sizes[hotel_story] + 1
    assert clusterer.stories[depot_story].size == sizes[depot_story] - 1


def test_refine_sends_an_unrelated_article_alone_and_empties_nothing_else() -> None:
    articles, gold = load()
    odd = Article(
        id="odd",
        source="Gazette",
        title="Orchard society elects treasurer",
        text="The Pellworth orchard society elected a new treasurer at its annual meeting on Tuesday.",
        published="2026-03-04",
    )
    clusterer, feats, where = online([*articles, odd])
    flood_story = where[next(a.id for a in articles if gold[a.id] == "varnholt-flood")]
    _misplace(clusterer, feats, where, "odd", flood_story)
    assert story_id_for("odd") in clusterer.removed  # its own story emptied
    clusterer.removed.clear()
    result = refine(clusterer, feats, where, passes=2)
    assert where["odd"] == story_id_for("odd") and result.moves["odd"] == (story_id_for("odd"), 1.0)
    assert clusterer.stories[story_id_for("odd")].size == 1 and not clusterer.removed
    assert all(len(s) == 1 for s in by_event({a: where[a] for a in gold}, gold).values())


def test_an_article_leaving_the_story_it_opened_gets_a_fresh_id() -> None:
    articles, _ = load()
    odd = Article(
        id="odd",
        source="Gazette",
        title="Orchard society elects treasurer",
        text="The Pellworth orchard society elected a new treasurer at its annual meeting on Tuesday.",
        published="2026-03-04",
    )
    clusterer, feats, where = online([odd, *articles])
    # The flood articles all landed in the story 'odd' opened: 'odd' leaves, the others keep the id.
    for f in feats[1:]:
        if f.entities.get("@varnholt"):
            _misplace(clusterer, feats, where, f.id, story_id_for("odd"))
    refine(clusterer, feats, where, passes=2)
    assert where["odd"] == story_id_for("odd") + "-2"
    flood = {where[f.id] for f in feats[1:] if f.entities.get("@varnholt")}
    assert flood == {story_id_for("odd")} or len(flood) == 1


def test_copies_follow_their_original_through_refinement() -> None:
    articles, gold = load()
    copy = Article(id="copy", source="Wire", text=articles[0].text, title="Wire copy", published="2026-03-05")
    stories = cluster_articles([copy, *articles], copies=[Copy("copy", articles[0].id, 1.0)])
    home = next(s for s in stories if articles[0].id in s.articles)
    assert "copy" in home.articles and [c.article for c in home.copies] == ["copy"]
    assert home.id == story_id_for(articles[0].id)  # the original opened it, not the copy listed first


def test_refined_clustering_recovers_the_gold_events_in_any_order() -> None:
    articles, gold = load()
    for order in (articles, articles[::-1], articles[1::2] + articles[::2]):
        stories = cluster_articles(order)
        got = {frozenset(s.articles) for s in stories}
        want: dict[str, set[str]] = {}
        for aid, event in gold.items():
            want.setdefault(event, set()).add(aid)
        assert got == {frozenset(g) for g in want.values()}


def test_lead_names_are_features_and_survive_the_story_state_round_trip() -> None:
    articles, _ = load()
    feat = article_features(articles[0], 0, lead_names=True)
    assert feat.lead_entities.get("@brindlemoor") > 0
    assert not article_features(articles[0], 0).lead_entities  # only computed when used
    cfg = ClusterConfig(w_lead=0.2)
    clusterer = Clusterer(cfg)
    for i, a in enumerate(articles):
        clusterer.add(article_features(a, i, lead_names=True))
    state = next(s for s in clusterer.stories.values() if s.lead.get("@brindlemoor"))
    back = StoryState.loads(state.dumps())
    assert back.lead == state.lead and back.keys == state.keys and back.days == state.days
    vec = clusterer.vectors(feat)
    assert clusterer.scores(vec, [back], feat.day)[0] == clusterer.scores(vec, [state], feat.day)[0]
    # Without the lead channel (its weight 0) the score leaves the signal out instead of counting it 0.
    plain = Clusterer(ClusterConfig())
    assert (
        plain.scores(plain.vectors(feat), [state], feat.day)[0] != clusterer.scores(vec, [state], feat.day)[0]
    )
