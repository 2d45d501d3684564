"""The bridge's client of the assistant's REST channel (bot/channels/rest.py)."""

from __future__ import annotations

import logging
from typing import Any

import httpx

logger = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/rest/webhook"


class AssistantUnavailable(Exception):
    """The assistant could not be reached, was too slow, or answered with an error."""


class RasaClient:
    """Sends one user message to Rasa's REST channel and returns the replies."""

    def __init__(self, url: str, timeout: float,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        # Connecting should be instant on the same host or network; answering takes a
        # model turn and maybe custom actions, hence the longer read timeout.
        self._client = httpx.AsyncClient(
            base_url=url, transport=transport,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)))

    async def close(self) -> None:
        await self._client.aclose()

    async def send(self, sender: str, text: str, metadata: dict[str, Any]
                   ) -> list[dict[str, Any]]:
        """The assistant's replies (`{"text", "buttons", ...}`) to `text` from `sender`."""
        body = {"sender": sender, "message": text, "metadata": metadata}
        try:
            response = await self._client.post(WEBHOOK_PATH, json=body)
            response.raise_for_status()
            replies = response.json()
        except httpx.HTTPStatusError as error:
            raise AssistantUnavailable(f"the assistant answered {error.response.status_code}"
                                       ) from error
        except httpx.TimeoutException as error:
            raise AssistantUnavailable("the assistant did not answer in time") from error
        except (httpx.HTTPError, ValueError) as error:
            raise AssistantUnavailable(f"the assistant is unreachable: {error!r}") from error
        if not isinstance(replies, list):
            raise AssistantUnavailable("the assistant's answer is not a list of messages")
        return [reply for reply in replies if isinstance(reply, dict)]
