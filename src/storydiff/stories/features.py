"""Cheap per-article features for story clustering: content words, names, and the values a text refers to.

Pure functions over article text, shared by the in-memory, store-backed and Spark paths. Names are
capitalised phrases and values are numbers and calendar dates found by regular expressions: spaCy's NER
runs at ~10k words/s, too slow for clustering's 400+ articles/s, and on ECB+ the capitalised phrases
carry the same signal (bench_stories).
"""

from __future__ import annotations

import ast
import calendar
import importlib.util
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import numpy as np

from storydiff.model import Article
from storydiff.stories.vectors import Memo, SparseVec, key_id, key_ids


def _sklearn_stop_words() -> frozenset[str]:
    """scikit-learn's English stop-word list, read from its source file: importing scikit-learn costs about
    a second, which every CLI command would pay (this module is imported by the store)."""
    spec = importlib.util.find_spec("sklearn")
    if spec is not None and spec.origin:
        path = Path(spec.origin).parent / "feature_extraction" / "_stop_words.py"
        if path.exists():
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.List):
                    return frozenset(ast.literal_eval(node.args[0]))
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


ENGLISH_STOP_WORDS = _sklearn_stop_words()

TITLE_WEIGHT = 3
LEAD_WORDS = 1000  # title + lead decide the event; on ECB+ 1000 words beat 100 and 300 (bench_stories)
# Names in the title and first words tell apart two events of one kind (one rehab check-in, another).
LEAD_ENTITY_WORDS = 60
# On lower-cased text (lower() gives no ASCII capitals): a letter, then letters, apostrophes and hyphens
# ending in a letter; or a number.
_WORD = re.compile(r"[a-z](?:[a-z'\-]*[a-z])?|\d+(?:[.,]\d+)*")
# A capitalised phrase: one or more capitalised words, optionally joined by "of"/"de"/"the".
# (``\b[A-Z]...`` written as ``[A-Z](?<!\w[A-Z])...``, the same matches: a pattern opening on a character
# class is scanned for that class at C speed, one opening on an assertion is tried at every position.)
_PHRASE = re.compile(r"[A-Z](?<!\w[A-Z])[a-zA-Z'\-]+(?:\s+(?:of\s+|de\s+|the\s+)?[A-Z][a-zA-Z'\-]+)*")
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


ENTITY_PREFIX = "@"  # names share the document-frequency table with words, under this prefix
VALUE_PREFIX = "#"  # ... and so do values
EVENT_DATE_PREFIX = "#d:"  # a full calendar date the text refers to (the event's day, usually)


@dataclass(slots=True)
class ArticleFeatures:
    """What clustering needs from one article, as key counts (embeddings are added by the caller).

    Each channel holds counts keyed by the stable ids of ``stories.vectors``; ``event_dates`` are the ids of
    the full dates the article refers to, which let a story reach past the time horizon.
    """

    id: str
    seq: int
    title: str
    day: date | None
    terms: SparseVec = field(default_factory=SparseVec)  # content words of title (x3) + lead
    entities: SparseVec = field(default_factory=SparseVec)  # capitalised phrases, lower-cased, "@"-keyed
    values: SparseVec = field(default_factory=SparseVec)  # numbers and dates referred to, "#"-keyed
    lead_entities: SparseVec = field(default_factory=SparseVec)  # names of title + first LEAD_ENTITY_WORDS
    event_dates: frozenset[int] = frozenset()

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


def _content_key(word: str) -> str | None:
    """The content word a lower-cased token counts as (None: a stop word, a bare number, one letter)."""
    if word in _STOP:
        return None
    if word[0].isdigit():
        # Years tell apart two events of one kind (the 2008 quake, the 2012 one); other numbers are values.
        return word if len(word) == 4 and word[:2] in ("19", "20") and word.isdigit() else None
    if len(word) < 2:
        return None
    return word[:-2] if word.endswith("'s") else word


NO_KEY = -1  # key ids are non-negative (63 bits)


def _id_of(key: Callable[[str], str | None]) -> Callable[[str], int]:
    """token -> the key id of what ``key`` makes of it (``NO_KEY`` for nothing)."""

    def find(token: str) -> int:
        found = key(token)
        return NO_KEY if found is None else key_id(found)

    return find


def _counted(ids: Iterable[int]) -> Counter[int]:
    counts = Counter(ids)
    counts.pop(NO_KEY, None)
    return counts


# Each distinct token is looked at once (a text repeats many of its words, a corpus its vocabulary): the
# features count key ids straight from the tokens, one dict lookup a token.
_CONTENT: Memo[str | None] = Memo(_content_key)
_CONTENT_IDS: Memo[int] = Memo(_id_of(_content_key))


def content_words(text: str) -> list[str]:
    """Lower-cased words that are not stop words; four-digit years kept, other bare numbers dropped."""
    return [w for w in map(_CONTENT.__getitem__, _WORD.findall(text.lower())) if w is not None]


def content_ids(text: str) -> Counter[int]:
    """``content_words`` as counts of their key ids."""
    return _counted(map(_CONTENT_IDS.__getitem__, _WORD.findall(text.lower())))


def _token_ids(memo: Memo[int], tokens: list[str]) -> np.ndarray:
    return np.fromiter(map(memo.__getitem__, tokens), dtype=np.int64, count=len(tokens))


def _count_vec(ids: np.ndarray) -> SparseVec:
    """Key ids (``NO_KEY`` for none, repeats counted) -> their counts as a vector sorted by id: what
    ``SparseVec.from_id_counts`` of their ``Counter`` gives, counted in numpy."""
    ids = ids[ids != NO_KEY]
    if not len(ids):
        return SparseVec()
    ids.sort()
    first = np.empty(len(ids), dtype=bool)
    first[0] = True
    np.not_equal(ids[1:], ids[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    counts = np.empty(len(starts), dtype=np.float64)
    counts[:-1] = starts[1:] - starts[:-1]
    counts[-1] = len(ids) - starts[-1]
    return SparseVec(ids[starts], counts)


def _name_of(phrase: str) -> str | None:
    """A capitalised run as a name (lower-cased), minus sentence-initial function words; None if nothing
    is left."""
    words = phrase.split()
    while words and words[0].lower() in _NOT_NAMES:
        words.pop(0)
    while words and words[-1].lower() in {"of", "de", "the"}:
        words.pop()
    if not words:
        return None
    name = " ".join(words).lower().removesuffix("'s")
    return name if len(name) > 2 else None


def _name_key(phrase: str) -> str | None:
    name = _name_of(phrase)
    return None if name is None else ENTITY_PREFIX + name


_NAME_IDS: Memo[int] = Memo(_id_of(_name_key))


def capitalised_phrases(text: str) -> list[str]:
    """Names as written (lower-cased): runs of capitalised words, minus sentence-initial function words."""
    return [n for n in map(_name_of, _PHRASE.findall(text)) if n is not None]


def name_ids(text: str) -> Counter[int]:
    """The ``ENTITY_PREFIX``-keyed ``capitalised_phrases`` of a text as counts of their key ids."""
    return _counted(map(_NAME_IDS.__getitem__, _PHRASE.findall(text)))


_MONTHS = {name: i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name: i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS["Sept"] = 9
# A number as digits (not part of a word); four-digit years are already content words.
# (``(?<![\w.,])\d+`` written as ``\d(?<![\w.,]\d)\d*``, the same matches, opening on a character class.)
_NUMBER = re.compile(r"(\d(?<![\w.,]\d)\d*(?:[.,]\d+)*)(?:st|nd|rd|th)?(?![\w]|[.,]\d)")
# Around a day number: "March 3", "Dec. 11", "3 March", "3rd of March", then ", 2013" / " 2013".
_MONTH_BEFORE = re.compile(r"(?:([A-Z][a-z]{2,8})|([A-Z][a-z]{2,3})\.)\s+$")  # a dot only after "Dec"
_MONTH_AFTER = re.compile(r"\s+(?:of\s+)?([A-Z][a-z]{2,8})\b\.?")
_YEAR_AFTER = re.compile(r",?\s+((?:19|20)\d\d)\b")


def referred_values(text: str, published: date | None = None) -> tuple[list[str], list[str]]:
    """(value keys, full-date keys) of the numbers and calendar dates a text mentions.

    A number is keyed by its digits ("#12", "#6.1"); a date by month and day ("#d:03-03"), and by its full
    date too ("#d:2013-03-03") when the year is written or follows from ``published`` (the nearest such
    day, a past one preferred), which is what lets two articles a year apart say they are about the same
    day. Found from the numbers outwards (a scan for month names is 5x slower).
    """
    values: list[str] = []
    full: list[str] = []
    for m in _NUMBER.finditer(text):
        number = m.group(1)
        start, end = m.span()
        month = None
        if len(number) <= 2:
            before = _MONTH_BEFORE.search(text, max(0, start - 12), start)
            month = _MONTHS.get(before.group(1) or before.group(2)) if before else None
            if month is None:
                after = _MONTH_AFTER.match(text, end, end + 16)
                if after and after.group(1) in _MONTHS:
                    month, end = _MONTHS[after.group(1)], after.end()
        if month is not None and 1 <= int(number) <= 31:
            values.append(f"{EVENT_DATE_PREFIX}{month:02d}-{int(number):02d}")
            written = _YEAR_AFTER.match(text, end, end + 8)
            year = int(written.group(1)) if written else _year_of(month, int(number), published)
            if year is not None:
                key = f"{EVENT_DATE_PREFIX}{year}-{month:02d}-{int(number):02d}"
                values.append(key)
                full.append(key)
            continue
        number = number.replace(",", "")
        if len(number) == 4 and number[:2] in ("19", "20"):
            continue  # a year: a content word already (and the year of a date, keyed above)
        values.append(VALUE_PREFIX + number)
    return values, full


def _year_of(month: int, day: int, published: date | None) -> int | None:
    """The year of a "March 2" written in an article of ``published``: the one putting it nearest to the
    publication day, a date up to two months ahead counting as near as one just past."""
    if published is None:
        return None
    best: tuple[int, int] | None = None
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            when = date(year, month, day)
        except ValueError:
            continue
        distance = (published - when).days
        cost = distance if distance >= 0 else -distance * 3  # future references are rarer in news
        if best is None or cost < best[0]:
            best = (cost, year)
    return best[1] if best else None


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


def article_features(article: Article, seq: int, *, lead_names: bool = False) -> ArticleFeatures:
    """The clustering features of one article; ``lead_names`` adds the title and first words' names
    (only used when ``ClusterConfig.w_lead`` > 0)."""
    title = (article.title or "").strip()
    lead = lead_text(article)
    words = _token_ids(_CONTENT_IDS, _WORD.findall(lead.lower()))
    # The title names the event: its words count TITLE_WEIGHT times (once in the lead, the rest here).
    title_words = _token_ids(_CONTENT_IDS, _WORD.findall(title.lower()))
    terms = _count_vec(np.concatenate([words, *[title_words] * (TITLE_WEIGHT - 1)]))
    day = parse_day(article.published)
    values, full = referred_values(lead, day)
    entities = _count_vec(_token_ids(_NAME_IDS, _PHRASE.findall(lead)))
    lead_entities = (
        _count_vec(_token_ids(_NAME_IDS, _PHRASE.findall(lead_text(article, LEAD_ENTITY_WORDS))))
        if lead_names
        else SparseVec()
    )
    return ArticleFeatures(
        id=article.id,
        seq=seq,
        title=display_title(title, article.text),
        day=day,
        terms=terms,
        entities=entities,
        values=SparseVec.from_counts(Counter(values)),
        lead_entities=lead_entities,
        event_dates=frozenset(key_ids(full).tolist()),
    )


@lru_cache(maxsize=1 << 16)
def title_vector(title: str) -> SparseVec:
    """A title's content words as a unit vector (sublinear counts), to compare with a story's terms."""
    counts = Counter(content_words(title))
    vec = SparseVec.from_counts({w: 1.0 + np.log(c) for w, c in counts.items()})
    return vec.unit()


def display_title(title: str | None, text: str | None) -> str:
    """A story's title candidate from an article: its title, else its first line."""
    return (title or "").strip() or _first_line(text or "")


def _first_line(text: str) -> str:
    for line in (text or "").splitlines():
        if line.strip():
            return line.strip()[:200]
    return ""
