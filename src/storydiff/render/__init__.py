"""Report -> JSON, Markdown or self-contained HTML. ``render(report, "md")`` picks by format name."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from storydiff.model import Report

FORMATS = ("json", "md", "html")


def to_dict(report: Report) -> dict[str, Any]:
    from storydiff.serialize import report_to_dict

    return report_to_dict(report)


def to_json(report: Report, *, indent: int | None = 2) -> str:
    from storydiff.serialize import report_to_json

    return report_to_json(report, indent=indent)


def to_markdown(report: Report) -> str:
    from storydiff.render.markdown import report_to_markdown

    return report_to_markdown(report)


def to_html(report: Report) -> str:
    from storydiff.render.html import report_to_html

    return report_to_html(report)


def render(report: Report, fmt: str) -> str:
    """The report in ``fmt`` ("json", "md" or "html")."""
    if fmt == "json":
        return to_json(report)
    if fmt == "md":
        return to_markdown(report)
    if fmt == "html":
        return to_html(report)
    raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")


__all__ = ["FORMATS", "render", "to_dict", "to_html", "to_json", "to_markdown"]
