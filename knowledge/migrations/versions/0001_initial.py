"""Initial knowledge-base schema.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def _provenance(table: str) -> list[sa.SchemaItem]:
    return [
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("verification", sa.String(16), nullable=False),
        sa.Column("origin", sa.String(100), nullable=False),
        sa.Column("quote", sa.Text()),
        sa.Column("note", sa.Text()),
        sa.Column("unverified_fields", sa.JSON()),
        sa.CheckConstraint(
            "verification in ('verified', 'needs_check')", name=f"ck_{table}_verification"
        ),
    ]


def _origin_index(table: str) -> None:
    op.create_index(f"ix_{table}_origin", table, ["origin"])


def upgrade() -> None:
    """Create every table of the knowledge base."""
    op.create_table(
        "kb_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    op.create_table(
        "countries",
        sa.Column("iso2", sa.String(2), primary_key=True),
        sa.Column("iso3", sa.String(3)),
        sa.Column("m49", sa.String(3)),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("region", sa.String(64)),
        sa.Column("subregion", sa.String(64)),
        sa.Column("intermediate_region", sa.String(64)),
        sa.Column("bri_status", sa.String(40)),
        sa.Column("bri_source", sa.Text()),
        sa.Column("bri_as_of", sa.Date()),
        sa.Column("bri_note", sa.Text()),
        sa.Column("oecd_classified", sa.Boolean(), nullable=False),
        sa.Column("oecd_category", sa.Integer()),
        sa.Column("oecd_previous", sa.Integer()),
        sa.Column("oecd_note", sa.Text()),
        sa.Column("oecd_as_of", sa.Date()),
        *_provenance("countries"),
    )
    _origin_index("countries")
    op.create_index("ix_countries_subregion", "countries", ["subregion"])
    op.create_table(
        "sectors",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("isic", sa.JSON(), nullable=False),
        sa.Column("labels", sa.JSON(), nullable=False),
        sa.Column("synonyms", sa.JSON(), nullable=False),
        sa.Column("related", sa.JSON(), nullable=False),
        *_provenance("sectors"),
    )
    _origin_index("sectors")
    op.create_table(
        "country_risk_notes",
        sa.Column("key", sa.String(120), primary_key=True),
        sa.Column("country", sa.String(2), sa.ForeignKey("countries.iso2"), nullable=False),
        sa.Column("dimension", sa.String(16), nullable=False),
        sa.Column("text", sa.JSON(), nullable=False),
        *_provenance("country_risk_notes"),
    )
    _origin_index("country_risk_notes")
    op.create_index("ix_country_risk_notes_country", "country_risk_notes", ["country"])
    op.create_table(
        "parks",
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column("name", sa.JSON(), nullable=False),
        sa.Column("country", sa.String(2), sa.ForeignKey("countries.iso2"), nullable=False),
        sa.Column("focus", sa.JSON()),
        sa.Column("developer", sa.Text()),
        sa.Column("developer_ownership", sa.String(32)),
        sa.Column("chinese_developed", sa.Boolean()),
        sa.Column("overseas", sa.Boolean(), nullable=False),
        sa.Column("start_year", sa.Integer()),
        sa.Column("start_year_note", sa.Text()),
        sa.Column("area", sa.Text()),
        sa.Column("status", sa.String(32)),
        sa.Column("status_note", sa.Text()),
        sa.Column("ready_built", sa.JSON()),
        sa.Column("incentives", sa.JSON()),
        sa.Column("website", sa.Text()),
        *_provenance("parks"),
    )
    _origin_index("parks")
    op.create_index("ix_parks_country", "parks", ["country"])
    op.create_table(
        "park_sectors",
        sa.Column(
            "park_key",
            sa.String(80),
            sa.ForeignKey("parks.key", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("sector", sa.String(40), sa.ForeignKey("sectors.key"), primary_key=True),
    )
    op.create_index("ix_park_sectors_sector", "park_sectors", ["sector"])
    op.create_table(
        "financing_channels",
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column("institution", sa.JSON(), nullable=False),
        sa.Column("program", sa.JSON(), nullable=False),
        sa.Column("instrument", sa.String(16), nullable=False),
        sa.Column("access_path", sa.String(20)),
        sa.Column("eligibility", sa.JSON()),
        sa.Column("sme_eligible", sa.Boolean()),
        sa.Column("regions_text", sa.Text()),
        sa.Column("sectors_text", sa.Text()),
        sa.Column("ticket_min", sa.Float()),
        sa.Column("ticket_max", sa.Float()),
        sa.Column("ticket_currency", sa.String(3)),
        sa.Column("terms", sa.JSON()),
        sa.Column("how_to_apply", sa.JSON()),
        *_provenance("financing_channels"),
    )
    _origin_index("financing_channels")
    op.create_index("ix_financing_channels_instrument", "financing_channels", ["instrument"])
    for name, columns in (
        ("financing_needs", [sa.Column("need", sa.String(32), primary_key=True)]),
        (
            "financing_places",
            [
                sa.Column("role", sa.String(10), primary_key=True),
                sa.Column("place", sa.String(64), primary_key=True),
            ],
        ),
        (
            "financing_sectors",
            [sa.Column("sector", sa.String(40), sa.ForeignKey("sectors.key"), primary_key=True)],
        ),
    ):
        op.create_table(
            name,
            sa.Column(
                "channel_key",
                sa.String(80),
                sa.ForeignKey("financing_channels.key", ondelete="CASCADE"),
                primary_key=True,
            ),
            *columns,
        )
    op.create_index("ix_financing_needs_need", "financing_needs", ["need"])
    op.create_index("ix_financing_sectors_sector", "financing_sectors", ["sector"])
    op.create_table(
        "companies",
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column("name", sa.JSON(), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("subkind", sa.String(40)),
        sa.Column("ownership", sa.String(32)),
        sa.Column("country", sa.String(2), sa.ForeignKey("countries.iso2")),
        sa.Column("services", sa.JSON()),
        sa.Column("website", sa.Text()),
        sa.Column("contact", sa.Text()),
        sa.Column("aliases", sa.JSON()),
        *_provenance("companies"),
    )
    _origin_index("companies")
    op.create_index("ix_companies_kind", "companies", ["kind"])
    op.create_index("ix_companies_country", "companies", ["country"])
    op.create_table(
        "company_places",
        sa.Column(
            "company_key",
            sa.String(80),
            sa.ForeignKey("companies.key", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("place", sa.String(64), primary_key=True),
    )
    op.create_index("ix_company_places_place", "company_places", ["place"])
    op.create_table(
        "company_sectors",
        sa.Column(
            "company_key",
            sa.String(80),
            sa.ForeignKey("companies.key", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("sector", sa.String(40), sa.ForeignKey("sectors.key"), primary_key=True),
    )
    op.create_index("ix_company_sectors_sector", "company_sectors", ["sector"])
    op.create_table(
        "leader_projects",
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column("company_key", sa.String(80), sa.ForeignKey("companies.key"), nullable=False),
        sa.Column("subsidiary", sa.Text()),
        sa.Column("country", sa.String(2), sa.ForeignKey("countries.iso2"), nullable=False),
        sa.Column("sector", sa.String(40), sa.ForeignKey("sectors.key"), nullable=False),
        sa.Column("subsector", sa.Text()),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("year", sa.Integer()),
        sa.Column("year_end", sa.Integer()),
        sa.Column("year_kind", sa.Text()),
        sa.Column("value_musd_min", sa.Float()),
        sa.Column("value_musd_max", sa.Float()),
        *_provenance("leader_projects"),
    )
    _origin_index("leader_projects")
    op.create_index("ix_leader_projects_company_key", "leader_projects", ["company_key"])
    op.create_index(
        "ix_leader_projects_sector_country",
        "leader_projects",
        ["sector", "country", "company_key", "year", "year_end"],
    )
    op.create_index(
        "ix_leader_projects_country_sector",
        "leader_projects",
        ["country", "sector", "company_key", "year", "year_end"],
    )


def downgrade() -> None:
    """Drop every table of the knowledge base."""
    for table in (
        "leader_projects",
        "company_sectors",
        "company_places",
        "companies",
        "financing_sectors",
        "financing_places",
        "financing_needs",
        "financing_channels",
        "park_sectors",
        "parks",
        "country_risk_notes",
        "sectors",
        "countries",
        "kb_meta",
    ):
        op.drop_table(table)
