"""The ingest path end to end: CLI commands, exit codes, idempotent re-ingest, kill -9 then resume."""

from __future__ import annotations

import gzip
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from storydiff.cli import main
from storydiff.ingest import extract_inputs
from storydiff.model import Article

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
STORYDIFF = Path(sys.executable).with_name("storydiff")

STORY = (
    "The Tessaly ferry ran aground outside Lunmouth harbour on Friday evening. All {n} passengers were "
    "taken ashore by lifeboat crews before midnight, the coastguard said in statement number {n}."
)


def write_inputs(folder: Path) -> None:
    folder.mkdir()
    (folder / "harbour-post.html").write_bytes((FIXTURES / "harbour-post.html").read_bytes())
    (folder / "gazette.txt").write_text("Ferry aground off Lunmouth\n\n" + STORY.format(n=212) + "\n")
    records = [
        {"url": f"https://lunmouthtimes.co.uk/{n}", "title": f"Ferry {n}", "text": STORY.format(n=n)}
        for n in range(3)
    ]
    (folder / "times.jsonl.gz").write_bytes(gzip.compress("\n".join(map(json.dumps, records)).encode()))


def write_bad_inputs(folder: Path) -> None:
    (folder / "broken.jsonl").write_text('{"text": "' + STORY.format(n=7) + '"}\n{oops\n')
    (folder / "empty.html").write_text("")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_extract_prints_one_json_object_per_article(tmp_path: Path) -> None:
    write_inputs(tmp_path / "in")
    code, out, err = run("extract", str(tmp_path / "in"))
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 5
    expected_keys = set(Article.__dataclass_fields__) - {"raw"}
    assert all(set(row) == expected_keys for row in rows)
    by_source = {row["source"]: row for row in rows}
    assert {"The Harbour Post", "gazette", "lunmouthtimes.co.uk"} <= set(by_source)
    assert by_source["gazette"]["title"] == "Ferry aground off Lunmouth"
    assert sorted(row["origin"].rsplit("#", 1)[-1] for row in rows if "times.jsonl" in row["origin"]) == [
        "1",
        "2",
        "3",
    ]


def test_extract_reports_failures_names_them_and_exits_1(tmp_path: Path) -> None:
    write_inputs(tmp_path / "in")
    write_bad_inputs(tmp_path / "in")
    errors = tmp_path / "errors.jsonl"
    code, out, err = run("extract", "--errors", str(errors), str(tmp_path / "in"))
    assert code == 1
    assert len(out.splitlines()) == 6  # the good record of broken.jsonl is kept
    failures = [json.loads(line) for line in errors.read_text().splitlines()]
    assert {(Path(f["origin"]).name, f["reason"][:12]) for f in failures} == {
        ("broken.jsonl#2", "not valid JS"),
        ("empty.html", "empty file"),
    }
    assert "broken.jsonl#2: not valid JSON" in err


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("extract")[0] == 2
    assert run("extract", "--format", "pdf", "x")[0] == 2
    assert run("ingest", "--max-size", "lots", "x")[0] == 2
    code, _, err = run("articles", "--db", str(tmp_path / "missing.db"))
    assert code == 2 and "no such store" in err


def test_extract_from_stdin_and_forced_format(tmp_path: Path) -> None:
    text = "Ferry aground\n\n" + STORY.format(n=9)
    result = CliRunner().invoke(main, ["extract", "--source", "Quay Weekly", "-"], input=text)
    assert result.exit_code == 0, result.stderr
    (row,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert row["source"] == "Quay Weekly" and row["origin"] == "-" and row["title"] == "Ferry aground"
    page = tmp_path / "page.txt"
    page.write_bytes((FIXTURES / "harbour-post.html").read_bytes())
    code, out, _ = run("extract", "--format", "text", str(page))
    row = json.loads(out)
    assert code == 0 and row["raw_format"] == "text" and "<p>" in row["text"]  # read as text, markup and all


def test_ingest_twice_is_a_no_op_and_articles_show_read_the_store(tmp_path: Path) -> None:
    write_inputs(tmp_path / "in")
    db = str(tmp_path / "store.db")
    code, _, err = run("ingest", "--db", db, str(tmp_path / "in"))
    assert code == 0 and "ingested 5, duplicates skipped 0, failed 0" in err
    code, _, err = run("ingest", "--db", db, str(tmp_path / "in"))
    assert code == 0 and "ingested 0, duplicates skipped 5, failed 0" in err
    code, out, _ = run("articles", "--db", db, "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(rows) == 5 and len({r["id"] for r in rows}) == 5
    code, out, _ = run("articles", "--db", db, "--source", "lunmouthtimes.co.uk", "--limit", "2")
    assert code == 0 and len(out.splitlines()) == 3  # header + 2 rows
    post = next(r for r in rows if r["source"] == "The Harbour Post")
    code, out, _ = run("show", "--db", db, "--json", post["id"][:10])
    assert code == 0 and json.loads(out)["title"] == "Crane collapse injures three at Port Vellin"
    code, out, _ = run("show", "--db", db, post["id"])
    assert code == 0 and "source:    The Harbour Post" in out and "The west dock stayed open." in out
    assert run("show", "--db", db, "0123456789abcdef")[0] == 1


def test_ingest_records_errors_in_the_store_and_exits_1(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    write_bad_inputs(folder)
    db = tmp_path / "store.db"
    code, _, err = run("ingest", "--db", str(db), str(folder))
    assert code == 1 and "ingested 1, duplicates skipped 0, failed 2" in err
    rows = sqlite3.connect(db).execute("SELECT origin FROM ingest_errors ORDER BY origin").fetchall()
    assert [Path(r[0]).name for r in rows] == ["broken.jsonl#2", "empty.html"]


QUAY_STORIES = [
    "The Tessaly ferry ran aground outside Lunmouth harbour on Friday evening, and lifeboat crews took all 212 "
    "passengers ashore before midnight, the coastguard said.",
    "Lunmouth council voted on Tuesday to close the old fish market on the east quay, ending ninety years of "
    "morning auctions there, after an engineer's report found its roof unsafe.",
    "A storm surge flooded the promenade at Lunmouth on Sunday night and left seaweed and shingle across the "
    "coast road, which stayed closed until the afternoon while crews cleared it.",
    "The Lunmouth lifeboat station will get a new all-weather boat next spring, the charity that runs it "
    "announced at its summer fair, after a public appeal raised the last third of the cost.",
]


def test_repeated_lines_across_text_files_of_one_outlet_are_dropped(tmp_path: Path) -> None:
    folder = tmp_path / "quay"
    folder.mkdir()
    promo = "Subscribe to the Quay Weekly newsletter for daily harbour news and offers"
    for n, story in enumerate(QUAY_STORIES):
        body = story + f" Officials will meet again on day {n + 1} to review the plan."
        (folder / f"story{n}.txt").write_text(f"Harbour story {n}\n\n{body}\n\n{promo}\n")
    articles = [a for a in extract_inputs([str(folder)]) if isinstance(a, Article)]
    assert len(articles) == 4
    assert all("Subscribe to the Quay Weekly" not in a.text for a in articles)
    assert all("review the plan" in a.text for a in articles)


def test_copies_of_one_article_keep_their_text(tmp_path: Path) -> None:
    """Three crawls of one story by one outlet share every line: that is the article, not boilerplate."""
    folder = tmp_path / "in"
    folder.mkdir()
    records = [
        {
            "url": f"https://lunmouthtimes.example/ferry?v={n}",
            "source": "Lunmouth Times",
            "text": STORY.format(n=n),
        }
        for n in range(3)
    ]
    (folder / "times.jsonl").write_text("\n".join(map(json.dumps, records)) + "\n")
    articles = [a for a in extract_inputs([str(folder)]) if isinstance(a, Article)]
    assert len(articles) == 3 and all("taken ashore by lifeboat crews" in a.text for a in articles)


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


@pytest.mark.slow
def test_kill_9_mid_ingest_then_resume_leaves_no_duplicates(tmp_path: Path) -> None:
    total = 3000
    source = tmp_path / "big.jsonl"
    with source.open("w") as out:
        for n in range(total):
            out.write(
                json.dumps(
                    {"url": f"https://quayweekly.com/{n}", "title": f"Item {n}", "text": STORY.format(n=n)}
                )
                + "\n"
            )
    db = tmp_path / "store.db"
    cmd = [str(STORYDIFF), "ingest", "--db", str(db), str(source)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while _count(db) < 100 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before it could be killed; make the input larger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = _count(db)
    assert 0 < partial < total
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"ingested {total - partial}, duplicates skipped {partial}, failed 0" in done.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute(
            "SELECT COUNT(*), COUNT(DISTINCT id), COUNT(DISTINCT url) FROM articles"
        ).fetchone() == (total, total, total)


def test_fetch_ingests_pages_from_a_local_server(tmp_path: Path) -> None:
    import functools
    import http.server
    import threading

    site = tmp_path / "site"
    site.mkdir()
    (site / "crane.html").write_bytes((FIXTURES / "harbour-post.html").read_bytes())
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        db = str(tmp_path / "store.db")
        code, _, err = run(
            "fetch",
            "--db",
            db,
            "--timeout",
            "5",
            "--allow-private",
            f"{base}/crane.html",
            f"{base}/missing.html",
        )
        assert code == 1 and "ingested 1, duplicates skipped 0, failed 1" in err and "HTTP 404" in err
        code, out, _ = run("articles", "--db", db, "--json")
        (row,) = [json.loads(line) for line in out.splitlines()]
        assert row["origin"] == f"{base}/crane.html" and row["source"] == "The Harbour Post"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_ingest_warc_and_feed_through_the_cli(tmp_path: Path) -> None:
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    folder = tmp_path / "in"
    folder.mkdir()
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    page = (FIXTURES / "harbour-post.html").read_bytes()
    writer.write_record(
        writer.create_warc_record(
            "https://harbourpost.co.uk/crane", "response", payload=io.BytesIO(page), http_headers=http
        )
    )
    (folder / "crawl.warc.gz").write_bytes(buffer.getvalue())
    (folder / "star.rss").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Vellin Evening Star</title><item>'
        "<title>Crane falls</title><link>https://eveningstar.co.uk/crane</link>"
        "<pubDate>Tue, 04 Mar 2025 11:00:00 GMT</pubDate><description>&lt;p&gt;A crane fell at the east dock on "
        "Tuesday.&lt;/p&gt;&lt;p&gt;Three workers were hurt.&lt;/p&gt;</description></item></channel></rss>"
    )
    code, out, err = run("extract", str(folder))
    assert code == 0, err
    rows = {row["url"]: row for row in map(json.loads, out.splitlines())}
    assert rows["https://harbourpost.co.uk/crane"]["origin"].endswith("crawl.warc.gz#1")
    star = rows["https://eveningstar.co.uk/crane"]
    assert star["source"] == "Vellin Evening Star" and star["published"] == "2025-03-04T11:00:00+00:00"
    assert star["text"] == "A crane fell at the east dock on Tuesday.\n\nThree workers were hurt."


def test_extraction_quality_on_real_pages(shared_data: Path) -> None:
    """A regression guard on 12 real pages of extraction-dev (the full figure is in bench_extract)."""
    import re
    from collections import Counter

    from storydiff.extract import extract
    from storydiff.model import RawDocument

    folder = shared_data / "extraction-dev"
    truth = json.loads((folder / "ground-truth.json").read_text())
    scores = []
    for page_id in sorted(truth)[:12]:
        raw = RawDocument(
            page_id, gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes()), "html"
        )
        gold = Counter(re.findall(r"\w+", truth[page_id]["articleBody"].lower()))
        got = Counter(re.findall(r"\w+", extract(raw).text.lower()))
        overlap = sum((gold & got).values())
        p, r = overlap / max(sum(got.values()), 1), overlap / max(sum(gold.values()), 1)
        scores.append(2 * p * r / (p + r) if p + r else 0.0)
    assert sum(scores) / len(scores) > 0.93
