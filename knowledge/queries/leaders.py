"""``follow_the_leader``: where leading firms have gone in a sector (and related sectors)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from knowledge.queries import catalog
from knowledge.queries import reasons as R
from knowledge.queries.base import place_countries, use_session
from knowledge.queries.evidence import projects_by
from knowledge.queries.sql import run
from knowledge.queries.types import LeaderCountry, LeaderResult, Reason
from knowledge.regions import normalise_place
from knowledge.sectors import load_vocabulary

W_EXACT, W_RELATED, W_COMPANY = 1.0, 0.4, 0.5
HALF_LIFE_YEARS = 8.0
W_RISK = 0.15


def follow_the_leader(
    sector: str,
    region: str | None = None,
    *,
    limit: int = 10,
    evidence: int = 3,
    session: Session | None = None,
    engine: Engine | str | None = None,
) -> LeaderResult:
    """Countries ranked by leading firms' presence in ``sector`` (and related sectors), the
    recency of their projects and country risk, with up to ``evidence`` projects each.

    ``region`` may be a region key or a country code. When the sector itself has no project
    (in the region), no countries are returned and the note ``no_leader_projects`` says so,
    with the related sectors' project counts in its parameters.
    """
    vocabulary = load_vocabulary()
    if sector not in vocabulary.labels:
        raise ValueError(f"unknown sector key {sector!r}")
    region = normalise_place(region) if region else None
    sectors = vocabulary.with_related(sector)
    wanted = place_countries(region)
    with use_session(session, engine) as s:
        where, params = "", {"sectors": list(sectors)}
        if wanted is not None:
            where = " AND country IN :countries"
            params["countries"] = sorted(wanted)
        query = run(
            s,
            "SELECT country, sector, COUNT(*), MAX(COALESCE(year_end, year)), "
            "COUNT(DISTINCT company_key) FROM leader_projects WHERE sector IN :sectors"
            f"{where} GROUP BY country, sector",
            **params,
        )
        stats: dict[str, dict] = defaultdict(
            lambda: {"exact": 0, "related": 0, "latest": None, "companies": 0, "sectors": set()}
        )
        related_totals: dict[str, int] = defaultdict(int)
        for country, sec, count, latest, companies in query:
            entry = stats[country]
            entry["exact" if sec == sector else "related"] += count
            if sec != sector:
                entry["sectors"].add(sec)
                related_totals[sec] += count
            else:
                entry["companies"] = companies
            if latest is not None and (entry["latest"] is None or latest > entry["latest"]):
                entry["latest"] = latest
        if not any(e["exact"] for e in stats.values()):
            note = Reason(
                R.NO_LEADER_PROJECTS,
                {"sector": sector, "region": region, "related": dict(related_totals)},
            )
            return LeaderResult(sector, region, sectors[1:], (), (note,))
        countries = catalog.countries(s)
        newest = max(e["latest"] or 0 for e in stats.values())
        ranked = []
        for country, entry in stats.items():
            row = countries.get(country)
            recency = 0.5 ** (max(0, newest - (entry["latest"] or newest - 30)) / HALF_LIFE_YEARS)
            base = W_EXACT * entry["exact"] + W_RELATED * entry["related"]
            base += W_COMPANY * max(0, entry["companies"] - 1)
            score = base * (0.5 + 0.5 * recency) - catalog.risk_penalty(row, W_RISK)
            ranked.append((score, country, entry, row))
        # Countries with projects in the sector itself always rank above related-only ones.
        ranked.sort(key=lambda x: (not x[2]["exact"], -x[0], x[1]))
        # Reasons only for the countries returned (there may be hundreds of candidates).
        top = [(*item, _reasons(sector, item[2], item[3])) for item in ranked[:limit]]
        proof = projects_by(s, "country", [c for _, c, *_ in top], sectors, evidence)
        items = tuple(
            LeaderCountry(
                country=country,
                score=round(score, 3),
                projects_in_sector=entry["exact"],
                projects_in_related=entry["related"],
                companies=entry["companies"],
                latest_year=entry["latest"],
                oecd_category=row.category if row else None,
                reasons=tuple(why),
                projects=tuple(proof.get(country, ())),
            )
            for score, country, entry, row, why in top
        )
        return LeaderResult(sector, region, sectors[1:], items, ())


def _reasons(sector: str, entry: dict, row: catalog.CountryRow | None) -> list[Reason]:
    why: list[Reason] = []
    if entry["exact"]:
        why.append(
            Reason(
                R.LEADER_PROJECTS,
                {"sector": sector, "projects": entry["exact"], "companies": entry["companies"]},
            )
        )
    if entry["related"]:
        why.append(
            Reason(
                R.RELATED_SECTOR_PROJECTS,
                {"projects": entry["related"], "sectors": sorted(entry["sectors"])},
            )
        )
    if not entry["exact"]:
        why.append(Reason(R.RELATED_ONLY, {"sectors": sorted(entry["sectors"])}))
    if entry["latest"]:
        why.append(Reason(R.LATEST_PROJECT, {"year": entry["latest"]}))
    why += catalog.risk_reasons(row)
    return why
