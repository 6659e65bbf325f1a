"""How the entity checks compare names: the normalised form of a mention and its entity kind."""

from __future__ import annotations

import re

from storydiff.model import Mention

# spaCy labels the entity checks compare, and the conflict kind each becomes.
ENTITY_KIND = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "organization"}


def norm_form(text: str) -> str:
    """Lower-case words without a trailing possessive: "Kyiv's" -> "kyiv"."""
    text = re.sub(r"['’]s$", "", text.strip())
    return " ".join(re.findall(r"\w+", text.lower()))


def mention_key(m: Mention) -> str:
    """The resolved entity, or the normalised text of an unresolved mention."""
    return m.entity or f"text:{norm_form(m.span.text)}"
