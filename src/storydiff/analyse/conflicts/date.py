"""Date conflicts: the only date on each side, both at day level (or the same granularity), that cannot be
the same day once resolved against each article's publication date; several dates on a side are compared
only when they sit in the same roles and exactly one pair differs."""

from __future__ import annotations

from typing import Any

from storydiff.analyse import dates as dates_mod
from storydiff.analyse.conflicts.base import CheckContext, Found, clash_sides
from storydiff.analyse.conflicts.sameness import is_dateline, same_claim, same_event
from storydiff.analyse.judge import statement_tokens
from storydiff.lexicon import ALNUM_WORD
from storydiff.model import ClaimGroup, DateMention, Doc, Statement
from storydiff.registry import conflict_check


def _after(d: DateMention, docs: dict[str, Doc]) -> str:
    """The words right after a date ("Sunday [night]"), which say when in the day it was."""
    doc = docs.get(d.span.article)
    return doc.text[d.span.end : d.span.end + 20] if doc is not None else ""


def _day_level(d: DateMention) -> bool:
    return d.granularity in ("day", "time")


def _word_before(d: DateMention, docs: dict[str, Doc]) -> str:
    doc = docs.get(d.span.article)
    if doc is None:
        return ""
    words = ALNUM_WORD.findall(doc.text[max(0, d.span.start - 30) : d.span.start])
    return words[-1].lower() if words else ""


_BOUNDARY_WORDS = frozenset(["since", "until", "till", "before", "after", "by", "through", "from"])


def _boundary(d: DateMention, docs: dict[str, Doc]) -> str:
    """ "the highest level since November 1981": the date is a reference point, not the event's date."""
    first = d.span.text.split()[0].lower() if d.span.text.split() else ""
    if first in _BOUNDARY_WORDS:
        return first
    before = _word_before(d, docs)
    return before if before in _BOUNDARY_WORDS else ""


def _same_anchor(
    a: DateMention, sa: Statement, b: DateMention, sb: Statement, docs: dict[str, Doc], threshold: float
) -> bool:
    """Reference points ("since", "until") conflict only with the same kind of reference point in a
    near-identical statement; an event date never conflicts with another statement's reference point."""
    ba, bb = _boundary(a, docs), _boundary(b, docs)
    if not ba and not bb:
        return True
    return ba == bb and same_claim(sa, sb, threshold)


def _same_relative_words(a: DateMention, b: DateMention) -> bool:
    """ "this week" in both: the words agree, only the publication dates differ; not a contradiction."""
    return (a.relative or b.relative) and " ".join(a.span.text.lower().split()) == " ".join(
        b.span.text.lower().split()
    )


@conflict_check("date")
def date_conflicts(group: ClaimGroup, arts: dict[str, list[Statement]], ctx: CheckContext) -> list[Found]:
    return _resolved_date_conflicts(group, arts, ctx) or _undated_day_conflicts(group, arts, ctx)


def _resolved_date_conflicts(
    group: ClaimGroup, arts: dict[str, list[Statement]], ctx: CheckContext
) -> list[Found]:
    docs, threshold = ctx.docs, ctx.config.figure_overlap
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
    keep = [
        (a, d)
        for a, d in sides
        if any(same_event(stmt[a], d, stmt[b], e, threshold) for b, e in sides if b != a)
    ]
    sides = keep
    if len(sides) < 2:
        return []
    clash = any(
        not dates_mod.compatible(a, b, _after(a, ctx.docs), _after(b, ctx.docs))
        and ((_day_level(a) and _day_level(b)) or a.granularity == b.granularity)
        and not _same_relative_words(a, b)
        and same_event(stmt[art_a], a, stmt[art_b], b, threshold)
        and _same_anchor(a, stmt[art_a], b, stmt[art_b], docs, threshold)
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
    return _found(
        group,
        sides,
        ctx,
        f"Resolved against each article's publication date the dates do not overlap ({resolved}); "
        f"relative wording alone ('Tuesday' vs 'October 26') is not counted as a conflict.",
    )


def _found(
    group: ClaimGroup, sides: list[tuple[str, DateMention]], ctx: CheckContext, why: str
) -> list[Found]:
    return [
        Found(
            group, "date", [d.span for _, d in sides], ctx.summary([(a, d.span.text) for a, d in sides]), why
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
        if not dates_mod.compatible(a, b, _after(a, docs), _after(b, docs)):
            differing.append(((sa, a), (sb, b)))
    if len(differing) != 1:
        return None
    ((pa, pb),) = differing
    return {art_a: pa, art_b: pb}


# Dependencies of the words that say what happened (the act and what it was done to), not who did it.
_ACT_DEPS = frozenset({"ROOT", "dobj", "pobj", "attr", "nsubjpass", "oprd", "xcomp", "ccomp", "acl", "relcl"})


def _acts(st: Statement, ctx: CheckContext) -> set[str]:
    doc = ctx.docs.get(st.article)
    tokens = statement_tokens(doc, st) if doc is not None else []
    return {
        _act_lemma(t)
        for t in tokens
        if t.pos_ in ("VERB", "NOUN") and t.dep_ in _ACT_DEPS and t.lemma_.lower() not in _LIGHT_ACTS
    }


_LIGHT_ACTS = frozenset(
    {"be", "have", "say", "take", "make", "do", "get", "day", "time", "week", "month", "year"}
)


def _same_dated_act(
    sa: Statement, da: DateMention, sb: Statement, db: DateMention, ctx: CheckContext
) -> bool:
    """Two calendar days are one event's when the statements share what happened, not only who: "the
    frigate sank a trawler on November 19" / "the November 18 sinking of a trawler" (trawler), unlike "the
    frigate left port on November 12"."""
    if is_dateline(sa.span.text) or is_dateline(sb.span.text):
        return False
    return (
        bool(_date_acts(sa, da, ctx) & _date_acts(sb, db, ctx)) and len(_acts(sa, ctx) & _acts(sb, ctx)) >= 2
    )


def _date_acts(st: Statement, d: DateMention, ctx: CheckContext) -> set[str]:
    """The act a date is attached to in the parse, with what it was done to: "On November 19 it sank a
    trawler" -> {sink, trawler}; "since its deployment on November 2" -> {deployment}."""
    doc = ctx.docs.get(st.article)
    tokens = statement_tokens(doc, st) if doc is not None else []
    if doc is None or not tokens:
        return set()
    base = doc.sentences[st.sentence].span.start
    inside = [t for t in tokens if d.span.start <= base + t.idx < d.span.end]
    if not inside:
        return set()
    ids = {t.i for t in inside}
    head = next((t for t in inside if t.head.i not in ids), inside[0]).head
    while (head.pos_ == "ADP" or head.i in ids) and head.head.i != head.i:
        head = head.head
    words = [head] + [c for c in head.children if c.dep_ in ("dobj", "nsubjpass", "attr")]
    words += [g for c in head.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children]
    return {
        _act_lemma(t) for t in words if t.pos_ in ("VERB", "NOUN") and t.lemma_.lower() not in _LIGHT_ACTS
    }


def _act_lemma(t: Any) -> str:
    lemma: str = t.lemma_.lower()
    # "the sinking of a trawler" names the act "sank" does
    return lemma[:-3] if t.pos_ == "NOUN" and lemma.endswith("ing") and len(lemma) > 6 else lemma


def _undated_key(d: DateMention) -> tuple[object, ...] | None:
    offset = dates_mod.day_offset(d)
    if offset is not None:
        return ("offset", offset)
    day = dates_mod.calendar_day(d)
    return ("calendar", *day) if day is not None else None


def _undated_day_conflicts(
    group: ClaimGroup, arts: dict[str, list[Statement]], ctx: CheckContext
) -> list[Found]:
    """ "This morning I was stopped by an officer" / "Yesterday I was stopped by an officer" in articles with
    no publication date: read as published on the same day (they report one story), the two are different
    days; only between sides that each give one such day and otherwise say the same thing. "On November 19
    the frigate sank a trawler" / "the November 18 sinking of a trawler": calendar days without a year
    differ whatever the year; compared date by date where the statements share what happened, and never
    when a side also names the other's day."""
    offsets: list[tuple[str, Statement, DateMention, tuple[object, ...]]] = []
    calendars: dict[str, list[tuple[Statement, DateMention, tuple[object, ...]]]] = {}
    for art, sts in arts.items():
        doc = ctx.docs.get(art)
        if doc is None or doc.article.published:
            return []
        found = [(st, d, key) for st in sts for d in st.dates if (key := _undated_key(d)) is not None]
        days = [f for f in found if f[2][0] == "offset"]
        if len({key for _, _, key in days}) == 1:
            offsets.append((art, *days[0]))
        calendars[art] = [f for f in found if f[2][0] == "calendar"]
    threshold = ctx.config.figure_overlap
    pairs = [
        (a, b)
        for i, a in enumerate(offsets)
        for b in offsets[i + 1 :]
        if a[3] != b[3] and same_claim(a[1], b[1], threshold)
    ]
    names = list(calendars)
    for i, art_a in enumerate(names):
        for art_b in names[i + 1 :]:
            keys_a = {key for *_, key in calendars[art_a]}
            keys_b = {key for *_, key in calendars[art_b]}
            pairs += [
                ((art_a, sa, da, ka), (art_b, sb, db, kb))
                for sa, da, ka in calendars[art_a]
                for sb, db, kb in calendars[art_b]
                if ka != kb and ka not in keys_b and kb not in keys_a and _same_dated_act(sa, da, sb, db, ctx)
            ]
    if not pairs:
        return []
    sides = clash_sides((((a[0], a[2]), (b[0], b[2])) for a, b in pairs), arts)
    listed = ", ".join(f"'{d.span.text}'" for _, d in sides)
    return _found(
        group,
        sides,
        ctx,
        f"Neither article gives a publication date; {listed} cannot all be the same day for the same event "
        f"(relative days read as reports of the same day).",
    )
