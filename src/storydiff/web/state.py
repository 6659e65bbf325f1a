"""What every route of the web app shares: the store, the templates, Compare now's budget and worker."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from storydiff.model import Report
from storydiff.web.inputs import Budget, InputProblem, OverBudget, PastedArticle, gather
from storydiff.web.worker import AnalysisWorker, WorkerError

NO_STORE = "no store: start with 'storydiff serve --db PATH' after ingest and cluster"


@dataclass(slots=True)
class Comparison:
    """Compare now's answer: the report's JSON dict and notices about the inputs."""

    report: dict[str, Any]
    notices: list[str]


@dataclass
class WebState:
    db_path: Path | None
    templates: Jinja2Templates
    budget: Budget
    worker: AnalysisWorker

    @property
    def has_store(self) -> bool:
        return self.db_path is not None and self.db_path.exists()

    @contextmanager
    def store(self) -> Iterator[sqlite3.Connection]:
        """A connection to the store for one request (404 when the app has none)."""
        from storydiff.store import StoreError, connect

        if self.db_path is None or not self.db_path.exists():
            raise HTTPException(404, NO_STORE)
        try:
            conn = connect(self.db_path)
        except StoreError as exc:
            raise HTTPException(500, str(exc)) from exc
        try:
            yield conn
        finally:
            conn.close()

    def page(self, request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        return self.templates.TemplateResponse(request, name, context, status_code=status_code)

    def story_report(self, story_id: str) -> tuple[Report, dict[str, Any]]:
        """A stored story's report (cached, or computed and cached); 404 for an unknown story."""
        from storydiff.stories.reports import UnknownStory, story_report

        with self.store() as conn:
            try:
                return story_report(conn, story_id)
            except UnknownStory as exc:
                raise HTTPException(404, str(exc)) from exc

    async def compare(
        self, pasted: list[PastedArticle], uploads: list[tuple[str, bytes]], urls: list[str]
    ) -> Comparison:
        """Compare the inputs off the event loop: read and count them in a thread, extract and analyse
        in the worker. InputProblem (400) for bad inputs, OverBudget (413/503) past the budget."""
        raws, problems = await anyio.to_thread.run_sync(gather, pasted, uploads, urls, self.budget)
        try:
            result = await anyio.to_thread.run_sync(
                self.worker.run, (raws, problems, self.budget.max_articles), abandon_on_cancel=True
            )
        except WorkerError as exc:
            if exc.status == 503:
                raise OverBudget(503, exc.message) from exc
            raise HTTPException(exc.status, exc.message) from exc
        if "problems" in result:
            raise InputProblem(result["problems"])
        return Comparison(result["report"], result["notices"])


def web_state(request: Request) -> WebState:
    """The app's shared state (a FastAPI dependency)."""
    return request.app.state.web
