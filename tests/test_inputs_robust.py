"""Inputs that once stopped a batch or went silently wrong (issue 14), each reproduced on a small input.

Every text, outlet and person here is fictional.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from storydiff.cli import main
from storydiff.errors import EXIT_CRASH, EXIT_SOME_FAILED
from storydiff.extract import ExtractionError, extract
from storydiff.ingest import extract_inputs
from storydiff.model import Article, RawDocument
from storydiff.readers import ReadError, detect_format, read_inputs, read_path
from storydiff.readers.files import MAX_REASON_CHARS, expand_inputs
from tests.warcbuild import (
    MIB,
    PAGE,
    gzip_member,
    http_response,
    page_record,
    warc_record,
    write_claims_10_gib,
)

ARTICLE = [
    "The harbour lights at Marlow Point were switched back on on Thursday evening after three weeks of "
    "repairs, the Marlow harbour board said.",
    "Engineers replaced the cables that a storm had torn loose in February, and the ferry to Tessel Island "
    "will run to its winter timetable again from Saturday.",
    "The board's chair, Ines Varga, said the repairs had cost less than feared and thanked the crews who "
    "worked through two gales to finish them.",
]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def _articles(items: list[Article | ReadError]) -> list[Article]:
    return [i for i in items if isinstance(i, Article)]


def _errors(items: list[object]) -> list[ReadError]:
    return [i for i in items if isinstance(i, ReadError)]


def _good_text(folder: Path, name: str = "zz-last.txt") -> None:
    (folder / name).write_text("Harbour lights return\n\n" + "\n\n".join(ARTICLE) + "\n")


# --------------------------------------------------------------------------- feeds that crashed feedparser

RSS_HEAD = (
    '<?xml version="1.0"?><rss version="2.0" xmlns:psc="http://podlove.org/simple-chapters">'
    "<channel><title>Marlow Radio</title>"
)
BODY_HTML = "&lt;p&gt;" + "&lt;/p&gt;&lt;p&gt;".join(ARTICLE) + "&lt;/p&gt;"
SUMMARY_NONE = RSS_HEAD + "<item><title>Lights</title><description><content/></item></channel></rss>"
CHAPTER_WITHOUT_START = (
    RSS_HEAD + "<item><title>Harbour lights return</title><link>https://marlowradio.example/lights</link>"
    f"<description>{BODY_HTML}</description>"
    '<psc:chapters version="1.2"><psc:chapter title="Intro"/></psc:chapters></item></channel></rss>'
)
WIDTH_WITHOUT_VALUE = (
    RSS_HEAD + "<item><title>Harbour lights return</title><link>https://marlowradio.example/w</link>"
    f"<description>{BODY_HTML}<width/></description></item></channel></rss>"
)


def test_malformed_feeds_never_stop_the_batch(tmp_path: Path) -> None:
    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "a-summary-none.rss").write_text(SUMMARY_NONE)
    (folder / "b-summary-none.html").write_text(SUMMARY_NONE)  # an .html file sniffed as a feed
    (folder / "c-chapter.xml").write_text(CHAPTER_WITHOUT_START)
    (folder / "d-width.rss").write_text(WIDTH_WITHOUT_VALUE)
    _good_text(folder)
    code, out, err = run("extract", str(folder))
    assert code == EXIT_SOME_FAILED and "Traceback" not in err
    rows = [json.loads(line) for line in out.splitlines()]
    origins = sorted(Path(r["origin"]).name for r in rows)
    # The feeds feedparser raised on are read once more without the markup it chokes on.
    assert origins == ["c-chapter.xml#1", "d-width.rss#1", "zz-last.txt"]
    assert all(ARTICLE[1] in r["text"] for r in rows)
    assert "a-summary-none.rss#1: feed entry has no content or summary" in err
    assert "b-summary-none.html#1: feed entry has no content or summary" in err


def test_a_reader_bug_is_an_error_for_its_input_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from storydiff.readers import feed

    def broken(path: str, data: bytes, **_: object) -> object:
        raise RuntimeError("x" * 10_000)

    monkeypatch.setattr(feed, "read_feed", broken)
    (tmp_path / "a.rss").write_text(CHAPTER_WITHOUT_START)
    _good_text(tmp_path)
    items = list(read_inputs([str(tmp_path)]))
    (error,) = _errors(items)
    assert error.origin.endswith("a.rss") and "RuntimeError" in error.reason
    assert len(error.reason) <= MAX_REASON_CHARS
    assert [Path(i.origin).name for i in items if isinstance(i, RawDocument)] == ["zz-last.txt"]


def test_a_crash_exits_3_not_1(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import storydiff.ingest

    def crash(*args: object, **kwargs: object) -> object:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(storydiff.ingest, "extract_inputs", crash)
    _good_text(tmp_path)
    code, _, err = run("extract", str(tmp_path))
    assert code == EXIT_CRASH != EXIT_SOME_FAILED and "internal error" in err


def test_cdf_feed_is_a_feed(tmp_path: Path) -> None:
    cdf = (
        '<?xml version="1.0"?>\n<CHANNEL HREF="https://tesselgazette.example/">\n<TITLE>Tessel Gazette</TITLE>\n'
        '<ITEM HREF="https://tesselgazette.example/lights" LASTMOD="2026-03-05T09:00">\n'
        "<TITLE>Harbour lights return</TITLE>\n<ABSTRACT>"
        + " ".join(ARTICLE)
        + "</ABSTRACT>\n</ITEM>\n</CHANNEL>\n"
    )
    path = tmp_path / "channel.cdf"
    path.write_text(cdf)
    assert detect_format(str(path)) == "feed"
    (article,) = _articles(list(extract_inputs([str(path)])))
    assert article.url == "https://tesselgazette.example/lights" and article.source == "Tessel Gazette"
    assert ARTICLE[1] in article.text


# --------------------------------------------------------------------------- WARC


def _warc_items(path: Path, max_size: int = 20 * MIB) -> list[RawDocument | ReadError]:
    return list(read_path(str(path), max_size=max_size))


def _kinds(items: list[RawDocument | ReadError]) -> list[str]:
    return [type(i).__name__ for i in items]


def test_record_claiming_10_gib_in_ten_gzip_members_is_skipped_and_the_next_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.warc.gz"
    with path.open("wb") as out:
        claimed = write_claims_10_gib(out)
    assert claimed > 10 * 1024 * MIB and path.stat().st_size < 12 * MIB  # 10 GiB of body, ~11 MB on disk
    error, good = _warc_items(path)
    assert isinstance(error, ReadError) and error.origin.endswith("#1") and "size limit" in error.reason
    assert isinstance(good, RawDocument) and good.hints["url"] == "https://tessel-gazette.example/good"
    assert good.content == PAGE.encode()


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize(
    ("claim", "expected"),
    [
        (100, "shorter than the record"),
        (10**12, "claims 1000000000000 bytes"),
        (-5, "invalid Content-Length '-5'"),
        ("lots", "invalid Content-Length 'lots'"),
        ("+12", "invalid Content-Length '+12'"),
    ],
)
def test_lying_content_length_is_an_error_naming_the_record(
    tmp_path: Path, gz: bool, claim: int | str, expected: str
) -> None:
    block = http_response(PAGE)
    records = [
        page_record("https://marlow.example/first"),
        warc_record("https://marlow.example/liar", block, content_length=claim),
        page_record("https://marlow.example/after"),
    ]
    path = tmp_path / ("lies.warc.gz" if gz else "lies.warc")
    path.write_bytes(b"".join(gzip_member(r) for r in records) if gz else b"".join(records))
    first, error, after = _warc_items(path)
    assert isinstance(first, RawDocument) and first.content == PAGE.encode()
    assert isinstance(error, ReadError) and error.origin == f"{path}#2" and expected in error.reason
    assert "https://marlow.example/liar" in error.reason or "invalid" in error.reason
    assert isinstance(after, RawDocument) and after.hints["url"] == "https://marlow.example/after"
    assert after.content == PAGE.encode()  # never a silently cut page


def test_content_length_a_little_too_long_swallows_nothing(tmp_path: Path) -> None:
    block = http_response(PAGE)
    data = warc_record("https://marlow.example/long", block, content_length=len(block) + 300)
    path = tmp_path / "long.warc"
    path.write_bytes(data + page_record("https://marlow.example/after"))
    error, after = _warc_items(path)
    assert isinstance(error, ReadError) and "longer than the record" in error.reason
    assert isinstance(after, RawDocument) and after.hints["url"] == "https://marlow.example/after"


@pytest.mark.parametrize("size", [2 * MIB, 40 * MIB])
def test_long_junk_line_after_a_record_is_skipped_in_bounded_chunks(tmp_path: Path, size: int) -> None:
    path = tmp_path / "junk.warc"
    with path.open("wb") as out:
        out.write(page_record("https://marlow.example/first"))
        for _ in range(size // MIB):
            out.write(b"q" * MIB)  # one line, no line break
        out.write(b"\r\n" + page_record("https://marlow.example/after"))
    items = _warc_items(path)
    assert _kinds(items) == ["RawDocument", "ReadError", "RawDocument"]
    junk = items[1]
    assert isinstance(junk, ReadError) and "not a WARC record" in junk.reason
    assert len(junk.reason) <= MAX_REASON_CHARS and "q" * 41 not in junk.reason


def test_junk_gzip_member_and_damaged_member_do_not_hide_the_records_after_them(tmp_path: Path) -> None:
    first = gzip_member(page_record("https://marlow.example/first"))
    junk = gzip_member(b"z" * 300_000)
    damaged = gzip_member(page_record("https://marlow.example/damaged"))[:-30] + b"garbage"
    after = gzip_member(page_record("https://marlow.example/after"))
    path = tmp_path / "damaged.warc.gz"
    path.write_bytes(first + junk + damaged + after)
    items = _warc_items(path)
    urls = [i.hints["url"] for i in items if isinstance(i, RawDocument)]
    assert urls == ["https://marlow.example/first", "https://marlow.example/after"]
    assert len(_errors(items)) >= 2


def test_warc_errors_go_to_the_errors_file_in_one_short_line_each(tmp_path: Path) -> None:
    path = tmp_path / "junk.warc"
    path.write_bytes(page_record("https://marlow.example/a") + b"#" * 3 * MIB + b"\n" + b"\x00\xff" * 1000)
    errors = tmp_path / "errors.jsonl"
    code, out, err = run("extract", "--errors", str(errors), str(path))
    assert code == EXIT_SOME_FAILED and len(out.splitlines()) == 1
    assert len(err) < 2000 and errors.stat().st_size < 2000


# --------------------------------------------------------------------------- encodings and scripts

CHINESE = [
    "新港市市长周明远周三表示，跨江新大桥将于今年秋天正式通车，届时往返两岸的时间将缩短一半。",
    "居民抱怨施工噪音和交通拥堵，市议员要求政府公开全部工程费用，并解释为何工期一再推迟。",
    "渔民则担心大桥会影响港口的航道，渔业协会表示将在下月与交通部门再次会面。",
]
JAPANESE = [
    "北浜市の佐伯遥市長は水曜日、川に架かる新しい橋が今年の秋に開通すると発表した。",
    "住民は工事の騒音や渋滞に不満を持っており、市議会は費用の詳しい説明を求めている。",
    "漁業関係者は港への影響を心配しており、来月にも市と話し合う予定だという。",
]


@pytest.mark.parametrize("paragraphs", [CHINESE, JAPANESE], ids=["chinese", "japanese"])
def test_cjk_articles_are_read_in_every_format(tmp_path: Path, paragraphs: list[str]) -> None:
    (tmp_path / "a.txt").write_text("\n\n".join(paragraphs), encoding="utf-8")
    html = "<html><body><article>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article></body></html>"
    (tmp_path / "b.html").write_text(html, encoding="utf-8")
    record = {"url": "https://xingang.example/1", "title": "大桥", "text": "\n\n".join(paragraphs)}
    (tmp_path / "c.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    items = list(extract_inputs([str(tmp_path)]))
    assert not _errors(items), _errors(items)
    assert len(items) == 3 and all(paragraphs[1] in a.text for a in _articles(items))
    assert {a.language for a in _articles(items)} == {"zh" if paragraphs is CHINESE else "ja"}


def test_a_few_cjk_characters_are_still_too_short(tmp_path: Path) -> None:
    with pytest.raises(ExtractionError):
        extract(RawDocument("short.txt", "大桥通车".encode(), "text"))


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_files_without_bom_are_articles(tmp_path: Path, encoding: str) -> None:
    text = tmp_path / "story.txt"
    text.write_bytes(("Harbour lights return\n\n" + "\n\n".join(ARTICLE)).encode(encoding))
    page = tmp_path / "page.html"
    body = "".join(f"<p>{p}</p>" for p in CHINESE)
    page.write_bytes(f"<html><body><article>{body}</article></body></html>".encode(encoding))
    items = list(extract_inputs([str(text), str(page)]))
    assert not _errors(items), _errors(items)
    by_name = {Path(a.origin or "").name: a for a in _articles(items)}
    assert by_name["story.txt"].text.split("\n\n") == ARTICLE and CHINESE[2] in by_name["page.html"].text


def test_cp932_and_cp949_feeds_declared_as_their_standards(tmp_path: Path) -> None:
    japanese = (
        '<?xml version="1.0" encoding="Shift_JIS"?><rss version="2.0"><channel><title>北浜新報</title><item>'
        "<title>髙橋市議が①号線の工事を説明</title><description>"
        + "".join(f"&lt;p&gt;{p}&lt;/p&gt;" for p in JAPANESE)
        + "</description></item></channel></rss>"
    )
    korean = (
        '<?xml version="1.0" encoding="euc-kr"?><rss version="2.0"><channel><title>새항일보</title><item>'
        "<title>똠방각하 축제가 새항시에서 열렸다</title><description>"
        "새항시 시장은 수요일 강을 가로지르는 새 다리가 올해 가을에 개통된다고 밝혔다. 주민들은 공사 소음과 "
        "교통 체증에 불만을 나타냈고, 시의회는 공사 비용에 대한 설명을 요구했다.</description></item></channel></rss>"
    )
    (tmp_path / "kitahama.rss").write_bytes(japanese.encode("cp932"))
    (tmp_path / "saehang.rss").write_bytes(korean.encode("cp949"))
    ja, ko = _articles(list(extract_inputs([str(tmp_path)])))
    assert ja.title == "髙橋市議が①号線の工事を説明" and ja.source == "北浜新報" and JAPANESE[0] in ja.text
    assert (
        ko.title == "똠방각하 축제가 새항시에서 열렸다" and ko.source == "새항일보" and "시의회는" in ko.text
    )


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Le maire de Valmorin a été réélu à la tête du conseil, a déclaré la préfecture.", "latin-1"),
        ("Wójt gminy Żółkiewka podpisał umowę na budowę mostu, powiedział sąd w Łódź.", "cp1250"),
        ("Wójt gminy Żółkiewka podpisał umowę na budowę mostu, powiedział sąd w Łódź.", "iso8859-2"),
        ("Belediye başkanı Şükrü Gündoğdu Çarşamba günü istifa ettiğini açıkladı.", "cp1254"),
    ],
)
def test_legacy_single_byte_texts_are_not_mojibake(tmp_path: Path, text: str, encoding: str) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(f"{text}\n\n{text}".encode(encoding))
    (article,) = _articles(list(extract_inputs([str(path)])))
    assert article.text.startswith(text)


def test_nul_and_control_characters_are_cleaned_before_parsing(tmp_path: Path) -> None:
    page = "<html><body><article>" + "".join(f"<p>{p}</p>" for p in ARTICLE) + "</article></body></html>"
    dirty = page.replace("harbour", "harb\x00our").replace("Engineers", "Engi\x1bneers\x07")
    (tmp_path / "page.html").write_text(dirty)
    (tmp_path / "story.txt").write_text("Harbour lights\n\n" + "\n\n".join(ARTICLE).replace(" ", " \x00", 3))
    record = {"url": "https://marlow.example/j", "text": "\n\n".join(ARTICLE).replace("board", "bo\x00ard")}
    (tmp_path / "rec.jsonl").write_text(json.dumps(record) + "\n")
    items = list(extract_inputs([str(tmp_path)]))
    assert not _errors(items), _errors(items)
    for article in _articles(items):
        assert "\x00" not in article.text and "\x1b" not in article.text and ARTICLE[2] in article.text


# --------------------------------------------------------------------------- folders


def test_folder_filter_matches_whole_project_file_names(tmp_path: Path) -> None:
    for name in ("changelog.blog.zwischenbilanz.html", "readme-ferry-timetable.txt", "license-plates.html"):
        (tmp_path / name).write_text("<p>x</p>")
    for name in ("README", "README.md", "LICENSE", "LICENSE.txt", "CHANGELOG.md", "AUTHORS.rst", "COPYING"):
        (tmp_path / name).write_text("project file")
    found = sorted(Path(p).name for p in expand_inputs([str(tmp_path)]) if isinstance(p, str))
    assert found == [
        "changelog.blog.zwischenbilanz.html",
        "license-plates.html",
        "readme-ferry-timetable.txt",
    ]


# --------------------------------------------------------------------------- text that arrives as text

REPORTERS = ["Ada Quill", "Bram Oster", "Cora Vance", "Dev Halloran", "Esme Trask", "Fen Ruddock"]


def _widget(reporter: str) -> str:
    """A newspaper CMS's email notification widget, flattened into one line as scrapers keep it."""
    return (
        f"Close Get email notifications on {reporter} daily! Whenever {reporter} posts new content, you'll get "
        "an email delivered to your inbox with a link. Email notifications are only sent once a day, and only "
        "if there are new matching items. Your notification has been saved. There was a problem saving your "
        "notification. Followed notifications Please log in to use this feature Log In Don't have an account? "
        "Sign Up Today"
    )


def test_boilerplate_only_record_is_an_error_not_an_article(tmp_path: Path) -> None:
    record = {
        "url": "https://marlowherald.example/x",
        "source": "Marlow Herald",
        "text": _widget("Ada Quill"),
    }
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(record) + "\n")
    (error,) = list(extract_inputs([str(path)]))
    assert isinstance(error, ReadError) and error.origin == f"{path}#1"
    assert error.reason.startswith("only site boilerplate") and len(error.reason) < 120


def test_widget_records_across_outlets_never_become_articles(tmp_path: Path) -> None:
    stories = [
        ("Ferry timetable changes", ARTICLE),
        (
            "Quay market reopens",
            [
                "The covered market on Marlow quay reopened on Monday after a month of roof repairs, with all but "
                "two of its forty stalls trading again.",
                "Traders said the first morning was busier than a usual Saturday, and the council waived a week "
                "of rent to make up for the closure.",
            ],
        ),
        (
            "Lifeboat crew honoured",
            [
                "Four members of the Tessel Island lifeboat crew received bravery awards on Friday for a night "
                "rescue of two anglers cut off by the tide in November.",
                "The coxswain, Rhoswen Pike, said the whole station deserved the medal and that the anglers had "
                "done the right thing by calling early.",
            ],
        ),
    ]
    footer = "The Marlow Herald is published by the Quayside Press Cooperative."
    records = []
    for number, reporter in enumerate(REPORTERS):
        outlet = ("Marlow Herald", "Tessel Gazette", "Ruddock Valley News")[number % 3]
        records.append(
            {"url": f"https://news{number}.example/w", "source": outlet, "text": _widget(reporter)}
        )
    for number, (title, body) in enumerate(stories):
        # Multi-line variant: the widget after the article, one sentence a line, plus the outlet's footer.
        widget_lines = "\n".join(
            [
                "Close",
                f"Get email notifications on {REPORTERS[number]} daily!",
                "Your notification has been saved.",
            ]
        )
        text = "\n\n".join(body) + "\n" + widget_lines + "\n" + footer
        records.append(
            {
                "url": f"https://marlowherald.example/{number}",
                "source": "Marlow Herald",
                "title": title,
                "text": text,
            }
        )
    path = tmp_path / "crawl.jsonl.gz"
    path.write_bytes(gzip.compress(("\n".join(json.dumps(r) for r in records) + "\n").encode()))
    items = list(extract_inputs([str(path)]))
    errors = _errors(items)
    assert len(errors) == len(REPORTERS) and all(e.reason.startswith("only site boilerplate") for e in errors)
    articles = _articles(items)
    assert [a.title for a in articles] == [title for title, _ in stories]
    for article, (_, body) in zip(articles, stories, strict=True):
        assert article.text.split("\n\n") == body  # widget lines and the repeated footer are gone


def test_pasted_text_of_only_chrome_is_refused() -> None:
    pasted = "Home | News | Sport\nSign in\n" + _widget("Ada Quill") + "\nShare on Facebook\n"
    with pytest.raises(ExtractionError, match="only site boilerplate"):
        extract(RawDocument("pasted text 1", pasted, "text"))


def test_feed_entries_go_through_the_line_classifier(tmp_path: Path) -> None:
    entry = (
        BODY_HTML + "&lt;p&gt;Share on Facebook&lt;/p&gt;&lt;p&gt;Your notification has been saved.&lt;/p&gt;"
    )
    feed = (
        RSS_HEAD + "<item><title>Harbour lights return</title><link>https://marlowradio.example/l</link>"
        f"<description>{entry}</description></item></channel></rss>"
    )
    path = tmp_path / "radio.rss"
    path.write_text(feed)
    (article,) = _articles(list(extract_inputs([str(path)])))
    assert article.text.split("\n\n") == ARTICLE


def test_gzip_stdin_like_data_is_read_too() -> None:
    data = gzip_member(page_record("https://marlow.example/a"))
    (doc,) = list(read_path("-", data=data))
    assert isinstance(doc, RawDocument) and doc.hints["url"] == "https://marlow.example/a"
    assert io.BytesIO(data).read(2) == b"\x1f\x8b"
