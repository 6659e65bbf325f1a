"""The same-fact judge: for two statements of different articles, the probability that they state the
same fact (agreeing or not), from similarity and structure.

Signals (``FEATURES``): the MiniLM cosine of the two statements; their content lemmas (Jaccard, overlap
coefficient, and an overlap weighted by how rare each lemma is in the story, so that sharing "Dargahan"
counts more than sharing "quake"); a shared number, a shared named entity, the same main predicate, a
count of the same event role (dead, injured: the value may differ, the fact is the same); and what speaks
against one fact: statements about different events (``events.py``: this quake of 5.6 on Sunday, another
of 6.1 in September), different subjects, very different lengths. An attribution frame ("the governor
said") is never judged against a claim. A logistic regression over the signals is fitted by ``bench/bench_judge.py --fit`` on the development stories with answers (leave-one-story-out
there) and shipped as ``JudgeConfig.weights``.

Values are not part of "same fact": "12 dead" and "14 dead" are one fact reported differently (the
conflict checks compare them); what a statement says about the fact's status (asserted, hedged, denied)
is read separately (``stance.py``), and similarity is taken on the proposition without its stance words.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

from storydiff.analyse import events
from storydiff.analyse.numbers import EVENT_ROLES
from storydiff.lexicon import DIGITS, LETTER_WORD, NUMBER_WORDS, REPORTING_LEMMAS, STOP_WORDS, words
from storydiff.model import Doc, Statement

FEATURES = (
    "cosine",
    "jaccard",
    "overlap",
    "rare_overlap",
    "shared_number",
    "shared_entity",
    "same_predicate",
    "same_event_role",
    "other_event",
    "headline",
    "length_ratio",
    "best_match",
    "mutual_best",
    "entity_jaccard",
    "same_subject",
    "other_subject",
    "rare_jaccard",
)
_CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "ADV", "NUM"})
# Reporting and light verbs say how a fact is told, not which fact it is.
_LIGHT_LEMMAS = REPORTING_LEMMAS | words(
    "be have do get make go also still just even only now then there here"
)
_NOT_ENTITIES = frozenset({"CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY", "DATE", "TIME"})


@dataclass
class JudgeConfig:
    # Logistic regression over FEATURES (order as there), balanced classes, fitted by
    # `python bench/bench_judge.py --fit` on the development stories (../shared/data/story-gold and
    # bench/story-gold, held-out stories excluded); leave-one-story-out figures are printed there.
    weights: tuple[float, ...] = (
        0.522,
        0.645,
        0.619,
        2.964,
        1.953,
        0.091,
        0.847,
        -0.329,
        0.056,
        -0.106,
        0.519,
        0.877,
        1.177,
        0.143,
        -0.069,
        0.110,
        1.845,
    )
    bias: float = -2.757
    # Candidates: per statement and other article, its closest statements there, from this cosine (no
    # shared fact of the development stories' answers was found below it); pairs sharing two rare lemmas
    # are judged whatever their cosine. A fact is stated once or twice per article: a few closest are enough,
    # and they bound the work on big stories.
    candidate_cosine: float = 0.3
    candidate_per_article: int = 5
    # At most this many closest statements per statement in all: on a story of many articles the closest
    # per article shrink (5 up to 41 articles, 2 at 100), so the pairs grow with the story, not its square.
    candidate_budget: int = 200
    candidate_rare_lemmas: int = 2
    # A lemma is rare in a story when at most this share of its statements use it.
    rare_share: float = 0.05


@dataclass
class View:
    """What the judge reads of one statement, computed once."""

    index: int
    article: str
    kind: str
    text: str
    lemmas: frozenset[str]
    predicate: str | None
    numbers: frozenset[float]
    roles: frozenset[str]
    entities: frozenset[str]
    subject: str | None = None  # lemma of the main subject ("sister" in "His sister was shot")
    signature: events.Signature = field(default_factory=events.Signature)
    named: dict[str, set[object]] = field(default_factory=dict)  # every identifying value its article names
    headline: bool = False


# --------------------------------------------------------------------------- statement views


def statement_tokens(doc: Doc, st: Statement) -> list[Any]:
    """The parse tokens inside a statement (empty without a parse)."""
    if st.sentence < 0 or st.sentence >= len(doc.parses) or st.sentence >= len(doc.sentences):
        return []
    sentence = doc.sentences[st.sentence]
    lo, hi = st.span.start - sentence.span.start, st.span.end - sentence.span.start
    return [t for t in doc.parses[st.sentence] if t.idx >= lo and t.idx + len(t.text) <= hi]


def _fallback_lemmas(text: str) -> set[str]:
    out = set()
    for w in LETTER_WORD.findall(text):
        low = w.lower().replace("'s", "")
        if low in STOP_WORDS or len(low) < 2:
            continue
        for suffix in ("ing", "ed", "es", "s"):
            if len(low) > len(suffix) + 3 and low.endswith(suffix):
                low = low[: -len(suffix)]
                break
        out.add(low)
    return out


def _numbers(text: str, st: Statement) -> set[float]:
    found: set[float] = set()
    for m in DIGITS.finditer(text):
        try:
            found.add(float(m.group().replace(",", "")))
        except ValueError:
            continue
    for w in LETTER_WORD.findall(text):
        v = NUMBER_WORDS.get(w.lower())
        if v is not None:
            found.add(v)
    found.update(q.value for q in st.quantities)
    return found


def views(docs: list[Doc]) -> list[View]:
    """A view of every statement, in doc order (the row order of the story's vectors)."""
    out: list[View] = []
    for doc in docs:
        sigs, named = events.signatures(doc)
        for st in doc.statements:
            tokens = statement_tokens(doc, st)
            text = _proposition_text(doc, st)
            if tokens:
                lemmas = {
                    t.lemma_.lower()
                    for t in tokens
                    if t.pos_ in _CONTENT_POS
                    and not t.is_stop
                    and not t.like_num
                    and t.lemma_.lower() not in _LIGHT_LEMMAS
                    and any(c.isalpha() for c in t.text)
                    and _in_proposition(doc, st, t)
                }
                heads = [t for t in tokens if t.head.i == t.i or not _inside(t.head, tokens)]
                verbs = [t for t in heads if t.pos_ in ("VERB", "AUX")]
                predicate = (verbs or heads or [None])[0]
                pred = predicate.lemma_.lower() if predicate is not None else None
                subject = _subject(tokens, predicate)
            else:
                lemmas = _fallback_lemmas(text)
                pred = None
                subject = None
            roles = {q.role for q in st.quantities if q.role in EVENT_ROLES}
            ents = {
                m.entity or " ".join(m.span.text.lower().split())
                for m in st.mentions
                if m.label not in _NOT_ENTITIES
            }
            out.append(
                View(
                    index=len(out),
                    article=st.article,
                    kind=st.kind,
                    text=text,
                    lemmas=frozenset(lemmas),
                    predicate=pred if pred not in _LIGHT_LEMMAS else None,
                    numbers=frozenset(_numbers(st.text, st)),
                    roles=frozenset(r for r in roles if r),
                    entities=frozenset(ents),
                    subject=subject,
                    signature=sigs[st.id],
                    named=named,
                    headline=st.kind == "headline",
                )
            )
    return out


def _subject(tokens: list[Any], predicate: Any) -> str | None:
    """Lemma of the predicate's subject noun (a name or common noun; pronouns say nothing)."""
    if predicate is None:
        return None
    for t in tokens:
        if t.head.i == predicate.i and t.dep_ in ("nsubj", "nsubjpass") and t.pos_ in ("NOUN", "PROPN"):
            return str(t.lemma_.lower())
    return None


def _inside(tok: Any, tokens: list[Any]) -> bool:
    return any(t.i == tok.i for t in tokens)


def _proposition_text(doc: Doc, st: Statement) -> str:
    """The text compared: the proposition without its stance words when the stance stage found one."""
    if st.stance is not None and st.stance.proposition is not None:
        return st.stance.proposition.text
    return st.text


def _in_proposition(doc: Doc, st: Statement, tok: Any) -> bool:
    if st.stance is None or st.stance.proposition is None:
        return True
    start = doc.sentences[st.sentence].span.start + tok.idx
    return st.stance.proposition.start <= start < st.stance.proposition.end


# --------------------------------------------------------------------------- candidates and features


def _incidence(sets: Sequence[frozenset[Any]], weights: dict[Any, float] | None = None) -> sparse.csr_matrix:
    """Rows = statements, columns = items (lemmas, numbers, entities), value 1 (or the item's weight)."""
    vocab: dict[Any, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for i, items in enumerate(sets):
        for item in items:
            rows.append(i)
            cols.append(vocab.setdefault(item, len(vocab)))
            vals.append(1.0 if weights is None else weights.get(item, 0.0))
    return sparse.csr_matrix(
        (np.array(vals, dtype=np.float32), (rows, cols)), shape=(len(sets), max(len(vocab), 1))
    )


def _rowdot(x: sparse.csr_matrix, pairs: np.ndarray, y: sparse.csr_matrix | None = None) -> np.ndarray:
    """Per pair (i, j): the dot product of row i of ``x`` and row j of ``y`` (default ``x``)."""
    y = x if y is None else y
    out = np.zeros(len(pairs), dtype=np.float64)
    for lo in range(0, len(pairs), _CHUNK):
        part = pairs[lo : lo + _CHUNK]
        out[lo : lo + len(part)] = np.asarray(x[part[:, 0]].multiply(y[part[:, 1]]).sum(axis=1)).ravel()
    return out


_CHUNK = 50_000  # pairs per sparse step: bounds the memory of a step whatever the story's size


def idf(vs: Sequence[View]) -> dict[str, float]:
    df = Counter(lemma for v in vs for lemma in v.lemmas)
    n = max(len(vs), 1)
    return {w: math.log((n + 1) / c) for w, c in df.items()}


class Judge:
    """Scores statement pairs of one story. Candidates are found and featured with sparse, vectorised
    operations, so time and memory grow with the candidate pairs kept, not with all pairs."""

    def __init__(self, vs: Sequence[View], vectors: np.ndarray, cfg: JudgeConfig) -> None:
        self.views = list(vs)
        self.vectors = np.asarray(vectors, dtype=np.float32)
        self.cfg = cfg
        n = len(self.views)
        index: dict[str, int] = {}  # articles numbered in the order their statements come (doc order)
        for v in self.views:
            index.setdefault(v.article, len(index))
        names = list(index)
        self.art = np.array([index[v.article] for v in self.views], dtype=np.int64)
        self.n_articles = len(names)
        self.idf = idf(self.views)
        self.lemmas = _incidence([v.lemmas for v in self.views])
        self.weighted = _incidence([v.lemmas for v in self.views], self.idf)
        self.numbers = _incidence([v.numbers for v in self.views])
        self.entities = _incidence([v.entities for v in self.views])
        self.roles = _incidence([v.roles for v in self.views])
        self.lemma_count = np.asarray(self.lemmas.sum(axis=1)).ravel()
        self.lemma_weight = np.asarray(self.weighted.sum(axis=1)).ravel()
        self.entity_count = np.asarray(self.entities.sum(axis=1)).ravel()
        preds: dict[str, int] = {}
        self.predicate = np.array(
            [preds.setdefault(v.predicate, len(preds)) if v.predicate else -1 for v in self.views],
            dtype=np.int64,
        )
        subjects: dict[str, int] = {}
        self.subject = np.array(
            [subjects.setdefault(v.subject, len(subjects)) if v.subject else -1 for v in self.views],
            dtype=np.int64,
        )
        self.frame = np.array([v.kind == "attribution" for v in self.views], dtype=bool)
        self.headline = np.array([v.headline for v in self.views], dtype=bool)
        # Best match: per statement and other article, the closest candidate's cosine. A fact is usually
        # stated once per article, so the closest statement there is the likely counterpart.
        self.best = np.full((n, max(self.n_articles, 1)), -2.0, dtype=np.float32)
        self.scores: dict[tuple[int, int], float] = {}
        self._events: dict[tuple[int, int], bool] = {}

    def with_weights(self, cfg: JudgeConfig) -> Judge:
        """The same story judged with other weights (the features are the caller's to keep)."""
        other = Judge.__new__(Judge)
        other.__dict__.update(self.__dict__)
        other.cfg = cfg
        other.scores = {}
        return other

    # ----------------------------------------------------------------- candidates

    def candidates(self) -> np.ndarray:
        """(m, 2) index pairs i < j of statements of different articles worth judging: per statement and
        other article, its ``candidate_per_article`` closest statements with cosine at least
        ``candidate_cosine``; and pairs sharing ``candidate_rare_lemmas`` rare lemmas."""
        n = len(self.views)
        if n < 2:
            return np.zeros((0, 2), dtype=np.int64)
        cfg = self.cfg
        starts = np.searchsorted(self.art, np.arange(self.n_articles))  # statements are in article order
        ends = np.searchsorted(self.art, np.arange(self.n_articles), side="right")
        found: list[np.ndarray] = []
        per_article = max(
            1, min(cfg.candidate_per_article, cfg.candidate_budget // max(1, self.n_articles - 1))
        )
        for lo in range(0, n, _ROW_BLOCK):
            hi = min(n, lo + _ROW_BLOCK)
            sims = self.vectors[lo:hi] @ self.vectors.T
            rows = np.arange(lo, hi)
            for a in range(self.n_articles):
                s, e = int(starts[a]), int(ends[a])
                if e <= s:
                    continue
                sub = sims[:, s:e]
                k = min(per_article, e - s)
                top = (
                    np.argpartition(-sub, k - 1, axis=1)[:, :k]
                    if e - s > k
                    else np.tile(np.arange(e - s), (hi - lo, 1))
                )
                vals = np.take_along_axis(sub, top, axis=1)
                keep = (vals >= cfg.candidate_cosine) & (self.art[rows][:, None] != a)
                r, c = np.nonzero(keep)
                if len(r):
                    found.append(np.stack([rows[r], top[r, c] + s], axis=1))
                self.best[lo:hi, a] = np.where(self.art[rows] != a, sub.max(axis=1), -2.0)
        found.append(self._lexical())
        pairs = np.concatenate(found).astype(np.int64) if found else np.zeros((0, 2), dtype=np.int64)
        if not len(pairs):
            return np.zeros((0, 2), dtype=np.int64)
        pairs = np.sort(pairs, axis=1)
        pairs = pairs[self.art[pairs[:, 0]] != self.art[pairs[:, 1]]]
        # A frame ("the governor said") and a claim never state one fact, however many names they share.
        pairs = pairs[self.frame[pairs[:, 0]] == self.frame[pairs[:, 1]]]
        return np.unique(pairs, axis=0)

    def _lexical(self) -> np.ndarray:
        """Pairs of different articles sharing rare lemmas (used by few statements of the story)."""
        n = len(self.views)
        df = np.asarray((self.lemmas > 0).sum(axis=0)).ravel()
        limit = max(2, min(int(self.cfg.rare_share * n), _RARE_MAX))
        rare = np.flatnonzero((df >= 2) & (df <= limit))
        if not len(rare):
            return np.zeros((0, 2), dtype=np.int64)
        x = self.lemmas[:, rare]
        shared = sparse.triu(x @ x.T, k=1).tocoo()
        keep = (shared.data >= self.cfg.candidate_rare_lemmas) & (
            self.art[shared.row] != self.art[shared.col]
        )
        return np.stack([shared.row[keep], shared.col[keep]], axis=1).astype(np.int64)

    # ----------------------------------------------------------------- features

    def features(self, pairs: np.ndarray) -> np.ndarray:
        """(m, len(FEATURES)) features of index pairs (i < j)."""
        out = np.zeros((len(pairs), len(FEATURES)), dtype=np.float64)
        if not len(pairs):
            return out
        col = {name: k for k, name in enumerate(FEATURES)}
        i, j = pairs[:, 0], pairs[:, 1]
        cos = np.einsum("ij,ij->i", self.vectors[i], self.vectors[j]).astype(np.float64)
        out[:, col["cosine"]] = np.clip(cos, -1.0, 1.0)
        shared = _rowdot(self.lemmas, pairs)
        ca, cb = self.lemma_count[i], self.lemma_count[j]
        union = ca + cb - shared
        small = np.minimum(ca, cb)
        out[:, col["jaccard"]] = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
        out[:, col["overlap"]] = np.divide(shared, small, out=np.zeros_like(shared), where=small > 0)
        wshared = _rowdot(self.lemmas, pairs, self.weighted)  # the rarity weights of the shared lemmas
        wa, wb = self.lemma_weight[i], self.lemma_weight[j]
        wsmall = np.minimum(wa, wb)
        out[:, col["rare_overlap"]] = np.divide(wshared, wsmall, out=np.zeros_like(wshared), where=wsmall > 0)
        # Rare words shared out of all the pair's rare words: one shared name between a short and a long
        # statement is a high overlap but a low share of what the two say.
        wunion = wa + wb - wshared
        out[:, col["rare_jaccard"]] = np.divide(wshared, wunion, out=np.zeros_like(wshared), where=wunion > 0)
        out[:, col["shared_number"]] = _rowdot(self.numbers, pairs) > 0
        eshared = _rowdot(self.entities, pairs)
        out[:, col["shared_entity"]] = eshared > 0
        eunion = self.entity_count[i] + self.entity_count[j] - eshared
        out[:, col["entity_jaccard"]] = np.divide(
            eshared, eunion, out=np.zeros_like(eshared), where=eunion > 0
        )
        out[:, col["same_predicate"]] = (self.predicate[i] >= 0) & (self.predicate[i] == self.predicate[j])
        out[:, col["same_event_role"]] = _rowdot(self.roles, pairs) > 0
        out[:, col["other_event"]] = [self._other_event(int(a), int(b)) for a, b in pairs.tolist()]
        out[:, col["headline"]] = self.headline[i] | self.headline[j]
        big = np.maximum(ca, cb)
        out[:, col["length_ratio"]] = np.divide(
            small, big, out=np.zeros_like(small, dtype=np.float64), where=big > 0
        )
        ab = cos >= self.best[i, self.art[j]] - 1e-6
        ba = cos >= self.best[j, self.art[i]] - 1e-6
        out[:, col["best_match"]] = ab | ba
        out[:, col["mutual_best"]] = ab & ba
        has = (self.subject[i] >= 0) & (self.subject[j] >= 0)
        out[:, col["same_subject"]] = has & (self.subject[i] == self.subject[j])
        out[:, col["other_subject"]] = has & (self.subject[i] != self.subject[j])
        return out

    def _other_event(self, i: int, j: int) -> bool:
        a, b = self.views[i], self.views[j]
        if not a.signature.keys or not b.signature.keys:
            return False
        key = (id(a.signature), id(b.signature))
        if key not in self._events:
            self._events[key] = events.different_events(a.signature, b.signature, a.named, b.named)
        return self._events[key]

    # ----------------------------------------------------------------- scores

    def judge(self, pairs: np.ndarray) -> np.ndarray:
        """Same-fact probabilities of ``pairs``; those worth keeping are remembered for ``score``."""
        probs = np.zeros(0)
        for lo in range(0, len(pairs), _CHUNK):
            part = pairs[lo : lo + _CHUNK]
            p = probability(self.features(part), self.cfg)
            probs = np.concatenate([probs, p])
            keep = p >= _KEEP
            for (a, b), v in zip(part[keep].tolist(), p[keep].tolist(), strict=True):
                self.scores[(a, b)] = v
        return probs

    def set_scores(self, pairs: np.ndarray, probs: np.ndarray) -> None:
        """Remember probabilities computed elsewhere (from features kept by the caller)."""
        keep = probs >= _KEEP
        self.scores = {
            (a, b): v for (a, b), v in zip(pairs[keep].tolist(), probs[keep].tolist(), strict=True)
        }

    def score(self, i: int, j: int) -> float:
        """Probability that statements i and j state the same fact; 0 for a pair that was not judged
        (not a candidate: too far apart to be one fact) or judged nearly 0."""
        return self.scores.get((i, j) if i < j else (j, i), 0.0)


_ROW_BLOCK = 1024  # statements per block of the cosine matrix
_RARE_MAX = 30  # a lemma used by more statements than this is no rare word, whatever the story's size
_KEEP = 0.02  # probabilities below this are remembered as 0 (they never join or attach anything)


def pair_features(vs: Sequence[View], vectors: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """Features of ``pairs``, with best matches taken among the story's candidate pairs."""
    j = Judge(vs, vectors, JudgeConfig())
    j.candidates()
    return j.features(pairs)


@dataclass
class Judgements:
    """The judged pairs of a story: ``pairs[k] = (i, j)`` (statement indices in doc order, i < j) has
    probability ``probs[k]`` of stating the same fact; ``judge.score(i, j)`` reads any pair."""

    judge: Judge
    pairs: np.ndarray
    probs: np.ndarray

    @property
    def views(self) -> list[View]:
        return self.judge.views

    def lookup(self) -> Mapping[tuple[int, int], float]:
        """The remembered probabilities (i < j), read-only: not copied, a big story holds millions."""
        return self.judge.scores

    def signatures(
        self, statements: Sequence[Statement]
    ) -> dict[str, tuple[dict[str, events.Signature], dict[str, set[object]]]]:
        """Per article, its statements' event signatures and the values it names, as the views hold them
        (``events.signatures``), keyed as the conflict checks read them; ``statements`` in doc order."""
        out: dict[str, tuple[dict[str, events.Signature], dict[str, set[object]]]] = {}
        for v in self.views:
            sigs, _ = out.setdefault(v.article, ({}, v.named))
            sigs[statements[v.index].id] = v.signature
        return out


def judge_story(docs: list[Doc], vectors: np.ndarray, cfg: JudgeConfig) -> Judgements:
    """Views of every statement, the candidate pairs and their same-fact probabilities."""
    j = Judge(views(docs), vectors, cfg)
    pairs = j.candidates()
    return Judgements(j, pairs, j.judge(pairs))


def probability(features: np.ndarray, cfg: JudgeConfig) -> np.ndarray:
    w = np.asarray(cfg.weights, dtype=np.float64)
    if features.shape[1] != len(w):
        raise ValueError(f"{len(w)} judge weights for {features.shape[1]} features")
    return 1.0 / (1.0 + np.exp(-(features @ w + cfg.bias)))
