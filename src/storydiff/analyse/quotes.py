"""Direct quotations: find them with their speaker, group the same quotation across outlets.

``find_quotes`` reads one document (its ``mentions`` resolved to entities): the quotation marks (a
quotation may run over several paragraphs, with or without a mark at each), then who the text says
spoke (``speakers.py`` reads the phrase). ``group_quotes`` groups the story's quotations by wording,
lets the outlets' attributions vote for the group's one speaker, and compares the wordings
(``quote_text.py``: verbatim / minor variation / truncated / altered).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from storydiff.analyse import quote_text
from storydiff.analyse.speakers import Speaker, Speakers, genders
from storydiff.model import Doc, Entity, QuoteGroup, QuoteOccurrence, Span
from storydiff.util import DisjointSet


@dataclass
class QuotesConfig:
    # Characters searched for the cue after a closing mark ('," said the general') and before an opening
    # one ('Haddad said: "'): a cue further away belongs to another clause. Fictional examples.
    cue_window_after: int = 120
    cue_window_before: int = 160
    # Paragraphs with no quotation mark an unclosed quotation may run through, when a later paragraph
    # closes it: texts written a sentence per paragraph drop the opening mark of the continuation
    # ('"Obviously we're disappointed. / We take these issues very seriously. / Moving forward, ...
    # comment."'). A paragraph closes it only when its first mark is a closing one, so a longer run
    # rarely goes wrong; four covers the longest seen (three, in a dev story).
    max_silent_paragraphs: int = 4
    # Characters after a name searched for the he/she that tells its gender. Fictional examples.
    gender_window: int = 250
    # "said the Navy chief" with no name introduced by that role: the one person named this many
    # characters before (about two paragraphs), if only one is.
    recent_window: int = 600
    # One quotation across outlets: difflib ratio of the two word sequences, or the share of the shorter
    # one's words the longer has in order, for a shorter of at least this many words. Set on the
    # fictional examples (a will/shall change at 0.93, different sentences of one speaker below 0.5).
    group_ratio: float = 0.75
    group_containment: float = 0.8
    containment_min_words: int = 5
    # From this many words two wordings group whatever speakers the outlets gave (a wrong attribution in
    # one outlet must not split a quotation); shorter ones ("No comment") need agreeing speakers.
    any_speaker_min_words: int = 6
    # Weight of each outlet's attribution in the vote for a group's speaker, by how the outlet names the
    # speaker: an explicit name counts most, a pronoun or an inherited speaker least. Not fitted.
    vote_name: float = 1.0
    vote_org: float = 1.0
    vote_role: float = 0.8
    vote_pronoun: float = 0.6
    vote_inherited: float = 0.5


@dataclass(slots=True)
class AttributedQuote(QuoteOccurrence):
    """A quotation as found, with how its speaker is named here (name / org / role / pronoun /
    inherited / none) and the speaker's entity id: what the group's vote weighs."""

    how: str = "none"
    entity: str | None = None


CUES = (
    r"said|says|say|saying|told|tells|telling|added|adds|warned|warns|claimed|claims|wrote|writes|stated|states|"
    r"explained|explains|insisted|insists|noted|notes|declared|declares|announced|announces|asked|asks|"
    r"replied|replies|responded|responds|remarked|remarks|argued|argues|stressed|stresses|"
    r"continued|continues|concluded|concludes|admitted|admits|acknowledged|acknowledges|confirmed|confirms|"
    r"denied|denies|vowed|vows|urged|urges|recalled|recalls|tweeted|tweets|posted|reported|reports|"
    r"commented|comments|observed|observes|suggested|suggests|predicted|predicts|cautioned|cautions|"
    r"testified|testifies|answered|answers|exclaimed|cried(?: out)?|screamed|screaming|shouted|shouting|"
    r"yelled|pleaded|begged|promised|conceded|complained|whispered|according to|quoted"
)
_CUE = re.compile(rf"\b(?:{CUES})\b", re.I)
_OPEN, _CLOSE = '“"', '”"'
_MARKS = '“”"'
_SENT_END = re.compile(r"[.!?](?=\s|$)|\n")
# Words that open a new clause: the speaker is the phrase after the last of them ("... before her
# daughter cried out").
_CLAUSE = re.compile(r"\b(?:that|who|which|when|while|before|after|because|as|and|but|said|says|if)\s+", re.I)
_TRANSCRIPT = re.compile(r"\s*([A-Z][^:\n\"“”/]{1,60}?)(?:\s*/[^:\n\"“”]{1,80})?:\s*$")


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


def _closing_mark(text: str, start: int, end: int) -> int | None:
    """Where a paragraph closes a quotation opened before it: its first mark, when that mark closes
    (a curly ” or a straight " right after a word or punctuation), else None."""
    first = next((k for k in range(start, end) if text[k] in _MARKS), None)
    if first is None:
        return None
    if text[first] == "”" or (text[first] == '"' and first > start and not text[first - 1].isspace()):
        return first
    return None


def _raw_quotes(doc: Doc, cfg: QuotesConfig) -> list[_Raw]:
    """Quotations, joining paragraphs: an unclosed quotation continues into a paragraph that opens with
    a mark, or through up to ``max_silent_paragraphs`` paragraphs without marks into one that closes it."""
    text = doc.text
    paras = _paragraphs(doc)
    out: list[_Raw] = []
    carry: _Raw | None = None
    silent = 0
    for start, end in paras:
        lead = start + len(text[start:end]) - len(text[start:end].lstrip())
        scan_from = start
        if carry is not None:
            close = _closing_mark(text, start, end)
            if lead < end and text[lead] in _OPEN and close is None:
                raws = _marks(text, start, end)
                first = raws.pop(0)
                carry = _Raw(carry.start, first.end, carry.open_at, first.close_at, first.closed)
                silent = 0
                if carry.closed:
                    out.append(carry)
                    carry = None
                scan_from = first.close_at + 1 if first.closed else end
            elif close is not None:
                out.append(_Raw(carry.start, close, carry.open_at, close, True))
                carry, silent = None, 0
                scan_from = close + 1
            elif not any(ch in _MARKS for ch in text[start:end]) and silent < cfg.max_silent_paragraphs:
                silent += 1
                continue
            else:
                out.append(_Raw(carry.start, carry.end, carry.open_at, carry.end, False))
                carry, silent = None, 0
        for raw in _marks(text, scan_from, end):
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
        and not _name_in_marks(text[r.start : r.end])
    ]


def _name_in_marks(quoted: str) -> bool:
    """ "Ekawat Nava 5", "Shaq", "Galaxy Fold": a name in scare quotes (capitalised words, no sentence
    punctuation), not a quotation."""
    words = quoted.strip().split()
    return (
        1 <= len(words) <= 4
        and all(w[:1].isupper() or w[:1].isdigit() for w in words)
        and not re.search(r"[.,!?;:]", quoted)
    )


# Words a dot follows without ending the sentence ("A.J. Smith", "Lt. Gregg Hastings", "2:30 a.m. on").
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "lt",
        "gen",
        "col",
        "capt",
        "sgt",
        "st",
        "co",
        "jr",
        "sr",
        "inc",
        "corp",
        "const",
        "gov",
        "sen",
        "rep",
        "prof",
        "insp",
        "det",
        "no",
        "vs",
        "cpl",
        "adm",
        "cmdr",
        "supt",
        "rev",
        "brig",
        "maj",
        "ft",
        "mt",
        "a.m",
        "p.m",
        "u.s",
        "u.n",
    ]
)


def _sentence_ends(text: str, lo: int, hi: int) -> list[int]:
    """Offsets just after each sentence end in ``lo:hi``: a . ! ? before a space, or a line break; not
    the dot of an initial or an abbreviation."""
    out: list[int] = []
    for m in _SENT_END.finditer(text, lo, hi):
        if m.group() == ".":
            word = text[max(lo, m.start() - 6) : m.start()].split()
            last = word[-1].lower().lstrip("(\"“'") if word else ""
            if (
                last in _ABBREVIATIONS
                or (len(last) == 1 and last.isalpha())
                or re.fullmatch(r"(?:[a-z]\.)+[a-z]", last)
            ):
                continue
        out.append(m.end())
    return out


def _sentence_bounds(text: str, at: int, lo: int, hi: int) -> tuple[int, int]:
    """Start and end of the sentence around offset ``at`` within ``lo:hi`` (a cheap splitter)."""
    before = _sentence_ends(text, lo, at)
    after = _sentence_ends(text, at, hi)
    return (before[-1] if before else lo), (after[0] if after else hi)


# --------------------------------------------------------------------------- attribution


@dataclass(slots=True)
class _Attribution:
    speaker: Speaker | None = None
    cue: Span | None = None
    how: str = "none"

    @classmethod
    def of(cls, speaker: Speaker | None, cue: Span | None) -> _Attribution:
        return cls(speaker, cue, speaker.how if speaker else "none")


def _clause_phrase(text: str, start: int, end: int) -> tuple[int, int]:
    """The phrase next to a cue: cut at commas and clause words, at most five words."""
    piece = text[start:end]
    parts = re.split(r",|;|:|\bthat\b|\bwho\b|\bto\b|\bon\b|\bin\b|\bafter\b|\bwhen\b|\bas\b", piece)
    return start, end if len(parts) == 1 else start + len(parts[0])


def _after_cue(text: str, a: int, b: int) -> tuple[int, int]:
    m = re.match(r"\s*([^,;:.!?\n]*(?:\.\s?[A-Z][^,;:.!?\n]*)*)", text[a:b])
    if not m:
        return a, a
    return _clause_phrase(text, a + m.start(1), a + m.end(1))


def _speaker_after(sp: Speakers, raw: _Raw, sent_end: int, cfg: QuotesConfig) -> _Attribution:
    """`"...," said the general.` / `"...," he said.` / `"...," Haddad told reporters.`"""
    text = sp.doc.text
    lo = raw.close_at + 1
    window_end = min(sent_end, lo + cfg.cue_window_after)
    follow = text[lo:window_end].lstrip(" '’")
    closed_sentence = text[raw.start : raw.end].rstrip(" '’").endswith(".")
    if closed_sentence and follow[:1].isupper() and not re.match(r"(?:He|She)\s", follow):
        # `"We are ready." Selim said the trucks...`: the quote closed its sentence; the next one is new
        # (after a question or an exclamation the cue still follows: `"So which is it?" Lynch asked`).
        return _Attribution()
    cue = _CUE.search(text, lo, window_end)
    if cue is None:
        return _Attribution()
    between = text[lo : cue.start()].strip(" ,—–-\n'’")
    if between:
        s = lo + (len(text[lo : cue.start()]) - len(text[lo : cue.start()].lstrip(" ,—–-\n'’")))
        speaker = sp.resolve(s, cue.start())
    else:
        s, e = _after_cue(text, cue.end(), window_end)
        speaker = sp.resolve(s, e)
    return _Attribution.of(speaker, sp.doc.span(cue.start(), cue.end()) if speaker else None)


def _subject_pieces(sp: Speakers, lo: int, cue_start: int) -> list[tuple[int, int]]:
    """Candidate speaker phrases before a cue, most likely first: the words after the last clause word
    ("... before her daughter"), then the whole piece after the last comma, then (for "X, chief
    economist at Y, said") the comma-separated pieces from the start of the sentence."""
    text = sp.doc.text
    head = text[lo:cue_start]
    cut = max(head.rfind(","), head.rfind(";"), head.rfind("\n"), head.rfind(". "), head.rfind(":"))
    s = lo + cut + 1
    out: list[tuple[int, int]] = []
    # Clause words inside a name ("the Islamic State of Iraq and the Levant") cut nothing.
    names = [
        (m.span.start, m.span.end) for m in sp.doc.mentions if s <= m.span.end and m.span.start < cue_start
    ]
    clauses = [
        c for c in _CLAUSE.finditer(text, s, cue_start) if not any(a < c.start() < b for a, b in names)
    ]
    if clauses and text[clauses[-1].end() : cue_start].strip():
        out.append((clauses[-1].end(), cue_start))
    if text[s:cue_start].strip():
        out.append((s, cue_start))
    if head.rstrip().endswith(",") or not text[s:cue_start].strip():
        opening = lo + max(head.rfind(";"), head.rfind("\n"), head.rfind(". ")) + 1
        at = opening
        for piece in text[opening:cue_start].split(","):
            if piece.strip():
                out.append((at, at + len(piece)))
            at += len(piece) + 1
    return out


def _speaker_before(sp: Speakers, raw: _Raw, sent_start: int, cfg: QuotesConfig) -> _Attribution:
    """`Haddad said: "..."` / `According to the ministry, "..."` / `She warned that "..."`."""
    text = sp.doc.text
    lo = max(sent_start, raw.open_at - cfg.cue_window_before)
    cues = list(_CUE.finditer(text, lo, raw.open_at))
    if not cues:
        return _Attribution()
    cue = cues[-1]
    cue_span = sp.doc.span(cue.start(), cue.end())
    if cue.group(0).lower() == "according to":
        s, e = _after_cue(text, cue.end(), raw.open_at)
        return _Attribution.of(sp.resolve(s, e), cue_span)
    for s, e in _subject_pieces(sp, lo, cue.start()):
        speaker = sp.resolve(s, e)
        if speaker is not None:
            return _Attribution.of(speaker, cue_span)
    # `he grabbed her by the throat, threw her down and told her, "..."`: the clause's subject.
    subject = _clause_subject(sp, sent_start, cue.start())
    return _Attribution.of(subject, cue_span) if subject else _Attribution()


_SUBJECT_SLOT = re.compile(r"(?:^|[,;]\s*|\b(?:that|which|who|and|but|when|as|after|before)\s+)$", re.I)


def _clause_subject(sp: Speakers, start: int, cue_start: int) -> Speaker | None:
    """The last he/she, or person named where a subject stands (sentence start, after a comma or a
    clause word), before the cue: the one who speaks in `X was convicted of beating Y, holding a knife
    to her throat, and telling her, "..."`."""
    text = sp.doc.text
    spots = [
        (p.start() + start, p.end() + start)
        for p in re.finditer(r"\b(?:he|she|He|She)\b", text[start:cue_start])
    ]
    spots += [
        (m.span.start, m.span.end)
        for m in sp.people
        if start <= m.span.start
        and m.span.end <= cue_start
        and _SUBJECT_SLOT.search(text[start : m.span.start])
    ]
    best = max(spots, default=None)
    return sp.resolve(*best) if best else None


def _transcript(sp: Speakers, raw: _Raw, para_start: int) -> _Attribution:
    """`David Soares/Albany County District Attorney: "..."`: a name and a colon open the paragraph."""
    hit = _TRANSCRIPT.match(sp.doc.text, para_start, raw.open_at)
    if not hit:
        return _Attribution()
    return _Attribution.of(sp.resolve(hit.start(1), hit.end(1)), None)


def _partial(text: str, raw: _Raw, sent_start: int) -> bool:
    """A fragment inside a sentence: `called the attack "cowardly"` rather than `"We will...," he said.`"""
    before = text[sent_start : raw.open_at].rstrip()
    quoted = text[raw.start : raw.end].rstrip()
    if not before or before[-1] in ",:—–-":
        return False
    return not quoted.endswith((".", ",", "?", "!")) or quoted[:1].islower()


def _subject(sp: Speakers, sent_start: int, open_at: int) -> _Attribution:
    """`Dr. Kovacs called the situation "grim"` / `He described them as "very dangerous."`: the person
    the sentence is about speaks."""
    person = sp.person_in(sent_start, open_at)
    if person is not None:
        return _Attribution(Speaker(sp.name(person), person.entity, person.span, "name"), None, "name")
    first = re.match(r"\s*(He|She)\b", sp.doc.text[sent_start:open_at])
    if first:
        return _Attribution.of(sp.resolve(sent_start + first.start(1), sent_start + first.end(1)), None)
    return _Attribution()


def _from_previous_paragraph(
    sp: Speakers, prev: tuple[int, int], earlier: list[AttributedQuote], raw: _Raw, cfg: QuotesConfig
) -> _Attribution:
    """A quotation opening a paragraph with no cue of its own, as news writing sets them:
    - after a paragraph ending in a colon (`The minister said in a statement:`) or in a cue and a comma
      (`To which she replied,`), that cue names the speaker;
    - after a paragraph whose last quotation has a speaker and where nobody else is named after it, that
      speaker goes on talking."""
    text = sp.doc.text
    p_start, p_end = prev
    body = text[p_start:p_end].rstrip()
    if body.endswith(":") or (body.endswith(",") and _CUE.search(body[-20:])):
        colon = p_start + len(body) - 1
        sent_start, _ = _sentence_bounds(text, colon, p_start, p_end)
        found = _speaker_before(
            sp, _Raw(raw.start, raw.end, colon, raw.close_at, raw.closed), sent_start, cfg
        )
        # `General Manager A.J. Smith issued the following statement:`: no cue word, its subject speaks.
        return found if found.speaker is not None else _subject(sp, sent_start, colon)
    last = next((q for q in reversed(earlier) if p_start <= q.span.end <= p_end), None)
    if last is None or last.speaker is None or last.speaker_span is None:
        return _Attribution()
    after = max(last.span.end, last.speaker_span.end)
    if any(after <= m.span.start < raw.open_at for m in sp.people):
        return _Attribution()
    return _inherit(last)


def _inherit(q: AttributedQuote) -> _Attribution:
    speaker = Speaker(q.speaker or "", q.entity, q.speaker_span, "inherited") if q.speaker_span else None
    return _Attribution(speaker, q.cue, "inherited" if speaker else "none")


def find_quotes(
    doc: Doc,
    entities: list[Entity],
    config: QuotesConfig | None = None,
    *,
    gender: dict[str, str] | None = None,
    given_names: frozenset[str] | None = None,
) -> list[QuoteOccurrence]:
    """Direct quotations of one document, with speaker (canonical name when resolvable) and cue.

    ``gender``: entity id -> "m"/"f" from the whole story (``speakers.genders``); found from this
    document alone when not given. ``given_names``: folded first names known to be names."""
    cfg = config or QuotesConfig()
    raws = _raw_quotes(doc, cfg)
    sp = Speakers(
        doc,
        entities,
        gender if gender is not None else genders([doc], cfg.gender_window, entities),
        given_names if given_names is not None else _given_names(entities),
        [(r.open_at, r.close_at) for r in raws],
        cfg.recent_window,
    )
    text = doc.text
    paras = _paragraphs(doc)
    out: list[AttributedQuote] = []
    for raw in raws:
        lo, hi = next(((s, e) for s, e in paras if s <= raw.open_at < e), (0, len(text)))
        s_start, _ = _sentence_bounds(text, raw.open_at, lo, hi)
        close_para = next(((s, e) for s, e in paras if s <= raw.close_at < e), (lo, hi))
        _, s_end = _sentence_bounds(text, min(raw.close_at + 1, close_para[1]), close_para[0], close_para[1])
        partial = _partial(text, raw, s_start)
        found = _speaker_after(sp, raw, s_end, cfg) if raw.closed else _Attribution()
        if found.speaker is None:
            found = _speaker_before(sp, raw, s_start, cfg)
        if found.speaker is None:
            found = _transcript(sp, raw, lo)
        if found.speaker is None and partial:
            found = _subject(sp, s_start, raw.open_at)
        # A second quote in the same paragraph without its own cue continues the previous speaker.
        if found.speaker is None and out and lo <= out[-1].span.start < hi:
            found = _inherit(out[-1])
        prev = next(((s, e) for s, e in reversed(paras) if e <= lo), None)
        if found.speaker is None and not text[lo : raw.open_at].strip() and prev is not None:
            found = _from_previous_paragraph(sp, prev, out, raw, cfg)
        start, end = raw.start, raw.end
        while end > start and text[end - 1] in " \n,":
            end -= 1
        speaker = found.speaker
        out.append(
            AttributedQuote(
                span=doc.span(start, end),
                speaker=speaker.name if speaker else None,
                speaker_span=speaker.span if speaker else None,
                cue=found.cue if speaker else None,
                partial=partial,
                how=found.how if speaker else "none",
                entity=speaker.entity if speaker else None,
            )
        )
    result: list[QuoteOccurrence] = list(out)
    return result


def _given_names(entities: list[Entity]) -> frozenset[str]:
    from storydiff.analyse import aliases
    from storydiff.analyse.names import fold

    names = {n for family in aliases.builtin().given for n in family}
    names |= {fold(e.name.split()[0]) for e in entities if e.type == "PERSON" and " " in e.name}
    return frozenset(names)


def find_story_quotes(docs: list[Doc], entities: list[Entity], config: QuotesConfig | None = None) -> None:
    """``doc.quotes`` of every document, genders and given names read from the whole story."""
    cfg = config or QuotesConfig()
    gender = genders(docs, cfg.gender_window, entities)
    given = _given_names(entities)
    for doc in docs:
        doc.quotes = find_quotes(doc, entities, cfg, gender=gender, given_names=given)


# --------------------------------------------------------------------------- grouping across sources


def _how(occ: QuoteOccurrence) -> str:
    if isinstance(occ, AttributedQuote):
        return occ.how
    return "name" if occ.speaker else "none"


def _compatible(a: QuoteOccurrence, b: QuoteOccurrence) -> bool:
    return a.speaker is None or b.speaker is None or a.speaker == b.speaker


def vote(occurrences: list[QuoteOccurrence], cfg: QuotesConfig, mentions: Counter[str]) -> str | None:
    """The group's speaker: the outlets' attributions vote, an explicit name weighing more than a
    pronoun; ties go to the speaker more outlets name, then to the one the story mentions more."""
    weight = {
        "name": cfg.vote_name,
        "org": cfg.vote_org,
        "role": cfg.vote_role,
        "pronoun": cfg.vote_pronoun,
        "inherited": cfg.vote_inherited,
    }
    # One vote per article and speaker (its most explicit attribution): an outlet that splits a
    # quotation in three does not outvote one that gives it whole.
    best: dict[tuple[str, str], float] = {}
    for occ in occurrences:
        if occ.speaker:
            key = (occ.span.article, occ.speaker)
            best[key] = max(best.get(key, 0.0), weight.get(_how(occ), cfg.vote_inherited))
    if not best:
        return None
    score: dict[str, float] = defaultdict(float)
    outlets: dict[str, set[str]] = defaultdict(set)
    for (article, speaker), w in best.items():
        score[speaker] += w
        outlets[speaker].add(article)
    return max(score, key=lambda s: (round(score[s], 6), len(outlets[s]), mentions[s], s))


def group_quotes(
    docs: list[Doc], entities: list[Entity], config: QuotesConfig | None = None
) -> list[QuoteGroup]:
    """Group the story's quotations (``doc.quotes``) by wording; ids "q1"...

    Wordings alike enough are one quotation; long ones group whatever the outlets say about the speaker,
    short ones only with agreeing speakers. The group's speaker is voted; the first occurrence is the
    longest, and the agreement is the worst comparison against it."""
    cfg = config or QuotesConfig()
    occs = [q for doc in docs for q in doc.quotes]
    norms = [quote_text.norms(q.span.text) for q in occs]
    sizes = [len([w for w in n if w != quote_text.ELLIPSIS]) for n in norms]
    vocab = [frozenset(n) - {quote_text.ELLIPSIS} for n in norms]
    sets: DisjointSet[int] = DisjointSet(range(len(occs)))
    for i in range(len(occs)):
        for j in range(i + 1, len(occs)):
            if sets.find(i) == sets.find(j):
                continue
            # Two wordings of one quotation share most of the shorter one's words: a cheap test first.
            if len(vocab[i] & vocab[j]) * 2 < min(len(vocab[i]), len(vocab[j])):
                continue
            if not (_compatible(occs[i], occs[j]) or min(sizes[i], sizes[j]) >= cfg.any_speaker_min_words):
                continue
            if quote_text.same_quotation(
                norms[i],
                norms[j],
                ratio=cfg.group_ratio,
                containment=cfg.group_containment,
                min_words=cfg.containment_min_words,
            ):
                sets.union(i, j)
    mentions = Counter({e.name: len(e.mentions) for e in entities})
    groups: list[QuoteGroup] = []
    for idx in sets.groups():
        first = max(idx, key=lambda k: (sizes[k], -k))
        ordered = [occs[first]] + [occs[k] for k in idx if k != first]
        group = QuoteGroup(
            id=f"q{len(groups) + 1}", speaker=vote(ordered, cfg, mentions), occurrences=ordered
        )
        if len({o.span.article for o in ordered}) > 1:
            worst = "verbatim"
            for other in ordered[1:]:
                agreement, changes = quote_text.compare(ordered[0].span.text, other.span.text)
                group.diff.extend(
                    {"op": op, "a": a, "b": b, "article": other.span.article} for op, a, b in changes
                )
                worst = max(worst, agreement, key=quote_text.RANK.__getitem__)
            group.agreement = worst  # type: ignore[assignment]
        groups.append(group)
    return groups
