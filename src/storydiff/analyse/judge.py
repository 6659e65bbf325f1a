"""The same-fact judge: for two statements of different articles, the probability that they state the
same fact (agreeing or not), from similarity and structure.

Signals (``FEATURES``): the MiniLM cosine of the two statements; their content lemmas (Jaccard, overlap
coefficient, and an overlap weighted by how rare each lemma is in the story, so that sharing "Dargahan"
counts more than sharing "quake"); a shared number, a shared named entity, the same main predicate, a
count of the same event role (dead, injured: the value may differ, the fact is the same); and what speaks
against one fact: dates that cannot be the same time (this quake on Sunday, another in September),
an attribution frame set against a claim, very different lengths. A logistic regression over them is
fitted by ``bench/bench_judge.py --fit`` on the development stories with answers (leave-one-story-out
there) and shipped as ``JudgeConfig.weights``.

Values are not part of "same fact": "12 dead" and "14 dead" are one fact reported differently (the
conflict checks compare them); what a statement says about the fact's status (asserted, hedged, denied)
is read separately (``stance.py``), and similarity is taken on the proposition without its stance words.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from storydiff.analyse import dates as dates_mod
from storydiff.lexicon import DIGITS, LETTER_WORD, NUMBER_WORDS, STOP_WORDS
from storydiff.model import DateMention, Doc, Statement

FEATURES = (
    "cosine",
    "jaccard",
    "overlap",
    "rare_overlap",
    "shared_number",
    "shared_entity",
    "same_predicate",
    "same_event_role",
    "date_clash",
    "frame_vs_claim",
    "headline",
    "length_ratio",
)
EVENT_ROLES = frozenset({"dead", "injured", "missing", "arrested"})
_CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "ADV", "NUM"})
# Reporting and light verbs say how a fact is told, not which fact it is.
_LIGHT_LEMMAS = frozenset(
    [
        "say",
        "tell",
        "report",
        "add",
        "announce",
        "state",
        "claim",
        "confirm",
        "deny",
        "note",
        "quote",
        "accord",
        "be",
        "have",
        "do",
        "get",
        "make",
        "go",
        "also",
        "still",
        "just",
        "even",
        "only",
        "now",
        "then",
        "there",
        "here",
    ]
)
_NOT_ENTITIES = frozenset({"CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY", "DATE", "TIME"})


@dataclass
class JudgeConfig:
    # Logistic regression over FEATURES (order as there), balanced classes, fitted by
    # `python bench/bench_judge.py --fit` on the development stories (../shared/data/story-gold and
    # bench/story-gold, held-out stories excluded); leave-one-story-out figures are printed there.
    weights: tuple[float, ...] = (3.2, 1.0, 1.2, 2.0, 0.4, 0.5, 0.6, 0.8, -1.5, -1.2, -0.2, 0.4)
    bias: float = -4.2
    # Pairs below this cosine are not judged at all (no shared fact was found below it in the development
    # stories' answers); pairs sharing two rare lemmas are judged whatever their cosine.
    candidate_cosine: float = 0.3
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
    anchors: list[DateMention] = field(default_factory=list)
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


def views(docs: list[Doc], anchors: dict[str, list[DateMention]] | None = None) -> list[View]:
    """A view of every statement, in doc order (the row order of the story's vectors)."""
    out: list[View] = []
    for doc in docs:
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
            else:
                lemmas = _fallback_lemmas(text)
                pred = None
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
                    anchors=(anchors or {}).get(st.id, list(st.dates)),
                    headline=st.kind == "headline",
                )
            )
    return out


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


def rare_lemmas(vs: Sequence[View], share: float) -> dict[str, float]:
    """Lemma -> inverse document frequency over the story's statements, for lemmas used by at most
    ``share`` of them (and at least by two)."""
    df = Counter(lemma for v in vs for lemma in v.lemmas)
    n = max(len(vs), 1)
    limit = max(2, int(share * n))
    return {w: math.log(n / c) for w, c in df.items() if 2 <= c <= limit}


def idf(vs: Sequence[View]) -> dict[str, float]:
    df = Counter(lemma for v in vs for lemma in v.lemmas)
    n = max(len(vs), 1)
    return {w: math.log((n + 1) / c) for w, c in df.items()}


def candidate_pairs(
    vs: Sequence[View], vectors: np.ndarray, cfg: JudgeConfig, block: int = 1024
) -> np.ndarray:
    """(m, 2) index pairs i < j of statements of different articles worth judging: cosine at least
    ``candidate_cosine``, or sharing ``candidate_rare_lemmas`` rare lemmas. Memory grows with the pairs
    kept, not with all pairs: the cosine matrix is computed a block of rows at a time."""
    n = len(vs)
    if n < 2:
        return np.zeros((0, 2), dtype=np.int64)
    articles = np.array([v.article for v in vs], dtype=object)
    _, art = np.unique(articles.astype(str), return_inverse=True)
    found: list[np.ndarray] = []
    for lo in range(0, n, block):
        hi = min(n, lo + block)
        sims = vectors[lo:hi] @ vectors.T
        rows, cols = np.nonzero(sims >= cfg.candidate_cosine)
        rows = rows + lo
        keep = (cols > rows) & (art[rows] != art[cols])
        if keep.any():
            found.append(np.stack([rows[keep], cols[keep]], axis=1))
    rare = rare_lemmas(vs, cfg.rare_share)
    postings: dict[str, list[int]] = {}
    for v in vs:
        for lemma in v.lemmas:
            if lemma in rare:
                postings.setdefault(lemma, []).append(v.index)
    shared: Counter[tuple[int, int]] = Counter()
    for ids in postings.values():
        for a in range(len(ids)):
            for b in range(a + 1, len(ids)):
                i, j = ids[a], ids[b]
                if art[i] != art[j]:
                    shared[(i, j)] += 1
    lexical = [pair for pair, count in shared.items() if count >= cfg.candidate_rare_lemmas]
    if lexical:
        found.append(np.array(lexical, dtype=np.int64))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.unique(np.concatenate(found).astype(np.int64), axis=0)
    return pairs


def pair_features(vs: Sequence[View], vectors: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """(m, len(FEATURES)) features of the candidate pairs."""
    weights = idf(vs)
    out = np.zeros((len(pairs), len(FEATURES)), dtype=np.float64)
    if not len(pairs):
        return out
    cos = np.einsum("ij,ij->i", vectors[pairs[:, 0]], vectors[pairs[:, 1]])
    out[:, 0] = np.clip(cos, -1.0, 1.0)
    for k, (i, j) in enumerate(pairs):
        a, b = vs[int(i)], vs[int(j)]
        shared = a.lemmas & b.lemmas
        union = a.lemmas | b.lemmas
        small = min(len(a.lemmas), len(b.lemmas))
        out[k, 1] = len(shared) / len(union) if union else 0.0
        out[k, 2] = len(shared) / small if small else 0.0
        wa = sum(weights.get(w, 0.0) for w in a.lemmas)
        wb = sum(weights.get(w, 0.0) for w in b.lemmas)
        ws = sum(weights.get(w, 0.0) for w in shared)
        out[k, 3] = ws / min(wa, wb) if min(wa, wb) > 0 else 0.0
        out[k, 4] = float(bool(a.numbers & b.numbers))
        out[k, 5] = float(bool(a.entities & b.entities))
        out[k, 6] = float(a.predicate is not None and a.predicate == b.predicate)
        out[k, 7] = float(bool(a.roles & b.roles))
        out[k, 8] = float(_dates_clash(a.anchors, b.anchors))
        out[k, 9] = float((a.kind == "attribution") != (b.kind == "attribution"))
        out[k, 10] = float(a.headline or b.headline)
        la, lb = len(a.lemmas), len(b.lemmas)
        out[k, 11] = min(la, lb) / max(la, lb) if max(la, lb) else 0.0
    return out


def _dates_clash(a: list[DateMention], b: list[DateMention]) -> bool:
    """Both anchored in time, and no date of one can be a date of the other."""
    da = [d for d in a if d.start and d.granularity in ("day", "month", "year", "week")]
    db = [d for d in b if d.start and d.granularity in ("day", "month", "year", "week")]
    if not da or not db:
        return False
    return not any(dates_mod.compatible(x, y) for x in da for y in db)


@dataclass
class Judgements:
    """The judged pairs of a story: ``pairs[k] = (i, j)`` (statement indices in doc order, i < j) has
    probability ``probs[k]`` of stating the same fact."""

    views: list[View]
    pairs: np.ndarray
    probs: np.ndarray

    def lookup(self) -> dict[tuple[int, int], float]:
        return {
            (int(i), int(j)): float(p)
            for (i, j), p in zip(self.pairs.tolist(), self.probs.tolist(), strict=True)
        }


def judge_story(docs: list[Doc], vectors: np.ndarray, cfg: JudgeConfig) -> Judgements:
    """Views of every statement, the candidate pairs and their same-fact probabilities."""
    vs = views(docs)
    vectors = np.asarray(vectors, dtype=np.float32)
    pairs = candidate_pairs(vs, vectors, cfg)
    probs = probability(pair_features(vs, vectors, pairs), cfg) if len(pairs) else np.zeros(0)
    return Judgements(vs, pairs, probs)


def probability(features: np.ndarray, cfg: JudgeConfig) -> np.ndarray:
    w = np.asarray(cfg.weights, dtype=np.float64)
    if features.shape[1] != len(w):
        raise ValueError(f"{len(w)} judge weights for {features.shape[1]} features")
    return 1.0 / (1.0 + np.exp(-(features @ w + cfg.bias)))


_SPACES = re.compile(r"\s+")
