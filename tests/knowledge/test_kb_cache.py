"""Per-process caches of the queries: dropped whenever a writer changes the data, and the
in-memory rankings they hold agree exactly with the full ranking at scale."""

from __future__ import annotations

import shutil
from pathlib import Path

from kb_helpers import (
    assert_top_results_are_the_best_of_the_full_ranking,
    read_records,
    write_records,
)
from sqlalchemy.engine import Engine

from benchmarks.knowledge_queries import add_synthetic_rows
from knowledge.db import create_engine
from knowledge.importers.cgit import import_tracker
from knowledge.importers.partners import import_partners
from knowledge.loader import load_data
from knowledge.loader.meta import REVISION, get_meta
from knowledge.queries import (
    Profile,
    country_brief,
    find_partners,
    follow_the_leader,
    recommend_parks,
)

DIRECTORY = (
    "key,name_en,name_zh,kind,country,serves,sectors,services_en,services_zh,website,"
    "contact,source_url,as_of,verification\n"
    'nbo_law,"Example Advocates LLP",示例律师事务所,law_firm,KE,KE,construction,'
    "company law,公司法,example.co.ke,,https://agency.example.org/directory,2026-11-01,verified\n"
)
TRACKER = (
    "China Global Investment Tracker (test file)\n,,,,,,,,,,,\n"
    "Year,Month,Chinese Entity,Quantity in Millions,Share size,Transaction Party,Sector,"
    "Subsector,Country,Region,BRI,Greenfield\n"
    "2025,May,BYD,300,,,Transport,Autos,Brazil,South America,,G\n"
)


def _revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return get_meta(conn, REVISION)


def test_an_import_is_seen_by_the_next_query_without_clearing_any_cache(loaded, tmp_path):
    before = find_partners("KE", "construction", "law_firm", engine=loaded)
    partners = country_brief("KE", engine=loaded).items[0].partners
    path = tmp_path / "directory.csv"
    path.write_text(DIRECTORY, encoding="utf-8")
    import_partners(loaded, path, "Kenya Export Agency")
    after = find_partners("KE", "construction", "law_firm", engine=loaded)
    assert after.items[0].key == "kenya_export_agency:nbo_law"
    assert after.items[0].key not in [m.key for m in before.items]
    assert country_brief("KE", engine=loaded).items[0].partners == partners + 1


def test_a_tracker_import_updates_the_cached_leader_presence(loaded, tmp_path):
    def brazil() -> int:
        items = follow_the_leader("automotive", "BR", engine=loaded).items
        return items[0].projects_in_sector if items else 0

    projects = brazil()
    path = tmp_path / "cgit.csv"
    path.write_text(TRACKER, encoding="utf-8")
    import_tracker(loaded, path)
    assert brazil() == projects + 1


def test_a_reload_that_changes_a_park_is_seen_by_the_next_query(engine, data_dir):
    load_data(engine, data_dir)
    profile = Profile(sector="textiles_apparel", target="ET", company_size="small")
    first = recommend_parks(profile, engine=engine).items[0]
    parks = read_records(data_dir / "parks.yml")
    next(p for p in parks if p["key"] == first.key)["country"] = "VN"
    write_records(data_dir / "parks.yml", parks)
    load_data(engine, data_dir)
    assert first.key not in [p.key for p in recommend_parks(profile, engine=engine).items]


def test_the_revision_changes_only_when_a_writer_changes_something(loaded, tmp_path):
    first = _revision(loaded)
    assert first
    load_data(loaded)
    assert _revision(loaded) == first
    path = tmp_path / "directory.csv"
    path.write_text(DIRECTORY, encoding="utf-8")
    import_partners(loaded, path, "Kenya Export Agency", dry_run=True)
    assert _revision(loaded) == first
    import_partners(loaded, path, "Kenya Export Agency")
    second = _revision(loaded)
    assert second != first
    import_partners(loaded, path, "Kenya Export Agency")
    assert _revision(loaded) == second


def test_rankings_at_scale_are_exactly_the_best_of_the_full_ranking(loaded_file: Path, tmp_path):
    """Synthetic copies share every static score, so ties are broken by key everywhere."""
    path = tmp_path / "scaled.db"
    shutil.copy(loaded_file, path)
    engine = create_engine(f"sqlite:///{path}")
    add_synthetic_rows(engine, 4)
    assert_top_results_are_the_best_of_the_full_ranking(
        20261130, 40,
        places=[None, "KE", "VN", "CN", "asean", "eastern_africa", "belt_and_road", "world"],
        homes=[None, "CN", "KE"], limits=[1, 3, 10], everything=100_000, engine=engine,
    )
    engine.dispose()
