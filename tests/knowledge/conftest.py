"""Fixtures: temporary SQLite databases, copies of the data files, the real data loaded once,
and a dedicated PostgreSQL schema when the local server is reachable."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from knowledge.config import DATA_DIR
from knowledge.db import create_engine, session_scope
from knowledge.loader import load_data
from knowledge.queries import catalog

PG_CANDIDATES = (
    "postgresql+psycopg2://postgres@127.0.0.1:5432/test",
    "postgresql+psycopg2://root@127.0.0.1:5432/test",
)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A private copy of knowledge/data/ that a test may edit."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("raw", "SOURCES.md"))
    return target


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """An empty SQLite database in a temporary folder."""
    eng = create_engine(f"sqlite:///{tmp_path / 'kb.db'}")
    yield eng
    eng.dispose()
    catalog.clear()


@pytest.fixture(scope="session")
def loaded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with the shipped data loaded (the template the fixtures copy)."""
    path = tmp_path_factory.mktemp("loaded") / "kb.db"
    eng = create_engine(f"sqlite:///{path}")
    load_data(eng)
    eng.dispose()
    return path


@pytest.fixture(scope="session")
def loaded_engine(loaded_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """The shipped data in a database shared by read-only tests."""
    path = tmp_path_factory.mktemp("shared") / "kb.db"
    shutil.copy(loaded_file, path)
    eng = create_engine(f"sqlite:///{path}")
    yield eng
    eng.dispose()


@pytest.fixture
def loaded(loaded_file: Path, tmp_path: Path) -> Iterator[Engine]:
    """A private database with the shipped data, for tests that write."""
    path = tmp_path / "loaded.db"
    shutil.copy(loaded_file, path)
    eng = create_engine(f"sqlite:///{path}")
    yield eng
    eng.dispose()
    catalog.clear()


@pytest.fixture
def session(loaded_engine: Engine):  # type: ignore[no-untyped-def]
    """A session on the loaded database."""
    with session_scope(loaded_engine) as s:
        yield s


def _pg_url() -> str | None:
    try:
        import psycopg2
    except ImportError:
        return None
    for url in PG_CANDIDATES:
        user = url.split("//")[1].split("@")[0]
        try:
            psycopg2.connect(
                host="127.0.0.1", port=5432, dbname="test", user=user, connect_timeout=3
            ).close()
            return url
        except psycopg2.Error:
            continue
    return None


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    """An engine whose search_path is a fresh schema on the local PostgreSQL (dropped after);
    skipped with the reason when the server is not reachable."""
    url = _pg_url()
    if url is None:
        pytest.skip(
            "PostgreSQL at 127.0.0.1:5432 (database 'test', user postgres or root, "
            "trust auth) is not reachable"
        )
    schema = f"kb_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    eng = create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield eng
    finally:
        eng.dispose()
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()
        catalog.clear()
