"""Refinement: a second look at the articles one clustering run placed online.

The online pass decides each article against stories as they were when it arrived, so its first
articles join before a story's summary has settled, and two events of one topic may fuse through an
early borderline join. Once a chunk of the run's articles is in, each of them is scored again against the
stories' summaries (its own story *without itself*) and moved, with its copies, to the best story above
the threshold, or alone. Moves update the summaries at once. A later pass looks again only at articles
whose own story or best alternative changed in the pass before. ``stories.driver`` calls it for every path
(in memory, ``storydiff cluster``, each Spark block).

Only the articles given are moved: a later run refines its own articles and never moves older work.
The optional dense signal is left out of refinement scores.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from storydiff.stories.cluster import Clusterer, StoryState, Vectors
from storydiff.stories.features import ArticleFeatures


@dataclass(slots=True)
class Refinement:
    moves: dict[str, tuple[str, float]] = field(default_factory=dict)  # article -> (new story, score)
    touched: set[str] = field(default_factory=set)  # surviving stories that gained or lost members

    def settle(self, clusterer: Clusterer, titles: Mapping[str, Iterable[tuple[int, str | None]]]) -> None:
        """Recompute the title of the touched stories from their members' (seq, title)."""
        for sid in sorted(self.touched):
            clusterer.settle(clusterer.stories[sid], titles.get(sid, ()))


def refine(
    clusterer: Clusterer,
    feats: Sequence[ArticleFeatures],
    where: MutableMapping[str, str],
    *,
    followers: Mapping[str, Sequence[str]] | None = None,
    day_of: Callable[[str], date | None] | None = None,
    passes: int | None = None,
) -> Refinement:
    """Reassign the articles ``feats`` (in their order) that the online pass put in ``where``.

    ``where`` (article -> story, may hold other articles too) is updated in place, as are the
    clusterer's stories (``dirty`` / ``removed`` tell the caller what to save). ``followers`` maps an
    article to its copies, which move with it (``day_of`` gives their publication days). The result lists
    the moved articles, copies included, with the story they moved to and their score there, and the
    stories whose title the caller should settle from their members.
    """
    cfg = clusterer.config
    passes = cfg.refine_passes if passes is None else passes
    followers = followers or {}
    # Vectors against the current document frequencies: every article is judged on the same scale.
    vectors = {f.id: clusterer.vectors(f, refining=True) for f in feats if f.id in where}
    result = Refinement()
    looked: dict[str, str | None] = {}  # article -> its best other story in the last pass
    changed: set[str] | None = None  # stories that gained or lost members in the last pass
    for _ in range(passes):
        now_changed: set[str] = set()
        for feat in feats:
            vec = vectors.get(feat.id)
            if vec is None:
                continue
            own = clusterer.stories[where[feat.id]]
            if changed is not None and own.id not in changed and looked.get(feat.id) not in changed:
                continue  # nothing it was judged against has changed
            group = [feat.id, *followers.get(feat.id, ())]
            days = [feat.day, *(day_of(a) if day_of else None for a in group[1:])]
            alone = own.size <= len(group)  # nobody else in its story
            best, best_score, other = _best(clusterer, own, vec, feat, days, alone)
            looked[feat.id] = other
            if best is None or best_score < cfg.threshold:
                if alone:
                    continue
                target = clusterer.open_story(feat)
                best_score = 1.0
            else:
                target = best
            if target.id == own.id:
                continue
            clusterer.leave(own, vec, days, feat.event_dates)
            clusterer.join(target, vec, days, feat.event_dates, feat.title)
            now_changed.update((own.id, target.id))
            result.touched.update((own.id, target.id))
            for aid in group:
                where[aid] = target.id
                result.moves[aid] = (target.id, round(best_score, 6))
        if not now_changed:
            break
        changed = now_changed
    result.touched &= set(clusterer.stories)
    return result


def _best(
    clusterer: Clusterer,
    own: StoryState,
    vec: Vectors,
    feat: ArticleFeatures,
    days: Sequence[date | None],
    alone: bool,
) -> tuple[StoryState | None, float, str | None]:
    """(best story, its score, best story other than its own) for an article and its copies (``days``)."""
    candidates = {s.id: s for s in clusterer.candidates(vec, feat.day, feat.event_dates)}
    candidates.pop(own.id, None)
    others = list(candidates.values())
    if not alone:
        others.insert(0, _without(own, vec, days, feat.event_dates))  # ties keep its own story
    if not others:
        return None, -1.0, None
    scores = clusterer.scores(vec, others, feat.day)
    i = int(scores.argmax())
    best = own if others[i].id == own.id else others[i]
    alternatives = [(s, j) for j, s in enumerate(others) if s.id != own.id]
    other = max(alternatives, key=lambda sj: (scores[sj[1]], -sj[1]))[0].id if alternatives else None
    return best, float(scores[i]), other


def _without(own: StoryState, vec: Vectors, days: Sequence[date | None], events: Iterable[int]) -> StoryState:
    """The rest of an article's story: scored against, an article always matches its own share."""
    rest = StoryState(
        id=own.id,
        created_seq=own.created_seq,
        terms=own.terms.minus(vec.terms),
        entities=own.entities.minus(vec.entities),
        values=own.values.minus(vec.values),
        lead=own.lead.minus(vec.lead),
        days=dict(own.days),
        events=dict(own.events),
    )
    for day in days:
        rest.add_day(day, -1)
    rest.add_events(events, -1)
    return rest
