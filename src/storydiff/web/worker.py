"""Compare now's analysis in a child process, within a time and memory budget.

The web app never analyses on its event loop, and never in its own process: a comparison (extraction,
then the pipeline) runs in one worker process that keeps its models loaded between requests. The
parent waits in a thread and watches the clock and the worker's resident memory; past either budget it
kills the worker (its memory is returned at once, which a thread could not do) and answers 503. The next
comparison starts a fresh worker. One comparison runs at a time; a request that cannot get the worker
within ``wait_seconds`` is answered 503 (busy) rather than queued without end.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import os
import threading
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

log = logging.getLogger("storydiff.web")

COMPARE_JOB = "storydiff.web.worker:compare_job"


class WorkerError(Exception):
    """The worker could not give an answer: ``status`` 503 (busy, over budget) or 500 (it crashed)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _job(name: str) -> Callable[[Any], Any]:
    module, _, function = name.partition(":")
    return getattr(importlib.import_module(module), function)


def _serve(conn: Connection, job_name: str) -> None:
    """The worker's loop: one payload in, ("ok", result) or ("crash", traceback) out, until the pipe closes."""
    job = _job(job_name)
    while True:
        try:
            payload = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer: tuple[str, Any] = ("ok", job(payload))
        except Exception:  # noqa: BLE001 - a crash is reported to the parent, which logs it
            answer = ("crash", traceback.format_exc())
        conn.send(answer)


def resident_bytes(pid: int) -> int | None:
    """Resident memory of a process (Linux /proc); None where it cannot be read."""
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


class AnalysisWorker:
    """One child process running ``job`` (a "module:function" name) on payloads, within budgets."""

    def __init__(
        self,
        job: str = COMPARE_JOB,
        *,
        seconds: float = 120.0,
        memory_bytes: int | None = None,
        wait_seconds: float = 5.0,
        poll_seconds: float = 0.05,
    ) -> None:
        self.job = job
        self.seconds = seconds
        self.memory_bytes = memory_bytes
        self.wait_seconds = wait_seconds
        self.poll_seconds = poll_seconds
        self._lock = threading.Lock()
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None

    def run(self, payload: Any) -> Any:
        """The job's result for ``payload`` (blocking: call it from a thread). WorkerError when busy,
        over a budget, or when the job crashed."""
        if not self._lock.acquire(timeout=self.wait_seconds):
            raise WorkerError(503, "busy: another comparison is running; try again in a minute")
        try:
            return self._run(payload)
        finally:
            self._lock.release()

    def _run(self, payload: Any) -> Any:
        process, conn = self._start()
        conn.send(payload)
        deadline = time.monotonic() + self.seconds
        while not conn.poll(self.poll_seconds):
            if not process.is_alive():
                self._stop()
                raise WorkerError(500, "the comparison stopped unexpectedly (see the server log)")
            if time.monotonic() > deadline:
                self._stop()
                raise WorkerError(
                    503,
                    f"the comparison took longer than this server's limit of {self.seconds:.0f} s: compare fewer "
                    "or shorter articles here, or run 'storydiff compare' on the command line",
                )
            used = resident_bytes(process.pid) if self.memory_bytes and process.pid else None
            if used is not None and self.memory_bytes and used > self.memory_bytes:
                self._stop()
                raise WorkerError(
                    503,
                    f"the comparison needed more than this server's limit of {self.memory_bytes // 2**20} MB of "
                    "memory: compare fewer or shorter articles here, or run 'storydiff compare'",
                )
        try:
            status, result = conn.recv()
        except (EOFError, OSError):
            self._stop()
            raise WorkerError(500, "the comparison stopped unexpectedly (see the server log)") from None
        if status == "crash":
            log.error("comparison crashed in the worker:\n%s", result)
            raise WorkerError(
                500, "internal error during the comparison: this is a bug in storydiff (see the server log)"
            )
        return result

    def _start(self) -> tuple[multiprocessing.process.BaseProcess, Connection]:
        if self._process is not None and self._process.is_alive() and self._conn is not None:
            return self._process, self._conn
        self._stop()
        # spawn, not fork: the server has threads (and maybe loaded models); a fork would copy their state.
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        process = context.Process(
            target=_serve, args=(child, self.job), name="storydiff-compare", daemon=True
        )
        process.start()
        child.close()
        self._process, self._conn = process, parent
        return process, parent

    def _stop(self) -> None:
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join(timeout=10)
        if self._conn is not None:
            self._conn.close()
        self._process = self._conn = None

    def close(self) -> None:
        with self._lock:
            self._stop()


# --------------------------------------------------------------------------- the job


def compare_job(payload: tuple[list[Any], list[str], int]) -> dict[str, Any]:
    """Runs in the worker: extract the raw documents, then compare them.

    Returns {"problems": [...]} when an input fails or there are too few articles, else {"report": the
    report's JSON dict, "notices": warnings about the inputs (several stories mixed)}.
    """
    from storydiff import render
    from storydiff.analyse.pipeline import compare
    from storydiff.extract import extract
    from storydiff.stories.reports import mixed_stories_warning

    raws, problems, max_articles = payload
    articles = []
    for raw, source in raws:
        try:
            articles.append(extract(raw, source=source))
        except Exception as exc:  # noqa: BLE001 - extraction errors name the input and go on
            problems.append(f"{raw.origin}: {exc}")
    if not problems and len(articles) < 2:
        problems.append(f"give at least two articles to compare (got {len(articles)})")
    if not problems and len(articles) > max_articles:
        problems.append(f"at most {max_articles} articles at once (got {len(articles)})")
    if problems:
        return {"problems": problems}
    mixed = mixed_stories_warning(articles)
    return {"report": render.to_dict(compare(articles)), "notices": [mixed] if mixed else []}
