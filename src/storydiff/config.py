"""Configuration is data: one dataclass per stage, each threshold a named field with a comment on where
its value came from, loadable from TOML (``--config storydiff.toml``) and printable (``storydiff config``).

A configuration has one section per stage that takes settings (``[align]``, ``[conflicts]``, ...), a
``[pipeline]`` section naming the stages in order and those disabled, and sections other parts register
(``[cluster]``). Every value has one default: the dataclass field. A TOML file overrides only what it
names; an unknown section, an unknown field or a value of the wrong type is a ``ConfigError`` naming it.
"""

from __future__ import annotations

import dataclasses
import json
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

from storydiff.errors import ConfigError

# The analysis, in order; each name is a registered stage (storydiff.analyse.stages).
DEFAULT_STAGES = (
    "segment",
    "claims",
    "entities",
    "resolve",
    "values",
    "quotes",
    "embed",
    "align",
    "copies",
    "status",
    "conflicts",
    "timeline",
)


@dataclass
class PipelineConfig:
    stages: list[str] = field(default_factory=lambda: list(DEFAULT_STAGES))
    disable: list[str] = field(default_factory=list)  # stage names to skip (``--disable quotes``)


_EXTRA_SECTIONS: dict[str, type] = {"pipeline": PipelineConfig}


def register_section(name: str, cls: type) -> None:
    """A configuration section outside the analysis stages (e.g. ``cluster``)."""
    _EXTRA_SECTIONS[name] = cls


def sections() -> dict[str, type]:
    """Section name -> its dataclass: the pipeline, every registered stage that takes settings, extras."""
    from storydiff.registry import stages

    out = dict(_EXTRA_SECTIONS)
    for spec in stages.values():
        if spec.config is not None:
            out.setdefault(spec.name, spec.config)
    return out


class Config:
    """The effective configuration: section name -> dataclass instance (defaults where not set)."""

    def __init__(self, values: Mapping[str, Any] | None = None) -> None:
        self._values: dict[str, Any] = dict(values or {})

    def __getitem__(self, name: str) -> Any:
        if name not in self._values:
            cls = sections().get(name)
            if cls is None:
                raise ConfigError(f"no configuration section {name!r}")
            self._values[name] = cls()
        return self._values[name]

    def get(self, name: str) -> Any:
        """The section's settings, or None for a stage that takes none."""
        return self[name] if name in sections() else None

    @property
    def pipeline(self) -> PipelineConfig:
        section: PipelineConfig = self["pipeline"]
        return section

    # ----------------------------------------------------------------- building

    @classmethod
    def load(cls, path: str | Path) -> Config:
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{path}: no such configuration file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read ({exc})") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc})") from None
        return cls.from_dict(data, origin=str(path))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, origin: str = "configuration") -> Config:
        known = sections()
        values: dict[str, Any] = {}
        for name, settings in data.items():
            section = known.get(name)
            if section is None:
                raise ConfigError(f"{origin}: unknown section [{name}] (known: {', '.join(sorted(known))})")
            if not isinstance(settings, Mapping):
                raise ConfigError(f"{origin}: [{name}] must be a table of settings")
            values[name] = _build(section, settings, f"{origin}: [{name}]")
        return cls(values)

    def replace(self, section: str, **changes: Any) -> Config:
        """A copy with some fields of one section changed (validated like a file's values)."""
        values = dict(self._values)
        values[section] = _build(type(self[section]), {**_fields(self[section]), **changes}, f"[{section}]")
        return Config(values)

    def with_disabled(self, names: Iterable[str]) -> Config:
        names = [n for n in names if n]
        if not names:
            return self
        return self.replace("pipeline", disable=[*self.pipeline.disable, *names])

    def digest(self) -> str:
        """A short hash of the effective values: two configurations with the same digest analyse alike."""
        import hashlib

        return hashlib.sha256(self.to_toml().encode()).hexdigest()[:12]

    # ----------------------------------------------------------------- printing

    def to_dict(self) -> dict[str, dict[str, Any]]:
        return {name: _fields(self[name]) for name in sections()}

    def to_toml(self) -> str:
        out: list[str] = ["# storydiff configuration (the effective values; a file may set any subset)"]
        for name, values in self.to_dict().items():
            out += ["", f"[{name}]"]
            out += [f"{key} = {_toml_value(value)}" for key, value in values.items()]
        return "\n".join(out) + "\n"


def _fields(instance: Any) -> dict[str, Any]:
    return {f.name: getattr(instance, f.name) for f in fields(instance)}


def _build(cls: type, settings: Mapping[str, Any], where: str) -> Any:
    if not is_dataclass(cls):
        raise ConfigError(f"{where}: section class {cls.__name__} is not a dataclass")
    by_name = {f.name: f for f in fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in settings.items():
        f = by_name.get(key)
        if f is None:
            raise ConfigError(f"{where}: unknown setting {key!r} (known: {', '.join(by_name)})")
        kwargs[key] = _coerce(value, _default_of(f), f"{where} {key}")
    return cls(**kwargs)


def _default_of(f: dataclasses.Field[Any]) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return None


def _coerce(value: Any, default: Any, where: str) -> Any:
    """``value`` in the type of the field's default: ints become floats where floats are expected,
    lists become tuples where tuples are expected; anything else of another type is refused."""
    if default is None:
        return value
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: expected true or false, got {value!r}")
        return value
    if isinstance(default, float) and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(default, int) and isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(default, str) and isinstance(value, str):
        return value
    if isinstance(default, list | tuple) and isinstance(value, list | tuple):
        items = list(value)
        if default:
            items = [_coerce(v, default[0], where) for v in items]
        return tuple(items) if isinstance(default, tuple) else items
    raise ConfigError(f"{where}: expected {type(default).__name__}, got {value!r}")


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, frozenset | set):
        return "[" + ", ".join(_toml_value(v) for v in sorted(value)) + "]"
    raise ConfigError(f"cannot write {value!r} as TOML")
