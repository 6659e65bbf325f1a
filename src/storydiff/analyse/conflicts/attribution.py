"""Attribution conflicts: a firm cue (said, confirmed) on one side and a doubtful one (claimed,
reportedly) on the other, for the same proposition; and the same words attributed to different people."""

from __future__ import annotations

import re

from storydiff.analyse import attribution as attribution_mod
from storydiff.analyse.conflicts.base import CheckContext, Found
from storydiff.analyse.conflicts.sameness import core, same_claim, same_proposition, stems
from storydiff.model import Attribution, ClaimGroup, Span, Statement
from storydiff.registry import conflict_check


def _reported(st: Statement, ctx: CheckContext) -> set[str]:
    """Stems of everything the statement's frame reports: a cue qualifies the whole reported content,
    which the claim units split into pieces ("the levee had held", "although water spilled over it")."""
    doc = ctx.docs.get(st.article)
    frame = st.frame or (st.id if st.kind == "attribution" else None)
    if doc is None or frame is None:
        return core(st)
    return set().union(*(core(s) for s in doc.statements if s.id == frame or s.frame == frame))


def _same_report(a: Statement, b: Statement, ctx: CheckContext) -> bool:
    cfg = ctx.config
    if same_proposition(a, b, cfg.proposition_min_shared, cfg.proposition_min_share):
        return True
    ca, cb = _reported(a, ctx), _reported(b, ctx)
    shared = ca & cb
    return len(shared) >= cfg.proposition_min_shared and len(shared) >= cfg.proposition_min_share * min(
        len(ca), len(cb)
    )


@conflict_check("attribution")
def attribution_conflicts(
    group: ClaimGroup, arts: dict[str, list[Statement]], ctx: CheckContext
) -> list[Found]:
    firm: list[tuple[str, Statement]] = []
    doubtful: list[tuple[str, Statement]] = []
    for art, sts in arts.items():
        cued = [st for st in sts if st.attribution is not None]
        strengths = {st.attribution.strength for st in cued if st.attribution is not None}
        if not cued or (strengths & attribution_mod.FIRM and strengths & attribution_mod.DOUBTFUL):
            continue  # unattributed, or the side itself is mixed
        side = doubtful if strengths & attribution_mod.DOUBTFUL else firm
        side.extend((art, st) for st in cued)
    # "may have", "appears to", "had allegedly fled" often qualify a detail, not the claim: they only
    # count against an explicit "confirmed"; hedges of the report itself ("reportedly said", "claimed")
    # count against any firm cue.
    if not any(st.attribution and st.attribution.strength == "confirmed" for _, st in firm):
        doubtful = [
            (a, st)
            for a, st in doubtful
            if st.attribution
            and (doc := ctx.docs.get(st.article)) is not None
            and not attribution_mod.qualifies_detail(st.attribution, doc.text)
        ]
    # Both sides must report the same proposition: high overlap once the cue words are removed.
    pairs = [(f, d) for f in firm for d in doubtful if f[0] != d[0] and _same_report(f[1], d[1], ctx)]
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


_PRONOUNS = frozenset({"he", "she", "they", "him", "her"})


def _speaker_entity(st: Statement, ctx: CheckContext) -> tuple[str, Span] | None:
    """(entity key, span naming the person) of who a statement is attributed to: the person named in its
    speaker phrase, or for "he said" the last person named before it in the article."""
    att = st.attribution
    if att is None or att.speaker is None:
        return None
    doc = ctx.docs.get(st.article)
    if doc is None:
        return None
    people = [m for m in doc.mentions if m.label == "PERSON"]
    inside = [m for m in people if att.speaker.contains(m.span) or m.span.overlaps(att.speaker)]
    if inside:
        m = inside[-1]
    elif att.speaker.text.lower() in _PRONOUNS:
        before = [m for m in people if m.span.end <= att.speaker.start]
        if not before:
            return None
        m = before[-1]
    else:
        return None
    return (m.entity or m.span.text.lower()), m.span


def _title(person: Span, ctx: CheckContext) -> set[str]:
    """Stems of the post written next to the person's name: "Rovers general manager A.J. Smith",
    "A.J. Smith, the club's general manager,"."""
    doc = ctx.docs.get(person.article)
    if doc is None:
        return set()
    before = re.split(r"[.,;:!?\"“”()]", doc.text[max(0, person.start - 60) : person.start])[-1]
    words = before.split()[-4:]
    after = doc.text[person.end : person.end + 80]
    if after.startswith(","):
        words += re.split(r"[.,;:!?\"“”()]", after[1:])[0].split()[:6]
    return stems(" ".join(words))


def _frame_content(st: Statement, ctx: CheckContext) -> set[str] | None:
    """Stems of what a bare frame ("Officer Brad Baehr said.") reports, from the statements it frames;
    None for a statement that carries its own content."""
    doc = ctx.docs.get(st.article)
    if st.kind != "attribution" or doc is None:
        return None
    return set().union(set(), *(core(s) for s in doc.statements if s.frame == st.id))


def _same_content(a: Statement, b: Statement, ctx: CheckContext) -> bool:
    """Two frames alike ("Officer X said." / "Officer Y said.") are the same statement only when what
    they frame is: two officers quoted on different points is no conflict."""
    fa, fb = _frame_content(a, ctx), _frame_content(b, ctx)
    if fa is None and fb is None:
        return True
    ca = fa if fa is not None else core(a)
    cb = fb if fb is not None else core(b)
    shared = ca & cb
    cfg = ctx.config
    return len(shared) >= cfg.proposition_min_shared and len(shared) >= cfg.proposition_min_share * min(
        len(ca), len(cb)
    )


@conflict_check("speaker", schema_kind="attribution")
def speaker_conflicts(group: ClaimGroup, arts: dict[str, list[Statement]], ctx: CheckContext) -> list[Found]:
    """The same words attributed to different people by two outlets ("..., he said" after naming Officer
    Ray Scheidnes / "..., Officer Brad Baehr said"). Two people can say the same thing, so only statements
    that are nearly word for word the same (one outlet's copy of the other's report) count."""
    sides: list[tuple[str, Statement, str, Span]] = []
    for art, sts in arts.items():
        for st in sts:
            found = _speaker_entity(st, ctx)
            if found is not None:
                sides.append((art, st, found[0], found[1]))
                break
    for i, (art_a, sa, ka, pa) in enumerate(sides):
        for art_b, sb, kb, pb in sides[i + 1 :]:
            if ka == kb or set(ka.split()) & set(kb.split()):
                continue
            if not same_claim(sa, sb, ctx.config.speaker_same_words) or not _same_content(sa, sb, ctx):
                continue
            short = min(len(core(sa)), len(core(sb))) < ctx.config.speaker_min_words
            if short and not (_title(pa, ctx) & _title(pb, ctx)):
                # "the dam was safe": short enough for two officials to say alike, unless both outlets
                # give the speaker the same post ("Rovers general manager A.J. Smith" / "... A.J. Butler").
                continue
            return [
                Found(
                    group,
                    "speaker",
                    [pa, pb],
                    ctx.summary([(art_a, pa.text), (art_b, pb.text)]),
                    f"The same statement is attributed to {pa.text} by {ctx.source(art_a)} and to {pb.text} by "
                    f"{ctx.source(art_b)}: at least one of them names the wrong source.",
                )
            ]
    return []
