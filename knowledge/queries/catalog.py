"""Small, cached views of the database the queries share: countries and their risk, leader
projects per sector and country, companies per place served (see :mod:`knowledge.queries.cache`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.queries import cache
from knowledge.queries import reasons as R
from knowledge.queries.types import Provenance, Reason
from knowledge.schema import Country
from knowledge.vocab import HIGH_RISK_OECD


@dataclass(frozen=True)
class CountryRow:
    """The cached facts of one country."""

    iso2: str
    classified: bool
    category: int | None
    previous: int | None
    note: str | None
    as_of: object
    region: str | None
    subregion: str | None
    intermediate_region: str | None


def data_version(session: Session) -> str | None:
    """The loaded data version (the digest of the data files the last load read)."""
    return cache.data_token(session)[1]


def countries(session: Session) -> dict[str, CountryRow]:
    """All countries by ISO code (cached per database and data token)."""
    return cache.view(session, "countries", _read_countries)


def _read_countries(session: Session) -> dict[str, CountryRow]:
    rows = session.execute(
        select(
            Country.iso2,
            Country.oecd_classified,
            Country.oecd_category,
            Country.oecd_previous,
            Country.oecd_note,
            Country.oecd_as_of,
            Country.region,
            Country.subregion,
            Country.intermediate_region,
        )
    ).all()
    return {r[0]: CountryRow(*r) for r in rows}


@dataclass(frozen=True)
class SectorCountry:
    """Leader projects of one sector in one country."""

    projects: int
    latest: int | None  # newest COALESCE(year_end, year); None when no project has a year
    companies: int  # distinct companies


def sector_countries(session: Session) -> dict[str, dict[str, SectorCountry]]:
    """Leader projects per sector, then country (cached per database and data token: one pass
    over the whole table instead of an aggregate of thousands of rows per query)."""
    return cache.view(session, "sector_countries", _read_sector_countries)


def _read_sector_countries(session: Session) -> dict[str, dict[str, SectorCountry]]:
    from knowledge.queries.sql import run

    rows = run(
        session,
        "SELECT sector, country, COUNT(*), MAX(COALESCE(year_end, year)), "
        "COUNT(DISTINCT company_key) FROM leader_projects GROUP BY sector, country",
    )
    out: dict[str, dict[str, SectorCountry]] = {}
    for sector, country, projects, latest, companies in rows:
        out.setdefault(sector, {})[country] = SectorCountry(projects, latest, companies)
    return out


def companies_by_place(session: Session) -> dict[str, frozenset[str]]:
    """Keys of the companies serving each place (cached per database and data token: counting
    the distinct companies serving a country's places in SQL read thousands of rows)."""
    return cache.view(session, "companies_by_place", _read_companies_by_place)


def _read_companies_by_place(session: Session) -> dict[str, frozenset[str]]:
    from knowledge.queries.sql import run

    found: dict[str, set[str]] = {}
    for place, key in run(session, "SELECT place, company_key FROM company_places"):
        found.setdefault(place, set()).add(key)
    return {place: frozenset(keys) for place, keys in found.items()}


def clear() -> None:
    """Forget cached views (tests; a load or import changes the data token anyway)."""
    cache.clear()


def risk_reasons(row: CountryRow | None) -> list[Reason]:
    """Reasons describing a country's OECD classification."""
    if row is None:
        return []
    if not row.classified:
        notes = [int(n) for n in re.findall(r"\((\d+)\)", row.note or "")]
        return [Reason(R.OECD_NOT_CLASSIFIED, {"notes": notes})]
    as_of = row.as_of.isoformat() if hasattr(row.as_of, "isoformat") else row.as_of
    params = {"category": row.category, "as_of": as_of}
    code = R.OECD_HIGH_RISK if (row.category or 0) >= HIGH_RISK_OECD else R.OECD_CATEGORY
    return [Reason(code, params)]


def risk_penalty(row: CountryRow | None, weight: float) -> float:
    """``weight`` per OECD category point (0 when not classified or unknown)."""
    if row is None or row.category is None:
        return 0.0
    return weight * row.category


def provenance(row: object) -> Provenance:
    """Provenance of a row exposing source, as_of, verification and origin."""
    return Provenance(
        source=row.source,  # type: ignore[attr-defined]
        as_of=row.as_of,  # type: ignore[attr-defined]
        verification=row.verification,  # type: ignore[attr-defined]
        origin=row.origin,  # type: ignore[attr-defined]
    )


def company_names(session: Session, keys: set[str]) -> dict[str, dict[str, str]]:
    """Names of the given companies."""
    from knowledge.queries.sql import rows_by_key

    rows = rows_by_key(session, "companies", "key", sorted(keys), only=("key", "name"))
    return {r.key: r.name for r in rows}
