"""Localized rendering of responses (bot/nlg.py): the NLG endpoint's behaviour."""

import pytest

from bot import nlg
from locales import SUPPORTED_LANGUAGES, translator
from nlu.languages import detect_language


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_response_renders_in_every_language(language: str) -> None:
    for name in sorted(nlg.response_names()):
        message = nlg.render(name, language, {"limit": 4096})
        assert message["text"].strip(), name
        assert "{" not in message["text"], (name, message["text"])


@pytest.mark.parametrize("language", [lang for lang in SUPPORTED_LANGUAGES if lang != "en"])
def test_greeting_is_translated_not_english(language: str) -> None:
    english = nlg.render("utter_greet", "en")["text"]
    translated = nlg.render("utter_greet", language)["text"]
    assert translated != english
    assert detect_language(translated).guess == language


def test_buttons_are_translated_and_keep_their_payloads() -> None:
    english = nlg.render("utter_help", "en")["buttons"]
    chinese = nlg.render("utter_help", "zh")["buttons"]
    assert [b["payload"] for b in english] == [b["payload"] for b in chinese]
    assert [b["title"] for b in english] != [b["title"] for b in chinese]


def test_language_menu_names_each_language_in_itself() -> None:
    buttons = nlg.render("utter_ask_language", "ru")["buttons"]
    titles = {b["payload"]: b["title"] for b in buttons}
    assert titles['/change_language{"language": "zh"}'] == "中文"
    assert titles['/change_language{"language": "ar"}'] == "العربية"
    assert len(buttons) == 6


def test_numbers_in_placeholders_are_formatted_for_the_locale() -> None:
    assert "4,096" in nlg.render("utter_message_truncated", "en", {"limit": 4096})["text"]
    assert "4\u202f096" in nlg.render("utter_message_truncated", "fr", {"limit": 4096})["text"]


def test_language_changed_names_the_new_language_in_itself() -> None:
    assert "français" in nlg.render("utter_language_changed", "fr")["text"]
    assert "中文" in nlg.render("utter_language_changed", "zh")["text"]


def test_unknown_response_renders_the_localized_error() -> None:
    error = nlg.render("utter_error", "es")["text"]
    assert nlg.render("utter_does_not_exist", "es")["text"] == error


def test_language_comes_from_argument_then_slot_then_hints() -> None:
    tracker = {"slots": {"language": "ru", "session_started_metadata": {"language": "fr"}},
               "latest_message": {"language_guess": "es"}}
    assert nlg.resolve_language({"language": "ar"}, tracker) == "ar"
    assert nlg.resolve_language({}, tracker) == "ru"
    tracker["slots"]["language"] = None
    assert nlg.resolve_language({}, tracker) == "fr"
    assert nlg.resolve_language({}, {"latest_message": {"language_guess": "es"}}) == "es"
    assert nlg.resolve_language({}, {}) == "en"


def test_handle_answers_a_rasa_nlg_request_body() -> None:
    body = {"response": "utter_goodbye", "arguments": {}, "tracker": {"slots": {"language": "zh"}},
            "channel": {"name": "rest"}}
    assert nlg.handle(body)["text"] == nlg.render("utter_goodbye", "zh")["text"]


def test_money_and_dates_go_through_babel() -> None:
    assert translator("en").money(1_500_000, "USD") == "$1,500,000"
    assert translator("fr").money(1_500_000, "USD") == "1\u202f500\u202f000\xa0$US"
    assert translator("zh").date("2026-01-30") == "2026年1月30日"
    assert translator("ar").country("EG") == "مصر"
    assert translator("ar").direction == "rtl"
