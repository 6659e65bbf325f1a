"""Report -> Markdown: counts, disputes, corroborated and single-source claims, omissions, variants,
quotes, timeline, copies and warnings, in that order (the most contested facts first)."""

from __future__ import annotations

import re

from storydiff.analyse.quote_text import DiffPart
from storydiff.model import Report
from storydiff.render import summary

MAX_SINGLE_PER_OUTLET = 25  # keeps reports of large stories readable; the JSON has everything
MAX_TABLE_OUTLETS = 8  # wider outlet x thing tables become lists
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md(text: str) -> str:
    """Inline text with Markdown (and HTML) metacharacters escaped, on one line."""
    return _MD_SPECIAL.sub(r"\\\1", summary.one_line(text))


def _diff_md(parts: list[DiffPart]) -> str:
    """Content changes struck / bold; style-only differences (spelling, case, punctuation) in italics,
    the other outlet's form after an arrow."""
    out: list[str] = []
    for k, part in enumerate(parts):
        if part.op == "equal":
            out.append(md(part.text))
        elif part.style and part.op == "delete":
            nxt = parts[k + 1] if k + 1 < len(parts) else None
            other = (
                f" \u2192 _{md(nxt.text)}_" if nxt is not None and nxt.op == "insert" and nxt.style else ""
            )
            out.append(f"_{md(part.text)}_{other}")
        elif part.style:
            if k > 0 and parts[k - 1].op == "delete" and parts[k - 1].style:
                continue  # shown with its deleted counterpart
            out.append(f"_{md(part.text)}_")
        elif part.op == "delete":
            out.append(f"~~{md(part.text)}~~")
        else:
            out.append(f"**{md(part.text)}**")
    return " ".join(out)


def report_to_markdown(report: Report) -> str:
    labels = summary.outlet_labels(report)
    stats = summary.stats(report)
    title = summary.story_title(report) or "story"
    out: list[str] = [f"# storydiff report: {md(title)}", ""]

    out += [
        f"{stats['articles']} articles from {stats['outlets']} outlets; {stats['claims']} claims: "
        f"**{stats['corroborated']} corroborated**, **{stats['disputed']} disputed**, "
        f"{stats['single_source']} single-source; {stats['conflicts']} conflicts; {stats['quotes']} quotes "
        f"({stats['altered_quotes']} altered, {stats['truncated_quotes']} truncated); {stats['entities']} entities; "
        f"{stats['copies']} copies; "
        f"{stats['omissions']} omissions.",
        "",
    ]
    if report.warnings:
        out += ["## Warnings", ""] + [f"- {md(w)}" for w in report.warnings] + [""]

    copy_of = summary.copy_of(report)
    out += [
        "## Articles",
        "",
        "| # | outlet | title | published | words | copy of |",
        "|---|---|---|---|---|---|",
    ]
    for i, doc in enumerate(report.docs, 1):
        original = copy_of.get(doc.id)
        out.append(
            f"| {i} | {md(labels[doc.id])} | {md(doc.article.title or '')} | {doc.article.published or ''} | "
            f"{summary.word_count(doc)} | {md(labels.get(original, original)) if original else ''} |"
        )
    out.append("")

    out += _disputed(report, labels) + _corroborated(report, labels) + _single(report, labels)
    out += _omissions(report, labels) + _variants(report, labels) + _quotes(report, labels)
    out += _timeline(report, labels) + _copies(report, labels)
    return "\n".join(out).rstrip() + "\n"


def _disputed(report: Report, labels: dict[str, str]) -> list[str]:
    out = ["## Disputed claims", ""]
    conflicts = summary.fact_conflicts(report)
    if not conflicts:
        return out + ["No conflicts found.", ""]
    for conflict in conflicts:
        out += [f"### {conflict.kind}: {md(conflict.summary)}", ""]
        for side in summary.conflict_sides(report, conflict, labels):
            out.append(
                f"- **{md(side.outlet)}** says *{md(side.value.text)}*: \u201c{md(side.context)}\u201d"
            )
        if conflict.explanation:
            out += ["", f"_{md(conflict.explanation)}_"]
        out.append("")
    return out


def _corroborated(report: Report, labels: dict[str, str]) -> list[str]:
    groups = [g for g in report.claims if g.status == "corroborated"]
    out = ["## Corroborated claims", ""]
    if not groups:
        return out + ["None.", ""]
    groups.sort(key=lambda g: (-g.independent_sources, -len(g.sources)))
    for group in groups:
        out.append(
            f"- {md(summary.group_text(group))} \u2014 {', '.join(md(s) for s in summary.sources_of(group, labels))}"
            f" ({group.independent_sources} independent)"
        )
    return out + [""]


def _single(report: Report, labels: dict[str, str]) -> list[str]:
    out = ["## Single-source claims by outlet", ""]
    by_outlet = summary.single_source_by_outlet(report, labels)
    if not by_outlet:
        return out + ["None.", ""]
    for outlet in sorted(by_outlet):
        groups = by_outlet[outlet]
        out += [f"### {md(outlet)} ({len(groups)})", ""]
        out += [f"- {md(summary.group_text(g))}" for g in groups[:MAX_SINGLE_PER_OUTLET]]
        if len(groups) > MAX_SINGLE_PER_OUTLET:
            out.append(f"- \u2026 and {len(groups) - MAX_SINGLE_PER_OUTLET} more (see the JSON report)")
        out.append("")
    return out


def _omissions(report: Report, labels: dict[str, str]) -> list[str]:
    rows = [r for r in summary.omissions_named(report, labels) if r["claims"]]
    out = [
        "## Omissions",
        "",
        "Claims that at least two other independent sources report but this outlet does not "
        "(examples: the most widely reported).",
        "",
    ]
    if not rows:
        return out + ["None.", ""]
    out += ["| outlet | missing claims | examples |", "|---|---|---|"]
    for row in rows:
        examples = "; ".join(md(summary.group_text(g)) for g in row["claims"][:3])
        out.append(f"| {md(row['outlet'])} | {len(row['claims'])} | {examples} |")
    return out + [""]


def _variants(report: Report, labels: dict[str, str]) -> list[str]:
    rows = summary.variants_table(report, labels)
    out = ["## Spelling variants by outlet", ""]
    spelling = summary.spelling_conflicts(report)
    if spelling:
        out += [
            "Names spelled differently in statements of the same claim (style or transliteration, "
            "not a dispute of fact):",
            "",
        ]
        out += [f"- {md(c.summary)}" for c in spelling] + [""]
    if not rows:
        return out + ["None.", ""]
    outlets = [labels[d.id] for d in report.docs if any(labels[d.id] in r["outlets"] for r in rows)]
    if len(outlets) > MAX_TABLE_OUTLETS:  # too wide for a table: one line per entity
        for row in rows:
            forms = "; ".join(f"{md(o)}: {', '.join(md(f) for f in fs)}" for o, fs in row["outlets"].items())
            out.append(f"- **{md(row['name'])}** ({row['type']}): {forms}")
        return out + [""]
    out += ["| entity | " + " | ".join(md(o) for o in outlets) + " |", "|---" * (len(outlets) + 1) + "|"]
    for row in rows:
        cells = [", ".join(md(f) for f in row["outlets"].get(o, [])) for o in outlets]
        out.append(f"| {md(row['name'])} ({row['type']}) | " + " | ".join(cells) + " |")
    return out + [""]


def _quotes(report: Report, labels: dict[str, str]) -> list[str]:
    table = summary.speakers_table(report, labels)
    out = ["## Quotes", ""]
    if not table["rows"]:
        return out + ["No direct quotations found.", ""]
    outlets = [o for o in table["outlets"] if any(r["counts"][o] for r in table["rows"])]
    if len(outlets) > MAX_TABLE_OUTLETS:
        for row in table["rows"]:
            who = ", ".join(f"{md(o)} ({n})" for o, n in row["counts"].items() if n)
            out.append(f"- **{md(row['speaker'])}**: {who}")
    else:
        out += ["| speaker | " + " | ".join(md(o) for o in outlets) + " |", "|---" * (len(outlets) + 1) + "|"]
        for row in table["rows"]:
            out.append(
                f"| {md(row['speaker'])} | " + " | ".join(str(row["counts"][o] or "") for o in outlets) + " |"
            )
    out.append("")
    comparisons = summary.altered_quotes(report, labels)
    if comparisons:
        out += [
            "### Quotes worded differently",
            "",
            "Words only in the fuller version are ~~struck~~, words only in the other are **bold**: a "
            "changed content word makes a quote altered. Differences of style only (US/UK spelling, case, "
            "dashes, quote marks, ellipses) are in _italics_ and leave it a minor variation.",
            "",
        ]
        for c in comparisons:
            out += [
                f"#### {md(c.group.speaker or 'unknown speaker')} ({c.agreement})",
                "",
                "| " + md(c.reference_outlet) + " | " + md(c.other_outlet) + " |",
                "|---|---|",
                f"| {md(c.reference.text)} | {md(c.other.text)} |",
                "",
                f"Diff: {_diff_md(c.diff)}",
                "",
            ]
    return out


def _timeline(report: Report, labels: dict[str, str]) -> list[str]:
    out = ["## Timeline", ""]
    if not report.timeline:
        return out + ["No dated events.", ""]
    out += ["| date | event | sources |", "|---|---|---|"]
    for event in report.timeline:
        when = event.date if not event.end or event.end == event.date else f"{event.date} \u2013 {event.end}"
        sources = ", ".join(md(labels.get(s, s)) for s in event.sources)
        out.append(f"| {when} ({event.granularity}) | {md(event.label)} | {sources} |")
    return out + [""]


def _copies(report: Report, labels: dict[str, str]) -> list[str]:
    out = ["## Copies", ""]
    rows = summary.copies_named(report, labels)
    if not rows:
        return out + ["No article copies another.", ""]
    out += [
        f"- **{md(r['article_outlet'])}** copies **{md(r['original_outlet'])}** "
        f"(similarity {r['similarity']:.2f}); counted as one source"
        for r in rows
    ]
    return out + [""]
