"""Stance: how a statement presents its proposition — asserted, hedged, denied (refuted) or questioned.

"Reports that the bridge will reopen Monday are false" does not corroborate "The bridge will reopen
Monday": it denies it. The stance stage finds the words that frame the proposition (``Stance.cue``) and,
where it can, the proposition itself (``Stance.proposition``: "the bridge will reopen Monday"), which the
judge compares instead of the whole sentence. Patterns, precision first:

- denied: a denial verb with what it denies ("the company denied that it is recalling ...", "dismissing
  reports that he would miss the season"); a claim noun with a refuting predicate ("reports that ... are
  false", "the story is a hoax", "headlines claiming that ... have taken a study out of context"); "no
  evidence that ..."; an event that "never happened" / "did not take place";
- questioned: a question, "it is unclear whether ...";
- hedged: "reportedly", "allegedly", rumours and unconfirmed reports, "a post claims";
- asserted: everything else. A negated cue ("did not deny", "is not false") is no denial.

A denial that names no proposition of its own ("In fact the vote never took place", "there is no evidence
that any such thing happened") refers back to what the article restated just before it: the conflict
check pairs it with that restatement (``refers_back``).
"""

from __future__ import annotations

import re

from storydiff.model import Doc, Span, Stance, Statement

_CLAIM_NOUN = (
    r"(?:reports?|claims?|rumou?rs?|stor(?:y|ies)|allegations?|suggestions?|posts?|videos?|photo(?:graph)?s?"
    r"|pictures?|images?|footage|clips?|headlines?|speculation|accounts?|tweets?|articles?|messages?|assertions?"
    r"|theor(?:y|ies)|warnings?|notices?|letters?|quotes?|quotations?|interviews?|figures?|estimates?"
    r"|the\s+(?:idea|notion|suggestion))"
)
_REFUTED = (
    r"(?:false|untrue|not\s+true|fake|a\s+hoax|hoaxes|(?:a\s+)?fabricat(?:ed|ion)|made\s+up|baseless|unfounded"
    r"|groundless|without\s+(?:any\s+)?foundation|a\s+myth|misleading|inaccurate|incorrect|wrong|greatly"
    r"\s+exaggerated|exaggerated|overblown|(?:taken|taking|took)\s+[\w\s']{0,30}?out\s+of\s+context"
    r"|out\s+of\s+context|satir(?:e|ical)|a\s+joke|doctored|manipulated|photoshopped|debunked|nonsense"
    r"|(?:pure\s+)?speculation|not\s+the\s+case|a\s+lie|lies|bogus|erroneous|mistaken|a\s+mistake|spurious)"
)
_BE = r"(?:is|are|was|were|has\s+been|have\s+been|had\s+been|be|being|been|proved|proven|turned\s+out\s+to\s+be)"
_NEGATED = re.compile(
    r"\b(?:not|never|n't|no\s+longer|hardly)\s+(?:\w+\s+){0,1}$|\b(?:did|does|do|has|have|had|would|will)\s+not\s+$"
    r"|\b(?:nobody|no\s+one|none)\s+(?:\w+\s+){0,1}$",
    re.I,
)

# A denied "proposition" that only points back ("any such thing happened", "it was true"): no proposition.
_ANAPHORIC = re.compile(
    r"^(?:any\s+such|such|this|that|these|those|it|they|anything|(?:the|any|a)\s+(?:claim|report|story|rumou?r|incident"
    r"|allegation|suggestion)s?)\b",
    re.I,
)


def _points_back(proposition: str) -> bool:
    """ "any such thing happened", "it was true": a few words that only point back. "it plans to cut
    thousands of jobs" names a proposition of its own, pronoun or not."""
    return bool(_ANAPHORIC.match(proposition)) and len(proposition.split()) <= 4


# (pattern, group holding the proposition or None); the first that matches and is not negated decides.
_DENIALS: list[tuple[re.Pattern[str], str | None]] = [
    # "denied that it is recalling ...", "dismissed reports that he would miss ..."
    (
        re.compile(
            r"\b(?P<cue>den(?:y|ies|ied|ying)|dismiss(?:es|ed|ing)?|reject(?:s|ed|ing)?|refut(?:e|es|ed|ing)"
            r"|debunk(?:s|ed|ing)?|rebut(?:s|ted|ting)?|disput(?:e|es|ed|ing)|contradict(?:s|ed|ing)?"
            r"|(?:poured|pouring|pours)\s+cold\s+water\s+on|scotch(?:es|ed|ing)?|quash(?:es|ed|ing)?"
            r"|shot\s+down|played\s+down)\s+(?:(?:the|any|all|recent|earlier|online|social\s+media|media|press)\s+)*"
            rf"(?:{_CLAIM_NOUN}\s+)?(?:that|of)\s+(?P<prop>[^.;!?]+)",
            re.I,
        ),
        "prop",
    ),
    # "reports that the bridge will reopen are false", "headlines claiming that X have taken a study out of context"
    (
        re.compile(
            rf"\b{_CLAIM_NOUN}(?:\s+(?:on|in|from|by)\s+(?:[\w'’]+\s+){{0,4}}?)?\s+(?:that\s+|\w+ing\s+(?:\w+\s+){{0,2}}?that\s+"
            rf"|which\s+said\s+|(?=(?:he|she|they|it|the|a|an)\s))"
            rf"(?P<prop>[^.;!?]+?)\s*,?\s+(?P<cue>(?:{_BE}\s+[\"“]?(?:all\s+|simply\s+|completely\s+|totally\s+"
            rf"|entirely\s+|wholly\s+)?{_REFUTED})|(?:have|has|had)\s+(?:taken|been\s+taken)[^.;!?]{{0,40}}?out\s+of\s+context)\b",
            re.I,
        ),
        "prop",
    ),
    # "there is no evidence that any shark had been in the area"
    (
        re.compile(
            r"\b(?P<cue>(?:there\s+(?:is|was|has\s+been)\s+)?no\s+(?:evidence|proof|sign|indication|record|truth)"
            r"|nothing\s+to\s+(?:support|suggest|indicate|confirm))\s+(?:(?:that|of|in|to|for)\s+)?(?P<prop>[^.;!?]*)",
            re.I,
        ),
        "prop",
    ),
    # "the story is a hoax", "such claims are false", "the reports were greatly exaggerated"
    (
        re.compile(
            rf"\b(?:the|these|those|such|this|that|any|all|earlier|recent|online|viral|social\s+media)\s+(?:\w+\s+){{0,2}}"
            rf"{_CLAIM_NOUN}(?:\s*,[^,.;]{{1,120}},)?\s+(?P<cue>{_BE}\s+(?:all\s+|simply\s+|completely\s+|totally\s+|entirely\s+)?"
            rf"{_REFUTED})\b",
            re.I,
        ),
        None,
    ),
    # "A widely shared image of a catfish swallowing a dog is a hoax", "the photograph said to show a ghost
    # at the castle was doctored", "the figure of 300 protesters was greatly exaggerated"
    (
        re.compile(
            rf"\b(?:an?|the|this|that)\s+(?:[\w-]+\s+){{0,2}}{_CLAIM_NOUN}\s+(?:of|about|showing|claiming"
            rf"|(?:said|supposed|purporting|meant)\s+to\s+show)\s+(?P<prop>[^,.;!?]{{3,160}}?)\s+(?P<cue>{_BE}\s+"
            rf"(?:all\s+|simply\s+|completely\s+|totally\s+|entirely\s+)?{_REFUTED})\b",
            re.I,
        ),
        "prop",
    ),
    # 'The "meteorite" said to have crashed into a barn is a hoax', "the fire reported to have destroyed the
    # mill was made up": what is only said to have happened, then refuted
    (
        re.compile(
            rf"\b(?P<prop>(?:an?|the|this|that)\s+[^,.;!?]{{2,60}}?\s+(?:said|supposed|reported|alleged|claimed"
            rf"|rumou?red|believed|thought)\s+to\s+(?:have\s+)?[^,.;!?]{{3,160}}?)\s+(?P<cue>{_BE}\s+"
            rf"(?:all\s+|simply\s+|completely\s+|totally\s+|entirely\s+)?{_REFUTED})\b"
            # ... ending the clause: "the bank said to have hidden losses was misleading its investors" refutes
            # nothing
            r"(?=\s*(?:[,.;:!?\"”)]|$|by\b|according\b))",
            re.I,
        ),
        "prop",
    ),
    # "A ghost caught on camera at the castle has been debunked by the castle's own staff"
    (
        re.compile(
            r"^(?P<prop>[^,.;!?]{8,160}?)\s+(?P<cue>(?:has|have|had)\s+(?:now\s+)?been\s+(?:debunked|refuted|disproved"
            r"|exposed\s+as\s+(?:a\s+)?(?:hoax|fake|fabrication)))\b",
            re.I,
        ),
        "prop",
    ),
    # "described the earlier reports as pure speculation", "called the claim baseless"
    (
        re.compile(
            rf"\b(?:described|calls?|called|calling|branded|labell?ed|dismissed)\s+(?:the\s+|these\s+|such\s+)?(?:\w+\s+){{0,2}}"
            rf"{_CLAIM_NOUN}\s+(?:as\s+)?(?:\"|“)?(?P<cue>{_REFUTED})",
            re.I,
        ),
        None,
    ),
    # "posts wrongly claimed he had been arrested"
    (
        re.compile(
            r"\b(?P<cue>(?:wrongly|falsely|erroneously|mistakenly|incorrectly)\s+(?:claim(?:s|ed)?|report(?:s|ed)?"
            r"|suggest(?:s|ed)?|stat(?:es|ed)|sa(?:y|id|ys)|alleg(?:es|ed)))\s+(?:that\s+)?(?P<prop>[^.;!?]+)",
            re.I,
        ),
        "prop",
    ),
    # 'it was "simply not true" that the actor had been cast'
    (
        re.compile(
            rf"\bit\s+(?:is|was|has\s+been)\s+[\"“]?(?P<cue>(?:simply\s+|just\s+|completely\s+|totally\s+)?{_REFUTED})[\"”]?"
            r"\s+that\s+(?P<prop>[^.;!?]+)",
            re.I,
        ),
        "prop",
    ),
    # "a report that a stray cat had been elected mayor first appeared on a satirical website"
    (
        re.compile(
            rf"\b{_CLAIM_NOUN}\s+(?:that\s+(?P<prop>[^.;!?]+?)\s+)?(?:\w+\s+){{0,2}}?(?P<cue>(?:appeared|was\s+published|was\s+posted"
            r"|originated|came|started)\s+(?:first\s+)?(?:on|from|in|at)\s+(?:a|an|the)\s+(?:\w+\s+){0,2}?(?:satirical|spoof|parody"
            r"|fake|joke|prank)\b)",
            re.I,
        ),
        "prop",
    ),
    # "vetoed a bill that would have banned plastic bags": a counterfactual relative clause, what did not
    # happen. Only "that/which would have <past participle>": "would have to stop", "would have 300 workers
    # out of work" and "would not have collapsed without ..." say other things.
    (
        re.compile(
            r"\b(?:that|which)\s+(?P<cue>would\s+have)\s+(?P<prop>(?:\w+ed|made|built|taken|given|done|cut|put|shut"
            r"|brought|kept|held|sent|spent|lost|won|paid|sold|told|left|begun|run|set|hit|driven|written|chosen"
            r"|frozen|stolen|broken|spoken|thrown|shown|grown|drawn|known|seen|gone)\b(?!\s+by\s+(?:the\s+)?(?:end"
            r"|time|now|then|monday|tuesday|wednesday|thursday|friday|saturday|sunday))[^.;!?,]*)",
            re.I,
        ),
        "prop",
    ),
    # "None of it was true."
    (
        re.compile(
            r"\b(?P<cue>(?:none\s+of\s+(?:it|this|that|these|those|them|the\s+\w+)|not\s+a\s+word\s+of\s+(?:it|this))"
            r"\s+(?:was|is|were|are|has\s+been)\s+true)\b",
            re.I,
        ),
        None,
    ),
    # "the vote never took place", "it did not happen"
    (
        re.compile(
            r"\b(?P<cue>never\s+(?:took\s+place|happened|occurred)|did\s+not\s+(?:take\s+place|happen|occur))\b",
            re.I,
        ),
        None,
    ),
]
_QUESTION_CUE = re.compile(
    r"\b(?P<cue>(?:it\s+(?:is|was|remains)\s+)?unclear\s+(?:whether|if)|questions?\s+(?:remain|over)\s+whether)\b",
    re.I,
)
_HEDGES = re.compile(
    r"\b(?P<cue>reportedly|allegedly|purportedly|supposedly|rumou?red|rumou?rs?\s+that|unconfirmed\s+reports?"
    r"|(?:viral|online|social\s+media)\s+(?:\w+\s+)?(?:posts?|reports?|claims?|videos?|stor(?:y|ies)|accounts?|users?)|or\s+so\s+(?:[\w'’]+\s+){0,15}claims?"
    r"|is\s+said\s+to|are\s+said\s+to|was\s+said\s+to|were\s+said\s+to"
    r"|read\s+(?:a|the)\s+(?:headline|post|message|tweet|caption|notice|sign|poster)"
    r"|(?:a|the)\s+(?:post|message|tweet|video|poster|rumou?r)\s+(?:claimed|said|suggested|alleged)"
    # "..., says a screenshot shared on messaging apps", "..., a business blog announced"
    r"|(?:says|said|claims|claimed|announced|reported)\s+(?:a|an|the|several)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:posts?|screenshots?|blogs?|forums?|tweets?|messages?|videos?|websites?|sites?)"
    r"|(?:an?|the|several)\s+(?:[\w-]+\s+){0,2}?(?:blogs?|forums?|screenshots?|websites?)\s+(?:said|claimed|announced|reported)"
    # "X — that was the headline on several blogs", "X: that is what residents read on social media"
    r"|\s*[—–:-]\s*that\s+(?:was|is)\s+(?:the\s+(?:headline|message|claim|rumou?r|story|post)|what\s+[^.;!?]{0,40}?"
    r"(?:read|heard|saw|were\s+told|shared)))\b",
    re.I,
)


def stance(doc: Doc, st: Statement) -> Stance:
    """The stance of one statement read on its own text (``add_stances`` reads whole sentences)."""
    found = _read(st.span.text)
    return _to_stance(doc, st.span.start, found) if found else Stance("asserted", None, None)


_Found = tuple[str, tuple[int, int] | None, tuple[int, int] | None]  # label, cue, proposition (offsets)


def _read(text: str) -> _Found | None:
    for pattern, prop_group in _DENIALS:
        for m in pattern.finditer(text):
            if _NEGATED.search(text[: m.start("cue")]):
                continue
            proposition = None
            if prop_group is not None and m.group(prop_group) and m.group(prop_group).strip():
                ps, pe = _trim(
                    text, m.start(prop_group), _clause_end(text, m.start(prop_group), m.end(prop_group))
                )
                if pe > ps and not _points_back(text[ps:pe]):
                    proposition = (ps, pe)
            return "denied", (m.start("cue"), m.end("cue")), proposition
    if text.rstrip(" \"'”’)").endswith("?"):
        return "questioned", None, None
    for label, pattern in (("questioned", _QUESTION_CUE), ("hedged", _HEDGES)):
        hit = pattern.search(text)
        if hit:
            return label, (hit.start("cue"), hit.end("cue")), None
    return None


def _to_stance(doc: Doc, base: int, found: _Found) -> Stance:
    label, cue, prop = found
    return Stance(
        label,  # type: ignore[arg-type]
        doc.span(base + cue[0], base + cue[1]) if cue else None,
        doc.span(base + prop[0], base + prop[1]) if prop else None,
    )


def add_stances(doc: Doc) -> None:
    """Stances of every statement, read on whole sentences: a sentence's hedge ("..., or so a post claims")
    qualifies each claim cut from it; a denial belongs to the statement holding its cue (or, failing that,
    the one holding what it denies)."""
    by_sentence: dict[int, list[Statement]] = {}
    for st in doc.statements:
        st.stance = Stance("asserted", None, None)
        by_sentence.setdefault(st.sentence, []).append(st)
    for index, sts in by_sentence.items():
        span = doc.sentences[index].span if 0 <= index < len(doc.sentences) else sts[0].span
        found = _read(doc.text[span.start : span.end])
        if found is None:
            continue
        result = _to_stance(doc, span.start, found)
        if result.label == "denied":
            # The statement holding the cue, and the one holding what it denies when that was cut apart
            # ("Chirrup said [a message warning that ...] is a hoax" / "[the app will soon charge a fee]").
            holders = [s for s in sts if result.cue is not None and s.span.contains(result.cue)]
            if result.proposition is not None:
                holders += [
                    s for s in sts if result.proposition.contains(s.span) or s.span == result.proposition
                ]
                if not holders:
                    holders = [s for s in sts if s.span.overlaps(result.proposition)][:1]
            for holder in holders:
                holder.stance = result
            continue
        for st in sts:
            if st.kind != "attribution":
                st.stance = result
    # "X has denied [that it plans to cut jobs]": the clause a denial frames is denied, whatever the
    # sentence patterns made of it.
    by_id = {st.id: st for st in doc.statements}
    for st in doc.statements:
        frame = by_id.get(st.frame) if st.frame else None
        if (
            frame is not None
            and frame.stance is not None
            and frame.stance.label == "denied"
            and st.stance is not None
            and st.stance.label == "asserted"
        ):
            st.stance = Stance("denied", frame.stance.cue, st.span)


def refers_back(st: Statement) -> bool:
    """A denial that names no proposition: it refutes what its article restated just before."""
    return st.stance is not None and st.stance.label == "denied" and st.stance.proposition is None


_CLAUSE_TAIL = re.compile(r",\s+(?:\w+ing\b|but\b|and\s+(?:said|added)\b|according\b|while\b|adding\b)", re.I)


def _clause_end(text: str, start: int, end: int) -> int:
    """Where the denied clause stops: before ", saying ...", ", but ...", ", according to ..."."""
    m = _CLAUSE_TAIL.search(text, start, end)
    return m.start() if m else end


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in ",\"'“”"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",\"'“”"):
        end -= 1
    return start, end


__all__ = ["Span", "add_stances", "refers_back", "stance"]
