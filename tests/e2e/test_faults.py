"""Faults: a dead action server still gets localized answers, never silence or a 5xx."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from bot import cli, nlg
from tests.conftest import Assistant, start_assistant

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def without_actions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    """The Rasa server alone: its action server (and NLG endpoint) never started."""
    running, processes = start_assistant(tmp_path_factory.mktemp("no-actions"),
                                         with_action_server=False)
    yield running
    cli.stop_servers(processes)


def test_responses_are_rendered_in_process_when_the_nlg_endpoint_is_down(
        without_actions: Assistant) -> None:
    replies = without_actions.say(f"f-{uuid.uuid4().hex}", "¡Hola! ¿Qué puedes hacer por mí?")
    assert replies[0]["text"] in {nlg.render("utter_greet", "es")["text"],
                                               nlg.render("utter_help", "es")["text"]}


def test_a_custom_action_that_cannot_run_gets_a_localized_unavailable_reply(
        without_actions: Assistant) -> None:
    replies = without_actions.say(f"f-{uuid.uuid4().hex}", "Пожалуйста, отвечай по-французски")
    assert [r["text"] for r in replies] == [nlg.render("utter_service_unavailable", "ru")["text"]]
