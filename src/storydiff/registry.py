"""Registries: a name -> component dict and a decorator, for stages, conflict checks, embedders and
entity recognisers.

Like spaCy's factories, but small: the analysis pipeline is a list of stage names (``config.py``),
each name resolved here. Built-in components register themselves when their module is imported; each
registry knows which modules hold its built-ins and imports them on first use, then the components that
other packages declare in an entry-point group (``storydiff.checks``, ``storydiff.stages``,
``storydiff.embedders``, ``storydiff.recognisers``). An entry point names either a module (importing it
registers its components) or a component object itself (registered under the entry point's name).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import metadata
from typing import TYPE_CHECKING, Any, Generic, Literal, Protocol, TypeVar

from storydiff.errors import ConfigError

if TYPE_CHECKING:
    import numpy as np

    from storydiff.analyse.story import StoryDoc

T = TypeVar("T")


class Registry(Generic[T]):
    """Named components of one kind, in registration order."""

    def __init__(self, what: str, *, builtins: tuple[str, ...] = (), entry_points: str | None = None) -> None:
        self.what = what
        self._items: dict[str, T] = {}
        self._builtins = builtins
        self._entry_points = entry_points
        self._loaded = False

    def add(self, name: str, item: T) -> T:
        if name in self._items and self._items[name] is not item:
            raise ConfigError(f"{self.what} {name!r} is registered twice")
        self._items[name] = item
        return item

    def remove(self, name: str) -> None:
        """Forget a component (tests that register one of their own clean up with this)."""
        self._items.pop(name, None)

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True  # before importing: a built-in module that looks itself up must not recurse
        for module in self._builtins:
            importlib.import_module(module)
        if self._entry_points:
            load_entry_points(self._entry_points, self)

    def get(self, name: str) -> T:
        self._load()
        try:
            return self._items[name]
        except KeyError:
            known = ", ".join(self._items) or "none"
            raise ConfigError(f"unknown {self.what} {name!r} (known: {known})") from None

    def get_or_none(self, name: str) -> T | None:
        self._load()
        return self._items.get(name)

    def names(self) -> list[str]:
        self._load()
        return list(self._items)

    def values(self) -> list[T]:
        self._load()
        return list(self._items.values())

    def __contains__(self, name: object) -> bool:
        self._load()
        return name in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())


def load_entry_points(group: str, registry: Registry[Any]) -> None:
    """Import the components other packages declare under ``group``; a broken plugin is a ConfigError
    naming it (a silently missing check would be worse than a clear failure)."""
    for ep in metadata.entry_points(group=group):
        try:
            obj = ep.load()
        except Exception as exc:
            raise ConfigError(f"plugin {ep.name!r} ({ep.value}) in {group} failed to load: {exc}") from exc
        name = getattr(obj, "name", None)
        if isinstance(name, str) and name not in registry._items:
            registry.add(name, obj)


# --------------------------------------------------------------------------- analysis stages


StageFunc = Callable[["StoryDoc", Any], None]


@dataclass(frozen=True, slots=True)
class StageSpec:
    """A pipeline stage ``(story, config) -> None`` that adds the layers it ``assigns`` to the story.

    ``requires``: layers that must exist before it runs (the pipeline refuses an order or a ``--disable``
    that leaves one missing); ``uses``: layers it reads when present (a disabled producer is fine);
    ``config``: the dataclass of its ``[name]`` section in the configuration.
    """

    name: str
    func: StageFunc
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()
    config: type | None = None

    def __call__(self, story: StoryDoc, config: Any) -> None:
        self.func(story, config)


stages: Registry[StageSpec] = Registry(
    "stage", builtins=("storydiff.analyse.stages",), entry_points="storydiff.stages"
)


def stage(
    name: str,
    *,
    requires: tuple[str, ...] = (),
    assigns: tuple[str, ...] = (),
    uses: tuple[str, ...] = (),
    config: type | None = None,
) -> Callable[[StageFunc], StageSpec]:
    """Register ``func(story, cfg)`` as the stage ``name``."""

    def register(func: StageFunc) -> StageSpec:
        spec = StageSpec(name, func, tuple(requires), tuple(assigns), tuple(uses), config)
        stages.add(name, spec)
        return spec

    return register


# --------------------------------------------------------------------------- conflict checks


CheckScope = Literal["group", "story"]


@dataclass(frozen=True, slots=True)
class CheckSpec:
    """A conflict check: ``func(group, ctx)`` for ``scope="group"`` (called per claim group with two or
    more sources) or ``func(ctx)`` for ``scope="story"``; returns ``Found`` items of its kinds.

    ``disputes``: whether its conflicts make a claim disputed (a spelling variant does not);
    ``schema_kind``: the report schema's kind its conflicts are written as, with their own kind as
    ``subkind`` (``negation`` and ``denial`` are written as ``other``); None: each kind is a schema kind.
    """

    name: str
    func: Callable[..., list[Any]]
    kinds: tuple[str, ...]
    scope: CheckScope = "group"
    disputes: bool = True
    schema_kind: str | None = None


checks: Registry[CheckSpec] = Registry(
    "conflict check", builtins=("storydiff.analyse.conflicts",), entry_points="storydiff.checks"
)


def conflict_check(
    *kinds: str, scope: CheckScope = "group", disputes: bool = True, schema_kind: str | None = None
) -> Callable[[Callable[..., list[Any]]], CheckSpec]:
    """Register a conflict check producing conflicts of ``kinds`` (the first names the check)."""

    def register(func: Callable[..., list[Any]]) -> CheckSpec:
        spec = CheckSpec(kinds[0], func, tuple(kinds), scope, disputes, schema_kind)
        checks.add(spec.name, spec)
        return spec

    return register


def check_for_kind(kind: str) -> CheckSpec | None:
    """The check that produces conflicts of ``kind`` (None for a kind no registered check knows)."""
    for spec in checks.values():
        if kind in spec.kinds:
            return spec
    return None


def disputes(kind: str) -> bool:
    """Whether a conflict of ``kind`` makes its claim disputed (unknown kinds do: precision first)."""
    spec = check_for_kind(kind)
    return True if spec is None else spec.disputes


def conflict_kinds() -> list[str]:
    return [kind for spec in checks.values() for kind in spec.kinds]


# --------------------------------------------------------------------------- models


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors (one row per text)."""

    def encode(self, texts: list[str]) -> np.ndarray: ...


class Recogniser(Protocol):
    """Finds named entities: per text, (start, end, label) character spans with spaCy-style labels
    (PERSON, ORG, GPE, LOC, NORP, FAC, ...). storydiff's own rules (acronyms, places, label repair) run
    on what it returns."""

    def entities(self, texts: list[str]) -> list[list[tuple[int, int, str]]]: ...


embedders: Registry[Callable[[], Embedder]] = Registry(
    "embedder", builtins=("storydiff.analyse.embed",), entry_points="storydiff.embedders"
)
recognisers: Registry[Callable[[], Recogniser]] = Registry(
    "entity recogniser", builtins=("storydiff.analyse.entities",), entry_points="storydiff.recognisers"
)


def embedder(name: str) -> Callable[[Callable[[], Embedder]], Callable[[], Embedder]]:
    """Register a factory returning an Embedder (called once per process: models are cached)."""

    def register(factory: Callable[[], Embedder]) -> Callable[[], Embedder]:
        return embedders.add(name, factory)

    return register


def recogniser(name: str) -> Callable[[Callable[[], Recogniser]], Callable[[], Recogniser]]:
    def register(factory: Callable[[], Recogniser]) -> Callable[[], Recogniser]:
        return recognisers.add(name, factory)

    return register


__all__ = [
    "CheckSpec",
    "Embedder",
    "Recogniser",
    "Registry",
    "StageSpec",
    "check_for_kind",
    "checks",
    "conflict_check",
    "conflict_kinds",
    "disputes",
    "embedder",
    "embedders",
    "recogniser",
    "recognisers",
    "stage",
    "stages",
]
