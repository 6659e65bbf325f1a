"""Number conflicts: quantities that count the same thing (same ``Quantity.role``) whose intervals cannot
overlap; tolls (dead, injured, missing, arrested) always, other figures only between near-paraphrase
sentences, and never between sides dated to different times ("8.6% in May" / "6.8% in June")."""

from __future__ import annotations

from storydiff.analyse import numbers as numbers_mod
from storydiff.analyse.conflicts.base import CheckContext, Found, fmt
from storydiff.analyse.conflicts.sameness import (
    different_subjects,
    different_times,
    restates_fragment,
    same_claim,
    statement_of,
)
from storydiff.lexicon import ALNUM_WORD, CORE_STOP_WORDS
from storydiff.model import ClaimGroup, Quantity, Statement
from storydiff.registry import conflict_check

EVENT_ROLES = numbers_mod.EVENT_ROLES


def _qty_label(q: Quantity, ctx: CheckContext) -> str:
    """ "two men", "14 dead": the value with what it counts, as the article wrote it when it follows."""
    thing = q.role if q.role and q.role not in ("%", "money", "age") and q.role != q.unit else q.counted
    text = q.span.text
    doc = ctx.docs.get(q.span.article)
    if doc is not None and thing:
        after = ALNUM_WORD.search(doc.text, q.span.end, min(len(doc.text), q.span.end + 30))
        if after and numbers_mod.lemma(after.group()) in (thing, q.counted):
            label = doc.text[q.span.start : after.end()]
            # "Fourteen people" says whom, not what happened to them: "Fourteen people dead".
            return f"{label} {q.role}" if q.role in EVENT_ROLES and q.role not in label.lower() else label
    return f"{text} {thing}" if thing and thing.lower() not in text.lower() else text


def _pair_comparable(
    x: Quantity, y: Quantity, sx: Statement, sy: Statement, role: str, ctx: CheckContext
) -> bool:
    """The two figures state the same fact: same claim around them, same subject, same slot."""
    cfg = ctx.config
    if role in EVENT_ROLES:
        # A toll is one fact per story: two sources giving different tolls is the contradiction itself.
        return True
    if different_subjects(sx, sy):
        return (
            False  # "Bloomberg Economics ... 38%" vs "the Wall Street Journal ... 44%": two sources' figures
        )
    if not (same_claim(sx, sy, cfg.figure_overlap) or restates_fragment(sx, sy)):
        return False
    if role in ("%", "") and not _same_subject(x, sx, y, sy, ctx):
        return False  # "prices shot up by 10.5%" / "[mortgage rates] had shot up to more than 16%"
    # Same slot: the figure sits next to the same word ("a 44% chance" / "a 38% chance").
    wx, wy = _slot_words(x, sx), _slot_words(y, sy)
    return bool(wx & wy)


def _figure_subject(q: Quantity, st: Statement, ctx: CheckContext) -> str | None:
    """Lemma of the subject of the verb a figure hangs on ("prices shot up by 10.5%" -> "price"), climbing
    from a dependent clause to the verb it depends on ("..., rising to 8.6%"); "?" for a pronoun (any
    subject), None when the sentence names none (a fragment: nothing says what the figure is of)."""
    doc = ctx.docs.get(st.article)
    if doc is None or not 0 <= st.sentence < len(doc.parses) or st.sentence >= len(doc.sentences):
        return "?"
    base = doc.sentences[st.sentence].span.start
    tok = next((t for t in doc.parses[st.sentence] if base + t.idx >= q.span.start), None)
    if tok is None:
        return "?"
    seen = 0
    while tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i and seen < 8:
        tok, seen = tok.head, seen + 1
    while seen < 16:
        seen += 1
        for c in tok.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                return "?" if c.pos_ == "PRON" else str(c.lemma_.lower())
        if tok.dep_ in ("conj", "advcl", "xcomp", "relcl") and tok.head.i != tok.i:
            if tok.dep_ == "relcl":
                return str(tok.head.lemma_.lower())  # "the rate, which rose to 5%"
            tok = tok.head
            continue
        return None
    return None


def _same_subject(x: Quantity, sx: Statement, y: Quantity, sy: Statement, ctx: CheckContext) -> bool:
    """A bare percentage or number is comparable only where both say what it is of, and the same: the
    subject of its verb (a pronoun matches any)."""
    a, b = _figure_subject(x, sx, ctx), _figure_subject(y, sy, ctx)
    if a is None or b is None:
        return False
    return a == "?" or b == "?" or a == b


def _slot_words(q: Quantity, st: Statement) -> set[str]:
    text = st.span.text
    off0, off1 = q.span.start - st.span.start, q.span.end - st.span.start
    before = [
        w.lower()
        for w in ALNUM_WORD.findall(text[max(0, off0 - 40) : off0])
        if w.lower() not in CORE_STOP_WORDS
    ]
    after = [
        w.lower() for w in ALNUM_WORD.findall(text[off1 : off1 + 40]) if w.lower() not in CORE_STOP_WORDS
    ]
    return {w for w in before[-2:] + after[:2] if not w.isdigit()}


def _agrees(x: Quantity, y: Quantity) -> bool:
    """Compatible values of the same unit counting the same thing (or one of them unnamed)."""
    if x.unit != y.unit or not numbers_mod.compatible(x, y):
        return False
    return x.role is None or y.role is None or x.role == y.role


@conflict_check("number")
def number_conflicts(group: ClaimGroup, arts: dict[str, list[Statement]], ctx: CheckContext) -> list[Found]:
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

    out: list[Found] = []
    for role, by_art in roles.items():
        arts_list = list(by_art)
        side: dict[str, Quantity] = {}  # article -> its value in some clashing pair
        for i, a in enumerate(arts_list):
            for b in arts_list[i + 1 :]:
                # Pair values by best match first: a value the other side also states for the same thing
                # (or for something it does not name) is agreed, never compared against a different one.
                # "nine suspects, including warrants for two men" / "warrants for the nine men": the nine
                # agree on suspects, the men differ.
                xs = [x for x in by_art[a] if not any(_agrees(x, y) for y in per_art[b])]
                ys = [y for y in by_art[b] if not any(_agrees(x, y) for x in per_art[a])]
                pair = _first_clash(xs, ys, arts[a], arts[b], role, ctx)
                if pair is not None:
                    side.setdefault(a, pair[0])
                    side.setdefault(b, pair[1])
        if not side:
            continue
        sides = [(a, side[a]) for a in arts_list if a in side]
        what = f"the number of {role}" if role and role not in ("%", "money") else "the same figure"
        ranges = ", ".join(f"{fmt(q.low)}–{fmt(q.high)}" for _, q in sides)
        out.append(
            Found(
                group,
                "number",
                [q.span for _, q in sides],
                ctx.summary([(a, _qty_label(q, ctx)) for a, q in sides]),
                f"The sources give {what} for the same claim, and the values cannot all be true "
                f"(ranges {ranges} do not overlap once bounds like 'at least' or 'about' are applied); "
                f"a paraphrase would keep the figure.",
            )
        )
    return out


def _historical(st: Statement, ctx: CheckContext) -> bool:
    """The statement dates its figure to a year before its article's present."""
    present = ctx.present_year(st.article)
    years = {int(d.start[:4]) for d in st.dates if d.start and d.start[:4].isdigit()}
    return present is not None and bool(years) and max(years) < present


def _different_times(sx: Statement, sy: Statement, ctx: CheckContext) -> bool:
    """Figures of different moments: both dated and never the same time ("8.6% in May" / "6.8% in June"),
    or one dated to an earlier year beside an undated one ("By November 1982 the rate reached 10.8%" /
    today's 3.6%). An undated clause takes the time of the clause it depends on."""
    sx, sy = ctx.dated(sx), ctx.dated(sy)
    if different_times([sx], [sy]):
        return True
    return (_historical(sx, ctx) and not sy.dates) or (_historical(sy, ctx) and not sx.dates)


def _first_clash(
    xs: list[Quantity],
    ys: list[Quantity],
    sts_a: list[Statement],
    sts_b: list[Statement],
    role: str,
    ctx: CheckContext,
) -> tuple[Quantity, Quantity] | None:
    for x in xs:
        sx = statement_of(x.span, sts_a)
        for y in ys:
            sy = statement_of(y.span, sts_b)
            if sx is None or sy is None or numbers_mod.compatible(x, y) or x.unit != y.unit:
                continue
            if _different_times(sx, sy, ctx) or ctx.different_events(sx, sy):
                continue
            if not _pair_comparable(x, y, sx, sy, role, ctx):
                continue
            return x, y
    return None
