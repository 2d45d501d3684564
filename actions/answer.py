"""action_answer: answers the question being asked (the `capability` slot) once the profile
form has what it needs, or acknowledges what the user told us about their company.

Each capability lives in its own module (financing, partners, parks, leaders, risk); this
action only routes, and shows the next page on "more".
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import financing, leaders, parks, partners, risk
from actions.common import never_breaks_the_turn, page_of, translator_for
from actions.profile import profile_summary_text
from locales.texts import button_set

ANSWERS = {
    "financing": financing.answer,
    "partners": partners.answer,
    "leaders": leaders.answer,
    "risk": risk.answer,
}


class ActionAnswer(Action):
    """Routes to the capability being asked about; acknowledges profile updates."""

    def name(self) -> str:
        return "action_answer"

    @never_breaks_the_turn
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        t = translator_for(tracker)
        capability = tracker.get_slot("capability")
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if not capability:
            if intent != "more":  # "more" without a question was answered already
                dispatcher.utter_message(text=profile_summary_text(tracker),
                                         buttons=_capability_buttons(t))
            return []
        page = page_of(tracker)
        if capability == "parks":
            text, buttons, shown = parks.answer(t, tracker, page)
            dispatcher.utter_message(text=text, buttons=buttons)
            return [SlotSet("last_parks", shown)] if shown else []
        text, buttons = ANSWERS[capability](t, tracker, page)
        dispatcher.utter_message(text=text, buttons=buttons)
        return []


def _capability_buttons(t: Any) -> list[dict[str, str]]:
    return button_set(t, "capabilities")


class ActionCompareParks(Action):
    """"Compare Rayong and Long Jiang" / "compare 1 and 2": two parks side by side."""

    def name(self) -> str:
        return "action_compare_parks"

    @never_breaks_the_turn
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        from knowledge.queries import Profile, recommend_parks

        t = translator_for(tracker)
        text = tracker.latest_message.get("text") or ""
        everything = list(recommend_parks(Profile(), limit=1000).items)
        by_key = {park.key: park for park in everything}
        named = [e.get("value") for e in tracker.latest_message.get("entities") or []
                 if e.get("entity") == "park"]
        chosen = list(dict.fromkeys(by_key[key] for key in named if key in by_key))
        if len(chosen) < 2:
            chosen = parks.parks_named(text, everything)
        if len(chosen) < 2:
            chosen = parks.parks_by_number(text, tracker.get_slot("last_parks") or [], everything)
        if len(chosen) < 2:
            dispatcher.utter_message(response="utter_compare_needs_two_parks")
            return []
        dispatcher.utter_message(text=parks.compare_text(t, chosen[0], chosen[1]))
        return [SlotSet("last_parks", [chosen[0].key, chosen[1].key])]

