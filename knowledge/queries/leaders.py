"""``follow_the_leader``: where leading firms have gone in a sector (and related sectors)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from knowledge.queries import cache, catalog
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
        presence = _presence(s, sector)
        stats = {c: p for c, p in presence.items() if wanted is None or c in wanted}
        if not any(p.exact for p in stats.values()):
            note = Reason(
                R.NO_LEADER_PROJECTS,
                {
                    "sector": sector,
                    "region": region,
                    "related": _related_totals(s, sector, sectors, wanted),
                },
            )
            return LeaderResult(sector, region, sectors[1:], (), (note,))
        countries = catalog.countries(s)
        newest = max(e.latest or 0 for e in stats.values())
        ranked = []
        for country, entry in stats.items():
            row = countries.get(country)
            recency = 0.5 ** (max(0, newest - (entry.latest or newest - 30)) / HALF_LIFE_YEARS)
            base = W_EXACT * entry.exact + W_RELATED * entry.related
            base += W_COMPANY * max(0, entry.companies - 1)
            score = base * (0.5 + 0.5 * recency) - catalog.risk_penalty(row, W_RISK)
            ranked.append((score, country, entry, row))
        # Countries with projects in the sector itself always rank above related-only ones.
        ranked.sort(key=lambda x: (not x[2].exact, -x[0], x[1]))
        # Reasons only for the countries returned (there may be hundreds of candidates).
        top = [(*item, _reasons(sector, item[2], item[3])) for item in ranked[:limit]]
        proof = projects_by(s, "country", [c for _, c, *_ in top], sectors, evidence)
        items = tuple(
            LeaderCountry(
                country=country,
                score=round(score, 3),
                projects_in_sector=entry.exact,
                projects_in_related=entry.related,
                companies=entry.companies,
                latest_year=entry.latest,
                oecd_category=row.category if row else None,
                reasons=tuple(why),
                projects=tuple(proof.get(country, ())),
            )
            for score, country, entry, row, why in top
        )
        return LeaderResult(sector, region, sectors[1:], items, ())


@dataclass(frozen=True)
class Presence:
    """Leader projects in one country in a sector (``exact``) and its related sectors."""

    exact: int
    related: int
    latest: int | None  # newest COALESCE(year_end, year) over both
    companies: int  # distinct companies with projects in the sector itself
    related_counts: tuple[tuple[str, int], ...]  # (related sector, projects), by sector

    @property
    def sectors(self) -> list[str]:
        """The related sectors with projects in the country, sorted."""
        return [sec for sec, _ in self.related_counts]


def _presence(s: Session, sector: str) -> Mapping[str, Presence]:
    """Presence in every country where ``sector`` or a related sector has projects (derived for
    every sector at once per data token, so no query pays for building it)."""
    return cache.view(s, "leader_presence", _all_presence)[sector]


def _all_presence(s: Session) -> dict[str, dict[str, Presence]]:
    vocabulary = load_vocabulary()
    by_sector = catalog.sector_countries(s)
    return {
        sector: _combine(sector, vocabulary.with_related(sector), by_sector)
        for sector in vocabulary.keys
    }


def _combine(
    sector: str,
    sectors: tuple[str, ...],
    by_sector: Mapping[str, Mapping[str, catalog.SectorCountry]],
) -> dict[str, Presence]:
    exact, related, latest, companies = {}, defaultdict(int), {}, {}
    related_counts: dict[str, dict[str, int]] = defaultdict(dict)
    for sec in dict.fromkeys(sectors):
        for country, stats in by_sector.get(sec, {}).items():
            if sec == sector:
                exact[country], companies[country] = stats.projects, stats.companies
            else:
                related[country] += stats.projects
                related_counts[country][sec] = stats.projects
            if stats.latest is not None and (
                latest.get(country) is None or stats.latest > latest[country]
            ):
                latest[country] = stats.latest
    return {
        country: Presence(
            exact.get(country, 0),
            related.get(country, 0),
            latest.get(country),
            companies.get(country, 0),
            tuple(sorted(related_counts[country].items())),
        )
        for country in sorted({*exact, *related})
    }


def _related_totals(
    s: Session, sector: str, sectors: tuple[str, ...], wanted: frozenset[str] | None
) -> dict[str, int]:
    """Projects per related sector in ``wanted``, in the order the database lists them: the
    dialogue shows the sectors (and offers buttons) in this order, so it is read as it always
    was (this path is taken only when the sector itself has no project)."""
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
    totals: dict[str, int] = defaultdict(int)
    for _country, sec, count, _latest, _companies in query:
        if sec != sector:
            totals[sec] += count
    return dict(totals)


def _reasons(sector: str, entry: Presence, row: catalog.CountryRow | None) -> list[Reason]:
    why: list[Reason] = []
    if entry.exact:
        why.append(
            Reason(
                R.LEADER_PROJECTS,
                {"sector": sector, "projects": entry.exact, "companies": entry.companies},
            )
        )
    if entry.related:
        why.append(
            Reason(R.RELATED_SECTOR_PROJECTS, {"projects": entry.related, "sectors": entry.sectors})
        )
    if not entry.exact:
        why.append(Reason(R.RELATED_ONLY, {"sectors": entry.sectors}))
    if entry.latest:
        why.append(Reason(R.LATEST_PROJECT, {"year": entry.latest}))
    why += catalog.risk_reasons(row)
    return why
