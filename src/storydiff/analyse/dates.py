"""Date and time expressions resolved to intervals of days against the publication date.

``find_dates(doc, span)`` finds absolute dates ("Oct. 26, 2026", "26 October", "2016", "in October") and
relative ones ("Tuesday", "yesterday", "last week", "three days ago", "this morning", "5 p.m.") with plain
regular expressions (dateparser is ~100x slower and too eager on bare numbers) and resolves each to the
ISO dates of the first and last day it can mean. Ambiguous expressions get the wider interval, so that
comparing two articles never calls a paraphrase a contradiction.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from storydiff.model import DateMention, Doc, Span

_MONTH_NUM = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
    "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_NUMWORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "several": 3,
    "a few": 2,
}
_FUTURE = re.compile(
    r"\b(?:will|would|shall|is\s+due|are\s+due|scheduled|expected\s+to|plans?\s+to|planned|set\s+to)\b", re.I
)

# Order matters: longer, more specific patterns first; later matches may not overlap earlier ones.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    (
        "mdy",
        re.compile(rf"\b{_MONTH}\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{{4}})\b)?", re.I),
    ),
    (
        "dmy",
        re.compile(
            rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b(?:\.?,?\s+(?P<y>\d{{4}})\b)?", re.I
        ),
    ),
    ("my", re.compile(rf"\b{_MONTH}\.?,?\s+(?P<y>\d{{4}})\b", re.I)),
    (
        "month",
        re.compile(
            rf"\b(?P<mod>in|since|during|until|till|by|last|this|next|early|late|mid-?|from|of|"
            rf"through|before|after)\s+(?:early\s+|late\s+|mid-?)?{_MONTH}\b",
            re.I,
        ),
    ),
    (
        "ago",
        re.compile(
            r"\b(?P<n>\d+|a\s+few|an?|one|two|three|four|five|six|seven|eight|nine|ten|several)\s+"
            r"(?P<unit>day|week|month|year)s?\s+ago\b",
            re.I,
        ),
    ),
    (
        "rel_period",
        re.compile(
            r"\b(?P<mod>last|this|next|earlier\s+this|later\s+this|past)\s+"
            r"(?P<unit>week|weekend|month|year)\b",
            re.I,
        ),
    ),
    (
        "weekday",
        re.compile(
            r"\b(?:(?P<mod>last|next|this|on|early|late|since|until|by)\s+)?"
            r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b(?!s)",
            re.I,
        ),
    ),
    ("yesterday", re.compile(r"\b(?:the\s+day\s+before\s+)?yesterday\b|\blast\s+night\b", re.I)),
    (
        "today",
        re.compile(
            r"\btoday\b|\btonight\b|\bthis\s+(?:morning|afternoon|evening)\b|\bearlier\s+today\b", re.I
        ),
    ),
    ("tomorrow", re.compile(r"\btomorrow\b", re.I)),
    (
        "time",
        re.compile(
            r"\b(?P<h>\d{1,2})(?::(?P<mi>\d{2}))?\s*(?P<ap>a\.?m\.?|p\.?m\.?)(?![a-z])"
            r"|\b(?P<h2>[01]?\d|2[0-3]):(?P<mi2>[0-5]\d)\b|\b(?:noon|midday|midnight)\b",
            re.I,
        ),
    ),
    (
        "year",
        re.compile(r"(?<![$£€\d,.])\b(?P<y>1[89]\d\d|20\d\d)\b(?!\d|,\d|%|\.\d|\s*(?:percent|per\s+cent))"),
    ),
]


def _pub_date(doc: Doc) -> date | None:
    published = doc.article.published
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def _nearest_year(month: int, day: int, pub: date, future: bool) -> date | None:
    """A day-month without year: the latest one up to publication, or the next one in future-tense text.

    Two days of slack either way absorb time zones and late editing.
    """
    cands: list[date] = []
    for year in (pub.year - 1, pub.year, pub.year + 1):
        try:
            cands.append(date(year, month, day))
        except ValueError:
            continue
    slack = timedelta(days=2)
    if future:
        ahead = [c for c in cands if c >= pub - slack]
        return min(ahead) if ahead else None
    past = [c for c in cands if c <= pub + slack]
    return max(past) if past else None


def _month_range(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    return first, first + relativedelta(months=1) - timedelta(days=1)


def _resolve(
    kind: str, m: re.Match[str], pub: date | None, future: bool
) -> tuple[date | None, date | None, str, bool]:
    """(start, end, granularity, relative) of one match."""
    g = m.groupdict()
    if kind == "iso":
        d = date(int(g["y"]), int(g["m"]), int(g["d"]))
        return d, d, "day", False
    if kind in ("mdy", "dmy"):
        month = _MONTH_NUM[g["month"].lower()]
        day = int(g["d"])
        if g.get("y"):
            d = date(int(g["y"]), month, day)
            return d, d, "day", False
        if pub is None:
            return None, None, "unknown", False
        nd = _nearest_year(month, day, pub, future)
        if nd is None:
            raise ValueError("no such day")
        return nd, nd, "day", True
    if kind == "my":
        start, end = _month_range(int(g["y"]), _MONTH_NUM[g["month"].lower()])
        return start, end, "month", False
    if kind == "month":
        if pub is None:
            return None, None, "unknown", True
        month = _MONTH_NUM[g["month"].lower()]
        mod = g["mod"].lower()
        if mod == "next" or (future and mod not in ("last", "since")):
            year = pub.year if month >= pub.month else pub.year + 1
        elif mod == "last":
            year = pub.year if month < pub.month else pub.year - 1
        else:
            year = pub.year if month <= pub.month else pub.year - 1
        start, end = _month_range(year, month)
        return start, end, "month", True
    if kind == "year":
        y = int(g["y"])
        return date(y, 1, 1), date(y, 12, 31), "year", False
    if pub is None:
        return None, None, "unknown", True
    if kind == "ago":
        n_text = re.sub(r"\s+", " ", g["n"].lower())
        n = int(n_text) if n_text.isdigit() else _NUMWORDS.get(n_text, 1)
        unit = g["unit"].lower()
        if unit == "day":
            d = pub - timedelta(days=n)
            return d, d, "day", True
        delta = {
            "week": relativedelta(weeks=n),
            "month": relativedelta(months=n),
            "year": relativedelta(years=n),
        }
        centre = pub - delta[unit]
        half = {"week": timedelta(days=3), "month": timedelta(days=15), "year": timedelta(days=182)}[unit]
        return centre - half, centre + half, unit, True
    if kind == "rel_period":
        mod = re.sub(r"\s+", " ", g["mod"].lower())
        unit = g["unit"].lower()
        if unit in ("week", "weekend"):
            monday = pub - timedelta(days=pub.weekday())
            if mod in ("last", "past"):
                # "last week" is the previous calendar week, or loosely the past seven days: take both.
                return monday - timedelta(days=7), pub - timedelta(days=1), "week", True
            if mod == "next":
                return monday + timedelta(days=7), monday + timedelta(days=13), "week", True
            if mod == "earlier this":
                return monday, pub, "week", True
            return monday, monday + timedelta(days=6), "week", True
        if unit == "month":
            this_start, this_end = _month_range(pub.year, pub.month)
            if mod in ("last", "past"):
                prev = this_start - relativedelta(months=1)
                return prev, this_start - timedelta(days=1), "month", True
            if mod == "next":
                nxt = this_start + relativedelta(months=1)
                return nxt, nxt + relativedelta(months=1) - timedelta(days=1), "month", True
            if mod == "earlier this":
                return this_start, pub, "month", True
            return this_start, this_end, "month", True
        year = pub.year - 1 if mod in ("last", "past") else pub.year + 1 if mod == "next" else pub.year
        if mod == "earlier this":
            return date(year, 1, 1), pub, "year", True
        return date(year, 1, 1), date(year, 12, 31), "year", True
    if kind == "weekday":
        target = _WEEKDAYS.index(g["wd"].lower())
        mod = (g.get("mod") or "").lower()
        back = (pub.weekday() - target) % 7
        if mod == "next" or (future and mod not in ("last", "since")):
            ahead = (target - pub.weekday()) % 7 or 7
            d = pub + timedelta(days=ahead)
            return d, d, "day", True
        if mod == "last":
            # "last Tuesday" may be the latest Tuesday or the one before it.
            d = pub - timedelta(days=back or 7)
            return d - timedelta(days=7), d, "day", True
        d = pub - timedelta(days=back)
        return d, d, "day", True
    if kind == "yesterday":
        if m.group().lower().startswith("last"):
            return pub - timedelta(days=1), pub, "day", True
        n = 2 if m.group().lower().startswith("the day") else 1
        d = pub - timedelta(days=n)
        return d, d, "day", True
    if kind == "today":
        return pub, pub, "day", True
    if kind == "tomorrow":
        d = pub + timedelta(days=1)
        return d, d, "day", True
    return None, None, "unknown", True


def find_dates(doc: Doc, span: Span) -> list[DateMention]:
    """Date and time expressions inside ``span`` of ``doc``, resolved against its publication date."""
    text = doc.text[span.start : span.end]
    pub = _pub_date(doc)
    future = bool(_FUTURE.search(text))
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, int, str, re.Match[str]]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.start(), m.end()
            if any(s < b and a < e for a, b in taken):
                continue
            if kind == "year" and re.search(r"[$£€]\s*$", text[:s]):
                continue
            taken.append((s, e))
            found.append((s, e, kind, m))
    found.sort(key=lambda f: f[0])
    # "Tuesday, December 9, 2008": the weekday only qualifies the date that follows it.
    merged: list[tuple[int, int, str, re.Match[str]]] = []
    for item in found:
        if (
            merged
            and merged[-1][2] == "weekday"
            and item[2] in ("mdy", "dmy", "iso")
            and re.fullmatch(r"[,\s]*(?:the\s+)?", text[merged[-1][1] : item[0]], re.I)
        ):
            prev = merged.pop()
            merged.append((prev[3].start("wd"), item[1], item[2], item[3]))
            continue
        merged.append(item)
    found = merged
    out: list[DateMention] = []
    times: list[int] = []
    for s, e, kind, m in found:
        if kind == "time":
            times.append(len(out))
            out.append(DateMention(doc.span(span.start + s, span.start + e), None, None, "time", True))
            continue
        try:
            start, end, gran, relative = _resolve(kind, m, pub, future)
        except ValueError:  # "February 30"
            continue
        out.append(
            DateMention(
                span=doc.span(span.start + s, span.start + e),
                start=start.isoformat() if start else None,
                end=end.isoformat() if end else None,
                granularity=gran,
                relative=relative,
            )
        )
    # A time of day belongs to the day named in the same statement, else to the publication day.
    days = [d for d in out if d.granularity == "day" and d.start == d.end and d.start]
    for idx in times:
        t = out[idx]
        if days:
            nearest = min(days, key=lambda d: abs(d.span.start - t.span.start))
            t.start = t.end = nearest.start
        elif pub is not None:
            t.start = t.end = pub.isoformat()
        else:
            t.granularity = "unknown"
    return out


def compatible(a: DateMention, b: DateMention, text_a: str = "", text_b: str = "") -> bool:
    """Whether two dates can mean the same time: their day intervals overlap (unknown = compatible), or
    they are the two sides of one midnight ("late Sunday night" / "early Monday"; ``text_a``/``text_b``:
    the words right after each date, where "night" or "morning" often stands)."""
    if not (a.start and a.end and b.start and b.end):
        return True
    if a.start <= b.end and b.start <= a.end:
        return True
    return _across_midnight(a, b, text_a, text_b) or _across_midnight(b, a, text_b, text_a)


_LATE = re.compile(r"\b(?:late|night|evening|midnight|overnight)\b", re.I)
_EARLY = re.compile(
    r"\b(?:early|morning|overnight|midnight|before\s+dawn|small\s+hours|just\s+after)\b", re.I
)


def _across_midnight(first: DateMention, then: DateMention, after_first: str, after_then: str) -> bool:
    if first.granularity != "day" or then.granularity != "day" or not first.end or not then.start:
        return False
    try:
        gap = (date.fromisoformat(then.start) - date.fromisoformat(first.end)).days
    except ValueError:
        return False
    return (
        gap == 1
        and bool(_LATE.search(f"{first.span.text} {after_first}"))
        and bool(_EARLY.search(f"{then.span.text} {after_then}"))
    )


_DAY_OFFSETS = (
    (re.compile(r"^the\s+day\s+before\s+yesterday$", re.I), -2),
    (re.compile(r"^yesterday(?:\s+(?:morning|afternoon|evening))?$", re.I), -1),
    (re.compile(r"^(?:today|tonight|this\s+(?:morning|afternoon|evening)|earlier\s+today)$", re.I), 0),
    (re.compile(r"^tomorrow$", re.I), 1),
)


_CALENDAR_DAY = re.compile(
    rf"^(?:(?:on|the)\s+)?(?:{_MONTH}\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"\s+(?:of\s+)?{_MONTH.replace('month', 'month2')})$",
    re.I,
)


def calendar_day(d: DateMention) -> tuple[int, int] | None:
    """(month, day) of a calendar day written without a year ("November 18", "18 Nov"), for comparing two
    undated articles; None for anything else."""
    m = _CALENDAR_DAY.match(" ".join(d.span.text.split()).rstrip(",."))
    if m is None:
        return None
    month = m.group("month") or m.group("month2")
    day = int(m.group("day") or m.group("day2"))
    return (_MONTH_NUM[month.lower()[:3]], day) if 1 <= day <= 31 else None


def day_offset(d: DateMention) -> int | None:
    """Days from publication that a relative day expression means ("yesterday" -1, "this morning" 0), for
    comparing two undated articles; None for anything else ("last night" may be either day)."""
    text = " ".join(d.span.text.lower().split())
    for pattern, offset in _DAY_OFFSETS:
        if pattern.match(text):
            return offset
    return None
