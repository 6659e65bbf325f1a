"""Helpers for tests that check report JSON."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def iter_spans(data: object) -> Iterator[dict[str, Any]]:
    """Every span object ({article, start, end, text}) anywhere inside a report's JSON."""
    if isinstance(data, dict):
        if {"article", "start", "end", "text"} <= data.keys():
            yield data
        for value in data.values():
            yield from iter_spans(value)
    elif isinstance(data, list):
        for value in data:
            yield from iter_spans(value)
