"""The `webchat` input channel: the web widget's API under /webhooks/webchat/.

Unlike Rasa's REST and Socket.IO channels, the client never names its sender id:

    POST /webhooks/webchat/session    -> {token, expires_at}: a new signed session, or, with
                                         `Authorization: Bearer <token>` (or {"token"}), the
                                         same session with a new expiry
    POST /webhooks/webchat/message    Bearer token; {"message", "metadata": {"language",
                                         "label"}} -> {"messages": [...], "language"}
    GET  /webhooks/webchat/history    Bearer token -> {"messages": [...], "language"}: the
                                         conversation so far, from the tracker store
    GET  /webhooks/webchat/strings?lang=ar -> the widget's UI strings in that language
    GET  /webhooks/webchat/           -> {"status": "ok"}

The sender id is `webchat:<sid>`, with `sid` inside the HMAC-signed token (tokens.py). A
missing or expired token is answered 401, a forged or altered one 403, each with a JSON
`{"error", "reason"}`. Messages get the REST channel's treatment (bot/channels/rest.py):
control characters removed, text cut at 4,096 characters with the truncation flag, a
localized prompt for an empty message and a localized fault reply instead of silence.

Browsers may call the channel only from allowed origins (ADVISOR_WEBCHAT_ORIGINS, comma
separated; by default the demo page's http://localhost:8080 and http://127.0.0.1:8080):
preflights are answered here, other origins get a 403 and no CORS headers. Requests without
an Origin header (servers, curl) are not browsers and are let through; the token still
decides whose conversation they reach. Bodies larger than 64 KB are refused with a 413.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.exceptions import PayloadTooLarge
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.rest import clean_text, run_turn
from bot.channels.webchat import strings as widget_strings
from bot.channels.webchat.tokens import (
    DEFAULT_TTL_SECONDS,
    Session,
    TokenError,
    TokenSigner,
    load_secret,
    missing,
)
from bot.settings import VAR_DIR
from locales import normalize_language

logger = logging.getLogger(__name__)

ORIGINS_ENV = "ADVISOR_WEBCHAT_ORIGINS"
TTL_ENV = "ADVISOR_WEBCHAT_TOKEN_TTL"
PORT_ENV = "ADVISOR_WEBCHAT_PORT"
DEFAULT_DEMO_PORT = 8080
# A 4,096-character message is at most ~16 KB of UTF-8; the widget sends at most 8,192
# characters (the channel then cuts and says so). Larger bodies are refused unread.
MAX_BODY_BYTES = 64 * 1024
MAX_HISTORY_MESSAGES = 200
MAX_LABEL_CHARS = 200
ALLOWED_METHODS = "GET, POST, OPTIONS"
ALLOWED_HEADERS = "Authorization, Content-Type"
PREFLIGHT_MAX_AGE = "600"
_ORIGIN = re.compile(r"https?://[^\s/?#]+")


def default_origins() -> list[str]:
    """The demo page's origins (port ADVISOR_WEBCHAT_PORT, 8080 by default)."""
    port = os.environ.get(PORT_ENV) or str(DEFAULT_DEMO_PORT)
    return [f"http://localhost:{port}", f"http://127.0.0.1:{port}"]


def parse_origins(value: str | Iterable[str] | None) -> frozenset[str]:
    """Normalised origins ("https://agency.example") from a comma-separated list; "*" = any."""
    items = value.split(",") if isinstance(value, str) else list(value or [])
    origins = set()
    for item in (str(entry).strip().rstrip("/").lower() for entry in items):
        if item == "*" or _ORIGIN.fullmatch(item):
            origins.add(item)
        elif item:
            logger.warning("Ignoring the webchat origin %r: expected scheme://host[:port]", item)
    return frozenset(origins)


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, if there is one."""
    header = request.headers.get("authorization") or ""
    scheme, _, token = header.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def refusal(error: TokenError) -> HTTPResponse:
    return response.json({"error": error.reason, "reason": str(error)}, status=error.status)


def problem(status: int, error: str, reason: str) -> HTTPResponse:
    return response.json({"error": error, "reason": reason}, status=status)


def _buttons(buttons: Any) -> list[dict[str, str]]:
    """Buttons as the widget shows them: a title and a payload, or a title and a web URL."""
    shown = []
    for button in buttons if isinstance(buttons, list) else []:
        if not isinstance(button, dict) or not isinstance(button.get("title"), str):
            continue
        if isinstance(button.get("payload"), str):
            shown.append({"title": button["title"], "payload": button["payload"]})
        elif isinstance(button.get("url"), str) and button["url"].startswith(("https://",
                                                                              "http://")):
            shown.append({"title": button["title"], "url": button["url"]})
    return shown


def bot_message(text: Any, data: dict[str, Any]) -> dict[str, Any] | None:
    """One bot message for the widget ({"text", "buttons"}), None if it shows nothing."""
    message: dict[str, Any] = {"text": text if isinstance(text, str) else ""}
    buttons = _buttons(data.get("buttons") or data.get("quick_replies"))
    if buttons:
        message["buttons"] = buttons
    return message if message["text"] or len(message) > 1 else None


def history_messages(events: Iterable[Any]) -> list[dict[str, Any]]:
    """The user's and the assistant's messages among tracker events, oldest first."""
    from rasa.shared.core.events import BotUttered, UserUttered

    messages: list[dict[str, Any]] = []
    for event in events:
        if isinstance(event, UserUttered) and event.text:
            label = (event.metadata or {}).get("label")
            # A button's payload ("/ask_financing") is shown as the title that was clicked.
            text = label if isinstance(label, str) and event.text.startswith("/") else event.text
            messages.append({"from": "user", "text": text, "timestamp": event.timestamp})
        elif isinstance(event, BotUttered):
            shown = bot_message(event.text, event.data or {})
            if shown:
                messages.append({"from": "bot", **shown, "timestamp": event.timestamp})
    return messages[-MAX_HISTORY_MESSAGES:]


class WebchatInput(InputChannel):
    """The web widget's channel: signed sessions, a CORS allowlist, history, UI strings."""

    @classmethod
    def name(cls) -> str:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WebchatInput:
        """Options in credentials.yml: `origins`, `token_ttl` (seconds), `max_body_bytes`."""
        options = credentials or {}
        return cls(origins=options.get("origins"), token_ttl=options.get("token_ttl"),
                   max_body_bytes=options.get("max_body_bytes"))

    def __init__(self, origins: str | Iterable[str] | None = None,
                 token_ttl: int | None = None, max_body_bytes: int | None = None,
                 signer: TokenSigner | None = None) -> None:
        configured = origins if origins is not None else os.environ.get(ORIGINS_ENV)
        self.origins = parse_origins(configured if configured else default_origins())
        ttl = int(token_ttl or os.environ.get(TTL_ENV) or DEFAULT_TTL_SECONDS)
        self.signer = signer or TokenSigner(load_secret(VAR_DIR), ttl)
        self.max_body_bytes = int(max_body_bytes or MAX_BODY_BYTES)
        logger.info("Webchat channel: origins allowed: %s", ", ".join(sorted(self.origins)))

    # -- CORS ----------------------------------------------------------------------------

    def origin_allowed(self, origin: str) -> bool:
        return "*" in self.origins or origin.rstrip("/").lower() in self.origins

    def _cors_headers(self, request: Request) -> dict[str, str]:
        origin = request.headers.get("origin")
        if not origin or not self.origin_allowed(origin):
            return {"Vary": "Origin"}
        return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}

    def _preflight(self, request: Request) -> HTTPResponse:
        origin = request.headers.get("origin")
        if origin and not self.origin_allowed(origin):
            return problem(403, "origin_not_allowed", f"origin {origin!r} is not allowed")
        return response.empty(headers={
            **self._cors_headers(request),
            "Access-Control-Allow-Methods": ALLOWED_METHODS,
            "Access-Control-Allow-Headers": ALLOWED_HEADERS,
            "Access-Control-Max-Age": PREFLIGHT_MAX_AGE,
        })

    def _finish(self, request: Request, reply: HTTPResponse) -> HTTPResponse | None:
        """Our CORS headers on every reply of this blueprint (replacing any set by Rasa's
        app-wide sanic-cors, which also answers every OPTIONS request before we see it)."""
        if request.method == "OPTIONS":
            return self._preflight(request)
        for name in [name for name in reply.headers if name.lower().startswith("access-control-")]:
            del reply.headers[name]
        reply.headers.update(self._cors_headers(request))
        reply.headers["Cache-Control"] = reply.headers.get("Cache-Control", "no-store")
        reply.headers["X-Content-Type-Options"] = "nosniff"
        return None

    # -- requests ------------------------------------------------------------------------

    def _too_large(self) -> HTTPResponse:
        return problem(413, "too_large", f"request larger than {self.max_body_bytes} bytes")

    async def _read_json(self, request: Request
                         ) -> tuple[dict[str, Any] | None, HTTPResponse | None]:
        """The JSON object of a streamed body (read up to the size limit), or an error."""
        chunks, size = [], 0
        try:
            async for chunk in request.stream:
                size += len(chunk)
                if size > self.max_body_bytes:
                    return None, self._too_large()
                chunks.append(chunk)
        except PayloadTooLarge:
            return None, self._too_large()
        body = b"".join(chunks)
        if not body.strip():
            return {}, None
        try:
            parsed = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            parsed = None
        if not isinstance(parsed, dict):
            return None, problem(400, "bad_request", "expected a JSON object")
        return parsed, None

    def _session(self, request: Request) -> Session:
        token = bearer_token(request)
        if token is None:
            raise missing()
        return self.signer.verify(token)

    @staticmethod
    def _metadata(raw: Any, text: str) -> dict[str, Any]:
        """What the assistant keeps of the client's metadata: a language hint and, for a
        button payload, the button's title (shown in the history instead of the payload)."""
        raw = raw if isinstance(raw, dict) else {}
        metadata: dict[str, Any] = {}
        language = normalize_language(raw.get("language"))
        if language:
            metadata["language"] = language
        label = clean_text(raw.get("label"))[:MAX_LABEL_CHARS]
        if label and text.startswith("/"):
            metadata["label"] = label
        return metadata

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webchat = Blueprint("advisor_webchat", __name__)

        @webchat.middleware("request")
        async def guard(request: Request) -> HTTPResponse | None:
            origin = request.headers.get("origin")
            if origin and not self.origin_allowed(origin):
                return problem(403, "origin_not_allowed", f"origin {origin!r} is not allowed")
            if request.method == "OPTIONS":
                return self._preflight(request)
            # Every route streams its body, so nothing is read beyond this limit.
            if request.stream is not None:
                request.stream.request_max_size = self.max_body_bytes
            length = request.headers.get("content-length")
            if length and (not length.isdigit() or int(length) > self.max_body_bytes):
                return self._too_large()
            return None

        @webchat.middleware("response")
        async def cors(request: Request, reply: HTTPResponse) -> HTTPResponse | None:
            return self._finish(request, reply)

        @webchat.route("/", methods=["GET", "OPTIONS"], stream=True)
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webchat.route("/strings", methods=["GET", "OPTIONS"], stream=True)
        async def strings(request: Request) -> HTTPResponse:
            language = widget_strings.language_of(request.args.get("lang"))
            return response.json(widget_strings.widget_strings(language),
                                 headers={"Cache-Control": "public, max-age=300"})

        @webchat.route("/session", methods=["POST", "OPTIONS"], stream=True)
        async def session(request: Request) -> HTTPResponse:
            body, error = await self._read_json(request)
            if error:
                return error
            token = bearer_token(request) or (body or {}).get("token")
            try:
                issued, current = (self.signer.refresh(token) if token
                                   else self.signer.issue())
            except TokenError as refused:
                return refusal(refused)
            return response.json({"token": issued, "expires_at": current.expires_at,
                                  "renewed": bool(token)})

        @webchat.route("/message", methods=["POST", "OPTIONS"], stream=True)
        async def message(request: Request) -> HTTPResponse:
            try:
                current = self._session(request)
            except TokenError as refused:
                return refusal(refused)
            body, error = await self._read_json(request)
            if error:
                return error
            return await self._receive(request, current.sender, body or {}, on_new_message)

        @webchat.route("/history", methods=["GET", "OPTIONS"], stream=True)
        async def history(request: Request) -> HTTPResponse:
            try:
                current = self._session(request)
            except TokenError as refused:
                return refusal(refused)
            agent = getattr(request.app.ctx, "agent", None)
            if agent is None:
                return problem(503, "not_ready", "the assistant is starting")
            store = agent.tracker_store
            try:
                retrieve = getattr(store, "retrieve_full_tracker", None) or store.retrieve
                tracker = await retrieve(current.sender)
            except Exception:
                logger.exception("Could not read the history of %s", current.sender)
                return problem(503, "unavailable", "the history cannot be read now")
            events = tracker.events if tracker else []
            language = normalize_language(tracker.get_slot("language")) if tracker else None
            return response.json({"messages": history_messages(events), "language": language})

        return webchat

    async def _receive(self, request: Request, sender: str, body: dict[str, Any],
                       on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> HTTPResponse:
        """One user message: the REST channel's processing, the bot's messages back."""
        metadata = self._metadata(body.get("metadata"), clean_text(body.get("message")))
        turn = await run_turn(request, on_new_message, sender, body.get("message"), metadata,
                              self.name(), hint=metadata.get("language"))
        return self._reply(turn.messages, turn.language)

    @staticmethod
    def _reply(messages: list[dict[str, Any]], language: str | None) -> HTTPResponse:
        shown = [bot_message(message.get("text"), message) for message in messages]
        return response.json({"messages": [message for message in shown if message],
                              "language": language})
