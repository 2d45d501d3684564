"""Webhook mode: the bridge registers its URL and secret, and refuses posts without it."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp

from tests.telegram.conftest import running_bridge, settings
from tests.telegram.fake_bot_api import SECRET_HEADER, FakeBotApi, message, private_chat, user
from tests.telegram.fake_rasa import FakeRasa

SECRET = "a-Secret_0123456789"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@asynccontextmanager
async def webhook_world() -> AsyncIterator[tuple[FakeBotApi, FakeRasa, str]]:
    """The bridge in webhook mode; Telegram would post to the public URL, which a
    reverse proxy forwards to the listening port: here both are the same address."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/webhook"
    async with FakeBotApi() as api, FakeRasa() as rasa, running_bridge(settings(
            api.url, rasa.url, mode="webhook", webhook_url=url, secret=SECRET,
            listen_host="127.0.0.1", listen_port=port)):
        yield api, rasa, url


async def test_the_webhook_is_registered_with_its_secret_and_updates_are_answered() -> None:
    async with webhook_world() as (api, rasa, url):
        assert api.webhook is not None
        assert (api.webhook["url"], api.webhook["secret_token"]) == (url, SECRET)
        assert "message" in api.webhook["allowed_updates"]
        ana = user(51, "fr")
        status = await api.deliver(api.update(message=message(private_chat(ana), ana, "Salut")))
        (reply,) = await api.replies(51, 1)
    assert status == 200
    assert reply.params["text"] == "echo: Salut"
    assert rasa.requests[0]["metadata"]["language"] == "fr"
    assert not [call for call in api.calls if call.method == "getUpdates"]


async def test_a_post_without_the_secret_or_with_a_wrong_one_gets_403() -> None:
    async with webhook_world() as (api, rasa, _url):
        ana = user(52)
        chat = private_chat(ana)
        missing = await api.deliver(api.update(message=message(chat, ana, "no secret")),
                                    secret=None)
        wrong = await api.deliver(api.update(message=message(chat, ana, "wrong secret")),
                                  secret="guess")
        right = await api.deliver(api.update(message=message(chat, ana, "right secret")))
        await api.replies(52, 1)
    assert (missing, wrong, right) == (403, 403, 200)
    assert rasa.messages() == ["right secret"]


async def test_a_redelivered_update_is_answered_once() -> None:
    async with webhook_world() as (api, rasa, _url):
        ana = user(53)
        update = api.update(message=message(private_chat(ana), ana, "once"))
        # Telegram re-sends an update when it thinks the first post failed.
        assert [await api.deliver(update), await api.deliver(update)] == [200, 200]
        await api.deliver(api.update(message=message(private_chat(ana), ana, "next")))
        await api.replies(53, 2)
    assert rasa.messages() == ["once", "next"]


async def test_garbage_is_refused_and_health_is_reported() -> None:
    async with webhook_world() as (_api, rasa, url), aiohttp.ClientSession() as session:
        headers = {SECRET_HEADER: SECRET, "Content-Type": "application/json"}
        async with session.post(url, data="not json", headers=headers) as response:
            assert response.status == 400
        async with session.post(url, data='{"no": "update_id"}', headers=headers) as response:
            assert response.status == 400
        async with session.get(url.replace("/telegram/webhook", "/healthz")) as response:
            assert response.status == 200 and (await response.json())["running"] is True
    assert rasa.requests == []
