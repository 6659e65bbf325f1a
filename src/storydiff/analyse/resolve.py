"""Cross-article entity resolution: the mentions of a story -> ``Entity`` objects.

First, inside each article, a surname or first name alone ("Smith said") is read as the one full name of
that article it belongs to ("A.J. Smith"), as a reader would. Mentions are then grouped into *forms*
(same type class, same match key: case, diacritics, hyphens, titles and al-/el-/bin particles ignored),
and forms are merged by evidence, from strongest to weakest: the alias tables (curated + ``--aliases``),
acronyms defined in the text or matching initials, organisation short forms, spelling variants used in
the same roles, spacing variants, nicknames and surnames of one full name, and last the looser spellings
(Koohi / Kavouhi) that also share a neighbouring entity. Every merge needs a unique target: ambiguous
evidence (two Ahmeds, two Haddads) merges nothing.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache

from storydiff.analyse import aliases as alias_tables
from storydiff.analyse.aliases import AliasTable
from storydiff.analyse.names import (
    ORG_HEADS,
    ORG_SUFFIXES,
    VESSEL_PREFIX,
    acronym_key,
    initials,
    is_acronym,
    match_key,
    strip_titles,
    token_variant,
    tokens,
    weak_variant,
)
from storydiff.model import Doc, Entity, Mention
from storydiff.util import DisjointSet


@dataclass
class ResolveConfig:
    # Jaro-Winkler similarity two name tokens need to be spelling variants when their consonant skeletons
    # agree / when their metaphone codes agree. Set on the fictional examples (Kyiv/Kiev 0.82,
    # Gaddafi/Qaddafi 0.90, Mohammed/Muhammad 0.87); spelling alone never merges, context must agree too.
    variant_skeleton_similarity: float = 0.8
    variant_metaphone_similarity: float = 0.88
    # Content words (4+ letters, within ``context_window`` characters of the mentions) two spellings in
    # different articles must share: Sudan and Sedan in unrelated sentences stay apart. Fictional examples.
    variant_context_words: int = 2
    context_window: int = 80
    # The looser spelling match (same first letter, match-rating codex agrees, Jaro-Winkler at least this)
    # merges only forms that also sit next to one and the same other entity ("the villages of Zainabieh
    # and Koohi" / "the villages Kavouhi and Zinabieh"); the neighbour is searched this many characters away.
    weak_variant_similarity: float = 0.8
    neighbour_window: int = 40
    # Merge what the curated alias table (storydiff/analyse/data/aliases.txt) says; --aliases adds to it.
    builtin_aliases: bool = True


_CLASS = {"GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}
# Classes whose one-word names may be spellings of each other across the class boundary: the small
# model calls the same village or boat a place in one article, an organisation or a person in another.
_SPELLING_CLASSES = ("PERSON", "PLACE", "ORG", "PRODUCT", "NORP")
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


# --------------------------------------------------------------------------- inside one article


def _person_key(m: Mention) -> str:
    return match_key(m.span.text)


def _local_full_names(doc: Doc) -> dict[int, str]:
    """Mention index -> the key of the full name it stands for in this article: "Smith" -> "aj smith" when
    A.J. Smith is the only Smith of the article, "Kathina" -> "kathina thomas" likewise."""
    people = [(i, m, _person_key(m)) for i, m in enumerate(doc.mentions) if m.label == "PERSON"]
    full = {key for _, _, key in people if len(key.split()) >= 2}
    out: dict[int, str] = {}
    for i, _, key in people:
        if len(key.split()) != 1:
            continue
        by_surname = {f for f in full if f.split()[-1] == key}
        by_first = {f for f in full if f.split()[0] == key}
        if len(by_surname) == 1:
            out[i] = by_surname.pop()
        elif not by_surname and len(by_first) == 1 and key not in {f.split()[-1] for f in full}:
            out[i] = by_first.pop()
    return out


def _forms(docs: list[Doc]) -> list[_Form]:
    index: dict[tuple[str, str], _Form] = {}
    for d, doc in enumerate(docs):
        local = _local_full_names(doc)
        for i, m in enumerate(doc.mentions):
            key = local.get(i) or match_key(m.span.text, m.label)
            if not key:
                continue
            cls = _class(m.label)
            if cls != "PERSON" and len(key.split()) > 1 and key.split()[-1] in ORG_HEADS:
                cls = "ORG"  # "Tessel Harbour Authority" called a place or a product is still an authority
            index.setdefault((cls, key), _Form(cls, key)).mentions.append((d, m))
    return list(index.values())


# --------------------------------------------------------------------------- evidence


def _context(docs: list[Doc], form: _Form, window: int) -> set[str]:
    """Content words around a form's mentions: what role it plays in the story."""
    names = set(form.toks)
    words: set[str] = set()
    for d, m in form.mentions:
        text = docs[d].text[max(0, m.span.start - window) : m.span.end + window]
        words.update(w.lower() for w in _WORD.findall(text))
    return {w for w in words if w not in _STOP and w not in names}


@cache
def _alias_keys(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset({match_key(n) for n in names} | {match_key(n, "ORG") for n in names})


def _merge_aliases(forms: list[_Form], uf: DisjointSet[int], table: AliasTable) -> None:
    """Forms whose names one alias group lists are one entity, whatever the recogniser called them."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, form in enumerate(forms):
        by_key[form.key].append(i)
    for group in table.groups:
        members = [i for key in _alias_keys(group.names) for i in by_key.get(key, [])]
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
    # By initials, when exactly one multi-word name of the story has them ("Sea Me We 4" for "SMW4").
    for j in acr_forms:
        if j in linked:
            continue
        akey = acronym_key(forms[j].mentions[0][1].span.text)
        cands = {
            uf.find(i)
            for i, f in enumerate(forms)
            if i != j and len(f.toks) >= 2 and initials(_surface(f)) == akey
        }
        if len(cands) == 1:
            uf.union(j, cands.pop())


def _surface(form: _Form) -> str:
    return Counter(m.span.text for _, m in form.mentions).most_common(1)[0][0]


def _stem(token: str) -> str:
    return token[:-1] if len(token) > 4 and token.endswith("s") else token


def _contiguous(short: list[str], long: list[str]) -> bool:
    n = len(short)
    return n < len(long) and any(long[k : k + n] == short for k in range(len(long) - n + 1))


def _subsequence(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return len(short) < len(long) and all(any(t == u for u in it) for t in short)


def _has_legal_suffix(form: _Form) -> bool:
    """ "France Telecom SA": a full company name of its own, never the short form of another."""
    return any(
        (words := tokens(m.span.text)) and words[-1] in ORG_SUFFIXES and len(words) > 1
        for _, m in form.mentions
    )


def _merge_org_short_forms(forms: list[_Form], uf: DisjointSet[int]) -> None:
    """ "Fisheries Board" -> "Northern Fisheries Board", "Reliance" -> "Reliance Globalcom",
    "Bristol District Attorney's Office" -> "Bristol County District Attorney's Office". A lone first word
    ("Tessel") is rather the place the organisation is named after, and a name that carries a legal
    suffix itself ("France Telecom SA") is a company of its own, not short for "France Telecom Marine"."""
    other_keys: dict[str, set[int]] = defaultdict(set)
    for k, f in enumerate(forms):
        if f.cls in ("PLACE", "PERSON", "NORP"):
            other_keys[f.key].add(k)
    orgs = [
        i for i, f in enumerate(forms) if f.cls in ("ORG", "PLACE") and (f.cls == "ORG" or len(f.toks) > 1)
    ]
    stems = {i: [_stem(t) for t in forms[i].toks] for i in orgs}
    for i in orgs:
        if forms[i].cls != "ORG" and not any(m.label == "FAC" for _, m in forms[i].mentions):
            continue
        short = stems[i]
        if (
            other_keys.get(forms[i].key, set()) - {i}
            or is_acronym(_surface(forms[i]))
            or _has_legal_suffix(forms[i])
        ):
            continue
        cands = set()
        for j in orgs:
            if forms[j].cls != "ORG" or j == i:
                continue
            long = stems[j]
            suffix = _contiguous(short, long) and (len(short) > 1 or long[0] != short[0])
            inner = (
                len(short) >= 3
                and _subsequence(short, long)
                and short[0] == long[0]
                and short[-1] == long[-1]
            )
            if suffix or inner:
                cands.add(uf.find(j))
        if len(cands) == 1:
            uf.union(i, cands.pop())


def _pairs_by_class(forms: list[_Form]) -> list[tuple[int, int]]:
    """Form pairs a spelling match may join: same class, or one-word names across the classes the small
    model confuses (never a one-word person against a many-word one)."""
    out: list[tuple[int, int]] = []
    for i, fi in enumerate(forms):
        for j in range(i + 1, len(forms)):
            fj = forms[j]
            if fi.cls == fj.cls or (
                fi.cls in _SPELLING_CLASSES
                and fj.cls in _SPELLING_CLASSES
                and len(fi.toks) == 1
                and len(fj.toks) == 1
            ):
                out.append((i, j))
    return out


def _spelling(a: list[str], b: list[str], cfg: ResolveConfig, *, weak: bool = False) -> bool:
    """Token lists of equal length, each pair a spelling variant (one pair may be a weak variant)."""
    if len(a) != len(b) or a == b:
        return False
    loose = 0
    for x, y in zip(a, b, strict=True):
        if token_variant(
            x, y, skeleton_sim=cfg.variant_skeleton_similarity, metaphone_sim=cfg.variant_metaphone_similarity
        ):
            continue
        if weak and loose == 0 and weak_variant(x, y, cfg.weak_variant_similarity):
            loose += 1
            continue
        return False
    return True


def _surnames(forms: list[_Form]) -> set[str]:
    return {f.toks[-1] for f in forms if f.cls == "PERSON" and len(f.toks) >= 2}


def _merge_variants(docs: list[Doc], forms: list[_Form], uf: DisjointSet[int], cfg: ResolveConfig) -> None:
    """Spelling variants (Kyiv/Kiev, Mohammed/Muhammad al-/el-X, Dargahan/Dargehan) used in the same roles.

    Two spellings inside one article are taken as two names; across articles they must share context
    words, so Sudan and Sedan in unrelated sentences stay apart. A lone first name or surname is too weak,
    and so is the surname of one of the story's people against another word.
    """
    contexts: dict[int, set[str]] = {}
    surnames = _surnames(forms)
    for i, j in _pairs_by_class(forms):
        fi, fj = forms[i], forms[j]
        if fi.docs & fj.docs or not _spelling(fi.toks, fj.toks, cfg):
            continue
        if len(fi.toks) == 1 and ((fi.cls == fj.cls == "PERSON") or fi.key in surnames or fj.key in surnames):
            continue
        ci = contexts.setdefault(i, _context(docs, fi, cfg.context_window))
        cj = contexts.setdefault(j, _context(docs, fj, cfg.context_window))
        if len(ci & cj) >= cfg.variant_context_words:
            uf.union(i, j)


def _neighbours(
    docs: list[Doc], form: _Form, roots: dict[int, int], owner: dict[int, int], window: int
) -> set[int]:
    """The entities (roots) named within ``window`` characters of the form's mentions."""
    out: set[int] = set()
    for d, m in form.mentions:
        lo, hi = m.span.start - window, m.span.end + window
        for other in docs[d].mentions:
            if other is m or not (lo <= other.span.start and other.span.end <= hi):
                continue
            k = owner.get(id(other))
            if k is not None:
                out.add(roots[k])
    return out


def _merge_weak_variants(
    docs: list[Doc], forms: list[_Form], uf: DisjointSet[int], cfg: ResolveConfig
) -> None:
    """Looser spellings (Koohi / Kavouhi, Independent / Independence Street) in different articles that
    share context words and sit next to the same other entity."""
    owner = {id(m): i for i, f in enumerate(forms) for _, m in f.mentions}
    roots = uf.roots()
    contexts: dict[int, set[str]] = {}
    surnames = _surnames(forms)
    for i, j in _pairs_by_class(forms):
        fi, fj = forms[i], forms[j]
        if uf.find(i) == uf.find(j) or fi.docs & fj.docs:
            continue
        one_word = len(fi.toks) == 1
        if (one_word and "PERSON" in (fi.cls, fj.cls)) or fi.key in surnames or fj.key in surnames:
            continue
        if not _spelling(fi.toks, fj.toks, cfg, weak=True):
            continue
        ci = contexts.setdefault(i, _context(docs, fi, cfg.context_window))
        cj = contexts.setdefault(j, _context(docs, fj, cfg.context_window))
        if len(ci & cj) < cfg.variant_context_words:
            continue
        if one_word:
            # One loosely alike word needs more: a neighbour entity both are named beside.
            shared = _neighbours(docs, fi, roots, owner, cfg.neighbour_window) & _neighbours(
                docs, fj, roots, owner, cfg.neighbour_window
            )
            if not shared - {roots[i], roots[j]}:
                continue
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


_ROAD_KEY = re.compile(r"^(?:(\w+) )?(?:(?:state )?(?:highway|route|hwy) )?(\d{1,4})(?: highway)?$")


def _merge_roads(forms: list[_Form], uf: DisjointSet[int]) -> None:
    """ "Highway 214", "Oregon 214" and "Newberg 214 Highway": one road number of one story is one road,
    unless an interstate shares the number (a different road system)."""
    by_number: dict[str, list[int]] = defaultdict(list)
    interstate: set[str] = set()
    for i, form in enumerate(forms):
        if form.cls != "PLACE" or not any(m.label == "FAC" for _, m in form.mentions):
            continue
        hit = _ROAD_KEY.match(form.key)
        if hit:
            if hit.group(1) in ("interstate", "i"):
                interstate.add(hit.group(2))
            else:
                by_number[hit.group(2)].append(i)
    for number, members in by_number.items():
        if number not in interstate:
            for i in members[1:]:
                uf.union(members[0], i)


def _merge_person_parts(forms: list[_Form], uf: DisjointSet[int], table: AliasTable) -> None:
    """Nicknames ("Bill Hakim" ~ "William Hakim"), middle names ("Maria Elena Lopez" ~ "Maria Lopez"),
    surnames and lone first names to the one full name of the story that has them; two Ahmeds or two
    Haddads leave the short form alone."""
    people = [i for i, f in enumerate(forms) if f.cls == "PERSON"]
    full = [i for i in people if len(forms[i].toks) >= 2]
    for i in full:
        t = forms[i].toks
        cands = {
            uf.find(j)
            for j in full
            if j != i
            and len(forms[j].toks) == len(t)
            and forms[j].toks[1:] == t[1:]
            and forms[j].toks[0] != t[0]
            and table.same_given_name(forms[j].toks[0], t[0])
        }
        if len(cands) == 1:
            uf.union(i, cands.pop())
    for i in full:
        t = forms[i].toks
        cands = {
            uf.find(j)
            for j in full
            if len(forms[j].toks) > len(t)
            and table.same_given_name(forms[j].toks[0], t[0])
            and forms[j].toks[-1] == t[-1]
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


# --------------------------------------------------------------------------- naming and typing


def _canonical(members: list[_Form]) -> str:
    """The most frequent full form: of the names of two or more words ("Vincent Jackson" over "Jackson",
    "San Diego Chargers" over "Chargers", "Dirk Kempthorne" over a rarer "Dirk A. Kempthorne"; "Hollins
    Ford" counts as one word, like "Hollinsford"), the most often written; a one-word name when there is
    no other, an acronym only when nothing else is written."""
    counts: Counter[str] = Counter()
    for f in members:
        for _, m in f.mentions:
            counts[strip_titles(m.span.text)] += 1
    written = [n for n in counts if not is_acronym(n)] or list(counts)
    fewest: dict[str, int] = {}
    pooled: Counter[str] = Counter()
    for name in written:
        letters = "".join(tokens(name))
        fewest[letters] = min(fewest.get(letters, 99), len(tokens(name)))
        pooled[letters] += counts[name]
    pool = [n for n in written if fewest["".join(tokens(n))] >= 2] or written

    def rank(name: str) -> tuple[int, int, int, int]:
        letters = "".join(tokens(name))
        return (pooled[letters], counts[name], len(tokens(name)), -len(name))

    return max(pool, key=rank)


def _alias_type(members: list[_Form], table: AliasTable) -> str | None:
    keys = {f.key for f in members}
    for group in table.groups:
        if group.type and keys & _alias_keys(group.names):
            return group.type
    return None


def _entity_type(members: list[_Form], pairs: list[tuple[int, Mention]], table: AliasTable) -> str:
    """The alias table's type, else the majority label of the written-out names (an acronym's label is
    only borrowed); an organisation's name is never typed a place or a product."""
    known = _alias_type(members, table)
    if known:
        return known
    if any(VESSEL_PREFIX.match(m.span.text) for _, m in pairs):
        return "PRODUCT"  # a ship, whatever its bare name was taken for
    labels = Counter(m.label for _, m in pairs if not is_acronym(m.span.text)) or Counter(
        m.label for _, m in pairs
    )
    top = labels.most_common(1)[0][0]
    if top != "PERSON" and any(
        f.cls == "ORG" and len(f.toks) > 1 and f.toks[-1] in ORG_HEADS for f in members
    ):
        return "ORG"
    if top in ("GPE", "LOC", "FAC", "PRODUCT") and labels["ORG"] and labels["ORG"] * 2 >= labels[top]:
        return "ORG"
    return top


def resolve(
    docs: list[Doc], aliases: list[list[str]] | None = None, config: ResolveConfig | None = None
) -> list[Entity]:
    """Group the story's mentions into entities; sets ``Mention.entity``. Ids follow first mention.

    ``aliases``: the user's alias groups (``--aliases``), added to the curated table."""
    cfg = config or ResolveConfig()
    table = alias_tables.table(aliases) if cfg.builtin_aliases else AliasTable().extended(aliases or [])
    forms = _forms(docs)
    uf: DisjointSet[int] = DisjointSet(range(len(forms)))
    _merge_aliases(forms, uf, table)
    _merge_acronyms(docs, forms, uf)
    _merge_org_short_forms(forms, uf)
    _merge_variants(docs, forms, uf, cfg)
    _merge_spacing(forms, uf)
    _merge_roads(forms, uf)
    _merge_person_parts(forms, uf, table)
    _merge_weak_variants(docs, forms, uf, cfg)

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
        entity_id = f"e{len(entities) + 1}"
        for _, m in pairs:
            m.entity = entity_id
        variants = list(dict.fromkeys(m.span.text for _, m in pairs))
        entity_type = _entity_type(members, pairs, table)
        entities.append(
            Entity(
                id=entity_id,
                name=_canonical(members),
                type=entity_type,
                variants=variants,
                mentions=[m.span for _, m in pairs],
            )
        )
    return entities
