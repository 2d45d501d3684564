"""``find_partners``: leading firms and service providers for a place, sector and kind."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from knowledge.queries import catalog
from knowledge.queries import reasons as R
from knowledge.queries.base import place_countries, places_covering, use_session
from knowledge.queries.evidence import projects_by
from knowledge.queries.providers import (
    W_AGENCY,
    W_COUNTRY,
    W_NEEDS_CHECK,
    W_REGION,
    W_RELATED,
    W_SECTOR,
    W_WORLD,
    best_providers,
    provider_index,
)
from knowledge.queries.sql import rows_by_key, run
from knowledge.queries.types import PartnerMatch, PartnerResult, Reason
from knowledge.regions import WORLD, load_regions, normalise_place
from knowledge.sectors import load_vocabulary
from knowledge.vocab import CURATED, PARTNER_KINDS, SERVICE_KINDS

W_PROJECT, W_PROJECT_RELATED, W_RECENT = 1.0, 0.4, 0.5


def find_partners(
    country: str | None,
    sector: str | None = None,
    kind: str | None = None,
    *,
    limit: int = 10,
    evidence: int = 3,
    session: Session | None = None,
    engine: Engine | str | None = None,
) -> PartnerResult:
    """Partners for ``country`` (an ISO code or a region key; ``None`` for anywhere).

    ``kind`` is a ``partner_type`` key (``leader``, ``law_firm``, ``promotion_body`` ...;
    ``None`` for all). Leading firms are found through their projects in the place (and
    sector); service providers through the places they serve, the place itself first, then
    its regions, then bodies serving every market.
    """
    place = normalise_place(country) if country else None
    if kind is not None and kind not in PARTNER_KINDS:
        raise ValueError(f"kind must be one of {PARTNER_KINDS}")
    if sector is not None and sector not in load_vocabulary().labels:
        raise ValueError(f"unknown sector key {sector!r}")
    with use_session(session, engine) as s:
        items: list[PartnerMatch] = []
        if kind in (None, "leader"):
            items += _leaders(s, place, sector, evidence, limit)
        if kind != "leader":
            kinds = (kind,) if kind else SERVICE_KINDS
            items += _services(s, place, sector, kinds, limit)
        items.sort(key=lambda m: (-m.score, m.key))
        notes: list[Reason] = []
        if not items:
            notes.append(
                Reason(R.NO_PARTNERS_FOUND, {"place": place, "sector": sector, "kind": kind})
            )
        return PartnerResult(place, sector, kind, tuple(items[:limit]), tuple(notes))


def _leaders(
    s: Session, place: str | None, sector: str | None, evidence: int, limit: int
) -> list[PartnerMatch]:
    sectors = load_vocabulary().with_related(sector) if sector else None
    wanted = place_countries(place)
    top = _best_leaders(s, sector, sectors, wanted, limit)
    rows = {r.key: r for r in rows_by_key(s, "companies", "key", [k for _, k, _ in top])}
    proof = projects_by(
        s,
        "company_key",
        [k for _, k, _ in top],
        sectors or _all_sectors(),
        evidence,
        countries=wanted,
    )
    return [_match(rows[key], score, why, tuple(proof.get(key, ()))) for score, key, why in top]


def _best_leaders(
    s: Session,
    sector: str | None,
    sectors: tuple[str, ...] | None,
    wanted: frozenset[str] | None,
    limit: int,
) -> list[tuple[float, str, list[Reason]]]:
    """The ``limit`` best leading firms (score, key, reasons): one aggregate per company (a
    few hundred rows) replaces reading the filtered projects three times."""
    where, params = [], {"sector": sector or "", "any_sector": sector is None}
    if wanted is not None:
        where.append("country IN :countries")
        params["countries"] = sorted(wanted)
    if sectors:
        where.append("sector IN :sectors")
        params["sectors"] = list(sectors)
    filters = f"{' WHERE ' + ' AND '.join(where) if where else ''}"
    exact = "CASE WHEN :any_sector OR sector = :sector THEN 1 ELSE 0 END"
    rows = run(
        s,
        f"SELECT company_key, SUM({exact}), COUNT(*), MAX(COALESCE(year_end, year)) "
        f"FROM leader_projects{filters} GROUP BY company_key",
        **params,
    ).all()
    if not rows:
        return []
    newest = max(latest or 0 for *_, latest in rows)
    scored = []
    for key, in_sector, projects, latest in rows:
        score = W_PROJECT * in_sector + W_PROJECT_RELATED * (projects - in_sector)
        score += W_RECENT * ((latest or 0) >= newest - 3)
        scored.append((score, key, in_sector, projects - in_sector, latest or 0))
    scored.sort(key=lambda x: (-x[0], x[1]))
    return [
        (score, key, _leader_reasons(sector, sectors, in_sector, related, latest))
        for score, key, in_sector, related, latest in scored[:limit]
    ]


def _leader_reasons(
    sector: str | None, sectors: tuple[str, ...] | None, exact: int, related: int, latest: int
) -> list[Reason]:
    why = [Reason(R.LEADER_PROJECTS, {"sector": sector, "projects": exact, "companies": 1})]
    if related:
        why.append(Reason(R.RELATED_SECTOR_PROJECTS, {"projects": related}))
        if not exact:
            why.append(Reason(R.RELATED_ONLY, {"sectors": list(sectors or ())[1:]}))
    if latest:
        why.append(Reason(R.LATEST_PROJECT, {"year": latest}))
    return why


def _all_sectors() -> tuple[str, ...]:
    return load_vocabulary().keys


def _services(
    s: Session, place: str | None, sector: str | None, kinds: tuple[str, ...], limit: int
) -> list[PartnerMatch]:
    index = provider_index(s)
    keys = best_providers(index, place, sector, kinds, limit)
    if not keys:
        return []
    companies = rows_by_key(s, "companies", "key", keys)
    covering = places_covering(place)
    related = set(load_vocabulary().related.get(sector, ())) if sector else set()
    regions = load_regions()
    out = []
    for row in companies:
        score, why = 0.0, []
        served = index.places.get(row.key, frozenset())
        where = served & covering if covering is not None else frozenset()
        named = index.sectors.get(row.key, frozenset()) if sector else frozenset()
        if place and place in where and place not in regions:
            score += W_COUNTRY
            why.append(Reason(R.SERVES_COUNTRY, {"country": place}))
        elif where - {WORLD}:
            score += W_REGION
            why.append(Reason(R.SERVES_REGION, {"region": sorted(where - {WORLD})[0]}))
        elif WORLD in where:
            score += W_WORLD
            why.append(Reason(R.SERVES_ALL_MARKETS))
        if sector and sector in named:
            score += W_SECTOR
            why.append(Reason(R.SECTOR_MATCH, {"sector": sector}))
        elif sector and related & named:
            score += W_RELATED
            why.append(
                Reason(R.SECTOR_RELATED, {"sector": sector, "via": sorted(related & named)[0]})
            )
        if row.origin != CURATED:
            score += W_AGENCY
            why.append(Reason(R.AGENCY_DIRECTORY, {"agency": row.origin}))
        if row.verification != "verified":
            score -= W_NEEDS_CHECK
            why.append(Reason(R.NEEDS_CHECK))
        out.append(_match(row, score, why, ()))
    return out


def _match(row, score: float, why: list[Reason], projects: tuple) -> PartnerMatch:  # type: ignore[no-untyped-def]
    return PartnerMatch(
        key=row.key,
        name=row.name,
        kind=row.kind,
        subkind=row.subkind,
        country=row.country,
        ownership=row.ownership,
        services=row.services,
        website=row.website,
        contact=row.contact,
        score=round(score, 3),
        reasons=tuple(why),
        projects=projects,
        provenance=catalog.provenance(row),
    )
