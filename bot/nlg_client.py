"""ResilientNLG: Rasa's callback NLG, with in-process rendering when the endpoint is down.

The action server serves the NLG endpoint. If it is down, Rasa's stock callback generator
raises and the user gets nothing; this one renders the same response in-process from the
same catalogs instead, so basic answers stay localized while custom actions are away.
Configured in endpoints.yml as `nlg: {type: bot.nlg_client.ResilientNLG, url: ...}`.
"""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import ClientError
from rasa.core.nlg.callback import CallbackNaturalLanguageGenerator, nlg_request_format
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

from bot import nlg

logger = logging.getLogger(__name__)


class ResilientNLG(CallbackNaturalLanguageGenerator):
    """Calls the NLG endpoint; falls back to rendering locally when it cannot be reached."""

    def __init__(self, endpoint_config: EndpointConfig, domain: Domain | None = None) -> None:
        super().__init__(endpoint_config)

    async def generate(
        self,
        utter_action: str,
        tracker: DialogueStateTracker,
        output_channel: str,
        **kwargs: Any,
    ) -> dict[str, Any]:
        try:
            return await super().generate(utter_action, tracker, output_channel, **dict(kwargs))
        except (ClientError, RasaException, OSError) as error:
            logger.warning("NLG endpoint failed (%s); rendering %s in-process", error,
                           utter_action)
            kwargs.pop("domain_responses", None)
            body = nlg_request_format(utter_action, tracker, output_channel, **kwargs)
            return nlg.handle(body)
