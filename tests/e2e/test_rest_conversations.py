"""End to end over REST: the action server and the Rasa server, new users in six languages."""

from __future__ import annotations

import json
import uuid

import pytest

from bot import nlg
from nlu.languages import detect_language
from tests.conftest import Assistant

pytestmark = pytest.mark.e2e

OPENINGS = {
    "en": "Hello! What can you do for my company?",
    "zh": "你好，你能帮我的公司做什么？",
    "ru": "Здравствуйте! Чем вы можете помочь моей компании?",
    "ar": "مرحبا، كيف يمكنك مساعدة شركتي؟",
    "es": "¡Hola! ¿Qué puedes hacer por mi empresa?",
    "fr": "Bonjour ! Que pouvez-vous faire pour mon entreprise ?",
}


def new_sender() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


def texts(replies: list[dict]) -> list[str]:
    return [reply["text"] for reply in replies if reply.get("text")]


def rendered(name: str, language: str) -> str:
    return nlg.render(name, language)["text"]


@pytest.mark.parametrize("language", sorted(OPENINGS))
def test_new_user_gets_an_answer_in_their_language(assistant: Assistant, language: str) -> None:
    replies = texts(assistant.say(new_sender(), OPENINGS[language]))
    assert replies, "no reply"
    expected = {rendered(name, language) for name in ("utter_greet", "utter_help")}
    assert replies[0] in expected, replies
    assert detect_language(replies[0]).guess == language


def test_answer_in_french_switches_the_language_and_it_sticks(assistant: Assistant) -> None:
    sender = new_sender()
    assistant.say(sender, "Hi there, what can you help me with?")
    switched = texts(assistant.say(sender, "Please answer in French from now on"))
    assert switched == [rendered("utter_language_changed", "fr")]
    later = texts(assistant.say(sender, "What can you do for an exporter like me?"))
    assert later and detect_language(later[0]).guess == "fr", later


def test_arabic_comes_back_intact(assistant: Assistant) -> None:
    replies = assistant.say(new_sender(), "مرحبا، أريد أن أعرف ماذا تقدم للشركات الصغيرة")
    text = replies[0]["text"]
    assert text in {rendered("utter_greet", "ar"), rendered("utter_help", "ar")}
    assert "\ufffd" not in text  # no replacement characters: UTF-8 survived both hops
    assert any("\u0600" <= char <= "\u06ff" for char in text)


def test_language_button_payload_switches_language(assistant: Assistant) -> None:
    sender = new_sender()
    assistant.say(sender, "hello, what can you do?")
    replies = texts(assistant.say(sender, '/change_language{"language": "zh"}'))
    assert replies == [rendered("utter_language_changed", "zh")]


def test_channel_language_hint_is_used_for_a_short_first_message(assistant: Assistant) -> None:
    replies = texts(assistant.say(new_sender(), "hi", metadata={"language": "ru"}))
    assert replies == [rendered("utter_greet", "ru")]


# -- bad input -----------------------------------------------------------------------------


def test_empty_message_gets_a_localized_prompt(assistant: Assistant) -> None:
    sender = new_sender()
    assistant.say(sender, "Здравствуйте, что вы умеете?")
    assert texts(assistant.say(sender, "   ")) == [rendered("utter_empty_message", "ru")]


def test_100_kb_message_is_cut_with_a_polite_note(assistant: Assistant) -> None:
    text = "We are a garment maker looking for financing in Kenya. " * 1900  # ~100 KB
    replies = texts(assistant.say(new_sender(), text))
    note = nlg.render("utter_message_truncated", "en", {"limit": 4096})["text"]
    assert note in replies
    assert len(replies) >= 2  # the note and an answer


@pytest.mark.parametrize("text", [
    "hello\x00\x01\x02 there\x1b[31m",   # control characters and an ANSI escape
    "😀🎉👍",                            # emoji only
    "Hola 你好 Привет مرحبا bonjour",      # mixed scripts
    "<script>alert('x')</script>",
    "'; DROP TABLE events; --",
])
def test_odd_input_gets_an_answer_never_a_server_error(assistant: Assistant, text: str) -> None:
    replies = texts(assistant.say(new_sender(), text))
    assert replies and all(reply.strip() for reply in replies)


def test_lone_surrogates_and_binary_garbage_in_text_are_survived(assistant: Assistant) -> None:
    body = b'{"sender": "s-garbage", "message": "hello \\ud800 there \\u0000\\u0001"}'
    status, replies = assistant.post(body)
    assert status == 200 and replies and replies[0]["text"]


def test_non_text_message_field_is_treated_as_empty(assistant: Assistant) -> None:
    replies = texts(assistant.say(new_sender(), {"not": "text"}))
    assert replies == [rendered("utter_empty_message", "en")]


@pytest.mark.parametrize("body", [b"not json", b"[1, 2, 3]", b"\xff\xfe\x00binary\x80",
                                  json.dumps({"message": "hi"}).encode()])
def test_malformed_requests_get_400_with_a_reason(assistant: Assistant, body: bytes) -> None:
    status, reply = assistant.post(body)
    assert status == 400 and "error" in reply
