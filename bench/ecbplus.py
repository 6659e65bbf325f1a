"""ECB+ documents as storydiff articles, the way ``../shared/data/story-gold/*.jsonl`` were made.

Each ECB+ XML file is a tokenised news document; its first sentence becomes the title and the other sentences
the body, one paragraph each. ``detokenize`` reproduces the shared story-gold texts character for character
(checked by ``check_shared``), so gold snippets written against these texts match storydiff's reports.

Usage:
    python bench/ecbplus.py story 1_1ecb 1_3ecb ... > story.jsonl   # one JSON Lines story
    python bench/ecbplus.py check                                   # the shared story-gold texts are reproduced
"""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
ECB_DIR = DATA / "ecbplus" / "ECB+"
STORY_GOLD = DATA / "story-gold"

_CLITIC = re.compile(r" (n't|'s|'re|'ve|'m|'ll|'d)\b")


def detokenize(tokens: Iterable[str]) -> str:
    """ECB+ tokens joined as running text: PTB quotes to '"', no space before closing punctuation or clitics."""
    text = " ".join(tokens)
    text = re.sub(r"`` ?", '"', text)
    text = re.sub(r" ?''", '"', text)
    text = re.sub(r" ([.,;:!?%)\]])", r"\1", text)
    text = re.sub(r"([(\[$]) ", r"\1", text)
    return _CLITIC.sub(r"\1", text)


def document_path(name: str) -> Path:
    """``20_1ecb`` or ``20_1ecb.xml`` -> its file in the corpus."""
    stem = name.removesuffix(".xml")
    return ECB_DIR / stem.split("_")[0] / f"{stem}.xml"


def sentences(name: str) -> list[str]:
    root = ET.parse(document_path(name)).getroot()
    by_sentence: dict[int, list[str]] = defaultdict(list)
    for token in root.iter("token"):
        by_sentence[int(token.get("sentence", "0"))].append(token.text or "")
    return [detokenize(by_sentence[k]) for k in sorted(by_sentence)]


def record(name: str) -> dict[str, str]:
    """One document as a JSON Lines record (url, title, text, source) like the shared story-gold files."""
    stem = name.removesuffix(".xml")
    sents = sentences(stem)
    return {
        "url": f"ecb://{stem}.xml",
        "title": sents[0],
        "text": "\n\n".join(sents[1:]),
        "source": f"ecb-{stem}",
    }


def write_story(names: Iterable[str], path: Path) -> Path:
    path.write_text(
        "".join(json.dumps(record(n), ensure_ascii=False) + "\n" for n in names), encoding="utf-8"
    )
    return path


def check_shared() -> list[str]:
    """Names of shared story-gold documents this module does not reproduce exactly (empty: all match)."""
    bad: list[str] = []
    for story in sorted(STORY_GOLD.glob("*.jsonl")):
        for line in story.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            name = rec["url"].removeprefix("ecb://")
            if record(name) != rec:
                bad.append(name)
    return bad


def main(argv: list[str]) -> int:
    if argv[:1] == ["story"] and len(argv) > 1:
        for name in argv[1:]:
            sys.stdout.write(json.dumps(record(name), ensure_ascii=False) + "\n")
        return 0
    if argv == ["check"]:
        bad = check_shared()
        print("all shared story-gold texts reproduced" if not bad else f"differ: {bad}")
        return 1 if bad else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
