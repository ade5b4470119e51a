"""campaigns: schedule table, queued site scans, claims and leases, one scan per (run, URL)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 10:49:00+00:00

- ``schedule``: recurring campaigns (cron in Asia/Bangkok, selection, backend, options);
- ``scan_run.schedule_id``: the schedule that started a run (at most one running per schedule);
- ``site_scan``: state ``queued`` (planned, no worker yet), claim columns for workers
  (claim_key, claim_token, claimed_by, lease_until, attempts), and a unique index on
  (run_id, seed_url) so a task delivered twice cannot record a site twice.

Existing data is kept. Before 0002, ``oitwatch scan URL URL`` with the same URL twice made
two site scans in one run; the unique index would refuse them, so such later duplicates get
a URL fragment ``#duplicate-<id>`` (never sent to a server) and are logged.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")

OLD_STATES = "state IN ('running', 'complete', 'failed')"
NEW_STATES = "state IN ('queued', 'running', 'complete', 'failed')"


def _dedupe_site_scans() -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(
            "SELECT s.id, s.seed_url FROM site_scan s WHERE EXISTS ("
            " SELECT 1 FROM site_scan t"
            " WHERE t.run_id = s.run_id AND t.seed_url = s.seed_url AND t.id < s.id)"
        )
    ).fetchall()
    for site_scan_id, seed_url in rows:
        new_url = f"{seed_url}#duplicate-{site_scan_id}"
        conn.execute(
            sa.text("UPDATE site_scan SET seed_url = :url WHERE id = :id"),
            {"url": new_url, "id": site_scan_id},
        )
        log.warning("site scan %s repeats its run's URL; kept as %s", site_scan_id, new_url)


def upgrade() -> None:
    op.create_table(
        "schedule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("cron", sa.Text(), nullable=False),
        sa.Column("selection", sa.JSON(), nullable=False),
        sa.Column("catalog", sa.String(length=64), nullable=True),
        sa.Column("backend", sa.String(length=16), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_fired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_status", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "backend IN ('inprocess', 'celery')", name=op.f("ck_schedule_backend")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule")),
        sa.UniqueConstraint("name", name=op.f("uq_schedule_name")),
    )

    with op.batch_alter_table("scan_run") as batch:
        batch.add_column(sa.Column("schedule_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_scan_run_schedule_id_schedule"),
            "schedule",
            ["schedule_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index(op.f("ix_scan_run_schedule_id"), ["schedule_id"], unique=False)

    _dedupe_site_scans()
    with op.batch_alter_table("site_scan") as batch:
        batch.add_column(sa.Column("claim_key", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("claim_token", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("claimed_by", sa.Text(), nullable=True))
        batch.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("attempts", sa.Integer(), server_default="0", nullable=False)
        )
        batch.drop_constraint(op.f("ck_site_scan_state"), type_="check")
        batch.create_check_constraint(op.f("ck_site_scan_state"), NEW_STATES)
        batch.create_index("uq_site_scan_run_id_seed_url", ["run_id", "seed_url"], unique=True)


def downgrade() -> None:
    conn = op.get_bind()
    # 0001 has no "queued" state: a planned scan that never started counts as failed.
    conn.execute(
        sa.text(
            "UPDATE site_scan SET state = 'failed', reason = 'never started (queued)' "
            "WHERE state = 'queued'"
        )
    )
    with op.batch_alter_table("site_scan") as batch:
        batch.drop_index("uq_site_scan_run_id_seed_url")
        batch.drop_constraint(op.f("ck_site_scan_state"), type_="check")
        batch.create_check_constraint(op.f("ck_site_scan_state"), OLD_STATES)
        for column in ("attempts", "lease_until", "claimed_by", "claim_token", "claim_key"):
            batch.drop_column(column)
    with op.batch_alter_table("scan_run") as batch:
        batch.drop_index(op.f("ix_scan_run_schedule_id"))
        batch.drop_constraint(op.f("fk_scan_run_schedule_id_schedule"), type_="foreignkey")
        batch.drop_column("schedule_id")
    op.drop_table("schedule")
