"""initial: agency, scan_run, site_scan, page, item_result, evidence

Revision ID: 0001
Revises:
Create Date: 2026-11-21 10:22:00.824158+00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "agency",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("type", sa.Text(), nullable=True),
        sa.Column("province", sa.Text(), nullable=True),
        sa.Column("district", sa.Text(), nullable=True),
        sa.Column("homepage", sa.Text(), nullable=True),
        sa.Column("homepage_key", sa.Text(), nullable=True),
        sa.Column("catalog", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency")),
        sa.UniqueConstraint("code", name=op.f("uq_agency_code")),
    )
    op.create_index(op.f("ix_agency_homepage_key"), "agency", ["homepage_key"], unique=False)
    op.create_index("ix_agency_province_district", "agency", ["province", "district"], unique=False)

    op.create_table(
        "scan_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("catalog_id", sa.String(length=64), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("trigger", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("tool_version", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "state IN ('running', 'complete', 'interrupted')", name=op.f("ck_scan_run_state")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scan_run")),
    )
    op.create_table(
        "site_scan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("seed_url", sa.Text(), nullable=False),
        sa.Column("final_url", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("pages_fetched", sa.Integer(), nullable=False),
        sa.Column("duration", sa.Float(), nullable=True),
        sa.CheckConstraint(
            "state IN ('running', 'complete', 'failed')", name=op.f("ck_site_scan_state")
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agency.id"],
            name=op.f("fk_site_scan_agency_id_agency"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["scan_run.id"],
            name=op.f("fk_site_scan_run_id_scan_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_scan")),
    )
    op.create_index(op.f("ix_site_scan_agency_id"), "site_scan", ["agency_id"], unique=False)
    op.create_index(op.f("ix_site_scan_run_id"), "site_scan", ["run_id"], unique=False)
    op.create_index("ix_site_scan_seed_url", "site_scan", ["seed_url"], unique=False)

    op.create_table(
        "item_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_scan_id", sa.Integer(), nullable=False),
        sa.Column("catalog_id", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("title_th", sa.Text(), nullable=False),
        sa.Column("title_en", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "status IN ('pass', 'partial', 'fail', 'error')", name=op.f("ck_item_result_status")
        ),
        sa.ForeignKeyConstraint(
            ["site_scan_id"],
            ["site_scan.id"],
            name=op.f("fk_item_result_site_scan_id_site_scan"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_result")),
        sa.UniqueConstraint("site_scan_id", "code", name=op.f("uq_item_result_site_scan_id_code")),
    )
    op.create_table(
        "page",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_scan_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("final_url", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.Text(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.Column("click_path", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_scan_id"],
            ["site_scan.id"],
            name=op.f("fk_page_site_scan_id_site_scan"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_page")),
    )
    op.create_index(op.f("ix_page_site_scan_id"), "page", ["site_scan_id"], unique=False)

    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_result_id", sa.Integer(), nullable=False),
        sa.Column("page_id", sa.Integer(), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("click_path", sa.JSON(), nullable=False),
        sa.Column("click_path_urls", sa.JSON(), nullable=False),
        sa.Column("matched", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("meets_requirements", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_result_id"],
            ["item_result.id"],
            name=op.f("fk_evidence_item_result_id_item_result"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["page_id"], ["page.id"], name=op.f("fk_evidence_page_id_page"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
        sa.UniqueConstraint("item_result_id", "rank", name=op.f("uq_evidence_item_result_id_rank")),
    )
    op.create_index(op.f("ix_evidence_page_id"), "evidence", ["page_id"], unique=False)


def downgrade() -> None:
    """Downgrade schema: drop everything (children first). Indexes go with their tables."""
    for table in ("evidence", "page", "item_result", "site_scan", "scan_run", "agency"):
        op.drop_table(table)
