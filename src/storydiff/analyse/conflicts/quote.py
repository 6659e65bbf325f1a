"""Quote conflicts: a quotation grouped across articles whose wording was altered (a content word changed;
spelling, case, dashes, quote marks and ellipses are style, never an alteration), and one quotation that
the outlets give, by name, to different people."""

from __future__ import annotations

from storydiff.analyse import quote_text
from storydiff.analyse.conflicts.base import CheckContext, Found
from storydiff.analyse.names import fold, tokens
from storydiff.model import ClaimGroup, QuoteGroup, Span
from storydiff.registry import conflict_check


def _short(text: str) -> str:
    return f"“{text}”" if len(text) <= 70 else f"“{text[:67]}…”"


def _claim_of(ctx: CheckContext, spans: list[Span]) -> ClaimGroup | None:
    """The claim group holding most of the spans."""
    best: ClaimGroup | None = None
    best_hits = 0
    for group in ctx.groups:
        hits = sum(1 for sp in spans if any(st.span.overlaps(sp) for st in group.statements))
        if hits > best_hits:
            best, best_hits = group, hits
    return best


# An altered quotation changes a few words ("Somebody hit me" / "Something hit me"); when more than half
# of the shorter wording differs, the two are different quotations of one speaker on one theme ("We are not
# trying to provoke ... a recession" / "We're not trying to have a recession").
_MAX_REWORDED = 0.5


def _reworded_share(diff: list[tuple[str, str, str]], a: str, b: str) -> float:
    changed = sum(max(len(x.split()), len(y.split())) for _, x, y in diff)
    return changed / max(1, min(len(a.split()), len(b.split())))


@conflict_check("quote", scope="story")
def quote_conflicts(ctx: CheckContext) -> list[Found]:
    out: list[Found] = []
    for qg in ctx.quote_groups:
        if qg.agreement != "altered":
            continue
        # The reference wording, those that give it too and those that change it (an excerpt that only
        # stops sooner is no side of the conflict).
        reference = qg.occurrences[0].span
        first: dict[str, Span] = {reference.article: reference}
        changes: list[tuple[str, str, str]] = []
        altered = False
        for occ in qg.occurrences[1:]:
            agreement, diff = quote_text.compare(reference.text, occ.span.text)
            if (
                agreement == "altered"
                and _reworded_share(diff, reference.text, occ.span.text) > _MAX_REWORDED
            ):
                continue  # most of it differs: another quotation on the same theme, not an altered copy
            if agreement != "truncated":  # the reference's wording, or a changed one
                first.setdefault(occ.span.article, occ.span)
            if agreement == "altered":
                altered = True
                changes += diff
        if len(first) < 2 or not altered:
            continue
        spans = list(first.values())
        changed = "; ".join(f"“{a}” / “{b}”" for _, a, b in changes[:3])
        who = f" of {qg.speaker}" if qg.speaker else ""
        out.append(
            Found(
                _claim_of(ctx, spans),
                "quote",
                spans,
                ctx.summary([(a, _short(sp.text)) for a, sp in first.items()]),
                f"The same quotation{who} is given with different content words ({changed}); a direct quote "
                f"should be verbatim, so at least one source altered it. Differences of spelling, case or "
                f"punctuation alone are not counted.",
            )
        )
    return out


def _named_speakers(qg: QuoteGroup) -> dict[str, dict[str, Span]]:
    """Speaker -> article -> the span naming them, for occurrences whose outlet names the speaker
    outright (a name or an organisation next to the cue; pronouns, roles and carried-over speakers are
    storydiff's reading, not the outlet's words)."""
    out: dict[str, dict[str, Span]] = {}
    for occ in qg.occurrences:
        if occ.speaker and occ.speaker_span is not None and getattr(occ, "how", "none") in ("name", "org"):
            out.setdefault(occ.speaker, {}).setdefault(occ.span.article, occ.speaker_span)
    return out


def _other_people(a: str, b: str) -> bool:
    """Two names that cannot be one person written two ways: different surnames, neither a part of the
    other ("A.J. Smith" / "A.J. Butler"; not "Smith" / "A.J. Smith", not "Bill Hakim" / "William Hakim")."""
    ta, tb = tokens(fold(a)), tokens(fold(b))
    if not ta or not tb or set(ta) <= set(tb) or set(tb) <= set(ta):
        return False
    return ta[-1] != tb[-1]


@conflict_check("quote-speaker", scope="story", schema_kind="attribution")
def quote_speaker_conflicts(ctx: CheckContext) -> list[Found]:
    """One quotation, two speakers: outlets that name different people for the same words."""
    out: list[Found] = []
    for qg in ctx.quote_groups:
        if qg.agreement == "altered" or len({o.span.article for o in qg.occurrences}) < 2:
            continue
        named = _named_speakers(qg)
        names = list(named)
        pairs = [
            (x, y)
            for i, x in enumerate(names)
            for y in names[i + 1 :]
            if _other_people(x, y) and not set(named[x]) & set(named[y])
        ]
        if not pairs:
            continue
        involved = list(dict.fromkeys(n for pair in pairs for n in pair))
        spans = [sp for n in involved for sp in named[n].values()]
        sides = [
            (article, f"{n} ({_short(qg.occurrences[0].span.text)})")
            for n in involved
            for article in named[n]
        ]
        out.append(
            Found(
                _claim_of(ctx, [o.span for o in qg.occurrences]),
                "quote-speaker",
                spans,
                ctx.summary(sides),
                f"The same quotation is attributed by name to {' and to '.join(involved)} in different "
                f"sources; one of them names the wrong speaker.",
            )
        )
    return out
