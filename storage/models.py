"""The database schema: SQLAlchemy 2 declarative models.

Portable across SQLite and PostgreSQL: plain strings (with CHECK constraints for the states
storage itself owns) instead of native enums, ``sqlalchemy.JSON`` for lists, and
timezone-aware UTC timestamps through :class:`UTCDateTime`. Text that comes from outside
(web servers, registry CSVs) is ``Text``; ``String(n)`` is kept for identifiers we control,
and repo.py checks their length so SQLite (which ignores n) and PostgreSQL agree.

Schema changes go through an Alembic migration (``alembic/versions/``); the drift test in
``tests/storage`` fails when these models and the migrations disagree.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

__all__ = [
    "Agency",
    "ApiToken",
    "ArchiveRow",
    "Base",
    "EvidenceExport",
    "EvidenceExportScan",
    "Schedule",
    "EvidenceRow",
    "ItemResultRow",
    "PageRow",
    "RunState",
    "ScanRun",
    "SiteScan",
    "SiteScanState",
    "UTCDateTime",
    "utcnow",
]

# Stable constraint names, so a later migration can drop or alter a constraint by name on
# both backends (SQLite batch mode needs names to recreate tables correctly).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class RunState(str, enum.Enum):
    RUNNING = "running"
    COMPLETE = "complete"
    INTERRUPTED = "interrupted"  # the process stopped (killed, crashed) before finish_run


class SiteScanState(str, enum.Enum):
    QUEUED = "queued"  # part of a campaign, not started yet (waiting for a worker)
    RUNNING = "running"  # started, results not (yet) written
    COMPLETE = "complete"  # crawl + item results written in one transaction
    FAILED = "failed"  # results could not be produced or saved; no item results exist


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """``DateTime(timezone=True)`` that only accepts aware datetimes and always returns
    aware UTC ones.

    PostgreSQL stores ``timestamptz`` and returns it in the session's time zone; SQLite has no
    time zone support and returns naive values. Both are normalised to UTC here, so callers
    never see a naive datetime. A naive value on write is a bug (we cannot know its zone), so
    it is refused rather than guessed.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: storage needs timezone-aware values")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            # SQLite keeps the text "YYYY-MM-DD HH:MM:SS.ffffff"; always UTC, so string
            # comparison in SQL (e.g. stale-run cut-offs) is also chronological.
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _in(values: type[enum.Enum]) -> str:
    return ", ".join(f"'{v.value}'" for v in values)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime,
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class Agency(Base):
    """A public agency (อปท., ministry unit, ...) whose website is scanned."""

    __tablename__ = "agency"
    __table_args__ = (Index("ix_agency_province_district", "province", "district"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str | None] = mapped_column(String(32), unique=True)  # registry code, if known
    name: Mapped[str] = mapped_column(Text)
    type: Mapped[str | None] = mapped_column(Text)  # อบต. / เทศบาลตำบล / ...
    province: Mapped[str | None] = mapped_column(Text)
    district: Mapped[str | None] = mapped_column(Text)
    homepage: Mapped[str | None] = mapped_column(Text)
    # homepage without scheme, "www." and trailing slash, so http/https/www variants of the
    # same site find the same agency (see repo.homepage_key).
    homepage_key: Mapped[str | None] = mapped_column(Text, index=True)
    catalog: Mapped[str | None] = mapped_column(String(64))  # catalog that applies, e.g. ita-2566
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Schedule(Base):
    """A recurring campaign: which agencies, when (cron, Asia/Bangkok), how (backend, options).

    This table is the source of truth; the scheduler service copies it into APScheduler at
    start and whenever a row changes (``updated_at``)."""

    __tablename__ = "schedule"
    __table_args__ = (CheckConstraint("backend IN ('inprocess', 'celery')", name="backend"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str | None] = mapped_column(Text, unique=True)
    cron: Mapped[str] = mapped_column(Text)  # 5 fields, e.g. "0 1 * * *", Asia/Bangkok
    # {"province": ..., "district": ..., "agencies": [...], "all": bool}, see oitwatch.campaign
    selection: Mapped[dict[str, Any]] = mapped_column(default=dict)
    catalog: Mapped[str | None] = mapped_column(String(64))  # None: the agencies' catalog
    backend: Mapped[str] = mapped_column(String(16), default="inprocess")
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)  # max_pages, ...
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    last_fired_at: Mapped[datetime | None] = mapped_column()
    last_status: Mapped[str | None] = mapped_column(Text)  # "started run 12", "skipped: ..."


class ScanRun(Base):
    """One invocation of a scan (CLI, demo, nightly schedule) over one or many sites."""

    __tablename__ = "scan_run"
    __table_args__ = (CheckConstraint(f"state IN ({_in(RunState)})", name="state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    catalog_id: Mapped[str] = mapped_column(String(64))
    fiscal_year: Mapped[int] = mapped_column(Integer)  # Buddhist Era, e.g. 2566
    trigger: Mapped[str] = mapped_column(Text)  # cli / demo / schedule / ...
    state: Mapped[str] = mapped_column(String(16), default=RunState.RUNNING.value)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()
    # Last write by the run's process; a "running" run whose heartbeat is old was killed.
    heartbeat_at: Mapped[datetime] = mapped_column(default=utcnow)
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)  # max_pages, ...
    tool_version: Mapped[str] = mapped_column(Text)
    # The schedule that started this run (None: started by hand); at most one running run
    # per schedule (Repository.start_campaign_run).
    schedule_id: Mapped[int | None] = mapped_column(
        ForeignKey("schedule.id", ondelete="SET NULL"), index=True
    )

    site_scans: Mapped[list[SiteScan]] = relationship(back_populates="run")


class SiteScan(Base):
    """The scan of one site within a run. Item results exist only when state is complete.

    One row per (run, seed URL): a task delivered twice (a killed worker's site, a retry)
    claims the same row again instead of adding a second scan (Repository.claim_site_scan).
    """

    __tablename__ = "site_scan"
    __table_args__ = (
        CheckConstraint(f"state IN ({_in(SiteScanState)})", name="state"),
        Index("ix_site_scan_seed_url", "seed_url"),
        Index("uq_site_scan_run_id_seed_url", "run_id", "seed_url", unique=True),
        # `runs diff` reads one run's scans, filtered by agency; `history` one agency's scans
        # in run order. Both composites also serve the single-column lookups (FK checks,
        # run_id alone), so no separate run_id / agency_id index is kept (migration 0004).
        Index("ix_site_scan_run_id_agency_id", "run_id", "agency_id"),
        Index("ix_site_scan_agency_id_run_id", "agency_id", "run_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("scan_run.id", ondelete="CASCADE"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id", ondelete="SET NULL"))
    seed_url: Mapped[str] = mapped_column(Text)
    final_url: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default=SiteScanState.RUNNING.value)
    status: Mapped[str | None] = mapped_column(String(16))  # crawler SiteStatus, once complete
    reason: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()
    pages_fetched: Mapped[int] = mapped_column(Integer, default=0)
    duration: Mapped[float | None] = mapped_column(Float)  # seconds
    # What the crawl could not do (no browser, no OCR, budgets reached): the report says so.
    notes: Mapped[list[Any]] = mapped_column(default=list)
    # Who scans it now: claim_key is the same for every delivery of one task (Celery task id,
    # or one in-process scan), claim_token changes with every attempt and guards the writes
    # (a presumed-dead attempt can no longer fail or renew the scan). lease_until is renewed
    # while the crawl runs; an expired lease means the scanning process is gone.
    claim_key: Mapped[str | None] = mapped_column(String(64))
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claimed_by: Mapped[str | None] = mapped_column(Text)  # "host pid 123", for people
    lease_until: Mapped[datetime | None] = mapped_column()
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    run: Mapped[ScanRun] = relationship(back_populates="site_scans")
    agency: Mapped[Agency | None] = relationship()
    pages: Mapped[list[PageRow]] = relationship(
        back_populates="site_scan", cascade="all, delete-orphan", passive_deletes=True
    )
    items: Mapped[list[ItemResultRow]] = relationship(
        back_populates="site_scan",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ItemResultRow.id",
    )


class PageRow(Base):
    """A URL fetched during a site scan (kinds page/document), or an off-site link seen
    (kind external, never fetched: http_status 0, no fetched_at)."""

    __tablename__ = "page"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_scan_id: Mapped[int] = mapped_column(
        ForeignKey("site_scan.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(Text)
    final_url: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))  # crawler PageKind value
    http_status: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str] = mapped_column(Text, default="")
    size: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    fetched_at: Mapped[datetime | None] = mapped_column()
    title: Mapped[str] = mapped_column(Text, default="")
    depth: Mapped[int] = mapped_column(Integer, default=0)
    click_path: Mapped[list[Any]] = mapped_column(default=list)  # [{"url": ..., "text": ...}]
    error: Mapped[str] = mapped_column(Text, default="")

    site_scan: Mapped[SiteScan] = relationship(back_populates="pages")


class ItemResultRow(Base):
    """The verdict on one catalog item for one site scan."""

    __tablename__ = "item_result"
    __table_args__ = (
        UniqueConstraint("site_scan_id", "code"),  # also serves lookups by (scan, code)
        CheckConstraint("status IN ('pass', 'partial', 'fail', 'error')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_scan_id: Mapped[int] = mapped_column(ForeignKey("site_scan.id", ondelete="CASCADE"))
    catalog_id: Mapped[str] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(32))
    title_th: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))  # rules ItemStatus value
    reasons: Mapped[list[Any]] = mapped_column(default=list)  # [{"th": ..., "en": ...}]

    site_scan: Mapped[SiteScan] = relationship(back_populates="items")
    evidence: Mapped[list[EvidenceRow]] = relationship(
        back_populates="item_result",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="EvidenceRow.rank",
    )


class EvidenceRow(Base):
    """A candidate URL for an item, best first (rank 0)."""

    __tablename__ = "evidence"
    __table_args__ = (UniqueConstraint("item_result_id", "rank"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_result_id: Mapped[int] = mapped_column(ForeignKey("item_result.id", ondelete="CASCADE"))
    # The fetched page this evidence points at, when the crawl has it: gives the auditor
    # fetched_at and HTTP status next to the hash.
    page_id: Mapped[int | None] = mapped_column(
        ForeignKey("page.id", ondelete="SET NULL"), index=True
    )
    rank: Mapped[int] = mapped_column(Integer)
    url: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    click_path: Mapped[list[Any]] = mapped_column(default=list)  # human labels
    click_path_urls: Mapped[list[Any]] = mapped_column(default=list)
    matched: Mapped[str] = mapped_column(Text, default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")
    score: Mapped[float] = mapped_column(Float, default=0.0)
    meets_requirements: Mapped[bool] = mapped_column(Boolean, default=True)
    document_pages: Mapped[list[Any]] = mapped_column(default=list)  # 1-based pages that matched
    image_url: Mapped[str] = mapped_column(Text, default="")  # image a QR code was read from
    screenshot: Mapped[str] = mapped_column(String(64), default="")  # PNG sha256 in the store
    # The WARC record of this evidence's content (migration 0005): the site scan's archive
    # file (ArchiveRow.path) and the offset of the response record's gzip member.
    warc_file: Mapped[str | None] = mapped_column(Text)
    warc_offset: Mapped[int | None] = mapped_column(BigInteger)

    item_result: Mapped[ItemResultRow] = relationship(back_populates="evidence")
    page: Mapped[PageRow | None] = relationship()


# -- alerts (issue 9): who is told what changed after a run, and what was sent -------------


class AlertDestination(Base):
    """Where the changes of a run are sent: an e-mail address or a webhook URL, for the runs
    of one schedule or for the campaigns that cover one province (exactly one of the two)."""

    __tablename__ = "alert_destination"
    __table_args__ = (
        CheckConstraint("kind IN ('email', 'webhook')", name="kind"),
        CheckConstraint("language IN ('th', 'en')", name="language"),
        CheckConstraint(
            "(schedule_id IS NULL AND province IS NOT NULL)"
            " OR (schedule_id IS NOT NULL AND province IS NULL)",
            name="scope",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(Text)  # e-mail address or webhook URL
    # HMAC-SHA256 key of a webhook (the receiver holds the same); kept in clear because the
    # sender must sign with it.
    secret: Mapped[str | None] = mapped_column(Text)
    # A destination of a schedule goes with it (ON DELETE CASCADE).
    schedule_id: Mapped[int | None] = mapped_column(
        ForeignKey("schedule.id", ondelete="CASCADE"), index=True
    )
    province: Mapped[str | None] = mapped_column(Text)  # normalised like agency.province
    language: Mapped[str] = mapped_column(String(2), default="th")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AlertDelivery(Base):
    """One run's message to one destination. The unique (run, destination) pair is what
    makes "never sent twice" hold across restarts and processes: a sender first inserts (or
    takes over a failed) row, and only the one that did so sends."""

    __tablename__ = "alert_delivery"
    __table_args__ = (
        UniqueConstraint("run_id", "destination_id"),  # also serves lookups by run
        CheckConstraint("status IN ('sending', 'sent', 'failed', 'skipped')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("scan_run.id", ondelete="CASCADE"))
    destination_id: Mapped[int] = mapped_column(
        ForeignKey("alert_destination.id", ondelete="CASCADE"), index=True
    )
    # sending: claimed by a sender until lease_until; sent; failed (retried later, up to a
    # limit of attempts); skipped (nothing worth a message: no change, no earlier run).
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claim_token: Mapped[str | None] = mapped_column(String(32))
    lease_until: Mapped[datetime | None] = mapped_column()
    baseline_run_id: Mapped[int | None] = mapped_column(Integer)  # the run compared with
    changes: Mapped[int] = mapped_column(Integer, default=0)  # changes reported
    detail: Mapped[str | None] = mapped_column(Text)  # last error, or why it was skipped
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column()


class ArchiveRow(Base):
    """The web archive (one gzip WARC 1.1 file) of a site scan (archive._writer)."""

    __tablename__ = "archive"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_scan_id: Mapped[int] = mapped_column(
        ForeignKey("site_scan.id", ondelete="CASCADE"), unique=True
    )
    path: Mapped[str] = mapped_column(Text)  # absolute, as written
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    records: Mapped[int] = mapped_column(Integer)
    capped: Mapped[bool] = mapped_column(Boolean, default=False)  # the size cap stopped it
    notes: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when `db prune --keep-archives-days` deleted the file; the row stays, so a report
    # can say the archive existed and when it was removed.
    pruned_at: Mapped[datetime | None] = mapped_column()


class EvidenceExport(Base):
    """An evidence package written by `oitwatch evidence export`. Its site scans (and their
    runs and archives) are never pruned: an auditor may hold the package."""

    __tablename__ = "evidence_export"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey("scan_run.id", ondelete="RESTRICT"), index=True
    )
    path: Mapped[str] = mapped_column(Text)
    manifest_sha256: Mapped[str] = mapped_column(String(64), default="")
    files: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class EvidenceExportScan(Base):
    """Which site scans an export holds (RESTRICT: the database itself refuses to delete
    them)."""

    __tablename__ = "evidence_export_scan"

    export_id: Mapped[int] = mapped_column(
        ForeignKey("evidence_export.id", ondelete="CASCADE"), primary_key=True
    )
    site_scan_id: Mapped[int] = mapped_column(
        ForeignKey("site_scan.id", ondelete="RESTRICT"), primary_key=True, index=True
    )


class ApiToken(Base):
    """A token that may change data through the dashboard or the API (``oitwatch tokens``).

    Only the SHA-256 of the token is kept: the token is 32 random bytes, so a fast hash is
    enough (nobody can guess it back), and a leaked database gives no usable token. The
    prefix ("oitw_AbCd") is stored in clear so people can tell their tokens apart."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    prefix: Mapped[str] = mapped_column(String(16))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()
