"""Alembic migrations: up and down on SQLite and PostgreSQL; models match the migrations."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from knowledge.db import current_revision, downgrade, upgrade
from knowledge.loader import load_data
from knowledge.schema import Base
from knowledge.stats import collect

HEAD = "0003_company_evidence_index"
TABLES = {t.name for t in Base.metadata.sorted_tables}


def _round_trip(engine):
    upgrade(engine)
    assert current_revision(engine) == HEAD
    assert set(inspect(engine).get_table_names()) >= TABLES
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    downgrade(engine)
    assert current_revision(engine) is None
    assert not TABLES & set(inspect(engine).get_table_names())
    upgrade(engine)
    assert current_revision(engine) == HEAD


def test_migrations_up_and_down_on_sqlite(engine):
    _round_trip(engine)


def test_the_evidence_index_replaces_the_company_key_index_and_back(engine):
    def indexes():
        return {i["name"] for i in inspect(engine).get_indexes("leader_projects")}

    upgrade(engine)
    assert "ix_leader_projects_company_evidence" in indexes()
    assert "ix_leader_projects_company_key" not in indexes()
    downgrade(engine, "0002_covering_indexes")
    assert "ix_leader_projects_company_key" in indexes()
    assert "ix_leader_projects_company_evidence" not in indexes()
    upgrade(engine)
    assert current_revision(engine) == HEAD


def test_migrations_up_and_down_on_postgresql(pg_engine):
    _round_trip(pg_engine)


def test_the_data_loads_on_postgresql_and_reloading_changes_nothing(pg_engine):
    load_data(pg_engine)
    assert collect(pg_engine)["leader_projects"] >= 200
    assert not load_data(pg_engine).changed
