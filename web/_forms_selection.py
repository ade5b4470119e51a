"""Which agencies a scan or a schedule covers, as the two forms ask for it: a province (and
optionally one of its districts), some agency codes, or every agency; plus the catalog
and the page budget. Checked here field by field, so the reader sees which box is wrong
before ``oitwatch.campaign.Selection`` would refuse it as a whole."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from starlette.datastructures import FormData

from oitwatch.campaign import CampaignError, Selection
from oitwatch.registry import normalize_district, normalize_province
from rules import list_catalogs
from storage.forms_repo import AgencyFacets

from ._forms_common import THAI_DIGITS, Problems, Values, read_checkbox, read_int, read_text
from ._forms_provinces import known_province

__all__ = ["MAX_CODES", "MAX_PAGES", "ScanChoice", "describe", "read_scan_choice", "split_codes"]

MAX_PAGES = 10_000  # as `oitwatch scan --max-pages`
MAX_CODES = 2_000


@dataclass(frozen=True, slots=True)
class ScanChoice:
    selection: Selection
    catalog: str | None
    max_pages: int | None


def split_codes(raw: str) -> list[str]:
    """Codes as a monitor pastes them: one per line, or separated by commas or spaces."""
    codes = [c for c in re.split(r"[\s,;]+", raw.translate(THAI_DIGITS)) if c]
    return list(dict.fromkeys(codes))  # once each, in the order given


def read_scan_choice(
    form: FormData,
    values: Values,
    problems: Problems,
    facets: AgencyFacets,
    *,
    lookup_codes: Callable[[list[str]], set[str]] | None,
    any_province: bool,
) -> ScanChoice | None:
    """The checked choice, or None with the problems noted. ``lookup_codes`` (when given)
    says which typed codes the registry has; ``any_province`` also accepts a province of
    the country the registry has no agency in yet (a schedule may wait for its import)."""
    province_raw = read_text(form, "province", "f_province", values, problems, max_len=100)
    district_raw = read_text(form, "district", "f_district", values, problems, max_len=100)
    codes_raw = read_text(form, "agencies", "f_agencies", values, problems, max_len=40_000,
                          multiline=True)
    everything = read_checkbox(form, "all", values)
    catalog = read_text(form, "catalog", "f_catalog", values, problems, max_len=64)
    max_pages = read_int(form, "max_pages", "f_max_pages", values, problems, low=1,
                         high=MAX_PAGES)

    province: str | None = None
    if province_raw:
        name = normalize_province(province_raw)
        if name in facets.provinces:
            province = name
        elif any_province and known_province(name):
            province = known_province(name)
        else:
            problems.add("province", "f_province",
                         f"ไม่รู้จักจังหวัด '{province_raw}' (ไม่มีหน่วยงานในทะเบียน)",
                         f"unknown province '{province_raw}' (no agency of it in the registry)")
    district: str | None = None
    if district_raw and "province" not in problems:
        if province is None:
            problems.add("district", "f_district", "ต้องเลือกจังหวัดด้วย",
                         "needs a province as well")
        else:
            name = normalize_district(district_raw)
            known = facets.districts.get(province, [])
            if name in known or (any_province and not known):
                district = name
            else:
                problems.add("district", "f_district",
                             f"ไม่มีอำเภอ '{district_raw}' ในจังหวัด{province} ในทะเบียน",
                             f"no district '{district_raw}' of {province} in the registry")
    codes = split_codes(codes_raw) if "agencies" not in problems else []
    if len(codes) > MAX_CODES:
        problems.add("agencies", "f_agencies", f"มากเกิน {MAX_CODES:,} รหัส",
                     f"more than {MAX_CODES:,} codes")
    elif any(len(c) > 32 for c in codes):
        long = next(c for c in codes if len(c) > 32)
        problems.add("agencies", "f_agencies", f"รหัส '{long[:40]}' ยาวเกิน 32 ตัวอักษร",
                     f"code '{long[:40]}' is longer than 32 characters")
    elif codes and lookup_codes is not None:
        known_codes = lookup_codes(codes)
        unknown = [c for c in codes if c not in known_codes]
        if unknown:
            listing = ", ".join(unknown[:10]) + (" …" if len(unknown) > 10 else "")
            problems.add("agencies", "f_agencies", f"ไม่พบรหัสในทะเบียน: {listing}",
                         f"no such agency code in the registry: {listing}")
    if catalog and catalog not in list_catalogs():
        problems.add("catalog", "f_catalog", f"ไม่มีชุดกฎ '{catalog}'",
                     f"no catalog '{catalog}'")
    if problems:
        return None
    chosen = sum((province is not None, bool(codes), everything))
    if chosen != 1:
        problems.add("selection", "f_selection",
                     "เลือกอย่างใดอย่างหนึ่ง: จังหวัด, รหัสหน่วยงาน หรือทุกหน่วยงาน",
                     "choose exactly one: a province, agency codes, or all agencies")
        return None
    try:
        selection = Selection(province=province, district=district, agencies=tuple(codes),
                              all=everything)
    except CampaignError as exc:  # the checks above should have caught it; say it anyway
        problems.add("selection", "f_selection", exc.th, exc.en)
        return None
    return ScanChoice(selection, catalog or None, max_pages)


def describe(selection: dict[str, object], lang: str) -> str:
    """A schedule's stored selection in the reader's language."""
    try:
        chosen = Selection.from_dict(selection)
    except (CampaignError, TypeError, ValueError):
        return str(selection)
    if chosen.all:
        return "ทุกหน่วยงาน" if lang == "th" else "all agencies"
    if chosen.agencies:
        codes = ", ".join(chosen.agencies[:10]) + (" …" if len(chosen.agencies) > 10 else "")
        return ("รหัส " if lang == "th" else "codes ") + codes
    where = (f"จังหวัด{chosen.province}" if lang == "th" else f"province {chosen.province}")
    if chosen.district:
        where += f" อำเภอ{chosen.district}" if lang == "th" else f", district {chosen.district}"
    return where
