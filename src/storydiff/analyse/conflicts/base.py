"""What every conflict check shares: its settings, the context it reads, what it returns, and the
one-line summaries of the sides."""

from __future__ import annotations

from dataclasses import dataclass, field

from storydiff.lexicon import ALNUM_WORD, CORE_STOP_WORDS
from storydiff.model import ClaimGroup, Doc, Entity, QuoteGroup, Span, Statement


@dataclass
class ConflictsConfig:
    # Content-word Jaccard of two statements once their values and cues are removed, for two figures or
    # dates to be compared: below it the statements say different things. Set on the fictional examples
    # and the perturbed ECB+ sentences of bench/bench_values.py (numbers 91%, dates 100% flagged there,
    # 0 of 431 NAnCo same-answer pairs flagged).
    figure_overlap: float = 0.5
    # Attribution: the claim both cues qualify must share at least this many stems, making up this share
    # of the shorter statement (paraphrases reword the rest). Precision guard set on the fictional examples.
    proposition_min_shared: int = 3
    proposition_min_share: float = 0.5
    # Entity swaps: the rest of the two statements (entity removed) overlaps at least this much, and the
    # two names are no more alike than this (more alike is a spelling variant, reported as such).
    swap_context_overlap: float = 0.6
    swap_max_name_similarity: float = 0.6
    # Negation: the negated statement and the positive one share this much of their content words.
    negation_overlap: float = 0.6
    # Spelling variants: each word pair this alike (difflib ratio); the last word of a shorter form this alike.
    spelling_word_similarity: float = 0.6
    spelling_last_word_similarity: float = 0.7


@dataclass
class CheckContext:
    """What a check may read besides the group it is given."""

    docs: dict[str, Doc]
    entities: dict[str, Entity]
    groups: list[ClaimGroup]
    quote_groups: list[QuoteGroup]
    config: ConflictsConfig = field(default_factory=ConflictsConfig)

    def source(self, article: str) -> str:
        doc = self.docs.get(article)
        return doc.article.source if doc is not None and doc.article.source else article

    def summary(self, sides: list[tuple[str, str]]) -> str:
        """ "Outlet A: 12 dead; Outlet B: 14 dead"."""
        return "; ".join(f"{self.source(art)}: {value}" for art, value in sides)


@dataclass(slots=True)
class Found:
    """A conflict a check found; the driver numbers it and links it to its group."""

    group: ClaimGroup | None
    kind: str
    values: list[Span]
    summary: str
    explanation: str


def by_article(group: ClaimGroup) -> dict[str, list[Statement]]:
    out: dict[str, list[Statement]] = {}
    for statement in group.statements:
        out.setdefault(statement.article, []).append(statement)
    return out


def content(text: str) -> set[str]:
    return {w.lower() for w in ALNUM_WORD.findall(text) if w.lower() not in CORE_STOP_WORDS}


def fmt(x: float | None) -> str:
    if x is None:
        return "open"
    return f"{x:,.0f}" if float(x).is_integer() or abs(x) >= 100 else f"{x:g}"
