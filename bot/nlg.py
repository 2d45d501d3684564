"""Localized response rendering: Rasa's NLG endpoint.

Rasa calls `POST /nlg` (configured in endpoints.yml) with a response name, its arguments
and the tracker; we answer with the text and buttons in the conversation's language.
Texts come from `locales/responses/*.yml` (English msgids) through the gettext catalogs;
the action server serves this endpoint (see bot/action_server.py), and
`bot.nlg_client.ResilientNLG` renders in-process with the same code when it is down.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from locales import (
    DEFAULT_LANGUAGE,
    SUPPORTED_LANGUAGES,
    Translator,
    normalize_language,
    texts,
    translator,
)

logger = logging.getLogger(__name__)

BUTTON_CONTEXT = "button"
SOURCE_CONTEXT = "source"
LANGUAGE_BUTTONS = "languages"


def response_definitions() -> dict[str, Any]:
    """The English source of every response (see locales/texts.py)."""
    return texts.definitions()


def response_names() -> set[str]:
    """Names of all responses the NLG can render."""
    return {name for name in response_definitions() if name.startswith("utter_")}


# Quick choices offered when the profile form asks for a sector or a place: the sectors
# and Belt and Road destinations SMEs ask about most (anything else can be typed).
COMMON_SECTORS = ("textiles_apparel", "machinery", "electronics", "food_beverage",
                  "building_materials", "automotive", "agriculture", "ecommerce_retail")
COMMON_PLACES = ("KZ", "UZ", "VN", "ID", "TH", "KE", "EG", "SA", "AE", "RS")


def _inform(entity: str, value: str) -> str:
    return "/inform" + json.dumps({entity: value})


def _buttons(spec: Any, t: Translator) -> list[dict[str, str]]:
    if spec == LANGUAGE_BUTTONS:
        return [
            {"title": t.native_language_name(code),
             "payload": "/change_language" + json.dumps({"language": code})}
            for code in SUPPORTED_LANGUAGES
        ]
    if spec == "sectors":
        from knowledge.sectors import sector_label

        return [{"title": sector_label(key, t.language), "payload": _inform("sector", key)}
                for key in COMMON_SECTORS]
    if spec == "countries":
        return [{"title": t.country(code), "payload": _inform("country", code)}
                for code in COMMON_PLACES]
    if isinstance(spec, str):
        return texts.button_set(t, spec)
    return [
        {"title": t.p_(BUTTON_CONTEXT, button["title"]), "payload": button["payload"]}
        for button in spec or []
    ]


def render(name: str, language: str, arguments: dict[str, Any] | None = None) -> dict[str, Any]:
    """The message for response `name` in `language`: {"text", "buttons"}.

    An unknown response name renders the localized generic error (and is logged), so the
    user always gets an answer.
    """
    t = translator(language)
    definition = response_definitions().get(name)
    if definition is None or not name.startswith("utter_"):
        logger.error("Unknown response %r: answering with utter_error", name)
        definition, name = response_definitions()["utter_error"], "utter_error"
    values = {"language_name": t.language_name(t.language), **(arguments or {})}
    # Numbers are written the locale's way ("4,096", "4 096", "٤٬٠٩٦" is left to CLDR).
    values = {key: t.number(value) if isinstance(value, (int, float))
              and not isinstance(value, bool) else value for key, value in values.items()}
    text = texts.fill(t.p_(name, str(definition["text"]).strip()), values)
    sources = [_source_line(t, source) for source in definition.get("sources") or []]
    if sources:
        text = "\n\n".join([text, *sources])
    return {"text": text, "buttons": _buttons(definition.get("buttons"), t)}


def _source_line(t: Translator, source: dict[str, Any]) -> str:
    """"Source: <title>, <url> (as of <date>)" in the reply language."""
    return texts.template(t, "source_line", title=t.p_(SOURCE_CONTEXT, source["title"]),
                          url=source["url"], date=t.date(str(source["as_of"]), "medium"))


def resolve_language(arguments: dict[str, Any], tracker: dict[str, Any]) -> str:
    """The language to answer in: an explicit argument, the `language` slot, the channel's
    hint of this session, the detector's guess for the latest message, or English."""
    slots = tracker.get("slots") or {}
    latest = tracker.get("latest_message") or {}
    session = slots.get("session_started_metadata") or {}
    candidates = [
        arguments.get("language"),
        slots.get("language"),
        (latest.get("metadata") or {}).get("language"),
        session.get("language") if isinstance(session, dict) else None,
        latest.get("language_guess"),
    ]
    for candidate in candidates:
        language = normalize_language(candidate)
        if language:
            return language
    return DEFAULT_LANGUAGE


def handle(body: dict[str, Any]) -> dict[str, Any]:
    """Answer one NLG request body from Rasa."""
    arguments = body.get("arguments") or {}
    language = resolve_language(arguments, body.get("tracker") or {})
    return render(str(body.get("response") or ""), language, arguments)
