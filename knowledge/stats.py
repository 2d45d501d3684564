"""Row counts and provenance coverage of the knowledge base (``knowledge stats``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from knowledge.schema import RECORD_TABLES, Base

#: Minimum record counts the knowledge base is specified to reach (issue 3).
MINIMUMS = {
    "countries": 60,
    "parks": 40,
    "financing_channels": 25,
    "leading_firms": 60,
    "leader_projects": 200,
    "service_providers": 80,
}


def collect(engine: Engine) -> dict[str, Any]:
    """Row count per table, plus ``with_source``, ``with_as_of`` and ``verified`` as fractions
    of all record rows (the tables that carry provenance)."""
    out: dict[str, Any] = {}
    total = with_source = with_as_of = verified = 0
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            out[table.name] = conn.execute(select(func.count()).select_from(table)).scalar_one()
        for model in RECORD_TABLES:
            t = model.__table__
            row = conn.execute(
                select(
                    func.count(),
                    func.count().filter(func.coalesce(t.c.source, "") != ""),
                    func.count().filter(t.c.as_of.is_not(None)),
                    func.count().filter(t.c.verification == "verified"),
                )
            ).one()
            total += row[0]
            with_source += row[1]
            with_as_of += row[2]
            verified += row[3]
    out["with_source"] = round(with_source / total, 4) if total else 0.0
    out["with_as_of"] = round(with_as_of / total, 4) if total else 0.0
    out["verified"] = round(verified / total, 4) if total else 0.0
    return out


def minimums(engine: Engine) -> dict[str, tuple[int, int]]:
    """``{name: (have, minimum)}`` for the issue's minimum counts."""
    from knowledge.schema import Company

    with engine.connect() as conn:
        counts = collect(engine)
        leaders = conn.execute(
            select(func.count()).select_from(Company).where(Company.kind == "leader")
        ).scalar_one()
    have = {
        "countries": counts["countries"],
        "parks": counts["parks"],
        "financing_channels": counts["financing_channels"],
        "leading_firms": leaders,
        "leader_projects": counts["leader_projects"],
        "service_providers": counts["companies"] - leaders,
    }
    return {k: (have[k], v) for k, v in MINIMUMS.items()}
