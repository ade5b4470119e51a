"""archives: the WARC file of each site scan, evidence record pointers, evidence exports

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 10:00:00+00:00

- ``archive``: one row per site scan with a web archive (path, size, sha256, records,
  capped, notes, pruned_at);
- ``evidence.warc_file`` / ``evidence.warc_offset``: the WARC record of an evidence URL;
- ``evidence_export`` / ``evidence_export_scan``: packages written by
  ``oitwatch evidence export`` and the site scans they hold, which ``db prune`` keeps
  (the foreign key is RESTRICT, so the database refuses too).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "archive",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_scan_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("capped", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pruned_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["site_scan_id"], ["site_scan.id"],
            name=op.f("fk_archive_site_scan_id_site_scan"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive")),
        sa.UniqueConstraint("site_scan_id", name=op.f("uq_archive_site_scan_id")),
    )
    op.create_table(
        "evidence_export",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=False),
        sa.Column("files", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["scan_run.id"],
            name=op.f("fk_evidence_export_run_id_scan_run"), ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_export")),
    )
    op.create_index(op.f("ix_evidence_export_run_id"), "evidence_export", ["run_id"])
    op.create_table(
        "evidence_export_scan",
        sa.Column("export_id", sa.Integer(), nullable=False),
        sa.Column("site_scan_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["export_id"], ["evidence_export.id"],
            name=op.f("fk_evidence_export_scan_export_id_evidence_export"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_scan_id"], ["site_scan.id"],
            name=op.f("fk_evidence_export_scan_site_scan_id_site_scan"), ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("export_id", "site_scan_id", name=op.f("pk_evidence_export_scan")),
    )
    op.create_index(
        op.f("ix_evidence_export_scan_site_scan_id"), "evidence_export_scan", ["site_scan_id"]
    )
    with op.batch_alter_table("evidence") as batch:
        batch.add_column(sa.Column("warc_file", sa.Text(), nullable=True))
        batch.add_column(sa.Column("warc_offset", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("evidence") as batch:
        batch.drop_column("warc_offset")
        batch.drop_column("warc_file")
    op.drop_index(op.f("ix_evidence_export_scan_site_scan_id"), table_name="evidence_export_scan")
    op.drop_table("evidence_export_scan")
    op.drop_index(op.f("ix_evidence_export_run_id"), table_name="evidence_export")
    op.drop_table("evidence_export")
    op.drop_table("archive")
