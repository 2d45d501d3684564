"""request_human: the hand-off is stored with its context and the agency is notified."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from actions import handoffs
from actions.handoff import ActionRequestHuman
from tests.actions.conftest import run, tracker

EVENTS = [
    {"event": "user", "text": "I need export credit insurance for Kenya"},
    {"event": "bot", "text": "Which sector?"},
    {"event": "user", "text": "textiles, please connect me to a person"},
]


@pytest.fixture
def database(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'advisor.db'}"
    monkeypatch.setenv("ADVISOR_DATABASE_URL", url)
    monkeypatch.delenv("ADVISOR_HANDOFF_WEBHOOK_URL", raising=False)
    monkeypatch.delenv("ADVISOR_HANDOFF_TELEGRAM_CHAT_ID", raising=False)
    return url


@pytest.fixture
def webhook():
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            received.append(json.loads(self.rfile.read(length)))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/handoff", received
    server.shutdown()


def ask_for_a_human(language: str = "en") -> str:
    messages, _ = run(ActionRequestHuman(), tracker(
        {"sector": "textiles_apparel", "target": "KE", "language": language},
        intent="request_human", events=EVENTS, sender="user-42"))
    return messages[0]["text"]


def test_handoff_is_recorded_with_language_profile_and_recent_turns(database) -> None:
    reply = ask_for_a_human("fr")
    stored = handoffs.open_handoffs(database)
    assert len(stored) == 1
    handoff = stored[0]
    assert handoff.sender == "user-42" and handoff.language == "fr"
    assert handoff.profile == {"sector": "textiles_apparel", "target": "KE"}
    assert [turn["who"] for turn in handoff.recent_turns] == ["user", "bot", "user"]
    assert handoff.reference in reply and not handoff.notified


def test_agency_webhook_is_notified(database, webhook, monkeypatch) -> None:
    url, received = webhook
    monkeypatch.setenv("ADVISOR_HANDOFF_WEBHOOK_URL", url)
    reply = ask_for_a_human()
    assert received and received[0]["sender"] == "user-42"
    assert received[0]["profile"]["target"] == "KE"
    assert "passed your request" in reply
    assert handoffs.open_handoffs(database)[0].notified_via == "webhook"


def test_dead_webhook_keeps_the_handoff_queued(database, monkeypatch) -> None:
    monkeypatch.setenv("ADVISOR_HANDOFF_WEBHOOK_URL", "http://127.0.0.1:9/unreachable")
    reply = ask_for_a_human()
    assert "recorded your request" in reply
    assert len(handoffs.open_handoffs(database)) == 1


def test_closing_a_handoff_removes_it_from_the_open_list(database) -> None:
    ask_for_a_human()
    handoff = handoffs.open_handoffs(database)[0]
    assert handoffs.close(handoff.id, "called back", database)
    assert handoffs.open_handoffs(database) == []
    assert handoffs.open_handoffs(database, include_closed=True)[0].note == "called back"


def test_advisor_handoffs_lists_open_ones_and_closes_them(database, capsys) -> None:
    from bot import cli

    ask_for_a_human("ar")
    assert cli.main(["handoffs", "--json"]) == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(listed) == 1 and listed[0]["language"] == "ar"
    assert cli.main(["handoffs", "--close", str(listed[0]["id"]), "--note", "done"]) == 0
    capsys.readouterr()
    assert cli.main(["handoffs"]) == 0
    assert "No open hand-offs." in capsys.readouterr().out
