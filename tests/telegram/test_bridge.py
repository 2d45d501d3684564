"""The real bridge in polling mode against the fake Bot API and a fake assistant.

Each test starts both fakes on 127.0.0.1 and the bridge in-process, sends updates the way
Telegram delivers them, and checks what the bridge sent back over the Bot API. "Nothing
was sent" is checked without sleeping: a later update in the same chat is answered only
after the earlier one was handled (one chat is served in order).
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiohttp import web

from bot import nlg
from bot.channels.telegram.formatting import MAX_MESSAGE_LENGTH, utf16_length
from locales import texts, translator
from tests.telegram.conftest import running_bridge, settings
from tests.telegram.fake_bot_api import (
    BOT_USER,
    ApiCall,
    FakeBotApi,
    group_chat,
    message,
    photo,
    private_chat,
    sticker,
    user,
    voice,
)
from tests.telegram.fake_rasa import FakeRasa, Respond, echo

BOT = f"@{BOT_USER['username']}"


@asynccontextmanager
async def world(respond: Respond = echo, **changes: Any
                ) -> AsyncIterator[tuple[FakeBotApi, FakeRasa]]:
    """The fake Bot API, the fake assistant and the bridge between them."""
    async with FakeBotApi() as api, FakeRasa(respond) as rasa, \
            running_bridge(settings(api.url, rasa.url, **changes)):
        yield api, rasa


async def say(api: FakeBotApi, chat: dict[str, Any], sender: dict[str, Any], text: str,
              **extra: Any) -> None:
    await api.push(api.update(message=message(chat, sender, text, **extra)))


def texts_of(calls: list[ApiCall]) -> list[str]:
    return [call.params["text"] for call in calls]


def buttons_of(call: ApiCall) -> list[tuple[str, str]]:
    rows = (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
    return [(button["text"], button.get("callback_data", "")) for row in rows for button in row]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# -- conversation ------------------------------------------------------------------------


async def test_a_message_goes_to_the_assistant_and_the_reply_comes_back() -> None:
    async with world() as (api, rasa):
        ana = user(11, "es")
        await say(api, private_chat(ana), ana, "¿Qué financiación hay para Kenia?")
        (reply,) = await api.replies(11, 1)
    assert reply.params["text"] == "echo: ¿Qué financiación hay para Kenia?"
    assert "parse_mode" not in reply.params  # plain text: nothing to escape
    assert rasa.requests == [{
        "sender": "telegram:11", "message": "¿Qué financiación hay para Kenia?",
        "metadata": {"language": "es", "chat_type": "private", "channel": "telegram",
                     "telegram_user_id": 11}}]
    methods = [call.method for call in api.calls]
    assert methods.index("sendChatAction") < methods.index("sendMessage")
    assert api.sent("sendChatAction")[0].params["action"] == "typing"
    assert methods.count("getMe") == 1  # once at start-up, not per update


async def test_replies_come_back_in_order_with_buttons_as_an_inline_keyboard() -> None:
    async def respond(body: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"recipient_id": body["sender"], "text": "First <b>*not bold*</b> & _so_"},
                {"recipient_id": body["sender"], "text": "Second, pick one:",
                 "buttons": [{"title": "Financing", "payload": "/ask_financing"},
                             {"title": "Parks", "payload": "/recommend_park"}]}]

    async with world(respond) as (api, _):
        ana = user(12)
        await say(api, private_chat(ana), ana, "hello")
        first, second = await api.replies(12, 2)
    assert texts_of([first, second]) == ["First <b>*not bold*</b> & _so_", "Second, pick one:"]
    assert "reply_markup" not in first.params
    assert buttons_of(second) == [("Financing", "/ask_financing"),
                                  ("Parks", "/recommend_park")]


async def test_a_reply_over_4096_characters_arrives_in_two_messages() -> None:
    paragraph = "Export credit insurance covers political and commercial risk. " * 40
    long_text = f"{paragraph.strip()}\n\n{paragraph.strip()}"  # ~5,000 characters

    async def respond(body: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"text": long_text, "buttons": [{"title": "More", "payload": "/more"}]}]

    async with world(respond) as (api, _):
        ana = user(13)
        await say(api, private_chat(ana), ana, "tell me everything")
        first, second = await api.replies(13, 2)
    assert utf16_length(long_text) > MAX_MESSAGE_LENGTH
    assert texts_of([first, second]) == [paragraph.strip(), paragraph.strip()]
    assert buttons_of(second) == [("More", "/more")] and not buttons_of(first)


async def test_a_button_press_is_answered_and_its_payload_sent_to_the_assistant() -> None:
    long_payload = "/inform" + json.dumps({"sector": "textiles_apparel", "country": "KZ",
                                           "company_size": "medium"})

    async def respond(body: dict[str, Any]) -> list[dict[str, Any]]:
        if body["message"] == "hi":
            return [{"text": "Choose", "buttons": [
                {"title": "Financing", "payload": "/ask_financing"},
                {"title": "Textiles in Kazakhstan", "payload": long_payload}]}]
        return await echo(body)

    async with world(respond) as (api, rasa):
        ana = user(14, "fr")
        await say(api, private_chat(ana), ana, "hi")
        (menu,) = await api.replies(14, 1)
        for _, data in buttons_of(menu):
            await api.push(api.callback(menu, ana, data))
        replies = await api.replies(14, 3)
    assert rasa.messages() == ["hi", "/ask_financing", long_payload]
    assert texts_of(replies[1:]) == ["echo: /ask_financing", f"echo: {long_payload}"]
    answered = api.sent("answerCallbackQuery")
    assert len(answered) == 2 and not any("text" in call.params for call in answered)
    assert rasa.requests[1]["metadata"]["language"] == "fr"


async def test_an_unknown_button_is_answered_with_a_notice() -> None:
    async with world() as (api, rasa):
        ana = user(15, "ru")
        await say(api, private_chat(ana), ana, "hi")
        (menu,) = await api.replies(15, 1)
        await api.push(api.callback(menu, ana, "#0123456789abcdef01234567"))
        (answer,) = await api.wait_for(lambda: api.sent("answerCallbackQuery"))
    assert answer.params["text"] == nlg.render("utter_telegram_button_expired", "ru")["text"]
    assert rasa.messages() == ["hi"]


# -- commands ----------------------------------------------------------------------------


async def test_commands_send_their_payloads() -> None:
    async with world() as (api, rasa):
        ana = user(16, "zh")
        chat = private_chat(ana)
        for command in ("/start", "/help", "/reset"):
            await say(api, chat, ana, command)
        replies = await api.replies(16, 4)
    assert rasa.messages() == ["/greet", "/help", "/forget_profile"]
    assert rasa.requests[0]["metadata"]["language"] == "zh"
    assert texts_of(replies) == ["echo: /greet", "echo: /help",
                                 nlg.render("utter_telegram_commands", "zh")["text"],
                                 "echo: /forget_profile"]
    menus = api.sent("setMyCommands")
    assert [c["command"] for c in menus[0].params["commands"]] == [
        "start", "help", "language", "reset", "privacy"]


async def test_privacy_is_answered_by_the_bridge_in_the_users_language() -> None:
    async with world() as (api, rasa):
        ana = user(17, "ar")
        await say(api, private_chat(ana), ana, "/privacy")
        (reply,) = await api.replies(17, 1)
    assert reply.params["text"] == nlg.render("utter_telegram_privacy", "ar")["text"]
    assert rasa.requests == []


async def test_language_menu_offers_six_languages_and_the_choice_sticks() -> None:
    async with world() as (api, rasa):
        ana = user(18, "en")
        chat = private_chat(ana)
        await say(api, chat, ana, "/language")
        (menu,) = await api.replies(18, 1)
        french = dict(buttons_of(menu))["Français"]
        await api.push(api.callback(menu, ana, french))
        await api.replies(18, 2)
        # The bridge's own texts now follow the choice, not Telegram's "en".
        await api.push(api.update(message=photo(chat, ana)))
        replies = await api.replies(18, 3)
    assert menu.params["text"] == nlg.render("utter_ask_language", "en")["text"]
    assert len(buttons_of(menu)) == 6
    assert rasa.messages() == ['/change_language{"language": "fr"}']
    assert replies[2].params["text"] == nlg.render("utter_unreadable_message", "fr")["text"]


async def test_language_with_an_argument_switches_at_once() -> None:
    async with world() as (api, rasa):
        ana = user(19, "en")
        await say(api, private_chat(ana), ana, "/language ru")
        await api.replies(19, 1)
    assert rasa.messages() == ['/change_language{"language": "ru"}']


async def test_unknown_commands_get_help() -> None:
    async with world() as (api, rasa):
        ana = user(20)
        await say(api, private_chat(ana), ana, "/settings")
        await api.replies(20, 1)
    assert rasa.messages() == ["/help"]


# -- other update types ------------------------------------------------------------------


async def test_photos_stickers_and_voice_get_text_only_please() -> None:
    async with world() as (api, rasa):
        ana = user(21, "es")
        chat = private_chat(ana)
        for content in (photo(chat, ana, caption="mira"), sticker(chat, ana), voice(chat, ana)):
            await api.push(api.update(message=content))
        replies = await api.replies(21, 3)
    assert set(texts_of(replies)) == {nlg.render("utter_unreadable_message", "es")["text"]}
    assert rasa.requests == []


async def test_an_edited_message_is_answered_as_a_new_one() -> None:
    async with world() as (api, rasa):
        ana = user(22)
        chat = private_chat(ana)
        original = message(chat, ana, "finacing for Kenia")
        await api.push(api.update(message=original))
        await api.replies(22, 1)
        edited = {**original, "text": "financing for Kenya", "edit_date": original["date"] + 5}
        await api.push(api.update(edited_message=edited))
        await api.replies(22, 2)
    assert rasa.messages() == ["finacing for Kenia", "financing for Kenya"]


async def test_updates_without_a_message_are_ignored_without_crashing() -> None:
    async with world() as (api, rasa):
        ana = user(23)
        chat = private_chat(ana)
        await api.push(
            api.update(poll={"id": "p1", "question": "?", "options": [], "total_voter_count": 0,
                             "is_closed": False, "is_anonymous": True, "type": "regular",
                             "allows_multiple_answers": False}),
            api.update(channel_post=message({"id": -100777, "type": "channel", "title": "News"},
                                            None, "Export news")),
            api.update(message_reaction_count={"chat": chat, "message_id": 1, "date": 0,
                                               "reactions": []}),
            api.update(something_telegram_adds_later={"x": 1}),
            api.update(message=message(chat, ana, "", new_chat_title="x")),
        )
        await say(api, chat, ana, "still there?")
        replies = await api.replies(23, 1)
    assert texts_of(replies) == ["echo: still there?"]
    assert rasa.messages() == ["still there?"]


async def test_duplicate_update_ids_are_handled_once() -> None:
    async with world() as (api, rasa):
        ana = user(24)
        update = api.update(message=message(private_chat(ana), ana, "once"))
        await api.push(update, update, update)
        await say(api, private_chat(ana), ana, "twice?")
        await api.replies(24, 2)
    assert rasa.messages() == ["once", "twice?"]


# -- groups ------------------------------------------------------------------------------


async def test_in_groups_only_messages_addressed_to_the_bot_are_answered() -> None:
    async with world() as (api, rasa):
        ana, bob, chat = user(31, "fr"), user(32, "en"), group_chat(-100200)
        await say(api, chat, ana, "Bonjour tout le monde")
        await api.push(api.update(message=photo(chat, bob)))
        await say(api, chat, bob, "/weather@another_bot")
        await say(api, chat, ana, f"{BOT} quels parcs au Kazakhstan ?")
        (first,) = await api.replies(-100200, 1)
        await say(api, chat, bob, "and in Uzbekistan?",
                  reply_to_message=first.result)
        second = (await api.replies(-100200, 2))[1]
    assert rasa.messages() == ["quels parcs au Kazakhstan ?", "and in Uzbekistan?"]
    assert {r["sender"] for r in rasa.requests} == {"telegram:-100200"}
    assert [r["metadata"]["telegram_user_id"] for r in rasa.requests] == [31, 32]
    assert rasa.requests[0]["metadata"]["chat_type"] == "supergroup"
    # Answers quote the message they answer: several people talk in a group.
    assert first.params["reply_parameters"]["message_id"] != second.params[
        "reply_parameters"]["message_id"]


async def test_start_in_a_group_explains_how_to_address_the_bot() -> None:
    async with world() as (api, _):
        ana, chat = user(33, "es"), group_chat(-100300)
        await say(api, chat, ana, f"/start@{BOT_USER['username']}")
        greeting, hint = await api.replies(-100300, 2)
    assert greeting.params["text"] == "echo: /greet"
    assert hint.params["text"] == texts.template(translator("es"), "telegram_group_hint",
                                                 mention=BOT)


async def test_being_added_to_a_group_explains_how_to_address_the_bot() -> None:
    async with world() as (api, _):
        ana, chat = user(34, "en"), group_chat(-100400)
        bot_member = {"user": BOT_USER}
        await api.push(api.update(my_chat_member={
            "chat": chat, "from": ana, "date": 0,
            "old_chat_member": {**bot_member, "status": "left"},
            "new_chat_member": {**bot_member, "status": "member"}}))
        (hint,) = await api.replies(-100400, 1)
    assert BOT in hint.params["text"]


# -- faults ------------------------------------------------------------------------------


async def test_the_assistant_down_gets_a_localized_unavailable_reply() -> None:
    async with FakeBotApi() as api, running_bridge(
            settings(api.url, f"http://127.0.0.1:{closed_port()}")):
        ana = user(41, "ru")
        await say(api, private_chat(ana), ana, "Привет")
        (reply,) = await api.replies(41, 1)
    assert reply.params["text"] == nlg.render("utter_telegram_unavailable", "ru")["text"]


async def test_a_slow_assistant_gets_a_localized_unavailable_reply() -> None:
    release = asyncio.Event()

    async def respond(body: dict[str, Any]) -> list[dict[str, Any]]:
        await release.wait()
        return await echo(body)

    async with world(respond, rasa_timeout=0.3) as (api, _):
        ana = user(42, "zh")
        await say(api, private_chat(ana), ana, "你好")
        (reply,) = await api.replies(42, 1)
        release.set()
    assert reply.params["text"] == nlg.render("utter_telegram_unavailable", "zh")["text"]


async def test_an_assistant_error_gets_a_localized_unavailable_reply() -> None:
    async def respond(body: dict[str, Any]) -> web.Response:
        return web.Response(status=500, text="boom")

    async with world(respond) as (api, _):
        ana = user(43, "fr")
        await say(api, private_chat(ana), ana, "Bonjour")
        (reply,) = await api.replies(43, 1)
    assert reply.params["text"] == nlg.render("utter_telegram_unavailable", "fr")["text"]


async def test_a_slow_chat_does_not_hold_up_another() -> None:
    release = asyncio.Event()

    async def respond(body: dict[str, Any]) -> list[dict[str, Any]]:
        if body["sender"] == "telegram:44":
            await release.wait()
        return await echo(body)

    async with world(respond) as (api, _):
        slow, quick = user(44), user(45)
        await say(api, private_chat(slow), slow, "first")
        await say(api, private_chat(slow), slow, "second")
        await say(api, private_chat(quick), quick, "hello")
        await api.replies(45, 1)
        assert api.sent("sendMessage", 44) == []
        release.set()
        replies = await api.replies(44, 2)
    assert texts_of(replies) == ["echo: first", "echo: second"]


async def test_telegram_429_is_waited_out_and_the_message_sent_once() -> None:
    async with world() as (api, _):
        api.fail("sendMessage", 429, retry_after=1)
        ana = user(46)
        await say(api, private_chat(ana), ana, "hello")
        (reply,) = await api.replies(46, 1)
    attempts = [call for call in api.calls if call.method == "sendMessage"]
    assert [call.status for call in attempts] == [429, 200]
    assert reply.params["text"] == "echo: hello"


async def test_telegram_5xx_is_retried_with_backoff() -> None:
    async with world() as (api, _):
        api.fail("sendMessage", 502, times=2)
        ana = user(47)
        await say(api, private_chat(ana), ana, "hello")
        await api.replies(47, 1)
    attempts = [call.status for call in api.calls if call.method == "sendMessage"]
    assert attempts == [502, 502, 200]


async def test_polling_survives_errors_of_get_updates() -> None:
    async with world() as (api, _):
        api.fail("getUpdates", 502)
        ana = user(48)
        await say(api, private_chat(ana), ana, "hello")
        await api.replies(48, 1)


async def test_a_press_too_old_to_answer_still_reaches_the_assistant() -> None:
    async with world() as (api, rasa):
        ana = user(49)
        await say(api, private_chat(ana), ana, "hi")
        (menu,) = await api.replies(49, 1)
        api.fail("answerCallbackQuery", 400, description="Bad Request: query is too old and "
                 "response timeout expired or query ID is invalid")
        await api.push(api.callback(menu, ana, "/ask_financing"))
        await api.replies(49, 2)
    assert rasa.messages() == ["hi", "/ask_financing"]
