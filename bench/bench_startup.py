"""Start-up of the CLI, whole process: `storydiff --help` and `storydiff extract` beside a bare trafilatura
process on the same page(s), in the same run.

Baseline: ``python -c "import trafilatura; trafilatura.extract(page)"`` (one process, the same pages, read
the same way). Each command runs ROUNDS times, alternating with its baseline; the figures are the median
wall time, CPU time (user + system of the child) and peak RSS (ru_maxrss of the child, from wait4).
Goal (issue 13): `--help` and `extract` on one page within 1.3x of the baseline.

Also checks language detection's two shortcuts on every text of ECB+, NAnCo and the extraction pages: the
English test (storydiff.extract.meta.clearly_english) must never say English where py3langid does not, and
the unpacked, memory-mapped model (storydiff.extract.langid_model) must give py3langid's answers. The model
is unpacked into the cache folder by the first process (the warm-up run here); the timed runs map it.

Data: ../shared/data/extraction-dev (95 real pages), ../shared/data/ecbplus, ../shared/data/nanco.
Run from the repo root: .venv/bin/python bench/bench_startup.py
"""

from __future__ import annotations

import glob
import json
import os
import statistics
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
PAGES = sorted(glob.glob(str(DATA / "extraction-dev" / "html" / "*.html.gz")))
BIN = Path(sys.executable).parent
STORYDIFF = str(BIN / "storydiff")
ROUNDS = 5
GOAL = 1.3

# The baseline reads pages as storydiff does (gzip by magic bytes) and extracts each with trafilatura.
BARE = (
    "import gzip, sys, trafilatura\n"
    "for path in sys.argv[1:]:\n"
    "    trafilatura.extract(gzip.open(path).read())\n"
)


def run(argv: list[str]) -> tuple[float, float, float]:
    """(wall s, cpu s, peak RSS MB) of one whole process."""
    import time

    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):  # 1: some page had no article, as trafilatura returning None
        raise RuntimeError(f"{argv[:3]} exited {proc.returncode}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def compare(name: str, ours: list[str], base: list[str], rounds: int = ROUNDS) -> float:
    """Print ours vs baseline (medians over alternating rounds); return the CPU ratio."""
    mine, theirs = [], []
    run(ours), run(base)  # warm the page cache and the .pyc files
    for _ in range(rounds):
        mine.append(run(ours))
        theirs.append(run(base))
    med = [statistics.median(col) for col in zip(*mine, strict=True)]
    bas = [statistics.median(col) for col in zip(*theirs, strict=True)]
    ratio_wall, ratio_cpu = med[0] / bas[0], med[1] / bas[1]
    print(
        f"{name:28} wall {med[0]:6.2f} s vs {bas[0]:5.2f} s ({ratio_wall:4.2f}x)  cpu {med[1]:6.2f} s vs "
        f"{bas[1]:5.2f} s ({ratio_cpu:4.2f}x)  peak RSS {med[2]:5.0f} MB vs {bas[2]:4.0f} MB "
        f"({med[2] / bas[2]:4.2f}x)  {'ok' if ratio_cpu <= GOAL else 'OVER GOAL'}"
    )
    return ratio_cpu


def english_shortcut() -> None:
    """The shortcut against py3langid on every real text we have (first 600 characters, as extraction)."""
    import py3langid

    from storydiff.extract.meta import clearly_english

    texts: list[tuple[str, str]] = []
    truth = json.loads((DATA / "extraction-dev" / "ground-truth.json").read_text())
    texts += [("extraction-dev", gold["articleBody"]) for gold in truth.values()]
    texts += [
        ("nanco", doc["content"])
        for doc in json.loads((DATA / "nanco" / "documents_recession.json").read_text())
    ]
    for question in json.loads((DATA / "nanco" / "nanco_dataset.json").read_text()):
        texts += [("nanco", answer["Paragraph"]) for answer in question["answers"]]
    for path in sorted(glob.glob(str(DATA / "ecbplus" / "ECB+" / "*" / "*.xml"))):
        tokens = [t.text or "" for t in ET.parse(path).getroot().iter("token")]
        texts.append(("ecbplus", " ".join(tokens)))
    from storydiff.extract.langid_model import classify

    fast = wrong = english = differ = 0
    for _, text in texts:
        sample = text[:600]
        answer = py3langid.classify(sample)
        lang = answer[0]
        english += lang == "en"
        differ += classify(sample) != answer  # the unpacked, mapped model must answer the same
        if clearly_english(sample):
            fast += 1
            wrong += lang != "en"
    print(f"Unpacked language model: {differ} of {len(texts)} texts answered differently from py3langid")
    print(
        f"English shortcut: {len(texts)} texts (ECB+, NAnCo, extraction pages), py3langid says en for "
        f"{english}; the shortcut decides {fast} ({fast / max(english, 1):.0%} of those), "
        f"{wrong} of them not English for py3langid"
    )


def main() -> int:
    if not PAGES:
        print(f"no pages under {DATA / 'extraction-dev'}; nothing to measure")
        return 0
    python = sys.executable
    print(f"baseline: a bare python process running trafilatura.extract on the same page(s); {ROUNDS} rounds")
    ratios = {
        "storydiff --help": compare(
            "storydiff --help", [STORYDIFF, "--help"], [python, "-c", BARE, PAGES[0]]
        ),
    }
    singles = [
        compare(f"extract, page {i + 1}", [STORYDIFF, "extract", p], [python, "-c", BARE, p])
        for i, p in enumerate(PAGES[:3])
    ]
    ratios["extract, one page (median)"] = statistics.median(singles)
    ratios[f"extract, {len(PAGES)} pages"] = compare(
        f"extract, {len(PAGES)} pages", [STORYDIFF, "extract", *PAGES], [python, "-c", BARE, *PAGES], rounds=3
    )
    print("CPU ratios vs bare trafilatura: " + ", ".join(f"{k} {v:.2f}x" for k, v in ratios.items()))
    english_shortcut()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
