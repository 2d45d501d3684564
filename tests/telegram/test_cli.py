"""Starting and stopping: `advisor telegram` as a process, a bad token, Telegram away."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys

from bot import cli
from bot.channels.telegram.runner import serve
from tests.conftest import PROJECT_DIR, free_port
from tests.telegram.conftest import settings
from tests.telegram.fake_bot_api import TOKEN, FakeBotApi, message, private_chat, user
from tests.telegram.fake_rasa import FakeRasa


def test_the_telegram_command_is_registered() -> None:
    args = cli.build_parser().parse_args(["telegram", "--mode", "webhook"])
    assert args.command == "telegram" and args.mode == "webhook" and callable(args.handler)


async def test_the_bridge_process_polls_answers_and_stops_cleanly_on_sigterm() -> None:
    async with FakeBotApi() as api, FakeRasa() as rasa:
        env = {**os.environ, "ADVISOR_TELEGRAM_TOKEN": TOKEN,
               "ADVISOR_TELEGRAM_API_URL": api.url, "ADVISOR_RASA_URL": rasa.url,
               "ADVISOR_LOG_LEVEL": "DEBUG"}
        env.pop("ADVISOR_TELEGRAM_MODE", None)
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "telegram", cwd=PROJECT_DIR, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        try:
            await api.wait_for(lambda: "getUpdates" in api.arrived, timeout=30)
            ana = user(61, "es")
            await api.push(api.update(message=message(private_chat(ana), ana, "hola")))
            (reply,) = await api.replies(61, 1)
            process.send_signal(signal.SIGTERM)
            output, _ = await asyncio.wait_for(process.communicate(), 20)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    assert reply.params["text"] == "echo: hola"
    assert process.returncode == 0, output.decode()[-2000:]
    log = output.decode()
    assert "running (polling mode" in log
    # httpx logs request URLs, which contain the token: the bridge keeps them quiet.
    assert TOKEN not in log and TOKEN.split(":")[1] not in log


async def test_a_rejected_token_stops_the_bridge_with_a_clear_message() -> None:
    async with FakeBotApi(token="999:the-token-telegram-knows") as api:
        env = {**os.environ, "ADVISOR_TELEGRAM_TOKEN": TOKEN,
               "ADVISOR_TELEGRAM_API_URL": api.url}
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "telegram", cwd=PROJECT_DIR, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        output, _ = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 2
    assert "rejected the bot token" in output.decode()


async def test_the_bridge_waits_for_an_unreachable_bot_api_at_start_up() -> None:
    unreachable = asyncio.Event()

    class Watch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if "Bot API unreachable" in record.getMessage():
                unreachable.set()

    watch = Watch()
    logging.getLogger("bot.channels.telegram").addHandler(watch)
    port = free_port()
    try:
        async with FakeRasa() as rasa:
            stop = asyncio.Event()
            ready = asyncio.Event()
            bridge = asyncio.create_task(serve(
                settings(f"http://127.0.0.1:{port}", rasa.url), stop,
                lambda application: ready.set()))
            await asyncio.wait_for(unreachable.wait(), 20)  # the first getMe failed
            async with FakeBotApi(port=port) as api:  # Telegram is back
                await asyncio.wait_for(ready.wait(), 20)
                ana = user(62)
                await api.push(api.update(message=message(private_chat(ana), ana, "hi")))
                await api.replies(62, 1)
                stop.set()
                await asyncio.wait_for(bridge, 20)
    finally:
        logging.getLogger("bot.channels.telegram").removeHandler(watch)
