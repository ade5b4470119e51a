"""history indexes: site scans by (run, agency) and by (agency, run)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 09:20:00+00:00

``oitwatch runs diff A B`` reads the site scans of two runs, optionally for some agencies;
``oitwatch history AGENCY`` reads one agency's scans in run order. At 8,000 agencies × 365
runs (~3 million site scans) both need a composite index:

- ``ix_site_scan_run_id_agency_id`` (run_id, agency_id);
- ``ix_site_scan_agency_id_run_id`` (agency_id, run_id).

They replace the single-column ``ix_site_scan_run_id`` and ``ix_site_scan_agency_id``, which
are prefixes of them (every lookup those served, the composites serve), so a write does not
maintain two redundant indexes. Item results are found by ``uq_item_result_site_scan_id_code``
and evidence by ``uq_evidence_item_result_id_rank``, which exist already.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_site_scan_run_id_agency_id", "site_scan", ["run_id", "agency_id"])
    op.create_index("ix_site_scan_agency_id_run_id", "site_scan", ["agency_id", "run_id"])
    op.drop_index("ix_site_scan_run_id", table_name="site_scan")
    op.drop_index("ix_site_scan_agency_id", table_name="site_scan")


def downgrade() -> None:
    op.create_index("ix_site_scan_agency_id", "site_scan", ["agency_id"])
    op.create_index("ix_site_scan_run_id", "site_scan", ["run_id"])
    op.drop_index("ix_site_scan_agency_id_run_id", table_name="site_scan")
    op.drop_index("ix_site_scan_run_id_agency_id", table_name="site_scan")
