"""The JSON API, mirroring the CLI (documented at /docs)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from storydiff import __version__
from storydiff.store.stories import MAX_SEARCH_CHARS
from storydiff.web.errors import error_response
from storydiff.web.inputs import InputProblem, OverBudget, PastedArticle
from storydiff.web.pages import StoryId
from storydiff.web.state import WebState, web_state

MAX_ARTICLES = 50
MAX_OFFSET = 1_000_000_000

router = APIRouter(prefix="/api")
State = Annotated[WebState, Depends(web_state)]
Search = Annotated[str, Query(max_length=MAX_SEARCH_CHARS)]


class CompareRequest(BaseModel):
    """Articles to compare now, without a store."""

    articles: list[PastedArticle] = Field(min_length=2, max_length=MAX_ARTICLES)


@router.get("/stories", tags=["stories"])
def api_stories(
    state: State,
    q: Search = "",
    outlet: Search = "",
    entity: Search = "",
    sort: Annotated[str, Query(pattern="^(size|recent|title)$")] = "size",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> dict[str, Any]:
    """Stories in the store, filtered and sorted (as `storydiff stories --json`)."""
    from storydiff.store.stories import list_stories

    with state.store() as conn:
        rows, total = list_stories(
            conn, q=q, outlet=outlet, entity=entity, sort=sort, limit=limit, offset=offset
        )
    return {"total": total, "stories": [row.to_dict() for row in rows]}


@router.get("/stories/{story_id}", tags=["stories"])
def api_story(state: State, story_id: StoryId) -> dict[str, Any]:
    """One story: metadata and its articles (ids, outlets, urls, origins, copies)."""
    from storydiff.store.stories import story_detail

    with state.store() as conn:
        story = story_detail(conn, story_id)
    if story is None:
        raise HTTPException(404, f"no story with id {story_id!r}")
    return story


@router.get("/stories/{story_id}/report", tags=["stories"])
def api_story_report(state: State, story_id: StoryId) -> dict[str, Any]:
    """The comparison report of a story (valid against the report schema)."""
    return state.story_report(story_id)[1]


@router.get("/articles/{article_id}", tags=["articles"])
def api_article(state: State, article_id: StoryId) -> dict[str, Any]:
    """One stored article: metadata and clean text (as `storydiff show --json`)."""
    from storydiff.store.articles import article_copies, article_record

    with state.store() as conn:
        article = article_record(conn, article_id)
        if article is None:
            raise HTTPException(404, f"no article with id {article_id!r}")
        article["copies"] = article_copies(conn, article_id)
    return article


@router.post("/compare", tags=["compare"], response_model=None)
async def api_compare(
    request: Request, state: State, request_body: Annotated[CompareRequest, Body()]
) -> dict[str, Any] | JSONResponse:
    """Compare 2 to 50 articles given as text (as `storydiff compare --format json`).

    400: an article could not be read; 413: over the size budget; 503: over the time or memory budget,
    or another comparison is running (Retry-After).
    """
    try:
        result = await state.compare(request_body.articles, [], [])
    except InputProblem as exc:
        raise HTTPException(400, "; ".join(exc.problems)) from exc
    except OverBudget as exc:
        headers = {"Retry-After": "60"} if exc.status == 503 else None
        return error_response(request, exc.status, exc.message, headers=headers)  # type: ignore[return-value]
    if result.notices:  # e.g. the articles look like several stories: the report's warnings say so too
        result.report["warnings"] = [*result.report.get("warnings", []), *result.notices]
    return result.report


@router.get("/health", tags=["meta"])
def api_health(state: State) -> dict[str, Any]:
    return {"ok": True, "version": __version__, "store": str(state.db_path) if state.db_path else None}
