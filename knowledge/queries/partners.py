"""``find_partners``: leading firms and service providers for a place, sector and kind."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from knowledge.queries import catalog
from knowledge.queries import reasons as R
from knowledge.queries.base import place_countries, places_covering, use_session
from knowledge.queries.evidence import projects_by
from knowledge.queries.sql import rows_by_key, run
from knowledge.queries.types import PartnerMatch, PartnerResult, Reason
from knowledge.regions import WORLD, load_regions, normalise_place
from knowledge.sectors import load_vocabulary
from knowledge.vocab import CURATED, PARTNER_KINDS, SERVICE_KINDS

W_COUNTRY, W_REGION, W_WORLD = 2.0, 1.0, 0.5
W_SECTOR, W_RELATED, W_AGENCY, W_NEEDS_CHECK = 1.0, 0.5, 0.5, 0.25
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
    where, params = [], {}
    if wanted is not None:
        where.append("country IN :countries")
        params["countries"] = sorted(wanted)
    if sectors:
        where.append("sector IN :sectors")
        params["sectors"] = list(sectors)
    filters = f"{' WHERE ' + ' AND '.join(where) if where else ''}"
    newest = run(
        s, f"SELECT MAX(COALESCE(year_end, year, 0)) FROM leader_projects{filters}", **params
    ).scalar()
    if newest is None:
        return []
    # Rank companies in SQL by the score computed below, then read only the best ones.
    params.update(sector=sector or "", any_sector=sector is None, recent=newest - 3, limit=limit)
    exact = "CASE WHEN :any_sector OR sector = :sector THEN 1 ELSE 0 END"
    best = run(
        s,
        f"SELECT company_key FROM leader_projects{filters} GROUP BY company_key ORDER BY "
        f"(SUM({exact}) * {W_PROJECT} + SUM(1 - {exact}) * {W_PROJECT_RELATED} + "
        f"CASE WHEN MAX(COALESCE(year_end, year, 0)) >= :recent THEN {W_RECENT} ELSE 0 END) "
        "DESC, company_key LIMIT :limit",
        **params,
    )
    chosen = [row[0] for row in best]
    query = run(
        s,
        "SELECT company_key, sector, COUNT(*), MAX(COALESCE(year_end, year)) "
        f"FROM leader_projects{filters}{' AND ' if where else ' WHERE '}company_key IN :chosen "
        "GROUP BY company_key, sector",
        chosen=chosen,
        **params,
    )
    stats: dict[str, dict] = defaultdict(lambda: {"exact": 0, "related": 0, "latest": 0})
    for company, sec, count, latest in query:
        entry = stats[company]
        entry["exact" if sector is None or sec == sector else "related"] += count
        entry["latest"] = max(entry["latest"], latest or 0)
    scored = []
    for key, entry in stats.items():
        score = W_PROJECT * entry["exact"] + W_PROJECT_RELATED * entry["related"]
        score += W_RECENT * (entry["latest"] >= newest - 3)
        why = [
            Reason(
                R.LEADER_PROJECTS, {"sector": sector, "projects": entry["exact"], "companies": 1}
            )
        ]
        if entry["related"]:
            why.append(Reason(R.RELATED_SECTOR_PROJECTS, {"projects": entry["related"]}))
            if not entry["exact"]:
                why.append(Reason(R.RELATED_ONLY, {"sectors": list(sectors or ())[1:]}))
        if entry["latest"]:
            why.append(Reason(R.LATEST_PROJECT, {"year": entry["latest"]}))
        scored.append((score, key, why))
    scored.sort(key=lambda x: (-x[0], x[1]))
    top = scored[:limit]
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


def _all_sectors() -> tuple[str, ...]:
    return load_vocabulary().keys


def _services(
    s: Session, place: str | None, sector: str | None, kinds: tuple[str, ...], limit: int
) -> list[PartnerMatch]:
    keys = _preselect_services(s, place, sector, kinds, limit)
    if not keys:
        return []
    companies = rows_by_key(s, "companies", "key", keys)
    covering = places_covering(place)
    served: dict[str, set[str]] = defaultdict(set)
    if covering is not None:
        sql = (
            "SELECT company_key, place FROM company_places WHERE company_key IN :keys "
            "AND place IN :covering"
        )
        for key, where in run(s, sql, keys=keys, covering=sorted(covering)):
            served[key].add(where)
    sectors_of: dict[str, set[str]] = defaultdict(set)
    if sector:
        sql = "SELECT company_key, sector FROM company_sectors WHERE company_key IN :keys"
        for key, sec in run(s, sql, keys=keys):
            sectors_of[key].add(sec)
    related = set(load_vocabulary().related.get(sector, ())) if sector else set()
    regions = load_regions()
    out = []
    for row in companies:
        score, why = 0.0, []
        where = served.get(row.key, set()) if covering is not None else set()
        if place and place in where and place not in regions:
            score += W_COUNTRY
            why.append(Reason(R.SERVES_COUNTRY, {"country": place}))
        elif where - {WORLD}:
            score += W_REGION
            why.append(Reason(R.SERVES_REGION, {"region": sorted(where - {WORLD})[0]}))
        elif WORLD in where:
            score += W_WORLD
            why.append(Reason(R.SERVES_ALL_MARKETS))
        if sector and sector in sectors_of[row.key]:
            score += W_SECTOR
            why.append(Reason(R.SECTOR_MATCH, {"sector": sector}))
        elif sector and related & sectors_of[row.key]:
            score += W_RELATED
            why.append(
                Reason(
                    R.SECTOR_RELATED,
                    {"sector": sector, "via": sorted(related & sectors_of[row.key])[0]},
                )
            )
        if row.origin != CURATED:
            score += W_AGENCY
            why.append(Reason(R.AGENCY_DIRECTORY, {"agency": row.origin}))
        if row.verification != "verified":
            score -= W_NEEDS_CHECK
            why.append(Reason(R.NEEDS_CHECK))
        out.append(_match(row, score, why, ()))
    return out


def _preselect_services(
    s: Session, place: str | None, sector: str | None, kinds: tuple[str, ...], count: int
) -> list[str]:
    """Keys of the ``count`` best service providers by the score of :func:`_services`.

    Providers are read in tiers - serving the country itself, then its regions, then every
    market - and a tier is skipped when the ``count``-th score so far beats the best score
    that tier can reach. The result is exact.
    """
    params: dict[str, object] = {"kinds": list(kinds), "count": count, "curated": CURATED}
    joins, terms = (
        "",
        [
            f"CASE WHEN c.origin <> :curated THEN {W_AGENCY} ELSE 0 END",
            f"CASE WHEN c.verification <> 'verified' THEN {-W_NEEDS_CHECK} ELSE 0 END",
        ],
    )
    bonus = W_AGENCY
    if sector:
        params.update(sector=sector, sectors=list(load_vocabulary().with_related(sector)))
        terms.append(
            "COALESCE((SELECT MAX(CASE WHEN cs.sector = :sector THEN "
            f"{W_SECTOR} ELSE {W_RELATED} END) FROM company_sectors cs "
            "WHERE cs.company_key = c.key AND cs.sector IN :sectors), 0)"
        )
        bonus += W_SECTOR
    covering = places_covering(place)
    if covering is None:
        return [k for k, _ in _service_tier(s, "companies c", joins, terms, params)]
    own = [place] if place and place not in load_regions() else []
    near = sorted(p for p in covering if p != WORLD and p not in own)
    tiers = [(W_COUNTRY, own, []), (W_REGION, near, own), (W_WORLD, [WORLD], own + near)]
    found: list[tuple[str, float]] = []
    for index, (base, places, higher) in enumerate(tiers):
        if not places:
            continue
        if index and len(found) >= count and found[count - 1][1] > base + bonus + 1e-9:
            break
        name = f"t{index}"
        params[f"{name}_in"], params[f"{name}_out"] = places, higher or [""]
        source = (
            f"(SELECT DISTINCT company_key FROM company_places WHERE place IN :{name}_in "
            f"AND company_key NOT IN (SELECT company_key FROM company_places "
            f"WHERE place IN :{name}_out)) t JOIN companies c ON c.key = t.company_key"
        )
        found += _service_tier(s, source, joins, [f"{base}", *terms], params)
        found.sort(key=lambda kv: (-kv[1], kv[0]))
    return [k for k, _ in found[:count]]


def _service_tier(
    s: Session, source: str, joins: str, terms: list[str], params: dict[str, object]
) -> list[tuple[str, float]]:
    sql = (
        f"SELECT c.key, ({' + '.join(terms)}) AS score FROM {source}{joins} "
        "WHERE c.kind IN :kinds ORDER BY score DESC, c.key LIMIT :count"
    )
    return [(k, float(v)) for k, v in run(s, sql, **params)]


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
