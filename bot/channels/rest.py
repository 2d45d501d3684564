"""The REST channel, hardened: Rasa's `/webhooks/rest/webhook` for trusted integrations.

Same URL and JSON as Rasa's RestInput (`{"sender", "message", "metadata"}` in, a list of
`{"recipient_id", "text", "buttons"}` out), plus what a public endpoint needs:

- control characters are removed and text is NFC-normalised; a message longer than
  `MAX_MESSAGE_CHARS` is cut at a word boundary and the assistant says so in its reply;
- an empty (or emoji-free whitespace) message gets a localized prompt without a turn;
- a turn that produced no reply (action server down, an internal error) gets a localized
  "temporarily unavailable" instead of silence — the user's message is already stored;
- malformed requests get a 400 with a reason, never a 5xx.

The client chooses the sender id here, as in Rasa's REST channel: use it only between
servers you trust. Browsers talk to the widget channel, whose sessions are signed.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import nlg
from locales import DEFAULT_LANGUAGE
from nlu.languages import detect_language

logger = logging.getLogger(__name__)

# Longest message text the assistant reads (Telegram's own limit); the rest is cut.
MAX_MESSAGE_CHARS = 4096
# Requests larger than this are refused before parsing (a 100 KB paste is still accepted).
MAX_BODY_BYTES = 1_000_000
TRUNCATION_KEY = "truncated_to"
_KEEP_CONTROLS = {"\n", "\t"}


def clean_text(text: Any) -> str:
    """Text without control characters, NFC-normalised, stripped; non-text becomes ""."""
    if not isinstance(text, str):
        return ""
    text = unicodedata.normalize("NFC", text)
    kept = (c for c in text if c in _KEEP_CONTROLS or unicodedata.category(c) not in ("Cc", "Cs"))
    return "".join(kept).strip()


def cut(text: str, limit: int = MAX_MESSAGE_CHARS) -> tuple[str, bool]:
    """`text` cut to at most `limit` characters, at a word boundary where there is one."""
    if len(text) <= limit:
        return text, False
    head = text[:limit]
    boundary = head.rfind(" ", int(limit * 0.8))
    return (head[:boundary] if boundary > 0 else head).rstrip(), True


def localized(name: str, language: str, sender: str, **arguments: Any) -> dict[str, Any]:
    return {"recipient_id": sender, **nlg.render(name, language, arguments)}


async def slot_language(request: Request, sender: str) -> str | None:
    """The conversation's `language` slot, if the tracker store can tell."""
    agent = getattr(request.app.ctx, "agent", None)
    try:
        tracker = await agent.tracker_store.retrieve(sender) if agent else None
    except Exception:
        logger.exception("Could not read the tracker of %s", sender)
        return None
    return tracker.get_slot("language") if tracker else None


@dataclass
class Turn:
    """The outcome of one user message: the replies and the conversation's language."""

    messages: list[dict[str, Any]]
    language: str


async def run_turn(request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]],
                   sender: str, raw_text: Any, metadata: dict[str, Any], channel: str,
                   hint: str | None = None) -> Turn:
    """Process one message the way every channel of ours must.

    Text is cleaned and cut at MAX_MESSAGE_CHARS (the reply then says so, in the language
    the assistant answered in); an empty message gets a prompt without a turn; a turn that
    produced no reply (action server down, an internal error) gets a localized
    "temporarily unavailable" — the user's message itself is already stored by Rasa.
    """
    text, was_cut = cut(clean_text(raw_text))
    if not text:
        language = await slot_language(request, sender) or hint or DEFAULT_LANGUAGE
        return Turn([localized("utter_empty_message", language, sender)], language)
    if was_cut:
        metadata = {**metadata, TRUNCATION_KEY: MAX_MESSAGE_CHARS}
    collector = CollectingOutputChannel()
    failed = False
    try:
        await on_new_message(UserMessage(text, collector, sender, input_channel=channel,
                                         metadata=metadata))
    except Exception:
        logger.exception("Turn failed for %s", sender)
        failed = True
    language = (await slot_language(request, sender) or hint
                or detect_language(text).guess)
    messages = list(collector.messages)
    if not messages:
        name = "utter_error" if failed else "utter_service_unavailable"
        messages = [localized(name, language, sender)]
    if was_cut:
        messages.insert(0, localized("utter_message_truncated", language, sender,
                                     limit=MAX_MESSAGE_CHARS))
    return Turn(messages, language)


class AdvisorRestInput(InputChannel):
    """Rasa's REST webhook with input sanitising, a length limit and fault replies."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("advisor_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            # Rasa's own "/" answers before the model is loaded; this says whether it is.
            agent = getattr(request.app.ctx, "agent", None)
            return response.json({"status": "ok", "ready": bool(agent and agent.is_ready())})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            return await self._receive(request, on_new_message)

        return webhook

    async def _receive(
        self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> HTTPResponse:
        if len(request.body or b"") > MAX_BODY_BYTES:
            return response.json({"error": f"request larger than {MAX_BODY_BYTES} bytes"},
                                 status=413)
        try:
            body = request.json
        except Exception:
            body = None
        if not isinstance(body, dict):
            return response.json({"error": "expected a JSON object"}, status=400)
        sender = body.get("sender")
        if not isinstance(sender, str) or not sender.strip() or len(sender) > 256:
            return response.json({"error": "'sender' must be a non-empty string"}, status=400)
        metadata = body.get("metadata") if isinstance(body.get("metadata"), dict) else {}
        turn = await run_turn(request, on_new_message, sender, body.get("message"), metadata,
                              self.name())
        return response.json(turn.messages)
