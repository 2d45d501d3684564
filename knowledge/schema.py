"""SQLAlchemy models of the knowledge base (declarative, typed, SQLAlchemy 1.4 / 2.0 style).

Every record table carries provenance: ``source`` (URL), ``as_of`` (date), ``verification``
(``verified`` | ``needs_check``), ``origin`` (``curated`` or the name of an import), and optional
``quote`` (the excerpt that verifies it), ``note`` and ``unverified_fields`` (fields filled by
curation that the cited source does not state). Multilingual text is a JSON object keyed by
language code (at least ``en`` and ``zh``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, declarative_base, declared_attr

Base: Any = declarative_base()

Text_ = dict[str, str]


class Provenance:
    """Columns every record carries."""

    source: Mapped[str] = Column(Text, nullable=False)
    as_of: Mapped[dt.date] = Column(Date, nullable=False)
    verification: Mapped[str] = Column(String(16), nullable=False)
    origin: Mapped[str] = Column(String(100), nullable=False, default="curated")
    quote: Mapped[str | None] = Column(Text)
    note: Mapped[str | None] = Column(Text)
    unverified_fields: Mapped[list[str] | None] = Column(JSON(none_as_null=True))

    @declared_attr
    def __table_args__(cls) -> tuple[Any, ...]:
        name = cls.__tablename__  # type: ignore[attr-defined]
        return (
            CheckConstraint(
                "verification in ('verified', 'needs_check')", name=f"ck_{name}_verification"
            ),
            Index(f"ix_{name}_origin", "origin"),
            *getattr(cls, "__extra_args__", ()),
        )


class Meta(Base):
    """Key/value facts about the loaded data (e.g. ``data_version``)."""

    __tablename__ = "kb_meta"
    key: Mapped[str] = Column(String(64), primary_key=True)
    value: Mapped[str] = Column(Text, nullable=False)


class Country(Provenance, Base):
    """A country: ISO code, UN M49 regions, Belt and Road status, OECD risk category."""

    __tablename__ = "countries"
    iso2: Mapped[str] = Column(String(2), primary_key=True)
    iso3: Mapped[str | None] = Column(String(3))
    m49: Mapped[str | None] = Column(String(3))
    name_en: Mapped[str] = Column(Text, nullable=False)
    region: Mapped[str | None] = Column(String(64))
    subregion: Mapped[str | None] = Column(String(64))
    intermediate_region: Mapped[str | None] = Column(String(64))
    bri_status: Mapped[str | None] = Column(String(40))
    bri_source: Mapped[str | None] = Column(Text)
    bri_as_of: Mapped[dt.date | None] = Column(Date)
    bri_note: Mapped[str | None] = Column(Text)
    oecd_classified: Mapped[bool] = Column(Boolean, nullable=False, default=False)
    oecd_category: Mapped[int | None] = Column(Integer)
    oecd_previous: Mapped[int | None] = Column(Integer)
    oecd_note: Mapped[str | None] = Column(Text)
    oecd_as_of: Mapped[dt.date | None] = Column(Date)
    __extra_args__ = (Index("ix_countries_subregion", "subregion"),)


class CountryRiskNote(Provenance, Base):
    """A sourced short note on one risk dimension of a country."""

    __tablename__ = "country_risk_notes"
    key: Mapped[str] = Column(String(120), primary_key=True)
    country: Mapped[str] = Column(ForeignKey("countries.iso2"), nullable=False, index=True)
    dimension: Mapped[str] = Column(String(16), nullable=False)
    text: Mapped[Text_] = Column(JSON(none_as_null=True), nullable=False)


class Sector(Provenance, Base):
    """A sector of the vocabulary (keys fixed by nlu/README.md), mapped to ISIC Rev.4."""

    __tablename__ = "sectors"
    key: Mapped[str] = Column(String(40), primary_key=True)
    isic: Mapped[list[str]] = Column(JSON(none_as_null=True), nullable=False)
    labels: Mapped[Text_] = Column(JSON(none_as_null=True), nullable=False)
    synonyms: Mapped[dict[str, list[str]]] = Column(JSON(none_as_null=True), nullable=False)
    related: Mapped[list[str]] = Column(JSON(none_as_null=True), nullable=False)


class Park(Provenance, Base):
    """An overseas economic and trade cooperation zone or industrial park."""

    __tablename__ = "parks"
    key: Mapped[str] = Column(String(80), primary_key=True)
    name: Mapped[Text_] = Column(JSON(none_as_null=True), nullable=False)
    country: Mapped[str] = Column(ForeignKey("countries.iso2"), nullable=False, index=True)
    focus: Mapped[Text_ | None] = Column(JSON(none_as_null=True))
    developer: Mapped[str | None] = Column(Text)
    developer_ownership: Mapped[str | None] = Column(String(32))
    chinese_developed: Mapped[bool | None] = Column(Boolean)
    overseas: Mapped[bool] = Column(Boolean, nullable=False, default=True)
    start_year: Mapped[int | None] = Column(Integer)
    start_year_note: Mapped[str | None] = Column(Text)
    area: Mapped[str | None] = Column(Text)
    status: Mapped[str | None] = Column(String(32))
    status_note: Mapped[str | None] = Column(Text)
    ready_built: Mapped[Text_ | None] = Column(JSON(none_as_null=True))
    incentives: Mapped[Text_ | None] = Column(JSON(none_as_null=True))
    website: Mapped[str | None] = Column(Text)


class ParkSector(Base):
    """Sectors a park focuses on."""

    __tablename__ = "park_sectors"
    park_key: Mapped[str] = Column(ForeignKey("parks.key", ondelete="CASCADE"), primary_key=True)
    sector: Mapped[str] = Column(ForeignKey("sectors.key"), primary_key=True)
    # Covering index: parks of a sector without visiting the table.
    __table_args__ = (Index("ix_park_sectors_sector_park", "sector", "park_key"),)


class FinancingChannel(Provenance, Base):
    """A financing or insurance channel an SME (or its project) can use."""

    __tablename__ = "financing_channels"
    key: Mapped[str] = Column(String(80), primary_key=True)
    institution: Mapped[Text_] = Column(JSON(none_as_null=True), nullable=False)
    program: Mapped[Text_] = Column(JSON(none_as_null=True), nullable=False)
    instrument: Mapped[str] = Column(String(16), nullable=False, index=True)
    access_path: Mapped[str | None] = Column(String(20))
    eligibility: Mapped[Text_ | None] = Column(JSON(none_as_null=True))
    sme_eligible: Mapped[bool | None] = Column(Boolean)
    regions_text: Mapped[str | None] = Column(Text)
    sectors_text: Mapped[str | None] = Column(Text)
    ticket_min: Mapped[float | None] = Column(Float)
    ticket_max: Mapped[float | None] = Column(Float)
    ticket_currency: Mapped[str | None] = Column(String(3))
    terms: Mapped[Text_ | None] = Column(JSON(none_as_null=True))
    how_to_apply: Mapped[Text_ | None] = Column(JSON(none_as_null=True))


class FinancingNeed(Base):
    """The ``financing_need`` keys a channel serves."""

    __tablename__ = "financing_needs"
    channel_key: Mapped[str] = Column(
        ForeignKey("financing_channels.key", ondelete="CASCADE"), primary_key=True
    )
    need: Mapped[str] = Column(String(32), primary_key=True)
    # Covering index: channels serving a need without visiting the table.
    __table_args__ = (Index("ix_financing_needs_need_channel", "need", "channel_key"),)


class FinancingPlace(Base):
    """Places (ISO code or region key) a channel serves (``role='market'``) or takes
    applicants from (``role='applicant'``)."""

    __tablename__ = "financing_places"
    channel_key: Mapped[str] = Column(
        ForeignKey("financing_channels.key", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = Column(String(10), primary_key=True)
    place: Mapped[str] = Column(String(64), primary_key=True)


class FinancingSector(Base):
    """Sectors a channel names (none named: not restricted by sector)."""

    __tablename__ = "financing_sectors"
    channel_key: Mapped[str] = Column(
        ForeignKey("financing_channels.key", ondelete="CASCADE"), primary_key=True
    )
    sector: Mapped[str] = Column(ForeignKey("sectors.key"), primary_key=True, index=True)


class Company(Provenance, Base):
    """A leading firm (``kind='leader'``) or a service provider / promotion body / chamber."""

    __tablename__ = "companies"
    key: Mapped[str] = Column(String(80), primary_key=True)
    name: Mapped[Text_] = Column(JSON(none_as_null=True), nullable=False)
    kind: Mapped[str] = Column(String(24), nullable=False, index=True)
    subkind: Mapped[str | None] = Column(String(40))
    ownership: Mapped[str | None] = Column(String(32))
    country: Mapped[str | None] = Column(ForeignKey("countries.iso2"), index=True)
    services: Mapped[Text_ | None] = Column(JSON(none_as_null=True))
    website: Mapped[str | None] = Column(Text)
    contact: Mapped[str | None] = Column(Text)
    aliases: Mapped[list[str] | None] = Column(JSON(none_as_null=True))


class CompanyPlace(Base):
    """Countries or regions a service provider serves (``world`` for everywhere)."""

    __tablename__ = "company_places"
    company_key: Mapped[str] = Column(
        ForeignKey("companies.key", ondelete="CASCADE"), primary_key=True
    )
    place: Mapped[str] = Column(String(64), primary_key=True)
    # Covering index: companies serving a place without visiting the table.
    __table_args__ = (Index("ix_company_places_place_company", "place", "company_key"),)


class CompanySector(Base):
    """Sectors a company works in."""

    __tablename__ = "company_sectors"
    company_key: Mapped[str] = Column(
        ForeignKey("companies.key", ondelete="CASCADE"), primary_key=True
    )
    sector: Mapped[str] = Column(ForeignKey("sectors.key"), primary_key=True, index=True)


class LeaderProject(Provenance, Base):
    """A publicly reported overseas project of a leading firm."""

    __tablename__ = "leader_projects"
    key: Mapped[str] = Column(String(80), primary_key=True)
    company_key: Mapped[str] = Column(ForeignKey("companies.key"), nullable=False)
    subsidiary: Mapped[str | None] = Column(Text)
    country: Mapped[str] = Column(ForeignKey("countries.iso2"), nullable=False)
    sector: Mapped[str] = Column(ForeignKey("sectors.key"), nullable=False)
    subsector: Mapped[str | None] = Column(Text)
    title: Mapped[Text_] = Column(JSON(none_as_null=True), nullable=False)
    year: Mapped[int | None] = Column(Integer)
    year_end: Mapped[int | None] = Column(Integer)
    year_kind: Mapped[str | None] = Column(Text)
    value_musd_min: Mapped[float | None] = Column(Float)
    value_musd_max: Mapped[float | None] = Column(Float)
    __extra_args__ = (
        # Covering indexes for follow_the_leader (by sector) and find_partners (by country).
        Index(
            "ix_leader_projects_sector_country",
            "sector",
            "country",
            "company_key",
            "year",
            "year_end",
        ),
        Index(
            "ix_leader_projects_country_sector",
            "country",
            "sector",
            "company_key",
            "year",
            "year_end",
        ),
        # Covering index for a firm's projects as evidence (find_partners), also serving
        # lookups by the foreign key; only company_key is for seeking (migration 0003).
        Index(
            "ix_leader_projects_company_evidence",
            "company_key",
            "year_end",
            "year",
            "key",
            "sector",
            "country",
        ),
    )


#: Record tables (those with provenance), in load order (parents first).
RECORD_TABLES = (
    Country,
    Sector,
    CountryRiskNote,
    Park,
    FinancingChannel,
    Company,
    LeaderProject,
)
