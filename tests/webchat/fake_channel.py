"""The webchat channel in a real Sanic server with a fake agent: no model needed.

The server is built the way `rasa run` builds its app: Rasa's channel registration under
/webhooks/ and sanic-cors applied app-wide with no origins (what `configure_cors` does
without `--cors`), so the channel's own CORS handling is tested against the real thing.
The agent is a fake that records messages, keeps real Rasa events per sender and echoes.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.channels.webchat.channel import WebchatInput
from bot.channels.webchat.tokens import TokenSigner

ORIGIN = "http://agency.test:8080"
SECRET = b"s" * 32
QUICK_REPLIES = [{"title": "Financing", "payload": "/ask_financing"}]


class FakeTracker:
    def __init__(self, sender: str) -> None:
        self.sender_id = sender
        self.events: list[Any] = []
        self.slots: dict[str, Any] = {}

    def get_slot(self, name: str) -> Any:
        return self.slots.get(name)


class FakeTrackerStore:
    def __init__(self) -> None:
        self.trackers: dict[str, FakeTracker] = {}

    async def retrieve(self, sender: str) -> FakeTracker | None:
        return self.trackers.get(sender)

    async def retrieve_full_tracker(self, sender: str) -> FakeTracker | None:
        return self.trackers.get(sender)


@dataclass
class FakeAgent:
    """Echoes every message with quick replies, or fails / stays silent when told to;
    waits `delay` seconds before answering."""

    mode: str = "echo"
    delay: float = 0.0
    received: list[Any] = field(default_factory=list)
    tracker_store: FakeTrackerStore = field(default_factory=FakeTrackerStore)

    def is_ready(self) -> bool:
        return True

    async def handle_message(self, message: Any) -> None:
        from rasa.shared.core.events import BotUttered, UserUttered

        self.received.append(message)
        tracker = self.tracker_store.trackers.setdefault(message.sender_id,
                                                         FakeTracker(message.sender_id))
        tracker.events.append(UserUttered(message.text, metadata=message.metadata))
        language = (message.metadata or {}).get("language")
        if language:
            tracker.slots["language"] = language
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.mode == "fail":
            raise RuntimeError("the action server exploded")
        if self.mode == "silent":
            return
        text = f"echo: {message.text}"
        await message.output_channel.send_text_with_buttons(message.sender_id, text,
                                                            QUICK_REPLIES)
        tracker.events.append(BotUttered(text, {"buttons": QUICK_REPLIES}))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class ChannelServer:
    """The webchat channel served on 127.0.0.1 with a fake agent."""

    port: int
    agent: FakeAgent
    channel: WebchatInput

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/webhooks/webchat"

    def call(self, method: str, path: str, body: Any = None, token: str | None = None,
             origin: str | None = ORIGIN, headers: dict[str, str] | None = None,
             raw: bytes | None = None) -> tuple[int, dict[str, str], Any]:
        """(status, headers, JSON or None) of one request."""
        data = raw if raw is not None else (
            None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8"))
        sent = {**({"Content-Type": "application/json"} if data is not None else {}),
                **({"Authorization": f"Bearer {token}"} if token else {}),
                **({"Origin": origin} if origin else {}), **(headers or {})}
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers=sent)
        try:
            with urllib.request.urlopen(request, timeout=30) as reply:
                status, got, payload = reply.status, dict(reply.headers), reply.read()
        except urllib.error.HTTPError as error:
            status, got, payload = error.code, dict(error.headers), error.read()
        try:
            parsed = json.loads(payload.decode("utf-8")) if payload else None
        except ValueError:
            parsed = None
        return status, {k.lower(): v for k, v in got.items()}, parsed

    def new_token(self) -> str:
        status, _, body = self.call("POST", "/session", {})
        assert status == 200, body
        return body["token"]


def _serve(app: Any, port: int, started: threading.Event,
           holder: dict[str, Any]) -> None:
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        server = loop.run_until_complete(app.create_server(
            host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False))
        loop.run_until_complete(server.startup())
        loop.run_until_complete(server.before_start())
        loop.run_until_complete(server.after_start())
    except BaseException as error:
        holder["error"] = error
        started.set()
        raise
    holder.update(loop=loop, server=server)
    started.set()
    loop.run_forever()
    loop.run_until_complete(server.before_stop())
    server.close()
    loop.run_until_complete(server.wait_closed())
    loop.run_until_complete(server.after_stop())
    loop.close()


def start_channel_server(origins: str = ORIGIN) -> tuple[ChannelServer, Callable[[], None]]:
    """The channel with a fake agent on a free port, and the function that stops it."""
    from rasa.core.channels.channel import register
    from sanic import Sanic
    from sanic_cors import CORS

    # Sanic's test mode: several apps may start in one process (its start-up "touch-up"
    # rewrites class methods, which fails the second time outside test mode).
    Sanic.test_mode = True
    agent = FakeAgent()
    channel = WebchatInput(origins=origins, signer=TokenSigner(SECRET))
    app = Sanic(f"webchat_test_{_free_port()}")
    # As rasa.server.configure_cors(app, None) does for `rasa run` without --cors.
    app.config.CORS_AUTOMATIC_OPTIONS = True
    app.config.CORS_SUPPORTS_CREDENTIALS = True
    app.config.CORS_EXPOSE_HEADERS = "filename"
    CORS(app, resources={r"/*": {"origins": ""}}, automatic_options=True)
    app.ctx.agent = agent
    register([channel], app, route="/webhooks/")
    port = _free_port()
    started: threading.Event = threading.Event()
    holder: dict[str, Any] = {}
    thread = threading.Thread(target=_serve, args=(app, port, started, holder), daemon=True)
    thread.start()
    if not started.wait(60) or "error" in holder:
        raise RuntimeError("the channel's test server did not start") from holder.get("error")

    def stop() -> None:
        holder["loop"].call_soon_threadsafe(holder["loop"].stop)
        thread.join(10)

    return ChannelServer(port, agent, channel), stop
