"""A fake Telegram Bot API server speaking the real HTTP protocol, for the bridge's tests.

It serves `POST|GET /bot<token>/<method>` on 127.0.0.1 with the Bot API's envelopes
(`{"ok": true, "result": ...}` / `{"ok": false, "error_code", "description",
"parameters"}`), reads parameters the ways real clients send them (query string, form,
multipart, JSON) and implements what the bridge uses: getMe, getUpdates (long polling with
offsets), sendMessage, sendChatAction, answerCallbackQuery, setWebhook, deleteWebhook,
getWebhookInfo, setMyCommands. Tests queue updates (`push`) or post them to the
registered webhook as Telegram would (`deliver`), inject faults (`fail`), and wait for
what the bridge sent (`wait_for`, `replies`).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

TOKEN = "123456789:AAFakeTokenForTheBridgeTests_abcdefghij"
BOT_USER = {
    "id": 123456789, "is_bot": True, "first_name": "SME Advisor",
    "username": "sme_advisor_test_bot", "can_join_groups": True,
    "can_read_all_group_messages": False, "supports_inline_queries": False,
}
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Parameters the Bot API takes as JSON-serialised objects inside form fields.
_JSON_FIELDS = {"reply_markup", "allowed_updates", "link_preview_options",
                "reply_parameters", "commands", "scope", "entities"}
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_MENTION = re.compile(r"@[A-Za-z0-9_]{5,32}")
_COMMAND = re.compile(r"^/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]+)?")

_ids = itertools.count(1)


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# -- Bot API objects ---------------------------------------------------------------------


def user(user_id: int = 1001, language_code: str | None = "en", name: str = "Ana"
         ) -> dict[str, Any]:
    body: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": name}
    if language_code:
        body["language_code"] = language_code
    return body


def private_chat(sender: dict[str, Any]) -> dict[str, Any]:
    return {"id": sender["id"], "type": "private", "first_name": sender["first_name"]}


def group_chat(chat_id: int = -1001234567890, title: str = "Exporters") -> dict[str, Any]:
    return {"id": chat_id, "type": "supergroup", "title": title}


def _entities(text: str) -> list[dict[str, Any]]:
    """The entities Telegram's clients attach: a leading command and @mentions."""
    entities = []
    command = _COMMAND.match(text)
    if command:
        entities.append({"type": "bot_command", "offset": 0,
                         "length": utf16_length(command.group(0))})
    for mention in _MENTION.finditer(text):
        entities.append({"type": "mention", "offset": utf16_length(text[:mention.start()]),
                         "length": utf16_length(mention.group(0))})
    return entities


def message(chat: dict[str, Any], sender: dict[str, Any] | None, text: str | None = None,
            **extra: Any) -> dict[str, Any]:
    """A message as Telegram sends it; `text` gets its command and mention entities."""
    body: dict[str, Any] = {"message_id": next(_ids), "date": int(time.time()), "chat": chat}
    if sender is not None:
        body["from"] = sender
    if text is not None:
        body["text"] = text
        if _entities(text):
            body["entities"] = _entities(text)
    body.update(extra)
    return body


def photo(chat: dict[str, Any], sender: dict[str, Any], caption: str | None = None
          ) -> dict[str, Any]:
    sizes = [{"file_id": "AgAD-photo", "file_unique_id": "u1", "width": 90, "height": 90,
              "file_size": 1200}]
    extra: dict[str, Any] = {"photo": sizes}
    if caption:
        extra.update(caption=caption, caption_entities=_entities(caption))
    return message(chat, sender, **extra)


def sticker(chat: dict[str, Any], sender: dict[str, Any]) -> dict[str, Any]:
    return message(chat, sender, sticker={
        "file_id": "CAAD-sticker", "file_unique_id": "s1", "type": "regular", "width": 512,
        "height": 512, "is_animated": False, "is_video": False, "emoji": "👍"})


def voice(chat: dict[str, Any], sender: dict[str, Any]) -> dict[str, Any]:
    return message(chat, sender, voice={"file_id": "AwAD-voice", "file_unique_id": "v1",
                                        "duration": 3, "mime_type": "audio/ogg"})


@dataclass
class ApiCall:
    """One request the bridge made, and how the fake answered it."""

    method: str
    params: dict[str, Any]
    status: int
    result: Any = None


@dataclass
class _Fault:
    status: int
    body: dict[str, Any]
    times: int


@dataclass
class FakeBotApi:
    """The fake server; use `async with FakeBotApi() as api:`."""

    token: str = TOKEN
    calls: list[ApiCall] = field(default_factory=list)
    # Methods in the order their requests arrived (a long poll is listed while it waits).
    arrived: list[str] = field(default_factory=list)
    webhook: dict[str, Any] | None = None
    url: str = ""
    port: int = 0  # 0: any free port

    def __post_init__(self) -> None:
        self._updates: list[dict[str, Any]] = []
        self._next_update_id = 500_000
        self._next_message_id = 1
        self._chats: dict[int, dict[str, Any]] = {}
        self._callback_ids: set[str] = set()
        self._faults: dict[str, list[_Fault]] = {}
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None

    # -- lifecycle ---------------------------------------------------------------------

    async def __aenter__(self) -> FakeBotApi:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{self.port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # -- what tests do -----------------------------------------------------------------

    def update(self, **content: Any) -> dict[str, Any]:
        """A new update (`message=...`, `callback_query=...`, ...) with the next id."""
        self._next_update_id += 1
        for value in content.values():
            if isinstance(value, dict) and isinstance(value.get("chat"), dict):
                self._chats[value["chat"]["id"]] = value["chat"]
        return {"update_id": self._next_update_id, **content}

    def callback(self, on: ApiCall, sender: dict[str, Any], data: str) -> dict[str, Any]:
        """An update for pressing the button with callback_data `data` under message `on`."""
        query_id = f"cbq-{next(_ids)}"
        self._callback_ids.add(query_id)
        return self.update(callback_query={"id": query_id, "from": sender,
                                           "chat_instance": "ci-1", "data": data,
                                           "message": on.result})

    async def push(self, *updates: dict[str, Any]) -> None:
        """Queue updates for getUpdates (all in one batch if polled together)."""
        async with self._changed:
            self._updates.extend(updates)
            self._changed.notify_all()

    async def deliver(self, update: dict[str, Any], secret: str | None = "registered",
                      url: str | None = None) -> int:
        """Post an update to the webhook as Telegram does; the HTTP status it got.

        `secret="registered"` sends the secret given to setWebhook, None sends no header.
        """
        assert url or self.webhook, "no webhook registered"
        target = url or self.webhook["url"]  # type: ignore[index]
        headers = {"Content-Type": "application/json"}
        if secret == "registered":
            secret = (self.webhook or {}).get("secret_token")
        if secret is not None:
            headers[SECRET_HEADER] = secret
        async with aiohttp.ClientSession() as session, session.post(
                target, data=json.dumps(update), headers=headers) as response:
            return response.status

    def fail(self, method: str, status: int, times: int = 1, retry_after: int | None = None,
             description: str | None = None) -> None:
        """Answer the next `times` calls of `method` with an error, as Telegram does."""
        body: dict[str, Any] = {"ok": False, "error_code": status,
                                "description": description or {
                                    429: f"Too Many Requests: retry after {retry_after}",
                                    500: "Internal Server Error",
                                    502: "Bad Gateway"}.get(status, "Bad Request")}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        self._faults.setdefault(method, []).append(_Fault(status, body, times))

    def sent(self, method: str = "sendMessage", chat_id: int | None = None) -> list[ApiCall]:
        """Successful calls of `method` (to `chat_id`), oldest first."""
        return [call for call in self.calls if call.method == method and call.status == 200
                and (chat_id is None or call.params.get("chat_id") == chat_id)]

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 15) -> Any:
        """Wait until `predicate()` is truthy (checked after every request); return it."""
        async with self._changed:
            return await asyncio.wait_for(self._changed.wait_for(predicate), timeout)

    async def replies(self, chat_id: int, count: int, timeout: float = 15) -> list[ApiCall]:
        """Wait for `count` messages in chat `chat_id` in all; return them all."""
        def enough() -> list[ApiCall] | None:
            found = self.sent("sendMessage", chat_id)
            return found if len(found) >= count else None
        return await self.wait_for(enough, timeout)

    # -- the protocol ------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return self._error(401, "Unauthorized")
        method = request.match_info["method"]
        self.arrived.append(method)
        async with self._changed:
            self._changed.notify_all()
        params = await self._params(request)
        handler = getattr(self, f"_api_{method}", None)
        fault = self._take_fault(method)
        if fault is not None:
            status, body = fault.status, fault.body
        elif handler is None:
            status, body = 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        else:
            status, body = await handler(params)
        self.calls.append(ApiCall(method, params, status, body.get("result")))
        async with self._changed:
            self._changed.notify_all()
        return web.json_response(body, status=status)

    def _take_fault(self, method: str) -> _Fault | None:
        faults = self._faults.get(method)
        if not faults:
            return None
        fault = faults[0]
        fault.times -= 1
        if fault.times <= 0:
            faults.pop(0)
        return fault

    @staticmethod
    async def _params(request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            params.update(await request.json())
        elif request.can_read_body:
            form = await request.post()
            params.update({key: value for key, value in form.items()
                           if isinstance(value, str)})
        for key, value in list(params.items()):
            if key in _JSON_FIELDS and isinstance(value, str):
                params[key] = json.loads(value)
            elif key in ("chat_id", "offset", "limit", "message_thread_id") and isinstance(
                    value, str) and re.fullmatch(r"-?\d+", value):
                params[key] = int(value)
        return params

    @staticmethod
    def _ok(result: Any) -> tuple[int, dict[str, Any]]:
        return 200, {"ok": True, "result": result}

    @staticmethod
    def _error(status: int, description: str) -> Any:
        body = {"ok": False, "error_code": status, "description": description}
        return web.json_response(body, status=status)

    @staticmethod
    def _bad(description: str) -> tuple[int, dict[str, Any]]:
        return 400, {"ok": False, "error_code": 400, "description": f"Bad Request: {description}"}

    async def _api_getMe(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return self._ok(BOT_USER)

    async def _api_getUpdates(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if self.webhook:
            return 409, {"ok": False, "error_code": 409, "description":
                         "Conflict: can't use getUpdates method while webhook is active; "
                         "use deleteWebhook to delete the webhook first"}
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        async with self._changed:
            if offset > 0:  # confirms every update before `offset`
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._changed.wait_for(lambda: self._updates), timeout)
            return self._ok(self._updates[:limit])

    async def _api_sendMessage(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        text = str(params.get("text") or "")
        if "chat_id" not in params:
            return self._bad("chat_id is empty")
        if not text.strip():
            return self._bad("message text is empty")
        if utf16_length(text) > 4096:
            return self._bad("message is too long")
        markup = params.get("reply_markup") or {}
        for row in markup.get("inline_keyboard", []):
            for button in row:
                if len(button.get("callback_data", "").encode()) > 64:
                    return self._bad("BUTTON_DATA_INVALID")
        chat_id = params["chat_id"]
        self._next_message_id += 1
        sent: dict[str, Any] = {
            "message_id": self._next_message_id, "from": BOT_USER, "date": int(time.time()),
            "chat": self._chats.get(chat_id, {"id": chat_id, "type": "private"}), "text": text}
        if markup:
            sent["reply_markup"] = markup
        return self._ok(sent)

    async def _api_sendChatAction(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if params.get("action") not in {"typing", "upload_photo", "record_voice",
                                        "upload_document", "find_location"}:
            return self._bad("wrong parameter action in request")
        return self._ok(True)

    async def _api_answerCallbackQuery(self, params: dict[str, Any]
                                       ) -> tuple[int, dict[str, Any]]:
        if params.get("callback_query_id") not in self._callback_ids:
            return self._bad("query is too old and response timeout expired or query ID is "
                             "invalid")
        if len(str(params.get("text") or "")) > 200:
            return self._bad("MESSAGE_TOO_LONG")
        return self._ok(True)

    async def _api_setWebhook(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        url = str(params.get("url") or "")
        secret = params.get("secret_token")
        if secret is not None and not _SECRET.match(str(secret)):
            return self._bad("secret token contains unallowed characters")
        self.webhook = {**params, "url": url} if url else None
        return 200, {"ok": True, "result": True, "description": "Webhook was set"}

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self.webhook = None
        if str(params.get("drop_pending_updates")).lower() == "true":
            self._updates.clear()
        return 200, {"ok": True, "result": True, "description": "Webhook is already deleted"}

    async def _api_getWebhookInfo(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return self._ok({"url": (self.webhook or {}).get("url", ""),
                         "has_custom_certificate": False,
                         "pending_update_count": len(self._updates)})

    async def _api_setMyCommands(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        commands = params.get("commands")
        if not isinstance(commands, list) or not all(
                re.fullmatch(r"[a-z0-9_]{1,32}", c.get("command", "")) and
                0 < len(c.get("description", "")) <= 256 for c in commands):
            return self._bad("BOT_COMMAND_INVALID")
        return self._ok(True)
