"""Direct quotations: find them with their speaker, group the same quotation across outlets.

``find_quotes`` reads one document (its ``mentions`` resolved to entities); ``group_quotes`` compares
the quotations of the story word by word (verbatim / minor variation / truncated / altered).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from storydiff.analyse.names import TITLE_ROLES, fold, leading_titles
from storydiff.model import Doc, Entity, Mention, QuoteGroup, QuoteOccurrence, Span
from storydiff.util import DisjointSet

CUES = (
    r"said|says|say|saying|told|tells|added|adds|warned|warns|claimed|claims|wrote|writes|stated|states|"
    r"explained|explains|insisted|insists|noted|notes|declared|declares|announced|announces|asked|asks|"
    r"replied|replies|responded|responds|remarked|remarks|argued|argues|stressed|stresses|"
    r"continued|continues|concluded|concludes|admitted|admits|acknowledged|acknowledges|confirmed|confirms|"
    r"denied|denies|vowed|vows|urged|urges|recalled|recalls|tweeted|tweets|posted|"
    r"commented|comments|observed|observes|suggested|suggests|predicted|predicts|cautioned|cautions|"
    r"according to|quoted"
)
_CUE = re.compile(rf"\b(?:{CUES})\b", re.I)
_PRONOUN = {"he": "m", "him": "m", "she": "f", "her": "f", "they": "x", "i": "x", "we": "x"}
_DESCRIPTION = re.compile(
    r"^(?:the|a|an|one|another|his|her|its|their)\s+((?:[\w\-']+\s+){0,3}[\w\-']+)$", re.I
)
_NAME_PARTICLES = frozenset(
    ["al", "el", "bin", "ibn", "de", "da", "del", "van", "von", "der", "la", "le", "abu"]
)
_MALE = re.compile(r"\b(he|his|him|himself)\b", re.I)
_FEMALE = re.compile(r"\b(she|her|hers|herself)\b", re.I)
_OPEN, _CLOSE = '“"', '”"'
_SENT_END = re.compile(r"[.!?](?=\s|$)|\n")


@dataclass
class _Raw:
    start: int  # first quoted character
    end: int  # after the last quoted character
    open_at: int  # the opening mark
    close_at: int  # the closing mark (== end when unclosed)
    closed: bool


# --------------------------------------------------------------------------- finding quotations


def _paragraphs(doc: Doc) -> list[tuple[int, int]]:
    if doc.paragraphs:
        return [(p.start, p.end) for p in doc.paragraphs]
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", doc.text)]


def _marks(text: str, start: int, end: int) -> list[_Raw]:
    """Top-level double quotations of one paragraph (straight or curly); single quotes nest inside."""
    found: list[_Raw] = []
    i = start
    while i < end:
        ch = text[i]
        if ch in _OPEN:
            closer = "”" if ch == "“" else '"'
            j = text.find(closer, i + 1, end)
            if ch == "“" and j < 0:
                j = text.find('"', i + 1, end)
            if j < 0:
                found.append(_Raw(i + 1, end, i, end, False))
                break
            found.append(_Raw(i + 1, j, i, j, True))
            i = j + 1
        else:
            i += 1
    return found


def _raw_quotes(doc: Doc) -> list[_Raw]:
    """Quotations, joining paragraphs: an unclosed quote continues into a paragraph that opens with one."""
    text = doc.text
    paras = _paragraphs(doc)
    out: list[_Raw] = []
    carry: _Raw | None = None
    for start, end in paras:
        raws = _marks(text, start, end)
        lead = text[start:end].lstrip()
        if carry is not None:
            if raws and lead[:1] in _OPEN and raws[0].open_at == start + (len(text[start:end]) - len(lead)):
                first = raws.pop(0)
                carry = _Raw(carry.start, first.end, carry.open_at, first.close_at, first.closed)
                if carry.closed:
                    out.append(carry)
                    carry = None
            else:
                out.append(_Raw(carry.start, carry.end, carry.open_at, carry.end, False))
                carry = None
        for raw in raws:
            if raw.closed:
                out.append(raw)
            else:
                carry = raw
    if carry is not None:
        out.append(carry)
    # A stray mark (a closing quote read as an opening one) leaves no words: not a quotation.
    return [
        r
        for r in out
        if (len(text[r.start : r.end].split()) >= 2 or not r.closed)
        and any(ch.isalnum() for ch in text[r.start : r.end])
    ]


def _sentence_bounds(text: str, at: int, lo: int, hi: int) -> tuple[int, int]:
    """Start and end of the sentence around offset ``at`` within ``lo:hi`` (a cheap splitter)."""
    s = lo
    for m in _SENT_END.finditer(text, lo, at):
        s = m.end()
    end = _SENT_END.search(text, at, hi)
    return s, (end.end() if end else hi)


class _Speakers:
    """Who a speaker phrase refers to in one document: names, pronouns, descriptions."""

    def __init__(self, doc: Doc, entities: list[Entity]) -> None:
        self.doc = doc
        self.names = {e.id: e.name for e in entities}
        self.people = [m for m in doc.mentions if m.label == "PERSON" and m.entity]
        self.roles: dict[str, set[str]] = {}
        self.gender: dict[str, str] = {}
        text = doc.text
        for m in self.people:
            before = text[max(0, m.span.start - 60) : m.span.start]
            roles = self.roles.setdefault(m.entity or "", set())
            # Titles in front ("Lt. Gen. Omar Haddad", "ministry spokesman Ali Noor").
            words = before.split()[-4:]
            roles.update(fold(w).strip(" ,") for w in words)
            roles.update(TITLE_ROLES.get(fold(w).strip(" ,"), "") for w in words)
            roles.update(leading_titles(" ".join(words)))
            # Apposition after ("Omar Haddad, the army's chief spokesman,").
            after = re.match(r",\s+(?:the|a|an)\s+([^,.;]{3,60})[,.;]", text[m.span.end : m.span.end + 70])
            if after:
                roles.update(fold(w) for w in after.group(1).split())
            if m.entity not in self.gender:
                self.gender[m.entity or ""] = self._gender(m, before)

    def _gender(self, m: Mention, before: str) -> str:
        title = before.split()[-1:] if before.split() else []
        if title and fold(title[0]).strip() in {"mr", "sir", "lord", "king", "prince"}:
            return "m"
        if title and fold(title[0]).strip() in {"mrs", "ms", "miss", "dame", "lady", "queen", "princess"}:
            return "f"
        # The first pronoun after the name, before any other person is named.
        nxt = next((p.span.start for p in self.people if p.span.start > m.span.end), len(self.doc.text))
        window = self.doc.text[m.span.end : min(nxt, m.span.end + 250)]
        he, she = _MALE.search(window), _FEMALE.search(window)
        if he and (not she or he.start() < she.start()):
            return "m"
        if she:
            return "f"
        return "x"

    def mention_in(self, start: int, end: int) -> Mention | None:
        """The person named in ``start:end``, else the organisation or group (a person speaks for one)."""
        inside = [m for m in self.doc.mentions if start <= m.span.start and m.span.end <= end]
        for labels in (("PERSON",), ("ORG", "NORP", "GPE")):
            found = next((m for m in inside if m.label in labels), None)
            if found is not None:
                return found
        return None

    def by_surname(self, word: str, before: int) -> Mention | None:
        """`Summers recently appeared on CNN and commented:` where the recogniser missed the sentence-initial
        surname: the person named earlier whose last name it is."""
        key = fold(word)
        earlier = [
            m
            for m in reversed(self.people)
            if m.span.start < before and fold(m.span.text.split()[-1]) == key and len(m.span.text.split()) > 1
        ]
        return earlier[0] if earlier else None

    def by_pronoun(self, gender: str, before: int) -> Mention | None:
        """The nearest earlier person of the pronoun's gender; of unknown gender only if none is known."""
        earlier = [m for m in reversed(self.people) if m.span.start < before]
        if gender == "x":
            return earlier[0] if earlier else None
        same = next((m for m in earlier if self.gender.get(m.entity or "") == gender), None)
        if same is not None:
            return same
        return next((m for m in earlier if self.gender.get(m.entity or "") == "x"), None)

    def by_role(self, head: str, before: int) -> Mention | None:
        matches = [m for m in self.people if head in self.roles.get(m.entity or "", set())]
        earlier = [m for m in matches if m.span.start < before]
        if earlier:
            return earlier[-1]
        return matches[0] if len({m.entity for m in matches}) == 1 else None

    def resolve(self, start: int, end: int) -> tuple[str | None, Span | None]:
        """The speaker named by the phrase ``start:end`` (canonical name, span of the phrase or name)."""
        text = self.doc.text
        while start < end and not text[start].isalnum():
            start += 1
        while end > start and not text[end - 1].isalnum():
            end -= 1
        if start >= end:
            return None, None
        phrase = text[start:end]
        first = phrase.split()[0]
        named = self.by_surname(first, start) if first[:1].isupper() else None
        mention = (
            named
            if named is not None and not self.mention_in(start, start + len(first))
            else self.mention_in(start, end)
        )
        if mention is not None:
            name = self.names.get(mention.entity or "", mention.span.text)
            return name, mention.span
        low = phrase.lower()
        last = low.split()[-1]
        if low in _PRONOUN or (last in _PRONOUN and last not in ("i", "we")):
            # "he" / "Here's what he told CNBC:": the pronoun names the speaker.
            p_start = start if low in _PRONOUN else end - len(last)
            m = self.by_pronoun(_PRONOUN[last], p_start)
            return (self.names.get(m.entity or "") if m else None), self.doc.span(p_start, end)
        desc = _DESCRIPTION.match(phrase)
        if desc:
            head = fold(desc.group(1).split()[-1])
            m = self.by_role(head, start)
            if m is not None:
                return self.names.get(m.entity or "", m.span.text), self.doc.span(start, end)
            return phrase.lower(), self.doc.span(start, end)
        if (
            len(phrase.split()) <= 4
            and all(w[:1].isupper() or w.lower() in _NAME_PARTICLES for w in phrase.split())
            and phrase[:1].isupper()
            and not _CUE.search(phrase)
        ):
            return phrase, self.doc.span(start, end)  # a name the recogniser missed ("Ines Varga")
        return None, None


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The phrase next to a cue: cut at commas and clause words, at most five words."""
    piece = text[start:end]
    parts = re.split(r",|;|:|\bthat\b|\bwho\b|\bto\b|\bon\b|\bin\b|\bafter\b|\bwhen\b", piece)
    return start, end if len(parts) == 1 else start + len(parts[0])


def _after_cue(text: str, a: int, b: int) -> tuple[int, int]:
    piece = text[a:b]
    m = re.match(r"\s*([^,;:.!?\n]*)", piece)
    if not m:
        return a, a
    s, e = _clause(text, a + m.start(1), a + m.end(1))
    return s, e


def _speaker_after(sp: _Speakers, raw: _Raw, sent_end: int) -> tuple[str | None, Span | None, Span | None]:
    """`"...," said the general.` / `"...," he said.` / `"...," Haddad told reporters.`"""
    text = sp.doc.text
    lo = raw.close_at + 1
    window_end = min(sent_end, lo + 120)
    follow = text[lo:window_end].lstrip()
    if text[raw.start : raw.end].rstrip().endswith((".", "!", "?")) and follow[:1].isupper():
        # `"We are ready." Selim said the trucks...`: the quote closed its sentence; the next one is new.
        pronoun = re.match(r"(?:He|She|They)\s", follow)
        if not pronoun:
            return None, None, None
    cue = _CUE.search(text, lo, window_end)
    if cue is None:
        return None, None, None
    between = text[lo : cue.start()].strip(" ,—–-\n")
    if between:
        # Speaker before the cue: the words between the closing mark and the cue.
        s = lo + (len(text[lo : cue.start()]) - len(text[lo : cue.start()].lstrip(" ,—–-\n")))
        name, span = sp.resolve(s, cue.start())
    else:
        s, e = _after_cue(text, cue.end(), window_end)
        name, span = sp.resolve(s, e)
    if span is None:
        return None, None, None
    return name, span, sp.doc.span(cue.start(), cue.end())


def _speaker_before(sp: _Speakers, raw: _Raw, sent_start: int) -> tuple[str | None, Span | None, Span | None]:
    """`Haddad said: "..."` / `According to the ministry, "..."` / `She warned that "..."`."""
    text = sp.doc.text
    lo = max(sent_start, raw.open_at - 160)
    cues = list(_CUE.finditer(text, lo, raw.open_at))
    if not cues:
        return None, None, None
    cue = cues[-1]
    if cue.group(0).lower() == "according to":
        s, e = _after_cue(text, cue.end(), raw.open_at)
    else:
        head = text[lo : cue.start()]
        cut = max(head.rfind(","), head.rfind(";"), head.rfind("\n"), head.rfind("."))
        s, e = lo + cut + 1, cue.start()
        if head.rstrip().endswith(",") and not any(ch.isalnum() for ch in text[s:e]):
            # `Brenna Holt, chief economist at Kestrel Bank, said:` / `In an interview with Capital.com,
            # Joey Von Nessen, a research economist, said`: the first comma-separated piece naming a person,
            # else the first piece.
            opening = lo + max(head.rfind(";"), head.rfind("\n"), head.rfind(". ")) + 1
            pieces, at = [], opening
            for piece in text[opening : cue.start()].split(","):
                if piece.strip():
                    pieces.append((at, at + len(piece)))
                at += len(piece) + 1
            person = next(
                ((a, b) for a, b in pieces if any(a <= m.span.start and m.span.end <= b for m in sp.people)),
                None,
            )
            s, e = person or (pieces[0] if pieces else (s, e))
    name, span = sp.resolve(s, e)
    if span is None:
        return None, None, None
    return name, span, sp.doc.span(cue.start(), cue.end())


def _partial(text: str, raw: _Raw, sent_start: int) -> bool:
    """A fragment inside a sentence: `called the attack "cowardly"` rather than `"We will...," he said.`"""
    before = text[sent_start : raw.open_at].rstrip()
    quoted = text[raw.start : raw.end].rstrip()
    if not before or before[-1] in ",:—–-":
        return False
    return not quoted.endswith((".", ",", "?", "!")) or quoted[:1].islower()


def find_quotes(doc: Doc, entities: list[Entity]) -> list[QuoteOccurrence]:
    """Direct quotations of one document, with speaker (canonical name when resolvable) and cue."""
    sp = _Speakers(doc, entities)
    text = doc.text
    paras = _paragraphs(doc)
    out: list[QuoteOccurrence] = []
    for raw in _raw_quotes(doc):
        lo, hi = next(((s, e) for s, e in paras if s <= raw.open_at < e), (0, len(text)))
        s_start, _ = _sentence_bounds(text, raw.open_at, lo, hi)
        close_para = next(((s, e) for s, e in paras if s <= raw.close_at < e), (lo, hi))
        _, s_end = _sentence_bounds(text, min(raw.close_at + 1, close_para[1]), close_para[0], close_para[1])
        name, span, cue = _speaker_after(sp, raw, s_end) if raw.closed else (None, None, None)
        if span is None:
            name, span, cue = _speaker_before(sp, raw, s_start)
        start, end = raw.start, raw.end
        while end > start and text[end - 1] in " \n,":
            end -= 1
        occ = QuoteOccurrence(
            span=doc.span(start, end),
            speaker=name,
            speaker_span=span,
            cue=cue,
            partial=_partial(text, raw, s_start),
        )
        if occ.speaker_span is None and occ.partial:
            # `Dr. Kovacs called the situation "grim"`: the person the sentence is about speaks.
            subject = next(
                (m for m in sp.people if s_start <= m.span.start and m.span.end <= raw.open_at), None
            )
            if subject is not None:
                occ.speaker, occ.speaker_span = (
                    sp.names.get(subject.entity or "", subject.span.text),
                    subject.span,
                )
        # A second quote in the same paragraph without its own cue continues the previous speaker.
        if occ.speaker_span is None and out and lo <= out[-1].span.start < hi:
            occ.speaker, occ.speaker_span, occ.cue = out[-1].speaker, out[-1].speaker_span, out[-1].cue
        opens_paragraph = not text[lo : raw.open_at].strip()
        prev = next(((s, e) for s, e in reversed(paras) if e <= lo), None)
        if occ.speaker_span is None and opens_paragraph and prev is not None:
            occ.speaker, occ.speaker_span, occ.cue = _speaker_from_previous_paragraph(sp, prev, out, raw)
        out.append(occ)
    return out


def _speaker_from_previous_paragraph(
    sp: _Speakers, prev: tuple[int, int], earlier: list[QuoteOccurrence], raw: _Raw
) -> tuple[str | None, Span | None, Span | None]:
    """A quotation opening a paragraph with no cue of its own, as news writing sets them:
    - after a paragraph ending in a colon (`The minister said in a statement:`), its cue names the speaker;
    - after a paragraph whose last quotation has a speaker and where nobody else is named after it, that
      speaker goes on talking."""
    text = sp.doc.text
    p_start, p_end = prev
    body = text[p_start:p_end].rstrip()
    if body.endswith(":"):
        colon = p_start + len(body) - 1
        sent_start, _ = _sentence_bounds(text, colon, p_start, p_end)
        return _speaker_before(sp, _Raw(raw.start, raw.end, colon, raw.close_at, raw.closed), sent_start)
    last = next((q for q in reversed(earlier) if p_start <= q.span.start < p_end), None)
    if last is None or last.speaker_span is None:
        return None, None, None
    after = max(last.span.end, last.speaker_span.end)
    others = [m for m in sp.people if after <= m.span.start < raw.open_at]
    if others:
        return None, None, None
    return last.speaker, last.speaker_span, last.cue


# --------------------------------------------------------------------------- grouping across sources

_WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|…|\.\.\.")
_BRITISH = [
    (re.compile(r"our$"), "or"),
    (re.compile(r"is(e|ed|es|ing|ation)$"), r"iz\1"),
    (re.compile(r"tre$"), "ter"),
]


def _norm(word: str) -> str:
    w = fold(word).replace("'", "")
    if len(w) > 4:
        for pattern, repl in _BRITISH:
            w = pattern.sub(repl, w)
    return w


def _words(text: str) -> tuple[list[str], list[str]]:
    """(original words, normalised words); ellipses kept as "…" tokens."""
    raw = [w for w in _WORDS.findall(text.replace("’", "'").replace("‘", "'"))]
    raw = ["…" if w in ("…", "...") else w for w in raw]
    return raw, [w if w == "…" else _norm(w) for w in raw]


def _sub(short: list[str], long: list[str]) -> bool:
    n = len(short)
    return 0 < n <= len(long) and any(long[k : k + n] == short for k in range(len(long) - n + 1))


def _ellipsis_fits(a: list[str], b: list[str]) -> bool:
    """``a`` with "…" gaps is ``b`` with words left out, pieces in order."""
    pieces = [p.split() for p in " ".join(a).split("…") if p.strip()]
    pos = 0
    for piece in pieces:
        found = next((k for k in range(pos, len(b) - len(piece) + 1) if b[k : k + len(piece)] == piece), None)
        if found is None:
            return False
        pos = found + len(piece)
    return bool(pieces)


def _similar(a: list[str], b: list[str]) -> bool:
    a2, b2 = [w for w in a if w != "…"], [w for w in b if w != "…"]
    if min(len(a2), len(b2)) < 3:
        return a2 == b2 and bool(a2)
    short, long = (a2, b2) if len(a2) <= len(b2) else (b2, a2)
    if len(short) >= 4 and _sub(short, long):
        return True
    if ("…" in a and _ellipsis_fits(a, b2)) or ("…" in b and _ellipsis_fits(b, a2)):
        return True
    return SequenceMatcher(None, a2, b2, autojunk=False).ratio() >= 0.75


def _compare(first: QuoteOccurrence, other: QuoteOccurrence) -> tuple[str, list[dict[str, Any]]]:
    """Agreement of ``other`` with ``first`` and the word-level diff ops."""
    if first.span.text.replace("’", "'") == other.span.text.replace("’", "'"):
        return "verbatim", []
    ra, na = _words(first.span.text)
    rb, nb = _words(other.span.text)
    if na == nb:
        return "minor-variation", []
    ca, cb = [w for w in na if w != "…"], [w for w in nb if w != "…"]
    if ca == cb or ("…" in nb and _ellipsis_fits(nb, ca)) or ("…" in na and _ellipsis_fits(na, cb)):
        return "minor-variation", []
    if _sub(ca, cb) or _sub(cb, ca):
        return "truncated", []
    ops: list[dict[str, Any]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, na, nb, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        ops.append(
            {"op": tag, "a": " ".join(ra[i1:i2]), "b": " ".join(rb[j1:j2]), "article": other.span.article}
        )
    return "altered", ops


_RANK = {"verbatim": 0, "minor-variation": 1, "truncated": 2, "altered": 3}


def _same_speaker(a: QuoteOccurrence, b: QuoteOccurrence) -> bool:
    return a.speaker is None or b.speaker is None or fold(a.speaker) == fold(b.speaker)


def group_quotes(docs: list[Doc], entities: list[Entity]) -> list[QuoteGroup]:
    """Group the story's quotations (``doc.quotes``) by speaker and fuzzy wording; ids "q1"...

    The first occurrence of a group is its longest; agreement is the worst comparison against it.
    """
    occs = [q for doc in docs for q in doc.quotes]
    words = [_words(q.span.text)[1] for q in occs]
    sets: DisjointSet[int] = DisjointSet(range(len(occs)))
    for i in range(len(occs)):
        for j in range(i + 1, len(occs)):
            if (
                sets.find(i) != sets.find(j)
                and _same_speaker(occs[i], occs[j])
                and _similar(words[i], words[j])
            ):
                sets.union(i, j)

    groups: list[QuoteGroup] = []
    for idx in sets.groups():
        first = max(idx, key=lambda k: (len(words[k]), -k))
        ordered = [occs[first]] + [occs[k] for k in idx if k != first]
        speakers = Counter(o.speaker for o in ordered if o.speaker)
        group = QuoteGroup(
            id=f"q{len(groups) + 1}",
            speaker=speakers.most_common(1)[0][0] if speakers else None,
            occurrences=ordered,
        )
        if len({o.span.article for o in ordered}) > 1:
            worst = "verbatim"
            for other in ordered[1:]:
                agreement, ops = _compare(ordered[0], other)
                group.diff.extend(ops)
                worst = max(worst, agreement, key=_RANK.__getitem__)
            group.agreement = worst  # type: ignore[assignment]
        groups.append(group)
    return groups


def speaker_table(quote_groups: list[QuoteGroup], docs: list[Doc]) -> list[dict[str, Any]]:
    """Quotations per speaker and outlet, for the renderers: {"speaker", "outlet", "quotes"}."""
    source = {doc.id: doc.article.source for doc in docs}
    counts: Counter[tuple[str, str]] = Counter()
    for group in quote_groups:
        for occ in group.occurrences:
            speaker = occ.speaker or group.speaker or "(unknown)"
            counts[(speaker, source.get(occ.span.article, occ.span.article))] += 1
    return [
        {"speaker": speaker, "outlet": outlet, "quotes": n}
        for (speaker, outlet), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
