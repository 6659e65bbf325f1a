"""Fuzzing the readers, and WARC reading time and memory against file size whatever the headers claim.

1. In process: N mutants of each seed format (tests/fuzzing.py: byte flips, spliced tokens such as lying
   Content-Lengths, gzip headers, NULs, broken feed markup, cuts and splices), each read and extracted;
   counted: inputs tried, articles, errors, tracebacks (an exception escaping, or a broken promise: an
   over-long reason, control characters or lone surrogates in an article). Fixed seed: the same inputs
   every run.
2. The whole CLI: ``storydiff extract`` on a folder of mutants of every format: tracebacks on stderr and the
   exit status (0 or 1 expected: never 3).
3. WARC table: ``storydiff extract`` (whole process, start-up included) on WARCs growing tenfold: a long junk
   line after a record, records whose Content-Length lies (too short, 10^12, negative), and a gzip record
   claiming its body spans members of 1, 10 and 100 GiB; seconds, MB/s of file, peak memory, for our reader
   alone in its own process (start-up subtracted) and for the whole command. Goal: peak memory < 1 GB and
   time linear in file bytes. Baseline in the same run: warcio (the reader storydiff used before) iterating
   the same files in its own process, under a 4 GB address-space limit and a time limit.

Usage: python bench/bench_fuzz.py [--inputs N] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests.fuzzing import SEEDS, check, mutate  # noqa: E402
from tests.warcbuild import MIB, http_response, page_record, warc_record, write_claims_10_gib  # noqa: E402

STORYDIFF = Path(sys.executable).with_name("storydiff")
SEED = 20260305
WARCIO_TIMEOUT = 60

# Runs a command and reports its peak resident memory (the child's, not ours).
_MEASURE = (
    "import resource, subprocess, sys, time\n"
    "limit = int(sys.argv[1])\n"
    "def cap():\n"
    "    if limit: resource.setrlimit(resource.RLIMIT_AS, (limit, limit))\n"
    "start = time.perf_counter()\n"
    "try:\n"
    "    done = subprocess.run(sys.argv[3:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,"
    " timeout=float(sys.argv[2]), preexec_fn=cap)\n"
    "    code, err = done.returncode, done.stderr\n"
    "except subprocess.TimeoutExpired:\n"
    "    code, err = 'timeout', b''\n"
    "wall = time.perf_counter() - start\n"
    "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
    "print(code, wall, rss, err.count(b'Traceback'), len(err))\n"
)

# Our reader alone in its own process (light start-up), to see how reading time grows with the file.
_READER = (
    "import sys\nfrom storydiff.readers import read_path\nprint(sum(1 for _ in read_path(sys.argv[1])))\n"
)

_WARCIO = (
    "import sys\n"
    "from warcio.archiveiterator import ArchiveIterator\n"
    "n = 0\n"
    "with open(sys.argv[1], 'rb') as f:\n"
    "    for record in ArchiveIterator(f):\n"
    "        record.content_stream().read()\n"
    "        n += 1\n"
    "print(n)\n"
)


def measure(
    command: list[str], *, timeout: float = 600, memory_limit: int = 0
) -> tuple[str, float, float, int, int]:
    """(exit status, wall seconds, peak RSS in MB, tracebacks on stderr, stderr bytes) of a whole process."""
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(memory_limit), str(timeout), *command],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return out[0], float(out[1]), float(out[2]), int(out[3]), int(out[4])


# --------------------------------------------------------------------------- 1. in process


def fuzz_in_process(per_format: int) -> int:
    rng = random.Random(SEED)
    others = [data for _, data in SEEDS.values()]
    tried: Counter[str] = Counter()
    articles: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    broken: Counter[str] = Counter()
    shown = 0
    started = time.perf_counter()
    for fmt, (name, seed) in sorted(SEEDS.items()):
        for _ in range(per_format):
            data = mutate(seed, rng, others=others)
            tried[fmt] += 1
            try:
                outcome = check(name, data)
            except BaseException:  # noqa: BLE001 - counting exactly these is the point
                broken[fmt] += 1
                if shown < 3:
                    shown += 1
                    print(f"--- traceback on a mutant of {fmt} ({len(data)} bytes):")
                    traceback.print_exc(limit=6, file=sys.stdout)
                continue
            articles[fmt] += outcome.articles
            errors[fmt] += outcome.errors
    seconds = time.perf_counter() - started
    print(f"{'format':12} {'inputs':>7} {'articles':>9} {'errors':>7} {'tracebacks':>10}")
    for fmt in sorted(tried):
        print(f"{fmt:12} {tried[fmt]:7} {articles[fmt]:9} {errors[fmt]:7} {broken[fmt]:10}")
    total = sum(broken.values())
    print(
        f"{'all':12} {sum(tried.values()):7} {sum(articles.values()):9} {sum(errors.values()):7} {total:10}"
        f"   ({sum(tried.values()) / seconds:.0f} inputs/s; goal 0 tracebacks: {'met' if not total else 'NOT met'})"
    )
    return total


# --------------------------------------------------------------------------- 2. the CLI


def fuzz_cli(per_format: int, folder: Path) -> int:
    rng = random.Random(SEED + 1)
    others = [data for _, data in SEEDS.values()]
    folder.mkdir()
    count = 0
    for fmt, (name, seed) in sorted(SEEDS.items()):
        for number in range(per_format):
            (folder / f"{fmt}-{number:03d}-{name}").write_bytes(mutate(seed, rng, others=others))
            count += 1
    code, wall, rss, tracebacks, _ = measure([str(STORYDIFF), "extract", str(folder)])
    ok = code in ("0", "1") and not tracebacks
    print(
        f"storydiff extract on {count} mutant files: exit {code}, {tracebacks} tracebacks, {wall:.1f} s, "
        f"peak {rss:.0f} MB ({'met' if ok else 'NOT met'}: exit 0/1 and no traceback)"
    )
    return 0 if ok else 1


# --------------------------------------------------------------------------- 3. WARC table


def _junk_line(path: Path, mebibytes: int) -> None:
    with path.open("wb") as out:
        out.write(page_record("https://marlow.example/first"))
        chunk = b"q" * MIB
        for _ in range(mebibytes):
            out.write(chunk)
        out.write(b"\r\n" + page_record("https://marlow.example/after"))


def _lying_records(path: Path, mebibytes: int) -> None:
    """1 MiB image responses (read, then skipped as not HTML) with, every tenth, one whose Content-Length
    lies (too short, 10^12 or negative), then one good page: the reading, not extraction, is timed."""
    block = http_response(b"\xff\xd8" + b"\x17" * MIB, content_type="image/jpeg")
    lies = [100, 10**12, -5]
    with path.open("wb") as out:
        for number in range(mebibytes):
            claim = lies[number // 10 % 3] if number % 10 == 9 else None
            out.write(warc_record(f"https://marlow.example/{number}.jpg", block, content_length=claim))
        out.write(page_record("https://marlow.example/last"))


def _huge_claim(path: Path, gibibytes: int) -> None:
    with path.open("wb") as out:
        write_claims_10_gib(out, members=max(gibibytes, 1), mebibytes_each=1024)


def warc_table(quick: bool, folder: Path) -> int:
    folder.mkdir()
    tiny = folder / "start-up.warc"
    tiny.write_bytes(page_record("https://marlow.example/only"))
    reader = [sys.executable, "-c", _READER]
    startup = min(measure([*reader, str(tiny)])[1] for _ in range(3))
    print(
        f"reader s: our reader alone in its own process, minus its start-up ({startup:.2f} s on a one-record "
        "WARC); extract s: the whole 'storydiff extract' command, start-up (several seconds here) included"
    )
    cases = [
        ("junk line", _junk_line, [10, 100] if quick else [10, 100, 1000], "MiB"),
        ("lying Content-Length", _lying_records, [10, 100] if quick else [10, 100, 1000], "MiB"),
        ("claims 1 GiB/member", _huge_claim, [1, 10] if quick else [1, 10, 100], "GiB body"),
    ]
    print(
        f"{'case':22} {'size':>11} {'file MB':>8} {'reader s':>8} {'MB/s':>6} {'peak MB':>8} {'extract s':>9}"
        f" {'peak MB':>8}   warcio (4 GB cap, {WARCIO_TIMEOUT} s)"
    )
    worst_rss = 0.0
    rates: dict[str, list[float]] = {}
    for label, build, sizes, unit in cases:
        for size in sizes:
            path = folder / f"{label.replace(' ', '-').replace('/', '-')}-{size}.warc"
            if unit == "GiB body":
                path = path.with_suffix(".warc.gz")
            build(path, size)
            megabytes = path.stat().st_size / 1e6
            _, read_wall, read_rss, _, _ = measure([*reader, str(path)])
            code, wall, rss, tracebacks, err_bytes = measure([str(STORYDIFF), "extract", str(path)])
            base = measure(
                [sys.executable, "-c", _WARCIO, str(path)], timeout=WARCIO_TIMEOUT, memory_limit=4 * 1024**3
            )
            reading = max(read_wall - startup, 0.005)
            print(
                f"{label:22} {size:>5} {unit:<5} {megabytes:8.1f} {reading:8.2f} {megabytes / reading:6.0f} "
                f"{read_rss:8.0f} {wall:9.2f} {rss:8.0f}   exit {base[0]}, {base[1]:.1f} s, peak {base[2]:.0f} MB"
                f"   (extract: exit {code}, {tracebacks} tracebacks, stderr {err_bytes} bytes)"
            )
            worst_rss = max(worst_rss, rss, read_rss)
            rates.setdefault(label, []).append(reading / megabytes)
            path.unlink()
    print(
        f"peak memory over all WARCs: {worst_rss:.0f} MB (goal < 1000 MB: {'met' if worst_rss < 1000 else 'NOT met'})"
    )
    for label, per_mb in rates.items():
        # Below ~0.1 s the start-up's noise dominates: the two largest sizes show how reading time grows.
        growth = per_mb[-1] / per_mb[-2] if len(per_mb) > 1 else 1.0
        print(
            f"  {label}: reading seconds per MB, largest vs next size: x{growth:.2f} (linear: about 1 or less)"
        )
    return 0 if worst_rss < 1000 else 1


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--inputs", type=int, default=400, help="mutants per seed format (in process)")
    parser.add_argument("--quick", action="store_true", help="smaller files and fewer inputs")
    args = parser.parse_args(argv)
    per_format = 60 if args.quick else args.inputs
    print(f"seed formats: {', '.join(sorted(SEEDS))}; random seed {SEED}")
    tracebacks = fuzz_in_process(per_format)
    with tempfile.TemporaryDirectory(prefix="bench-fuzz-") as tmp:
        cli_failed = fuzz_cli(10 if args.quick else 40, Path(tmp) / "mutants")
        warc_failed = warc_table(args.quick, Path(tmp) / "warcs")
    print(
        json.dumps({"tracebacks": tracebacks, "cli_goal_missed": cli_failed, "warc_goal_missed": warc_failed})
    )
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    raise SystemExit(main(sys.argv[1:]))
