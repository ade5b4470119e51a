"""Parameters every API route shares: bounded ids, safe filter strings, pagination, and the
error responses the OpenAPI document lists.

Why bounds everywhere: PostgreSQL's ``integer`` ends at 2^31-1 and refuses NUL in text; an
unbounded id or a NUL from a client would reach the driver and come back as a 500. Checked
here, they are a 400 ``bad_parameter`` (the app's RequestValidationError handler) before any
query runs, on both backends alike."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Path, Query, Request

from storage.api_repo import Page

from ._api_models import MAX_TEXT, NO_NUL, ErrorResponse
from ._deps import ApiError

__all__ = [
    "DETAIL",
    "LIST",
    "MAX_ID",
    "WRITE",
    "IdPath",
    "Paging",
    "clean",
    "error_response",
    "filter_text",
    "id_filter",
    "not_found",
    "page_body",
    "paging",
]

MAX_ID = 2_147_483_647
MAX_OFFSET = 10_000_000
MAX_LIMIT = 500
T = TypeVar("T")


def error_response(description: str) -> dict[str, Any]:
    return {"model": ErrorResponse, "description": description}


# "4XX" also stops FastAPI from listing a 422 it never sends (bad parameters are 400 here).
LIST: dict[int | str, dict[str, Any]] = {
    400: error_response("bad parameter (unknown value, out of range, NUL, too long)"),
    401: error_response("token required (the server was started with private reading)"),
    "4XX": error_response("any other client error, same shape"),
}
DETAIL: dict[int | str, dict[str, Any]] = {**LIST, 404: error_response("no such id")}
WRITE: dict[int | str, dict[str, Any]] = {
    **DETAIL,
    401: error_response("no valid API token: send 'Authorization: Bearer oitw_…'"),
}

IdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="1 … 2147483647")]


def id_filter(what: str) -> Any:
    return Query(ge=1, le=MAX_ID, description=f"only rows of this {what} id")


def filter_text(description: str) -> Any:
    return Query(max_length=MAX_TEXT, pattern=NO_NUL, description=description)


def clean(value: str | None) -> str | None:
    """An empty filter (``?province=``, as a form sends it) means no filter."""
    if value is None:
        return None
    value = value.strip()
    return value or None


@dataclass(frozen=True, slots=True)
class Paging:
    limit: int
    offset: int


def paging(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="rows per page")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="rows to skip")] = 0,
) -> Paging:
    return Paging(limit, offset)


def page_body(request: Request, paging: Paging, page: Page[T], items: list[Any]) -> dict[str, Any]:
    """The list document. ``next`` is a path and query (not an absolute URL), so it stays
    right behind a proxy and never repeats a Host header a client sent."""
    nxt = None
    if paging.offset + paging.limit < page.total:
        url = request.url.include_query_params(offset=paging.offset + paging.limit,
                                               limit=paging.limit)
        nxt = f"{url.path}?{url.query}"
    return {"items": items, "total": page.total, "limit": paging.limit,
            "offset": paging.offset, "next": nxt}


def not_found(what_en: str, what_th: str, ident: int) -> ApiError:
    return ApiError(404, "not_found", f"no {what_en} with id {ident}",
                    f"ไม่พบ{what_th}หมายเลข {ident}")
