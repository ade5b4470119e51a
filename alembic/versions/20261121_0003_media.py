"""media: crawl notes, document pages, QR image and screenshot of evidence

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 12:00:00+00:00

- ``site_scan.notes``: what the crawl could not do (no browser, no OCR, budgets reached);
- ``evidence.document_pages``: the pages of a document where the item matched;
- ``evidence.image_url``: the image a QR code was decoded from;
- ``evidence.screenshot``: SHA-256 of a PNG of the evidence page in the screenshot store.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("site_scan") as batch:
        batch.add_column(sa.Column("notes", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("evidence") as batch:
        batch.add_column(
            sa.Column("document_pages", sa.JSON(), nullable=False, server_default="[]")
        )
        batch.add_column(sa.Column("image_url", sa.Text(), nullable=False, server_default=""))
        batch.add_column(
            sa.Column("screenshot", sa.String(length=64), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("evidence") as batch:
        batch.drop_column("screenshot")
        batch.drop_column("image_url")
        batch.drop_column("document_pages")
    with op.batch_alter_table("site_scan") as batch:
        batch.drop_column("notes")
