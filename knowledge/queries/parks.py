"""``recommend_parks``: overseas parks ranked by sector fit, status, facilities and risk."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from knowledge.queries import catalog
from knowledge.queries import reasons as R
from knowledge.queries.base import place_countries, use_session
from knowledge.queries.park_index import (
    CAP_LEADERS,
    HEAVY_SECTORS,
    W_CONFIRMED,
    W_HEAVY,
    W_LEADERS,
    W_MISMATCH,
    W_NEEDS_CHECK,
    W_READY,
    W_RELATED,
    W_RISK,
    W_SECTOR,
    best_parks,
    country_parts,
    park_index,
)
from knowledge.queries.sql import rows_by_key
from knowledge.queries.types import ParkMatch, ParkResult, Profile, Reason
from knowledge.sectors import load_vocabulary

__all__ = ["HEAVY_SECTORS", "recommend_parks"]


def recommend_parks(
    profile: Profile,
    *,
    limit: int = 10,
    session: Session | None = None,
    engine: Engine | str | None = None,
) -> ParkResult:
    """Parks for ``profile`` (in its target country or region; anywhere without a target).

    Ranking: sector fit (the profile's sector, then related sectors; parks focused only on
    heavy industry rank below for light sectors), MOFCOM confirmation, ready-built facilities
    for SMEs, leading firms' projects in the country and sector, and OECD country risk.
    """
    with use_session(session, engine) as s:
        wanted = place_countries(profile.target)
        index = park_index(s)
        parts = country_parts(s, profile.sector)
        keys = best_parks(index, parts, profile.sector, profile.is_sme, wanted, limit)
        parks = rows_by_key(s, "parks", "key", keys)
        sectors = {key: sorted(index.facts[key].sectors) for key in keys}
        leaders = _leader_counts(s, profile, {p.country for p in parks})
        countries = catalog.countries(s)
        items = []
        for park in parks:
            country = countries.get(park.country)
            score, why = _score(park, sectors[park.key], profile, leaders.get(park.country, 0))
            score -= catalog.risk_penalty(country, W_RISK)
            why += catalog.risk_reasons(country)
            items.append(
                ParkMatch(
                    key=park.key,
                    name=park.name,
                    country=park.country,
                    sectors=tuple(sectors[park.key]),
                    focus=park.focus,
                    developer=park.developer,
                    developer_ownership=park.developer_ownership,
                    start_year=park.start_year,
                    area=park.area,
                    status=park.status,
                    ready_built=park.ready_built,
                    incentives=park.incentives,
                    website=park.website,
                    oecd_category=country.category if country else None,
                    score=round(score, 3),
                    reasons=tuple(why),
                    provenance=catalog.provenance(park),
                )
            )
        items.sort(key=lambda m: (-m.score, m.key))
        notes: list[Reason] = []
        if not items:
            notes.append(Reason(R.NO_PARKS_FOUND, {"place": profile.target}))
        if profile.sector is None:
            notes.append(Reason(R.NO_SECTOR_GIVEN))
        return ParkResult(profile, tuple(items[:limit]), tuple(notes))


def _leader_counts(s: Session, profile: Profile, countries: set[str]) -> dict[str, int]:
    if not profile.sector or not countries:
        return {}
    counts = catalog.sector_countries(s).get(profile.sector, {})
    return {c: counts[c].projects for c in sorted(countries) if c in counts}


def _score(park, sectors: list[str], profile: Profile, leaders: int):  # type: ignore[no-untyped-def]
    score, why = 0.0, []
    sector = profile.sector
    if sector:
        related = load_vocabulary().related.get(sector, ())
        if not sectors:
            why.append(Reason(R.SECTOR_UNKNOWN))
        elif sector in sectors:
            score += W_SECTOR
            why.append(Reason(R.SECTOR_MATCH, {"sector": sector}))
        elif any(r in sectors for r in related):
            score += W_RELATED
            why.append(
                Reason(
                    R.SECTOR_RELATED,
                    {"sector": sector, "via": next(r for r in related if r in sectors)},
                )
            )
        else:
            score += W_MISMATCH
            why.append(Reason(R.SECTOR_MISMATCH, {"sector": sector, "sectors": list(sectors)}))
        if sectors and set(sectors) <= HEAVY_SECTORS and sector not in HEAVY_SECTORS:
            score += W_HEAVY
            why.append(Reason(R.HEAVY_INDUSTRY_FOCUS, {"sectors": list(sectors)}))
    if leaders:
        score += min(CAP_LEADERS, W_LEADERS * leaders)
        why.append(Reason(R.LEADERS_PRESENT, {"projects": leaders, "sectors": [sector]}))
    if park.status == "mofcom_confirmed":
        score += W_CONFIRMED
        why.append(Reason(R.MOFCOM_CONFIRMED))
    if park.ready_built and profile.is_sme:
        score += W_READY
        why.append(Reason(R.READY_BUILT_FACILITIES))
    if park.chinese_developed is False:
        why.append(Reason(R.NOT_CHINESE_DEVELOPED))
    if park.verification != "verified":
        score -= W_NEEDS_CHECK
        why.append(Reason(R.NEEDS_CHECK))
    return score, why
