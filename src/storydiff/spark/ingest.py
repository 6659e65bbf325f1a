"""Spark ingest: inputs -> ``articles`` and ``errors`` Parquet tables.

The same readers and ``extract`` as ``storydiff ingest`` run inside ``mapPartitions``; a record that
fails becomes a row of the errors table and the job goes on.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from storydiff.model import Article, RawDocument
from storydiff.readers.files import DEFAULT_MAX_SIZE

ARTICLE_FIELDS = [
    "id",
    "seq",
    "source",
    "url",
    "title",
    "byline",
    "published",
    "language",
    "text",
    "origin",
    "raw",
    "raw_format",
]
PARQUET_SUFFIXES = (".parquet", ".parq")


@dataclass(slots=True)
class IngestSummary:
    articles: int
    duplicates: int
    errors: int


def local_path(uri: str) -> str:
    """``file:/x/y`` -> ``/x/y`` so origins read like the local engine's; other schemes unchanged."""
    if uri.startswith("file://"):
        return uri[len("file://") :]
    if uri.startswith("file:"):
        return uri[len("file:") :]
    return uri


def _origin_key(origin: str) -> tuple[str, int]:
    path, _, record = origin.rpartition("#")
    if path and record.isdigit():
        return path, int(record)
    return origin, 0


def _order_key(article: dict[str, Any], position: dict[str, int]) -> tuple[bool, int, str, int]:
    """Input order as the local engine numbers it: files in argument/folder-walk order, records in file
    order, plain-text files after the others (the local engine holds them back for boilerplate removal)."""
    path, record = _origin_key(article["origin"] or "")
    return article["raw_format"] == "text", position.get(path, len(position)), path, record


def is_local(uri: str) -> bool:
    return "://" not in uri or uri.startswith("file:")


def expand_local(inputs: list[str]) -> tuple[list[str], list[dict[str, str]]]:
    """Local files of the inputs, expanded exactly as ``storydiff ingest`` expands them (same folder
    walk order, README/LICENSE and plain .json left out), and the read errors of missing ones."""
    from storydiff.readers import ReadError
    from storydiff.readers.files import expand_inputs

    files, errors = [], []
    for item in expand_inputs(local_path(i) for i in inputs):
        if isinstance(item, ReadError):
            errors.append({"origin": item.origin, "stage": "read", "reason": item.reason})
        else:
            files.append(item)
    return files, errors


def extract_files(
    rows: Iterable[Any], *, fmt: str | None, source: str | None, max_size: int
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(path, content) rows -> ("article", fields) or ("error", fields); never raises."""
    from storydiff.readers import read_path

    for row in rows:
        path = local_path(row["path"])
        try:
            records = read_path(path, format=fmt, max_size=max_size, data=bytes(row["content"]))
            yield from _extract_records(records, source=source)
        except Exception as exc:  # noqa: BLE001 - a bad file is reported, never fatal
            yield "error", {"origin": path, "stage": "read", "reason": f"{type(exc).__name__}: {exc}"}


def extract_table_rows(
    rows: Iterable[Any], *, table: str, source: str | None
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Rows of a Parquet export (news-please-like columns) -> articles or errors."""
    from storydiff.readers.jsonl import record_hints

    def documents() -> Iterator[RawDocument | Exception]:
        for number, row in enumerate(rows, start=1):
            record = {k: v for k, v in row.asDict().items() if isinstance(v, str | int | float | list | None)}
            origin = f"{table}#{record.get('__row', number)}"
            hints = record_hints(record)
            if not hints["text"] and not hints["html"]:
                yield ValueError(f"{origin}: record has no text (expected a text, maintext or html field)")
                continue
            content = json.dumps(record, ensure_ascii=False, default=str).encode()
            yield RawDocument(origin=origin, content=content, format="json", hints=hints)

    yield from _extract_records(documents(), source=source)


def _extract_records(records: Iterable[Any], *, source: str | None) -> Iterator[tuple[str, dict[str, Any]]]:
    from storydiff.extract import extract
    from storydiff.readers import ReadError

    for item in records:
        if isinstance(item, ReadError):
            yield "error", {"origin": item.origin, "stage": "read", "reason": item.reason}
            continue
        if isinstance(item, Exception):
            origin, _, reason = str(item).partition(": ")
            yield "error", {"origin": origin, "stage": "read", "reason": reason}
            continue
        try:
            article = extract(item, source=source)
        except Exception as exc:  # noqa: BLE001 - extraction failure of one record
            yield (
                "error",
                {"origin": item.origin, "stage": "extract", "reason": str(exc) or type(exc).__name__},
            )
            continue
        yield "article", article_row(article)


def article_row(article: Article) -> dict[str, Any]:
    data = article.to_dict(include_raw=True)
    data["seq"] = 0
    return {name: data.get(name) for name in ARTICLE_FIELDS}


def row_article(row: Any) -> Article:
    data = row if isinstance(row, dict) else row.asDict()
    raw = data.get("raw")
    return Article(
        id=data["id"],
        source=data["source"],
        text=data["text"],
        title=data.get("title"),
        url=data.get("url"),
        byline=data.get("byline"),
        published=data.get("published"),
        language=data.get("language"),
        origin=data.get("origin"),
        raw=bytes(raw) if raw is not None else None,
        raw_format=data.get("raw_format"),
    )


def article_schema() -> Any:
    from pyspark.sql.types import BinaryType, LongType, StringType, StructField, StructType

    fields = []
    for name in ARTICLE_FIELDS:
        kind = LongType() if name == "seq" else BinaryType() if name == "raw" else StringType()
        fields.append(StructField(name, kind, nullable=name not in ("id", "seq", "source", "text")))
    return StructType(fields)


def error_schema() -> Any:
    from pyspark.sql.types import StringType, StructField, StructType

    return StructType([StructField(n, StringType()) for n in ("origin", "stage", "reason")])


def ingest(
    spark: Any,
    inputs: list[str],
    out: str,
    *,
    fmt: str | None = None,
    source: str | None = None,
    max_size: int = DEFAULT_MAX_SIZE,
) -> IngestSummary:
    """Read every input (files, directories, globs, Parquet tables; any Hadoop-compatible URI) into
    ``out/articles`` and ``out/errors``. Articles are deduplicated by id and numbered (``seq``) in
    input order (path, then record number), as the local engine numbers them."""
    tables = [i for i in inputs if fmt == "parquet" or i.rstrip("/").endswith(PARQUET_SUFFIXES)]
    local, read_errors = expand_local([i for i in inputs if i not in tables and is_local(i)])
    remote = [i for i in inputs if i not in tables and not is_local(i)]
    position = {os.path.abspath(path): n for n, path in enumerate(local)}
    results = spark.sparkContext.parallelize([("error", e) for e in read_errors], 1)
    for files, recursive in ((local, "false"), (remote, "true")):
        if not files:
            continue
        frame = (
            spark.read.format("binaryFile")
            .option("recursiveFileLookup", recursive)
            .load([os.path.abspath(f) if is_local(f) else f for f in files])
            .select("path", "content")
        )
        results = results.union(
            frame.rdd.mapPartitions(
                lambda rows: extract_files(
                    rows, fmt=None if fmt == "parquet" else fmt, source=source, max_size=max_size
                )
            )
        )
    for table in tables:
        frame = spark.read.parquet(table)
        name = local_path(table)
        results = results.union(
            frame.rdd.mapPartitions(
                lambda rows, name=name: extract_table_rows(rows, table=name, source=source)
            )
        )
    results = results.cache()
    errors = results.filter(lambda kv: kv[0] == "error").map(lambda kv: kv[1])
    # Number articles in input order; keep the first of each id (re-ingest and duplicates are no-ops).
    ordered = (
        results.filter(lambda kv: kv[0] == "article")
        .map(lambda kv: kv[1])
        .sortBy(lambda a: _order_key(a, position))
    )
    firsts = (
        ordered.zipWithIndex()
        .map(lambda ai: (ai[0]["id"], (ai[1], ai[0])))
        .reduceByKey(lambda x, y: x if x[0] <= y[0] else y)
        .map(lambda kv: {**kv[1][1], "seq": kv[1][0] + 1})
    )
    article_frame = spark.createDataFrame(
        firsts.map(lambda a: tuple(a[f] for f in ARTICLE_FIELDS)), article_schema()
    )
    article_frame.write.mode("overwrite").parquet(f"{out}/articles")
    error_frame = spark.createDataFrame(
        errors.map(lambda e: (e["origin"], e["stage"], e["reason"])), error_schema()
    )
    error_frame.write.mode("overwrite").parquet(f"{out}/errors")
    total = ordered.count()
    written = spark.read.parquet(f"{out}/articles").count()
    error_count = spark.read.parquet(f"{out}/errors").count()
    results.unpersist()
    return IngestSummary(articles=written, duplicates=total - written, errors=error_count)
