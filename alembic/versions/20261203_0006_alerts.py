"""alerts: destinations (e-mail / webhook per schedule or province) and deliveries per run

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 09:40:00+00:00

- ``alert_destination``: kind (email | webhook), target (address or URL), the webhook's HMAC
  secret, scope (a schedule id or a province, exactly one), language (th | en), enabled;
- ``alert_delivery``: one row per (run, destination), unique, so the same run is never sent
  to a destination twice, after a restart or by two processes; status (sending | sent |
  failed | skipped), attempts, claim token and lease of the sender, sent_at.

New tables only; existing data is untouched.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alert_destination",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("secret", sa.Text(), nullable=True),
        sa.Column("schedule_id", sa.Integer(), nullable=True),
        sa.Column("province", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('email', 'webhook')", name=op.f("ck_alert_destination_kind")),
        sa.CheckConstraint(
            "language IN ('th', 'en')", name=op.f("ck_alert_destination_language")
        ),
        sa.CheckConstraint(
            "(schedule_id IS NULL AND province IS NOT NULL)"
            " OR (schedule_id IS NOT NULL AND province IS NULL)",
            name=op.f("ck_alert_destination_scope"),
        ),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["schedule.id"],
            name=op.f("fk_alert_destination_schedule_id_schedule"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_destination")),
    )
    op.create_index(
        op.f("ix_alert_destination_schedule_id"), "alert_destination", ["schedule_id"]
    )
    op.create_table(
        "alert_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("destination_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("baseline_run_id", sa.Integer(), nullable=True),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('sending', 'sent', 'failed', 'skipped')",
            name=op.f("ck_alert_delivery_status"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["scan_run.id"],
            name=op.f("fk_alert_delivery_run_id_scan_run"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["destination_id"],
            ["alert_destination.id"],
            name=op.f("fk_alert_delivery_destination_id_alert_destination"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_delivery")),
        sa.UniqueConstraint(
            "run_id", "destination_id", name=op.f("uq_alert_delivery_run_id_destination_id")
        ),
    )
    op.create_index(
        op.f("ix_alert_delivery_destination_id"), "alert_delivery", ["destination_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_alert_delivery_destination_id"), table_name="alert_delivery")
    op.drop_table("alert_delivery")
    op.drop_index(op.f("ix_alert_destination_schedule_id"), table_name="alert_destination")
    op.drop_table("alert_destination")
