"""The data model: articles, spans into their text, and the layers of a story report.

Like spaCy's ``Doc``/``Span``: one central document (``Doc``) owns the text, and everything
the analysis finds (sentences, statements, entity mentions, quotes, conflict values) is a
``Span`` that points into ``doc.text`` by character offsets, so ``doc.text[start:end] == span.text``
always holds. Plain dataclasses: stages create them, renderers and the web app only read them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

SCHEMA_VERSION = "1"

# --------------------------------------------------------------------------- articles


@dataclass(slots=True)
class RawDocument:
    """One input record as a reader found it, before extraction.

    ``origin`` names the input and record ("path/to/file.warc.gz#12"); ``hints`` carries what the
    container already knew (url, title, source, published, html vs text) so extraction can prefer it.
    """

    origin: str
    content: bytes | str
    format: str  # "html" | "text" | "json" (already-structured record)
    hints: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Article:
    """A clean news article: metadata plus main text (paragraphs separated by a blank line)."""

    id: str
    source: str
    text: str
    title: str | None = None
    url: str | None = None
    byline: str | None = None
    published: str | None = None  # ISO 8601 date or date-time
    language: str | None = None  # ISO 639-1 code, e.g. "en"
    origin: str | None = None  # "input path#record number"
    raw: bytes | None = None  # the input as read, zlib-compressed (see storydiff.store)
    raw_format: str | None = None  # "html" | "text" | "json"

    def to_dict(self, *, include_raw: bool = False) -> dict[str, Any]:
        data = asdict(self)
        if not include_raw:
            data.pop("raw")
        return data

    @property
    def is_english(self) -> bool:
        return (self.language or "en") == "en"


_SPACES = re.compile(r"\s+")


def normalise_for_id(text: str) -> str:
    """Whitespace- and Unicode-normalised text, so trivially re-encoded inputs hash alike."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def article_id(text: str, *, url: str | None = None, source: str | None = None) -> str:
    """Stable id: the same page (url, or outlet when there is no url) with the same text -> same id.

    Re-ingesting an input is therefore a no-op, while a wire story run by two outlets (two urls)
    stays two articles that the near-duplicate stage links as copies.
    """
    key = (url or "").strip() or (source or "").strip().lower()
    digest = hashlib.sha256(f"{key}\x00{normalise_for_id(text)}".encode()).hexdigest()
    return digest[:16]


# --------------------------------------------------------------------------- spans


@dataclass(frozen=True, slots=True)
class Span:
    """Characters ``start:end`` of the text of article ``article``; ``text`` is that slice."""

    article: str
    start: int
    end: int
    text: str

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        return self.article == other.article and self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        return self.article == other.article and self.start <= other.start and other.end <= self.end


# --------------------------------------------------------------------------- the analysed document


@dataclass(slots=True)
class Sentence:
    span: Span
    index: int  # position in the document
    paragraph: int  # index of its paragraph
    is_headline: bool = False


StatementKind = Literal["headline", "sentence", "clause"]


@dataclass(slots=True)
class Statement:
    """A unit of comparison: a headline, a sentence, or a separable clause of a sentence."""

    id: str  # "<article id>:s<n>"
    span: Span
    sentence: int  # index of the sentence it belongs to
    kind: StatementKind = "sentence"
    # Filled by later stages (kept here so every stage reads them from one place):
    quantities: list[Quantity] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    attribution: Attribution | None = None

    @property
    def article(self) -> str:
        return self.span.article

    @property
    def text(self) -> str:
        return self.span.text


@dataclass(slots=True)
class Doc:
    """One article under analysis. ``text`` is the headline, a blank line, then the body.

    Headlines are claims too, so they must be addressable by offsets; ``body_start`` says where the
    stored ``article.text`` begins inside ``doc.text`` (0 when there is no title).
    """

    article: Article
    text: str
    body_start: int
    paragraphs: list[Span] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[QuoteOccurrence] = field(default_factory=list)

    @classmethod
    def from_article(cls, article: Article) -> Doc:
        title = normalise_for_id(article.title or "")
        body = article.text
        if title and not body.lstrip().startswith(title):
            return cls(article=article, text=f"{title}\n\n{body}", body_start=len(title) + 2)
        return cls(article=article, text=body, body_start=0)

    @property
    def id(self) -> str:
        return self.article.id

    @property
    def headline_end(self) -> int:
        """End offset of the headline inside ``text`` (0 when the doc has none)."""
        return max(self.body_start - 2, 0)

    def span(self, start: int, end: int) -> Span:
        """A span of this document; the one place spans are cut, so offsets are always consistent."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span {start}:{end} outside text of {len(self.text)} chars ({self.id})")
        return Span(self.id, start, end, self.text[start:end])


# --------------------------------------------------------------------------- values inside statements


@dataclass(slots=True)
class Quantity:
    """A number in the text, normalised. Bounds: ``low``/``high`` (None = open)."""

    span: Span
    value: float  # the central value as written ("nearly 300" -> 300)
    low: float | None  # lower bound implied ("at least 12" -> 12, "nearly 300" -> None)
    high: float | None  # upper bound implied ("up to 14" -> 14, "nearly 300" -> 300)
    unit: str | None = None  # "%", "$", "km", ...
    counted: str | None = None  # lemma of the noun it counts ("dead", "people", "house")
    approximate: bool = False
    role: str | None = None  # what it counts, noun + predicate: "12 people died" / "killed 12" -> "dead"


@dataclass(slots=True)
class DateMention:
    """A date or time expression resolved against the article's publication date."""

    span: Span
    start: str | None  # ISO date of the earliest day it can mean
    end: str | None  # ISO date of the latest day it can mean
    granularity: str  # "day" | "week" | "month" | "year" | "time" | "unknown"
    relative: bool = False  # resolved from "Tuesday", "last week"...


@dataclass(slots=True)
class Attribution:
    """Who a statement is attributed to and how strongly it is asserted."""

    cue: Span  # "said", "claimed", "reportedly", "according to"
    strength: str  # "asserted" | "neutral" | "hedged" | "disputed" | "confirmed"
    speaker: Span | None = None


@dataclass(slots=True)
class Mention:
    span: Span
    label: str  # spaCy label: PERSON, ORG, GPE, LOC, NORP, EVENT, ...
    entity: str | None = None  # id of the resolved Entity


# --------------------------------------------------------------------------- story-level layers


ClaimStatus = Literal["corroborated", "single-source", "disputed"]


@dataclass(slots=True)
class ClaimGroup:
    """Statements of several (or one) articles that report the same fact."""

    id: str
    statements: list[Statement]
    status: ClaimStatus = "single-source"
    independent_sources: int = 1  # sources after folding copies into their originals
    conflicts: list[str] = field(default_factory=list)  # ids of Conflicts
    score: float = 0.0  # mean pairwise similarity inside the group (1.0 for singletons)

    @property
    def sources(self) -> list[str]:
        seen: dict[str, None] = {}
        for statement in self.statements:
            seen.setdefault(statement.article, None)
        return list(seen)


@dataclass(slots=True)
class Conflict:
    """Two or more sides of one claim group that disagree, with the differing words as spans."""

    id: str
    kind: str  # a kind a registered conflict check produces (storydiff.registry.conflict_kinds())
    claim: str | None
    values: list[Span]
    summary: str  # one line: "Outlet A: 12 dead; Outlet B: 14 dead"
    explanation: str = ""  # why this is a conflict and not a paraphrase


@dataclass(slots=True)
class Entity:
    id: str
    name: str  # canonical: the most complete, most common form
    type: str
    variants: list[str]
    mentions: list[Span]


@dataclass(slots=True)
class QuoteOccurrence:
    """One direct quotation in one article: the quoted words (without the marks) and its speaker."""

    span: Span  # the quoted words
    speaker: str | None = None  # canonical speaker name, None when unknown
    speaker_span: Span | None = None  # the mention that names the speaker (may be a pronoun)
    cue: Span | None = None  # "said", "told", "according to"...
    partial: bool = False  # a fragment quoted inside a sentence


QuoteAgreement = Literal["single-source", "verbatim", "minor-variation", "altered", "truncated"]


@dataclass(slots=True)
class QuoteGroup:
    id: str
    speaker: str | None
    occurrences: list[QuoteOccurrence]
    agreement: QuoteAgreement = "single-source"
    diff: list[dict[str, Any]] = field(default_factory=list)  # word-level diffs against the first occurrence


@dataclass(slots=True)
class TimelineEvent:
    date: str  # ISO date (start of the interval)
    end: str | None
    granularity: str
    claim: str | None  # claim group id
    sources: list[str]
    spans: list[Span]
    label: str  # short description (the statement text, trimmed)


@dataclass(slots=True)
class Copy:
    """Article ``article`` copies (wire copy, syndication, update) article ``original``."""

    article: str
    original: str
    similarity: float


@dataclass(slots=True)
class Omission:
    """Claims reported by at least two other independent sources that ``article`` does not carry."""

    article: str
    claims: list[str]


@dataclass(slots=True)
class Report:
    """The comparison of one story. Plain data: renderers and the web app only read it."""

    docs: list[Doc]
    claims: list[ClaimGroup]
    conflicts: list[Conflict]
    quotes: list[QuoteGroup]
    entities: list[Entity]
    timeline: list[TimelineEvent] = field(default_factory=list)
    copies: list[Copy] = field(default_factory=list)
    omissions: list[Omission] = field(default_factory=list)
    story_id: str | None = None
    story_title: str | None = None
    warnings: list[str] = field(default_factory=list)  # e.g. non-English articles not analysed
    skipped: list[Article] = field(default_factory=list)  # articles listed but not analysed
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage

    # Small lookups renderers share.
    def doc(self, article_id: str) -> Doc:
        for doc in self.docs:
            if doc.id == article_id:
                return doc
        raise KeyError(article_id)

    def source_name(self, article_id: str) -> str:
        return self.doc(article_id).article.source

    def claim(self, claim_id: str) -> ClaimGroup:
        for group in self.claims:
            if group.id == claim_id:
                return group
        raise KeyError(claim_id)
