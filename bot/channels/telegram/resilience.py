"""How the bridge survives Telegram's faults and keeps each chat in order.

Built on python-telegram-bot's own extension points:

- `RetryAfterLimiter` (a `BaseRateLimiter`, the "react only if necessary" approach of
  PTB's documentation): a 429 with `retry_after` holds every request of the bot for that
  long, then the request is made again. PTB's `AIORateLimiter` does the same and also
  throttles ahead of time, but needs the `aiolimiter` package, which is not installed.
- `RetryingRequest` (an `HTTPXRequest`): a 5xx answer from the Bot API is retried with
  exponential back-off, below PTB's error mapping, where the status code is still known.
- `TolerantUpdatesRequest` (the `get_updates_request`): an update this PTB version cannot
  parse is replaced by a bare one (its id only). Otherwise PTB fails on the whole batch,
  never confirms it and fetches it again at once: one odd update would stop the bot.
- `PerChatUpdateProcessor` (a `BaseUpdateProcessor`): chats are served concurrently, the
  updates of one chat strictly in order, so replies never overtake each other.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter, BaseUpdateProcessor
from telegram.request import HTTPXRequest, RequestData

logger = logging.getLogger(__name__)

JSONResult = bool | dict[str, Any] | list[dict[str, Any]]


def retry_after_seconds(error: RetryAfter) -> float:
    """The wait Telegram asked for, in seconds.

    `RetryAfter.retry_after` is an int or a timedelta depending on PTB_TIMEDELTA and warns
    about the change; PTB's own AIORateLimiter reads the timedelta it stores, as we do.
    """
    value = getattr(error, "_retry_after", None)
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return float(error.retry_after)  # type: ignore[arg-type]


class RetryAfterLimiter(BaseRateLimiter[int]):
    """Retries a request Telegram answered with 429, after the time it asked for.

    Telegram's flood control applies to the whole bot, so while one request waits, every
    other request waits too (instead of drawing more 429s). A wait longer than
    `max_wait` is not worth holding a user's reply for: the error is raised.
    """

    def __init__(self, max_retries: int = 3, max_wait: float = 60.0) -> None:
        self.max_retries = max_retries
        self.max_wait = max_wait
        self._resume_at = 0.0

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Nothing to free."""

    async def _wait_for_flood_control(self) -> None:
        loop = asyncio.get_running_loop()
        while (delay := self._resume_at - loop.time()) > 0:
            await asyncio.sleep(delay)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSONResult:
        retries = self.max_retries if rate_limit_args is None else rate_limit_args
        for attempt in range(retries + 1):
            await self._wait_for_flood_control()
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                wait = retry_after_seconds(error)
                if wait <= self.max_wait:
                    # Hold every request, this one's retry included. A small margin:
                    # Telegram counts whole seconds.
                    loop = asyncio.get_running_loop()
                    self._resume_at = max(self._resume_at, loop.time() + wait + 0.1)
                if attempt == retries or wait > self.max_wait:
                    logger.error("Telegram flood control on %s: giving up (retry after %.0f s)",
                                 endpoint, wait)
                    raise
                logger.warning("Telegram flood control on %s: retrying in %.1f s",
                               endpoint, wait)
        raise AssertionError("unreachable")  # the loop returns or raises


class RetryingRequest(HTTPXRequest):
    """PTB's HTTPX request that retries 5xx answers of the Bot API with back-off.

    Telegram answers 500/502/503/504 when it is briefly overloaded; the request did not
    take effect, so making it again is safe. Timeouts are not retried here: a message
    whose answer timed out may have been delivered, and a retry would send it twice.
    """

    def __init__(self, attempts: int = 4, backoff: float = 0.25, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.attempts = attempts
        self.backoff = backoff

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        write_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        connect_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        pool_timeout: Any = HTTPXRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        delay = self.backoff
        for attempt in range(1, self.attempts + 1):
            code, payload = await super().do_request(
                url, method, request_data, read_timeout=read_timeout,
                write_timeout=write_timeout, connect_timeout=connect_timeout,
                pool_timeout=pool_timeout)
            if code < 500 or attempt == self.attempts:
                return code, payload
            logger.warning("Bot API answered %s to %s: retry %d in %.2f s", code,
                           url.rsplit("/", 1)[-1], attempt, delay)
            await asyncio.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")


class TolerantUpdatesRequest(HTTPXRequest):
    """The request object for getUpdates: drops the content of updates PTB can't parse."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        write_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        connect_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        pool_timeout: Any = HTTPXRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        code, payload = await super().do_request(
            url, method, request_data, read_timeout=read_timeout, write_timeout=write_timeout,
            connect_timeout=connect_timeout, pool_timeout=pool_timeout)
        if code != 200:
            return code, payload
        return code, sanitize_updates(payload)


def sanitize_updates(payload: bytes) -> bytes:
    """A getUpdates answer whose unparsable updates are reduced to their update_id."""
    try:
        body = json.loads(payload)
        updates = body["result"]
    except (ValueError, KeyError, TypeError):
        return payload  # not ours to fix: PTB reports a malformed answer itself
    if not isinstance(updates, list):
        return payload
    changed = False
    for index, update in enumerate(updates):
        try:
            Update.de_json(update, None)
        except Exception as error:  # any parsing failure, whatever PTB raises
            update_id = update.get("update_id") if isinstance(update, dict) else None
            if not isinstance(update_id, int):
                continue
            logger.error("Skipping update %s (%s): cannot parse it: %s", update_id,
                         sorted(set(update) - {"update_id"}), error)
            updates[index] = {"update_id": update_id}
            changed = True
    return json.dumps(body).encode() if changed else payload


def chat_of(update: object) -> int | None:
    """The chat an update belongs to, if any."""
    if isinstance(update, Update) and update.effective_chat is not None:
        return update.effective_chat.id
    return None


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Processes updates of different chats concurrently and those of one chat in order.

    The Rasa conversation of a chat must see its messages in the order they were sent,
    and the replies must come back in that order; one slow answer must not hold up
    every other chat (PTB's default processes all updates one after another).
    """

    def __init__(self, max_concurrent_updates: int = 64) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Nothing to free."""

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = chat_of(update)
        if chat is None:
            await coroutine
            return
        # asyncio.Lock wakes its waiters first-in first-out: the chat's order is kept.
        lock = self._locks.setdefault(chat, asyncio.Lock())
        self._users[chat] = self._users.get(chat, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._users[chat] -= 1
            if not self._users[chat]:  # keep no lock for idle chats
                del self._users[chat], self._locks[chat]
