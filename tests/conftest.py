"""Shared fixtures: a running assistant (action server + Rasa server) for end-to-end tests.

The servers run the newest model under models/ (`make test` trains it when stale) on free
ports, with their own SQLite tracker store in a temporary folder.
"""

from __future__ import annotations

import json
import os
import socket
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Assistant:
    """A running assistant reached over the REST channel."""

    rasa_port: int
    action_port: int
    tracker_url: str

    @property
    def webhook(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/webhook"

    def post(self, body: bytes, content_type: str = "application/json") -> tuple[int, Any]:
        request = urllib.request.Request(self.webhook, data=body, method="POST",
                                         headers={"Content-Type": content_type})
        try:
            with urllib.request.urlopen(request, timeout=120) as reply:
                return reply.status, json.loads(reply.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read().decode("utf-8") or "null")

    def say(self, sender: str, text: Any, metadata: dict[str, Any] | None = None
            ) -> list[dict[str, Any]]:
        """Send one message; return the assistant's replies (asserting HTTP 200)."""
        body = {"sender": sender, "message": text}
        if metadata is not None:
            body["metadata"] = metadata
        status, replies = self.post(json.dumps(body, ensure_ascii=False).encode("utf-8"))
        assert status == 200, (status, replies)
        return replies


def newest_model_or_skip() -> Path:
    from bot import training

    model = training.newest_model()
    if model is None:
        pytest.fail("No trained model under models/: run `make test` (it trains first)")
    return model


def start_assistant(tmp_dir: Path, with_action_server: bool = True):  # type: ignore[no-untyped-def]
    from bot import cli
    from bot.settings import Settings, load

    newest_model_or_skip()
    base = load()
    config = Settings(
        rasa_port=free_port(), action_port=free_port(), database_url=base.database_url,
        cache_dir=base.cache_dir, tracker_url_override=f"sqlite:///{tmp_dir / 'tracker.db'}",
    )
    start = cli.start_servers if with_action_server else cli.start_rasa_only
    processes = start(config)
    return Assistant(config.rasa_port, config.action_port, config.tracker_url), processes


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    """The assistant with its action server, shared by the end-to-end tests."""
    from bot import cli

    running, processes = start_assistant(tmp_path_factory.mktemp("assistant"))
    yield running
    cli.stop_servers(processes)


@pytest.fixture(autouse=True)
def _quiet_tensorflow() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
