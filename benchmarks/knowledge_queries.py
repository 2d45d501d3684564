"""Latency of the knowledge-base queries at the shipped data size and at 100x synthetic scale.

    python benchmarks/knowledge_queries.py [--scale 100] [--runs 300]

Both databases are temporary SQLite files. The 100x database holds the shipped data plus
synthetic rows (keys ``synthetic:...``, origin ``synthetic_benchmark``, source
``https://synthetic.invalid/...``), generated into the temporary database only - never into the
real data. Each query runs with a fresh session per call, as an action server would, over
varied parameters; the script prints p50 and p95 in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from knowledge import schema
from knowledge.db import create_engine, session_scope
from knowledge.loader import load_data
from knowledge.loader.meta import set_meta
from knowledge.queries import (
    Profile,
    catalog,
    country_brief,
    find_partners,
    follow_the_leader,
    match_financing,
    recommend_parks,
)
from knowledge.regions import load_regions
from knowledge.sectors import SECTOR_KEYS
from knowledge.vocab import COMPANY_SIZES, FINANCING_NEEDS, PARTNER_KINDS

SYNTHETIC_ORIGIN = "synthetic_benchmark"
SYNTHETIC_SOURCE = "https://synthetic.invalid/benchmark"
CHILDREN = {
    "parks": [("park_sectors", "park_key")],
    "financing_channels": [
        ("financing_needs", "channel_key"),
        ("financing_places", "channel_key"),
        ("financing_sectors", "channel_key"),
    ],
    "companies": [("company_places", "company_key"), ("company_sectors", "company_key")],
}


def add_synthetic_rows(engine: Engine, factor: int, seed: int = 7) -> dict[str, int]:
    """Add ``factor - 1`` synthetic copies of every park, channel, company, project and risk
    note (random country, sector and year; clearly marked synthetic)."""
    rng = random.Random(seed)
    tables = {t.name: t for t in schema.Base.metadata.sorted_tables}
    added: dict[str, int] = {}
    with engine.begin() as conn:
        countries = [r[0] for r in conn.execute(select(schema.Country.iso2))]
        companies = [r[0] for r in conn.execute(select(schema.Company.key))]
        for name, key in (
            ("country_risk_notes", "key"),
            ("parks", "key"),
            ("financing_channels", "key"),
            ("companies", "key"),
            ("leader_projects", "key"),
        ):
            table = tables[name]
            rows = [dict(r) for r in conn.execute(select(table)).mappings()]
            children = {
                child: [dict(r) for r in conn.execute(select(tables[child])).mappings()]
                for child, _ in CHILDREN.get(name, [])
            }
            new_rows: list[dict] = []
            new_children: dict[str, list[dict]] = {c: [] for c in children}
            for copy in range(1, factor):
                for row in rows:
                    clone = dict(row)
                    clone[key] = f"synthetic:{copy}:{row[key]}"
                    clone.update(
                        origin=SYNTHETIC_ORIGIN,
                        source=SYNTHETIC_SOURCE,
                        verification="needs_check",
                        quote=None,
                    )
                    if clone.get("country"):
                        clone["country"] = rng.choice(countries)
                    if name == "leader_projects":
                        clone["sector"] = rng.choice(SECTOR_KEYS)
                        clone["company_key"] = rng.choice(companies)
                        clone["year"] = rng.randint(2000, 2025)
                        clone["title"] = {"en": "[synthetic] " + row["title"]["en"]}
                    new_rows.append(clone)
                    for child, link in CHILDREN.get(name, []):
                        for link_row in children[child]:
                            if link_row[link] == row[key]:
                                new_link = dict(link_row)
                                new_link[link] = clone[key]
                                if "sector" in new_link:
                                    new_link["sector"] = rng.choice(SECTOR_KEYS)
                                new_children[child].append(new_link)
            for start in range(0, len(new_rows), 2000):
                conn.execute(insert(table), new_rows[start : start + 2000])
            for child, child_rows in new_children.items():
                unique = {tuple(sorted(r.items())): r for r in child_rows}
                values = list(unique.values())
                for start in range(0, len(values), 5000):
                    conn.execute(insert(tables[child]), values[start : start + 5000])
            added[name] = len(new_rows)
        set_meta(conn, "data_version", f"synthetic-x{factor}")
    return added


def workload(rng: random.Random) -> dict[str, Callable[[object], object]]:
    """One parameterised call per query; each call draws new parameters."""
    regions = [k for k, r in load_regions().items() if r.level in ("subregion", "grouping")]
    countries = ["KE", "ET", "VN", "ID", "PK", "EG", "KZ", "UZ", "RS", "TH", "MY", "NG", "SA"]

    def place() -> str:
        return rng.choice(countries) if rng.random() < 0.6 else rng.choice(regions)

    return {
        "match_financing": lambda s: match_financing(
            Profile(
                sector=rng.choice(SECTOR_KEYS),
                target=place(),
                company_size=rng.choice(COMPANY_SIZES),
                need=rng.choice(FINANCING_NEEDS),
                amount=rng.choice([None, 2e5, 5e6]),
            ),
            session=s,
        ),
        "find_partners": lambda s: find_partners(
            place(), rng.choice([None, *SECTOR_KEYS]), rng.choice([None, *PARTNER_KINDS]), session=s
        ),
        "recommend_parks": lambda s: recommend_parks(
            Profile(
                sector=rng.choice(SECTOR_KEYS),
                target=rng.choice([None, place()]),
                company_size=rng.choice(COMPANY_SIZES),
            ),
            session=s,
        ),
        "follow_the_leader": lambda s: follow_the_leader(
            rng.choice(SECTOR_KEYS), rng.choice([None, place()]), session=s
        ),
        "country_brief": lambda s: country_brief(rng.choice(countries), session=s),
    }


def measure(engine: Engine, runs: int, seed: int = 11) -> dict[str, tuple[float, float, float]]:
    """p50 and p95 of wall-clock time and p95 of this process's CPU time (ms) of each query
    over ``runs`` calls (after a short warm-up). CPU time is what the query costs when the
    machine is shared with other loads; wall time is what a user waits."""
    rng = random.Random(seed)
    calls = workload(rng)
    out = {}
    for name, call in calls.items():
        for _ in range(10):
            with session_scope(engine) as s:
                call(s)
        times, cpu = [], []
        for _ in range(runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            with session_scope(engine) as s:
                call(s)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        times.sort()
        cpu.sort()
        p95 = int(0.95 * (len(times) - 1))
        out[name] = (statistics.median(times), times[p95], cpu[p95])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=100, help="synthetic scale factor")
    parser.add_argument("--runs", type=int, default=300, help="calls per query")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        shipped = create_engine(f"sqlite:///{Path(tmp) / 'shipped.db'}")
        load_data(shipped)
        scaled = create_engine(f"sqlite:///{Path(tmp) / f'x{args.scale}.db'}")
        load_data(scaled)
        added = add_synthetic_rows(scaled, args.scale)
        catalog.clear()
        results = {
            "shipped": measure(shipped, args.runs),
            f"x{args.scale} (synthetic)": measure(scaled, args.runs),
        }
        with scaled.connect() as conn:
            projects = conn.execute(select(schema.LeaderProject.key)).all()
        print(
            f"synthetic rows added at x{args.scale}: "
            + ", ".join(f"{k}={v}" for k, v in added.items())
            + f" (leader_projects now {len(projects)})"
        )
        print(f"{'query':20} " + " ".join(f"{label:>36}" for label in results))
        print(
            f"{'':20} " + " ".join(f"{'p50 ms':>12}{'p95 ms':>12}{'p95 cpu':>12}" for _ in results)
        )
        for name in next(iter(results.values())):
            cells = " ".join(
                f"{r[name][0]:12.2f}{r[name][1]:12.2f}{r[name][2]:12.2f}" for r in results.values()
            )
            print(f"{name:20} {cells}")
        scaled_results = results[f"x{args.scale} (synthetic)"]
        worst = max(r[1] for r in scaled_results.values())
        worst_cpu = max(r[2] for r in scaled_results.values())
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(
            f"worst p95 at x{args.scale}: {worst:.2f} ms wall, {worst_cpu:.2f} ms CPU "
            f"(target <= 5 ms; 1-minute load average {load:.1f} on {os.cpu_count()} CPUs)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
