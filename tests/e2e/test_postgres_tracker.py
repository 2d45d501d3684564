"""The tracker store moves to PostgreSQL when a database URL is set."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest

from tests.conftest import PROJECT_DIR

pytestmark = pytest.mark.e2e

POSTGRES_URL = os.environ.get("ADVISOR_TEST_POSTGRES_URL",
                              "postgresql://postgres@127.0.0.1:5432/test")


def postgres_reachable() -> str | None:
    """None if PostgreSQL answers, else the reason it does not."""
    try:
        import psycopg2

        psycopg2.connect(POSTGRES_URL, connect_timeout=3).close()
    except Exception as error:
        return f"PostgreSQL not reachable at {POSTGRES_URL}: {error}".strip()
    return None


SCRIPT = """
import asyncio, sys
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered, SlotSet
from rasa.utils.endpoints import read_endpoint_config

async def main(sender):
    endpoint = read_endpoint_config("endpoints.yml", "tracker_store")
    domain = Domain.load("domain.yml")
    store = TrackerStore.create(endpoint, domain)
    print(type(store._tracker_store if hasattr(store, "_tracker_store") else store).__name__)
    print(store.engine.url.get_backend_name() if hasattr(store, "engine") else
          store._tracker_store.engine.url.get_backend_name())
    tracker = await store.get_or_create_tracker(sender)
    tracker.update(UserUttered("привет"))
    tracker.update(SlotSet("language", "ru"))
    await store.save(tracker)
    again = await store.retrieve(sender)
    print(again.get_slot("language"), again.latest_message.text)

asyncio.run(main(sys.argv[1]))
"""


def test_sql_tracker_store_uses_postgresql_from_the_environment() -> None:
    reason = postgres_reachable()
    if reason:
        pytest.skip(reason)
    from bot.settings import load

    env = {**os.environ, "ADVISOR_DATABASE_URL": POSTGRES_URL}
    env.update(load().__class__(5005, 5055, POSTGRES_URL, load().cache_dir).environment())
    sender = f"pg-{uuid.uuid4().hex}"
    result = subprocess.run([sys.executable, "-c", SCRIPT, sender], cwd=PROJECT_DIR, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.strip().splitlines()[-3:]
    assert lines[0] == "SQLTrackerStore"
    assert lines[1] == "postgresql"
    assert lines[2] == "ru привет"


def test_default_tracker_store_is_sqlite_under_var() -> None:
    from bot.settings import VAR_DIR, Settings

    config = Settings(5005, 5055, None, PROJECT_DIR / ".cache")
    assert config.tracker_url == f"sqlite:///{VAR_DIR / 'tracker.db'}"
    assert config.environment()["ADVISOR_TRACKER_DIALECT"] == "sqlite"
