"""storydiff: compare how different outlets report the same news, claim by claim."""

from __future__ import annotations

from typing import TYPE_CHECKING

from storydiff.errors import Error

__version__ = "0.1.0"

if TYPE_CHECKING:
    from storydiff.model import Article, Report


def compare(articles: list[Article], **options: object) -> Report:
    """Compare the articles of one story; see ``storydiff.analyse.pipeline.compare``."""
    from storydiff.analyse.pipeline import compare as _compare

    return _compare(articles, **options)  # type: ignore[arg-type]


__all__ = ["Error", "__version__", "compare"]
