"""End to end: the fake Bot API, the real bridge and the running assistant (Rasa + actions).

Each test starts the bridge in-process against the session's `assistant` fixture; the
fake Bot API plays Telegram. Replies are compared with what bot.nlg renders, so the
tests hold whether or not a language's catalog is translated yet.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from bot import nlg
from tests.conftest import Assistant
from tests.telegram.conftest import running_bridge, settings
from tests.telegram.fake_bot_api import ApiCall, FakeBotApi, message, photo, private_chat, user

pytestmark = pytest.mark.e2e


def rendered(name: str, language: str) -> str:
    return nlg.render(name, language)["text"]


def every_response(language: str) -> set[str]:
    return {rendered(name, language) for name in nlg.response_names()}


def buttons_of(call: ApiCall) -> dict[str, str]:
    rows = (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
    return {button["text"]: button["callback_data"] for row in rows for button in row}


@asynccontextmanager
async def telegram(assistant: Assistant) -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as api, running_bridge(settings(
            api.url, f"http://127.0.0.1:{assistant.rasa_port}", rasa_timeout=120)):
        yield api


async def say(api: FakeBotApi, sender: dict[str, Any], text: str) -> None:
    await api.push(api.update(message=message(private_chat(sender), sender, text)))


async def test_a_conversation_in_two_languages(assistant: Assistant) -> None:
    async with telegram(assistant) as api:
        ana, li = user(900_001, "es", "Ana"), user(900_002, "zh", "Li")
        await say(api, ana, "/start")
        await say(api, li, "你好，你能帮我的公司做什么？")
        (greeting,) = await api.replies(900_001, 1, timeout=120)
        (chinese,) = await api.replies(900_002, 1, timeout=120)
        await say(api, ana, "¡Hola! ¿Qué puedes hacer por mi empresa?")
        spanish = (await api.replies(900_001, 2, timeout=120))[1]
    assert greeting.params["text"] == rendered("utter_greet", "es")
    assert "/ask_financing" in buttons_of(greeting).values()
    # Which answer the model picks is the NLU's business; the language is the bridge's:
    # each reply must be one of the assistant's responses rendered in the chat's language.
    assert chinese.params["text"] in every_response("zh"), chinese.params["text"]
    assert spanish.params["text"] in every_response("es"), spanish.params["text"]


async def test_a_button_press_reaches_the_assistant(assistant: Assistant) -> None:
    async with telegram(assistant) as api:
        ana = user(900_003, "fr")
        await say(api, ana, "/start")
        (greeting,) = await api.replies(900_003, 1, timeout=120)
        await api.push(api.callback(greeting, ana, buttons_of(greeting)[
            nlg.render("utter_greet", "fr")["buttons"][0]["title"]]))
        replies = await api.replies(900_003, 2, timeout=120)
    assert len(api.sent("answerCallbackQuery")) == 1
    answer = replies[1].params["text"]
    assert answer and answer != rendered("utter_telegram_unavailable", "fr")


async def test_language_switch_reset_help_and_a_photo(assistant: Assistant) -> None:
    async with telegram(assistant) as api:
        bob = user(900_004, "en")
        await say(api, bob, "/language")
        (menu,) = await api.replies(900_004, 1, timeout=120)
        assert len(buttons_of(menu)) == 6
        await api.push(api.callback(menu, bob, buttons_of(menu)["Français"]))
        switched = (await api.replies(900_004, 2, timeout=120))[1]
        await api.push(api.update(message=photo(private_chat(bob), bob)))
        await say(api, bob, "/reset")
        await say(api, bob, "/help")
        replies = await api.replies(900_004, 6, timeout=120)
    assert switched.params["text"] == rendered("utter_language_changed", "fr")
    assert [call.params["text"] for call in replies[2:]] == [
        rendered("utter_unreadable_message", "fr"), rendered("utter_profile_forgotten", "fr"),
        rendered("utter_help", "fr"), rendered("utter_telegram_commands", "fr")]


async def test_telegram_429_is_handled_with_the_real_assistant(assistant: Assistant) -> None:
    async with telegram(assistant) as api:
        api.fail("sendMessage", 429, retry_after=1)
        olga = user(900_005, "ru")
        await say(api, olga, "/start")
        (greeting,) = await api.replies(900_005, 1, timeout=120)
    assert greeting.params["text"] == rendered("utter_greet", "ru")
    assert [c.status for c in api.calls if c.method == "sendMessage"] == [429, 200]
