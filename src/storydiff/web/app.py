"""The local web app: browse stories, read comparisons, compare pasted texts. ``storydiff serve``.

Server-rendered pages (Jinja2, autoescaped) over the same report JSON the CLI writes; a small vanilla
script vendored in ``static/``; a JSON API mirroring the CLI, documented at /docs. The routes live in
``pages`` and ``api``; what they share (store, templates, Compare now's worker) in ``state``; errors in
``errors``; the safety middlewares in ``security``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from storydiff import __version__
from storydiff.render import html as report_html
from storydiff.render.summary import one_line
from storydiff.web import api, charts, errors, pages
from storydiff.web.inputs import Budget
from storydiff.web.security import BodySizeLimit, CrashGuard, HostAllowList, SecurityHeaders, allowed_hosts
from storydiff.web.state import WebState
from storydiff.web.worker import COMPARE_JOB, AnalysisWorker

HERE = Path(__file__).resolve().parent
REPORT_TEMPLATES = Path(report_html.__file__).resolve().parent / "templates"
MAX_BODY_BYTES = 8 * 1024 * 1024  # whole request (uploads + pasted text)


def create_app(
    db_path: str | Path | None = None,
    *,
    max_body_bytes: int = MAX_BODY_BYTES,
    budget: Budget | None = None,
    hosts: Iterable[str] | None = None,
    any_address: bool = False,
    compare_job: str = COMPARE_JOB,
) -> FastAPI:
    """The app over the store at ``db_path`` (None: only Compare now works).

    ``hosts``: the Host names it answers (default: localhost names; ``storydiff serve`` adds its --host
    and --allow-host values); ``any_address`` also accepts any IP address as Host (bound to 0.0.0.0).
    ``budget``: what one Compare now may use. ``compare_job``: the worker's job ("module:function").
    """
    try:
        from fastapi_offline import FastAPIOffline as App
    except ImportError:  # docs page then needs a CDN; everything else works
        App = FastAPI  # type: ignore[assignment]  # noqa: N806
    budget = budget or Budget()
    worker = AnalysisWorker(
        compare_job,
        seconds=budget.seconds,
        memory_bytes=budget.memory_bytes,
        wait_seconds=budget.queue_seconds,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        worker.close()

    app = App(
        title="storydiff",
        version=__version__,
        description="Compare how different outlets report the same news, claim by claim.",
        lifespan=lifespan,
    )
    # add_middleware puts each outside the ones before: the size limit runs innermost, the headers outermost.
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes)
    app.add_middleware(
        HostAllowList,
        allowed=list(hosts) if hosts is not None else allowed_hosts(""),
        any_address=any_address,
    )
    app.add_middleware(CrashGuard)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    # Our page templates first, then the report's partials (side-by-side articles, sections), shared
    # with the self-contained HTML report so both always show the same thing.
    templates = Jinja2Templates(directory=[HERE / "templates", REPORT_TEMPLATES])
    templates.env.globals.update(version=__version__, charts=charts)
    templates.env.filters["one_line"] = one_line
    app.state.web = WebState(
        db_path=Path(db_path) if db_path else None, templates=templates, budget=budget, worker=worker
    )
    errors.install(app)
    app.include_router(pages.router)
    app.include_router(api.router)
    return app
