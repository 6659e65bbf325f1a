"""Alias tables: the names one entity goes by, and families of given names.

Two sources: the curated table shipped in the package (``data/aliases.txt``: armed groups, international
bodies, countries, news agencies, a few people, given-name families) and the user's ``--aliases FILE``
(same format; the type prefix is optional there). Both are read into one ``AliasTable``; the resolver
merges what they say, the recogniser finds their longer names in the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from storydiff.errors import ConfigError

# Labels an alias line may carry.
TYPES = frozenset({"ORG", "GPE", "LOC", "NORP", "PERSON", "FAC", "EVENT", "PRODUCT"})
# Given-name lines: a family of one name (GIVEN, MALE, FEMALE) or names of one gender (MEN, WOMEN).
_GIVEN_KINDS: dict[str, str | None] = {"GIVEN": None, "MALE": "m", "FEMALE": "f", "MEN": "m", "WOMEN": "f"}


@dataclass(frozen=True, slots=True)
class AliasGroup:
    names: tuple[str, ...]
    type: str | None = None  # None: the user did not say; the mentions' labels decide


@dataclass(slots=True)
class AliasTable:
    groups: list[AliasGroup] = field(default_factory=list)
    given: list[frozenset[str]] = field(default_factory=list)  # folded given-name families
    genders: dict[str, set[str]] = field(default_factory=dict)  # folded given name -> {"m"}, {"f"}, both

    def extended(self, groups: list[list[str]] | list[AliasGroup]) -> AliasTable:
        """This table plus the user's groups (which come first: the user knows the story)."""
        extra = [g if isinstance(g, AliasGroup) else AliasGroup(tuple(g)) for g in groups]
        return AliasTable(extra + self.groups, list(self.given), dict(self.genders))

    def gender(self, given_name: str) -> str | None:
        """ "m" or "f" for a folded given name of one gender only ("pat" is both: None)."""
        found = self.genders.get(given_name, set())
        return next(iter(found)) if len(found) == 1 else None

    def same_given_name(self, a: str, b: str) -> bool:
        """ "bill" and "william": two folded given names of one family (not transitive: Alex is Alexander
        and Alexandra, who are two names)."""
        return a == b or any(a in family and b in family for family in self.given)


def parse(lines: list[str], origin: str) -> AliasTable:
    """``TYPE: a | b | c`` / ``GIVEN: a | b`` (MALE, FEMALE, MEN, WOMEN) / ``a | b`` lines; blank lines and
    ``#`` comments skipped.
    A type that is not a known label is a ConfigError naming the line."""
    from storydiff.analyse.names import fold

    table = AliasTable()
    for number, raw in enumerate(lines, 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        kind: str | None = None
        head, sep, rest = line.partition(":")
        if sep and "|" not in head and head.strip().isupper() and " " not in head.strip():
            kind, line = head.strip(), rest
        names = tuple(n.strip() for n in line.split("|") if n.strip())
        if kind in _GIVEN_KINDS:
            gender = _GIVEN_KINDS[kind]
            if kind in ("GIVEN", "MALE", "FEMALE") and len(names) >= 2:
                table.given.append(frozenset(fold(n) for n in names))
            if gender:
                for n in names:
                    table.genders.setdefault(fold(n), set()).add(gender)
            continue
        if kind is not None and kind not in TYPES:
            known = ", ".join([*_GIVEN_KINDS, *sorted(TYPES)])
            raise ConfigError(f"{origin}:{number}: unknown type {kind!r} (known: {known})")
        if len(names) >= 2 or (kind is not None and names):
            table.groups.append(AliasGroup(names, kind))
    return table


@cache
def builtin() -> AliasTable:
    """The curated table shipped in the package."""
    text = resources.files("storydiff.analyse").joinpath("data/aliases.txt").read_text(encoding="utf-8")
    return parse(text.splitlines(), "storydiff/analyse/data/aliases.txt")


def load(path: str | Path) -> list[list[str]]:
    """A user alias file (``--aliases``): one group a line, "Kyiv | Kiev | Kyiv City" (a type prefix,
    "GPE: Kyiv | Kiev", is allowed and ignored: the mentions' labels decide). An unreadable file or a
    line of unknown type is a ConfigError naming it."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the alias file ({exc})") from None
    return [list(g.names) for g in parse(text.splitlines(), str(path)).groups if len(g.names) >= 2]


def table(user: list[list[str]] | list[AliasGroup] | None = None) -> AliasTable:
    """The built-in table extended by the user's groups."""
    return builtin().extended(user or [])
