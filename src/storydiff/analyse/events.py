"""Which event a statement is about: the values and times that identify it.

Articles about one story often mention another event of the same kind: "A powerful quake with a magnitude
of 6.1 struck southern Iran in September, killing at least seven people" in a report on Sunday's 5.6
quake; a next-day aftershock. A statement's *signature* is what identifies its event: the values of
identifying scales (a quake's magnitude, a storm's category) and its time (a day, a weekday, a month). A
statement that states none takes them from the clause it depends on ("..., killing at least seven" ->
September's 6.1 quake), else from its article's lead: the article's main event.

Two statements are about different events when their signatures differ on a key *and one of the two
articles itself names both values* ("Earlier on Sunday a 5.6 quake jolted the island" in a report on
Monday's 5.2 quake): that article distinguishes the events, so its 5.2 statements are not a contradiction
of another outlet's 5.6. Where neither article names both, differing values are left to the conflict
checks: they may be the same event reported differently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from storydiff.lexicon import MONTHS, WEEKDAYS
from storydiff.model import DateMention, Doc, Statement

# Quantity roles whose value identifies an event rather than measuring its outcome (numbers.py names them).
SCALE_ROLES = frozenset({"magnitude", "category"})
LEAD_SENTENCES = 3  # the headline and the first sentences carry an article's main event
_WEEKDAYS = WEEKDAYS
_MONTHS = MONTHS
_DATE_WORDS = frozenset({*WEEKDAYS, *MONTHS, "day", "week", "month", "year", "night", "morning", "evening"})


@dataclass
class Signature:
    """Key -> values that identify a statement's event ("magnitude" -> {5.6}, "weekday" -> {"sunday"})."""

    keys: dict[str, frozenset[object]] = field(default_factory=dict)
    # Scale keys on which the statement names another event than its article's lead does (the 6.1 quake of
    # September in a report on Sunday's 5.6): its article itself sets that event apart as background. Days
    # are left out: "police said on Sunday" in a report on Saturday's fire dates the report, not an event.
    background: frozenset[str] = frozenset()


def date_keys(d: DateMention) -> dict[str, object]:
    """Keys of one date expression: the resolved day, else the weekday or month it names."""
    out: dict[str, object] = {}
    if d.start and d.granularity == "day" and d.start == d.end:
        out["day"] = d.start
    words = d.span.text.lower().split()
    for w in words:
        w = w.strip(",.")
        if w in _WEEKDAYS:
            out["weekday"] = w
        elif w in _MONTHS or w[:3] in {m[:3] for m in _MONTHS} and len(w) in (3, 4) and w.isalpha():
            out["month"] = next(m for m in _MONTHS if m.startswith(w[:3]))
    return out


def _own(st: Statement) -> dict[str, set[object]]:
    keys: dict[str, set[object]] = {}
    for q in st.quantities:
        if q.role in SCALE_ROLES:
            keys.setdefault(q.role, set()).add(round(q.value, 3))
    for d in st.dates:
        if d.granularity == "time":
            continue
        for k, v in date_keys(d).items():
            keys.setdefault(k, set()).add(v)
    return keys


def lead_statements(doc: Doc) -> list[Statement]:
    """The headline and the statements of the first body sentences: where an article states its event."""
    first_body = min((st.sentence for st in doc.statements if st.kind != "headline"), default=0)
    return [st for st in doc.statements if st.kind == "headline" or st.sentence < first_body + LEAD_SENTENCES]


# "That temblor killed at least six": a sentence that opens by pointing back at an event is about the
# event of the sentence before it, not the article's main one.
_REFERS_BACK = re.compile(r"^(?:that|those|the\s+(?:earlier|previous|same|former))\s+[a-z]", re.I)


def _refers_back(doc: Doc, st: Statement) -> bool:
    if not 0 <= st.sentence < len(doc.sentences):
        return False
    text = doc.sentences[st.sentence].span.text.lstrip(" \"“'‘")
    return bool(_REFERS_BACK.match(text)) and text.split()[1].lower().strip(",") not in _DATE_WORDS


def signatures(doc: Doc) -> tuple[dict[str, Signature], dict[str, set[object]]]:
    """(statement id -> signature, key -> every value the article names for it)."""
    own = {st.id: _own(st) for st in doc.statements}
    by_id = {st.id: st for st in doc.statements}
    lead: dict[str, set[object]] = {}
    for st in lead_statements(doc):
        for k, vs in own[st.id].items():
            lead.setdefault(k, set()).update(vs)
    named: dict[str, set[object]] = {}
    for keys in own.values():
        for k, vs in keys.items():
            named.setdefault(k, set()).update(vs)
    by_sentence: dict[int, list[Statement]] = {}
    for st in doc.statements:
        by_sentence.setdefault(st.sentence, []).append(st)
    out: dict[str, Signature] = {}
    for st in doc.statements:
        keys = dict(own[st.id])
        parent = by_id.get(st.parent) if st.parent else None
        seen = {st.id}
        while parent is not None and parent.id not in seen:  # what the clause depends on fills the gaps
            seen.add(parent.id)
            for k, vs in own[parent.id].items():
                keys.setdefault(k, vs)
            parent = by_id.get(parent.parent) if parent.parent else None
        if _refers_back(doc, st):
            # "That temblor killed at least six ... in September": the event of the sentence before fills
            # what the statement does not name itself (its own month stays).
            borrowed: dict[str, set[object]] = {}
            for prev in by_sentence.get(st.sentence - 1, []):
                for k, vs in own[prev.id].items():
                    if k not in keys:
                        borrowed.setdefault(k, set()).update(vs)
            keys.update(borrowed)
        background = frozenset(
            k for k, vs in keys.items() if k in SCALE_ROLES and vs and lead.get(k) and not vs & lead[k]
        )
        for k, vs in lead.items():
            keys.setdefault(k, vs)
        out[st.id] = Signature({k: frozenset(vs) for k, vs in keys.items() if vs}, background)
    return out, named


def different_events(
    a: Signature, b: Signature, named_a: dict[str, set[object]], named_b: dict[str, set[object]]
) -> bool:
    """Whether the signatures name different events: some key with values that share nothing, all of
    which one of the two articles names itself (so it tells the two events apart), or where one statement
    is about an event its own article sets apart from its main one (background: "the 6.1 quake in
    September ..." against another outlet's 5.2 of today)."""
    for key, va in a.keys.items():
        vb = b.keys.get(key)
        if not vb or va & vb:
            continue
        if key in a.background or key in b.background:
            return True
        both = set(va) | set(vb)
        if both <= named_a.get(key, set()) or both <= named_b.get(key, set()):
            return True
    return False
