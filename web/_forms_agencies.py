"""The agency registry on the dashboard: the list (filters, pages) and the form that adds
an agency or updates one by its code, checked as `oitwatch agencies import` checks a
registry row (oitwatch.registry's normalisers and home page check), but stricter where a
form can be: a province must be one of the country's, a type one of the known ones."""

from __future__ import annotations

import re
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from oitwatch.registry import (
    AGENCY_TYPES,
    agency_type_of,
    check_homepage,
    normalize_district,
)
from rules import list_catalogs
from storage.records import AgencyRecord

from ._deps import PageError, Reader, repo_of, require_page_read
from ._forms_common import (
    THAI_DIGITS,
    Problems,
    Values,
    forms_repo,
    lang_query,
    page_of,
    read_text,
    with_lang,
    writable_form,
)
from ._forms_provinces import PROVINCES, known_province, province_label
from ._i18n import lang_of, text
from ._render import render

router = APIRouter(include_in_schema=False)

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
FIELDS = ("code", "name", "type", "province", "district", "homepage", "catalog")


def _filter_value(request: Request, name: str, value: str | None) -> str | None:
    """A filter from the query string: empty is no filter; control characters (a NUL the
    database would refuse) are a 400 page naming the filter, never a 500."""
    if value is None or not value.strip():
        return None
    if _CONTROL.search(value):
        raise PageError(400, "bad_request", f"{name}: " + text("control_chars", lang_of(request)))
    return value.strip()


@router.get("/agencies")
def agencies_list(
    request: Request,
    reader: Reader = Depends(require_page_read),
    province: str | None = Query(None, max_length=200),
    district: str | None = Query(None, max_length=200),
    type: str | None = Query(None, max_length=200),  # noqa: A002 - the query's name
    q: str | None = Query(None, max_length=200),
    page: int = Query(1, ge=1, le=1_000_000),
    per_page: int = Query(100, ge=1, le=500),
    saved: str | None = Query(None, max_length=40),
) -> Response:
    filters = {
        "province": _filter_value(request, "province", province),
        "district": _filter_value(request, "district", district),
        "agency_type": _filter_value(request, "type", type),
        "search": _filter_value(request, "q", q),
    }
    repo = forms_repo(request)
    listing = repo.agencies_page(**filters, offset=(page - 1) * per_page, limit=per_page)
    pg = page_of(page, per_page, listing.total)
    if pg.number != page:  # past the last page (the registry shrank): show the last one
        listing = repo.agencies_page(**filters, offset=pg.offset, limit=pg.size)
    return render(
        request, "agencies.html", province_label=province_label, agencies=listing.agencies,
        page=pg, facets=repo.agency_facets(), filters=filters,
        saved=bool(saved) and not _CONTROL.search(saved or ""),
    )


def _values_of(agency: AgencyRecord | None) -> Values:
    values = Values()
    if agency is not None:
        for name in FIELDS:
            values.shown[name] = getattr(agency, name) or ""
    return values


def _form_page(request: Request, values: Values, problems: Problems, *, status: int = 200,
               existing: AgencyRecord | None = None) -> Response:
    facets = forms_repo(request).agency_facets()
    types = list(AGENCY_TYPES) + [t for t in facets.types if t not in AGENCY_TYPES]
    return render(
        request, "agencies_form.html", status_code=status, province_label=province_label,
        values=values, problems=problems, provinces=PROVINCES, types=types,
        catalogs=list_catalogs(), existing=existing,
        action="/agencies" + lang_query(request),
    )


@router.get("/agencies/new")
def agency_form(
    request: Request,
    reader: Reader = Depends(require_page_read),
    code: str | None = Query(None, max_length=200),
) -> Response:
    """Empty to add an agency; ``?code=`` to update that one (the form holds its values)."""
    existing = None
    if code and not _CONTROL.search(code):
        existing = forms_repo(request).agency_by_code(code.strip())
    return _form_page(request, _values_of(existing), Problems(), existing=existing)


def read_agency(form: FormData, values: Values, problems: Problems,
                registry_types: list[str]) -> dict[str, str | None]:
    """The checked fields (None: left empty, keep the stored value), or {} with problems."""
    code = read_text(form, "code", "f_code", values, problems, max_len=32, required=True)
    code = code.translate(THAI_DIGITS)
    if code and re.search(r"[\s,;]", code):
        problems.add("code", "f_code", "ต้องไม่มีช่องว่างหรือจุลภาค",
                     "must not contain spaces or commas")
    name = read_text(form, "name", "f_name", values, problems, max_len=500, required=True)
    raw_type = read_text(form, "type", "f_type", values, problems, max_len=100)
    agency_type: str | None = None
    if raw_type:
        agency_type = agency_type_of(raw_type)
        if agency_type is None and raw_type in registry_types:
            agency_type = raw_type
        if agency_type is None:
            problems.add("type", "f_type", f"ไม่รู้จักประเภท '{raw_type}'",
                         f"unknown agency type '{raw_type}'")
    raw_province = read_text(form, "province", "f_province", values, problems, max_len=100)
    province: str | None = None
    if raw_province:
        province = known_province(raw_province)
        if province is None:
            problems.add("province", "f_province", f"ไม่รู้จักจังหวัด '{raw_province}'",
                         f"unknown province '{raw_province}'")
    district = normalize_district(
        read_text(form, "district", "f_district", values, problems, max_len=100)
    )
    raw_homepage = read_text(form, "homepage", "f_homepage", values, problems, max_len=2000)
    homepage: str | None = None
    if raw_homepage:
        homepage = check_homepage(raw_homepage)[0]
        if homepage is None:
            example = "https://www.example.go.th"
            problems.add("homepage", "f_homepage",
                         f"'{raw_homepage}' ไม่ใช่ที่อยู่เว็บที่ถูกต้อง (เช่น {example})",
                         f"'{raw_homepage}' is not a valid web address (e.g. {example})")
    catalog = read_text(form, "catalog", "f_catalog", values, problems, max_len=64)
    if catalog and catalog not in list_catalogs():
        problems.add("catalog", "f_catalog", f"ไม่มีชุดกฎ '{catalog}'", f"no catalog '{catalog}'")
    if problems:
        return {}
    return {"code": code, "name": name, "agency_type": agency_type, "province": province,
            "district": district or None, "homepage": homepage, "catalog": catalog or None}


@router.post("/agencies")
async def save_agency(request: Request) -> Response:
    form = await writable_form(request)
    values, problems = Values(), Problems()
    facets = await run_in_threadpool(forms_repo(request).agency_facets)
    fields = read_agency(form, values, problems, facets.types)
    if problems:
        return await run_in_threadpool(lambda: _form_page(request, values, problems, status=400))
    repo = repo_of(request)
    await run_in_threadpool(lambda: repo.upsert_agency(**fields))  # type: ignore[arg-type]
    code = fields["code"] or ""
    target = f"/agencies?q={quote(code, safe='')}&saved=1"
    return RedirectResponse(with_lang(request, target), status_code=303)
