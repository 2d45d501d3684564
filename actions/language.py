"""Which language to answer in: resolved on every user turn, explicit requests win.

`action_resolve_language` is the custom slot mapping of the `language` and
`language_pinned` slots, so Rasa runs it after every user message, before anything is
said. Order of precedence:

1. an explicit request ("answer in French", a language button, Telegram's /language):
   the language changes and is pinned — detection no longer overrides it;
2. a confident detection of the message's language (LanguageDetector), unless pinned;
3. for a conversation without a language yet: the channel's hint (Telegram's
   `language_code`, the widget page's `lang`), then the detector's weak guess, then English.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from locales import DEFAULT_LANGUAGE, normalize_language

DETECTOR = "LanguageDetector"
CHANGE_LANGUAGE_INTENT = "change_language"


def _entities(message: dict[str, Any], entity: str) -> list[dict[str, Any]]:
    return [e for e in message.get("entities") or [] if e.get("entity") == entity]


def explicit_language(message: dict[str, Any]) -> str | None:
    """The language the user asked for in this message, if any."""
    if (message.get("intent") or {}).get("name") != CHANGE_LANGUAGE_INTENT:
        return None
    for entity in _entities(message, "language"):
        if entity.get("extractor") != DETECTOR:
            language = normalize_language(entity.get("value"))
            if language:
                return language
    return None


def detected_language(message: dict[str, Any]) -> str | None:
    """The language the detector is confident this message is written in."""
    for entity in _entities(message, "language"):
        if entity.get("extractor") == DETECTOR:
            return normalize_language(entity.get("value"))
    return None


def channel_hint(message: dict[str, Any], session_metadata: Any) -> str | None:
    """The language the channel suggested (message metadata, then session metadata)."""
    for metadata in (message.get("metadata"), session_metadata):
        if isinstance(metadata, dict):
            language = normalize_language(metadata.get("language"))
            if language:
                return language
    return None


def resolve(
    message: dict[str, Any], current: str | None, pinned: bool, session_metadata: Any = None
) -> tuple[str, bool]:
    """The (language, pinned) pair after `message` (pure: the whole policy in one place)."""
    explicit = explicit_language(message)
    if explicit:
        return explicit, True
    if pinned and current:
        return current, True
    detected = detected_language(message)
    if detected:
        return detected, False
    if current:
        return current, False
    guess = normalize_language(message.get("language_guess"))
    return channel_hint(message, session_metadata) or guess or DEFAULT_LANGUAGE, False


class ActionResolveLanguage(Action):
    """Sets `language` and `language_pinned` for this turn."""

    def name(self) -> str:
        return "action_resolve_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        message = tracker.latest_message or {}
        current = tracker.get_slot("language")
        pinned = bool(tracker.get_slot("language_pinned"))
        language, now_pinned = resolve(
            message, current, pinned, tracker.get_slot("session_started_metadata")
        )
        events: list[EventType] = []
        if language != current:
            events.append(SlotSet("language", language))
        if now_pinned != pinned:
            events.append(SlotSet("language_pinned", now_pinned))
        return events


class ActionChangeLanguage(Action):
    """Confirms a language change in the new language, or asks which language."""

    def name(self) -> str:
        return "action_change_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language = explicit_language(tracker.latest_message or {})
        if language:
            dispatcher.utter_message(response="utter_language_changed", language=language)
        else:
            dispatcher.utter_message(response="utter_ask_language")
        return []
