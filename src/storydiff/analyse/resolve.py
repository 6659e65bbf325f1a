"""Cross-article entity resolution: the mentions of a story -> ``Entity`` objects.

Mentions are first grouped into *forms* (same type class, same match key: case, diacritics, hyphens,
titles and al-/el-/bin particles ignored), then forms are merged by evidence, from strongest to
weakest: user aliases, acronyms defined in the text or matching initials, organization short forms,
spelling variants used in the same roles, surname -> full name when only one person has it. Every
merge needs a unique target: ambiguous evidence (two Ahmeds, two Abus) merges nothing.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from storydiff.analyse.names import (
    acronym_key,
    initials,
    is_acronym,
    match_key,
    name_variant,
    strip_titles,
    tokens,
)
from storydiff.model import Doc, Entity, Mention
from storydiff.util import DisjointSet

_CLASS = {"GPE": "PLACE", "LOC": "PLACE"}
# Words too common to show a shared role (only words of 4+ letters are compared).
# fmt: off
_STOP = {
    "said", "says", "will", "would", "could", "should", "after", "before", "over", "into", "than", "their",
    "they", "there", "also", "about", "more", "most", "some", "when", "where", "while", "what", "been",
    "being", "other", "that", "this", "which", "with", "from", "have", "were", "told", "added", "news",
}
# fmt: on
_WORD = re.compile(r"[A-Za-z]{4,}")


@dataclass
class _Form:
    cls: str
    key: str
    mentions: list[tuple[int, Mention]] = field(default_factory=list)  # (doc index, mention)

    @property
    def toks(self) -> list[str]:
        return self.key.split()

    @property
    def docs(self) -> set[int]:
        return {d for d, _ in self.mentions}


def _class(label: str) -> str:
    return _CLASS.get(label, label)


def _context(docs: list[Doc], form: _Form) -> set[str]:
    """Content words around a form's mentions: what role it plays in the story."""
    names = set(form.toks)
    words: set[str] = set()
    for d, m in form.mentions:
        text = docs[d].text[max(0, m.span.start - 80) : m.span.end + 80]
        words.update(w.lower() for w in _WORD.findall(text))
    return {w for w in words if w not in _STOP and w not in names}


def _forms(docs: list[Doc]) -> list[_Form]:
    index: dict[tuple[str, str], _Form] = {}
    for d, doc in enumerate(docs):
        for m in doc.mentions:
            key = match_key(m.span.text, m.label)
            if not key:
                continue
            cls = _class(m.label)
            index.setdefault((cls, key), _Form(cls, key)).mentions.append((d, m))
    return list(index.values())


def _merge_aliases(forms: list[_Form], uf: DisjointSet[int], aliases: list[list[str]]) -> None:
    for group in aliases:
        keys = {match_key(name) for name in group} | {match_key(name, "ORG") for name in group}
        members = [i for i, f in enumerate(forms) if f.key in keys]
        for i in members[1:]:
            uf.union(members[0], i)


def _merge_acronyms(docs: list[Doc], forms: list[_Form], uf: DisjointSet[int]) -> None:
    by_key: dict[tuple[str, str], int] = {(f.cls, f.key): i for i, f in enumerate(forms)}
    acr_forms = [i for i, f in enumerate(forms) if any(is_acronym(m.span.text) for _, m in f.mentions)]
    linked: set[int] = set()
    # Defined in the text: "World Health Organization (WHO)".
    for i, form in enumerate(forms):
        for d, m in form.mentions:
            hit = re.match(r"\s*\(([A-Z][A-Za-z.&]{1,9})\)", docs[d].text[m.span.end : m.span.end + 14])
            if not hit:
                continue
            akey = match_key(hit.group(1), m.label)
            j = by_key.get((form.cls, akey))
            if j is None:
                j = next((k for k in acr_forms if forms[k].key == akey), None)
            if j is not None and j != i:
                uf.union(i, j)
                linked.add(j)
    # By initials, when exactly one multi-word name of the story has them.
    for j in acr_forms:
        if j in linked:
            continue
        akey = acronym_key(forms[j].mentions[0][1].span.text)
        cands = {
            uf.find(i) for i, f in enumerate(forms) if len(f.toks) >= 2 and initials(_surface(f)) == akey
        }
        if len(cands) == 1:
            uf.union(j, cands.pop())


def _surface(form: _Form) -> str:
    return Counter(m.span.text for _, m in form.mentions).most_common(1)[0][0]


def _contiguous(short: list[str], long: list[str]) -> bool:
    n = len(short)
    return n < len(long) and any(long[k : k + n] == short for k in range(len(long) - n + 1))


def _merge_org_short_forms(forms: list[_Form], uf: DisjointSet[int]) -> None:
    """ "Fisheries Board" -> "Northern Fisheries Board"; a lone first word ("Tessel") is rather the
    place the organization is named after, so it is left alone."""
    other_keys = {f.key for f in forms if f.cls in ("PLACE", "PERSON", "NORP")}
    orgs = [i for i, f in enumerate(forms) if f.cls == "ORG"]
    for i in orgs:
        short = forms[i].toks
        if forms[i].key in other_keys or is_acronym(_surface(forms[i])):
            continue
        cands = {
            uf.find(j)
            for j in orgs
            if _contiguous(short, forms[j].toks) and (len(short) > 1 or forms[j].toks[0] != short[0])
        }
        if len(cands) == 1:
            uf.union(i, cands.pop())


def _merge_variants(docs: list[Doc], forms: list[_Form], uf: DisjointSet[int]) -> None:
    """Spelling variants (Kyiv/Kiev, Mohammed/Muhammad al-/el-X) used in the same roles.

    Two spellings inside one article are taken as two names; across articles they must share
    context words, so Sudan and Sedan in unrelated sentences stay apart.
    """
    contexts: dict[int, set[str]] = {}
    for cls in ("PERSON", "PLACE", "ORG"):
        idx = [i for i, f in enumerate(forms) if f.cls == cls]
        for a_pos, i in enumerate(idx):
            for j in idx[a_pos + 1 :]:
                fi, fj = forms[i], forms[j]
                if not name_variant(fi.toks, fj.toks) or fi.docs & fj.docs:
                    continue
                if cls == "PERSON" and len(fi.toks) < 2:
                    continue  # a lone first name or surname variant is too weak
                ci = contexts.setdefault(i, _context(docs, fi))
                cj = contexts.setdefault(j, _context(docs, fj))
                if len(ci & cj) >= 2:
                    uf.union(i, j)


def _merge_spacing(forms: list[_Form], uf: DisjointSet[int]) -> None:
    """ "Hollins Ford" and "Hollinsford": the same letters split differently, whatever the model called them."""
    by_letters: dict[str, list[int]] = defaultdict(list)
    for i, form in enumerate(forms):
        if form.cls in ("PERSON", "PLACE", "ORG") and len(form.key) >= 6:
            by_letters[form.key.replace(" ", "")].append(i)
    for members in by_letters.values():
        if len({forms[i].key for i in members}) > 1:
            for i in members[1:]:
                uf.union(members[0], i)


def _merge_person_parts(forms: list[_Form], uf: DisjointSet[int]) -> None:
    """Middle names ("Maria Elena Lopez" ~ "Maria Lopez"), surnames and lone first names to the one
    full name of the story that has them; two Ahmeds or two Haddads leave the short form alone."""
    people = [i for i, f in enumerate(forms) if f.cls == "PERSON"]
    full = [i for i in people if len(forms[i].toks) >= 2]
    for i in full:
        t = forms[i].toks
        cands = {
            uf.find(j)
            for j in full
            if len(forms[j].toks) > len(t) and forms[j].toks[0] == t[0] and forms[j].toks[-1] == t[-1]
        }
        if len(cands) == 1:
            uf.union(i, cands.pop())
    for i in people:
        t = forms[i].toks
        cands = {uf.find(j) for j in full if len(forms[j].toks) > len(t) and forms[j].toks[-len(t) :] == t}
        if not cands and len(t) == 1:
            # A first name alone, when only one person of the story has it and it is nobody's surname.
            surnames = {forms[j].toks[-1] for j in full}
            if t[0] not in surnames:
                cands = {uf.find(j) for j in full if forms[j].toks[0] == t[0]}
        if len(cands) == 1:
            uf.union(i, cands.pop())


def _canonical(members: list[_Form]) -> str:
    counts: Counter[str] = Counter()
    for f in members:
        for _, m in f.mentions:
            counts[strip_titles(m.span.text)] += 1

    # Completeness = words of the name; "Hollins Ford" counts as one word like "Hollinsford".
    fewest: dict[str, int] = {}
    for name in counts:
        letters = "".join(tokens(name))
        fewest[letters] = min(fewest.get(letters, 99), len(tokens(name)))

    def rank(name: str) -> tuple[int, int, int]:
        return (0 if is_acronym(name) else 1, fewest["".join(tokens(name))], counts[name])

    return max(counts, key=rank)


def resolve(docs: list[Doc], aliases: list[list[str]] | None = None) -> list[Entity]:
    """Group the story's mentions into entities; sets ``Mention.entity``. Ids follow first mention."""
    forms = _forms(docs)
    uf: DisjointSet[int] = DisjointSet(range(len(forms)))
    if aliases:
        _merge_aliases(forms, uf, aliases)
    _merge_acronyms(docs, forms, uf)
    _merge_org_short_forms(forms, uf)
    _merge_variants(docs, forms, uf)
    _merge_spacing(forms, uf)
    _merge_person_parts(forms, uf)

    clusters: dict[int, list[_Form]] = defaultdict(list)
    for i, form in enumerate(forms):
        clusters[uf.find(i)].append(form)

    def first(members: list[_Form]) -> tuple[int, int]:
        return min((d, m.span.start) for f in members for d, m in f.mentions)

    entities: list[Entity] = []
    for members in sorted(clusters.values(), key=first):
        pairs = sorted(
            ((d, m) for f in members for d, m in f.mentions), key=lambda p: (p[0], p[1].span.start)
        )
        # The type from the written-out names: an acronym's label is only borrowed.
        labels = Counter(m.label for _, m in pairs if not is_acronym(m.span.text)) or Counter(
            m.label for _, m in pairs
        )
        entity_id = f"e{len(entities) + 1}"
        for _, m in pairs:
            m.entity = entity_id
        variants = list(dict.fromkeys(m.span.text for _, m in pairs))
        entities.append(
            Entity(
                id=entity_id,
                name=_canonical(members),
                type=labels.most_common(1)[0][0],
                variants=variants,
                mentions=[m.span for _, m in pairs],
            )
        )
    return entities
