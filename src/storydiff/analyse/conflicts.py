"""Typed conflicts between the statements of one claim group, each explained.

Only statements of different articles inside one ``ClaimGroup`` are compared, and every check is
conservative: a false conflict costs more trust than a missed one. Alignment groups can be loose, so
number, date and attribution conflicts are gated on the pair of statements itself: what is left once the
values and cue words are removed must be the same claim (``same_claim`` / ``same_event`` /
``same_proposition``), a value the other side also states is agreed, figures of differently named sources
are different facts, and datelines or reference points ("since November 1981") carry no event date.
Kinds, in the order they are reported for each group:

- number: quantities that count the same thing (same ``Quantity.role``) whose intervals cannot overlap;
  tolls (dead, injured, missing, arrested) always, other figures only between near-paraphrase sentences,
  and never between sides dated to different times ("8.6% in May" / "6.8% in June");
- date: the only date on each side, both at day level (or the same granularity), non-overlapping;
- person / place / organization: one entity swapped for another in the same slot of a near-identical
  statement (the speaker of a quote is not a slot: two people can say the same thing);
- spelling: one entity written differently ("Kyiv" / "Kiev"); does not make a claim disputed;
- attribution: a firm cue (said, confirmed) on one side and a doubtful one (claimed, reportedly) on the other;
- negation: one side negates the predicate the other asserts, the rest being the same;
- quote: a quotation grouped across articles whose wording was altered.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher

from storydiff.analyse import attribution as attribution_mod
from storydiff.analyse import dates as dates_mod
from storydiff.analyse import numbers as numbers_mod
from storydiff.model import (
    Attribution,
    ClaimGroup,
    Conflict,
    DateMention,
    Doc,
    Entity,
    Mention,
    Quantity,
    QuoteGroup,
    Span,
    Statement,
)

_ENTITY_KIND = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "organization"}
_WORD = re.compile(r"[A-Za-z0-9]+(?:'[a-z]+)?")
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "and",
        "or",
        "but",
        "that",
        "this",
        "these",
        "those",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "it",
        "its",
        "as",
        "into",
        "after",
        "before",
        "over",
        "than",
        "then",
        "there",
        "their",
        "they",
        "he",
        "she",
        "his",
        "her",
        "which",
        "who",
        "whom",
        "said",
        "says",
        "told",
        "also",
        "while",
    ]
)
_NEGATION = re.compile(r"\b(?:not|never|no\s+longer|nobody|no\s+one|none)\b|n't\b", re.I)
_AUX = frozenset(
    [
        "be",
        "been",
        "being",
        "was",
        "were",
        "is",
        "are",
        "have",
        "has",
        "had",
        "yet",
        "a",
        "any",
        "an",
        "the",
        "ever",
        "always",
        "already",
        "even",
    ]
)


@dataclass(slots=True)
class _Found:
    group: ClaimGroup | None
    kind: str
    values: list[Span]
    summary: str
    explanation: str


# --------------------------------------------------------------------------- helpers


def _source(docs: dict[str, Doc], article: str) -> str:
    doc = docs.get(article)
    return doc.article.source if doc is not None and doc.article.source else article


def _summary(docs: dict[str, Doc], sides: list[tuple[str, str]]) -> str:
    return "; ".join(f"{_source(docs, art)}: {value}" for art, value in sides)


def _by_article(group: ClaimGroup) -> dict[str, list[Statement]]:
    out: dict[str, list[Statement]] = {}
    for statement in group.statements:
        out.setdefault(statement.article, []).append(statement)
    return out


def _content(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text) if w.lower() not in _STOP}


def _fill(groups: list[ClaimGroup], docs: dict[str, Doc]) -> None:
    """Compute the values the pipeline may not have filled yet (idempotent: empty stays empty)."""
    for group in groups:
        for st in group.statements:
            doc = docs.get(st.article)
            if doc is None:
                continue
            if not st.quantities:
                st.quantities = numbers_mod.quantities(doc, st.span)
            if not st.dates:
                st.dates = dates_mod.find_dates(doc, st.span)
            if st.attribution is None:
                st.attribution = attribution_mod.attribution(doc, st)


def _fmt(x: float | None) -> str:
    if x is None:
        return "open"
    return f"{x:,.0f}" if float(x).is_integer() or abs(x) >= 100 else f"{x:g}"


# --------------------------------------------------------------------------- numbers


def _qty_label(q: Quantity) -> str:
    thing = q.role if q.role and q.role not in ("%", "money", "age") and q.role != q.unit else q.counted
    text = q.span.text
    return f"{text} {thing}" if thing and thing.lower() not in text.lower() else text


_EVENT_ROLES = frozenset({"dead", "injured", "missing", "arrested"})
_FIGURE_OVERLAP = 0.5  # content-word Jaccard, values removed, for two figures/dates/cues to be compared
_MONTHS_DAYS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "percent",
        "cent",
        "st",
        "nd",
        "rd",
        "th",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "twenty",
        "thirty",
        "hundred",
        "thousand",
        "million",
        "billion",
        "dozen",
        "year",
        "years",
        "day",
        "days",
        "month",
        "months",
        "week",
        "weeks",
        "about",
        "during",
        "since",
        "until",
        "through",
        "under",
        "between",
        "against",
        "around",
        "some",
        "would",
        "will",
        "can",
    ]
)


def _core(st: Statement) -> set[str]:
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
    return _stems("".join(chars))


def same_proposition(sa: Statement, sb: Statement) -> bool:
    """Two attributed statements report one proposition: once cue and speaker are removed, at least three
    stems are shared and they make up half of the shorter statement (paraphrases reword the rest)."""
    ca, cb = _core(sa), _core(sb)
    shared = ca & cb
    return len(shared) >= 3 and len(shared) >= 0.5 * min(len(ca), len(cb))


def _stems(text: str) -> set[str]:
    # A five-letter prefix is a crude stem that lets "inspection"/"inspected", "warning"/"warnings" meet.
    return {
        w[:5]
        for w in _content(text)
        if not any(c.isdigit() for c in w) and w not in _MONTHS_DAYS and w not in attribution_mod.CUE_WORDS
    }


_CLAUSE_BREAK = re.compile(r"[,;:()\u2014\u2013]|\s-\s|\b(?:and|but|while|whereas|although)\b", re.I)


def _clause(st: Statement, sp: Span) -> tuple[int, int]:
    """Offsets (in the statement) of the clause holding ``sp``."""
    text = st.span.text
    s0, e0 = sp.start - st.span.start, sp.end - st.span.start
    left = [m.end() for m in _CLAUSE_BREAK.finditer(text, 0, s0)]
    right = _CLAUSE_BREAK.search(text, e0)
    return (left[-1] if left else 0), (right.start() if right else len(text))


def _clause_stems(st: Statement, sp: Span) -> set[str]:
    """Stems of the clause holding ``sp`` (the value removed): the event the value is attached to."""
    c0, c1 = _clause(st, sp)
    s0, e0 = sp.start - st.span.start, sp.end - st.span.start
    return _stems(st.span.text[c0:s0] + " " + st.span.text[e0:c1])


def _clause_quantities(st: Statement, d: DateMention) -> list[Quantity]:
    c0, c1 = _clause(st, d.span)
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


def same_event(sa: Statement, da: DateMention, sb: Statement, db: DateMention) -> bool:
    """Two dated statements describe one event: the clauses around the dates share a word (the event:
    "inspected on May 3" / "passed an inspection on March 3") and the sentences share at least two."""
    if _different_measurements(sa, da, sb, db):
        return False
    ca, cb = _clause_stems(sa, da.span), _clause_stems(sb, db.span)
    if not ca or not cb:
        return same_claim(sa, sb)  # "On March 3, ...": the date stands alone; the whole sentence must match
    return bool(ca & cb) and len(_core(sa) & _core(sb)) >= 2


def same_claim(sa: Statement, sb: Statement, threshold: float = _FIGURE_OVERLAP) -> bool:
    """Two statements say the same thing apart from their values: high overlap of the rest, and at least
    two shared content words (a subject and a predicate), whatever group the aligner put them in."""
    ca, cb = _core(sa), _core(sb)
    shared = ca & cb
    return len(shared) >= 2 and _jaccard(ca, cb) >= threshold


_NAME_RUN = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z&'’-]+(?:\s+[A-Z][a-zA-Z&'’-]+)*")


def _names(st: Statement) -> set[str]:
    """Lower-cased words of the organisations and people a statement names (mentions when recognised,
    otherwise capitalised runs not at the start of the sentence)."""
    ms = [m for m in st.mentions if m.label in ("ORG", "PERSON")]
    if ms:
        return {w.lower() for m in ms for w in _WORD.findall(m.span.text) if w.lower() not in _STOP}
    if st.mentions:
        return set()
    runs = _NAME_RUN.findall(st.span.text)
    return {
        w.lower()
        for r in runs
        for w in _WORD.findall(r)
        if w.lower() not in _STOP and w.lower() not in _MONTHS_DAYS
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


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _different_times(a: list[Statement], b: list[Statement]) -> bool:
    """Both sides dated, and no date of one can be a date of the other: "8.6% in May" and "6.8% in June"
    measure different moments, so differing figures are not a contradiction."""
    da = [d for st in a for d in st.dates if d.start and d.granularity not in ("time", "unknown")]
    db = [d for st in b for d in st.dates if d.start and d.granularity not in ("time", "unknown")]
    return bool(da and db) and not any(dates_mod.compatible(x, y) for x in da for y in db)


def _stmt_of(q_or_d: Span, sts: list[Statement]) -> Statement | None:
    return next((st for st in sts if st.span.overlaps(q_or_d)), None)


def _pair_comparable(x: Quantity, y: Quantity, sx: Statement, sy: Statement, role: str) -> bool:
    """The two figures state the same fact: same claim around them, same subject, same slot."""
    if role in _EVENT_ROLES:
        # A toll is one fact per story: two sources giving different tolls is the contradiction itself.
        return True
    if different_subjects(sx, sy):
        return (
            False  # "Bloomberg Economics ... 38%" vs "the Wall Street Journal ... 44%": two sources' figures
        )
    if not same_claim(sx, sy, threshold=_FIGURE_OVERLAP):
        return False
    # Same slot: the figure sits next to the same word ("a 44% chance" / "a 38% chance").
    wx, wy = _slot_words(x, sx), _slot_words(y, sy)
    return bool(wx & wy)


def _slot_words(q: Quantity, st: Statement) -> set[str]:
    text = st.span.text
    off0, off1 = q.span.start - st.span.start, q.span.end - st.span.start
    before = [w.lower() for w in _WORD.findall(text[max(0, off0 - 40) : off0]) if w.lower() not in _STOP]
    after = [w.lower() for w in _WORD.findall(text[off1 : off1 + 40]) if w.lower() not in _STOP]
    return {w for w in before[-2:] + after[:2] if not w.isdigit()}


def _number_conflicts(
    group: ClaimGroup, arts: dict[str, list[Statement]], docs: dict[str, Doc]
) -> list[_Found]:
    # Body statements first: the value shown for a side is the one in the article's own sentence
    # ("Fourteen people were killed"), not the headline's shorthand ("blaze kills 14").
    per_art = {
        a: [q for st in sorted(sts, key=lambda st: st.kind == "headline") for q in st.quantities]
        for a, sts in arts.items()
    }
    roles: dict[str, dict[str, list[Quantity]]] = {}
    for art, qs in per_art.items():
        for q in qs:
            if q.role:
                roles.setdefault(q.role, {}).setdefault(art, []).append(q)
    # No shared role: the lone number on each side is comparable when neither says what it counts.
    lone = {a: qs[0] for a, qs in per_art.items() if len(qs) == 1 and qs[0].role is None}
    if len(lone) >= 2 and len(lone) == len(per_art) and len({q.unit for q in lone.values()}) == 1:
        roles.setdefault("", {}).update({a: [q] for a, q in lone.items()})

    out: list[_Found] = []
    for role, by_art in roles.items():
        arts_list = list(by_art)
        side: dict[str, Quantity] = {}  # article -> its value in some clashing pair
        for i, a in enumerate(arts_list):
            for b in arts_list[i + 1 :]:
                # Pair values by best match first: a value the other side also states (anywhere in its
                # statements, any role) is agreed, never compared against a different one.
                xs = [
                    x
                    for x in by_art[a]
                    if not any(numbers_mod.compatible(x, y) and x.unit == y.unit for y in per_art[b])
                ]
                ys = [
                    y
                    for y in by_art[b]
                    if not any(numbers_mod.compatible(x, y) and x.unit == y.unit for x in per_art[a])
                ]
                pair = _first_clash(xs, ys, arts[a], arts[b], role)
                if pair is not None:
                    side.setdefault(a, pair[0])
                    side.setdefault(b, pair[1])
        if not side:
            continue
        sides = [(a, side[a]) for a in arts_list if a in side]
        what = f"the number of {role}" if role and role not in ("%", "money") else "the same figure"
        ranges = ", ".join(f"{_fmt(q.low)}–{_fmt(q.high)}" for _, q in sides)
        out.append(
            _Found(
                group,
                "number",
                [q.span for _, q in sides],
                _summary(docs, [(a, _qty_label(q)) for a, q in sides]),
                f"The sources give {what} for the same claim, and the values cannot all be true "
                f"(ranges {ranges} do not overlap once bounds like 'at least' or 'about' are applied); "
                f"a paraphrase would keep the figure.",
            )
        )
    return out


def _first_clash(
    xs: list[Quantity], ys: list[Quantity], sts_a: list[Statement], sts_b: list[Statement], role: str
) -> tuple[Quantity, Quantity] | None:
    for x in xs:
        sx = _stmt_of(x.span, sts_a)
        for y in ys:
            sy = _stmt_of(y.span, sts_b)
            if sx is None or sy is None or numbers_mod.compatible(x, y) or x.unit != y.unit:
                continue
            if _different_times([sx], [sy]) or not _pair_comparable(x, y, sx, sy, role):
                continue
            return x, y
    return None


# --------------------------------------------------------------------------- dates


def _day_level(d: DateMention) -> bool:
    return d.granularity in ("day", "time")


def _word_before(d: DateMention, docs: dict[str, Doc]) -> str:
    doc = docs.get(d.span.article)
    if doc is None:
        return ""
    words = _WORD.findall(doc.text[max(0, d.span.start - 30) : d.span.start])
    return words[-1].lower() if words else ""


_BOUNDARY_WORDS = frozenset(["since", "until", "till", "before", "after", "by", "through", "from"])


def _boundary(d: DateMention, docs: dict[str, Doc]) -> str:
    """ "the highest level since November 1981": the date is a reference point, not the event's date."""
    first = d.span.text.split()[0].lower() if d.span.text.split() else ""
    if first in _BOUNDARY_WORDS:
        return first
    before = _word_before(d, docs)
    return before if before in _BOUNDARY_WORDS else ""


def _same_anchor(a: DateMention, sa: Statement, b: DateMention, sb: Statement, docs: dict[str, Doc]) -> bool:
    """Reference points ("since", "until") conflict only with the same kind of reference point in a
    near-identical statement; an event date never conflicts with another statement's reference point."""
    ba, bb = _boundary(a, docs), _boundary(b, docs)
    if not ba and not bb:
        return True
    return ba == bb and same_claim(sa, sb)


def _same_relative_words(a: DateMention, b: DateMention) -> bool:
    """ "this week" in both: the words agree, only the publication dates differ; not a contradiction."""
    return (a.relative or b.relative) and " ".join(a.span.text.lower().split()) == " ".join(
        b.span.text.lower().split()
    )


def _date_conflicts(
    group: ClaimGroup, arts: dict[str, list[Statement]], docs: dict[str, Doc]
) -> list[_Found]:
    sides: list[tuple[str, DateMention]] = []
    stmt: dict[str, Statement] = {}
    several: dict[str, list[tuple[Statement, DateMention]]] = {}
    for art, sts in arts.items():
        # A time attaches to its day; count the distinct resolved expressions on this side. Datelines and
        # post signatures carry when something was published, not when the event happened.
        dated = [
            (st, d)
            for st in sts
            if not is_dateline(st.span.text)
            for d in st.dates
            if d.start and d.granularity not in ("time", "unknown")
        ]
        if len(dated) > 1:
            several[art] = dated
        elif dated:
            sides.append((art, dated[0][1]))
            stmt[art] = dated[0][0]
    if several:
        # Several dates on a side: which one to compare is known only when two sides carry the same dates
        # in the same places ("killed June 24 ... a June 20 shooting") and exactly one of them differs.
        paired = _one_differing_date(several, docs) if len(several) == 2 and not sides else None
        if paired is None:
            return []
        sides = [(art, d) for art, (_, d) in paired.items()]
        stmt = {art: st for art, (st, _) in paired.items()}
    if len(sides) < 2:
        return []
    # Every pair of sides must describe the same event beyond the date; otherwise drop the loose member.
    keep = [(a, d) for a, d in sides if any(same_event(stmt[a], d, stmt[b], e) for b, e in sides if b != a)]
    sides = keep
    if len(sides) < 2:
        return []
    clash = any(
        not dates_mod.compatible(a, b)
        and ((_day_level(a) and _day_level(b)) or a.granularity == b.granularity)
        and not _same_relative_words(a, b)
        and same_event(stmt[art_a], a, stmt[art_b], b)
        and _same_anchor(a, stmt[art_a], b, stmt[art_b], docs)
        for i, (art_a, a) in enumerate(sides)
        for art_b, b in sides[i + 1 :]
    )
    if not clash:
        return []
    if all(d.granularity == "year" for _, d in sides) and len({_word_before(d, docs) for _, d in sides}) > 1:
        return []  # "in 2019" vs "a 2017 agreement": years in different roles
    resolved = ", ".join(
        f"'{d.span.text}' = {d.start}" + (f"..{d.end}" if d.end != d.start else "") for _, d in sides
    )
    return [
        _Found(
            group,
            "date",
            [d.span for _, d in sides],
            _summary(docs, [(a, d.span.text) for a, d in sides]),
            f"Resolved against each article's publication date the dates do not overlap ({resolved}); "
            f"relative wording alone ('Tuesday' vs 'October 26') is not counted as a conflict.",
        )
    ]


def _one_differing_date(
    several: dict[str, list[tuple[Statement, DateMention]]], docs: dict[str, Doc]
) -> dict[str, tuple[Statement, DateMention]] | None:
    """Two sides with dates in the same order and roles (same word before each), all but one pair
    compatible: that pair, else None."""
    (art_a, xs), (art_b, ys) = several.items()
    if len(xs) != len(ys):
        return None
    differing = []
    for (sa, a), (sb, b) in zip(xs, ys, strict=True):
        if _word_before(a, docs) != _word_before(b, docs) or _boundary(a, docs) != _boundary(b, docs):
            return None
        if not dates_mod.compatible(a, b):
            differing.append(((sa, a), (sb, b)))
    if len(differing) != 1:
        return None
    ((pa, pb),) = differing
    return {art_a: pa, art_b: pb}


# --------------------------------------------------------------------------- entities and spelling


def _norm_form(text: str) -> str:
    text = re.sub(r"['’]s$", "", text.strip())
    return " ".join(re.findall(r"\w+", text.lower()))


def is_spelling_variant(a: str, b: str) -> bool:
    """ "Kyiv"/"Kiev", "Zelensky"/"Zelenskyy": the same name spelled differently, not shortened or aliased."""
    na, nb = _norm_form(a), _norm_form(b)
    if not na or not nb or na == nb:
        return False
    if _code_like(a) or _code_like(b):
        return False  # "XLU" / "XLI", "WHO" / "WTO": one letter apart is another code, not a spelling
    ta, tb = na.split(), nb.split()
    if set(ta) <= set(tb) or set(tb) <= set(ta):
        return False  # "Reyes" / "Tom Reyes": a short form, not a variant
    if len(ta) == len(tb):
        return all(x == y or SequenceMatcher(None, x, y).ratio() >= 0.6 for x, y in zip(ta, tb, strict=True))
    short, long_ = (ta, tb) if len(ta) < len(tb) else (tb, ta)
    return set(short[:-1]) <= set(long_) and SequenceMatcher(None, short[-1], long_[-1]).ratio() >= 0.7


def _code_like(text: str) -> bool:
    """An acronym, ticker or code: short, with no lower-case letter."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and len(text.strip()) <= 6 and not any(c.islower() for c in letters)


def _key(m: Mention) -> str:
    return m.entity or f"text:{_norm_form(m.span.text)}"


def _mentions(st: Statement, kind: str) -> list[Mention]:
    return [m for m in st.mentions if _ENTITY_KIND.get(m.label) == kind]


def _neighbours(st: Statement, m: Mention) -> tuple[str, str]:
    before = _WORD.findall(st.span.text[: m.span.start - st.span.start])
    after = _WORD.findall(st.span.text[m.span.end - st.span.start :])
    return (before[-1].lower() if before else ""), (after[0].lower() if after else "")


def _is_speaker(st: Statement, m: Mention) -> bool:
    sp = st.attribution.speaker if st.attribution else None
    return sp is not None and sp.overlaps(m.span)


def _swap(sa: Statement, sb: Statement, kind: str) -> tuple[Mention, Mention] | None:
    """The one entity of ``kind`` that differs between two otherwise near-identical statements."""
    ma, mb = _mentions(sa, kind), _mentions(sb, kind)
    ka, kb = {_key(m) for m in ma}, {_key(m) for m in mb}
    only_a = [m for m in ma if _key(m) not in kb]
    only_b = [m for m in mb if _key(m) not in ka]
    if len({_key(m) for m in only_a}) != 1 or len({_key(m) for m in only_b}) != 1:
        return None
    a, b = only_a[0], only_b[0]
    if _is_speaker(sa, a) or _is_speaker(sb, b):
        return None
    # The other side may name it without the recogniser noticing, or spell it differently.
    if a.span.text.lower() in sb.span.text.lower() or b.span.text.lower() in sa.span.text.lower():
        return None
    if SequenceMatcher(None, _norm_form(a.span.text), _norm_form(b.span.text)).ratio() >= 0.6:
        return None
    rest_a = _content(sa.span.text) - _content(a.span.text)
    rest_b = _content(sb.span.text) - _content(b.span.text)
    if not rest_a or not rest_b:
        return None
    overlap = len(rest_a & rest_b) / len(rest_a | rest_b)
    if overlap < 0.6:
        return None
    na, nb = _neighbours(sa, a), _neighbours(sb, b)
    if not ((na[0] and na[0] == nb[0]) or (na[1] and na[1] == nb[1])):
        return None  # not in the same slot
    return a, b


def _entity_conflicts(
    group: ClaimGroup, arts: dict[str, list[Statement]], docs: dict[str, Doc], entities: dict[str, Entity]
) -> list[_Found]:
    out: list[_Found] = []
    seen: set[tuple[str, frozenset[str]]] = set()
    names = list(arts)
    for kind in ("person", "place", "organization"):
        for i, art_a in enumerate(names):
            for art_b in names[i + 1 :]:
                for sa in arts[art_a]:
                    for sb in arts[art_b]:
                        pair = _swap(sa, sb, kind)
                        if pair is None:
                            continue
                        a, b = pair
                        key = (kind, frozenset({_key(a), _key(b)}))
                        if key in seen:
                            continue
                        seen.add(key)
                        out.append(
                            _Found(
                                group,
                                kind,
                                [a.span, b.span],
                                _summary(docs, [(art_a, a.span.text), (art_b, b.span.text)]),
                                f"The statements are otherwise the same, but the {kind} in the same place of the "
                                f"sentence is '{a.span.text}' in one and '{b.span.text}' in the other, and the two "
                                f"were not reconciled as one entity.",
                            )
                        )
    # Spelling variants of one reconciled entity.
    forms: dict[str, dict[str, tuple[str, Span]]] = {}  # entity -> normalised form -> (article, first span)
    for art, sts in arts.items():
        for st in sts:
            for m in st.mentions:
                if m.entity is None or m.label not in _ENTITY_KIND:
                    continue
                forms.setdefault(m.entity, {}).setdefault(_norm_form(m.span.text), (art, m.span))
    for ent_id, by_form in forms.items():
        items = list(by_form.values())
        for i, (art_a, sp_a) in enumerate(items):
            for art_b, sp_b in items[i + 1 :]:
                if art_a == art_b or not is_spelling_variant(sp_a.text, sp_b.text):
                    continue
                key = ("spelling", frozenset({ent_id, _norm_form(sp_a.text), _norm_form(sp_b.text)}))
                if key in seen:
                    continue
                seen.add(key)
                ent = entities.get(ent_id)
                name = f" ({ent.name})" if ent else ""
                out.append(
                    _Found(
                        group,
                        "spelling",
                        [sp_a, sp_b],
                        _summary(docs, [(art_a, sp_a.text), (art_b, sp_b.text)]),
                        f"'{sp_a.text}' and '{sp_b.text}' are spellings of the same entity{name}: a difference "
                        f"of transliteration or style, not of fact.",
                    )
                )
    return out


# --------------------------------------------------------------------------- attribution


def _attribution_conflicts(
    group: ClaimGroup, arts: dict[str, list[Statement]], docs: dict[str, Doc]
) -> list[_Found]:
    firm: list[tuple[str, Statement]] = []
    doubtful: list[tuple[str, Statement]] = []
    for art, sts in arts.items():
        cued = [st for st in sts if st.attribution is not None]
        strengths = {st.attribution.strength for st in cued if st.attribution is not None}
        if not cued or (strengths & attribution_mod.FIRM and strengths & attribution_mod.DOUBTFUL):
            continue  # unattributed, or the side itself is mixed
        side = doubtful if strengths & attribution_mod.DOUBTFUL else firm
        side.extend((art, st) for st in cued)
    # "may have", "appears to" often qualify a detail, not the claim: they only count against an
    # explicit "confirmed"; reporting hedges ("reportedly", "claimed") count against any firm cue.
    if not any(st.attribution and st.attribution.strength == "confirmed" for _, st in firm):
        doubtful = [
            (a, st)
            for a, st in doubtful
            if st.attribution and not attribution_mod.is_modal_hedge(st.attribution.cue.text)
        ]
    # Both sides must report the same proposition: high overlap once the cue words are removed.
    pairs = [(f, d) for f in firm for d in doubtful if f[0] != d[0] and same_proposition(f[1], d[1])]
    if not pairs:
        return []
    # Every side that takes part in such a pair is shown, one cue per article, firm sides first.
    chosen: dict[str, Attribution] = {}
    for (fa, fs), (da, ds) in pairs:
        if fs.attribution is not None:
            chosen.setdefault(fa, fs.attribution)
        if ds.attribution is not None:
            chosen.setdefault(da, ds.attribution)
    firm_c = [(a, c) for a, c in chosen.items() if c.strength in attribution_mod.FIRM]
    doubt_c = [(a, c) for a, c in chosen.items() if c.strength not in attribution_mod.FIRM]
    sides = firm_c + doubt_c
    return [
        _Found(
            group,
            "attribution",
            [c.cue for _, c in sides],
            _summary(docs, [(a, c.cue.text) for a, c in sides]),
            "The same claim is presented as established by "
            + ", ".join(f"'{c.cue.text}' ({c.strength})" for _, c in firm_c)
            + " but as doubtful by "
            + ", ".join(f"'{c.cue.text}' ({c.strength})" for _, c in doubt_c)
            + ": the wording changes how certain the fact is, not just its phrasing.",
        )
    ]


# --------------------------------------------------------------------------- negation


def _negated_predicate(st: Statement) -> tuple[int, int, str] | None:
    """Offsets (in the doc) of "not injured" and the predicate word, for the first negation."""
    text = st.span.text
    m = _NEGATION.search(text)
    if m is None:
        return None
    for w in _WORD.finditer(text, m.end()):
        word = w.group().lower()
        if word in _AUX:
            continue
        return st.span.start + m.start(), st.span.start + w.end(), word
    return None


def _negation_conflicts(
    group: ClaimGroup, arts: dict[str, list[Statement]], docs: dict[str, Doc]
) -> list[_Found]:
    names = list(arts)
    for i, art_a in enumerate(names):
        for art_b in names[i + 1 :]:
            for sa in arts[art_a]:
                for sb in arts[art_b]:
                    for neg, pos, art_n, art_p in ((sa, sb, art_a, art_b), (sb, sa, art_b, art_a)):
                        if _NEGATION.search(pos.span.text):
                            continue
                        found = _negated_predicate(neg)
                        if found is None:
                            continue
                        start, end, pred = found
                        hit = re.search(rf"\b{re.escape(pred)}\b", pos.span.text, re.I)
                        if hit is None:
                            continue
                        ca, cb = _content(neg.span.text), _content(pos.span.text)
                        ca = {
                            w
                            for w in ca
                            if not _NEGATION.fullmatch(w) and not w.endswith("n't") and w != "no"
                        }
                        if not ca or not cb or len(ca & cb) / len(ca | cb) < 0.6:
                            continue
                        doc_n = docs.get(art_n)
                        neg_span = doc_n.span(start, end) if doc_n else Span(art_n, start, end, "")
                        p0 = pos.span.start + hit.start()
                        doc_p = docs.get(art_p)
                        pos_span = (
                            doc_p.span(p0, p0 + len(pred)) if doc_p else Span(art_p, p0, p0 + len(pred), "")
                        )
                        return [
                            _Found(
                                group,
                                "negation",
                                [neg_span, pos_span],
                                _summary(docs, [(art_n, neg_span.text), (art_p, pos_span.text)]),
                                f"One source negates the predicate '{pred}' that the other asserts, in otherwise "
                                f"matching statements: they say opposite things.",
                            )
                        ]
    return []


# --------------------------------------------------------------------------- quotes


def _quote_conflicts(
    quote_groups: list[QuoteGroup], groups: list[ClaimGroup], docs: dict[str, Doc]
) -> list[_Found]:
    out: list[_Found] = []
    for qg in quote_groups:
        if qg.agreement != "altered":
            continue
        first: dict[str, Span] = {}
        for occ in qg.occurrences:
            first.setdefault(occ.span.article, occ.span)
        if len(first) < 2:
            continue
        spans = list(first.values())
        best: ClaimGroup | None = None
        best_hits = 0
        for group in groups:
            hits = sum(1 for sp in spans if any(st.span.overlaps(sp) for st in group.statements))
            if hits > best_hits:
                best, best_hits = group, hits

        def short(t: str) -> str:
            return f"“{t}”" if len(t) <= 70 else f"“{t[:67]}…”"

        who = f" of {qg.speaker}" if qg.speaker else ""
        out.append(
            _Found(
                best,
                "quote",
                spans,
                _summary(docs, [(a, short(sp.text)) for a, sp in first.items()]),
                f"The same quotation{who} is given in words that differ beyond punctuation or style; a direct "
                f"quote should be verbatim, so at least one source altered it.",
            )
        )
    return out


# --------------------------------------------------------------------------- entry point


def find_conflicts(
    groups: list[ClaimGroup], docs: list[Doc], entities: list[Entity], quote_groups: list[QuoteGroup]
) -> list[Conflict]:
    """Typed conflicts of every claim group; sets ``group.conflicts`` and marks groups disputed."""
    by_id = {d.id: d for d in docs}
    ents = {e.id: e for e in entities}
    _fill(groups, by_id)
    checks: list[Callable[[ClaimGroup, dict[str, list[Statement]], dict[str, Doc]], list[_Found]]] = [
        _number_conflicts,
        _date_conflicts,
        lambda g, a, d: _entity_conflicts(g, a, d, ents),
        _attribution_conflicts,
        _negation_conflicts,
    ]
    found: list[_Found] = []
    for group in groups:
        group.conflicts = []
        arts = _by_article(group)
        if len(arts) < 2:
            continue
        for check in checks:
            found.extend(check(group, arts, by_id))
    found.extend(_quote_conflicts(quote_groups, groups, by_id))
    out: list[Conflict] = []
    for n, f in enumerate(found, start=1):
        cid = f"c{n}"
        out.append(Conflict(cid, f.kind, f.group.id if f.group else None, f.values, f.summary, f.explanation))  # type: ignore[arg-type]
        if f.group is not None:
            f.group.conflicts.append(cid)
            if f.kind != "spelling":
                f.group.status = "disputed"
    return out
