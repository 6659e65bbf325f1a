"""Inline SVG pictures (no JS library, no CDN): coverage over time, claims per outlet, timeline.

Every label is escaped here; the functions return ``Markup`` so templates can place them as-is.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from markupsafe import Markup, escape

COLOURS = {"corroborated": "#2e7d32", "single-source": "#9e9e9e", "disputed": "#c62828"}
PALETTE = ["#1565c0", "#ef6c00", "#6a1b9a", "#00838f", "#ad1457", "#558b2f", "#4e342e", "#283593"]


def _parse(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        try:
            return datetime.fromisoformat(value[:10])
        except ValueError:
            return None


def _empty(message: str, width: int = 600) -> Markup:
    return Markup(
        f'<svg class="chart" role="img" width="{width}" height="40" viewBox="0 0 {width} 40">'
        f'<text x="8" y="24" class="muted">{escape(message)}</text></svg>'
    )


def coverage_over_time(articles: list[dict[str, Any]], width: int = 640) -> Markup:
    """One row per outlet, a dot per article at its publication time."""
    dated = [(a.get("source") or a["id"], _parse(a.get("published")), a) for a in articles]
    dated = [(s, t, a) for s, t, a in dated if t is not None]
    if not dated:
        return _empty("No publication dates known.")
    outlets = sorted({s for s, _, _ in dated})
    first = min(t for _, t, _ in dated)
    last = max(t for _, t, _ in dated)
    span = max((last - first).total_seconds(), 1.0)
    left, right, row = 150, 20, 26
    height = row * len(outlets) + 40
    plot = width - left - right
    parts = [
        f'<svg class="chart coverage" role="img" aria-label="Coverage over time" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">'
    ]
    for index, outlet in enumerate(outlets):
        y = 20 + index * row
        parts.append(f'<text x="{left - 8}" y="{y + 4}" text-anchor="end">{escape(outlet[:22])}</text>')
        parts.append(f'<line x1="{left}" y1="{y}" x2="{width - right}" y2="{y}" class="grid"/>')
    for outlet, when, article in dated:
        x = left + plot * ((when - first).total_seconds() / span if len(dated) > 1 else 0.5)
        y = 20 + outlets.index(outlet) * row
        title = f"{outlet} — {when.isoformat(sep=' ', timespec='minutes')}: {article.get('title') or ''}"
        colour = PALETTE[outlets.index(outlet) % len(PALETTE)]
        parts.append(f'<circle cx="{x:.1f}" cy="{y}" r="6" fill="{colour}"><title>{escape(title)}</title></circle>')
    axis_y = height - 10
    parts.append(f'<text x="{left}" y="{axis_y}">{escape(first.strftime("%Y-%m-%d %H:%M"))}</text>')
    parts.append(
        f'<text x="{width - right}" y="{axis_y}" text-anchor="end">{escape(last.strftime("%Y-%m-%d %H:%M"))}</text>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))


def claims_per_outlet(rows: list[tuple[str, Counter[str]]], width: int = 640) -> Markup:
    """Stacked horizontal bars: claim groups per outlet by status."""
    if not rows:
        return _empty("No claims.")
    left, right, row = 150, 60, 24
    height = row * len(rows) + 34
    biggest = max(sum(c.values()) for _, c in rows) or 1
    plot = width - left - right
    parts = [
        f'<svg class="chart claims" role="img" aria-label="Claims per outlet by status" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">'
    ]
    for index, (outlet, counts) in enumerate(rows):
        y = 8 + index * row
        parts.append(f'<text x="{left - 8}" y="{y + 13}" text-anchor="end">{escape(outlet[:22])}</text>')
        x = float(left)
        for status in ("corroborated", "single-source", "disputed"):
            count = counts.get(status, 0)
            if not count:
                continue
            bar = plot * count / biggest
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{bar:.1f}" height="16" fill="{COLOURS[status]}">'
                f"<title>{escape(outlet)}: {count} {status}</title></rect>"
            )
            x += bar
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 13}">{sum(counts.values())}</text>')
    legend_y = height - 8
    x = left
    for status, colour in COLOURS.items():
        parts.append(f'<rect x="{x}" y="{legend_y - 10}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="{legend_y}">{status}</text>')
        x += 120
    parts.append("</svg>")
    return Markup("".join(parts))


def timeline(events: list[dict[str, Any]], width: int = 640) -> Markup:
    """Dated events on a time axis, labelled, one row each (events are few per story)."""
    dated = [(e, _parse(e.get("date"))) for e in events]
    dated = [(e, t) for e, t in dated if t is not None]
    if not dated:
        return _empty("No dated events found.")
    dated.sort(key=lambda item: item[1])
    first, last = dated[0][1], dated[-1][1]
    span = max((last - first).total_seconds(), 1.0)
    left, right, row = 20, 20, 22
    height = row * len(dated) + 30
    plot = width - left - right - 260
    parts = [
        f'<svg class="chart timeline" role="img" aria-label="Story timeline" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">'
    ]
    parts.append(f'<line x1="{left}" y1="{height - 18}" x2="{left + plot}" y2="{height - 18}" class="axis"/>')
    for index, (event, when) in enumerate(dated):
        x = left + plot * ((when - first).total_seconds() / span if len(dated) > 1 else 0.5)
        y = 12 + index * row
        label = f"{event.get('date')}: {event.get('label', '')}"
        parts.append(f'<line x1="{x:.1f}" y1="{y}" x2="{x:.1f}" y2="{height - 18}" class="grid"/>')
        parts.append(f'<circle cx="{x:.1f}" cy="{y}" r="5" fill="#1565c0"><title>{escape(label)}</title></circle>')
        parts.append(f'<text x="{left + plot + 12}" y="{y + 4}">{escape(label[:48])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
