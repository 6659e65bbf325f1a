"""Do two statements say the same thing apart from their values? The tests every check gates on.

Alignment groups can be loose, so number, date and attribution conflicts are gated on the pair of
statements itself: what is left once the values and cue words are removed must be the same claim
(``same_claim`` / ``same_event`` / ``same_proposition``); figures of differently named sources are
different facts; datelines carry no event date.
"""

from __future__ import annotations

import re

from storydiff.analyse import attribution as attribution_mod
from storydiff.analyse import dates as dates_mod
from storydiff.analyse import numbers as numbers_mod
from storydiff.analyse.conflicts.base import content
from storydiff.lexicon import ALNUM_WORD, CORE_STOP_WORDS, VALUE_WORDS
from storydiff.model import DateMention, Quantity, Span, Statement


def core(st: Statement) -> set[str]:
    """Content words of a statement once its values (numbers, dates) and reporting cue are removed:
    what is left is the claim itself, which must match for two differing values to contradict."""
    text = st.span.text
    cut: list[tuple[int, int]] = [(q.span.start, q.span.end) for q in st.quantities]
    cut += [(d.span.start, d.span.end) for d in st.dates]
    if st.attribution is not None:
        cut.append((st.attribution.cue.start, st.attribution.cue.end))
        if st.attribution.speaker is not None:  # who says it is not what is said
            cut.append((st.attribution.speaker.start, st.attribution.speaker.end))
    chars = list(text)
    for s0, e0 in cut:
        for k in range(max(0, s0 - st.span.start), min(len(chars), e0 - st.span.start)):
            chars[k] = " "
    return stems("".join(chars))


def same_proposition(sa: Statement, sb: Statement, min_shared: int, min_share: float) -> bool:
    """Two attributed statements report one proposition: once cue and speaker are removed, at least three
    stems are shared and they make up half of the shorter statement (paraphrases reword the rest)."""
    ca, cb = core(sa), core(sb)
    shared = ca & cb
    return len(shared) >= min_shared and len(shared) >= min_share * min(len(ca), len(cb))


def stems(text: str) -> set[str]:
    # A five-letter prefix is a crude stem that lets "inspection"/"inspected", "warning"/"warnings" meet.
    return {
        w[:5]
        for w in content(text)
        if not any(c.isdigit() for c in w) and w not in VALUE_WORDS and w not in attribution_mod.CUE_WORDS
    }


_CLAUSE_BREAK = re.compile(r"[,;:()\u2014\u2013]|\s-\s|\b(?:and|but|while|whereas|although)\b", re.I)


def clause_of(st: Statement, sp: Span) -> tuple[int, int]:
    """Offsets (in the statement) of the clause holding ``sp``."""
    text = st.span.text
    s0, e0 = sp.start - st.span.start, sp.end - st.span.start
    left = [m.end() for m in _CLAUSE_BREAK.finditer(text, 0, s0)]
    right = _CLAUSE_BREAK.search(text, e0)
    return (left[-1] if left else 0), (right.start() if right else len(text))


def clause_stems(st: Statement, sp: Span) -> set[str]:
    """Stems of the clause holding ``sp`` (the value removed): the event the value is attached to."""
    c0, c1 = clause_of(st, sp)
    s0, e0 = sp.start - st.span.start, sp.end - st.span.start
    return stems(st.span.text[c0:s0] + " " + st.span.text[e0:c1])


def _clause_quantities(st: Statement, d: DateMention) -> list[Quantity]:
    c0, c1 = clause_of(st, d.span)
    return [
        q for q in st.quantities if c0 <= q.span.start - st.span.start < c1 and not q.span.overlaps(d.span)
    ]


def _different_measurements(sa: Statement, da: DateMention, sb: Statement, db: DateMention) -> bool:
    """ "a high of 31% in March 1994" / "7 percent in June": each date says when a figure was measured, one
    point of a series; points with different figures at different times are not a contradiction."""
    qa, qb = _clause_quantities(sa, da), _clause_quantities(sb, db)
    if not qa and not qb:
        return False
    return not (
        all(any(numbers_mod.compatible(x, y) and x.unit == y.unit for y in qb) for x in qa)
        and all(any(numbers_mod.compatible(x, y) and x.unit == y.unit for x in qa) for y in qb)
    )


def same_event(sa: Statement, da: DateMention, sb: Statement, db: DateMention, threshold: float) -> bool:
    """Two dated statements describe one event: the clauses around the dates share a word (the event:
    "inspected on May 3" / "passed an inspection on March 3") and the sentences share at least two."""
    if _different_measurements(sa, da, sb, db):
        return False
    ca, cb = clause_stems(sa, da.span), clause_stems(sb, db.span)
    if not ca or not cb:
        # "On March 3, ...": the date stands alone; the whole sentence must match.
        return same_claim(sa, sb, threshold)
    return bool(ca & cb) and len(core(sa) & core(sb)) >= 2


def same_claim(sa: Statement, sb: Statement, threshold: float) -> bool:
    """Two statements say the same thing apart from their values: high overlap of the rest, and at least
    two shared content words (a subject and a predicate), whatever group the aligner put them in."""
    ca, cb = core(sa), core(sb)
    shared = ca & cb
    return len(shared) >= 2 and jaccard(ca, cb) >= threshold


_NAME_RUN = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z&'’-]+(?:\s+[A-Z][a-zA-Z&'’-]+)*")


def _names(st: Statement) -> set[str]:
    """Lower-cased words of the organisations and people a statement names (mentions when recognised,
    otherwise capitalised runs not at the start of the sentence)."""
    ms = [m for m in st.mentions if m.label in ("ORG", "PERSON")]
    if ms:
        return {
            w.lower() for m in ms for w in ALNUM_WORD.findall(m.span.text) if w.lower() not in CORE_STOP_WORDS
        }
    if st.mentions:
        return set()
    runs = _NAME_RUN.findall(st.span.text)
    return {
        w.lower()
        for r in runs
        for w in ALNUM_WORD.findall(r)
        if w.lower() not in CORE_STOP_WORDS and w.lower() not in VALUE_WORDS
    }


def different_subjects(sa: Statement, sb: Statement) -> bool:
    """Both statements name a source or actor and the names share nothing: "Bloomberg Economics puts it at
    38%" and "the Wall Street Journal survey puts it at 44%" are two figures, not one disputed."""
    na, nb = _names(sa), _names(sb)
    return bool(na and nb) and not (na & nb)


_DATELINE = re.compile(
    r"^\s*(?:[-–—]{1,2}\s*[^()\n]{1,60}\(@\w+\)|(?:published|updated|posted|first\s+published|last\s+updated)"
    r"(?:\s+on)?\b)",
    re.I,
)


def is_dateline(text: str) -> bool:
    """A byline, publication stamp or embedded-post signature ("-- Name (@handle) July 6, 2022",
    "Published on July 29th, 2022"): its date is when something was posted, not when the event happened."""
    return bool(_DATELINE.match(text)) or bool(re.search(r"\(@\w+\)\s*\S+\s+\d", text) and len(text) < 200)


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def different_times(a: list[Statement], b: list[Statement]) -> bool:
    """Both sides dated, and no date of one can be a date of the other: "8.6% in May" and "6.8% in June"
    measure different moments, so differing figures are not a contradiction."""
    da = [d for st in a for d in st.dates if d.start and d.granularity not in ("time", "unknown")]
    db = [d for st in b for d in st.dates if d.start and d.granularity not in ("time", "unknown")]
    return bool(da and db) and not any(dates_mod.compatible(x, y) for x in da for y in db)


def statement_of(q_or_d: Span, sts: list[Statement]) -> Statement | None:
    return next((st for st in sts if st.span.overlaps(q_or_d)), None)
