"""The SME profile: filled from every message, asked for only when a question needs it,
editable ("we also make textiles", "actually Kenya, not Uganda") and deletable.

The profile lives in slots, which Rasa's SQL tracker store persists per user across
sessions and restarts (`carry_over_slots_to_new_session`).
"""

from __future__ import annotations

import abc
import logging
import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import PROFILE_SLOTS, never_breaks_the_turn, translator_for
from knowledge.regions import is_country_code, is_region
from knowledge.sectors import load_vocabulary
from knowledge.vocab import COMPANY_SIZES, FINANCING_NEEDS, PARTNER_KINDS
from locales.texts import template

logger = logging.getLogger(__name__)

HOME_COUNTRY = "CN"  # our users' own country: named as the origin, rarely the target

CAPABILITY_OF_INTENT = {
    "ask_financing": "financing",
    "find_partner": "partners",
    "recommend_park": "parks",
    "follow_leader": "leaders",
    "country_risk": "risk",
}
# What each question needs before it can be answered, asked in this order.
REQUIRED_SLOTS = {
    "financing": ["financing_need", "target", "sector", "company_size"],
    "partners": ["target", "partner_type"],
    "parks": ["sector"],
    "leaders": ["sector"],
    "risk": ["target"],
}

# A correction cue right before a place negates it ("not Uganda", "instead of Uzbekistan",
# "а не в Узбекистан", "不是乌干达"); at most one short word (a preposition) may stand
# between, so "no wait, Kazakhstan" is not a negation of Kazakhstan.
NEGATION_BEFORE = re.compile(
    r"(?:(?<!\w)(?:not|instead of|rather than|pas|non|plutôt que|au lieu d[eu']|no|ni|"
    r"en lugar de|en vez de|не|вместо|ليس|وليس|لا|مش|مو|مب|بدل|بدلا من|بدلاً من|بدلًا من)"
    r"\W+(?:\w{1,3}\W+)?|(?:不是|而不是|不要|不去|并非)\s*)$",
    re.IGNORECASE)
ALSO_CUES = re.compile(
    r"(?<!\w)(also|too|as well|plus|in addition|aussi|également|en plus|también|además|"
    r"также|тоже|ещё|еще|кроме того|أيضا|أيضًا|كذلك|بالإضافة|كمان|برضه|برضو)(?!\w)"
    r"|也|还|另外|此外",
    re.IGNORECASE)
EMPLOYEES = re.compile(r"\d[\d\s,.]*")
# "change Cambodia to Laos", "把柬埔寨改成老挝", "замени Камбоджу на Лаос": the place right
# after such a cue is the one wanted, when several places are named.
WANTED_AFTER = re.compile(
    r"(?:(?<!\w)(?:to|into|par|por|на|إلى|الى)\W+(?:\w{1,3}\W+)?|(?:改成|换成|改为|变成|换到)\s*)$",
    re.IGNORECASE)


def _entities(message: dict[str, Any], entity: str) -> list[dict[str, Any]]:
    return [e for e in message.get("entities") or [] if e.get("entity") == entity
            and e.get("value") is not None]


def _cue_before(cue: re.Pattern[str], text: str, entity: dict[str, Any]) -> bool:
    start = entity.get("start")
    return start is not None and bool(cue.search(text[max(0, start - 20): start]))


def _negated(text: str, entity: dict[str, Any]) -> bool:
    """Whether a negation cue stands just before the entity ("not Uganda", "不是乌干达")."""
    return _cue_before(NEGATION_BEFORE, text, entity)


def choose_target(message: dict[str, Any]) -> str | None:
    """The place the user means: a country or region not negated, CN only if alone."""
    text = message.get("text") or ""
    places = [e for e in _entities(message, "country") if is_country_code(str(e["value"]))]
    places += [e for e in _entities(message, "region") if is_region(str(e["value"]))]
    wanted = [e for e in places if not _negated(text, e)]
    abroad = [e for e in wanted if e["value"] != HOME_COUNTRY]
    chosen = abroad or wanted
    if len(chosen) > 1:
        preferred = [e for e in chosen if _cue_before(WANTED_AFTER, text, e)]
        chosen = preferred or chosen
    return str(chosen[0]["value"]) if chosen else None


def size_from_employees(text: str) -> str | None:
    """A company size from a head count ("40 people" -> small), EU SME thresholds."""
    match = EMPLOYEES.search(text)
    if not match:
        return None
    digits = re.sub(r"\D", "", match.group())
    if not digits:
        return None
    count = int(digits)
    for limit, size in ((10, "micro"), (50, "small"), (250, "medium")):
        if count < limit:
            return size
    return "large"


def extract(message: dict[str, Any], slots: dict[str, Any], requested: str | None
            ) -> dict[str, Any]:
    """Profile slot values this message sets (pure: the whole policy in one place)."""
    text = message.get("text") or ""
    values: dict[str, Any] = {}
    target = choose_target(message)
    if target:
        values["target"] = target
    sectors = [str(e["value"]) for e in _entities(message, "sector")
               if e["value"] in load_vocabulary().labels]
    if not sectors and requested == "sector" and text and not text.startswith("/"):
        key = load_vocabulary().normalise(text)
        sectors = [key] if key else []
    if sectors:
        sectors = list(dict.fromkeys(sectors))
        if slots.get("sector") and ALSO_CUES.search(text):
            extra = [s for s in [*(slots.get("extra_sectors") or []), *sectors]
                     if s != slots["sector"]]
            values["extra_sectors"] = list(dict.fromkeys(extra))
        else:
            values["sector"] = sectors[0]
            values["extra_sectors"] = sectors[1:]
    for entity, slot, allowed in (("company_size", "company_size", COMPANY_SIZES),
                                  ("financing_need", "financing_need", FINANCING_NEEDS),
                                  ("partner_type", "partner_type", PARTNER_KINDS)):
        found = [str(e["value"]) for e in _entities(message, entity) if e["value"] in allowed]
        if found:
            values[slot] = found[0]
    if "company_size" not in values and requested == "company_size":
        size = size_from_employees(text)
        if size:
            values["company_size"] = size
    amounts = [e for e in _entities(message, "amount") if isinstance(e["value"], (int, float))]
    if amounts:
        values["amount"] = float(amounts[0]["value"])
        currencies = [str(e["value"]) for e in _entities(message, "currency")]
        currency = amounts[0].get("currency") or (currencies[0] if currencies else None)
        if currency:
            values["currency"] = currency
    return {slot: value for slot, value in values.items() if slots.get(slot) != value}


class ActionExtractProfile(Action):
    """Custom slot mapping of the profile slots: runs after every user message."""

    def name(self) -> str:
        return "action_extract_profile"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        slots = {slot: tracker.get_slot(slot) for slot in PROFILE_SLOTS}
        changes = extract(tracker.latest_message or {}, slots, tracker.get_slot("requested_slot"))
        return [SlotSet(slot, value) for slot, value in changes.items()]


class ActionSetCapability(Action):
    """Remembers which question is being answered and which page of results to show."""

    def name(self) -> str:
        return "action_set_capability"

    @never_breaks_the_turn
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        capability = tracker.get_slot("capability")
        if intent in CAPABILITY_OF_INTENT:
            return [SlotSet("capability", CAPABILITY_OF_INTENT[intent]), SlotSet("page", 0)]
        if intent == "more":
            if not capability:
                dispatcher.utter_message(response="utter_ask_more_context")
            return [SlotSet("page", (tracker.get_slot("page") or 0) + 1)]
        return [SlotSet("page", 0)]


class ValidateProfileForm(FormValidationAction):
    """Asks only for what the current question needs."""

    def name(self) -> str:
        return "validate_profile_form"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> list[str]:
        return list(REQUIRED_SLOTS.get(tracker.get_slot("capability") or "", []))


class ActionForgetProfile(Action):
    """"Forget my profile": clears every profile slot and the last question."""

    def name(self) -> str:
        return "action_forget_profile"

    @never_breaks_the_turn
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        dispatcher.utter_message(response="utter_profile_forgotten")
        cleared = [SlotSet(slot, None) for slot in PROFILE_SLOTS]
        return [*cleared, SlotSet("capability", None), SlotSet("page", 0),
                SlotSet("last_parks", None)]


class ActionShowProfile(Action):
    """"What do you know about me?": the profile in the user's language."""

    def name(self) -> str:
        return "action_show_profile"

    @never_breaks_the_turn
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        from actions.common import describe_profile

        t = translator_for(tracker)
        dispatcher.utter_message(text=describe_profile(t, tracker))
        return []


def profile_summary_text(tracker: Tracker) -> str:
    """The acknowledgement after the user told us about their company."""
    from actions.common import describe_profile

    t = translator_for(tracker)
    return template(t, "profile_noted", profile=describe_profile(t, tracker))


class _AskSlot(Action, abc.ABC):
    """Asks the profile form's question for one slot (response `utter_ask_<slot>`)."""

    @property
    @abc.abstractmethod
    def slot(self) -> str:
        """The slot this question fills."""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        dispatcher.utter_message(response=f"utter_ask_{self.slot}")
        return []


class ActionAskSector(_AskSlot):
    slot = "sector"


class ActionAskTarget(_AskSlot):
    slot = "target"


class ActionAskCompanySize(_AskSlot):
    slot = "company_size"


class ActionAskFinancingNeed(_AskSlot):
    slot = "financing_need"


class ActionAskPartnerType(_AskSlot):
    slot = "partner_type"
