"""Word lists and word patterns the stages share: stop words, number words, months and weekdays.

One place for them, each list named by what it is for. Several lists differ on purpose (the conflict
checks ignore fewer words than alignment, because a conflict is judged on what is left of two sentences
once their values are removed); each says why. Written as space-separated strings so they stay compact.
"""

from __future__ import annotations

import re


def words(text: str) -> frozenset[str]:
    """A word set written as one space-separated string."""
    return frozenset(text.split())


# --------------------------------------------------------------------------- word patterns

# A word for content-word overlap: letters, inner apostrophes and hyphens ("Al-Qaeda", "don't").
LETTER_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
# A word or number for comparing the rest of two statements: "12", "Kyiv", "won't".
ALNUM_WORD = re.compile(r"[A-Za-z0-9]+(?:'[a-z]+)?")
# Digits as written in news text: "1,200", "5.6"; a comma only between digits ("injured 40, police said").
DIGITS = re.compile(r"\d(?:[\d,]*\d)?(?:\.\d+)?")

# --------------------------------------------------------------------------- stop words

# Function words of English plus reporting verbs and honorifics: what two statements sharing a fact do
# not need to share. Used by alignment's content-word overlap.
STOP_WORDS = words(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having
    he her here hers herself him himself his how i if in into is it its itself just me more most my myself no
    nor not now of off on once only or other our ours ourselves out over own same she should so some such than
    that the their theirs them themselves then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours yourself yourselves
    said says say told according would may might must shall one's mr mrs ms dr"""
)

# The few closed-class words the conflict checks drop when comparing the rest of two statements: fewer
# than STOP_WORDS, so that "not", "no", "more", "only" still count as content there.
CORE_STOP_WORDS = words(
    """a an the of in on at to for from by with and or but that this these those is are was were be been
    being has have had it its as into after before over than then there their they he she his her which who
    whom said says told also while"""
)

# Auxiliaries and particles between a negation and its predicate ("has not yet been found").
NEGATION_FILLERS = words(
    "be been being was were is are have has had yet a any an the ever always already even"
)

# --------------------------------------------------------------------------- reporting

# Lemmas of the verbs that report what someone said: claim units cut such a frame from what it reports,
# and the judge ignores them (they say how a fact is told, not which fact it is).
REPORTING_LEMMAS = words("say tell report add announce state claim confirm deny note quote accord")

# --------------------------------------------------------------------------- dates and numbers

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MONTH_ABBREVIATIONS = words("jan feb mar apr jun jul aug sep sept oct nov dec")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# Number words and their values; "dozen" counts too ("a dozen people").
NUMBER_WORDS: dict[str, float] = {
    w: float(i)
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
} | {
    "thirty": 30.0,
    "forty": 40.0,
    "fifty": 50.0,
    "sixty": 60.0,
    "seventy": 70.0,
    "eighty": 80.0,
    "ninety": 90.0,
    "hundred": 100.0,
    "thousand": 1000.0,
    "million": 1e6,
    "billion": 1e9,
    "dozen": 12.0,
}

# Words that belong to a value (a date, a figure, a duration) rather than to the claim around it: the
# conflict checks remove them before asking whether two statements say the same thing.
VALUE_WORDS = (
    frozenset(MONTHS)
    | MONTH_ABBREVIATIONS
    | frozenset(WEEKDAYS)
    | words(
        """percent cent st nd rd th one two three four five six seven eight nine ten eleven twelve thirteen
        fourteen fifteen twenty thirty hundred thousand million billion dozen year years day days month months
        week weeks about during since until through under between against around some would will can"""
    )
)
