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
from storydiff.analyse.conflicts import entity  # noqa: F401
from storydiff.analyse.conflicts import spelling  # noqa: F401
from storydiff.analyse.conflicts import attribution  # noqa: F401  (and speaker)
from storydiff.analyse.conflicts import negation  # noqa: F401
from storydiff.analyse.conflicts import denial  # noqa: F401
from storydiff.analyse.conflicts import quote  # noqa: F401

# isort: on
from storydiff.analyse.conflicts.base import CheckContext, ConflictsConfig, Found, by_article
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
) -> list[Conflict]:
    """Typed conflicts of every claim group; sets ``group.conflicts`` and marks groups disputed.

    Statements must carry their values (the ``values`` stage) and mentions (``entities``). ``only``
    limits the run to these check names (None: every registered check). ``pairs``: statement pairs the
    judge found likely to state the same fact (with its probability); a pair that alignment left in
    different groups is checked too, since two reports of one fact that disagree on its value are less
    alike than two that agree: when such a pair conflicts, the second statement joins the first's group,
    so the disputed claim shows both sides.
    """
    ctx = CheckContext(
        docs={d.id: d for d in docs},
        entities={e.id: e for e in entities},
        groups=groups,
        quote_groups=quote_groups,
        config=config or ConflictsConfig(),
    )
    specs = [s for s in checks.values() if only is None or s.name in only]
    found: list[Found] = []
    for group in groups:
        group.conflicts = []
        arts = by_article(group)
        if len(arts) < 2:
            continue
        for spec in specs:
            if spec.scope == "group":
                found.extend(spec.func(group, arts, ctx))
    found.extend(_pair_conflicts(groups, pairs or [], specs, ctx))
    for spec in specs:
        if spec.scope == "story":
            found.extend(spec.func(ctx))
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
PAIR_CHECKS = frozenset({"number", "date", "person"})


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
        if p < ctx.config.pair_conflict_probability or a.article == b.article:
            continue
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
            if spec.scope == "group" and spec.name in PAIR_CHECKS
            for f in spec.func(pair_group, by_article(pair_group), ctx)
        ]
        if not found:
            continue
        guest = b if host in ga else a
        if all(st.article != guest.article for st in host.statements):
            host.statements.append(guest)
            member_of.setdefault(guest.id, []).append(host)
        for f in found:
            f.group = host
        out.extend(found)
    return out
