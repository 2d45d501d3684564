"""request_human: record the hand-off, notify the agency, tell the user what happens next."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import handoffs
from actions.common import PROFILE_SLOTS, language_of, never_breaks_the_turn, translator_for
from locales.texts import template

RECENT_TURNS = 10


def recent_turns(tracker: Tracker, limit: int = RECENT_TURNS) -> list[dict[str, str]]:
    """The last user and bot messages of the conversation, oldest first."""
    turns = [{"who": "user" if event["event"] == "user" else "bot", "text": event.get("text")}
             for event in tracker.events if event.get("event") in ("user", "bot")
             and event.get("text")]
    return turns[-limit:]


class ActionRequestHuman(Action):
    def name(self) -> str:
        return "action_request_human"

    @never_breaks_the_turn
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        t = translator_for(tracker)
        request = handoffs.HandoffRequest(
            sender=tracker.sender_id,
            channel=tracker.get_latest_input_channel(),
            language=language_of(tracker),
            profile={slot: tracker.get_slot(slot) for slot in PROFILE_SLOTS
                     if tracker.get_slot(slot) not in (None, [], "")},
            recent_turns=recent_turns(tracker),
        )
        reference, notified = handoffs.record(request)
        name = "handoff_recorded" if notified else "handoff_queued"
        dispatcher.utter_message(text=template(t, name, reference=reference))
        return []
