"""Quote conflicts: a quotation grouped across articles whose wording was altered."""

from __future__ import annotations

from storydiff.analyse.conflicts.base import CheckContext, Found
from storydiff.model import ClaimGroup, Span
from storydiff.registry import conflict_check


@conflict_check("quote", scope="story")
def quote_conflicts(ctx: CheckContext) -> list[Found]:
    out: list[Found] = []
    for qg in ctx.quote_groups:
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
        for group in ctx.groups:
            hits = sum(1 for sp in spans if any(st.span.overlaps(sp) for st in group.statements))
            if hits > best_hits:
                best, best_hits = group, hits

        def short(t: str) -> str:
            return f"“{t}”" if len(t) <= 70 else f"“{t[:67]}…”"

        who = f" of {qg.speaker}" if qg.speaker else ""
        out.append(
            Found(
                best,
                "quote",
                spans,
                ctx.summary([(a, short(sp.text)) for a, sp in first.items()]),
                f"The same quotation{who} is given in words that differ beyond punctuation or style; a direct "
                f"quote should be verbatim, so at least one source altered it.",
            )
        )
    return out
