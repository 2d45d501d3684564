"""Fixtures for action tests: trackers built from slots, a collecting dispatcher, and a
knowledge base loaded once from knowledge/data into a temporary SQLite file."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher


@pytest.fixture(scope="session", autouse=True)
def knowledge_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The shipped knowledge data in a temporary SQLite database (ADVISOR_DATABASE_URL)."""
    from knowledge import cli as knowledge_cli
    from knowledge.db import dispose_engines

    url = f"sqlite:///{tmp_path_factory.mktemp('kb') / 'knowledge.db'}"
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("ADVISOR_DATABASE_URL", url)
    assert knowledge_cli.main(["--database-url", url, "load"]) == 0
    yield url
    dispose_engines()
    monkeypatch.undo()


def tracker(slots: dict[str, Any] | None = None, text: str = "", intent: str = "inform",
            entities: list[dict[str, Any]] | None = None, sender: str = "tester",
            events: list[dict[str, Any]] | None = None) -> Tracker:
    """A tracker whose latest message and slots are as given."""
    message = {"text": text, "intent": {"name": intent, "confidence": 1.0},
               "entities": entities or [], "metadata": {}}
    return Tracker(sender, {"language": "en", **(slots or {})}, message, events or [],
                   False, None, {}, "rest")


def run(action: Any, current: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run an action; return (messages it sent, events it returned as dicts)."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, current, {}))
    return dispatcher.messages, [dict(event) for event in events]


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()
