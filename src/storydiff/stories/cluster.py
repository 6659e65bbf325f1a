"""Online story clustering in the spirit of Miranda et al. (EMNLP 2018).

Each article is compared with the stories of its time window that share a top term or a name with it
(inverted index, no all-pairs), joins the best one above a calibrated threshold, or opens a new story.
Stories keep bounded summaries (truncated sparse TF-IDF centroid, entity weights, optional dense
centroid, time span), so the cost per article stays bounded. Feeding the same articles in the same order
gives the same stories: ids derive from the article that opened the story.
"""

from __future__ import annotations

import json
import math
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from storydiff.model import Article, Copy
from storydiff.stories.features import ArticleFeatures, article_features, content_words, cosine, tfidf

ENTITY_PREFIX = "@"  # entities share the document-frequency table with words, under this prefix


@dataclass(slots=True)
class ClusterConfig:
    # Join threshold of the online pass and of refinement. Calibrated on ECB+ halves (bench_stories): fit on
    # topics 19-35 -> 0.26 (0.91 event F1 held out on topics 1-18); fit on 1-18 -> 0.28 (0.90 on 19-35).
    threshold: float = 0.26
    window_days: float = 7.0  # an article may join a story whose time span is within this many days
    w_terms: float = 0.7
    w_entities: float = 0.3
    w_dense: float = 0.0  # > 0 only when embeddings are given
    w_lead: float = 0.0  # names of the title and first words (features.LEAD_ENTITY_WORDS)
    top_terms: int = 300  # centroid terms kept per story
    query_terms: int = 12  # article terms used to find candidate stories
    max_candidates: int = 24
    refine_passes: int = 2  # reassignment passes over the articles a run placed (stories.refine)

    def to_dict(self) -> dict[str, float]:
        return {k: getattr(self, k) for k in self.__slots__}


@dataclass(slots=True)
class StoryState:
    id: str
    created_seq: int
    size: int = 0
    terms: dict[str, float] = field(default_factory=dict)  # summed TF-IDF of members, truncated
    entities: dict[str, float] = field(default_factory=dict)
    dense: np.ndarray | None = None  # summed embeddings
    lead: dict[str, float] = field(default_factory=dict)  # summed TF-IDF of the members' lead names
    first: date | None = None
    last: date | None = None
    title: str | None = None  # the member title closest to the centroid so far
    norms: tuple[float, float] | None = field(default=None, repr=False, compare=False)  # cache, not stored

    def vector_norms(self) -> tuple[float, float]:
        if self.norms is None:
            self.norms = (
                math.sqrt(sum(v * v for v in self.terms.values())),
                math.sqrt(sum(v * v for v in self.entities.values())),
            )
        return self.norms

    def keys(self) -> list[str]:
        return list(self.terms) + [ENTITY_PREFIX + e for e in self.entities]

    def dumps(self) -> bytes:
        data = {
            "id": self.id,
            "created_seq": self.created_seq,
            "size": self.size,
            "terms": self.terms,
            "entities": self.entities,
            "dense": None if self.dense is None else [float(x) for x in self.dense],
            "lead": self.lead,
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
            "title": self.title,
        }
        return zlib.compress(json.dumps(data, sort_keys=True).encode())

    @classmethod
    def loads(cls, blob: bytes) -> StoryState:
        data = json.loads(zlib.decompress(blob))
        return cls(
            id=data["id"],
            created_seq=data["created_seq"],
            size=data["size"],
            terms=data["terms"],
            entities=data["entities"],
            dense=None if data["dense"] is None else np.asarray(data["dense"], dtype=np.float32),
            first=date.fromisoformat(data["first"]) if data["first"] else None,
            last=date.fromisoformat(data["last"]) if data["last"] else None,
            title=data.get("title"),
            lead=data.get("lead") or {},
        )


@dataclass(slots=True)
class Assignment:
    article: str
    story: str
    score: float  # similarity to the story it joined (1.0 for the article that opened it)
    opened: bool
    copy: bool = False


def story_id_for(article_id: str) -> str:
    return f"s-{article_id}"


def _truncate(weights: dict[str, float], k: int) -> dict[str, float]:
    if len(weights) <= k:
        return weights
    top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
    return dict(top)


def with_share(weights: dict[str, float], own: dict[str, float]) -> dict[str, float]:
    """``weights`` plus one article's share (a summed centroid growing)."""
    merged = dict(weights)
    for key, value in own.items():
        merged[key] = merged.get(key, 0.0) + value
    return merged


def without_share(weights: dict[str, float], own: dict[str, float]) -> dict[str, float]:
    """``weights`` without one article's share (what is left of a summed centroid)."""
    return {k: v - own.get(k, 0.0) for k, v in weights.items() if v - own.get(k, 0.0) > 1e-6}


def _rounded(weights: dict[str, float]) -> dict[str, float]:
    # Rounded and key-sorted (as json.dumps(sort_keys=True) stores them) so a story state read back from
    # the store sums in the same order, and so scores exactly like the in-memory one.
    return {k: round(v, 6) for k, v in sorted(weights.items())}


class Clusterer:
    """The online algorithm and its state: document frequencies, stories, inverted index."""

    def __init__(
        self,
        config: ClusterConfig | None = None,
        *,
        df: dict[str, int] | None = None,
        n_docs: int = 0,
        stories: Iterable[StoryState] = (),
    ) -> None:
        self.config = config or ClusterConfig()
        self.df: dict[str, int] = dict(df or {})
        self.n_docs = n_docs
        self.stories: dict[str, StoryState] = {}
        self.index: dict[str, dict[int | None, set[str]]] = {}  # key -> time bucket -> story ids
        self.dirty: set[str] = set()  # stories changed since the caller last saved them
        self.removed: set[str] = set()  # stories emptied by refinement since the caller last saved
        self.df_dirty: set[str] = set()
        for story in stories:
            self.stories[story.id] = story
            self._index(story, (), None)

    # -- scoring
    def _vectors(self, feat: ArticleFeatures) -> tuple[dict[str, float], dict[str, float]]:
        ent_df = {e: self.df.get(ENTITY_PREFIX + e, 0) for e in feat.entities}
        return tfidf(feat.terms, self.df, self.n_docs), tfidf(feat.entities, ent_df, self.n_docs)

    def _lead_vector(self, feat: ArticleFeatures) -> dict[str, float]:
        # Lead names share the entities' document frequencies (they are a subset of the article's names).
        lead_df = {e: self.df.get(ENTITY_PREFIX + e, 0) for e in feat.lead_entities}
        return tfidf(feat.lead_entities, lead_df, self.n_docs)

    def _in_window(self, story: StoryState, day: date | None) -> bool:
        if day is None or story.first is None or story.last is None:
            return True
        window = timedelta(days=self.config.window_days)
        return story.first - window <= day <= story.last + window

    def _bucket(self, day: date) -> int:
        return day.toordinal() // max(1, math.ceil(self.config.window_days))

    def _buckets(self, story: StoryState) -> list[int | None]:
        if story.first is None or story.last is None:
            return [None]
        return list(range(self._bucket(story.first), self._bucket(story.last) + 1))

    def candidates(
        self, terms: dict[str, float], ents: dict[str, float], day: date | None
    ) -> list[StoryState]:
        """Stories sharing a top term or a name with the article, in time buckets around its day.

        Buckets are window-sized, so looking in the article's bucket and its two neighbours covers the
        window without scanning stories of other months; undated stories sit in bucket None.
        """
        top = sorted(terms.items(), key=lambda kv: (-kv[1], kv[0]))[: self.config.query_terms]
        keys = [t for t, _ in top] + [ENTITY_PREFIX + e for e in ents]
        hits: Counter[str] = Counter()
        for key in keys:
            by_bucket = self.index.get(key)
            if not by_bucket:
                continue
            if day is None:
                for postings in by_bucket.values():
                    hits.update(postings)
            else:
                b = self._bucket(day)
                seen: set[str] = set()
                for bucket in (b - 1, b, b + 1, None):
                    seen.update(by_bucket.get(bucket, ()))
                hits.update(seen)
        ranked = sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))
        out = []
        for sid, _ in ranked:
            story = self.stories[sid]
            if self._in_window(story, day):
                out.append(story)
                if len(out) >= self.config.max_candidates:
                    break
        return out

    def score(
        self,
        story: StoryState,
        terms: dict[str, float],
        ents: dict[str, float],
        dense: np.ndarray | None,
        lead: dict[str, float] | None = None,
    ) -> float:
        """Weighted mean of the cosines; a signal the caller does not give (None) is left out."""
        cfg = self.config
        t_norm, e_norm = story.vector_norms()
        parts = [(cfg.w_terms, cosine(terms, story.terms, t_norm))]
        if ents and story.entities:
            parts.append((cfg.w_entities, cosine(ents, story.entities, e_norm)))
        elif ents or story.entities:
            parts.append((cfg.w_entities, 0.0))
        if cfg.w_lead > 0 and lead is not None:
            if lead and story.lead:
                parts.append((cfg.w_lead, cosine(lead, story.lead)))
            elif lead or story.lead:
                parts.append((cfg.w_lead, 0.0))
        if cfg.w_dense > 0 and dense is not None and story.dense is not None:
            norm = float(np.linalg.norm(story.dense)) or 1.0
            parts.append((cfg.w_dense, float(np.dot(dense, story.dense)) / norm))
        total = sum(w for w, _ in parts) or 1.0
        return sum(w * s for w, s in parts) / total

    # -- updating
    def _index(
        self, story: StoryState, old_keys: Iterable[str], old_buckets: list[int | None] | None
    ) -> None:
        new_keys = set(story.keys())
        buckets = self._buckets(story)
        old = set(old_keys)
        # Same buckets: only keys that came or went change; otherwise re-file every key.
        drop, add = (old - new_keys, new_keys - old) if old_buckets == buckets else (old, new_keys)
        for key in drop:
            by_bucket = self.index.get(key, {})
            for bucket in old_buckets or ():
                postings = by_bucket.get(bucket)
                if postings is not None:
                    postings.discard(story.id)
        for key in add:
            by_bucket = self.index.setdefault(key, {})
            for bucket in buckets:
                by_bucket.setdefault(bucket, set()).add(story.id)

    def _absorb(
        self,
        story: StoryState,
        terms: dict[str, float],
        ents: dict[str, float],
        dense: np.ndarray | None,
        lead: dict[str, float] | None = None,
    ) -> None:
        k = self.config.top_terms
        if lead:
            story.lead = _rounded(_truncate(with_share(story.lead, lead), k))
        story.terms = _rounded(_truncate(with_share(story.terms, terms), k))
        story.entities = _rounded(_truncate(with_share(story.entities, ents), k))
        story.norms = None
        if dense is not None:
            story.dense = dense.astype(np.float32) if story.dense is None else story.dense + dense

    def _update(
        self,
        story: StoryState,
        day: date | None,
        vectors: tuple[dict[str, float], dict[str, float], np.ndarray | None]
        | tuple[dict[str, float], dict[str, float], np.ndarray | None, dict[str, float] | None]
        | None,
        title: str = "",
    ) -> None:
        """Add one article to ``story`` (``vectors`` None for a copy: counted, not weighted twice)."""
        old_keys, old_buckets = story.keys(), self._buckets(story) if story.size else []
        if vectors is not None:
            self._absorb(story, *vectors)
        self._widen(story, day)
        # The representative title: the current one or the newcomer's, whichever is closer to the
        # updated centroid (constant work per article, unlike rescoring every member).
        if title and (
            story.title is None or title_score(title, story) > title_score(story.title, story) + 1e-12
        ):
            story.title = title
        self._index(story, old_keys, old_buckets)

    def _widen(self, story: StoryState, day: date | None) -> None:
        story.size += 1
        if day is not None:
            story.first = day if story.first is None else min(story.first, day)
            story.last = day if story.last is None else max(story.last, day)
        self.dirty.add(story.id)

    def _count(self, feat: ArticleFeatures) -> None:
        self.n_docs += 1
        for key in list(feat.terms) + [ENTITY_PREFIX + e for e in feat.entities]:
            self.df[key] = self.df.get(key, 0) + 1
            self.df_dirty.add(key)

    # -- refinement moves (stories.refine): an article with its copies leaves one story for another
    def detach(self, story: StoryState, terms: dict[str, float], ents: dict[str, float], count: int) -> None:
        """Take ``count`` members (one weighted article, its copies) out of ``story``; drop it when empty."""
        old_keys, old_buckets = story.keys(), self._buckets(story)
        story.size -= count
        story.norms = None
        self.dirty.add(story.id)
        if story.size <= 0:
            for key in old_keys:
                for bucket in old_buckets:
                    self.index.get(key, {}).get(bucket, set()).discard(story.id)
            del self.stories[story.id]
            self.dirty.discard(story.id)
            self.removed.add(story.id)
            return
        story.terms = _rounded(without_share(story.terms, terms))
        story.entities = _rounded(without_share(story.entities, ents))
        self._index(story, old_keys, old_buckets)

    def attach(
        self,
        story: StoryState,
        terms: dict[str, float],
        ents: dict[str, float],
        count: int,
        day: date | None,
        title: str = "",
    ) -> None:
        """Put an article with its copies (``count`` members) into ``story``."""
        self._update(story, day, (terms, ents, None), title)
        story.size += count - 1  # _update counted the article itself

    def settle(self, story: StoryState, members: Iterable[tuple[int, date | None, str | None]]) -> None:
        """Time span and title of a story from its members (seq, day, title) after refinement moved some
        (the online pass only ever widens them). The title is the member title closest to the centroid,
        ties to the earliest member."""
        old_keys, old_buckets = story.keys(), self._buckets(story)
        ordered = sorted(members, key=lambda m: m[0])
        days = [d for _, d, _ in ordered if d is not None]
        story.first, story.last = (min(days), max(days)) if days else (None, None)
        best, best_score = None, -1.0
        for _, _, title in ordered:
            if title:
                score = title_score(title, story)
                if score > best_score + 1e-12:
                    best, best_score = title, score
        story.title = best
        self._index(story, old_keys, old_buckets)
        self.dirty.add(story.id)

    def open_story(self, feat: ArticleFeatures) -> StoryState:
        """A new story for an article that fits none: ``s-<article>`` unless that id is still taken (the
        article opened a story online and the others stayed in it)."""
        sid, n = story_id_for(feat.id), 1
        while sid in self.stories:
            n += 1
            sid = f"{story_id_for(feat.id)}-{n}"
        self.removed.discard(sid)
        story = StoryState(id=sid, created_seq=feat.seq)
        self.stories[sid] = story
        return story

    def add(
        self, feat: ArticleFeatures, dense: np.ndarray | None = None, *, join: str | None = None
    ) -> Assignment:
        """Place one article. ``join`` forces a story (a copy joins its original's story)."""
        if join is not None and join in self.stories:
            self._update(self.stories[join], feat.day, None, feat.title)
            return Assignment(feat.id, join, 1.0, opened=False, copy=True)
        terms, ents = self._vectors(feat)
        # Off by default (no gain on ECB+, bench_stories): then story states carry no lead names at all.
        lead = self._lead_vector(feat) if self.config.w_lead > 0 else None
        best: StoryState | None = None
        best_score = -1.0
        for story in self.candidates(terms, ents, feat.day):
            s = self.score(story, terms, ents, dense, lead)
            if s > best_score:  # candidates come in a deterministic order; ties keep the first
                best, best_score = story, s
        self._count(feat)
        if best is not None and best_score >= self.config.threshold:
            self._update(best, feat.day, (terms, ents, dense, lead), feat.title)
            return Assignment(feat.id, best.id, best_score, opened=False)
        story = StoryState(id=story_id_for(feat.id), created_seq=feat.seq)
        self.stories[story.id] = story
        self._update(story, feat.day, (terms, ents, dense, lead), feat.title)
        return Assignment(feat.id, story.id, 1.0, opened=True)


def title_score(title: str, story: StoryState) -> float:
    """Cosine between a title's content words and the story's term centroid."""
    words = Counter(content_words(title))
    vec = {w: 1.0 + math.log(c) for w, c in words.items()}
    vnorm = math.sqrt(sum(v * v for v in vec.values()))
    norm = story.vector_norms()[0]
    if not vnorm or not norm:
        return 0.0
    return sum(v * story.terms.get(w, 0.0) for w, v in vec.items()) / (vnorm * norm)


@dataclass(slots=True)
class Story:
    """A clustered story in memory (the store keeps the same fields in the stories tables)."""

    id: str
    title: str | None
    articles: list[str]
    copies: list[Copy]
    first: date | None
    last: date | None


Embed = Callable[[list[str]], np.ndarray]


def cluster_articles(
    articles: list[Article],
    copies: list[Copy] | None = None,
    config: ClusterConfig | None = None,
    embed: Embed | None = None,
) -> list[Story]:
    """Cluster articles in memory in list order (list order stands in for ingest order).

    The online pass, then ``cfg.refine_passes`` reassignment passes (stories.refine), as a store run does.
    """
    from storydiff.stories.features import lead_text

    cfg = config or ClusterConfig()
    clusterer = Clusterer(cfg)
    copy_of = {c.article: c.original for c in copies or []}
    dense = embed([lead_text(a, 60) for a in articles]) if embed is not None and cfg.w_dense > 0 else None
    where: dict[str, str] = {}
    feats = [article_features(a, i) for i, a in enumerate(articles)]
    # Originals first so a copy listed before its original still finds the original's story.
    order = sorted(range(len(articles)), key=lambda i: (articles[i].id in copy_of, i))
    for i in order:
        original = copy_of.get(articles[i].id)
        vec = None if dense is None else dense[i]
        a = clusterer.add(feats[i], vec, join=where.get(original) if original else None)
        where[a.article] = a.story
    if cfg.refine_passes > 0:
        from storydiff.stories.refine import refine

        # A copy placed with its original moves with it; one whose original is not here was scored itself.
        followers: dict[str, list[str]] = {}
        for i in order:
            original = copy_of.get(articles[i].id)
            if original in where:
                followers.setdefault(original, []).append(articles[i].id)
        following = {c for cs in followers.values() for c in cs}
        result = refine(
            clusterer,
            [feats[i] for i in order if articles[i].id not in following],
            where,
            followers=followers,
        )
        members: dict[str, list[tuple[int, date | None, str | None]]] = {}
        for f in feats:
            if f.id in where and where[f.id] in result.touched:
                members.setdefault(where[f.id], []).append((f.seq, f.day, f.title))
        result.settle(clusterer, members)
    members_of: dict[str, list[int]] = {}
    for i, art in enumerate(articles):
        if art.id in where:
            members_of.setdefault(where[art.id], []).append(i)
    copies_of: dict[str, list[Copy]] = {}
    for c in copies or []:
        if c.article in where:
            copies_of.setdefault(where[c.article], []).append(c)
    stories = []
    for sid, idx in members_of.items():
        state = clusterer.stories.get(sid)
        titles = [feats[i].title for i in idx]
        # The online representative title while its article is still a member, else the opener's.
        title = state.title if state is not None and state.title in titles else titles[0] or None
        days = [d for i in idx if (d := feats[i].day) is not None]
        stories.append(
            Story(
                id=sid,
                title=title,
                articles=[articles[i].id for i in idx],
                copies=copies_of.get(sid, []),
                first=min(days) if days else None,
                last=max(days) if days else None,
            )
        )

    # Stories in the order they were opened (originals before copies, then list order), as online.
    def opened(story: Story) -> tuple[bool, int]:
        return min((articles[i].id in copy_of, i) for i in members_of[story.id])

    return sorted(stories, key=opened)
