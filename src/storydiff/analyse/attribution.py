"""Who a statement is attributed to and how strongly: a cue-word scale, no model.

Strengths, from firm to doubtful: "confirmed" (confirmed), "asserted" (announced, stated),
"neutral" (said, told, added, warned, according to), "disputed" (claimed, alleged, insisted),
"hedged" (reportedly, allegedly, is said to, may have, appears to), "denied" (denied, rejected).
When a sentence carries several cues the most doubtful one decides: "police confirmed what witnesses
allegedly saw" is a hedged statement.
"""

from __future__ import annotations

import re

from storydiff.model import Attribution, Doc, Span, Statement

# (strength, pattern); earlier entries win when several cues are present.
_CUES: list[tuple[str, re.Pattern[str]]] = [
    (
        "denied",
        re.compile(
            r"\b(?:denied|denies|deny|denying|rejected\s+(?:claims|reports|allegations|suggestions))\b", re.I
        ),
    ),
    (
        "hedged",
        re.compile(
            r"\b(?:reportedly|allegedly|purportedly|supposedly|apparently|possibly|presumably"
            r"|(?:is|are|was|were)\s+(?:said|reported|believed|thought|understood|rumou?red)\s+to"
            r"|according\s+to\s+(?:unconfirmed|unverified|unnamed|anonymous)\s+(?:reports|sources|accounts)"
            r"|unconfirmed\s+reports|may\s+have|might\s+have|could\s+have|appears?\s+to|appeared\s+to"
            r"|seems?\s+to|seemed\s+to|it\s+is\s+(?:thought|believed|understood))\b",
            re.I,
        ),
    ),
    (
        "disputed",
        re.compile(
            r"\b(?:claimed|claims|claim|claiming|alleged|alleges|alleging|insisted|insists"
            r"|purported|purports|contended|contends|maintained|maintains)\b",
            re.I,
        ),
    ),
    (
        "confirmed",
        re.compile(
            r"\b(?:confirmed|confirms|confirm|confirming|verified|officially\s+(?:said|announced))"
            r"\b",
            re.I,
        ),
    ),
    (
        "asserted",
        re.compile(
            r"\b(?:announced|announces|stated|states|declared|declares|established|proved"
            r"|showed|shows)\b",
            re.I,
        ),
    ),
    (
        "neutral",
        re.compile(
            r"\b(?:said|says|say|told|tells|added|adds|warned|warns|noted|notes|explained"
            r"|explains|reported|reports|wrote|writes|according\s+to|described|argued|argues"
            r"|estimated|estimates|acknowledged|admitted)\b",
            re.I,
        ),
    ),
]
# "claims" and "reports" are often nouns ("insurance claims", "news reports"): only verbs count.
_NOUN_BEFORE = re.compile(
    r"\b(?:the|a|an|these|those|their|his|her|its|of|insurance|news|media|such)\s+$", re.I
)

_NAME = r"(?:[A-Z][\w.'’-]*(?:\s+(?:de|van|von|al|bin|la|le|of|the)?\s*[A-Z][\w.'’-]*){0,3})"
_NP = r"(?:(?i:the|a|an|its|their|his|her|one|two|three|several|local|senior)\s+(?:[\w'’-]+\s+){0,3}[\w'’-]+)"
_PRONOUN = r"(?:he|she|they|it|police|officials|authorities|witnesses|residents|sources|investigators)"
_SPEAKER_BEFORE = re.compile(
    rf"(?P<sp>{_NAME}|{_NP}|\b{_PRONOUN})(?:\s*,[^,]{{1,60}},)?\s+(?:has\s+|have\s+|had\s+)?$"
)
_SPEAKER_AFTER = re.compile(rf"^\s+(?P<sp>{_NAME}|{_NP}|{_PRONOUN})\b(?=\s*(?:[.,;:!?]|$))")


_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|his|her|their|its|this|that|an?\s+\w+)\s+$", re.I)
# "nobody denies", "did not confirm": a negated cue does not report the claim the way the verb alone would.
_NEGATED_BEFORE = re.compile(
    r"\b(?:not|never|nobody|no\s+one|none|neither|nor|cannot|can't|won't|didn't|doesn't|don't|hasn't|haven't"
    r"|hadn't|wasn't|weren't|isn't|aren't|yet\s+to|refused\s+to|declined\s+to|failed\s+to)\s+(?:\w+\s+)?$",
    re.I,
)
# "maintains its fight", "claimed the lives of", "insisted on": the verb takes an object, not a report.
_OBJECT_VERBS = re.compile(
    r"^(?:maintain|insist|claim|contend|establish|show|state|note|describe|estimate)", re.I
)
_OBJECT_AFTER = re.compile(
    r"^\s+(?:its|their|his|her|our|my|your|a|an|control|power|responsibility|victory|credit|the\s+(?:lives?|title"
    r"|seat|lead|record|top|crown|prize)|lives|on|upon)\b",
    re.I,
)


def _cue(text: str) -> tuple[str, re.Match[str]] | None:
    for strength, pattern in _CUES:
        for m in pattern.finditer(text):
            word = m.group().lower()
            if word in (
                "claims",
                "claim",
                "reports",
                "notes",
                "says",
                "say",
                "states",
            ) and _NOUN_BEFORE.search(text[: m.start()]):
                continue
            if _OBJECT_VERBS.match(word) and _OBJECT_AFTER.match(text[m.end() :]):
                continue
            if word in ("alleged", "purported") and _DETERMINER_BEFORE.search(text[: m.start()]):
                continue  # "the alleged DUI": an adjective of legal caution, not a cue
            if _NEGATED_BEFORE.search(text[: m.start()]):
                if strength == "confirmed":
                    return "hedged", m  # "police did not confirm": the claim is left unconfirmed
                continue
            return strength, m
    return None


def _speaker(text: str, cue: re.Match[str]) -> tuple[int, int] | None:
    """The noun phrase that says it: before the cue ("the mayor said"), or after ("said the mayor")."""
    word = cue.group().lower()
    if word.startswith("according"):
        m = _SPEAKER_AFTER.match(text[cue.end() :])
        return (cue.end() + m.start("sp"), cue.end() + m.end("sp")) if m else None
    before = text[: cue.start()]
    m = _SPEAKER_BEFORE.search(before)
    if m and m.group("sp").lower() not in ("it", "the", "a", "an"):
        sp = m.group("sp")
        # Drop a leading sentence-initial article/word that is not part of the name ("Police" is fine).
        return m.start("sp"), m.start("sp") + len(sp)
    m = _SPEAKER_AFTER.match(text[cue.end() :])
    if m and m.group("sp")[0].isupper() or m and m.group("sp").lower().startswith(("the ", "a ", "an ")):
        return cue.end() + m.start("sp"), cue.end() + m.end("sp")
    return None


def attribution(doc: Doc, statement: Statement) -> Attribution | None:
    """The attribution cue of ``statement`` with its strength and, when named, its speaker; None if unattributed."""
    span: Span = statement.span
    text = doc.text[span.start : span.end]
    found = _cue(text)
    if found is None:
        return None
    strength, m = found
    speaker: Span | None = None
    if strength not in ("hedged",) or m.group().lower().startswith("according"):
        sp = _speaker(text, m)
        if sp is not None:
            speaker = doc.span(span.start + sp[0], span.start + sp[1])
    return Attribution(
        cue=doc.span(span.start + m.start(), span.start + m.end()), strength=strength, speaker=speaker
    )


_MODAL = re.compile(
    r"^(?:possibly|presumably|apparently|may\s+have|might\s+have|could\s+have|appears?\s+to|appeared\s+to"
    r"|seems?\s+to|seemed\s+to|it\s+is\s+\w+|(?:is|are|was|were)\s+(?:believed|thought|understood)\s+to)$",
    re.I,
)


def is_modal_hedge(cue: str) -> bool:
    """An epistemic hedge ("may have", "appears to") rather than a reporting one ("reportedly", "is said to").

    Modal hedges often qualify a detail of the sentence rather than the claim as a whole.
    """
    return bool(_MODAL.match(" ".join(cue.split())))


_ADVERB_HEDGE = re.compile(
    r"^(?:reportedly|allegedly|purportedly|supposedly|(?:is|are|was|were)\s+(?:said|reported)\s+to)$", re.I
)
_REPORTING_VERB_NEXT = re.compile(
    r"\s+(?:said|says|told|tells|stated|states|added|announced|wrote|reported|confirmed|claimed|warned)\b",
    re.I,
)


def qualifies_detail(att: Attribution, text: str) -> bool:
    """Whether a hedge qualifies a detail of the sentence rather than the outlet's report of it: a modal
    ("may have"), or a reporting hedge inside the reported clause ("police say he had allegedly fled", "12 are
    reported to be Somali": the usual caution of crime reports) rather than on the reporting verb ("a
    spokesman reportedly said")."""
    cue = " ".join(att.cue.text.split())
    if is_modal_hedge(cue):
        return True
    if _ADVERB_HEDGE.match(cue):
        return _REPORTING_VERB_NEXT.match(text, att.cue.end) is None
    return False


# Words of the cues themselves, removed before two statements' propositions are compared.
CUE_WORDS = frozenset(
    [
        "said",
        "says",
        "say",
        "told",
        "tells",
        "added",
        "adds",
        "warned",
        "warns",
        "noted",
        "notes",
        "explained",
        "explains",
        "reported",
        "reports",
        "wrote",
        "writes",
        "according",
        "described",
        "argued",
        "argues",
        "estimated",
        "estimates",
        "acknowledged",
        "admitted",
        "announced",
        "announces",
        "stated",
        "states",
        "declared",
        "declares",
        "confirmed",
        "confirms",
        "confirm",
        "verified",
        "officially",
        "claimed",
        "claims",
        "claim",
        "alleged",
        "alleges",
        "insisted",
        "insists",
        "contended",
        "contends",
        "maintained",
        "maintains",
        "reportedly",
        "allegedly",
        "purportedly",
        "supposedly",
        "apparently",
        "possibly",
        "denied",
        "denies",
        "deny",
        "rejected",
        "may",
        "might",
        "could",
        "appears",
        "appeared",
        "seems",
        "seemed",
        "believed",
        "thought",
        "understood",
        "unconfirmed",
        "sources",
    ]
)

# How doubtful each strength is: conflicts compare across the firm/doubtful boundary.
FIRM = frozenset({"confirmed", "asserted", "neutral"})
DOUBTFUL = frozenset({"hedged", "disputed", "denied"})
