"""Date conflicts: the only date on each side, both at day level (or the same granularity), that cannot be
the same day once resolved against each article's publication date; several dates on a side are compared
only when they sit in the same roles and exactly one pair differs."""

from __future__ import annotations

from storydiff.analyse import dates as dates_mod
from storydiff.analyse.conflicts.base import CheckContext, Found
from storydiff.analyse.conflicts.sameness import is_dateline, same_claim, same_event
from storydiff.lexicon import ALNUM_WORD
from storydiff.model import ClaimGroup, DateMention, Doc, Statement
from storydiff.registry import conflict_check


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
        not dates_mod.compatible(a, b)
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
    return [
        Found(
            group,
            "date",
            [d.span for _, d in sides],
            ctx.summary([(a, d.span.text) for a, d in sides]),
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
