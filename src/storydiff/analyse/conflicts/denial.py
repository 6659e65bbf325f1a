"""Denial conflicts: one source states a fact, another presents the same fact as false.

"The bridge will reopen Monday" against "Reports that the bridge will reopen Monday are false": the judge
put both in one group (it compares the denied proposition, not the words that deny it), and the stance
stage read the second as denied. A denial that names no proposition ("In fact the vote never took place")
refutes the claim its own article restated just before ("... proclaimed a poster in the post office"):
that restatement stands for it in the group.
"""

from __future__ import annotations

from storydiff.analyse import attribution as attribution_mod
from storydiff.analyse.conflicts.base import CheckContext, Found
from storydiff.analyse.conflicts.negation import negated_against
from storydiff.analyse.stance import refers_back
from storydiff.model import ClaimGroup, Span, Statement
from storydiff.registry import conflict_check


def _asserts(st: Statement) -> bool:
    """States the fact as fact: no doubtful stance, no doubtful attribution."""
    if st.stance is not None and st.stance.label != "asserted":
        return False
    return st.attribution is None or st.attribution.strength not in attribution_mod.DOUBTFUL


def _denial(st: Statement, ctx: CheckContext) -> Span | None:
    """The words that deny ``st``'s proposition: its own cue, or the cue of a denial that follows it closely
    in its article and names no proposition of its own ("The photograph is a hoax."): ``st`` restated the
    claim that denial refutes."""
    if st.stance is not None and st.stance.label == "denied":
        return st.stance.cue
    if st.stance is None:
        return None
    doc = ctx.docs.get(st.article)
    if doc is None:
        return None
    for later in doc.statements:
        if not st.sentence < later.sentence <= st.sentence + ctx.config.denial_refers_back:
            continue
        if refers_back(later):
            return later.stance.cue if later.stance is not None else None
        # A restated claim, then the same article negating its predicate ("... a tram derailed, social
        # media accounts reported." ... "it had not derailed"): the article refutes what it restated.
        if supports_restatement(st):
            found = negated_against(later, st, doc, doc)
            if found is not None:
                return found[0]
    return None


def supports_restatement(st: Statement) -> bool:
    """A statement that reports a claim rather than stating it: hedged, or attributed to a source."""
    return st.stance is not None and (st.stance.label == "hedged" or st.attribution is not None)


@conflict_check("denial", schema_kind="other")
def denial_conflicts(group: ClaimGroup, arts: dict[str, list[Statement]], ctx: CheckContext) -> list[Found]:
    asserted: list[tuple[str, Statement]] = []
    denied: list[tuple[str, Statement, Span]] = []
    for art, sts in arts.items():
        for st in sts:
            cue = _denial(st, ctx)
            if cue is not None:
                denied.append((art, st, cue))
                break
        else:
            first = next((st for st in sts if _asserts(st)), None)
            if first is not None:
                asserted.append((art, first))
    if not asserted or not denied:
        return []
    values = [st.span for _, st in asserted[:1]] + [cue for _, _, cue in denied]
    sides = [(asserted[0][0], _short(asserted[0][1].text))] + [(art, cue.text) for art, _, cue in denied]
    who = ", ".join(ctx.source(art) for art, _, _ in denied)
    return [
        Found(
            group,
            "denial",
            values,
            ctx.summary(sides),
            f"{ctx.source(asserted[0][0])} states this as fact, while {who} presents the same claim as false "
            f"({', '.join(repr(cue.text) for _, _, cue in denied)}): the sources contradict each other on whether "
            f"it is true, not just in wording.",
        )
    ]


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:77].rsplit(" ", 1)[0] + "…"
