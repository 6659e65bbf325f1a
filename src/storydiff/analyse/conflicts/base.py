"""What every conflict check shares: its settings, the context it reads, what it returns, and the
one-line summaries of the sides."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from storydiff.analyse import events
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
    # A judged pair in different groups is checked for a conflict from this same-fact probability up (the
    # judge's probabilities are calibrated on balanced classes; 0.7 keeps to pairs it is fairly sure of).
    pair_conflict_probability: float = 0.7
    # Tolls (dead, injured, missing, arrested) are one fact per story, so a pair that both state one is
    # compared from this lower probability ("three people were injured" / "no one was hurt"); the number
    # check still needs the same role and no different times.
    toll_pair_probability: float = 0.4
    # Speaker: two statements attributed to different people must overlap this much (values and cues
    # removed) to be one report with a wrong source rather than two people saying the same thing.
    speaker_same_words: float = 0.8
    # ... and say at least this many content words: a short claim is one two people can make alike.
    speaker_min_words: int = 6
    # Negation: the negated statement and the positive one share this much of their content words.
    negation_overlap: float = 0.6
    # A denial that names no proposition of its own ("the claims are false", "no evidence that any such thing
    # happened") refutes a restatement at most this many sentences before it in the same article
    # (FNC-style bodies restate, then refute, within a paragraph or two; set on bench/stance-pairs).
    denial_refers_back: int = 4
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

    _signatures: dict[str, tuple[dict[str, events.Signature], dict[str, set[object]]]] = field(
        default_factory=dict, repr=False
    )

    _present: dict[str, int | None] = field(default_factory=dict, repr=False)
    _by_id: dict[str, Statement] = field(default_factory=dict, repr=False)

    def dated(self, st: Statement) -> Statement:
        """The statement, or for an undated clause the clause it depends on: ", killing at least six" is
        dated by "A quake struck the island in September"."""
        if not self._by_id:
            self._by_id = {s.id: s for doc in self.docs.values() for s in doc.statements}
        seen, cur = {st.id}, st
        while not cur.dates and cur.parent and cur.parent not in seen:
            parent = self._by_id.get(cur.parent)
            # "Officials said on Monday that the storm had killed 12": the frame dates the report, not the toll.
            if parent is None or parent.kind == "attribution":
                break
            seen.add(parent.id)
            cur = parent
        return cur if cur.dates else st

    def present_year(self, article: str) -> int | None:
        """The year an article is written in: its publication year, else the latest year it names."""
        if article not in self._present:
            doc = self.docs.get(article)
            year: int | None = None
            if doc is not None and doc.article.published and doc.article.published[:4].isdigit():
                year = int(doc.article.published[:4])
            elif doc is not None:
                years = [
                    int(d.start[:4])
                    for st in doc.statements
                    for d in st.dates
                    if d.start and d.start[:4].isdigit()
                ]
                year = max(years) if years else None
            self._present[article] = year
        return self._present[article]

    def different_events(self, a: Statement, b: Statement) -> bool:
        """Whether the two statements are about events of different scales (``events.different_events``
        on magnitudes and categories): the 6.1 quake's toll is no contradiction of the 5.4 one's. Days are
        left out: "eleven have died, officials said on Wednesday" dates the report, not the flood."""
        sides = []
        for st in (a, b):
            doc = self.docs.get(st.article)
            if doc is None:
                return False
            if st.article not in self._signatures:
                self._signatures[st.article] = events.signatures(doc)
            sigs, named = self._signatures[st.article]
            if st.id not in sigs:
                return False
            sig = sigs[st.id]
            scales = {k: v for k, v in sig.keys.items() if k in events.SCALE_ROLES}
            sides.append((events.Signature(scales, sig.background & events.SCALE_ROLES), named))
        (sa, na), (sb, nb) = sides
        return events.different_events(sa, sb, na, nb)

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


# A photo or image credit ("Rob Kim/Getty Images", "Photo: Drew Angerer"): names a photographer, states
# nothing about the story.
_CREDIT = re.compile(
    r"(?:^|\s)(?:photo|image|picture|graphic|illustration)s?\s*(?:by|:|credit)"
    r"|/\s*(?:getty(?:\s+images)?|ap|reuters|afp|epa|shutterstock|bloomberg|alamy|pa(?:\s+images)?)\b"
    r"|\bvia\s+getty\s+images\b",
    re.I,
)


def is_credit(text: str) -> bool:
    return len(text) < 160 and bool(_CREDIT.search(text))


def by_article(group: ClaimGroup) -> dict[str, list[Statement]]:
    """The group's statements per article; photo credits are left out (they name no fact of the story)."""
    out: dict[str, list[Statement]] = {}
    for statement in group.statements:
        if not is_credit(statement.span.text):
            out.setdefault(statement.article, []).append(statement)
    return out


def content(text: str) -> set[str]:
    return {w.lower() for w in ALNUM_WORD.findall(text) if w.lower() not in CORE_STOP_WORDS}


def fmt(x: float | None) -> str:
    if x is None:
        return "open"
    return f"{x:,.0f}" if float(x).is_integer() or abs(x) >= 100 else f"{x:g}"


T = TypeVar("T")


def clash_sides(
    clashes: Iterable[tuple[tuple[str, T], tuple[str, T]]], order: Iterable[str]
) -> list[tuple[str, T]]:
    """Every article that takes part in a clash ``((article, value), (article, value))``, with its first
    clashing value, in ``order``: a conflict shows all its sides, not only the first pair found."""
    chosen: dict[str, T] = {}
    for (art_a, a), (art_b, b) in clashes:
        chosen.setdefault(art_a, a)
        chosen.setdefault(art_b, b)
    return [(art, chosen[art]) for art in order if art in chosen]
