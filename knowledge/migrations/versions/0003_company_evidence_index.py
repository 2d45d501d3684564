"""Covering index for the evidence of leading firms.

``find_partners`` shows a few projects of each leading firm it returns, ranked per firm by
sector, recency and key. With only ``ix_leader_projects_company_key`` every project of the
firms was read from the table; ``(company_key, year_end, year, key, sector, country)`` holds
every column the ranking reads, and lookups by ``company_key`` alone (the foreign key) are
served by it as before, so it replaces the single-column index. ``company_key`` is its only
column meant for seeking: sector and country filters are lists of up to a few hundred values,
and seeking every combination was slower than reading a firm's entries.

Revision ID: 0003_company_evidence_index
Revises: 0002_covering_indexes
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0003_company_evidence_index"
down_revision = "0002_covering_indexes"
branch_labels = None
depends_on = None

OLD = "ix_leader_projects_company_key"
NEW = "ix_leader_projects_company_evidence"
COLUMNS = ["company_key", "year_end", "year", "key", "sector", "country"]


def upgrade() -> None:
    """Replace the single-column index on ``company_key`` by the covering one."""
    op.create_index(NEW, "leader_projects", COLUMNS)
    op.drop_index(OLD, table_name="leader_projects")


def downgrade() -> None:
    """Restore the single-column index."""
    op.create_index(OLD, "leader_projects", ["company_key"])
    op.drop_index(NEW, table_name="leader_projects")
