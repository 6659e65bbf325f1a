"""Numbers in statements: digits and words normalised to intervals, with what they count.

``quantities(doc, span)`` scans the text of one statement token by token. Each number becomes a
``Quantity`` with a value, an interval (``low``/``high``) implied by its bound words ("at least",
"nearly", "about"), a unit ("%", "$", "km", "year-old") and a ``role``: the thing counted joined with
its predicate, so "12 dead", "12 people died" and "killed 12" all get role "dead" and can be compared.
Years, dates, times, phone numbers, labels ("Flight 370") and "one of the" are not counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storydiff.lexicon import DIGITS
from storydiff.model import Doc, Quantity, Span

# Roles of an event's toll: one fact per story, whatever sentence states it.
EVENT_ROLES = frozenset({"dead", "injured", "missing", "arrested"})

# A mixed fraction ("2 1/2", "2-1/2", "2½") is one number token.
_TOKEN = re.compile(
    r"[$£€]|\d{1,3}(?:[ -][1-9]/(?:2|3|4|8)|[½¼¾])(?![\d/])|"
    + DIGITS.pattern
    + r"|[A-Za-z]+(?:'[A-Za-z]+)?|\S"
)
_VULGAR = {"½": 0.5, "¼": 0.25, "¾": 0.75}

_ONES = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
# "dozens of", "hundreds of": a lower bound only.
_PLURAL_SCALES = {
    "dozens": 20.0,
    "scores": 40.0,
    "hundreds": 200.0,
    "thousands": 2000.0,
    "millions": 2e6,
    "billions": 2e9,
    "tens": 20.0,
}
_CURRENCY = {"$": "$", "£": "£", "€": "€"}
_CURRENCY_WORDS = {"dollars": "$", "dollar": "$", "pounds": "£", "euros": "€", "euro": "€"}
_UNITS = {
    "%": "%", "percent": "%", "km": "km", "kilometres": "km", "kilometers": "km", "kilometre": "km",
    "kilometer": "km", "miles": "mile", "mile": "mile", "metres": "m", "meters": "m", "metre": "m",
    "meter": "m", "feet": "ft", "foot": "ft", "kg": "kg", "kilograms": "kg", "tonnes": "t", "tons": "t",
    "acres": "acre", "hectares": "ha", "degrees": "degree", "mph": "mph", "hours": "hour", "hour": "hour",
    "minutes": "minute", "minute": "minute", "days": "day", "day": "day", "weeks": "week", "week": "week",
    "months": "month", "month": "month", "years": "year", "year": "year", "seconds": "second",
}  # fmt: skip
_MONTHS = (
    "jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|sept|september|"
    "oct|october|nov|november|dec|december"
)
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTHS})\.?\s*$", re.I)
_MONTH_AFTER = re.compile(rf"^\s*(?:st|nd|rd|th)?\s*(?:of\s+)?(?:{_MONTHS})\b", re.I)
_TIME_AFTER = re.compile(r"^(?::\d\d|\s*(?:a\.?m\.?|p\.?m\.?|o'clock|GMT|UTC|BST|EST|ET|PT)(?![a-z]))", re.I)
_ORDINAL_AFTER = re.compile(r"^(?:st|nd|rd|th)\b", re.I)
_AGE_AFTER = re.compile(r"^[-\s]*(?:years?|yr)[-\s]old\b", re.I)
_PHONE = re.compile(r"\+?\(?\d[\d\s().-]{7,}\d")
_LABELS = {
    "no", "number", "route", "flight", "room", "page", "chapter", "section", "article", "platform", "gate",
    "line", "bus", "highway", "interstate", "unit", "level", "grade", "category", "class", "tier", "phase",
    "version", "apartment", "floor", "district", "ward", "block", "lot", "case", "bill", "item", "paragraph",
}  # fmt: skip

_LOW_BOUND = re.compile(
    r"(?:\bat\s+least|\bmore\s+than|\bover|\bupwards\s+of|\bin\s+excess\s+of|\bno\s+fewer\s+than"
    r"|\bno\s+less\s+than|\bminimum\s+of|\bexceeding|\babove)\s+$",
    re.I,
)
_HIGH_BOUND = re.compile(
    r"(?:\bup\s+to|\bas\s+many\s+as|\bfewer\s+than|\bless\s+than|\bunder|\bbelow|\bat\s+most"
    r"|\bno\s+more\s+than|\bmaximum\s+of)\s+$",
    re.I,
)
_NEARLY = re.compile(r"(?:\bnearly|\balmost|\bclose\s+to|\bjust\s+under|\bshy\s+of)\s+$", re.I)
_ABOUT = re.compile(
    r"(?:\babout|\baround|\bsome|\broughly|\bapproximately|\ban\s+estimated|\bestimated|\bapprox\.?"
    r"|\bcirca|\ban\s+approximate|\bjust\s+over|\bmore\s+or\s+less)\s+$",
    re.I,
)
_AFTER_MORE = re.compile(r"^\s+or\s+more\b", re.I)
_AFTER_SO = re.compile(r"^\s+or\s+so\b", re.I)

# Role vocabulary: nouns and predicates that name the same count.
_DEAD_NOUNS = {"dead", "death", "fatality", "body", "life"}
_INJURED_NOUNS = {"injured", "wounded", "injury", "casualty"}
_DEAD_PRED = re.compile(
    r"\b(?:killed|killing|kills|kill|died|dies|die|dead|perished|slain|lost\s+their\s+lives|death\s+toll"
    r"|toll|fatalities|deaths)\b",
    re.I,
)
_INJURED_PRED = re.compile(
    r"\b(?:injured|injuring|injures|wounded|wounding|hurt|hospitali[sz]ed|injuries)\b", re.I
)
_MISSING_PRED = re.compile(r"\b(?:missing|unaccounted)\b", re.I)
_ARRESTED_PRED = re.compile(r"\b(?:arrested|detained|arrests)\b", re.I)
_HUMANS = {
    "people", "person", "victim", "civilian", "man", "woman", "child", "passenger", "worker", "resident",
    "soldier", "student", "migrant", "miner", "officer", "firefighter", "patient", "adult", "teenager",
    "tourist", "pupil", "crew", "member", "staff", "employee", "protester", "villager", "pedestrian",
    "others", "other",
}  # fmt: skip
_MODIFIERS = {
    "more",
    "other",
    "additional",
    "further",
    "new",
    "young",
    "small",
    "old",
    "local",
    "of",
    "the",
    "confirmed",
    "reported",
    "total",
    "separate",
    "different",
    "foreign",
    "elderly",
    "a",
}
_IRREGULAR = {
    "people": "people",
    "persons": "people",
    "children": "child",
    "men": "man",
    "women": "woman",
    "lives": "life",
    "police": "police",
    "staff": "staff",
    "crew": "crew",
    "news": "news",
    "bodies": "body",
    "casualties": "casualty",
    "injuries": "injury",
    "fatalities": "fatality",
    "series": "series",
    "species": "species",
}
_STOP_FOR_NOUN = {
    "were",
    "was",
    "are",
    "is",
    "have",
    "has",
    "had",
    "and",
    "or",
    "in",
    "on",
    "at",
    "by",
    "to",
    "from",
    "for",
    "with",
    "since",
    "as",
    "that",
    "who",
    "which",
    "but",
    "than",
    "per",
}


@dataclass(slots=True)
class _Tok:
    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        return self.text.lower()


def lemma(word: str) -> str:
    """A rough singular: enough to match "homes" with "home", not a real lemmatiser."""
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("ches", "shes", "sses", "xes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def _digits(text: str) -> tuple[float, int] | None:
    """Value and number of decimals of "1,200.5" or "2 1/2"; None for malformed groupings ("1,2,3")."""
    if text[-1] in _VULGAR:
        return float(text[:-1]) + _VULGAR[text[-1]], 2
    if "/" in text:
        whole, frac = re.split(r"[ -]", text, maxsplit=1)
        num, den = frac.split("/")
        return float(whole) + int(num) / int(den), 2
    if "," in text:
        head, *groups = text.split(".")[0].split(",")
        if not head or len(head) > 3 or any(len(g) != 3 for g in groups):
            return None
    clean = text.replace(",", "")
    decimals = len(clean.split(".")[1]) if "." in clean else 0
    try:
        return float(clean), decimals
    except ValueError:
        return None


def _word_number(toks: list[_Tok], i: int) -> tuple[float, int] | None:
    """Parse "twenty-one", "three hundred and five", "a dozen" from token i: (value, tokens used)."""
    total = 0.0
    current = 0.0
    j = i
    seen = False
    while j < len(toks):
        w = toks[j].low
        if w in _ONES or w in _TENS:
            current += _ONES.get(w, 0) + _TENS.get(w, 0)
            # "twenty - one" is tokenised as three tokens.
            if w in _TENS and j + 2 < len(toks) and toks[j + 1].text == "-" and toks[j + 2].low in _ONES:
                current += _ONES[toks[j + 2].low]
                j += 2
            seen = True
            j += 1
        elif seen and w in _SCALES:
            if w == "hundred":
                current = (current or 1) * 100
            else:
                total += (current or 1) * _SCALES[w]
                current = 0
            j += 1
        elif (
            seen
            and w == "and"
            and j + 1 < len(toks)
            and (toks[j + 1].low in _ONES or toks[j + 1].low in _TENS)
            and toks[j - 1].low in _SCALES
        ):
            j += 1
        else:
            break
    if not seen:
        return None
    return total + current, j - i


def _role(counted: str | None, before: str, after: str) -> str | None:
    """Name what is counted so that paraphrases agree: noun plus predicate."""
    if counted in _DEAD_NOUNS:
        return "dead"
    if counted in _INJURED_NOUNS:
        return "injured"
    if counted is None or counted in _HUMANS:
        # The predicate right after the count wins ("12 people were killed"), then the one before it
        # ("killing 12", "the death toll rose to 12"): the nearest cue is the verb of this number.
        for pattern, role in (
            (_DEAD_PRED, "dead"),
            (_INJURED_PRED, "injured"),
            (_MISSING_PRED, "missing"),
            (_ARRESTED_PRED, "arrested"),
        ):
            if pattern.search(after):
                return role
        best: tuple[int, str] | None = None
        for pattern, role in (
            (_DEAD_PRED, "dead"),
            (_INJURED_PRED, "injured"),
            (_MISSING_PRED, "missing"),
            (_ARRESTED_PRED, "arrested"),
        ):
            for m in pattern.finditer(before):
                if best is None or m.end() > best[0]:
                    best = (m.end(), role)
        if best is not None:
            return best[1]
    return counted


def _clause_after(text: str) -> str:
    """Words after a count up to the next clause break or number (the count's own predicate)."""
    m = re.search(r"[,;:()]|\band\b|\bbut\b|\bwhile\b|\d", text)
    chunk = text[: m.start()] if m else text
    return " ".join(chunk.split()[:5])


def quantities(doc: Doc, span: Span) -> list[Quantity]:
    """The numbers that count or measure something inside ``span`` of ``doc``."""
    text = doc.text[span.start : span.end]
    toks = [_Tok(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    phones = [(m.start(), m.end()) for m in _PHONE.finditer(text) if sum(c.isdigit() for c in m.group()) >= 9]
    out: list[Quantity] = []
    prev_end = 0  # end of the previous quantity: predicates before a count stop there
    i = 0
    while i < len(toks):
        tok = toks[i]
        start_i = i
        currency: str | None = None
        if tok.text in _CURRENCY and i + 1 < len(toks) and toks[i + 1].text[0].isdigit():
            currency = _CURRENCY[tok.text]
            i += 1
            tok = toks[i]
        value: float | None = None
        precision = 0.0  # half a unit of the last written digit, for "1.2 million"
        low: float | None
        high: float | None
        approximate = False
        used = 1
        if tok.text[0].isdigit():
            parsed = _digits(tok.text)
            if parsed is None:
                i += 1
                continue
            value, decimals = parsed
            scale = toks[i + 1].low if i + 1 < len(toks) else ""
            if scale in _SCALES and scale != "hundred":
                value *= _SCALES[scale]
                precision = 0.5 * 10 ** (-decimals) * _SCALES[scale]
                used = 2
        elif (
            tok.low in ("a", "an")
            and i + 1 < len(toks)
            and toks[i + 1].low in ("dozen", "hundred", "thousand", "million", "billion")
        ):
            w = toks[i + 1].low
            value = 12.0 if w == "dozen" else _SCALES[w]
            used = 2
        elif tok.low == "dozen" and i > 0 and toks[i - 1].text[0].isdigit() is False:
            i += 1
            continue
        elif tok.low in _PLURAL_SCALES and i + 1 < len(toks) and toks[i + 1].low == "of":
            value = _PLURAL_SCALES[tok.low]
            used = 1
            low, high = value, None
            approximate = True
        else:
            parsed_w = _word_number(toks, i)
            if parsed_w is None:
                i += 1
                continue
            value, used = parsed_w
            if i + used < len(toks) and toks[i + used].low == "dozen":
                value *= 12
                used += 1
        assert value is not None
        first = toks[start_i]
        last = toks[i + used - 1]
        s, e = first.start, last.end
        before = text[:s]
        after = text[e:]
        # ------------------------------------------------------------ not counts
        if _skip(text, toks, start_i, i, s, e, phones, tok, value, currency):
            i += used
            continue
        # ------------------------------------------------------------ ranges "10-12", "10 to 12", "between"
        range_high: float | None = None
        m_range = re.match(r"^\s*(?:-|–|to|and)\s*(" + DIGITS.pattern + ")", after)
        if m_range and (not after.lstrip().startswith("and") or re.search(r"\bbetween\s+$", before, re.I)):
            parsed_hi = _digits(m_range.group(1))
            if parsed_hi and parsed_hi[0] > value:
                range_high = parsed_hi[0]
                e += m_range.end()
                after = text[e:]
                while i + used < len(toks) and toks[i + used].end <= e:
                    used += 1
        if range_high is None and re.match(r"^\s*[-–]\s*\d", after):
            i += used
            continue  # a score or record "10-0", "58-3", not a count
        # ------------------------------------------------------------ unit
        unit = currency
        m_age = _AGE_AFTER.match(after)
        m_compound = re.match(r"^-([A-Za-z]+)\b", after)
        if m_age:
            unit = "year-old"
            e += m_age.end()
            after = text[e:]
        elif m_compound and unit is None:
            # "a 90-day sentence", "a 5.6-magnitude quake": the compound names what is measured.
            unit = _UNITS.get(m_compound.group(1).lower(), lemma(m_compound.group(1)))
            e += m_compound.end()
            after = text[e:]
        else:
            m_unit = re.match(r"^\s*(%|per\s?cent\b|percent\b|[A-Za-z]+)", after)
            if m_unit:
                word = m_unit.group(1).lower().replace(" ", "")
                if word in ("%", "percent", "percent") or word.startswith("per"):
                    if word in ("%", "percent", "percent"):
                        unit = "%"
                        e += m_unit.end()
                        after = text[e:]
                elif word in _UNITS and unit is None:
                    unit = _UNITS[word]
                    e += m_unit.end()
                    after = text[e:]
                elif word in _CURRENCY_WORDS and unit is None:
                    unit = _CURRENCY_WORDS[word]
                    e += m_unit.end()
                    after = text[e:]
        if (
            unit is None
            and tok.text.isdigit()
            and 0 < value < 120
            and _AGE_APPOSITION_BEFORE.search(before)
            and _AGE_APPOSITION_AFTER.match(after)
        ):
            unit = "year-old"  # "Robyn Mendes, 48, ...", "The driver, 45, was hurt": an age in apposition
        # ------------------------------------------------------------ bounds
        low, high = value, value
        if range_high is not None:
            high = range_high
        if precision:
            low, high = value - precision, (high or value) + precision
        if tok.low in _PLURAL_SCALES:
            low, high, approximate = value, None, True
        m_b = None
        if (m_b := _LOW_BOUND.search(before)) is not None:
            low, high = value, None
        elif (m_b := _HIGH_BOUND.search(before)) is not None:
            low, high = None, (range_high or value)
        elif (m_b := _NEARLY.search(before)) is not None:
            low, high, approximate = value * 0.85, value, True
        elif (m_b := _ABOUT.search(before)) is not None:
            low, high, approximate = value * 0.88, value * 1.12, True
        elif re.search(r"\bbetween\s+$", before, re.I) and range_high is not None:
            m_b = re.search(r"\bbetween\s+$", before, re.I)
        elif value >= 100 and value % 100 == 0 and range_high is None and not precision and high is not None:
            # Round figures are usually rounded: allow a small margin, never enough to hide 300 vs 350.
            low, high = value * 0.97, value * 1.03
        if m_b is not None:
            s = m_b.start()
        if _AFTER_MORE.match(after):
            high = None
        elif _AFTER_SO.match(after):
            low, high, approximate = value * 0.88, value * 1.12, True
        # ------------------------------------------------------------ counted noun and role
        if unit == "%":
            # "90% of its holdings" / "a 9.2% stake": what the share is of, when said.
            m_of = re.match(r"^\s+of\s+(?:(?:the|its|their|his|her|all|a|an)\s+)*([A-Za-z][\w-]*)", after)
            counted = lemma(m_of.group(1)) if m_of else _counted(after)
        else:
            counted = _counted(after)
        if unit in (
            "hour",
            "minute",
            "day",
            "week",
            "month",
            "year",
            "km",
            "mile",
            "m",
            "ft",
            "kg",
            "t",
            "acre",
            "ha",
            "degree",
            "mph",
            "second",
        ):
            counted = None
        clause_start = max(prev_end, _last_break(before))
        role = unit if unit and unit not in ("$", "£", "€", "year-old") else None
        if unit == "%" and counted:
            role = f"% {counted}"
        if role is None:
            role = _role(counted, text[clause_start:s], _clause_after(after))
        if unit in ("$", "£", "€"):
            role = "money"
        if unit == "year-old":
            role = "age"  # "a 45-year-old man died": the age, not a death count
        while s < e and text[s].isspace():
            s += 1
        out.append(
            Quantity(
                span=doc.span(span.start + s, span.start + e),
                value=value if range_high is None else (value + range_high) / 2,
                low=low,
                high=high,
                unit=unit,
                counted=counted,
                approximate=approximate,
                role=role,
            )
        )
        prev_end = e
        while i < len(toks) and toks[i].start < e:
            i += 1
        if i == start_i:
            i += 1
    out += _zero_tolls(doc, span, text, out)
    for q in out:
        scale_role = _scale(doc.text, q.span)
        if scale_role is not None:
            q.role = q.counted = scale_role
    _share_units(doc.text, out)
    return out


_JOINED = re.compile(r"^\s*(?:,|and|or|,\s*and)\s*$", re.I)


_AGE_APPOSITION_BEFORE = re.compile(r"[A-Za-z]\.?\s*,\s*$")
_AGE_APPOSITION_AFTER = re.compile(r"^\s*(?:[,;)]|[-–—]\s|$)")


def _share_units(text: str, found: list[Quantity]) -> None:
    """ "61 and 48 years old", "3 or 4 percent": a bare number joined to a measured one measures the same."""
    ordered = sorted(found, key=lambda q: q.span.start)
    for a, b in zip(reversed(ordered[:-1]), reversed(ordered[1:]), strict=True):
        measured = b.unit is not None or b.role is not None
        if a.unit is None and a.role is None and measured and _JOINED.match(text[a.span.end : b.span.start]):
            a.unit, a.role, a.counted = b.unit, b.role, b.counted


# Scales that name which event it was ("a 5.6 magnitude quake", "measuring 5.6 on the Richter scale",
# "a Category 4 hurricane"): their value identifies the event, unlike a toll.
_SCALE_BEFORE = re.compile(r"\b(?P<scale>magnitude|category|force)\s*(?:of\s+|-\s*)?$", re.I)
_SCALE_AFTER = re.compile(r"^\s*(?:-\s*)?(?P<scale>magnitude|on\s+the\s+richter\s+scale|richter)\b", re.I)
# "a 6.1 quake": a decimal right before the quake names its magnitude.
_QUAKE_AFTER = re.compile(r"^\s*(?:-\s*)?(?:quake|earthquake|temblor|tremor|aftershock)s?\b", re.I)
_DECIMAL = re.compile(r"^\d\.\d$")


def _scale(text: str, span: Span) -> str | None:
    before = text[max(0, span.start - 16) : span.start]
    after = text[span.end : span.end + 30]
    m = _SCALE_BEFORE.search(before) or _SCALE_AFTER.search(after)
    if m is None:
        return "magnitude" if _DECIMAL.match(span.text) and _QUAKE_AFTER.match(after) else None
    word = m.group("scale").lower()
    return "magnitude" if "richter" in word or word == "magnitude" else word


# "no one was hurt", "nobody was killed", "there were no injuries": a toll of zero, comparable with "three
# injured". Only with a toll predicate right after, so "no one knows" or "no deal" count nothing.
_NOBODY = re.compile(
    r"\b(?P<zero>no\s+one|nobody|none|no\s+(?:other\s+)?(?:people|person|passengers?|residents?|children|one\s+else))"
    r"(?:\s+\w+){0,3}?\s+(?:was|were|has\s+been|have\s+been|had\s+been|got|is|are)?\s*(?:seriously\s+|badly\s+)?"
    r"(?P<pred>hurt|injured|wounded|killed|died|dead|hospitali[sz]ed)\b"
    r"|\bno\s+(?P<zero2>injuries|casualties|deaths|fatalities)\b",
    re.I,
)


def _zero_tolls(doc: Doc, span: Span, text: str, found: list[Quantity]) -> list[Quantity]:
    out: list[Quantity] = []
    for m in _NOBODY.finditer(text):
        key = "zero" if m.group("zero") else "zero2"
        word = (m.group("pred") or m.group("zero2") or "").lower()
        role = "dead" if _DEAD_PRED.search(word) else "injured"
        lo, hi = (m.start(key), m.end(key)) if key == "zero" else (m.start(), m.end())
        start, end = span.start + lo, span.start + hi
        if any(q.span.start < end and start < q.span.end for q in found):
            continue
        out.append(Quantity(doc.span(start, end), 0.0, 0.0, 0.0, counted=None, role=role))
    return out


def _last_break(before: str) -> int:
    ends = [m.end() for m in re.finditer(r"[;:()]|,\s", before)]
    return ends[-1] if ends else 0


def _counted(after: str) -> str | None:
    """The noun a number counts: the first plain noun after it ("12 more people" -> "people")."""
    words = re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*|[^\sA-Za-z]", after[:80])
    for w in words[:5]:
        lw = w.lower()
        if not w[0].isalpha() or lw in _STOP_FOR_NOUN:
            return None
        if lw in _MODIFIERS:
            continue
        return lemma(lw)
    return None


def _skip(
    text: str,
    toks: list[_Tok],
    start_i: int,
    i: int,
    s: int,
    e: int,
    phones: list[tuple[int, int]],
    tok: _Tok,
    value: float,
    currency: str | None,
) -> bool:
    """True for numbers that are not counts: years, dates, times, ordinals, phone numbers, labels."""
    before = text[:s]
    after = text[e:]
    if any(a <= s < b for a, b in phones):
        return True
    if tok.text[0].isdigit() and currency is None:
        if _MONTH_BEFORE.search(before) or _MONTH_AFTER.match(after):
            return True
        if _TIME_AFTER.match(after) or _ORDINAL_AFTER.match(after):
            return True
        if (
            re.fullmatch(r"\d{4}", tok.text)
            and 1800 <= value <= 2100
            and not re.match(r"^\s*(?:%|per)", after)
        ):
            return True  # a year
        if re.match(r"^[/.]\d", after) or re.search(r"\d[/.]$", before):
            return True  # "10/26", "1.2.3"
        if re.match(r"^s\b", after) or re.match(r"^'s\b", after):
            return True  # "the 1990s"
        if re.search(r"\d\s*[-–]\s*$", before):
            return True  # the second half of a score "10-0" (real ranges are taken with their first half)
        if re.search(r"(?:^|\s)\.$", before):
            return True  # ".45-caliber"
    if start_i > 0:
        prev = toks[start_i - 1]
        if prev.low in _LABELS or prev.text in ("#", "No"):
            return True
        # "Boeing 737", "Apollo 11": a capitalised name right before a digit is a label.
        if (
            tok.text[0].isdigit()
            and prev.text[0].isupper()
            and prev.low not in _BOUND_WORDS
            and currency is None
            and prev.low not in ("a", "an", "the", "some", "all")
            and start_i > 1
        ):
            return True
    w = tok.low
    if w == "one":
        if re.match(r"^\s+(?:of|another|or\s+two|day|time|way|side|hand)\b", after, re.I):
            return True
        if re.search(r"\b(?:no|the|any|every|some|each|this|that|which)\s+$", before, re.I):
            return True
        if re.match(r"^\s*(?:[.,;:!?]|$)", after):
            return True  # a pronoun: "the injured one."
    return False


_BOUND_WORDS = {
    "at",
    "about",
    "around",
    "some",
    "nearly",
    "almost",
    "over",
    "under",
    "up",
    "approximately",
    "roughly",
    "more",
    "fewer",
    "less",
    "between",
    "than",
    "estimated",
    "only",
    "just",
    "exactly",
    "total",
    "killed",
    "and",
    "to",
    "by",
    "of",
}


def compatible(a: Quantity, b: Quantity) -> bool:
    """Whether two quantities can both be true: their intervals overlap (open bounds are infinite)."""
    if (a.unit or None) != (b.unit or None):
        return True  # not the same kind of number: nothing to compare
    a_low = a.low if a.low is not None else float("-inf")
    a_high = a.high if a.high is not None else float("inf")
    b_low = b.low if b.low is not None else float("-inf")
    b_high = b.high if b.high is not None else float("inf")
    return a_low <= b_high + 1e-9 and b_low <= a_high + 1e-9
