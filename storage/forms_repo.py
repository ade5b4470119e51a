"""The queries of the dashboard's forms that storage.repo does not have: one page of the
agency registry with its total (the list pages of a 8,000-agency registry must not load
every row), the values its filters offer, one agency by code, counting runs, and editing a
schedule's cron, name and switch.

Uses the same Database and the same transaction discipline as storage.repo.Repository.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.sql import Select

from .models import Agency, ScanRun
from .records import AgencyRecord
from .repo import Transactions, _agency_record

__all__ = ["AgencyFacets", "AgencyPage", "FormsRepository"]


@dataclass(frozen=True, slots=True)
class AgencyPage:
    agencies: list[AgencyRecord]
    total: int  # rows matching the filters, over all pages


@dataclass(frozen=True, slots=True)
class AgencyFacets:
    """What the registry holds, for the filter and selection menus."""

    provinces: list[str]
    districts: dict[str, list[str]] = field(default_factory=dict)  # province -> districts
    types: list[str] = field(default_factory=list)
    codes: int = 0  # agencies with a registry code

    @property
    def all_districts(self) -> set[str]:
        return {d for districts in self.districts.values() for d in districts}


class FormsRepository(Transactions):
    @staticmethod
    def _agency_filter(
        query: Select,  # type: ignore[type-arg]
        province: str | None,
        district: str | None,
        agency_type: str | None,
        search: str | None,
    ) -> Select:  # type: ignore[type-arg]
        if province is not None:
            query = query.where(Agency.province == province)
        if district is not None:
            query = query.where(Agency.district == district)
        if agency_type is not None:
            query = query.where(Agency.type == agency_type)
        if search:
            # Escape LIKE's wildcards: a "%" typed into the search box means a percent sign.
            term = search.strip().lower().replace("\\", "\\\\").replace("%", "\\%")
            like = "%" + term.replace("_", "\\_") + "%"
            query = query.where(
                func.lower(Agency.name).like(like, escape="\\")
                | func.lower(func.coalesce(Agency.code, "")).like(like, escape="\\")
                | func.lower(func.coalesce(Agency.homepage, "")).like(like, escape="\\")
            )
        return query

    def agencies_page(
        self,
        *,
        province: str | None = None,
        district: str | None = None,
        agency_type: str | None = None,
        search: str | None = None,
        offset: int = 0,
        limit: int = 100,
    ) -> AgencyPage:
        """One page of the registry in the order of Repository.list_agencies (province,
        district, code), and how many rows match in all."""
        where = (province, district, agency_type, search)
        rows = self._agency_filter(select(Agency), *where).order_by(
            func.coalesce(Agency.province, ""),
            func.coalesce(Agency.district, ""),
            func.coalesce(Agency.code, ""),
            Agency.id,
        )
        count = self._agency_filter(select(func.count()).select_from(Agency), *where)
        with self._read() as s:
            total = int(s.scalar(count) or 0)
            agencies = [_agency_record(a) for a in s.scalars(rows.offset(offset).limit(limit))]
        return AgencyPage(agencies, total)

    def agency_facets(self) -> AgencyFacets:
        with self._read() as s:
            pairs = s.execute(
                select(Agency.province, Agency.district)
                .where(Agency.province.is_not(None))
                .distinct()
            ).all()
            types = s.scalars(
                select(Agency.type).where(Agency.type.is_not(None)).distinct()
            ).all()
            codes = int(
                s.scalar(select(func.count()).select_from(Agency).where(Agency.code.is_not(None)))
                or 0
            )
        districts: dict[str, set[str]] = {}
        for province, district in pairs:
            bucket = districts.setdefault(province, set())
            if district:
                bucket.add(district)
        return AgencyFacets(
            provinces=sorted(districts),
            districts={p: sorted(d) for p, d in sorted(districts.items())},
            types=sorted(t for t in types if t),
            codes=codes,
        )

    def agency_by_code(self, code: str) -> AgencyRecord | None:
        with self._read() as s:
            agency = s.scalar(select(Agency).where(Agency.code == code))
            return _agency_record(agency) if agency else None

    def known_codes(self, codes: Sequence[str]) -> set[str]:
        """Which of ``codes`` are in the registry."""
        found: set[str] = set()
        with self._read() as s:
            for start in range(0, len(codes), 500):
                chunk = list(codes[start : start + 500])
                found.update(
                    c for c in s.scalars(select(Agency.code).where(Agency.code.in_(chunk))) if c
                )
        return found

    def count_runs(self) -> int:
        with self._read() as s:
            return int(s.scalar(select(func.count()).select_from(ScanRun)) or 0)

