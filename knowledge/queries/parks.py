"""``recommend_parks``: overseas parks ranked by sector fit, status, facilities and risk."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from knowledge.queries import catalog
from knowledge.queries import reasons as R
from knowledge.queries.base import place_countries, use_session
from knowledge.queries.sql import rows_by_key, run
from knowledge.queries.types import ParkMatch, ParkResult, Profile, Reason
from knowledge.sectors import load_vocabulary

#: Sectors of heavy industry: a park focused only on these suits light manufacturers poorly.
HEAVY_SECTORS = frozenset({"metals", "mining", "oil_gas", "chemicals", "power"})
W_SECTOR, W_RELATED, W_MISMATCH, W_HEAVY = 3.0, 1.0, -1.0, -1.0
W_CONFIRMED, W_READY, W_RISK, W_NEEDS_CHECK = 0.5, 0.5, 0.25, 0.25
W_LEADERS, CAP_LEADERS = 0.25, 1.0


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
        keys = _preselect(s, profile, wanted, limit)
        parks = rows_by_key(s, "parks", "key", keys)
        sectors: dict[str, list[str]] = defaultdict(list)
        if keys:
            sql = "SELECT park_key, sector FROM park_sectors WHERE park_key IN :keys ORDER BY 2"
            for key, sector in run(s, sql, keys=keys):
                sectors[key].append(sector)
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


def _preselect(
    s: Session, profile: Profile, wanted: frozenset[str] | None, count: int
) -> list[str]:
    """Keys of the ``count`` best parks by the score of :func:`_score`, computed in SQL.

    With a sector, parks are read in tiers (the sector itself, then related sectors, then the
    rest) and a tier is skipped when the ``count``-th score so far beats the best score that
    tier can reach, so a large table is rarely read whole. The result is exact.
    """
    params: dict[str, object] = {"count": count, "yes": True, "heavy": sorted(HEAVY_SECTORS)}
    where = ["p.country IN :countries" if wanted is not None else "p.overseas = :yes"]
    if wanted is not None:
        params["countries"] = sorted(wanted)
    static = [
        f"CASE WHEN p.status = 'mofcom_confirmed' THEN {W_CONFIRMED} ELSE 0 END",
        f"CASE WHEN p.verification <> 'verified' THEN {-W_NEEDS_CHECK} ELSE 0 END",
        f"-COALESCE(c.oecd_category, 0) * {W_RISK}",
    ]
    best_static = W_CONFIRMED
    if profile.is_sme:
        static.append(f"CASE WHEN p.ready_built IS NOT NULL THEN {W_READY} ELSE 0 END")
        best_static += W_READY
    joins = " LEFT JOIN countries c ON c.iso2 = p.country"
    sector = profile.sector
    if not sector:
        return [k for k, _ in _tier(s, joins, where, static, params)]
    related = list(load_vocabulary().related.get(sector, ())) or [""]
    params.update(sector=sector, related=related, relevant=[sector, *related])
    joins += (
        " LEFT JOIN (SELECT country, COUNT(*) AS n FROM leader_projects "
        "WHERE sector = :sector GROUP BY country) lc ON lc.country = p.country"
    )
    static.append(
        f"CASE WHEN COALESCE(lc.n, 0) * {W_LEADERS} > {CAP_LEADERS} "
        f"THEN {CAP_LEADERS} ELSE COALESCE(lc.n, 0) * {W_LEADERS} END"
    )
    best_static += CAP_LEADERS
    has = "EXISTS (SELECT 1 FROM park_sectors ps WHERE ps.park_key = p.key{})"
    heavy = []
    if sector not in HEAVY_SECTORS:
        heavy = [
            f"CASE WHEN {has.format('')} AND NOT {has.format(' AND ps.sector NOT IN :heavy')}"
            f" THEN {W_HEAVY} ELSE 0 END"
        ]
    # Positive sector conditions as ``IN`` subqueries: SQLite then drives the tier from the
    # (sector, park_key) index instead of scanning every park with a correlated EXISTS.
    tiers = [
        (
            W_SECTOR + best_static,
            ["p.key IN (SELECT park_key FROM park_sectors WHERE sector = :sector)"],
            [f"{W_SECTOR}"],
        ),
        (
            W_RELATED + best_static,
            [
                "p.key IN (SELECT park_key FROM park_sectors WHERE sector IN :related)",
                f"NOT {has.format(' AND ps.sector = :sector')}",
            ],
            [f"{W_RELATED}", *heavy],
        ),
        (
            best_static,
            [f"NOT {has.format(' AND ps.sector IN :relevant')}"],
            [f"CASE WHEN {has.format('')} THEN {W_MISMATCH} ELSE 0 END", *heavy],
        ),
    ]
    found: list[tuple[str, float]] = []
    for index, (_, condition, terms) in enumerate(tiers):
        if index and len(found) >= count and found[count - 1][1] > tiers[index][0] + 1e-9:
            break
        found += _tier(s, joins, where + condition, static + terms, params)
        found.sort(key=lambda kv: (-kv[1], kv[0]))
    return [k for k, _ in found[:count]]


def _tier(
    s: Session, joins: str, where: list[str], terms: list[str], params: dict[str, object]
) -> list[tuple[str, float]]:
    sql = (
        f"SELECT p.key, ({' + '.join(terms)}) AS score FROM parks p{joins} "
        f"WHERE {' AND '.join(where)} ORDER BY score DESC, p.key LIMIT :count"
    )
    return [(k, float(v)) for k, v in run(s, sql, **params)]


def _leader_counts(s: Session, profile: Profile, countries: set[str]) -> dict[str, int]:
    if not profile.sector or not countries:
        return {}
    sql = (
        "SELECT country, COUNT(*) FROM leader_projects WHERE sector = :sector "
        "AND country IN :countries GROUP BY country"
    )
    rows = run(s, sql, sector=profile.sector, countries=sorted(countries))
    return {country: count for country, count in rows}


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
