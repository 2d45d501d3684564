"""Fetching leader projects as evidence (a few per group, most relevant first)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy.orm import Session

from knowledge.queries import catalog
from knowledge.queries.sql import decode, run
from knowledge.queries.types import ProjectEvidence
from knowledge.schema import LeaderProject


def projects_by(
    s: Session,
    group: str,  # "country" or "company_key" (a column name, never user input)
    groups: Iterable[str],
    sectors: tuple[str, ...],
    per_group: int,
    countries: Iterable[str] | None = None,
) -> dict[str, list[ProjectEvidence]]:
    """Up to ``per_group`` projects per ``group`` value (``country`` or ``company_key``),
    exact sector first (``sectors[0]``), then most recent."""
    groups = list(groups)
    if not groups or per_group <= 0:
        return {}
    where, params = (
        "",
        {"groups": groups, "sectors": list(sectors), "first": sectors[0], "per_group": per_group},
    )
    if countries is not None:
        where = " AND country IN :countries"
        params["countries"] = sorted(countries)
    columns = ", ".join(f"p.{c.name}" for c in LeaderProject.__table__.columns)
    # The window ranks keys only; the full rows (long titles, sources) are read for the few
    # winners. Sorting every candidate with all its columns cost twice as much at scale.
    sql = (
        f"SELECT {columns} FROM (SELECT key, ROW_NUMBER() OVER (PARTITION BY {group} "
        "ORDER BY CASE WHEN sector = :first THEN 0 ELSE 1 END, "
        "COALESCE(year_end, year, 0) DESC, key) AS rank FROM leader_projects "
        f"WHERE {group} IN :groups AND sector IN :sectors{where}) ranked "
        "JOIN leader_projects p ON p.key = ranked.key "
        "WHERE ranked.rank <= :per_group ORDER BY ranked.rank"
    )
    rows = [decode("leader_projects", r) for r in run(s, sql, **params)]
    names = catalog.company_names(s, {r.company_key for r in rows})
    out: dict[str, list[ProjectEvidence]] = defaultdict(list)
    for r in rows:
        out[getattr(r, group)].append(
            ProjectEvidence(
                key=r.key,
                company=r.company_key,
                company_name=names.get(r.company_key, {}),
                subsidiary=r.subsidiary,
                country=r.country,
                sector=r.sector,
                title=r.title,
                year=r.year_end or r.year,
                value_musd_min=r.value_musd_min,
                value_musd_max=r.value_musd_max,
                provenance=catalog.provenance(r),
            )
        )
    return out
