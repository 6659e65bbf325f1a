"""Typed conflicts between the statements of one claim group, each explained.

Only statements of different articles inside one ``ClaimGroup`` are compared, and every check is
conservative: a false conflict costs more trust than a missed one. Each check is a registered component
(``storydiff.registry.conflict_check``), one module each; they run in registration order, per group
(``scope="group"``) or once per story (``scope="story"``), and third-party checks join through the
``storydiff.checks`` entry-point group. Built-in kinds, in the order they are reported for each group:
number, date, person / place / organization, spelling (does not dispute), attribution, negation and
denial (both written as ``other`` + ``subkind``); then quote, per story.
"""

from __future__ import annotations

# Importing the check modules registers them, in this order (the order their conflicts are reported).
# isort: off
from storydiff.analyse.conflicts import number  # noqa: F401
from storydiff.analyse.conflicts import date  # noqa: F401
from storydiff.analyse.conflicts import direction  # noqa: F401
from storydiff.analyse.conflicts import entity  # noqa: F401
from storydiff.analyse.conflicts import spelling  # noqa: F401
from storydiff.analyse.conflicts import attribution  # noqa: F401  (and speaker)
from storydiff.analyse.conflicts import negation  # noqa: F401
from storydiff.analyse.conflicts import denial  # noqa: F401
from storydiff.analyse.conflicts import correction  # noqa: F401
from storydiff.analyse.conflicts import quote  # noqa: F401
from storydiff.analyse.conflicts import title  # noqa: F401

# isort: on
from storydiff.analyse import events
from storydiff.analyse.conflicts.base import CheckContext, ConflictsConfig, Found, by_article
from storydiff.analyse.conflicts.number import EVENT_ROLES
from storydiff.analyse.conflicts.sameness import is_dateline, same_claim
from storydiff.analyse.conflicts.spelling import is_spelling_variant
from storydiff.model import ClaimGroup, Conflict, Doc, Entity, QuoteGroup, Statement
from storydiff.registry import CheckSpec, checks, disputes

__all__ = [
    "CheckContext",
    "ConflictsConfig",
    "Found",
    "find_conflicts",
    "is_dateline",
    "is_spelling_variant",
    "same_claim",
]


def find_conflicts(
    groups: list[ClaimGroup],
    docs: list[Doc],
    entities: list[Entity],
    quote_groups: list[QuoteGroup],
    config: ConflictsConfig | None = None,
    *,
    only: set[str] | None = None,
    pairs: list[tuple[Statement, Statement, float]] | None = None,
    signatures: dict[str, tuple[dict[str, events.Signature], dict[str, set[object]]]] | None = None,
) -> list[Conflict]:
    """Typed conflicts of every claim group; sets ``group.conflicts`` and marks groups disputed.

    Statements must carry their values (the ``values`` stage) and mentions (``entities``). ``only``
    limits the run to these check names (None: every registered check). ``pairs``: statement pairs the
    judge found likely to state the same fact (with its probability); a pair that alignment left in
    different groups is checked too, since two reports of one fact that disagree on its value are less
    alike than two that agree: when such a pair conflicts, the second statement joins the first's group,
    so the disputed claim shows both sides. ``signatures``: each article's event signatures as the judge
    computed them (``Judgements.signatures``), so they are not computed twice.
    """
    ctx = CheckContext(
        docs={d.id: d for d in docs},
        entities={e.id: e for e in entities},
        groups=groups,
        quote_groups=quote_groups,
        config=config or ConflictsConfig(),
        _signatures=dict(signatures or {}),
    )
    specs = [s for s in checks.values() if only is None or s.name in only]
    for group in groups:
        group.conflicts = []
    # Pairs first: a statement that contradicts a group's statement joins that group, so the group's own
    # checks then see it (and show its value rather than a headline's shorthand).
    found: list[Found] = _pair_conflicts(groups, (pairs or []) + _lead_tolls(docs, ctx), specs, ctx)
    for group in groups:
        arts = by_article(group)
        if len(arts) < 2:
            continue
        for spec in specs:
            if spec.scope == "group":
                found.extend(spec.func(group, arts, ctx))
    for spec in specs:
        if spec.scope == "story":
            found.extend(spec.func(ctx))

    # The same difference found in two groups (a quotation and the frame that reports it) is one conflict.
    # So is the same difference found twice in one group (from a judged pair, then from the whole group
    # with a third outlet's value): the conflict whose values include the other's is kept.
    def values_of(f: Found) -> frozenset[tuple[str, str]]:
        return frozenset((v.article, v.text.casefold()) for v in f.values)

    unique: list[Found] = []
    for n, f in enumerate(found):
        spans = frozenset((v.article, v.start, v.end) for v in f.values)
        mine = values_of(f)
        covered = False
        for m, g in enumerate(found):
            if m == n or g.kind != f.kind:
                continue
            if frozenset((v.article, v.start, v.end) for v in g.values) == spans and m < n:
                covered = True  # the same spans found twice: the first is kept
            elif g.group is f.group and f.group is not None:
                theirs = values_of(g)
                covered |= mine < theirs or (mine == theirs and m < n)
            if covered:
                break
        if not covered:
            unique.append(f)
    found = unique
    out: list[Conflict] = []
    for n, f in enumerate(found, start=1):
        cid = f"c{n}"
        out.append(Conflict(cid, f.kind, f.group.id if f.group else None, f.values, f.summary, f.explanation))
        if f.group is not None:
            f.group.conflicts.append(cid)
            if disputes(f.kind):
                f.group.status = "disputed"
    return out


# The checks run on a judged pair outside the groups: values that differ (a count, a day, a name). Negation
# and denial need the group: they read what the whole claim says, not one pair.
PAIR_CHECKS = frozenset({"number", "date", "direction", "person"})


def _lead_tolls(docs: list[Doc], ctx: CheckContext) -> list[tuple[Statement, Statement, float]]:
    """Pairs of lead statements of two articles that give a toll for the same role ("Eleven people have
    died" / "Nine people are confirmed dead"): an article's lead states its event, and the articles of a
    story report one event, so their lead tolls are one fact whatever the judge made of two short
    clauses. The number check still keeps apart tolls of different times or events."""
    leads = [
        [st for st in events.lead_statements(d) if any(q.role in EVENT_ROLES for q in st.quantities)]
        for d in docs
    ]
    out: list[tuple[Statement, Statement, float]] = []
    for k, sts in enumerate(leads):
        for other in leads[k + 1 :]:
            out.extend(
                (a, b, ctx.config.toll_pair_probability) for a in sts for b in other if _shared_toll(a, b)
            )
    return out


def _shared_toll(a: Statement, b: Statement) -> bool:
    roles = {q.role for q in a.quantities} & {q.role for q in b.quantities}
    return bool(roles & EVENT_ROLES)


def _pair_conflicts(
    groups: list[ClaimGroup],
    pairs: list[tuple[Statement, Statement, float]],
    specs: list[CheckSpec],
    ctx: CheckContext,
) -> list[Found]:
    """Conflicts between judged pairs of statements that share no group; the pair is checked as a group of
    its own, and a conflict moves the second statement into the first's group."""
    member_of: dict[str, list[ClaimGroup]] = {}
    for group in groups:
        for st in group.statements:
            member_of.setdefault(st.id, []).append(group)
    out: list[Found] = []
    for a, b, p in sorted(pairs, key=lambda t: -t[2]):
        if a.article == b.article or p < ctx.config.toll_pair_probability:
            continue
        names = PAIR_CHECKS
        if p < ctx.config.pair_conflict_probability:
            if not _shared_toll(a, b):
                continue
            names = frozenset({"number"})
        ga, gb = member_of.get(a.id, []), member_of.get(b.id, [])
        if {id(g) for g in ga} & {id(g) for g in gb}:
            continue  # already compared inside their group
        host = max(
            ga + gb, key=lambda g: (len(g.sources), -int(g.id[1:]) if g.id[1:].isdigit() else 0), default=None
        )
        if host is None:
            continue
        pair_group = ClaimGroup(host.id, [a, b])
        found = [
            f
            for spec in specs
            if spec.scope == "group" and spec.name in names
            for f in spec.func(pair_group, by_article(pair_group), ctx)
        ]
        if not found:
            continue
        # The contradicting statement joins the group, even beside another statement of its article: it
        # states the group's fact, with another value.
        guest = b if host in ga else a
        if all(st.id != guest.id for st in host.statements):
            host.statements.append(guest)
            order = {d: n for n, d in enumerate(ctx.docs)}
            host.statements.sort(key=lambda st: (order.get(st.article, len(order)), st.span.start))
            member_of.setdefault(guest.id, []).append(host)
        for f in found:
            f.group = host
        out.extend(found)
    return out
