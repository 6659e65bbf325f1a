"""Title conflicts: one person given another rank or post by two outlets ("Commander Nirad Sinha" /
"Commodore Nirad Sinha"; "District Attorney Dave Rossi" / "Assistant District Attorney David Rossi").

Only two differences count, because a post is often shortened ("Chargers general manager A.J. Smith" /
"general manager A.J. Smith"): two different ranks of one hierarchy (commander / commodore, captain / major),
or a rank modifier (assistant, deputy, vice, acting) before the same post on one side only. An article that
itself uses both forms of the person's title is not counted against the other."""

from __future__ import annotations

import re

from storydiff.analyse.conflicts.base import CheckContext, Found
from storydiff.analyse.names import TITLE_ROLES
from storydiff.model import Span
from storydiff.registry import conflict_check

# Ranks of one hierarchy (armed forces, police): a person holds one of them.
_RANKS = frozenset(
    [
        "general",
        "lieutenant",
        "colonel",
        "major",
        "captain",
        "sergeant",
        "corporal",
        "private",
        "admiral",
        "commander",
        "commodore",
        "brigadier",
        "marshal",
        "inspector",
        "superintendent",
        "constable",
        "detective",
        "trooper",
    ]
)
# Words that make a post another, lower or temporary one.
_MODIFIERS = frozenset(["assistant", "deputy", "vice", "acting", "interim", "associate"])
# Posts a modifier can qualify.
_POSTS = frozenset(
    [
        "attorney",
        "prosecutor",
        "secretary",
        "minister",
        "director",
        "manager",
        "chief",
        "commissioner",
        "governor",
        "president",
        "chairman",
        "chairwoman",
        "editor",
        "superintendent",
        "sheriff",
        "coach",
        "spokesman",
        "spokeswoman",
        "mayor",
    ]
)
_WORD = re.compile(r"[A-Za-z]+\.?")


def _title_words(text: str, name: Span) -> tuple[list[str], int]:
    """Lower-case title words right before a name ("Assistant District Attorney"), with where they start."""
    window = text[max(0, name.start - 60) : name.start]
    phrase = re.split(r"[.,;:!?\"“”()]\s", window)[-1]
    words = list(_WORD.finditer(phrase))[-4:]
    out: list[str] = []
    start = name.start
    for w in reversed(words):
        word = w.group().lower().rstrip(".")
        word = TITLE_ROLES.get(word, word)
        if not (word in _RANKS or word in _MODIFIERS or word in _POSTS or word in ("district", "general")):
            break
        out.insert(0, word)
        start = name.start - len(window) + (len(window) - len(phrase)) + w.start()
    return out, start


def _clash(a: list[str], b: list[str]) -> bool:
    ranks_a, ranks_b = set(a) & _RANKS, set(b) & _RANKS
    if ranks_a and ranks_b and not ranks_a & ranks_b:
        return True
    mods_a, mods_b = set(a) & _MODIFIERS, set(b) & _MODIFIERS
    shared_post = set(a) & set(b) & _POSTS
    return bool(shared_post) and mods_a != mods_b


@conflict_check("title", scope="story", schema_kind="person")
def title_conflicts(ctx: CheckContext) -> list[Found]:
    # entity -> article -> {title tuple: span from the title's first word to the name's end}
    seen: dict[str, dict[str, dict[tuple[str, ...], Span]]] = {}
    for art, doc in ctx.docs.items():
        for m in doc.mentions:
            if m.label != "PERSON" or m.entity is None or len(m.span.text.split()) < 2:
                continue
            words, start = _title_words(doc.text, m.span)
            if words:
                span = doc.span(start, m.span.end)
                seen.setdefault(m.entity, {}).setdefault(art, {}).setdefault(tuple(words), span)
    out: list[Found] = []
    for by_article in seen.values():
        arts = list(by_article)
        for i, art_a in enumerate(arts):
            for art_b in arts[i + 1 :]:
                forms_a, forms_b = by_article[art_a], by_article[art_b]
                if set(forms_a) & set(forms_b):
                    continue  # the two outlets agree on one form, whatever else they write
                clash = next(
                    ((ta, tb) for ta in forms_a for tb in forms_b if _clash(list(ta), list(tb))), None
                )
                if clash is None:
                    continue
                sa, sb = forms_a[clash[0]], forms_b[clash[1]]
                out.append(
                    Found(
                        None,
                        "title",
                        [sa, sb],
                        ctx.summary([(art_a, sa.text), (art_b, sb.text)]),
                        f"The sources give the same person different ranks or posts ('{' '.join(clash[0])}' / "
                        f"'{' '.join(clash[1])}'): at least one of them is wrong.",
                    )
                )
                break
    return out
