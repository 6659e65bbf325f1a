"""Online story clustering in the spirit of Miranda et al. (EMNLP 2018), with time as a decay.

Each article is compared with the stories that share a top term or a name with it (inverted index by time
bucket, no all-pairs) and joins the best one whose similarity, less a penalty growing with the log of the
time between the article and the story's nearest member, passes the threshold; otherwise it opens a new
story. The similarity is a weighted mean of cosines over channels: content words, names, values (numbers,
dates referred to), optionally lead names and dense embeddings. Stories keep bounded summaries (summed
TF-IDF vectors truncated per channel, member days, referred event dates), so the cost per article stays
bounded. The same articles in the same order give the same stories: ids derive from the article that
opened the story, and scores are reproduced exactly from a stored summary (stories.vectors).

``stories.driver`` runs the online pass and the refinement over this state for every path.
"""

from __future__ import annotations

import bisect
import json
import struct
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Protocol

import numpy as np

from storydiff.model import Article, Copy
from storydiff.stories.config import ClusterConfig
from storydiff.stories.features import ArticleFeatures, article_features, title_vector
from storydiff.stories.index import StoryIndex
from storydiff.stories.vectors import DocFreq, Packed, SparseVec, channel_cosines, tfidf_many

if TYPE_CHECKING:
    from storydiff.stories.driver import Driver

__all__ = [
    "Assignment",
    "ClusterConfig",
    "Clusterer",
    "Story",
    "StoryState",
    "Vectors",
    "cluster_articles",
    "story_id_for",
    "title_score",
]

STATE_VERSION = 2  # summaries keyed by stable ids with member days (1: JSON of words, before time decay)
CHANNELS = ("terms", "entities", "values", "lead")  # sparse channels, in the order a state stores them
_MAGIC = b"SDS2"  # a stored story state starts with this (then the header's length, header, channels)


@dataclass(slots=True)
class Vectors:
    """An article's TF-IDF vectors (unit length per channel) and optional dense embedding."""

    terms: SparseVec
    entities: SparseVec
    values: SparseVec
    lead: SparseVec
    dense: np.ndarray | None = None
    _packed: Packed | None = field(default=None, repr=False, compare=False)

    def packed(self) -> Packed:
        if self._packed is None:
            self._packed = Packed([getattr(self, c) for c in CHANNELS], sort=True)
        return self._packed


@dataclass(slots=True)
class StoryState:
    id: str
    created_seq: int
    size: int = 0
    terms: SparseVec = field(default_factory=SparseVec)  # summed TF-IDF of members, truncated
    entities: SparseVec = field(default_factory=SparseVec)
    values: SparseVec = field(default_factory=SparseVec)
    lead: SparseVec = field(default_factory=SparseVec)  # summed TF-IDF of the members' lead names
    dense: np.ndarray | None = None  # summed embeddings
    days: dict[int, int] = field(default_factory=dict)  # day ordinal -> dated members published that day
    events: dict[int, int] = field(default_factory=dict)  # full dates referred to -> members referring
    title: str | None = None  # the member title closest to the centroid so far
    keys: list[int] = field(default_factory=list)  # the keys the candidate index files it under
    _sorted: list[int] | None = field(default=None, repr=False, compare=False)  # cache of sorted days
    _packed: Packed | None = field(default=None, repr=False, compare=False)  # cache of the channels

    def packed(self) -> Packed:
        if self._packed is None:
            self._packed = Packed([getattr(self, c) for c in CHANNELS])
        return self._packed

    @property
    def first(self) -> date | None:
        ordered = self.sorted_days()
        return date.fromordinal(ordered[0]) if ordered else None

    @property
    def last(self) -> date | None:
        ordered = self.sorted_days()
        return date.fromordinal(ordered[-1]) if ordered else None

    def sorted_days(self) -> list[int]:
        if self._sorted is None:
            self._sorted = sorted(self.days)
        return self._sorted

    def gap(self, day: date | None) -> float | None:
        """Days from ``day`` to the nearest member's day (None when either is undated)."""
        ordered = self.sorted_days()
        if day is None or not ordered:
            return None
        x = day.toordinal()
        i = bisect.bisect_left(ordered, x)
        near = [abs(ordered[j] - x) for j in (i - 1, i) if 0 <= j < len(ordered)]
        return float(min(near))

    def add_day(self, day: date | None, n: int = 1) -> None:
        if day is None:
            return
        key = day.toordinal()
        left = self.days.get(key, 0) + n
        if left > 0:
            self.days[key] = left
        else:
            self.days.pop(key, None)
        self._sorted = None

    def add_events(self, events: Iterable[int], n: int = 1) -> None:
        for key in events:
            left = self.events.get(key, 0) + n
            if left > 0:
                self.events[key] = left
            else:
                self.events.pop(key, None)

    def dumps(self) -> bytes:
        header = {
            "v": STATE_VERSION,
            "id": self.id,
            "created_seq": self.created_seq,
            "size": self.size,
            "title": self.title,
            "days": sorted(self.days.items()),
            "events": sorted(self.events.items()),
            "dense": None if self.dense is None else [float(x) for x in self.dense],
            "lengths": [len(getattr(self, c)) for c in CHANNELS],
            "keys": self.keys,
        }
        head = json.dumps(header, sort_keys=True).encode()
        body = b"".join(getattr(self, c).to_bytes() for c in CHANNELS)
        # Level 1: the float arrays hardly compress (level 6 saves under 1% more at a third more time).
        return zlib.compress(_MAGIC + struct.pack("<I", len(head)) + head + body, 1)

    @classmethod
    def loads(cls, blob: bytes) -> StoryState:
        raw = zlib.decompress(blob)
        if not raw.startswith(_MAGIC):  # version 1 was JSON of words: its store must be clustered again
            raise ValueError("story state from an older storydiff (run 'storydiff cluster --rebuild')")
        (n,) = struct.unpack_from("<I", raw, len(_MAGIC))
        start = len(_MAGIC) + 4
        header = json.loads(raw[start : start + n])
        state = cls(
            id=header["id"],
            created_seq=header["created_seq"],
            size=header["size"],
            title=header["title"],
            days={int(k): int(v) for k, v in header["days"]},
            events={int(k): int(v) for k, v in header["events"]},
            dense=None if header["dense"] is None else np.asarray(header["dense"], dtype=np.float32),
            keys=header["keys"],
        )
        offset = start + n
        for channel, length in zip(CHANNELS, header["lengths"], strict=True):
            setattr(state, channel, SparseVec.from_bytes(raw[offset : offset + 16 * length]))
            offset += 16 * length
        return state


@dataclass(slots=True)
class Assignment:
    article: str
    story: str
    score: float  # similarity to the story it joined, after the time penalty (1.0 for an opener)
    opened: bool
    copy: bool = False  # joined its original's story without being scored
    stale_copy: bool = False  # a copy of an article over stale_copy_days older: clustered on its merits


def absorb(story: StoryState, vec: Vectors, sign: int, config: ClusterConfig) -> None:
    """Add (+1) or take out (-1) one share of every channel of a summed centroid; sums stay bounded to
    their heaviest weights (``top_terms`` / ``top_names`` / ``top_values``) and rounded, as stored."""
    for name, keep in zip(CHANNELS, config.kept(), strict=True):
        share: SparseVec = getattr(vec, name)
        if not share:
            continue
        now: SparseVec = getattr(story, name)
        setattr(story, name, now.plus(share).top(keep).rounded() if sign > 0 else now.minus(share).rounded())
        story._packed = None
    if vec.dense is not None:
        if sign > 0:
            story.dense = vec.dense.astype(np.float32) if story.dense is None else story.dense + vec.dense
        elif story.dense is not None:
            story.dense = story.dense - vec.dense


def index_keys(story: StoryState, k: int) -> list[int]:
    """The keys a story is findable through: its ``k`` heaviest content words and names."""
    return sorted(set(story.terms.heaviest(k).tolist()) | set(story.entities.heaviest(k).tolist()))


def merged(states: Iterable[StoryState], config: ClusterConfig) -> StoryState:
    """One summary for stories merged into one (Spark, across time blocks): summed channels bounded as the
    clusterer bounds them, member days and events together, the earliest-opened story's id; the title is
    the parts' title closest to the merged centroid (ties to the earliest story)."""
    parts = sorted(states, key=lambda s: (s.created_seq, s.id))
    out = StoryState(id=parts[0].id, created_seq=parts[0].created_seq)
    for part in parts:
        absorb(out, Vectors(part.terms, part.entities, part.values, part.lead, part.dense), +1, config)
        out.size += part.size
        for day, n in part.days.items():
            out.days[day] = out.days.get(day, 0) + n
        out.add_events(part.events)  # one count per story referring: enough for the horizon rule
    out._sorted = None
    out.keys = index_keys(out, config.index_keys)
    best = -1.0
    for part in parts:
        if part.title and title_score(part.title, out) > best + 1e-12:
            out.title, best = part.title, title_score(part.title, out)
    return out


def story_id_for(article_id: str) -> str:
    return f"s-{article_id}"


def title_score(title: str, story: StoryState) -> float:
    """Cosine between a title's content words and the story's term centroid."""
    norm = story.terms.norm
    return title_vector(title).dot(story.terms) / norm if norm else 0.0


class DocFrequencies(Protocol):
    """Where the TF-IDF weights of an article come from: (df by key id, number of documents)."""

    def __call__(self, feat: ArticleFeatures, refining: bool) -> tuple[Mapping[int, int], int]: ...


class Clusterer:
    """The online algorithm and its state: document frequencies, stories, inverted index.

    ``doc_freq`` replaces the running document frequencies (the Spark engine gives each article the
    frequencies the local engine would have seen at that point of the stream)."""

    def __init__(
        self,
        config: ClusterConfig | None = None,
        *,
        df: dict[int, int] | None = None,
        n_docs: int = 0,
        stories: Iterable[StoryState] = (),
        doc_freq: DocFrequencies | None = None,
    ) -> None:
        self.config = config or ClusterConfig()
        self.df = DocFreq(df)
        self.n_docs = n_docs
        self.doc_freq = doc_freq
        self.stories: dict[str, StoryState] = {}
        self.index = StoryIndex(self.config)
        self.dirty: set[str] = set()  # stories changed since the caller last saved them
        self.removed: set[str] = set()  # stories emptied by refinement since the caller last saved
        self.df_dirty: list[np.ndarray] = []  # keys counted since the caller last saved them
        for story in stories:
            self.stories[story.id] = story
            self._file(story)

    # -- vectors
    def vectors(
        self, feat: ArticleFeatures, dense: np.ndarray | None = None, *, refining: bool = False
    ) -> Vectors:
        df, n = self.doc_freq(feat, refining) if self.doc_freq else (self.df, self.n_docs)
        lead = feat.lead_entities if self.config.w_lead > 0 else SparseVec()
        terms, entities, values, lead = tfidf_many([feat.terms, feat.entities, feat.values, lead], df, n)
        return Vectors(terms, entities, values, lead, dense)

    def _count(self, feat: ArticleFeatures) -> None:
        self.n_docs += 1
        ids = np.concatenate((feat.terms.ids, feat.entities.ids, feat.values.ids))
        self.df.add(ids)
        self.df_dirty.append(ids)

    # -- the candidate index (stories.index)
    def _file(
        self,
        story: StoryState,
        events_before: Iterable[int] = (),
        *,
        rekey: bool = False,
        added: Sequence[date | None] | None = None,
    ) -> None:
        """File a story in the index (stories.index) under its ``keys``, recomputed as its heaviest keys on
        ``rekey``; its buckets always follow its members' days."""
        alive = story.id in self.stories
        if alive and rekey:
            story.keys = index_keys(story, self.config.index_keys)
        # Unless the same keys gain days in buckets it is filed in already (most joins), file it anew.
        if rekey or not alive or added is None or not self.index.covers(story.id, added):
            self.index.file(story.id, frozenset(story.keys) if alive else frozenset(), story.days)
        if events_before or story.events:
            self.index.file_events(story.id, events_before, story.events if alive else ())

    def candidates(self, vec: Vectors, day: date | None, event_dates: Iterable[int] = ()) -> list[StoryState]:
        """Stories worth scoring, most shared keys first (stories.index): near ones through the article's top
        terms and names, further ones up to the horizon through its rarest names. A story the article would
        stretch past ``horizon_days`` is no candidate unless both refer to the same full date."""
        cfg = self.config
        events = frozenset(event_dates)
        ranked = self.index.lookup(
            vec.terms.heaviest(cfg.query_terms).tolist(),
            vec.entities.heaviest(cfg.query_names).tolist(),
            day,
            events,
        )
        out = []
        for sid in ranked:
            story = self.stories[sid]
            if self.fits(story, day, events):
                out.append(story)
                if len(out) >= cfg.max_candidates:
                    break
        return out

    def fits(self, story: StoryState, day: date | None, events: frozenset[int] = frozenset()) -> bool:
        """Whether an article of ``day`` may join ``story`` without stretching it past the horizon (a story
        spans more than ``horizon_days`` only when its articles refer to the same full date)."""
        ordered = story.sorted_days()
        if day is None or not ordered:
            return True
        x = day.toordinal()
        if max(ordered[-1], x) - min(ordered[0], x) <= self.config.horizon_days:
            return True
        return not events.isdisjoint(story.events)

    # -- scoring
    def scores(self, vec: Vectors, stories: Sequence[StoryState], day: date | None) -> np.ndarray:
        """Similarity of an article to each story: the weighted mean of the channel cosines over the channels
        either side has (terms always; dense when both have it), less the time penalty."""
        if not stories:
            return np.zeros(0)
        cfg = self.config
        weights = np.array((cfg.w_terms, cfg.w_entities, cfg.w_values, cfg.w_lead))
        own = vec.packed()
        packs = [s.packed() for s in stories]
        norms = np.stack([p.norms for p in packs])
        cos = channel_cosines(own, packs, norms)
        present = norms > 0
        present |= own.norms > 0
        present[:, 0] = True
        weight = present * weights
        total = (cos * weight).sum(axis=1)
        weight_sum = weight.sum(axis=1)
        if cfg.w_dense > 0 and vec.dense is not None:
            for i, story in enumerate(stories):
                if story.dense is not None:
                    norm = float(np.linalg.norm(story.dense)) or 1.0
                    total[i] += cfg.w_dense * float(np.dot(vec.dense, story.dense)) / norm
                    weight_sum[i] += cfg.w_dense
        score = np.divide(total, weight_sum, out=np.zeros_like(total), where=weight_sum > 0)
        if day is not None:
            # Past the horizon only stories referring to the article's own date are candidates: the date
            # explains the gap, which is charged as the horizon.
            score -= np.fromiter(
                (cfg.penalty(min(gap, cfg.horizon_days)) if (gap := s.gap(day)) else 0.0 for s in stories),
                dtype=np.float64,
                count=len(stories),
            )
        return score

    def best(
        self, vec: Vectors, stories: Sequence[StoryState], day: date | None
    ) -> tuple[StoryState | None, float]:
        """The best-scoring story (ties keep the first: candidates come in a deterministic order).

        The candidates sharing most keys are scored first; the rest only when none of those is a clear
        match (``sure_margin`` over the threshold)."""
        if not stories:
            return None, -1.0
        cfg = self.config
        first = max(1, cfg.max_candidates // 2)
        scores = self.scores(vec, stories[:first], day)
        if len(stories) > first and scores.max() < cfg.threshold + cfg.sure_margin:
            scores = np.concatenate((scores, self.scores(vec, stories[first:], day)))
        i = int(np.argmax(scores))
        return stories[i], float(scores[i])

    # -- updating
    def _changed(
        self, story: StoryState, events_before: Iterable[int], added: Sequence[date | None] | None = None
    ) -> None:
        # A growing story's heaviest keys settle: they are looked at again each time its size doubles (the
        # buckets of its days are kept exact on every change). Measured the same on ECB+ as every time.
        size = story.size
        self._file(story, events_before, rekey=size & (size - 1) == 0, added=added)
        self.dirty.add(story.id)

    def _consider_title(self, story: StoryState, title: str) -> None:
        # The representative title: the current one or the newcomer's, whichever is closer to the updated
        # centroid (constant work per article, unlike rescoring every member); looked at while the story
        # is small and each time its size doubles, as its index keys are (refinement settles titles anew).
        size = story.size
        if title and (
            story.title is None
            or (size <= 8 or size & (size - 1) == 0)
            and title_score(title, story) > title_score(story.title, story) + 1e-12
        ):
            story.title = title

    def join(
        self,
        story: StoryState,
        vec: Vectors | None,
        days: Sequence[date | None],
        events: Iterable[int] = (),
        title: str = "",
    ) -> None:
        """Add members to ``story``: one weighted article (``vec``; None for a copy, which is counted, not
        weighted twice) and the days of every member that comes with it (its copies)."""
        before = list(story.events)
        if vec is not None:
            absorb(story, vec, +1, self.config)
            story.add_events(events)
        story.size += len(days)
        for day in days:
            story.add_day(day)
        self._consider_title(story, title)
        self._changed(story, before, days)

    def leave(
        self, story: StoryState, vec: Vectors, days: Sequence[date | None], events: Iterable[int] = ()
    ) -> None:
        """Take one weighted article and its copies (``days``) out of ``story``; drop the story when empty."""
        before = list(story.events)
        story.size -= len(days)
        if story.size <= 0:
            del self.stories[story.id]
            self._changed(story, before)
            self.dirty.discard(story.id)
            self.removed.add(story.id)
            return
        absorb(story, vec, -1, self.config)
        story.add_events(events, -1)
        for day in days:
            story.add_day(day, -1)
        self._changed(story, before)

    def settle(self, story: StoryState, titles: Iterable[tuple[int, str | None]]) -> None:
        """The title of a story from its members (seq, title) after refinement moved some: the member title
        closest to the centroid, ties to the earliest member."""
        best, best_score = None, -1.0
        for _, title in sorted(titles, key=lambda m: m[0]):
            if title:
                score = title_score(title, story)
                if score > best_score + 1e-12:
                    best, best_score = title, score
        story.title = best
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
        """Place one article. ``join`` forces a story (a copy joins its original's story; "" opens one for
        a copy whose original's story is elsewhere, unscored and uncounted as a copy)."""
        if join is not None and join in self.stories:
            self.join(self.stories[join], None, [feat.day], title=feat.title)
            return Assignment(feat.id, join, 1.0, opened=False, copy=True)
        if join == "":
            story = self.open_story(feat)
            self.join(story, None, [feat.day], title=feat.title)
            return Assignment(feat.id, story.id, 1.0, opened=True, copy=True)
        vec = self.vectors(feat, dense)
        best, score = self.best(vec, self.candidates(vec, feat.day, feat.event_dates), feat.day)
        self._count(feat)
        if best is not None and score >= self.config.threshold:
            self.join(best, vec, [feat.day], feat.event_dates, feat.title)
            return Assignment(feat.id, best.id, score, opened=False)
        story = self.open_story(feat)
        self.join(story, vec, [feat.day], feat.event_dates, feat.title)
        return Assignment(feat.id, story.id, 1.0, opened=True)


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


def place_all(
    feats: Sequence[ArticleFeatures],
    copy_of: dict[str, str],
    config: ClusterConfig,
    dense: np.ndarray | None = None,
) -> Driver:
    """The in-memory run: every article through one driver in list order (originals before their copies,
    so a copy listed first still finds its original's story), refined every ``refine_chunk`` articles and
    at the end. Returns the driver (its ``where`` holds the stories)."""
    from storydiff.stories.driver import Driver

    by_id = {f.id: f for f in feats}
    driver = Driver(
        Clusterer(config), copy_of=copy_of, members=lambda ids: {i: by_id[i] for i in ids if i in by_id}
    )
    for i in sorted(range(len(feats)), key=lambda i: (feats[i].id in copy_of, i)):
        original = copy_of.get(feats[i].id)
        day = by_id[original].day if original in by_id else None
        driver.place(feats[i], original, day, None if dense is None else dense[i])
        if driver.due:
            driver.refine()
    driver.refine()
    return driver


def cluster_articles(
    articles: list[Article],
    copies: list[Copy] | None = None,
    config: ClusterConfig | None = None,
    embed: Embed | None = None,
) -> list[Story]:
    """Cluster articles in memory in list order (list order stands in for ingest order): the online pass
    and refinement (stories.driver), as a store run does. ``copies`` join their original's story when
    published within ``copy_window_days`` of it (originals are placed first)."""
    from storydiff.stories.features import lead_text

    cfg = config or ClusterConfig()
    copy_of = {c.article: c.original for c in copies or []}
    dense = embed([lead_text(a, 60) for a in articles]) if embed is not None and cfg.w_dense > 0 else None
    feats = [article_features(a, i, lead_names=cfg.w_lead > 0) for i, a in enumerate(articles)]
    driver = place_all(feats, copy_of, cfg, dense)
    where = driver.where
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
        state = driver.clusterer.stories.get(sid)
        titles = [feats[i].title for i in idx]
        # The representative title while its article is still a member, else the opener's.
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
