"""Flood-control retries and per-chat ordering, without any server."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import Any

import pytest
from telegram import Update
from telegram.error import BadRequest, RetryAfter

from bot.channels.telegram.resilience import (
    PerChatUpdateProcessor,
    RetryAfterLimiter,
    sanitize_updates,
)
from tests.telegram.fake_bot_api import message, private_chat, user

SHORT = dt.timedelta(milliseconds=50)


class Flaky:
    """A Bot API call that fails with the given errors, then succeeds."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def __call__(self) -> dict[str, Any]:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return {"ok": True}


async def limited(limiter: RetryAfterLimiter, call: Flaky, retries: int | None = None) -> Any:
    return await limiter.process_request(call, (), {}, "sendMessage", {"chat_id": 1}, retries)


async def test_a_429_is_retried_after_the_wait_telegram_asked_for() -> None:
    call = Flaky(RetryAfter(SHORT), RetryAfter(SHORT))
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert await limited(RetryAfterLimiter(), call) == {"ok": True}
    assert call.calls == 3 and loop.time() - started >= 0.1


async def test_retries_are_bounded() -> None:
    call = Flaky(*[RetryAfter(SHORT)] * 5)
    with pytest.raises(RetryAfter):
        await limited(RetryAfterLimiter(max_retries=2), call)
    assert call.calls == 3


async def test_a_wait_longer_than_the_maximum_is_not_waited_for() -> None:
    call = Flaky(RetryAfter(dt.timedelta(hours=1)))
    with pytest.raises(RetryAfter):
        await limited(RetryAfterLimiter(max_wait=60), call)
    assert call.calls == 1


async def test_flood_control_holds_other_requests_too() -> None:
    limiter = RetryAfterLimiter()
    loop = asyncio.get_running_loop()
    with pytest.raises(RetryAfter):  # no retries for this one, but the wait is recorded
        await limited(limiter, Flaky(RetryAfter(dt.timedelta(milliseconds=200))), retries=0)
    started = loop.time()
    await limited(limiter, Flaky())
    assert loop.time() - started >= 0.15


async def test_other_errors_are_not_retried() -> None:
    call = Flaky(BadRequest("Bad Request: message text is empty"))
    with pytest.raises(BadRequest):
        await limited(RetryAfterLimiter(), call)
    assert call.calls == 1


def _update(update_id: int, chat_id: int) -> Update:
    sender = user(chat_id)
    parsed = Update.de_json({"update_id": update_id,
                             "message": message(private_chat(sender), sender, "hi")}, None)
    assert parsed is not None
    return parsed


async def test_one_chat_in_order_other_chats_alongside() -> None:
    processor = PerChatUpdateProcessor(16)
    events: list[str] = []
    release_first = asyncio.Event()

    async def handle(name: str, wait: asyncio.Event | None = None) -> None:
        events.append(f"start {name}")
        if wait is not None:
            await wait.wait()
        events.append(f"end {name}")

    tasks = [asyncio.create_task(processor.process_update(_update(1, 10),
                                                          handle("a1", release_first))),
             asyncio.create_task(processor.process_update(_update(2, 10), handle("a2"))),
             asyncio.create_task(processor.process_update(_update(3, 20), handle("b1")))]
    while "end b1" not in events:  # chat 20 is not held up by chat 10's slow update
        await asyncio.sleep(0)
    assert "start a2" not in events  # chat 10's second update waits for its first
    release_first.set()
    await asyncio.gather(*tasks)
    assert events.index("end a1") < events.index("start a2")
    assert not processor._locks  # no lock is kept for idle chats


def test_an_update_ptb_cannot_parse_is_reduced_to_its_id() -> None:
    good = {"update_id": 2, "message": message(private_chat(user(5)), user(5), "hi")}
    bad = {"update_id": 1, "poll": {"id": "p1", "question": "?"}}  # required fields missing
    payload = json.dumps({"ok": True, "result": [bad, good]}).encode()
    cleaned = json.loads(sanitize_updates(payload))["result"]
    assert cleaned == [{"update_id": 1}, good]
    assert sanitize_updates(b'{"ok": false, "error_code": 502}') == (
        b'{"ok": false, "error_code": 502}')
    untouched = json.dumps({"ok": True, "result": [good]}).encode()
    assert sanitize_updates(untouched) is untouched
