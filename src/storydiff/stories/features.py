"""Cheap per-article features for story clustering: content-word counts and capitalised phrases.

Pure functions over article text, shared by the in-memory, store-backed and Spark paths.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from storydiff.model import Article

TITLE_WEIGHT = 3
LEAD_WORDS = 1000  # title + lead decide the event; on ECB+ 1000 words beat 100 and 300 (bench_stories)
# Names in the title and first words tell apart two events of one kind (one rehab check-in, another).
LEAD_ENTITY_WORDS = 60
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*[A-Za-z]|[A-Za-z]|\d+(?:[.,]\d+)*")
# A capitalised phrase: one or more capitalised words, optionally joined by "of"/"de"/"the".
_PHRASE = re.compile(r"\b[A-Z][a-zA-Z'\-]+(?:\s+(?:of\s+|de\s+|the\s+)?[A-Z][a-zA-Z'\-]+)*")
# scikit-learn's list also drops words that carry news events ("fire", "bill", "interest"...): keep those.
_NEWS_WORDS = frozenset(
    [
        "fire",
        "bill",
        "system",
        "interest",
        "move",
        "show",
        "call",
        "computer",
        "amount",
        "mill",
        "found",
        "find",
        "full",
        "empty",
        "detail",
        "front",
        "back",
        "top",
        "bottom",
        "side",
        "part",
        "name",
    ]
)
_STOP = (frozenset(ENGLISH_STOP_WORDS) - _NEWS_WORDS) | {
    "said",
    "says",
    "say",
    "told",
    "according",
    "new",
    "year",
    "years",
}
# Sentence-initial and calendar words that are capitalised without naming anything.
_NOT_NAMES_TEXT = """the a an this that these those it he she they we i you his her their our its in on at for from by with
    after before when while but and or if as to of mr mrs ms dr monday tuesday wednesday thursday friday saturday
    sunday january february march april may june july august september october november december
    there here what who where why how some many more most one two three update breaking"""
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())


@dataclass(slots=True)
class ArticleFeatures:
    """What clustering needs from one article (no embeddings; they are added by the caller)."""

    id: str
    seq: int
    title: str
    day: date | None
    terms: Counter[str] = field(default_factory=Counter)  # content-word counts of title (x2) + lead
    entities: Counter[str] = field(default_factory=Counter)  # lower-cased capitalised phrases
    lead_entities: Counter[str] = field(default_factory=Counter)  # the same, title + first LEAD_ENTITY_WORDS

    @property
    def empty(self) -> bool:
        return not self.terms and not self.entities


def lead_text(article: Article, words: int | None = None) -> str:
    """Title and the first ``words`` words of the body."""
    body = article.text or ""
    words = LEAD_WORDS if words is None else words
    cut = body.split(maxsplit=words)
    lead = " ".join(cut[:words])
    title = (article.title or "").strip()
    return f"{title}\n\n{lead}" if title else lead


def content_words(text: str) -> list[str]:
    out: list[str] = []
    for token in _WORD.findall(text):
        word = token.lower()
        if word.isdigit() and len(word) == 4 and word[:2] in ("19", "20"):
            out.append(word)  # years tell apart two events of one kind (the 2008 quake, the 2012 one)
            continue
        if len(word) < 2 or word in _STOP or word.replace(",", "").replace(".", "").isdigit():
            continue
        out.append(word[:-2] if word.endswith("'s") else word)
    return out


def capitalised_phrases(text: str) -> list[str]:
    """Names as written (lower-cased): runs of capitalised words, minus sentence-initial function words."""
    out: list[str] = []
    for match in _PHRASE.finditer(text):
        words = match.group(0).split()
        while words and words[0].lower() in _NOT_NAMES:
            words.pop(0)
        while words and words[-1].lower() in {"of", "de", "the"}:
            words.pop()
        if not words:
            continue
        phrase = " ".join(words).lower().removesuffix("'s")
        if len(phrase) > 2:
            out.append(phrase)
    return out


def parse_day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None


def article_features(article: Article, seq: int) -> ArticleFeatures:
    title = (article.title or "").strip()
    lead = lead_text(article)
    terms = Counter(content_words(lead))
    for _ in range(TITLE_WEIGHT - 1):  # the title names the event: it counts more than body words
        terms.update(content_words(title))
    return ArticleFeatures(
        id=article.id,
        seq=seq,
        title=display_title(title, article.text),
        day=parse_day(article.published),
        terms=terms,
        entities=Counter(capitalised_phrases(lead)),
        lead_entities=Counter(capitalised_phrases(lead_text(article, LEAD_ENTITY_WORDS))),
    )


def display_title(title: str | None, text: str | None) -> str:
    """A story's title candidate from an article: its title, else its first line."""
    return (title or "").strip() or _first_line(text or "")


def _first_line(text: str) -> str:
    for line in (text or "").splitlines():
        if line.strip():
            return line.strip()[:200]
    return ""


def tfidf(counts: Mapping[str, float], df: Mapping[str, int], n_docs: int) -> dict[str, float]:
    """L2-normalised sublinear TF-IDF; document frequencies are the running counts before this article."""
    vec: dict[str, float] = {}
    for term, count in counts.items():
        idf = math.log((n_docs + 1) / (df.get(term, 0) + 1)) + 1.0
        vec[term] = (1.0 + math.log(count)) * idf
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {t: v / norm for t, v in vec.items()}


def cosine(a: Mapping[str, float], b: Mapping[str, float], b_norm: float | None = None) -> float:
    """Cosine of sparse vectors; ``a`` is expected normalised, ``b``'s norm is computed unless given."""
    if len(a) > len(b):
        small, big = b, a
    else:
        small, big = a, b
    dot = sum(v * big[t] for t, v in small.items() if t in big)
    if b_norm is None:
        b_norm = math.sqrt(sum(v * v for v in b.values()))
    return dot / b_norm if b_norm else 0.0
