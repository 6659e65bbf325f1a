"""Every error storydiff raises on purpose derives from ``storydiff.Error``.

``except storydiff.Error`` catches them all; the CLI maps each to a one-line message and the exit
status in ``exit_code`` (never a traceback). A crash that is not an ``Error`` is a bug in storydiff
and exits with ``EXIT_CRASH``, distinct from "some inputs failed".

The classes keep a second, standard base (``ValueError``, ``LookupError``, ``RuntimeError``) where the
code raised one before, so ``except ValueError`` around an extraction keeps working.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_SOME_FAILED = 1  # some inputs failed; each named on stderr, the rest of the batch was processed
EXIT_USAGE = 2  # bad option or argument, unusable store, missing model or extra
EXIT_CRASH = 3  # a bug in storydiff itself: please report it with the traceback


class Error(Exception):
    """Base class of storydiff's own errors."""

    exit_code = EXIT_USAGE


class InputError(Error, ValueError):
    """An input that cannot be turned into an article (undecodable, no article text, ...)."""

    exit_code = EXIT_SOME_FAILED


class DecodeError(InputError):
    """Bytes that do not decode as text in any plausible encoding."""


class ExtractionError(InputError):
    """The document holds no usable article (binary, undecodable, no main text...)."""


class StoreError(Error):
    """The store cannot be opened or is newer than this storydiff."""


class NotFound(Error, LookupError):
    """An id (story, article) that is not in the store."""


class UnknownStory(NotFound):
    def __init__(self, story_id: str) -> None:
        super().__init__(f"no story with id {story_id!r} (see 'storydiff stories')")
        self.story_id = story_id


class AmbiguousId(NotFound):
    """An id prefix that matches several stored ids."""


class ModelUnavailable(Error, RuntimeError):
    """A model package (spaCy's, the embedder's) is not installed; the message says how to fix it."""


class SparkUnavailable(Error, RuntimeError):
    """PySpark or Java is missing; the message says how to fix it."""


class ConfigError(Error, ValueError):
    """A configuration file or option that names an unknown stage, check or field, or a bad value."""
