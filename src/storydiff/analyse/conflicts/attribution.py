"""Attribution conflicts: a firm cue (said, confirmed) on one side and a doubtful one (claimed,
reportedly) on the other, for the same proposition."""

from __future__ import annotations

from storydiff.analyse import attribution as attribution_mod
from storydiff.analyse.conflicts.base import CheckContext, Found
from storydiff.analyse.conflicts.sameness import same_proposition
from storydiff.model import Attribution, ClaimGroup, Statement
from storydiff.registry import conflict_check


@conflict_check("attribution")
def attribution_conflicts(
    group: ClaimGroup, arts: dict[str, list[Statement]], ctx: CheckContext
) -> list[Found]:
    cfg = ctx.config
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
    pairs = [
        (f, d)
        for f in firm
        for d in doubtful
        if f[0] != d[0]
        and same_proposition(f[1], d[1], cfg.proposition_min_shared, cfg.proposition_min_share)
    ]
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
        Found(
            group,
            "attribution",
            [c.cue for _, c in sides],
            ctx.summary([(a, c.cue.text) for a, c in sides]),
            "The same claim is presented as established by "
            + ", ".join(f"'{c.cue.text}' ({c.strength})" for _, c in firm_c)
            + " but as doubtful by "
            + ", ".join(f"'{c.cue.text}' ({c.strength})" for _, c in doubt_c)
            + ": the wording changes how certain the fact is, not just its phrasing.",
        )
    ]
