"""Builds a real store for the web tests: the fictional examples plus a hostile story, through the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# A fictional two-outlet story whose text and metadata try to run script in the page.
XSS_ARTICLES = [
    {
        "url": "https://evil.example/a",
        "source": "Evil Gazette <b>bold</b>",
        "title": "Dam <img src=x onerror=\"window.__pwned='img'\"> breach <script>window.__pwned='title'</script>",
        "published": "2026-09-01T08:00:00Z",
        "text": (
            "The Orvel dam breach flooded 30 homes in Quillmarsh on Monday, officials said.\n\n"
            "<script>window.__pwned='text'</script> Engineers from the river authority inspected the dam "
            "for six hours. <a href=\"javascript:window.__pwned='link'\">Click here</a> for the map.\n\n"
            "Mayor Ilse Varnholt said the town would pay for repairs."
        ),
    },
    {
        "url": "https://evil.example/b",
        "source": "Quillmarsh Post",
        "title": "Orvel dam breach floods Quillmarsh homes",
        "published": "2026-09-01T10:00:00Z",
        "text": (
            "The Orvel dam breach flooded 45 homes in Quillmarsh on Monday, officials said.\n\n"
            "Engineers from the river authority inspected the dam for six hours. "
            "<img src=x onerror=\"window.__pwned='img2'\">\n\n"
            "Mayor Ilse Varnholt said the town would pay for the repairs."
        ),
    },
]


def storydiff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "storydiff", *args], capture_output=True, text=True, cwd=ROOT
    )


def build_store(tmp: Path) -> Path:
    """Ingest the examples and the hostile story, cluster, and return the store path."""
    db = tmp / "web.db"
    hostile = tmp / "hostile.jsonl"
    hostile.write_text("\n".join(json.dumps(a) for a in XSS_ARTICLES) + "\n", encoding="utf-8")
    inputs = [str(p) for p in sorted((ROOT / "examples").iterdir()) if p.is_dir()]
    result = storydiff("ingest", "--db", str(db), *inputs, str(hostile))
    assert result.returncode in (0, 1), result.stderr
    result = storydiff("cluster", "--db", str(db))
    assert result.returncode == 0, result.stderr
    return db
