"""Interface text of site widgets: notification and alert sign-ups, account prompts, form feedback.

A scraper that keeps a widget's text keeps sentences no article contains: "Get email notifications on
<reporter> daily!", "Your notification has been saved.", "Please log in to use this feature". They come
flattened into one line as often as one per line, so they are judged sentence by sentence: a line is widget
text when every sentence in it is (``widget_line``); a line with one real sentence in it is not.

These patterns complement textclean_features.FAMILIES (navigation, share bars, newsletters, cookies...):
those are learned evidence for the line classifier, these are whole-sentence interface messages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

# Most are anchored at the start of the sentence: the same words inside a reported sentence ("residents will
# receive alerts", "the council admitted an error") are news, not interface.
_LEAD = r"^\W*(?:(?:close|menu|x)\s+)?"
WIDGET_SENTENCE = re.compile(
    rf"{_LEAD}(?:get|receive|turn on|enable|allow|manage|sign up for) (?:e-?mail |push |breaking(?: news)? "
    r"|news |browser |text )?(?:notifications?|alerts?)\b"
    r"|\bnotifications? (?:are|is|will be|have been|has been) (?:only |now )?(?:sent|saved|enabled|turned on"
    r"|delivered)\b"
    rf"|{_LEAD}your (?:notification|alert|subscription|preferences?|settings|changes|account|profile|comment"
    r"|message|submission|request|password|registration)s? (?:has|have|was|were) (?:been|successfully)\b"
    rf"|{_LEAD}there (?:was|has been) (?:a|an) (?:problem|error|issue) (?:saving|loading|processing|submitting"
    r"|sending|signing|with your (?:request|submission|subscription))\b"
    rf"|{_LEAD}(?:an error (?:has )?occurred|something went wrong)"
    rf"|{_LEAD}(?:please )?(?:log|sign) ?in to\b|\byou must be (?:logged|signed) in to\b"
    r"|\b(?:don'?t|do not) have an account\b|\balready have an account\b|\bforgot (?:your )?password\b"
    rf"|{_LEAD}create (?:an |a free |your )?account\b|{_LEAD}sign ?up (?:today|now|here|for free)\b"
    rf"|{_LEAD}thank(?:s| you) for (?:signing up|subscribing|registering|your (?:feedback|submission))\b"
    r"|\byou(?:'ve| have) (?:been |successfully )*(?:subscribed|signed up|registered|unsubscribed)\b"
    r"|\bwhenever .{1,60} posts? new content\b|\bonly if there are new matching items\b"
    r"|\b(?:please )?enable javascript\b|\byour browser (?:does not|doesn'?t) support\b"
    rf"|{_LEAD}this (?:video|content|feature|page) (?:is not available|requires|is only available)\b"
    rf"|{_LEAD}(?:click|tap) (?:here|the button|below) to\b|{_LEAD}scroll (?:down )?to continue\b"
    rf"|{_LEAD}(?:download|get) (?:our|the) (?:free )?app\b|\bfollowed (?:notifications|topics|authors)\b"
    r"|\bthe post .{1,200} appeared first on\b"
    rf"|{_LEAD}(?:continue reading|read the full (?:story|article))\b",
    re.I,
)
# "Close", "Log In", "Submit": single interface words left between widget sentences.
WIDGET_WORD = re.compile(
    r"^\W*(?:close|cancel|submit|send|ok|okay|yes|no|save|dismiss|continue|back|next|previous|log ?in|log ?out"
    r"|sign ?in|sign ?up|register|subscribe|unsubscribe|follow|unfollow|followed|notifications?|alerts?|settings"
    r"|e-?mail|password|username|menu|search|loading\.*|more|less|edit|delete|reply|share)\W*$",
    re.I,
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+|\s{2,}")
MAX_SENTENCE_WORDS = 40


def sentences(line: str) -> list[str]:
    """A line cut after each sentence-ending mark (and at runs of spaces): rough, but enough for widgets."""
    return [part.strip() for part in _SENTENCE_END.split(line) if part.strip()]


def _interface_words(sentence: str) -> bool:
    words = sentence.split()
    return bool(words) and all(WIDGET_WORD.match(word) for word in words)


def widget_sentence(sentence: str) -> bool:
    """One sentence of interface text (short, and an interface message or interface words only)."""
    if len(sentence.split()) > MAX_SENTENCE_WORDS:
        return False
    return WIDGET_SENTENCE.search(sentence) is not None or _interface_words(sentence)


def widget_line(
    line: str, *, known: Collection[str] = (), normalise: Callable[[str], str] | None = None
) -> bool:
    """Every sentence of ``line`` is widget text, or repeated boilerplate of the outlet (``known``), and at
    least one is a widget message (a line made only of repeated sentences is left to the repeat rules)."""
    parts = sentences(line)
    if not parts:
        return False
    messages = 0
    for part in parts:
        if widget_sentence(part):
            messages += WIDGET_SENTENCE.search(part) is not None
            continue
        if known and normalise is not None and normalise(part) in known:
            continue
        return False
    return messages > 0
