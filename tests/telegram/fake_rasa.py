"""A small stand-in for the assistant's REST channel, so bridge tests run in seconds.

`POST /webhooks/rest/webhook` records the request and answers with what `respond`
returns for it (default: one reply echoing the message); a test swaps `respond` to script
buttons, long replies, slowness or errors.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

Respond = Callable[[dict[str, Any]], Awaitable[Any]]


async def echo(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"recipient_id": body["sender"], "text": f"echo: {body['message']}"}]


@dataclass
class FakeRasa:
    """Use `async with FakeRasa() as rasa:`; `rasa.url` is its base URL."""

    respond: Respond = echo
    requests: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""

    def __post_init__(self) -> None:
        self._runner: web.AppRunner | None = None
        self.received = asyncio.Condition()

    async def __aenter__(self) -> FakeRasa:
        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", self._webhook)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _webhook(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.requests.append(body)
        async with self.received:
            self.received.notify_all()
        answer = await self.respond(body)
        if isinstance(answer, web.StreamResponse):
            return answer
        return web.json_response(answer)

    def messages(self) -> list[str]:
        return [request["message"] for request in self.requests]
