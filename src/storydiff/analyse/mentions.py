"""Repairs of the recogniser's mention spans: rules for what the small model cuts wrong or misses.

Each rule is a plain function over one document's mentions (sorted, non-overlapping afterwards):

- names after a title ("Mr. Sznewajs", "Const. Fanning", "Qeshm Governor Mehdi Irannejad" -> the person);
- a hyphenated name part the model left out ("Mehdi iran-Nejad");
- an office named after a title ("the Bristol District Attorney's Office", not "Bristol District");
- two places in one span ("the villages of Zainabieh and Koohi");
- the names of the alias table, written out ("Islamic State of Iraq and the Levant", so that its "Levant"
  is never a place or a person of its own), and written-out forms of the story's acronyms ("Sea Me We 4"
  for "SMW4").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from storydiff.analyse.aliases import AliasTable
from storydiff.analyse.names import (
    ACRONYM_STOP,
    ORG_SUFFIXES,
    ORG_WORDS,
    TITLE_ROLES,
    VESSEL_PREFIX,
    acronym_key,
    fold,
    is_acronym,
    is_title,
    name_after_title,
)
from storydiff.model import Doc, Mention

# Titles that only ever stand before a person ("Mr.", "Const."), abbreviated, with their dot.
_PERSON_TITLE = re.compile(
    r"\b(?:(?:Mr|Mrs|Ms|Dr)\.?|(?:Const|Cst|Lt|Sgt|Gen|Col|Capt|Cpl|Insp|Det|Gov|Sen|Rep|Prof|Adm|Cmdr|Supt|Rev|Brig|Maj)\.)"
    r"\s+((?:[A-Z][\w'’-]*\s+){0,2}[A-Z][\w'’-]+)"
)
# Whole-word titles that stand before a person when capitalised ("Trooper William Hakim"); "General",
# "Major" and "Private" are left out ("General Motors", "Major League").
_WORD_TITLE = re.compile(
    r"\b(?:Officer|Trooper|Constable|Sergeant|Detective|Inspector|Governor|Mayor|Senator|Judge|Prosecutor|"
    r"Commodore|Captain|Lieutenant|Colonel|Admiral|Commander|Spokesman|Spokeswoman|Spokesperson)"
    r"\s+((?:[A-Z][\w'’-]*\s+){0,2}[A-Z][\w'’-]+)"
)
_HYPHEN_PART = re.compile(r" (?:[a-z]{2,}-)+[A-Z][a-z]+\b")
_OFFICE = re.compile(
    r"(?:\s+[A-Z][\w.-]*){0,3}['’]s\s+(?:Office|office|Department|department|Bureau|bureau)\b"
)
_PLACE_PLURAL = re.compile(
    r"\b(?:villages|towns|cities|provinces|districts|regions|islands|areas|neighbou?rhoods|counties)"
    r"(?:\s+of)?\s+$"
)
_TWO_PLACES = re.compile(r"^([A-Z][\w'’-]+) and ([A-Z][\w'’-]+)$")
# Abbreviated titles a span may run into ("Oregon State Police Lt").
_TRAILING_TITLES = frozenset(TITLE_ROLES) | {"officer", "trooper", "constable", "spokesman", "spokeswoman"}


def _covered(mentions: Iterable[Mention], start: int, end: int) -> list[Mention]:
    return [m for m in mentions if m.span.start < end and start < m.span.end]


def _replace(doc: Doc, start: int, end: int, label: str) -> None:
    """A mention of ``start:end`` in place of every mention it overlaps."""
    doc.mentions = [m for m in doc.mentions if not (m.span.start < end and start < m.span.end)]
    doc.mentions.append(Mention(doc.span(start, end), label))


def _sorted(doc: Doc) -> None:
    doc.mentions.sort(key=lambda m: (m.span.start, m.span.end))


def titled_people(doc: Doc) -> None:
    """Persons named after a title: "Mr. Sznewajs", "Const. Fanning" the model missed or mislabelled, and
    the person inside a span that runs over a title ("Qeshm Governor Mehdi Irannejad" -> "Mehdi
    Irannejad"). A span that ends in an abbreviated title loses it ("Oregon State Police Lt" -> "Oregon
    State Police")."""
    text = doc.text
    for pattern in (_PERSON_TITLE, _WORD_TITLE):
        for hit in pattern.finditer(text):
            start, end = hit.start(1), hit.end(1)
            if "\n" in text[start:end]:
                end = start + text[start:end].index("\n")
            if is_title(text[start:end].split()[0]) or fold(text[start:end]).split()[-1] in ORG_WORDS:
                continue
            over = _covered(doc.mentions, start, end)
            if any(m.label == "PERSON" for m in over):
                continue
            # A longer organisation or place the words belong to stays ("Governor Hotel").
            if any(m.span.start < hit.start() or m.span.end > end for m in over):
                continue
            _replace(doc, start, end, "PERSON")
    for m in list(doc.mentions):
        at = name_after_title(m.span.text)
        if at:
            _replace(doc, m.span.start + at, m.span.end, "PERSON")
            continue
        words = m.span.text.split()
        if len(words) >= 2 and m.label != "PERSON" and fold(words[-1]) in _TRAILING_TITLES:
            kept = m.span.text[: m.span.text.rfind(" " + words[-1])]
            kept = re.sub(r"(?:\s+(?:and|or|of|the|&))+$", "", kept)
            _replace(doc, m.span.start, m.span.start + len(kept), m.label)
    _sorted(doc)


def hyphenated_parts(doc: Doc) -> None:
    """ "Mehdi iran-Nejad": a name part written lowercase-hyphen-capital right after a name belongs to it."""
    for m in list(doc.mentions):
        if m.label not in ("PERSON", "ORG", "GPE", "NORP"):
            continue
        hit = _HYPHEN_PART.match(doc.text, m.span.end)
        if hit and not _covered([x for x in doc.mentions if x is not m], m.span.end, hit.end()):
            doc.mentions.remove(m)
            doc.mentions.append(Mention(doc.span(m.span.start, hit.end()), m.label))
    _sorted(doc)


def offices(doc: Doc) -> None:
    """ "the Bristol District Attorney's Office": the model stops at "Bristol District"; the office named
    after a title is one organisation."""
    for m in list(doc.mentions):
        if m.label not in ("ORG", "GPE", "LOC", "FAC", "PERSON"):
            continue
        hit = _OFFICE.match(doc.text, m.span.end)
        if not hit:
            continue
        words = (m.span.text + doc.text[m.span.end : hit.end()]).replace("’", "'").split()
        titled = [w for w in words if "'s" in w]
        if titled and is_title(titled[-1].split("'")[0]):
            _replace(doc, m.span.start, hit.end(), "ORG")
    _sorted(doc)


def place_pairs(doc: Doc) -> None:
    """ "the villages of Zainabieh and Koohi": one span, two places."""
    for m in list(doc.mentions):
        pair = _TWO_PLACES.match(m.span.text)
        if not pair or not _PLACE_PLURAL.search(doc.text[max(0, m.span.start - 30) : m.span.start]):
            continue
        doc.mentions.remove(m)
        for g in (1, 2):
            doc.mentions.append(
                Mention(doc.span(m.span.start + pair.start(g), m.span.start + pair.end(g)), "GPE")
            )
    _sorted(doc)


def vessels(doc: Doc) -> None:
    """ "INS Mysore", "MV Gibe": ships are vehicles (the model's PRODUCT), never people or places."""
    for m in doc.mentions:
        if VESSEL_PREFIX.match(m.span.text):
            m.label = "PRODUCT"


def slashes(doc: Doc) -> None:
    """ "David Soares/Albany County District Attorney": a slash ends a name (caption and transcript
    style, "name/title")."""
    for m in list(doc.mentions):
        cut = m.span.text.find("/")
        if cut > 1 and not m.span.text[:cut].isupper():
            _replace(doc, m.span.start, m.span.start + cut, m.label)
    _sorted(doc)


def abbreviation_dots(doc: Doc) -> None:
    """ "Canadian Broadcasting Corp." keeps its dot; a span running past a company suffix
    ("TallGrass Distribution Ltd. Christmas") stops after it."""
    text = doc.text
    for m in list(doc.mentions):
        words = list(re.finditer(r"[\w'’&-]+\.?", m.span.text))
        cut = next(
            (w for w in words[:-1] if fold(w.group()).rstrip(".") in ORG_SUFFIXES and w.start() > 0),
            None,
        )
        end = m.span.end
        if cut is not None and m.label == "ORG":
            end = m.span.start + cut.end()
        last = text[m.span.start : end].split()[-1] if text[m.span.start : end].split() else ""
        if (
            end < len(text)
            and text[end] == "."
            and fold(last) in ORG_SUFFIXES | {"jr", "sr", "bros"}
            and len(last) <= 5
        ):
            end += 1
        if end != m.span.end:
            doc.mentions.remove(m)
            doc.mentions.append(Mention(doc.span(m.span.start, end), m.label))
    _sorted(doc)


def alias_names(docs: list[Doc], table: AliasTable) -> None:
    """Names of the alias table written in the text (4+ characters, case as in the table) become
    mentions of the table's type, replacing what the model made of their words."""
    forms = sorted(
        {(n, g.type) for g in table.groups if g.type for n in g.names if len(n) >= 4},
        key=lambda p: -len(p[0]),
    )
    if not forms:
        return
    label = dict(forms)
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n, _ in forms) + r")(?![\w-])")
    for doc in docs:
        for hit in pattern.finditer(doc.text):
            start, end = hit.span()
            # A longer name around it that is not the table's ("Islamic State University") wins.
            if any(m.span.start < start or m.span.end > end for m in _covered(doc.mentions, start, end)):
                continue
            _replace(doc, start, end, label[hit.group()])
        _sorted(doc)


def acronym_expansions(docs: list[Doc]) -> None:
    """Written-out forms of the story's acronyms that the model missed: capitalised words whose initials
    (and number) spell it ("Sea Me We 4", "SEA-ME-WE 4", "Sea Me We4" for "SMW4")."""
    acronyms: dict[str, str] = {}
    for doc in docs:
        for m in doc.mentions:
            key = acronym_key(m.span.text)
            letters = re.sub(r"\d", "", key)
            if is_acronym(m.span.text) and 3 <= len(letters) <= 6:
                acronyms.setdefault(key, "ORG" if m.label in ("PERSON", "NORP", "GPE") else m.label)
    if not acronyms:
        return
    stop = "|".join(sorted(w for w in ACRONYM_STOP if w.isalpha()))
    for key, label in acronyms.items():
        letters, number = re.match(r"([a-z]+)(\d*)", key).groups()  # type: ignore[union-attr]
        word = r"[A-Z][A-Za-z'’]*"
        sep = rf"(?:[\s-]+(?:(?:{stop})[\s-]+)*)"
        body = sep.join([word] * len(letters))
        tail = rf"\s?{number}(?!\d)" if number else r"(?![\w-])"
        pattern = re.compile(rf"(?<![\w-]){body}{tail}")
        for doc in docs:
            # Not in the headline: headline case capitalises every word.
            for hit in pattern.finditer(doc.text, doc.body_start):
                words = [w for w in re.split(r"[\s-]+", hit.group().rstrip("0123456789 ")) if w]
                if "".join(w[0].lower() for w in words if w.lower() not in ACRONYM_STOP) != letters:
                    continue
                start, end = hit.span()
                if any(m.span.start < start or m.span.end > end for m in _covered(doc.mentions, start, end)):
                    continue
                _replace(doc, start, end, label)
            _sorted(doc)


_ROAD = re.compile(
    r"\b(?:(?:[Ss]tate |U\.S\. |US )?(?:Highway|Route|Interstate|Hwy\.?)\s?\d{1,4}"
    r"|(?:[A-Z][a-z]+ )?\d{1,4} (?:Highway|Freeway|Expressway))\b"
)
_STATE_ROAD = re.compile(r"\b(?:on|along|off|near|of|at|onto) ([A-Z][a-z]+ \d{1,4})\b(?![\d,.:])")


def roads(docs: list[Doc]) -> None:
    """ "Highway 214", "state Route 52", "Newberg 214 Highway", and "Oregon 214" when the story also
    names that road number as a highway: roads are facilities, not numbers and places."""
    numbers: set[str] = set()
    for doc in docs:
        for hit in _ROAD.finditer(doc.text):
            numbers.update(re.findall(r"\d+", hit.group()))
            _replace(doc, hit.start(), hit.end(), "FAC")
    for doc in docs:
        for hit in _STATE_ROAD.finditer(doc.text):
            if hit.group(1).split()[-1] in numbers:
                _replace(doc, hit.start(1), hit.end(1), "FAC")
        _sorted(doc)


def repair(docs: list[Doc], table: AliasTable) -> None:
    """Every span repair, in order (later rules see the earlier ones' mentions)."""
    for doc in docs:
        slashes(doc)
        vessels(doc)
        abbreviation_dots(doc)
        titled_people(doc)
        hyphenated_parts(doc)
        offices(doc)
        place_pairs(doc)
    roads(docs)
    alias_names(docs, table)
    acronym_expansions(docs)
