"""The action server: rasa-sdk's app with our actions, plus the NLG endpoint.

`advisor actions` (and `advisor run`) start it. Routes: POST /webhook (rasa-sdk's custom
actions), GET /health, POST /nlg (localized responses, bot/nlg.py).
"""

from __future__ import annotations

import logging

from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import nlg

logger = logging.getLogger(__name__)


def build_app() -> Sanic:
    """rasa-sdk's Sanic app serving the `actions` package, with POST /nlg added."""
    app = create_app("actions", cors_origins=[])

    @app.post("/nlg")
    async def render_response(request: Request) -> HTTPResponse:
        body = request.json if isinstance(request.json, dict) else {}
        try:
            return response.json(nlg.handle(body))
        except Exception:
            logger.exception("NLG failed for %s", body.get("response"))
            return response.json(nlg.render("utter_error", nlg.resolve_language(
                body.get("arguments") or {}, body.get("tracker") or {})))

    return app


def serve(port: int, host: str = "127.0.0.1") -> None:
    """Run the action server in the foreground (single worker)."""
    logging.basicConfig(level=logging.INFO)
    build_app().run(host=host, port=port, workers=1, access_log=False)
