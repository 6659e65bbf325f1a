"""Who a speaker phrase names, inside one article: a person, or an organisation that speaks as one.

A speaker is never a place, a product or a common noun: "Levant", "Email", "Iranian media" or "a witness"
name nobody. Phrases are read in this order:

- a person's name in the phrase ("said Lt. Gregg Hastings of the Oregon State Police"); a possessive
  name is only a modifier ("Kathina Thomas' mother Shondell McAllister");
- a pronoun ("he said"): the nearest person before it of the pronoun's gender (a name's gender comes from
  a title, Mr./Mrs., or the first he/she after it, in this article or another of the story);
- a description: a role ("the general", "her daughter") is the person of the article introduced with
  that role; an organisation noun ("the ministry", "police") is the organisation itself: that is the
  organisational cue that lets an organisation speak;
- an organisation's name standing alone as the subject ("France Telecom said:");
- a surname alone the recogniser missed ("Fanning said"), as the person of the story who has it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from storydiff.analyse.names import TITLE_ROLES, TITLES, fold, is_title, leading_titles
from storydiff.model import Doc, Entity, Mention, Span

PRONOUN_GENDER = {"he": "m", "him": "m", "she": "f", "her": "f"}
_MALE = re.compile(r"\b(he|his|him|himself)\b", re.I)
_FEMALE = re.compile(r"\b(she|her|hers|herself)\b", re.I)
_MALE_TITLES = frozenset({"mr", "sir", "lord", "king", "prince", "father", "brother", "son", "husband"})
_FEMALE_TITLES = frozenset(
    {
        "mrs",
        "ms",
        "miss",
        "dame",
        "lady",
        "queen",
        "princess",
        "mother",
        "sister",
        "daughter",
        "wife",
        "mum",
        "mom",
    }
)
# Heads of descriptions that name an organisation: "the ministry said" lets the organisation speak.
# fmt: off
ORG_NOUNS = frozenset({
    "ministry", "police", "government", "army", "military", "navy", "department", "agency", "company",
    "office", "court", "council", "authority", "committee", "commission", "bureau", "service", "board",
    "firm", "bank", "party", "club", "team", "union", "league", "organisation", "organization", "embassy",
    "administration", "hospital", "university", "school", "airline", "patrol", "coastguard", "foundation",
    "institute", "network", "group", "regime", "cabinet", "parliament", "senate", "congress", "church",
    "prosecutor's", "federation", "association", "corporation", "manufacturer", "operator", "utility",
})
# Role nouns written in several ways.
_ROLE_SYNONYMS = {
    "spokeswoman": "spokesman", "spokesperson": "spokesman", "spokesmen": "spokesman",
    "chairwoman": "chairman", "chairperson": "chairman", "policeman": "officer", "policewoman": "officer",
}
# fmt: on
_LEADING = re.compile(
    r"^(?:and|but|then|also|so|while|as|when|after|before|because|since|until|said|says)\s+", re.I
)
_TRAILING = re.compile(
    r"(?:\s+(?:then|also|later|again|finally|still|now|once|quickly|repeatedly|simply))+\s*$", re.I
)
_DESCRIPTION = re.compile(r"^(?:the|a|an|one|another|his|her|its|their|our)\s+(.+)$", re.I)
_PREPOSITION = re.compile(r"\s+(?:of|for|at|from|with|in|on|to)\s+", re.I)
_POSSESSIVE = re.compile(r"\s*(?:['’]s?\b|['’])")
_NAME_TOKEN = re.compile(r"^[A-Z][\w'’.-]*$")
_SENTENCE_START = re.compile(r"(?:[.!?][\"”']?\s+|\n\s*)(?=[\"“A-Z])")
# Words that may follow an organisation that speaks ("France Telecom in a statement").
_AFTER_ORG = frozenset(
    {"in", "a", "an", "its", "statement", "e-mailed", "emailed", "written", "press", "release"}
)
_INVERSE_KIN = {
    "mother": {"daughter", "son", "child"}, "father": {"daughter", "son", "child"},
    "wife": {"husband"}, "husband": {"wife"}, "son": {"mother", "father", "parent"},
    "daughter": {"mother", "father", "parent"}, "sister": {"sister", "brother", "sibling"},
    "brother": {"sister", "brother", "sibling"}, "grandmother": {"grandson", "granddaughter"},
    "girlfriend": {"boyfriend"}, "boyfriend": {"girlfriend"},
}  # fmt: skip
_KIN = re.compile(r"\s*(?:['’]s|['’])\s+(" + "|".join(_INVERSE_KIN) + r"),?\s+")


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who one article says spoke: canonical ``name``, its ``entity`` (None for an organisation named
    only by a description), the ``span`` naming them here, and ``how`` they are named (name / org /
    role / pronoun), which weighs the outlets' votes across articles."""

    name: str
    entity: str | None
    span: Span
    how: str


def _role(word: str) -> str:
    w = fold(word).strip(" ,.'")
    w = TITLE_ROLES.get(w, w)
    return _ROLE_SYNONYMS.get(w, w)


def genders(docs: list[Doc], window: int, entities: list[Entity] | None = None) -> dict[str, str]:
    """Entity id -> "m" / "f" from the whole story: a title or the first he/she after a name, before any
    other person is named, and the given name when the alias table knows its gender. Evidence that
    disagrees (less than two thirds one way) leaves it unknown."""
    from storydiff.analyse import aliases

    table = aliases.builtin()
    votes: dict[str, Counter[str]] = {}
    for entity in entities or []:
        first = fold(entity.name.split()[0]) if entity.type == "PERSON" and " " in entity.name else ""
        known = table.gender(first) if first else None
        if known:
            votes.setdefault(entity.id, Counter())[known] += 1
    for doc in docs:
        people = [m for m in doc.mentions if m.label == "PERSON" and m.entity]
        for k, m in enumerate(people):
            g = _gender(doc, m, people[k + 1].span.start if k + 1 < len(people) else len(doc.text), window)
            if g:
                votes.setdefault(m.entity or "", Counter())[g.lower()] += 2 if g.isupper() else 1
    out: dict[str, str] = {}
    for entity_id, counts in votes.items():
        (top, n), total = counts.most_common(1)[0], sum(counts.values())
        if n * 3 >= total * 2:  # two thirds of the evidence agree
            out[entity_id] = top
    return out


def _gender(doc: Doc, m: Mention, next_person: int, window: int) -> str | None:
    before = doc.text[max(0, m.span.start - 40) : m.span.start].split()
    for word in reversed(before[-3:]):
        w = fold(word).strip(" ,")
        if w in _MALE_TITLES:
            return "M"  # a title is strong evidence (counted twice)
        if w in _FEMALE_TITLES:
            return "F"
        if not (is_title(word) or word[:1].isupper()):
            break
    # The first he/she after the name in its sentence, or opening the next one, before anyone else is
    # named and before any quotation mark (a cue's pronoun after a quotation is what is being resolved).
    text = doc.text[m.span.end : min(next_person, m.span.end + window)]
    text = re.split(r"[\"“”]", text, maxsplit=1)[0]
    end = re.search(r"[.!?]\s+(?!(?:He|She|His|Her)\b)", text)
    if end:
        text = text[: end.start()]
    he, she = _MALE.search(text), _FEMALE.search(text)
    if he and (not she or he.start() < she.start()):
        return "m"
    if she:
        return "f"
    return None


class Speakers:
    """Resolves speaker phrases of one article against the story's entities."""

    def __init__(
        self,
        doc: Doc,
        entities: list[Entity],
        gender: dict[str, str],
        given_names: frozenset[str],
        quoted: list[tuple[int, int]] | None = None,
        recent_window: int = 600,
    ) -> None:
        self.doc = doc
        self.recent_window = recent_window
        self.anonymous: list[int] = []  # where unnamed speakers ("a senior officer") were described
        self.by_id = {e.id: e for e in entities}
        self.gender = gender
        self.given = given_names

        def outside(m: Mention) -> bool:  # a name inside quotation marks is not the narrative's
            return not any(a <= m.span.start < b for a, b in quoted or [])

        self.people = [m for m in doc.mentions if m.entity and self._type(m) == "PERSON" and outside(m)]
        self.orgs = [m for m in doc.mentions if m.entity and self._type(m) == "ORG" and outside(m)]
        self.roles: dict[str, set[str]] = {}
        for m in self.people:
            self.roles.setdefault(m.entity or "", set()).update(self._roles_of(m))
        self._kinship()

    def _kinship(self) -> None:
        """ "Kathina Thomas' mother Shondell McAllister": Kathina is the mother's daughter (or son), so
        "her daughter" can name her."""
        text = self.doc.text
        for a in self.people:
            hit = _KIN.match(text, a.span.end)
            if not hit:
                continue
            b = next((m for m in self.people if m.span.start == hit.end()), None)
            if b is not None and b.entity != a.entity:
                self.roles.setdefault(b.entity or "", set()).add(hit.group(1).lower())
                self.roles.setdefault(a.entity or "", set()).update(_INVERSE_KIN[hit.group(1).lower()])

    def _type(self, m: Mention) -> str:
        entity = self.by_id.get(m.entity or "")
        return entity.type if entity is not None else m.label

    def name(self, m: Mention) -> str:
        entity = self.by_id.get(m.entity or "")
        return entity.name if entity is not None else m.span.text

    def _roles_of(self, m: Mention) -> set[str]:
        """Role nouns around a person's name: titles before ("Navy chief Admiral X", "her daughter, X",
        "Kathina's mother X") and an apposition after ("X, the army's chief spokesman,")."""
        text = self.doc.text
        before = re.split(r"[.!?;:\"“”\n]", text[max(0, m.span.start - 60) : m.span.start])[-1]
        words = before.split()[-4:]
        roles = {_role(w) for w in words}
        roles.update(leading_titles(" ".join(words)))
        after = re.match(
            r",\s+(?:the|a|an|his|her|their|its|[A-Z][\w-]*(?:['’]s|['’]))\s+([^,.;\"“”]{3,60})[,.;]",
            text[m.span.end : m.span.end + 80],
        )
        if after:
            roles.update(_role(w) for w in after.group(1).split())
        return roles

    # ------------------------------------------------------------------ candidates

    def person_in(self, start: int, end: int) -> Mention | None:
        """The first person named in ``start:end`` who is not a modifier of another name: a possessive
        ("Kathina Thomas' mother Shondell McAllister") or a name before a role and another name ("Oscar
        producer Laurence Mark"); "Laurence Mark and Bill Condon" and "Laurence Mark, producer of the
        show" are Laurence Mark."""
        inside = [m for m in self.people if start <= m.span.start and m.span.end <= end]
        text = self.doc.text
        for k, m in enumerate(inside):
            if _POSSESSIVE.match(text, m.span.end):
                continue
            nxt = inside[k + 1] if k + 1 < len(inside) else None
            if nxt is not None:
                between = text[m.span.end : nxt.span.start]
                if len(between.split()) <= 3 and not re.search(r",|\b(?:and|or|with|of|for|at)\b", between):
                    continue
            return m
        return None

    def org_in(self, start: int, end: int) -> Mention | None:
        for m in self.orgs:
            if (
                start <= m.span.start
                and m.span.end <= end
                and not _POSSESSIVE.match(self.doc.text, m.span.end)
            ):
                return m
        return None

    def by_pronoun(self, gender: str, before: int) -> Mention | None:
        """The person a he/she before ``before`` refers to, never one of the other gender ("she said" after
        two men and a woman is the woman): the subject of the pronoun's sentence or of the one before
        ("Rossi laid out the case before Judge Stephen Herrick. He said ..." is Rossi), else the nearest
        of the pronoun's gender, else the nearest of unknown gender."""
        earlier = [m for m in reversed(self.people) if m.span.start < before]
        fits = [m for m in earlier if self.gender.get(m.entity or "", gender) == gender]
        unnamed = max((a for a in self.anonymous if a < before), default=-1)
        if not fits or unnamed > fits[0].span.start:
            return None  # '"...," said a senior officer. ... "...," he added': still the unnamed one
        subjects = self._recent_subjects(before)
        subject = next((m for m in fits if m.entity in subjects), None)
        known = next((m for m in fits if self.gender.get(m.entity or "") == gender), None)
        return subject or known or fits[0]

    def _recent_subjects(self, before: int) -> set[str | None]:
        """Entities named at the start of the sentence holding ``before`` or of the one before it."""
        text = self.doc.text
        starts = [m.end() for m in _SENTENCE_START.finditer(text, 0, before)]
        out: set[str | None] = set()
        for s in ([0] + starts)[-2:]:
            lead = next((m for m in self.people if s <= m.span.start < before), None)
            if (
                lead is not None
                and len(text[s : lead.span.start].split()) <= 3
                and "," not in text[s : lead.span.start]
            ):
                out.add(lead.entity)
        return out

    def by_role(self, head: str, before: int) -> Mention | None:
        """The person introduced with this role: the last before the phrase, else the only one."""
        matches = [m for m in self.people if head in self.roles.get(m.entity or "", set())]
        earlier = [m for m in matches if m.span.start < before]
        if earlier:
            return earlier[-1]
        return matches[0] if len({m.entity for m in matches}) == 1 else None

    def by_surname(self, word: str) -> Entity | None:
        """The one person of the article whose last name ``word`` is, else the story's one person."""
        key = fold(word)
        found = {
            m.entity
            for m in self.people
            if len(m.span.text.split()) > 1 and fold(m.span.text.split()[-1]) == key
        }
        if len(found) == 1:
            return self.by_id.get(found.pop() or "")
        story = [
            e
            for e in self.by_id.values()
            if e.type == "PERSON" and " " in e.name and fold(e.name.split()[-1]) == key
        ]
        return story[0] if len(story) == 1 else None

    # ------------------------------------------------------------------ resolving

    def _speaker(self, m: Mention, span: Span, how: str, gender: str | None = None) -> Speaker:
        entity = self._full(m.entity, gender)
        if entity is not None:
            return Speaker(entity.name, entity.id, span, how)
        return Speaker(self.name(m), m.entity, span, how)

    def _full(self, entity_id: str | None, gender: str | None) -> Entity | None:
        """For a surname the story could not tie to one full name ("Gomes" of Gary and Catherine Gomes):
        the one of this article's full names with that surname whose gender fits the pronoun."""
        entity = self.by_id.get(entity_id or "")
        if entity is None or entity.type != "PERSON" or " " in entity.name or gender is None:
            return None
        key = fold(entity.name)
        here = {m.entity for m in self.people}
        fits = [
            e
            for e in self.by_id.values()
            if e.id in here
            and e.type == "PERSON"
            and " " in e.name
            and fold(e.name.split()[-1]) == key
            and self.gender.get(e.id) == gender
        ]
        return fits[0] if len(fits) == 1 else None

    def resolve(self, start: int, end: int) -> Speaker | None:
        """The speaker the phrase ``start:end`` names, or None when it names nobody who can speak."""
        text = self.doc.text
        while start < end and not (text[start].isalnum()):
            start += 1
        while end > start and not (text[end - 1].isalnum() or text[end - 1] == "."):
            end -= 1
        trail = _TRAILING.search(text, start, end)
        if trail and trail.start() > start:
            end = trail.start()
        lead = _LEADING.match(text, start, end)
        while lead:
            start = lead.end()
            trail = _TRAILING.search(text, start, end)
        if trail and trail.start() > start:
            end = trail.start()
        lead = _LEADING.match(text, start, end)
        if start >= end:
            return None
        phrase = text[start:end]
        span = self.doc.span(start, end)

        person = self.person_in(start, end)
        if person is not None:
            return self._speaker(person, person.span, "name")
        first = re.match(r"[A-Z][\w'’-]+", phrase)
        if (
            first
            and not self.org_in(start, start + first.end())
            and not _POSSESSIVE.match(phrase, first.end())
        ):
            # `Ferrand recently appeared on Valley Radio and commented:`: a sentence-initial surname the
            # recogniser missed.
            entity = self.by_surname(first.group())
            if entity is not None:
                return Speaker(entity.name, entity.id, self.doc.span(start, start + first.end()), "name")
        low = phrase.lower().rstrip(".")
        last = low.split()[-1]
        if low in PRONOUN_GENDER or (last in PRONOUN_GENDER and len(low.split()) <= 6 and last != "her"):
            p_start = start if low in PRONOUN_GENDER else end - len(last)
            gender = PRONOUN_GENDER[last]
            m = self.by_pronoun(gender, p_start)
            return (
                self._speaker(m, self.doc.span(p_start, p_start + len(last)), "pronoun", gender)
                if m
                else None
            )
        org = self.org_in(start, end)
        if org is not None and self._alone(phrase, org):
            return self._speaker(org, org.span, "org")  # "The Islamic State of Iraq and the Levant said"
        desc = _DESCRIPTION.match(phrase)
        if desc:
            return self._described(desc.group(1), start, span)
        if low in ORG_NOUNS:
            return self._described(phrase, start, span)
        return self._unknown_name(phrase, start, span)

    def _alone(self, phrase: str, org: Mention) -> bool:
        """The organisation is the whole subject ("The Indian navy", "France Telecom in a statement"),
        not the modifier of a person's role ("the Navy chief")."""
        at = phrase.find(org.span.text)
        if at < 0:
            return False
        before = phrase[:at].split()
        after = phrase[at + len(org.span.text) :].split()
        return len(before) <= 2 and all(w.lower().strip(".,") in _AFTER_ORG for w in after)

    def _described(self, body: str, start: int, span: Span) -> Speaker | None:
        """ "the general", "her daughter", "a spokesperson for Interoute", "the Egyptian ministry"."""
        pieces = _PREPOSITION.split(body, maxsplit=1)
        head_part = pieces[0]
        tail = pieces[1] if len(pieces) > 1 else ""
        head = _role(head_part.split()[-1])
        if head in ORG_NOUNS or head.rstrip("s") in ORG_NOUNS:
            org = self.org_in(span.start, span.end)
            if org is not None:
                return self._speaker(org, span, "org")
            named = self._org_named(head)
            if named is not None:
                return self._speaker(named, span, "org")
            if head in ("police",) or not tail:
                return Speaker(_tidy(span.text), None, span, "org")
            return None
        m = self.by_role(head, start)
        if m is not None:
            return self._speaker(m, span, "role")
        if tail:
            # "a spokesperson for Interoute": the organisation speaks through them.
            org = self.org_in(span.start + len(span.text) - len(tail), span.end)
            if org is not None and head in ("spokesman", "official", "statement", "representative"):
                return self._speaker(org, span, "org")
        if span.text[:4].lower() == "the " and not tail and (head in TITLES or head in TITLE_ROLES.values()):
            # "said the Navy chief": a definite title names the one person the text just spoke of.
            recent = {m.entity: m for m in self.people if start - self.recent_window <= m.span.start < start}
            if len(recent) == 1:
                return self._speaker(next(iter(recent.values())), span, "role")
        self.anonymous.append(start)  # "a senior officer": somebody unnamed, who a later "he" may be
        return None

    def _org_named(self, head: str) -> Mention | None:
        """The one organisation of the article whose name holds the description's head ("the ministry"
        -> "the Egyptian Ministry of Communications")."""
        found = {m.entity: m for m in self.orgs if head in fold(m.span.text).split()}
        return next(iter(found.values())) if len(found) == 1 else None

    def _unknown_name(self, phrase: str, start: int, span: Span) -> Speaker | None:
        """A name the recogniser missed: a surname of one of the story's people ("Fanning"), or a full
        name that starts with a known given name ("Ines Varga"). A lone capitalised word that is nobody's
        surname ("Email", "Levant") is no speaker."""
        words = [w for w in phrase.split() if not is_title(w)]
        if not words or not all(_NAME_TOKEN.match(w) for w in words) or len(words) > 4:
            return None
        entity = self.by_surname(words[-1].rstrip(".,"))
        if entity is not None:
            return Speaker(entity.name, entity.id, span, "name")
        if len(words) >= 2 and fold(words[0]) in self.given:
            return Speaker(" ".join(words), None, span, "name")
        return None


def _tidy(description: str) -> str:
    """ "the port authority" -> "the port authority" on one line, as written."""
    return " ".join(description.split())
