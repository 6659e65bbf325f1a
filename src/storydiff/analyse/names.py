"""Name normalisation for entity matching: titles, particles, diacritics, acronyms, phonetic keys.

Pure string functions, no model: the resolver (``resolve.py``) and the quote speaker finder share them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import jellyfish
from rapidfuzz.distance import JaroWinkler

# Titles and honorifics stripped from names (lowercase, without the final dot).
# fmt: off
TITLES = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lady", "lord", "madam",
    "president", "vice", "prime", "minister", "chancellor", "king", "queen", "prince", "princess",
    "sheikh", "sheik", "emir", "imam", "rev", "reverend", "father", "pope", "cardinal", "bishop",
    "gen", "general", "lt", "lieutenant", "col", "colonel", "maj", "major", "capt", "captain", "cpt",
    "sgt", "sergeant", "cpl", "corporal", "pvt", "private", "adm", "admiral", "cmdr", "commander",
    "brig", "brigadier", "marshal", "field", "gov", "governor", "sen", "senator", "rep",
    "representative", "mayor", "judge", "justice", "chief", "secretary", "ambassador", "officer",
    "det", "detective", "insp", "inspector", "supt", "superintendent", "spokesman", "spokeswoman",
    "spokesperson", "deputy", "foreign", "defence", "defense", "interior", "health", "finance",
    "const", "constable", "trooper", "sheriff", "commodore", "ald", "alderman", "councillor",
    "councilman", "councilwoman", "assemblyman", "assemblywoman", "congressman", "congresswoman",
    "rabbi", "ayatollah", "pastor", "prosecutor", "attorney", "agent", "patrolman", "coach",
}
# Positions written in capitals before a player's name ("WR Vincent Jackson"); only matched in capitals.
POSITIONS = {"WR", "QB", "RB", "TE", "LB", "CB", "DB", "DE", "DT", "OL", "FB"}
# Abbreviated titles -> the role noun a later description uses ("the general").
TITLE_ROLES = {
    "gen": "general", "lt": "lieutenant", "col": "colonel", "maj": "major", "capt": "captain",
    "cpt": "captain", "sgt": "sergeant", "cpl": "corporal", "adm": "admiral", "cmdr": "commander",
    "brig": "brigadier", "gov": "governor", "sen": "senator", "rep": "representative", "dr": "doctor",
    "prof": "professor", "det": "detective", "insp": "inspector", "supt": "superintendent",
    "rev": "reverend", "pres": "president", "const": "constable",
}
# fmt: on
# Words that make a name an organisation's ("Justice Department", "Fisheries Board").
ORG_WORDS = {
    "agency",
    "board",
    "ministry",
    "council",
    "company",
    "party",
    "group",
    "service",
    "authority",
    "bank",
    "university",
    "department",
    "office",
    "committee",
    "association",
    "union",
    "corporation",
    "inc",
    "ltd",
    "news",
    "times",
    "post",
    "fm",
    "radio",
    "tv",
    "police",
    "army",
    "court",
    "club",
    "fund",
    "bureau",
    "commission",
    "institute",
    "foundation",
    "school",
    "hospital",
    "patrol",
    "navy",
    "force",
    "forces",
    "guard",
    "team",
    "league",
    "federation",
    "organisation",
    "organization",
    "house",
}
# Prefixes of ship names ("INS Mysore", "MV Gibe"): a vessel, never a person.
VESSEL_PREFIX = re.compile(r"^(?:INS|USS|USNS|HMS|HMCS|HMAS|HMNZS|MV|M/V|MS|SS|RV|FV|MT|USCGC)\s+[A-Z0-9]")
# Last words that make a name an organisation's whatever the recogniser said ("Tessel Harbour Authority",
# "Oregon State Police"); not "bank", "house" or "court" ("West Bank", "White House" are places too).
ORG_HEADS = {
    "authority",
    "ministry",
    "agency",
    "department",
    "committee",
    "commission",
    "council",
    "association",
    "union",
    "corporation",
    "company",
    "party",
    "police",
    "bureau",
    "institute",
    "foundation",
    "university",
    "federation",
    "organisation",
    "organization",
    "board",
    "office",
    "service",
    "patrol",
    "inc",
    "ltd",
    "corp",
}
# Transliteration particles ignored for matching: al-Rashid == el-Rashid == Rashid.
PARTICLES = {"al", "el", "ul", "ibn", "bin", "ben", "bint", "the"}
ORG_SUFFIXES = {
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "ltd",
    "limited",
    "llc",
    "plc",
    "gmbh",
    "sa",
    "ag",
    "nv",
    "bv",
    "company",
}
NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
ACRONYM_STOP = {"of", "the", "and", "for", "de", "on", "in", "&", "to"}

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_ACRONYM = re.compile(r"^(?:[A-Z]\.?){2,8}$|^[A-Z][A-Za-z]?[A-Z]{1,6}(?:s|\d{1,2})?$")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lowercase without diacritics; hyphens and apostrophes become spaces / vanish."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("’", "'").replace("'s ", " ").removesuffix("'s")
    text = re.sub(r"['`.]", "", text)
    return re.sub(r"[-‐‑–—_/]", " ", text).lower()


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold(text))


def is_title(word: str) -> bool:
    """A title or rank in front of a name: "Lt.", "Governor", "spokesman", "WR"."""
    return fold(word).strip(" ,") in TITLES or word.rstrip(".") in POSITIONS


def strip_titles(text: str) -> str:
    """Drop leading titles and articles ("Lt. Gen. Omar Haddad" -> "Omar Haddad"), keeping the casing."""
    words = text.split()
    while len(words) > 1 and (is_title(words[0]) or fold(words[0]).strip() in {"the", "a", "an"}):
        words.pop(0)
    return " ".join(words)


_CAPITALISED = re.compile(r"[A-Z][\w'’.-]*$")


def name_after_title(text: str) -> int | None:
    """Where the name begins after the last title inside ``text`` ("Qeshm Governor Mehdi Irannejad" ->
    the offset of "Mehdi"), when one to three capitalised words follow it; None when there is none."""
    words = [(m.start(), m.group()) for m in re.finditer(r"\S+", text)]
    for k in range(len(words) - 2, -1, -1):
        if not is_title(words[k][1]):
            continue
        rest = [w for _, w in words[k + 1 :]]
        if (
            1 <= len(rest) <= 3
            and all(_CAPITALISED.match(w) for w in rest)
            and not is_title(rest[0])
            and not any(fold(w).strip(" ,") in ORG_WORDS for w in rest)
        ):
            return words[k + 1][0]
        return None
    return None


def leading_titles(text: str) -> list[str]:
    """The role nouns of the titles in front of a name ("Lt. Gen." -> ["lieutenant", "general"])."""
    roles: list[str] = []
    for word in text.split():
        key = fold(word).strip()
        if key not in TITLES:
            break
        roles.append(TITLE_ROLES.get(key, key))
    return roles


@lru_cache(maxsize=65536)
def match_key(text: str, label: str = "") -> str:
    """The key two mentions of one entity share: folded, without titles, particles or org suffixes."""
    # A number glued to a name is a word of its own ("Sea Me We4" == "SEA-ME-WE 4").
    toks = [t for tok in tokens(strip_titles(text)) for t in re.sub(r"(?<=[a-z])(?=\d)", " ", tok).split()]
    toks = [t for t in toks if t not in PARTICLES] or toks
    if label == "ORG":
        toks = [t for t in toks if t not in ORG_SUFFIXES] or toks
    while len(toks) > 1 and toks[-1] in NAME_SUFFIXES:
        toks.pop()
    return " ".join(toks)


def is_acronym(text: str) -> bool:
    return bool(_ACRONYM.match(text.strip())) and sum(c.isupper() for c in text) >= 2


def acronym_key(text: str) -> str:
    """Letters and digits of an acronym: "U.N." -> "un", "SMW4" -> "smw4"."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


def initials(name: str) -> str:
    """Initials of the significant words: "World Health Organization" -> "who"."""
    words = [w for w in re.split(r"[\s\-]+", strip_titles(name)) if w]
    return "".join(fold(w)[0] for w in words if fold(w) and fold(w) not in ACRONYM_STOP)


_TRANSLIT = [
    ("tsch", "ch"),
    ("tch", "ch"),
    ("cz", "ch"),
    ("sz", "sh"),
    ("sch", "sh"),
    ("ph", "f"),
    ("w", "v"),
]


def skeleton(token: str) -> str:
    """Consonant skeleton: first letter plus consonants, y/h treated as vowels, common transliteration
    pairs folded ("kyiv" == "kiev", "kovalchuk" == "kowalczuk")."""
    if not token:
        return token
    for a, b in _TRANSLIT:
        token = token.replace(a, b)
    rest = re.sub(r"[aeiouyh]", "", token[1:])
    rest = re.sub(r"(.)\1+", r"\1", rest)
    first = {"q": "k", "c": "k"}.get(token[0], token[0])
    return first + rest


def token_variant(a: str, b: str, *, skeleton_sim: float, metaphone_sim: float) -> bool:
    """Two name tokens that are spellings of one another (Mohammed/Muhammad, Kyiv/Kiev, Gaddafi/Qaddafi):
    Jaro-Winkler similarity at least ``skeleton_sim`` with the same consonant skeleton, or at least
    ``metaphone_sim`` with the same metaphone code (the resolver's configuration gives both)."""
    if a == b:
        return True
    if min(len(a), len(b)) < 3:
        return False
    sim = JaroWinkler.similarity(a, b)
    if skeleton(a) == skeleton(b) and sim >= skeleton_sim:
        return True
    return jellyfish.metaphone(a) == jellyfish.metaphone(b) and sim >= metaphone_sim


def weak_variant(a: str, b: str, similarity: float) -> bool:
    """A looser spelling match (Koohi/Kavouhi): alike by Jaro-Winkler and by the match-rating codex,
    the first letter the same. Only ever used with strong shared context."""
    if a == b:
        return True
    if min(len(a), len(b)) < 4 or a[0] != b[0]:
        return False
    return JaroWinkler.similarity(a, b) >= similarity and bool(jellyfish.match_rating_comparison(a, b))


def name_variant(a: list[str], b: list[str], *, skeleton_sim: float, metaphone_sim: float) -> bool:
    """Token lists of equal length whose tokens pairwise are spelling variants."""
    return (
        len(a) == len(b)
        and a != b
        and all(
            token_variant(x, y, skeleton_sim=skeleton_sim, metaphone_sim=metaphone_sim)
            for x, y in zip(a, b, strict=True)
        )
    )
