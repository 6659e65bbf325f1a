"""Inline SVG pictures (no JS library, no CDN): coverage over time, claims per outlet, timeline.

Every label is escaped here; the functions return ``Markup`` so templates can place them as-is.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime

from markupsafe import Markup, escape

from storydiff.model import Report, TimelineEvent
from storydiff.render.summary import outlet_labels

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


def coverage_over_time(report: Report, width: int = 640) -> Markup:
    """One row per outlet, a dot per article at its publication time."""
    dated = [
        (d.article.source, t, d.article)
        for d in report.docs
        if (t := _parse(d.article.published)) is not None
    ]
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
        title = f"{outlet} — {when.isoformat(sep=' ', timespec='minutes')}: {article.title or ''}"
        colour = PALETTE[outlets.index(outlet) % len(PALETTE)]
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y}" r="6" fill="{colour}"><title>{escape(title)}</title></circle>'
        )
    axis_y = height - 10
    parts.append(f'<text x="{left}" y="{axis_y}">{escape(first.strftime("%Y-%m-%d %H:%M"))}</text>')
    parts.append(
        f'<text x="{width - right}" y="{axis_y}" text-anchor="end">{escape(last.strftime("%Y-%m-%d %H:%M"))}</text>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))


def claims_by_outlet(report: Report) -> list[tuple[str, Counter[str]]]:
    """Per outlet: how many claim groups it carries in each status."""
    labels = outlet_labels(report)
    per_outlet: dict[str, Counter[str]] = defaultdict(Counter)
    for group in report.claims:
        for article_id in group.sources:
            per_outlet[labels.get(article_id, article_id)][group.status] += 1
    return sorted(per_outlet.items(), key=lambda item: (-sum(item[1].values()), item[0]))


def claims_per_outlet(report: Report, width: int = 640) -> Markup:
    """Stacked horizontal bars: claim groups per outlet by status."""
    rows = claims_by_outlet(report)
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


def timeline(events: list[TimelineEvent], width: int = 640, most: int = 40) -> Markup:
    """Dated events in order, one row each; x is the rank of the date (an ordinal axis), so a
    background date decades back does not squash the days the story is about."""
    dated = [(e, t) for e in events[:most] if (t := _parse(e.date)) is not None]
    if not dated:
        return _empty("No dated events found.")
    dated.sort(key=lambda item: item[1])
    days = sorted({when.date() for _, when in dated})
    left, row, plot = 20, 22, 150
    height = row * len(dated) + 16
    parts = [
        f'<svg class="chart timeline" role="img" aria-label="Story timeline" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">'
    ]
    step = plot / max(len(days) - 1, 1)
    for index, (event, when) in enumerate(dated):
        x = left + step * days.index(when.date()) if len(days) > 1 else left + plot / 2
        y = 12 + index * row
        label = f"{event.date}: {event.label}"
        parts.append(f'<line x1="{left}" y1="{y}" x2="{left + plot}" y2="{y}" class="grid"/>')
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y}" r="5" fill="#1565c0"><title>{escape(label)}</title></circle>'
        )
        parts.append(f'<text x="{left + plot + 14}" y="{y + 4}">{escape(label[:70])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
