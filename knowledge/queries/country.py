"""``country_brief``: risk, Belt and Road status and what the knowledge base holds for a
country (or for each country of a region)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from knowledge.queries import catalog
from knowledge.queries import reasons as R
from knowledge.queries.base import place_countries, places_covering, use_session
from knowledge.queries.sql import decode, rows_by_key, run
from knowledge.queries.types import (
    BriefResult,
    BriStatus,
    CountryBrief,
    OecdRisk,
    Reason,
    RiskNote,
)
from knowledge.regions import normalise_place
from knowledge.schema import Country
from knowledge.vocab import RISK_DIMENSIONS


def country_brief(
    country: str,
    *,
    top_sectors: int = 5,
    session: Session | None = None,
    engine: Engine | str | None = None,
) -> BriefResult:
    """Briefs for a country code or for every country of a region key (highest OECD category
    first). Flags: ``oecd_high_risk`` (category 6-7), ``oecd_not_classified``,
    ``oecd_category_changed``, ``risk_notes_missing``."""
    place = normalise_place(country)
    wanted = place_countries(place)
    with use_session(session, engine) as s:
        if wanted is not None:
            rows = rows_by_key(s, "countries", "iso2", sorted(wanted))
        else:
            names = ", ".join(c.name for c in Country.__table__.columns)
            rows = [decode("countries", r) for r in run(s, f"SELECT {names} FROM countries")]
        if not rows:
            return BriefResult(place, (), (Reason(R.UNKNOWN_COUNTRY, {"country": place}),))
        isos = [r.iso2 for r in rows]
        notes = _notes(s, isos)
        parks = _count(s, "parks", isos)
        projects = _count(s, "leader_projects", isos)
        sectors = _sectors(s, isos, top_sectors)
        partners = _partners(s, isos) if len(isos) == 1 else {}
        briefs = [_brief(r, notes, parks, projects, sectors, partners) for r in rows]
        briefs.sort(
            key=lambda b: (-(b.oecd.category if b.oecd.category is not None else -1), b.country)
        )
        return BriefResult(place, tuple(briefs), ())


def _brief(row, notes, parks, projects, sectors, partners) -> CountryBrief:  # type: ignore[no-untyped-def]
    oecd = OecdRisk(
        row.oecd_classified,
        row.oecd_category,
        row.oecd_previous,
        row.oecd_note,
        row.oecd_as_of,
        row.source,
    )
    flags = list(
        catalog.risk_reasons(
            catalog.CountryRow(
                row.iso2,
                row.oecd_classified,
                row.oecd_category,
                row.oecd_previous,
                row.oecd_note,
                row.oecd_as_of,
                row.region,
                row.subregion,
                row.intermediate_region,
            )
        )
    )
    if (
        row.oecd_previous is not None
        and row.oecd_category is not None
        and row.oecd_previous != row.oecd_category
    ):
        flags.append(
            Reason(
                R.OECD_CATEGORY_CHANGED,
                {
                    "previous": row.oecd_previous,
                    "category": row.oecd_category,
                    "as_of": str(row.oecd_as_of),
                },
            )
        )
    by_dimension = notes.get(row.iso2, {})
    missing = [d for d in RISK_DIMENSIONS if d not in by_dimension]
    if missing:
        flags.append(Reason(R.RISK_NOTES_MISSING, {"dimensions": missing}))
    bri = (
        BriStatus(row.bri_status, row.bri_source, row.bri_as_of, row.bri_note)
        if row.bri_status
        else None
    )
    return CountryBrief(
        country=row.iso2,
        region=row.region,
        subregion=row.subregion,
        intermediate_region=row.intermediate_region,
        oecd=oecd,
        bri=bri,
        risk_notes={d: tuple(v) for d, v in by_dimension.items()},
        parks=parks.get(row.iso2, 0),
        leader_projects=projects.get(row.iso2, 0),
        partners=partners.get(row.iso2, 0),
        top_sectors=tuple(sectors.get(row.iso2, ())),
        flags=tuple(flags),
        provenance=catalog.provenance(row),
    )


def _notes(s: Session, isos: list[str]) -> dict[str, dict[str, list[RiskNote]]]:
    out: dict[str, dict[str, list[RiskNote]]] = defaultdict(lambda: defaultdict(list))
    for r in sorted(rows_by_key(s, "country_risk_notes", "country", isos), key=lambda r: r.key):
        out[r.country][r.dimension].append(
            RiskNote(r.key, r.dimension, r.text, catalog.provenance(r))
        )
    return out


def _count(s: Session, table: str, isos: list[str]) -> dict[str, int]:
    sql = f"SELECT country, COUNT(*) FROM {table} WHERE country IN :isos GROUP BY country"
    return {k: v for k, v in run(s, sql, isos=isos)}


def _sectors(s: Session, isos: list[str], top: int) -> dict[str, list[tuple[str, int]]]:
    sql = (
        "SELECT country, sector, COUNT(*) FROM leader_projects WHERE country IN :isos "
        "GROUP BY country, sector"
    )
    out: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for country, sector, n in sorted(run(s, sql, isos=isos), key=lambda r: (r[0], -r[2], r[1])):
        if len(out[country]) < top:
            out[country].append((sector, n))
    return out


def _partners(s: Session, isos: list[str]) -> dict[str, int]:
    """Companies serving the country, its regions or every market."""
    by_place = catalog.companies_by_place(s)
    serving = frozenset().union(*(by_place.get(p, ()) for p in places_covering(isos[0]) or ()))
    return {isos[0]: len(serving)}
