"""The app's HTML pages: stories (search, sort), a story's comparison, an article, Compare now."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import fastapi
from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, Response
from pydantic import ValidationError

from storydiff import render
from storydiff.model import Report
from storydiff.render import html as report_html
from storydiff.store.stories import MAX_SEARCH_CHARS
from storydiff.web.errors import error_response, wants_json
from storydiff.web.inputs import MAX_TEXT_CHARS, InputProblem, OverBudget, PastedArticle
from storydiff.web.state import WebState, web_state

REPORT_TEMPLATES = Path(report_html.__file__).resolve().parent / "templates"
PAGE_SIZE = 50
MAX_PAGE = 100_000
MAX_ID_CHARS = 200

router = APIRouter(include_in_schema=False)
State = Annotated[WebState, Depends(web_state)]
Search = Annotated[str, Query(max_length=MAX_SEARCH_CHARS)]
StoryId = Annotated[str, fastapi.Path(max_length=MAX_ID_CHARS)]


@router.get("/", response_class=HTMLResponse)
def stories_page(
    request: Request,
    state: State,
    q: Search = "",
    outlet: Search = "",
    entity: Search = "",
    sort: Annotated[str, Query(pattern="^(size|recent|title)$")] = "size",
    page_number: Annotated[int, Query(alias="page", ge=1, le=MAX_PAGE)] = 1,
) -> HTMLResponse:
    from storydiff.store.stories import list_stories

    filters: dict[str, Any] = {"q": q, "outlet": outlet, "entity": entity, "sort": sort}
    if not state.has_store:
        return state.page(
            request, "stories.html", stories=[], total=0, no_store=True, page=1, pages=1, **filters
        )
    with state.store() as conn:
        rows, total = list_stories(conn, **filters, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE)
    return state.page(
        request,
        "stories.html",
        stories=rows,
        total=total,
        no_store=False,
        page=page_number,
        pages=max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE),
        **filters,
    )


@router.get("/assets/{name}")
def report_asset(name: Annotated[str, fastapi.Path(max_length=40)]) -> FileResponse:
    """The report's own stylesheet and script, served as files (the CSP forbids inline ones)."""
    if name not in ("report.css", "report.js"):
        raise HTTPException(404, f"no asset {name!r}")
    media = "text/css" if name.endswith(".css") else "text/javascript"
    return FileResponse(REPORT_TEMPLATES / name, media_type=media)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, state: State, story_id: StoryId) -> HTMLResponse:
    report, _ = state.story_report(story_id)
    return state.page(request, "story.html", story_id=story_id, downloads=True, **report_html.view(report))


@router.get("/stories/{story_id}/report.{fmt}")
def story_download(
    state: State, story_id: StoryId, fmt: Annotated[str, fastapi.Path(max_length=10)]
) -> Response:
    if fmt not in ("json", "md", "html"):
        raise HTTPException(404, f"unknown format {fmt!r}: use json, md or html")
    report, as_dict = state.story_report(story_id)
    return download(report, as_dict, fmt, f"story-{story_id}")


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(
    request: Request, state: State, article_id: Annotated[str, fastapi.Path(max_length=MAX_ID_CHARS)]
) -> HTMLResponse:
    from storydiff.render.summary import outlet_labels
    from storydiff.store.articles import article_copies, article_record, article_story
    from storydiff.stories.reports import cached_story_report

    with state.store() as conn:
        article = article_record(conn, article_id)
        if article is None:
            raise HTTPException(404, f"no article with id {article_id!r}")
        copies = article_copies(conn, article_id)
        story_id = article_story(conn, article_id)
        report = cached_story_report(conn, story_id) if story_id else None
    column = None
    if report:
        columns = report_html.columns(report, outlet_labels(report))
        column = next((c for c in columns if c.doc.id == article_id), None)
    return state.page(
        request, "article.html", article=article, copies=copies, story_id=story_id, column=column
    )


@router.get("/compare", response_class=HTMLResponse)
def compare_form(request: Request, state: State) -> HTMLResponse:
    return state.page(request, "compare.html", problems=[], slots=4)


@router.post("/compare", response_class=HTMLResponse)
async def compare_submit(
    request: Request,
    state: State,
    text: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI reads defaults, never mutates them
    source: Annotated[list[str], Form()] = [],  # noqa: B006
    title: Annotated[list[str], Form()] = [],  # noqa: B006
    urls: Annotated[str, Form(max_length=200_000)] = "",
    files: Annotated[list[UploadFile], File()] = [],  # noqa: B006
) -> HTMLResponse:
    slots = max(4, min(len(text), state.budget.max_articles))
    try:
        pasted = pasted_articles(text, source, title)
        uploads = [
            (f.filename or f"upload-{i + 1}", await f.read()) for i, f in enumerate(files) if f.filename
        ]
        url_list = [u.strip() for u in urls.splitlines() if u.strip()]
        result = await state.compare(pasted, uploads, url_list)
    except (InputProblem, OverBudget) as exc:
        status, problems = (
            (400, exc.problems) if isinstance(exc, InputProblem) else (exc.status, [exc.message])
        )
        headers = {"Retry-After": "60"} if status == 503 else {}
        if wants_json(request.headers, request.url.path):  # a script posting the form
            return error_response(request, status, "; ".join(problems), headers=headers)  # type: ignore[return-value]
        response = state.page(request, "compare.html", problems=problems, slots=slots, status_code=status)
        response.headers.update(headers)
        return response
    from storydiff.serialize import report_from_dict

    view = report_html.view(report_from_dict(result.report))
    return state.page(request, "story.html", story_id=None, downloads=False, notices=result.notices, **view)


def pasted_articles(texts: list[str], sources: list[str], titles: list[str]) -> list[PastedArticle]:
    """The form's text slots as articles (blank slots left out); InputProblem names each bad slot."""
    pasted: list[PastedArticle] = []
    problems: list[str] = []
    for i, text in enumerate(texts):
        if not text.strip():
            continue
        if len(text) > MAX_TEXT_CHARS:
            problems.append(f"text {i + 1}: longer than {MAX_TEXT_CHARS} characters")
            continue
        try:
            pasted.append(
                PastedArticle(
                    text=text,
                    source=(sources[i] if i < len(sources) else "") or None,
                    title=(titles[i] if i < len(titles) else "") or None,
                )
            )
        except ValidationError as exc:
            fields = ", ".join(str(e["loc"][0]) for e in exc.errors() if e.get("loc"))
            problems.append(f"text {i + 1}: {fields or 'a field'} too long")
    if problems:
        raise InputProblem(problems)
    return pasted


def download(report: Report, as_dict: dict[str, Any], fmt: str, stem: str) -> Response:
    disposition = {"content-disposition": f'attachment; filename="{stem}.{fmt}"'}
    if fmt == "json":
        return JSONResponse(as_dict, headers=disposition)
    if fmt == "md":
        return PlainTextResponse(
            render.to_markdown(report), media_type="text/markdown; charset=utf-8", headers=disposition
        )
    # A file to open from disk: self-contained (inline CSS/JS), everything from articles escaped. Served
    # as an attachment, so the browser saves it rather than show it under the app's CSP.
    return HTMLResponse(render.to_html(report), headers=disposition)
