"""Start a scan from the dashboard: choose the agencies (a province of the registry, some
codes, or all), optionally a catalog and a page budget; the run is created at once and the
reader lands on its progress page (web._jobs scans it in process or on Celery)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from rules import list_catalogs

from ._deps import Reader, config_of, require_page_read
from ._forms_common import Problems, Values, forms_repo, lang_query, with_lang, writable_form
from ._forms_selection import MAX_PAGES, read_scan_choice
from ._jobs import ScanJobs, ScanStartError
from ._forms_provinces import province_label
from ._render import render

router = APIRouter(include_in_schema=False)


def _form_page(
    request: Request, values: Values, problems: Problems, status: int = 200
) -> Response:
    config = config_of(request)
    default_pages = config.scan_options.get("max_pages", 300)
    return render(
        request, "scan_new.html", status_code=status, province_label=province_label,
        values=values, problems=problems, facets=forms_repo(request).agency_facets(),
        catalogs=list_catalogs(), default_pages=default_pages, max_pages_limit=MAX_PAGES,
        action="/scans" + lang_query(request),
    )


@router.get("/scans/new")
def new_scan(request: Request, reader: Reader = Depends(require_page_read)) -> Response:
    return _form_page(request, Values(), Problems())


@router.post("/scans")
async def start_scan(request: Request) -> Response:
    form = await writable_form(request)
    values, problems = Values(), Problems()
    repo = forms_repo(request)
    facets = await run_in_threadpool(repo.agency_facets)
    choice = await run_in_threadpool(
        lambda: read_scan_choice(form, values, problems, facets,
                                 lookup_codes=repo.known_codes, any_province=False)
    )
    if choice is None:
        return await run_in_threadpool(_form_page, request, values, problems, 400)
    jobs: ScanJobs = request.app.state.jobs
    try:
        started = await run_in_threadpool(
            lambda: jobs.start(choice.selection, catalog_id=choice.catalog,
                               max_pages=choice.max_pages, trigger="dashboard")
        )
    except ScanStartError as exc:
        problems.add("selection", "f_selection", exc.th, exc.en)
        return await run_in_threadpool(_form_page, request, values, problems, exc.status)
    return RedirectResponse(with_lang(request, f"/runs/{started.run_id}"), status_code=303)
