"""Inputs and results of the query API (plain dataclasses, no ORM objects)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from knowledge.regions import normalise_place
from knowledge.sectors import load_vocabulary
from knowledge.vocab import COMPANY_SIZES, FINANCING_NEEDS

Text = Mapping[str, str]


@dataclass(frozen=True)
class Reason:
    """Why a result ranks where it does: a code of :mod:`knowledge.queries.reasons` plus
    parameters (codes and numbers, for the caller to localize)."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Provenance:
    """Where a record comes from and how old it is."""

    source: str
    as_of: dt.date
    verification: str
    origin: str


@dataclass(frozen=True)
class Profile:
    """An SME's profile, as the dialogue's form collects it.

    ``target`` is an ISO alpha-2 code or a region key (``eastern_africa``, ``asean`` ...);
    ``need`` a ``financing_need`` key; ``amount`` in ``currency`` (ISO 4217);
    ``home_country`` where the SME is registered (optional; filters applicant-restricted
    channels).
    """

    sector: str | None = None
    target: str | None = None
    company_size: str | None = None
    need: str | None = None
    amount: float | None = None
    currency: str | None = "USD"
    home_country: str | None = None

    def __post_init__(self) -> None:
        if self.sector is not None and self.sector not in load_vocabulary().labels:
            raise ValueError(f"unknown sector key {self.sector!r}")
        if self.target is not None:
            object.__setattr__(self, "target", normalise_place(self.target))
        if self.company_size is not None and self.company_size not in COMPANY_SIZES:
            raise ValueError(f"company_size must be one of {COMPANY_SIZES}")
        if self.need is not None and self.need not in FINANCING_NEEDS:
            raise ValueError(f"need must be one of {FINANCING_NEEDS}")
        if self.amount is not None and self.amount < 0:
            raise ValueError("amount must not be negative")
        if self.home_country is not None:
            object.__setattr__(self, "home_country", normalise_place(self.home_country))

    @property
    def is_sme(self) -> bool:
        """True for micro, small and medium companies (and when the size is unknown)."""
        return self.company_size in (None, "micro", "small", "medium")


@dataclass(frozen=True)
class OecdRisk:
    """A country's OECD country-risk classification."""

    classified: bool
    category: int | None
    previous: int | None
    note: str | None
    as_of: dt.date | None
    source: str


@dataclass(frozen=True)
class FinancingMatch:
    """A financing channel matched to a profile."""

    key: str
    institution: Text
    program: Text
    instrument: str
    needs: tuple[str, ...]
    access_path: str | None
    eligibility: Text | None
    markets: tuple[str, ...]
    applicants: tuple[str, ...]
    ticket_min: float | None
    ticket_max: float | None
    ticket_currency: str | None
    terms: Text | None
    how_to_apply: Text | None
    score: float
    reasons: tuple[Reason, ...]
    provenance: Provenance


@dataclass(frozen=True)
class FinancingResult:
    """``match_financing`` result: channels best first, plus result-level notes."""

    profile: Profile
    items: tuple[FinancingMatch, ...]
    notes: tuple[Reason, ...]


@dataclass(frozen=True)
class ProjectEvidence:
    """A leader project shown as evidence."""

    key: str
    company: str
    company_name: Text
    subsidiary: str | None
    country: str
    sector: str
    title: Text
    year: int | None
    value_musd_min: float | None
    value_musd_max: float | None
    provenance: Provenance


@dataclass(frozen=True)
class PartnerMatch:
    """A leading firm or service provider for a place (and sector)."""

    key: str
    name: Text
    kind: str
    subkind: str | None
    country: str | None
    ownership: str | None
    services: Text | None
    website: str | None
    contact: str | None
    score: float
    reasons: tuple[Reason, ...]
    projects: tuple[ProjectEvidence, ...]
    provenance: Provenance


@dataclass(frozen=True)
class PartnerResult:
    """``find_partners`` result."""

    place: str | None
    sector: str | None
    kind: str | None
    items: tuple[PartnerMatch, ...]
    notes: tuple[Reason, ...]


@dataclass(frozen=True)
class ParkMatch:
    """A park recommended for a profile."""

    key: str
    name: Text
    country: str
    sectors: tuple[str, ...]
    focus: Text | None
    developer: str | None
    developer_ownership: str | None
    start_year: int | None
    area: str | None
    status: str | None
    ready_built: Text | None
    incentives: Text | None
    website: str | None
    oecd_category: int | None
    score: float
    reasons: tuple[Reason, ...]
    provenance: Provenance


@dataclass(frozen=True)
class ParkResult:
    """``recommend_parks`` result."""

    profile: Profile
    items: tuple[ParkMatch, ...]
    notes: tuple[Reason, ...]


@dataclass(frozen=True)
class LeaderCountry:
    """A country where leading firms have gone, with the projects as evidence."""

    country: str
    score: float
    projects_in_sector: int
    projects_in_related: int
    companies: int
    latest_year: int | None
    oecd_category: int | None
    reasons: tuple[Reason, ...]
    projects: tuple[ProjectEvidence, ...]


@dataclass(frozen=True)
class LeaderResult:
    """``follow_the_leader`` result: countries best first; notes such as
    ``no_leader_projects`` when the sector has none."""

    sector: str
    region: str | None
    related_sectors: tuple[str, ...]
    items: tuple[LeaderCountry, ...]
    notes: tuple[Reason, ...]


@dataclass(frozen=True)
class RiskNote:
    """A sourced note on one risk dimension."""

    key: str
    dimension: str
    text: Text
    provenance: Provenance


@dataclass(frozen=True)
class BriStatus:
    """Belt and Road cooperation status where a public source states it."""

    status: str
    source: str
    as_of: dt.date | None
    note: str | None


@dataclass(frozen=True)
class CountryBrief:
    """What the knowledge base knows about one country."""

    country: str
    region: str | None
    subregion: str | None
    intermediate_region: str | None
    oecd: OecdRisk
    bri: BriStatus | None
    risk_notes: Mapping[str, tuple[RiskNote, ...]]
    parks: int
    leader_projects: int
    partners: int
    top_sectors: tuple[tuple[str, int], ...]
    flags: tuple[Reason, ...]
    provenance: Provenance


@dataclass(frozen=True)
class BriefResult:
    """``country_brief`` result: one brief per country of the place (riskiest first for a
    region)."""

    place: str
    items: tuple[CountryBrief, ...]
    notes: tuple[Reason, ...]
