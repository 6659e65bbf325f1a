"""Statements: the units of comparison, one claim each, cut from a sentence by its dependency parse.

A sentence often carries several facts: "A 5.6 magnitude earthquake hit the island on Sunday, injuring
five people, Iranian media said" states where and when a quake hit, that it injured five, and who reports
it. Each becomes a statement, so that a fact one outlet shares with another is compared on its own and a
detail only one outlet gives stays single-source. The cuts follow the parse:

- a reporting frame ("the governor told ISNA", "according to police") is split from what it reports; the
  reported clauses point to it (``Statement.frame``), and a frame naming no one ("he said") stays with its
  clause;
- coordinated clauses with their own subject ("..., and medical teams had been sent"), adverbial clauses ("..., injuring five
  people", "when he was pulled over"), relative clauses ("which struck east of the town") and a
  comma-separated trailing phrase ("..., about 30 miles south of Portland") are statements of their own,
  pointing to the clause they depend on (``Statement.parent``);
- a piece with fewer than ``min_content_words`` content words is no claim of its own and stays with its
  neighbour; purpose clauses ("to check villages") and quoted speech are never cut.

Without a parse (the parse stage disabled) every sentence is one statement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from storydiff.lexicon import REPORTING_LEMMAS, words
from storydiff.model import Doc, Sentence, Statement, StatementKind


@dataclass
class ClaimsConfig:
    # A piece of a sentence needs this many content words (nouns, names, verbs, numbers, adjectives) to be
    # a claim of its own; shorter pieces ("if convicted", "he said") stay with their clause. Set on the
    # development stories (bench/story-gold, ../shared/data/story-gold): 2 cut "he added" off as claims,
    # 4 kept "injuring five people" inside its sentence.
    min_content_words: int = 3
    # What a frame reports keeps its own statement from this many content words ("the levee had held").
    min_reported_words: int = 2
    # Verbs whose clause reports another ("the governor said that ..."): the frame is cut from the report.
    reporting_verbs: frozenset[str] = field(
        default_factory=lambda: (
            REPORTING_LEMMAS
            | words(
                """warn explain insist believe allege write testify estimate indicate suggest reveal acknowledge
            admit argue assert contend maintain predict disclose concede describe recall stress reiterate urge
            agree respond reply comment cite"""
            )
        )
    )


_CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "NUM", "ADJ"})
_EDGE_DROP = frozenset({"and", "or", "that"})  # carry no content at a cut; "but" and "while" do
_TRAILING_DROP = _EDGE_DROP | {"but", "yet", "while"}  # left behind at the end of a clause, they lead nowhere
_PAIRED_CLOSERS = frozenset({'"', "”", "’", ")", "]"})
_OPENERS = frozenset({'"', "“", "(", "["})


@dataclass
class _Unit:
    head: Any  # the spaCy token heading the piece
    tokens: set[int]
    kind: StatementKind
    parent: int | None = None  # index (in the unit list) of the piece it depends on
    frame: int | None = None  # index of the frame that reports it


def statements(doc: Doc, cfg: ClaimsConfig | None = None) -> list[Statement]:
    """Statements of ``doc`` in document order; every sentence is covered by at least one."""
    cfg = cfg or ClaimsConfig()
    out: list[Statement] = []
    parses = doc.parses if len(doc.parses) == len(doc.sentences) else [None] * len(doc.sentences)
    for sentence, parsed in zip(doc.sentences, parses, strict=True):
        pieces = _pieces(sentence, parsed, cfg) if parsed is not None else []
        if len(pieces) <= 1:
            kind: StatementKind = "headline" if sentence.is_headline else "sentence"
            out.append(Statement(f"{doc.id}:s{len(out)}", sentence.span, sentence.index, kind=kind))
            continue
        first = len(out)
        base = sentence.span.start
        for start, end, kind, parent, frame in pieces:
            if sentence.is_headline and kind != "attribution":
                kind = "headline"
            out.append(
                Statement(
                    id=f"{doc.id}:s{len(out)}",
                    span=doc.span(base + start, base + end),
                    sentence=sentence.index,
                    kind=kind,
                    parent=None if parent is None else f"{doc.id}:s{first + parent}",
                    frame=None if frame is None else f"{doc.id}:s{first + frame}",
                )
            )
    return out


def _pieces(
    sentence: Sentence, sd: Any, cfg: ClaimsConfig
) -> list[tuple[int, int, StatementKind, int | None, int | None]]:
    """(start, end, kind, parent index, frame index) of the claims of one parsed sentence, in text order."""
    units = _units(sd, cfg)
    if len(units) <= 1:
        return []
    units = _merge_small(sd, units, cfg)
    if len(units) <= 1:
        return []
    spans = [_span(sd, u.tokens) for u in units]
    order = sorted(range(len(units)), key=lambda i: (spans[i][0], -spans[i][1]))
    position = {old: new for new, old in enumerate(order)}
    out: list[tuple[int, int, StatementKind, int | None, int | None]] = []
    for i in order:
        u = units[i]
        start, end = spans[i]
        if end <= start:
            continue
        parent = position[u.parent] if u.parent is not None else None
        frame = position[u.frame] if u.frame is not None else None
        out.append((start, end, u.kind, parent, frame))
    return out


# --------------------------------------------------------------------------- finding the pieces


def _is_reporting(tok: Any, cfg: ClaimsConfig) -> bool:
    return tok.lemma_.lower() in cfg.reporting_verbs and tok.pos_ in ("VERB", "AUX")


def _clause_kind(tok: Any, cfg: ClaimsConfig) -> str | None:
    """How ``tok`` heads a piece of its own: "clause", "report" (what a frame reports), or None."""
    dep, pos = tok.dep_, tok.pos_
    if dep == "ROOT":
        return "clause"
    if dep == "conj" and pos in ("VERB", "AUX") and tok.head.pos_ in ("VERB", "AUX"):
        # "..., and medical teams had been sent": a clause with its own subject. Verbs sharing one subject
        # ("caught 59 passes and led the team with 1,098 yards") are one account of one event.
        if any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in tok.children):
            return "clause"
        if _is_reporting(tok, cfg) and _reports(tok, cfg) and not _reports(tok.head, cfg):
            # "Ekdahl announced a fund for the families and said [...]": the frame is "said", not the
            # announcement, which is a claim of its own.
            return "clause"
        return None
    if dep == "advcl" and pos in ("VERB", "AUX"):
        if any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
            return None  # a purpose: "sent to check villages"
        if _is_reporting(tok, cfg) and _reports(tok, cfg):
            return None  # "quoted the governor as saying ...": part of the frame
        return "clause"
    if dep == "relcl":
        return "clause"
    if dep in ("ccomp", "parataxis") and _is_reporting(tok.head, cfg):
        return "report"
    if dep in ("ccomp", "parataxis", "conj") and pos in ("VERB", "AUX") and _after_semicolon(tok):
        return "clause"  # "The bridge was closed for repairs; traffic was diverted"
    if dep == "ccomp" and tok.head.dep_ == "advcl" and _is_reporting(tok.head, cfg):
        return "report"  # "quoted the governor as saying [five people were hurt]"
    return None


def _after_semicolon(tok: Any) -> bool:
    """A clause set off from the one it hangs on by a semicolon."""
    lo, hi = sorted((tok.i, tok.head.i))
    sub = {t.i for t in tok.subtree}
    return any(t.text == ";" and t.i not in sub for t in tok.doc[lo:hi])


def _reports(tok: Any, cfg: ClaimsConfig) -> bool:
    return any(c.dep_ in ("ccomp", "parataxis") for c in tok.children)


def _quoted(sd: Any) -> set[int]:
    """Token indices inside quotation marks: quoted speech is never cut."""
    inside: set[int] = set()
    open_at: int | None = None
    for t in sd:
        if t.text in ('"', "“", "”"):
            if open_at is None and t.text != "”":
                open_at = t.i
            elif open_at is not None:
                inside.update(range(open_at, t.i + 1))
                open_at = None
    return inside


def _units(sd: Any, cfg: ClaimsConfig) -> list[_Unit]:
    quoted = _quoted(sd)
    heads: dict[int, str] = {}
    for tok in sd:
        kind = _clause_kind(tok, cfg)
        # Inside a quotation nothing is cut; the quotation itself may be cut from its frame.
        if kind is None or (tok.i in quoted and tok.dep_ != "ROOT" and tok.head.i in quoted):
            continue
        heads[tok.i] = kind
    # '"We will rebuild the pier," Ilse Varn told the Courier': the small model makes the quotation the root
    # and the frame a conjunct of it; the quotation is then what the frame reports.
    reversed_frames: dict[int, int] = {}
    for tok in sd:
        if (
            tok.dep_ in ("conj", "parataxis")
            and _is_reporting(tok, cfg)
            and tok.head.dep_ == "ROOT"
            and tok.head.i in quoted
            and tok.i not in quoted
        ):
            heads[tok.i] = "clause"
            heads[tok.head.i] = "report"
            reversed_frames[tok.head.i] = tok.i
    for tok in sd:  # "according to police": a frame of its own
        if tok.lower_ == "according" and tok.dep_ == "prep" and tok.i not in quoted:
            heads[tok.i] = "according"
    _add_trailing_phrases(sd, heads, quoted, cfg)
    units: list[_Unit] = []
    index: dict[int, int] = {}
    for i in sorted(heads):
        tok = sd[i]
        tokens = _own_tokens(tok, set(heads) - {i})
        index[i] = len(units)
        units.append(_Unit(tok, tokens, "clause"))
    _repair_speakers(sd, heads, units, index)
    for i, u in zip(sorted(heads), units, strict=True):
        u.parent = _enclosing(u.head, index)
        if heads[i] == "according":
            u.kind = "attribution"
    for i, u in zip(sorted(heads), units, strict=True):
        if i in reversed_frames:
            u.parent = index[reversed_frames[i]]
        if heads[i] == "report" and u.parent is not None:
            units[u.parent].kind = "attribution"  # the piece holding the reporting verb is the frame
    # What a frame reports: its "report" pieces and their dependants, and clauses coordinated with the
    # frame ("X said A, and B": B is still X's words); an "according to" frame, the clause it sits in.
    reports = [u for i, u in zip(sorted(heads), units, strict=True) if heads[i] == "report"]
    for i, u in zip(sorted(heads), units, strict=True):
        if u.kind != "attribution":
            continue
        frame = index[i]
        for v in units:
            if v is u or v.kind == "attribution" or v.frame is not None:
                continue
            if heads[i] == "according":
                hit = v.head.i == sd[i].head.i or _is_ancestor(sd[i].head, v.head)
            else:
                mine = [r for r in reports if r.parent == frame]
                hit = any(r is v or _is_ancestor(r.head, v.head) for r in mine) or (
                    bool(mine) and v.head.dep_ == "conj" and v.head.head.i == u.head.i
                )
            if hit:
                v.frame = frame
    return units


def _repair_speakers(sd: Any, heads: dict[int, str], units: list[_Unit], index: dict[int, int]) -> None:
    """ "..., the governor of Qeshm, Mehdi iran-Nejad, told ISNA": the small model often attaches a speaker
    that stands between a report and its verb to the report. A reporting head with no subject of its own
    takes back the noun phrase right before it."""
    for i in heads:
        head = sd[i]
        if not any(heads.get(c.i) == "report" for c in head.children):
            continue
        if any(c.dep_ in ("nsubj", "nsubjpass") for c in head.children):
            continue
        k = i - 1
        while k >= 0 and sd[k].is_punct:
            k -= 1
        if k < 0:
            continue
        # The outermost phrase that ends at k and begins after a comma.
        phrase = sd[k]
        while (
            phrase.head.i != phrase.i
            and phrase.head.i < i
            and phrase.head.i not in heads
            and phrase.head.pos_ not in ("VERB", "AUX")
            and list(phrase.head.subtree)[-1].i <= k
        ):
            phrase = phrase.head
        sub = list(phrase.subtree)
        start = sub[0].i
        if start == 0 or sd[start - 1].text != "," or phrase.pos_ not in ("NOUN", "PROPN"):
            continue
        moved = {t.i for t in sub}
        owner = next((u for u in units if moved & u.tokens and u.head.i != i), None)
        if owner is None or owner.head.i in moved:
            continue
        owner.tokens -= moved
        units[index[i]].tokens |= moved


def _add_trailing_phrases(sd: Any, heads: dict[int, str], quoted: set[int], cfg: ClaimsConfig) -> None:
    """A comma-separated adjunct of the predicate that ends a clause ("..., about 30 miles south of
    Portland") is a claim of its own when it has enough content."""
    for tok in sd:
        if (
            tok.i in heads
            or tok.i in quoted
            or tok.dep_ not in ("prep", "npadvmod", "advmod", "acl")
            or (
                tok.head.pos_ not in ("VERB", "AUX") and tok.lower_ != "including"
            )  # a noun keeps its phrases
        ):
            continue
        sub = list(tok.subtree)
        first, last = sub[0].i, sub[-1].i
        if first == 0 or sd[first - 1].text != ",":
            continue
        end = len(sd) - 1
        while end > 0 and sd[end].is_punct:
            end -= 1
        if last < end:
            continue
        if _content_words(sd, {t.i for t in sub}) >= cfg.min_content_words:
            heads[tok.i] = "phrase"


def _own_tokens(head: Any, other_heads: set[int]) -> set[int]:
    """The head's subtree without the subtrees of the other pieces' heads."""
    out = {head.i}
    stack = list(head.children)
    while stack:
        t = stack.pop()
        if t.i in other_heads:
            continue
        out.add(t.i)
        stack.extend(t.children)
    return out


def _enclosing(tok: Any, index: dict[int, int]) -> int | None:
    """The piece whose head is the nearest ancestor of ``tok``."""
    cur = tok
    while cur.head.i != cur.i:
        cur = cur.head
        if cur.i in index:
            return index[cur.i]
    return None


def _is_ancestor(a: Any, b: Any) -> bool:
    cur = b
    while cur.head.i != cur.i:
        cur = cur.head
        if cur.i == a.i:
            return True
    return False


def _content_words(sd: Any, tokens: set[int]) -> int:
    """Nouns, names, verbs, adjectives not on the stop list; numbers always ("two villagers")."""
    return sum(
        1
        for i in tokens
        if not sd[i].is_punct and (sd[i].like_num or (sd[i].pos_ in _CONTENT_POS and not sd[i].is_stop))
    )


def _merge_small(sd: Any, units: list[_Unit], cfg: ClaimsConfig) -> list[_Unit]:
    """Pieces with too little content join their parent (or the piece next to them); a frame that names
    nobody ("he said") joins what it reports. References to a merged piece move to its host."""
    host = list(range(len(units)))

    def resolve(k: int | None) -> int | None:
        while k is not None and host[k] != k:
            k = host[k]
        return k

    alive = set(range(len(units)))
    for i in sorted(range(len(units)), key=lambda k: _content_words(sd, units[k].tokens)):
        # What a frame reports is a claim even when short ("the levee had held"); the frame is not.
        needed = cfg.min_reported_words if units[i].frame is not None else cfg.min_content_words
        if len(alive) <= 1 or _content_words(sd, units[i].tokens) >= needed:
            continue
        target = _merge_target(units, i, alive, resolve)
        if target is None:
            continue
        into, u = units[target], units[i]
        into.tokens |= u.tokens
        if into.kind == "attribution" and resolve(u.frame) == target:
            into.kind = u.kind  # a frame that took in what it reports is a claim
        host[i] = target
        alive.discard(i)
    order = sorted(alive)
    position = {old: new for new, old in enumerate(order)}
    out: list[_Unit] = []
    for k in order:
        u = units[k]
        parent, frame = resolve(u.parent), resolve(u.frame)
        u.parent = position[parent] if parent is not None and parent != k else None
        u.frame = (
            position[frame]
            if frame is not None and frame != k and units[frame].kind == "attribution"
            else None
        )
        out.append(u)
    return out


def _merge_target(units: list[_Unit], i: int, alive: set[int], resolve: Any) -> int | None:
    u = units[i]
    others = [k for k in alive if k != i]
    if not others:
        return None
    if u.kind == "attribution":
        reported = [k for k in others if resolve(units[k].frame) == i]
        if reported:
            return min(reported, key=lambda k: _distance(units[k].tokens, u.tokens))
    parent = resolve(u.parent)
    if parent is not None and parent in alive and parent != i:
        return parent
    return min(others, key=lambda k: _distance(units[k].tokens, u.tokens))


def _distance(a: set[int], b: set[int]) -> int:
    return min(abs(x - y) for x in a for y in b)


def _span(sd: Any, tokens: set[int]) -> tuple[int, int]:
    """Character offsets (in the sentence) of a piece: from its first to its last word, without a cut's
    leftovers (a leading "and" or "that", a trailing "and"); the sentence's final mark and a quotation's
    closing marks stay with the word they follow."""
    words = sorted(i for i in tokens if not sd[i].is_punct)
    while words and sd[words[0]].lower_ in _EDGE_DROP and len(words) > 1:
        words = words[1:]
    while words and sd[words[-1]].lower_ in _TRAILING_DROP and len(words) > 1:
        words = words[:-1]
    if not words:
        return 0, 0
    first, last = words[0], words[-1]
    text = sd.text
    # A quotation that is the whole piece keeps its marks; a mark that closes someone else's quotation
    # (the frame after it) does not.
    opens = first > 0 and sd[first - 1].text in _OPENERS and text[: sd[first - 1].idx].count('"') % 2 == 0
    closer = next(
        (k for k in range(last + 1, min(last + 3, len(sd))) if sd[k].text in _PAIRED_CLOSERS),
        None,
    )
    if opens and closer is not None and all(sd[k].is_punct for k in range(last + 1, closer)):
        first, last = first - 1, closer
    while last + 1 < len(sd) and last + 1 in tokens and sd[last + 1].text in ".!?":
        last += 1
    return sd[first].idx, sd[last].idx + len(sd[last].text)
