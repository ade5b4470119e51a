"""The dashboard and the JSON API as one ASGI app.

FastAPI (on Starlette) rather than bare Starlette: the API's typed parameters give the
OpenAPI document and its 4xx validation for free, and the HTML pages are ordinary routes
rendering Jinja2 templates. Everything reads the same database as the CLI.

    app = create_app(WebConfig(database_url="postgresql+psycopg://…"))
    uvicorn.run(app, host="127.0.0.1", port=8080)
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Route

from oitwatch import __version__
from storage import Database, Repository, StorageError
from storage.errors import DatabaseUnavailableError, NotFoundError
from storage.tokens_repo import TokenRepository

from ._config import WebConfig
from ._deps import ApiError, PageError
from ._jobs import ScanJobs
from ._render import environment, render
from ._security import SecurityHeaders

__all__ = ["create_app"]

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).parent / "static"


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _api_error(status: int, code: str, message: str, message_th: str,
               details: list[Any] | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": code, "message": message, "message_th": message_th,
                   "details": details or []}},
        status_code=status,
        headers=headers,
    )


def _page_error(request: Request, status: int, key: str, extra: str = "") -> Response:
    return render(request, "error.html", status_code=status, status=status, key=key, extra=extra)


def _allowed_methods(request: Request) -> list[str]:
    methods: set[str] = set()
    for route in request.app.router.routes:
        if isinstance(route, Route) and route.methods and route.path_regex.match(request.url.path):
            methods |= route.methods
    return sorted(methods)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        return _api_error(exc.status_code, exc.code, exc.message, exc.message_th, exc.details,
                          exc.headers)

    @app.exception_handler(PageError)
    async def page_error(request: Request, exc: PageError) -> Response:
        return _page_error(request, exc.status_code, exc.key, exc.extra)

    @app.exception_handler(RequestValidationError)
    async def bad_parameters(request: Request, exc: RequestValidationError) -> Response:
        details = [
            {"where": ".".join(str(p) for p in err.get("loc", ())), "problem": err.get("msg", "")}
            for err in exc.errors()
        ]
        if _is_api(request):
            return _api_error(
                400, "bad_parameter",
                "bad parameter: " + "; ".join(f"{d['where']}: {d['problem']}" for d in details),
                "พารามิเตอร์ไม่ถูกต้อง: " + "; ".join(d["where"] for d in details),
                details,
            )
        extra = "; ".join(f"{d['where']}: {d['problem']}" for d in details)
        return _page_error(request, 400, "bad_request", extra)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            # Starlette names the methods of the first route with this path only; a path
            # served by several routes (GET list + POST add) allows all of theirs.
            headers["Allow"] = ", ".join(_allowed_methods(request))
        if _is_api(request):
            code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
            th = {404: "ไม่พบข้อมูล", 405: "ใช้เมธอดนี้ไม่ได้"}.get(exc.status_code, "คำขอไม่ถูกต้อง")
            return _api_error(exc.status_code, code, str(exc.detail), th, headers=headers)
        key = "not_found" if exc.status_code == 404 else "bad_request"
        response = _page_error(request, exc.status_code, key)
        for name, value in headers.items():
            response.headers[name] = value
        return response

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        if _is_api(request):
            return _api_error(404, "not_found", str(exc), "ไม่พบข้อมูล")
        return _page_error(request, 404, "not_found", str(exc))

    @app.exception_handler(StorageError)
    async def storage_error(request: Request, exc: StorageError) -> Response:
        status = 503 if isinstance(exc, DatabaseUnavailableError) else 500
        log.error("storage error on %s: %s", request.url.path, exc)
        if _is_api(request):
            return _api_error(status, "database", f"database error: {exc}", "ฐานข้อมูลขัดข้อง")
        return _page_error(request, status, "database_error", str(exc))


def create_app(config: WebConfig | None = None, *, repo: Repository | None = None) -> FastAPI:
    """The app over ``config``'s database (or an open ``repo``, for tests and benchmarks)."""
    config = config or WebConfig()
    config.resolved_secret()
    if repo is None:
        db = Database(config.database_url)
        repo = Repository(db)
    jobs = ScanJobs(repo, backend=config.backend, broker=config.broker, options=config.scan_options)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.shutdown(wait=False)

    app = FastAPI(
        title="oitwatch API",
        version=__version__,
        description=(
            "ผลการตรวจการเปิดเผยข้อมูลสาธารณะ (OIT) ของหน่วยงานภาครัฐ / "
            "OIT disclosure scan results of Thai agencies: runs, site scans, item results, "
            "evidence, agencies, schedules. Reading is open unless the server was started with "
            "--private; changing data needs `Authorization: Bearer <token>` "
            "(`oitwatch tokens create NAME`)."
        ),
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # Swagger UI loads from a CDN: not here, and not under our CSP
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.config = config
    app.state.repo = repo
    app.state.tokens = TokenRepository(repo.db)
    app.state.jobs = jobs
    app.state.templates = environment()
    app.add_middleware(SecurityHeaders)
    _install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    from . import _auth_pages, api, forms, pages

    app.include_router(_auth_pages.router)
    app.include_router(api.router)
    app.include_router(forms.router)
    app.include_router(pages.router)
    return app

