"""Covering indexes for the hot lookups of the queries.

``company_places (place, company_key)``, ``park_sectors (sector, park_key)`` and
``financing_needs (need, channel_key)`` replace the single-column indexes on ``place``,
``sector`` and ``need``: lookups by the first column are served as before, and the key they
select is read from the index without a visit to the table.

Revision ID: 0002_covering_indexes
Revises: 0001_initial
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0002_covering_indexes"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

#: (table, old single-column index, old column, new index, new columns)
INDEXES = (
    (
        "company_places",
        "ix_company_places_place",
        "place",
        "ix_company_places_place_company",
        ["place", "company_key"],
    ),
    (
        "park_sectors",
        "ix_park_sectors_sector",
        "sector",
        "ix_park_sectors_sector_park",
        ["sector", "park_key"],
    ),
    (
        "financing_needs",
        "ix_financing_needs_need",
        "need",
        "ix_financing_needs_need_channel",
        ["need", "channel_key"],
    ),
)


def upgrade() -> None:
    """Replace the single-column indexes by covering ones."""
    for table, old, _column, new, columns in INDEXES:
        op.create_index(new, table, columns)
        op.drop_index(old, table_name=table)


def downgrade() -> None:
    """Restore the single-column indexes."""
    for table, old, column, new, _columns in INDEXES:
        op.create_index(old, table, [column])
        op.drop_index(new, table_name=table)
