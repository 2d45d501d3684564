"""Helpers for the knowledge tests."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import text
from sqlalchemy.engine import Engine

from knowledge.queries import Profile, find_partners, match_financing, recommend_parks
from knowledge.schema import Base
from knowledge.sectors import load_vocabulary
from knowledge.vocab import COMPANY_SIZES, FINANCING_NEEDS, PARTNER_KINDS


def read_records(path: Path) -> list[dict[str, Any]]:
    """Records of a data file."""
    return yaml.safe_load(path.read_text(encoding="utf-8")) or []


def write_records(path: Path, records: list[dict[str, Any]]) -> None:
    """Write records back (dates as ISO strings)."""
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), "utf-8")


def snapshot(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every knowledge table, sorted (to compare database states)."""
    out: dict[str, list[tuple]] = {}
    with engine.connect() as conn:
        existing = set(engine.dialect.get_table_names(conn))
        for table in Base.metadata.sorted_tables:
            if table.name not in existing:
                out[table.name] = []
                continue
            rows = conn.execute(text(f"SELECT * FROM {table.name}")).all()
            out[table.name] = sorted(tuple(map(str, r)) for r in rows)
    return out


def assert_top_results_are_the_best_of_the_full_ranking(
    seed: int,
    runs: int,
    places: list[str | None],
    homes: list[str | None],
    limits: list[int],
    everything: int,
    **database: Any,
) -> None:
    """For random profiles, each ranking query's first ``limit`` results (key and score) are
    the first ``limit`` of its full ranking (``everything`` results); ``database`` is the
    ``session=`` or ``engine=`` the queries take."""
    rng = random.Random(seed)
    sectors = [None, *load_vocabulary().keys]
    for _ in range(runs):
        profile = Profile(
            sector=rng.choice(sectors),
            target=rng.choice(places),
            company_size=rng.choice([None, *COMPANY_SIZES]),
            need=rng.choice([None, *FINANCING_NEEDS]),
            amount=rng.choice([None, 1e5, 3e7]),
            home_country=rng.choice(homes),
        )
        limit = rng.choice(limits)
        for query in (match_financing, recommend_parks):
            top = [(m.key, m.score) for m in query(profile, limit=limit, **database).items]
            full = query(profile, limit=everything, **database).items
            assert top == [(m.key, m.score) for m in full][:limit], (query.__name__, profile)
        args = (profile.target, profile.sector, rng.choice([None, *PARTNER_KINDS]))
        top = [(m.key, m.score) for m in find_partners(*args, limit=limit, **database).items]
        full = find_partners(*args, limit=everything, **database).items
        assert top == [(m.key, m.score) for m in full][:limit], args
