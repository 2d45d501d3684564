"""Fixtures of the Telegram bridge tests: `async def` tests, the bridge run in-process.

No asyncio plugin is installed, so this folder runs its coroutine tests itself: each in a
fresh event loop under a hard time limit (a hung test fails instead of hanging the run).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

import pytest

from bot.channels.telegram.config import TelegramSettings
from bot.channels.telegram.runner import AnyApplication, serve
from tests.telegram.fake_bot_api import TOKEN

TEST_TIMEOUT_SECONDS = 60


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests in their own event loop, bounded in time."""
    function = pyfuncitem.obj
    if not inspect.iscoroutinefunction(function):
        return None
    names = inspect.signature(function).parameters
    arguments = {name: pyfuncitem.funcargs[name] for name in names}
    asyncio.run(asyncio.wait_for(function(**arguments), TEST_TIMEOUT_SECONDS))
    return True


def settings(api_url: str, rasa_url: str, **changes: Any) -> TelegramSettings:
    """Bridge settings for tests: short polls and timeouts, everything on 127.0.0.1."""
    base = TelegramSettings(token=TOKEN, api_url=api_url, rasa_url=rasa_url,
                            rasa_timeout=10, poll_timeout=1)
    return replace(base, **changes)


@asynccontextmanager
async def running_bridge(config: TelegramSettings) -> AsyncIterator[AnyApplication]:
    """The real bridge, serving until the block ends; yields its PTB application."""
    stop = asyncio.Event()
    started: asyncio.Future[AnyApplication] = asyncio.get_running_loop().create_future()

    async def ready(application: AnyApplication) -> None:
        started.set_result(application)

    task = asyncio.create_task(serve(config, stop, ready))
    done, _ = await asyncio.wait({task, started}, timeout=20,
                                 return_when=asyncio.FIRST_COMPLETED)
    if task in done:  # it stopped before it was ready: show why
        task.result()
    assert started.done(), "the bridge did not start within 20 s"
    try:
        yield started.result()
    finally:
        stop.set()
        await asyncio.wait_for(task, 20)
