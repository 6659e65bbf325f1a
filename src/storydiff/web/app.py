"""The local web app: browse stories, read comparisons, compare pasted texts. ``storydiff serve``.

Server-rendered pages (Jinja2, autoescaped) over the same report JSON the CLI writes; a small
vanilla script vendored in ``static/``; a JSON API mirroring the CLI, documented at /docs.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import Body, FastAPI, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field

from storydiff import __version__, render
from storydiff.model import Report
from storydiff.render import html as report_html
from storydiff.render.summary import one_line, outlet_labels
from storydiff.store import StoreError, connect
from storydiff.stories.reports import UnknownStory, cached_story_report, story_report
from storydiff.web import charts, data
from storydiff.web.inputs import InputProblem, PastedArticle, build_articles
from storydiff.web.security import BodySizeLimit, SecurityHeaders

HERE = Path(__file__).resolve().parent
REPORT_TEMPLATES = Path(report_html.__file__).resolve().parent / "templates"
MAX_BODY_BYTES = 8 * 1024 * 1024  # whole request (uploads + pasted text)
MAX_ARTICLES = 50


class CompareRequest(BaseModel):
    """Articles to compare now, without a store."""

    articles: list[PastedArticle] = Field(min_length=2, max_length=MAX_ARTICLES)


def create_app(db_path: str | Path | None = None, *, max_body_bytes: int = MAX_BODY_BYTES) -> FastAPI:
    """The app over the store at ``db_path`` (None: only Compare now works)."""
    try:
        from fastapi_offline import FastAPIOffline as App
    except ImportError:  # docs page then needs a CDN; everything else works
        App = FastAPI  # type: ignore[assignment]  # noqa: N806
    app = App(
        title="storydiff",
        version=__version__,
        description="Compare how different outlets report the same news, claim by claim.",
    )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    # Our page templates first, then the report's partials (side-by-side articles, sections), shared
    # with the self-contained HTML report so both always show the same thing.
    templates = Jinja2Templates(directory=[HERE / "templates", REPORT_TEMPLATES])
    templates.env.globals.update(version=__version__, charts=charts)
    templates.env.filters["one_line"] = one_line
    app.state.db_path = Path(db_path) if db_path else None

    @contextmanager
    def store() -> Iterator[sqlite3.Connection]:
        if app.state.db_path is None or not app.state.db_path.exists():
            raise HTTPException(
                404, "no store: start with 'storydiff serve --db PATH' after ingest and cluster"
            )
        try:
            conn = connect(app.state.db_path)
        except StoreError as exc:
            raise HTTPException(500, str(exc)) from exc
        try:
            yield conn
        finally:
            conn.close()

    def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context, status_code=status_code)

    def wants_html(request: Request) -> bool:
        return not request.url.path.startswith("/api/")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if wants_html(request):
            return page(
                request, "error.html", status_code=exc.status_code, status=exc.status_code, message=exc.detail
            )
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error.get('loc', [])[1:]) or 'body'}: {error.get('msg')}"
            for error in exc.errors()
        )
        message = f"invalid request: {problems}"
        if wants_html(request):
            return page(request, "error.html", status_code=422, status=422, message=message)
        return JSONResponse({"detail": message}, status_code=422)

    # ------------------------------------------------------------------ pages

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(
        request: Request,
        q: str = "",
        outlet: str = "",
        entity: str = "",
        sort: str = "size",
        page_number: Annotated[int, Query(alias="page", ge=1)] = 1,
    ) -> HTMLResponse:
        if app.state.db_path is None or not app.state.db_path.exists():
            return page(
                request,
                "stories.html",
                stories=[],
                total=0,
                no_store=True,
                q=q,
                outlet=outlet,
                entity=entity,
                sort=sort,
                page=1,
                pages=1,
            )
        with store() as conn:
            rows, total = data.list_stories(
                conn, q=q, outlet=outlet, entity=entity, sort=sort, limit=50, offset=(page_number - 1) * 50
            )
        return page(
            request,
            "stories.html",
            stories=rows,
            total=total,
            no_store=False,
            q=q,
            outlet=outlet,
            entity=entity,
            sort=sort,
            page=page_number,
            pages=max(1, (total + 49) // 50),
        )

    @app.get("/assets/{name}", include_in_schema=False)
    def report_asset(name: str) -> FileResponse:
        """The report's own stylesheet and script, served as files (the CSP forbids inline ones)."""
        if name not in ("report.css", "report.js"):
            raise HTTPException(404, f"no asset {name!r}")
        media = "text/css" if name.endswith(".css") else "text/javascript"
        return FileResponse(REPORT_TEMPLATES / name, media_type=media)

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: str) -> HTMLResponse:
        report, _ = _story_report(story_id)
        return page(request, "story.html", story_id=story_id, downloads=True, **report_html.view(report))

    @app.get("/stories/{story_id}/report.{fmt}", include_in_schema=False)
    def story_download(story_id: str, fmt: str) -> Response:
        report, as_dict = _story_report(story_id)
        return _download(report, as_dict, fmt, f"story-{story_id}")

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str) -> HTMLResponse:
        with store() as conn:
            article = data.article_row(conn, article_id)
            if article is None:
                raise HTTPException(404, f"no article with id {article_id!r}")
            copies = data.article_copies(conn, article_id)
            story_id = data.article_story(conn, article_id)
            report = cached_story_report(conn, story_id) if story_id else None
        column = None
        if report:
            columns = report_html.columns(report, outlet_labels(report))
            column = next((c for c in columns if c.doc.id == article_id), None)
        return page(request, "article.html", article=article, copies=copies, story_id=story_id, column=column)

    @app.get("/compare", response_class=HTMLResponse, include_in_schema=False)
    def compare_form(request: Request) -> HTMLResponse:
        return page(request, "compare.html", problems=[], slots=4)

    @app.post("/compare", response_class=HTMLResponse, include_in_schema=False)
    async def compare_submit(
        request: Request,
        text: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI reads defaults, never mutates them
        source: Annotated[list[str], Form()] = [],  # noqa: B006
        title: Annotated[list[str], Form()] = [],  # noqa: B006
        urls: Annotated[str, Form()] = "",
        files: Annotated[list[UploadFile], File()] = [],  # noqa: B006
    ) -> HTMLResponse:
        pasted = [
            PastedArticle(
                text=t,
                source=(source[i] if i < len(source) else "") or None,
                title=(title[i] if i < len(title) else "") or None,
            )
            for i, t in enumerate(text)
            if t.strip()
        ]
        uploads = [
            (f.filename or f"upload-{i + 1}", await f.read()) for i, f in enumerate(files) if f.filename
        ]
        url_list = [u.strip() for u in urls.splitlines() if u.strip()]
        try:
            report = _compare(pasted, uploads, url_list)
        except InputProblem as exc:
            return page(
                request, "compare.html", problems=exc.problems, slots=max(4, len(text)), status_code=400
            )
        return page(request, "story.html", story_id=None, downloads=False, **report_html.view(report))

    # ------------------------------------------------------------------ JSON API

    @app.get("/api/stories", tags=["stories"])
    def api_stories(
        q: str = "",
        outlet: str = "",
        entity: str = "",
        sort: Annotated[str, Query(pattern="^(size|recent|title)$")] = "size",
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> dict[str, Any]:
        """Stories in the store, filtered and sorted (as `storydiff stories --json`)."""
        with store() as conn:
            rows, total = data.list_stories(
                conn, q=q, outlet=outlet, entity=entity, sort=sort, limit=limit, offset=offset
            )
        return {"total": total, "stories": [_story_json(row) for row in rows]}

    @app.get("/api/stories/{story_id}", tags=["stories"])
    def api_story(story_id: str) -> dict[str, Any]:
        """One story: metadata and its articles (ids, outlets, urls, origins, copies)."""
        with store() as conn:
            story = data.story_detail(conn, story_id)
        if story is None:
            raise HTTPException(404, f"no story with id {story_id!r}")
        return story

    @app.get("/api/stories/{story_id}/report", tags=["stories"])
    def api_story_report(story_id: str) -> dict[str, Any]:
        """The comparison report of a story (valid against the report schema)."""
        return _story_report(story_id)[1]

    @app.get("/api/articles/{article_id}", tags=["articles"])
    def api_article(article_id: str) -> dict[str, Any]:
        """One stored article: metadata and clean text (as `storydiff show --json`)."""
        with store() as conn:
            article = data.article_row(conn, article_id)
            if article is None:
                raise HTTPException(404, f"no article with id {article_id!r}")
            article["copies"] = data.article_copies(conn, article_id)
        return article

    @app.post("/api/compare", tags=["compare"])
    def api_compare(request_body: Annotated[CompareRequest, Body()]) -> dict[str, Any]:
        """Compare 2 to 50 articles given as text (as `storydiff compare --format json`)."""
        try:
            return render.to_dict(_compare(request_body.articles, [], []))
        except InputProblem as exc:
            raise HTTPException(400, "; ".join(exc.problems)) from exc

    @app.get("/api/health", tags=["meta"])
    def api_health() -> dict[str, Any]:
        return {
            "ok": True,
            "version": __version__,
            "store": str(app.state.db_path) if app.state.db_path else None,
        }

    # ------------------------------------------------------------------ helpers

    def _story_report(story_id: str) -> tuple[Report, dict[str, Any]]:
        with store() as conn:
            try:
                return story_report(conn, story_id)
            except UnknownStory as exc:
                raise HTTPException(404, str(exc)) from exc

    def _compare(pasted: list[PastedArticle], uploads: list[tuple[str, bytes]], urls: list[str]) -> Report:
        from storydiff.analyse.pipeline import compare

        articles = build_articles(pasted, uploads, urls, max_articles=MAX_ARTICLES)
        return compare(articles)

    return app


def _story_json(row: data.StoryRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "title": row.title,
        "size": row.size,
        "first_published": row.first,
        "last_published": row.last,
        "outlets": row.outlets,
        "disputed": row.disputed,
        "single_source": row.single_source,
        "corroborated": row.corroborated,
    }


def _download(report: Report, as_dict: dict[str, Any], fmt: str, stem: str) -> Response:
    disposition = {"content-disposition": f'attachment; filename="{stem}.{fmt}"'}
    if fmt == "json":
        return JSONResponse(as_dict, headers=disposition)
    if fmt == "md":
        return PlainTextResponse(
            render.to_markdown(report), media_type="text/markdown; charset=utf-8", headers=disposition
        )
    if fmt == "html":
        # A file to open from disk: self-contained (inline CSS/JS), everything from articles escaped.
        return HTMLResponse(render.to_html(report), headers=disposition)
    raise HTTPException(404, f"unknown format {fmt!r}: use json, md or html")
