"""Negation conflicts: one side negates the predicate the other asserts ("Rania Tolvane is not retiring" /
"announces retirement"; "no one was hurt" is a number conflict, see number.py), or states its opposite
("Northfell Academy remains open" / "closed for the week"), about the same subject.

With a parse, predicates are compared by lemma (retire / retirement / retiring share a stem), the negation
is the one attached to that predicate ("not", "never", "no deal signed"), and the two statements must share
their subject or another content word besides the predicate; they are already in one claim group, so the
judge found them to be about the same fact. Without a parse, the predicate word must repeat and the rest of
the two statements must overlap (``negation_overlap``).
"""

from __future__ import annotations

import re
from typing import Any

from storydiff.analyse.conflicts.base import CheckContext, Found, content
from storydiff.analyse.judge import statement_tokens
from storydiff.lexicon import ALNUM_WORD, NEGATION_FILLERS
from storydiff.model import ClaimGroup, Doc, Span, Statement
from storydiff.registry import conflict_check

_NEGATION = re.compile(r"\b(?:not|never|no\s+longer|nobody|no\s+one|none)\b|n't\b", re.I)
_NEGATORS = frozenset({"not", "n't", "never", "no", "nobody", "none", "nothing", "neither", "nor"})
# Predicates that state each other's opposite of one subject (lemmas). Small and curated: a false opposite
# would be a false conflict.
_OPPOSITES = {
    frozenset({"open", "close"}),
    frozenset({"reopen", "close"}),
    frozenset({"alive", "dead"}),
    frozenset({"survive", "die"}),
    frozenset({"win", "lose"}),
    frozenset({"approve", "reject"}),
    frozenset({"accept", "reject"}),
    frozenset({"acquit", "convict"}),
    frozenset({"guilty", "innocent"}),
    frozenset({"increase", "decrease"}),
    frozenset({"rise", "fall"}),
    frozenset({"resign", "remain"}),
    frozenset({"collapse", "sign"}),
}
_STEM = 5  # lemmas sharing their first five letters are one predicate (retire, retirement; sign, signing)


def _stem(lemma: str) -> str:
    return lemma.lower()[:_STEM]


def _negated(tok: Any) -> bool:
    """Whether a negator is attached to ``tok`` ("not retiring", "no deal signed", "nobody was hurt") or to
    the verb it complements ("never discussed charging"). A negated infinitive ("told not to drink the
    water") is an instruction, not a denial of an event."""
    if any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
        return False
    if tok.dep_ == "xcomp" and tok.head.i != tok.i and _negated_here(tok.head):
        return True
    return _negated_here(tok)


def _negated_instruction(tok: Any) -> bool:
    """ "told not to drink": the predicate is negated, as an instruction; it asserts nothing either way."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children) and _negated_here(tok)


def _negated_here(tok: Any) -> bool:
    aux = {c.lower_ for c in tok.children if c.dep_ == "aux"}
    if {"would", "have"} <= aux:
        return False  # "would not have collapsed without years of neglect": a counterfactual, no denial
    for child in tok.children:
        if child.dep_ == "neg" or child.lower_ in _NEGATORS:
            return True
        if child.dep_ in ("nsubj", "nsubjpass", "dobj") and (
            child.lower_ in _NEGATORS
            or any(g.lower_ in ("no", "none") and g.dep_ == "det" for g in child.children)
        ):
            return True
    return False


# Negating these says nothing about the fact: "police would not say", "it is not known", "I don't think".
_NOT_PREDICATES = frozenset(
    [
        "say",
        "tell",
        "comment",
        "confirm",
        "know",
        "think",
        "believe",
        "hear",
        "see",
        "expect",
        "want",
        "be",
        "have",
        "do",
        "get",
        "make",
        "give",
        "take",
    ]
)


def _predicates(tokens: list[Any]) -> list[Any]:
    return [
        t
        for t in tokens
        if t.pos_ in ("VERB", "ADJ", "NOUN")
        and t.dep_ not in ("compound", "amod", "det")
        and t.lemma_.lower() not in _NOT_PREDICATES
    ]


def _content_lemmas(tokens: list[Any]) -> set[str]:
    return {
        t.lemma_.lower()
        for t in tokens
        if t.pos_ in ("NOUN", "PROPN", "NUM", "ADJ") and not t.is_stop and t.lower_ not in _NEGATORS
    }


def _also_asserted(doc: Doc, st: Statement, negated: Any) -> bool:
    """ "it can cause inflation ... a rate that does not cause inflation": the sentence asserts the predicate
    too, so its negation is a condition, not a denial of what another source says."""
    if not 0 <= st.sentence < len(doc.parses):
        return False
    return any(
        t.i != negated.i
        and t.pos_ == negated.pos_
        and _stem(t.lemma_) == _stem(negated.lemma_)
        and not _negated(t)
        for t in doc.parses[st.sentence]
    )


# Verbs that put what they govern as someone's accusation or claim, not as fact: "accusing businesses of
# being the cause of inflation" asserts no cause.
_ALLEGING = frozenset({"accuse", "allege", "blame", "claim", "suspect"})


def _alleged(tok: Any) -> bool:
    """Whether an accusing or claiming verb governs the token (a verb among its ancestors in the parse; "the
    suspect who fled" is no claim)."""
    return any(a.pos_ == "VERB" and a.lemma_.lower() in _ALLEGING for a in tok.ancestors)


_COMPLEMENTS = frozenset({"dobj", "xcomp", "ccomp", "attr", "acomp", "oprd"})


def _other_complements(a: Any, b: Any) -> bool:
    """ "not trying [to have] a recession" / "try [to avoid] a recession": one verb, other complements, so
    not one proposition negated."""
    ca = {_stem(c.lemma_) for c in a.children if c.dep_ in _COMPLEMENTS}
    cb = {_stem(c.lemma_) for c in b.children if c.dep_ in _COMPLEMENTS}
    return bool(ca) and bool(cb) and not ca & cb


def _sentence_lemmas(doc: Doc, st: Statement) -> set[str]:
    if 0 <= st.sentence < len(doc.parses):
        return {t.lemma_.lower() for t in doc.parses[st.sentence]}
    return set()


def _span_of(doc: Doc, st: Statement, tok: Any) -> Span:
    start = doc.sentences[st.sentence].span.start + tok.idx
    return doc.span(start, start + len(tok.text))


def negated_against(
    neg: Statement, pos: Statement, doc_n: Doc, doc_p: Doc
) -> tuple[Span, Span, str, bool] | None:
    """When ``neg`` negates the main verb of ``pos`` ("it had not derailed" / "a tram derailed"): (negated
    verb, asserted verb, lemma, False). Stricter than the check: only the head verb of ``pos`` counts."""
    tn, tp = statement_tokens(doc_n, neg), statement_tokens(doc_p, pos)
    heads = [t for t in tp if t.pos_ == "VERB" and (t.head.i == t.i or all(t.head.i != x.i for x in tp))]
    for t in tn:
        if t.pos_ != "VERB" or t.lemma_.lower() in _NOT_PREDICATES or not _negated(t):
            continue
        for a in heads:
            if (
                _stem(a.lemma_) == _stem(t.lemma_)
                and not _negated(a)
                and not _negated_instruction(a)
                and _complements_said(t, tp)
            ):
                return _span_of(doc_n, neg, t), _span_of(doc_p, pos, a), a.lemma_.lower(), False
    return None


def _complements_said(verb: Any, other: list[Any]) -> bool:
    """Whether what the negated verb is about is in the other statement: "it did not fall into the six-month
    timeframe" negates no "GDP fell by 0.9 percent". A verb with no complement ("it had not derailed")
    negates the other's act itself."""
    objects = {c.lemma_.lower() for c in verb.children if c.dep_ in _COMPLEMENTS}
    objects |= {
        g.lemma_.lower() for c in verb.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"
    }
    objects = {o for o in objects if o.isalpha() and o not in _NEGATORS}
    return not objects or bool(objects & {t.lemma_.lower() for t in other})


def _parsed_conflict(
    neg: Statement, pos: Statement, doc_n: Doc, doc_p: Doc
) -> tuple[Span, Span, str, bool] | None:
    """(negated predicate, asserted predicate, predicate, opposite?) when ``neg`` negates what ``pos`` says."""
    tn, tp = statement_tokens(doc_n, neg), statement_tokens(doc_p, pos)
    if not tn or not tp:
        return None
    shared = (_content_lemmas(tn) & _content_lemmas(tp)) | {m.entity for m in neg.mentions if m.entity} & {
        m.entity for m in pos.mentions if m.entity
    }
    if not shared:
        return None
    asserted = [
        t for t in _predicates(tp) if not _negated(t) and not _negated_instruction(t) and not _alleged(t)
    ]
    for t in _predicates(tn):
        if _negated(t):
            for a in asserted:
                if (
                    _stem(a.lemma_) == _stem(t.lemma_)
                    and _stem(a.lemma_) not in {_stem(w) for w in shared}
                    and not _also_asserted(doc_n, neg, t)
                    and not _other_complements(t, a)
                ):
                    return _span_of(doc_n, neg, t), _span_of(doc_p, pos, a), a.lemma_.lower(), False
        else:
            for a in asserted:
                pair = frozenset({t.lemma_.lower(), a.lemma_.lower()})
                # "I tried to open the door and they said close it" in both: each side holds both words.
                if (
                    pair in _OPPOSITES
                    and not pair <= _sentence_lemmas(doc_n, neg)
                    and not pair <= _sentence_lemmas(doc_p, pos)
                ):
                    return _span_of(doc_n, neg, t), _span_of(doc_p, pos, a), a.lemma_.lower(), True
    return None


def _negated_predicate(st: Statement) -> tuple[int, int, str] | None:
    """Offsets (in the doc) of "not injured" and the predicate word, for the first negation."""
    text = st.span.text
    m = _NEGATION.search(text)
    if m is None:
        return None
    for w in ALNUM_WORD.finditer(text, m.end()):
        word = w.group().lower()
        if word in NEGATION_FILLERS:
            continue
        return st.span.start + m.start(), st.span.start + w.end(), word
    return None


def _text_conflict(
    neg: Statement, pos: Statement, doc_n: Doc, doc_p: Doc, overlap: float
) -> tuple[Span, Span, str] | None:
    if _NEGATION.search(pos.span.text):
        return None
    found = _negated_predicate(neg)
    if found is None:
        return None
    start, end, pred = found
    hit = re.search(rf"\b{re.escape(pred)}\b", pos.span.text, re.I)
    if hit is None:
        return None
    ca = {
        w
        for w in content(neg.span.text)
        if not _NEGATION.fullmatch(w) and not w.endswith("n't") and w != "no"
    }
    cb = content(pos.span.text)
    if not ca or not cb or len(ca & cb) / len(ca | cb) < overlap:
        return None
    p0 = pos.span.start + hit.start()
    return doc_n.span(start, end), doc_p.span(p0, p0 + len(pred)), pred


@conflict_check("negation", schema_kind="other")
def negation_conflicts(group: ClaimGroup, arts: dict[str, list[Statement]], ctx: CheckContext) -> list[Found]:
    names = list(arts)
    for i, art_a in enumerate(names):
        for art_b in names[i + 1 :]:
            for sa in arts[art_a]:
                for sb in arts[art_b]:
                    for neg, pos, art_n, art_p in ((sa, sb, art_a, art_b), (sb, sa, art_b, art_a)):
                        doc_n, doc_p = ctx.docs.get(art_n), ctx.docs.get(art_p)
                        if doc_n is None or doc_p is None:
                            continue
                        parsed = _parsed_conflict(neg, pos, doc_n, doc_p)
                        if parsed is not None:
                            neg_span, pos_span, pred, opposite = parsed
                        else:
                            if doc_n.parses and doc_p.parses:
                                continue  # parsed statements that did not match are no conflict
                            text = _text_conflict(neg, pos, doc_n, doc_p, ctx.config.negation_overlap)
                            if text is None:
                                continue
                            neg_span, pos_span, pred = text
                            opposite = False
                        how = (
                            f"states the opposite ('{neg_span.text}') of what the other asserts ('{pos_span.text}')"
                            if opposite
                            else f"negates the predicate '{pred}' that the other asserts"
                        )
                        return [
                            Found(
                                group,
                                "negation",
                                [neg_span, pos_span],
                                ctx.summary([(art_n, neg_span.text), (art_p, pos_span.text)]),
                                f"One source {how}, about the same subject: they say opposite things.",
                            )
                        ]
    return []
