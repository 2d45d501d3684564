"""What every capability action shares: the user's language and profile, localized
record fields, provenance lines, reason sentences, and a guard that never breaks a turn."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from knowledge.queries import Profile, Provenance, Reason
from knowledge.regions import is_region, region_label
from knowledge.sectors import sector_label
from locales import DEFAULT_LANGUAGE, Translator, translator
from locales.texts import label, template

logger = logging.getLogger(__name__)

PAGE_SIZE = 3
PROFILE_SLOTS = ("sector", "extra_sectors", "target", "company_size", "financing_need",
                 "amount", "currency", "partner_type")


def language_of(tracker: Tracker) -> str:
    """The conversation's language (the `language` slot), English when unknown."""
    return tracker.get_slot("language") or DEFAULT_LANGUAGE


def translator_for(tracker: Tracker) -> Translator:
    return translator(language_of(tracker))


def text_of(value: Mapping[str, str] | str | None, language: str) -> str:
    """A record's text in `language`, falling back to English, then to any language."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return value.get(language) or value.get("en") or next(iter(value.values()), "")


def place_name(t: Translator, place: str | None) -> str:
    """A country (Babel) or region (CLDR / groupings) name in the reply language."""
    if not place:
        return template(t, "any_place")
    if is_region(place):
        return region_label(place, t.language)
    return t.country(place)


def sector_name(t: Translator, sector: str | None) -> str:
    return sector_label(sector, t.language) if sector else ""


def provenance_line(t: Translator, provenance: Provenance) -> str:
    """"Source: <url> (checked <date>)", flagged when the record is not yet verified.

    A record's `as_of` is the date it was last checked against its source, not the date of
    the fact (a project's year, a document's date are part of the record's own text).
    """
    line = template(t, "source_checked_line", title=_domain(provenance.source),
                    url=provenance.source, date=t.date(provenance.as_of, "medium"))
    notes = []
    if provenance.verification != "verified":
        notes.append(template(t, "needs_check"))
    if provenance.origin not in ("curated", ""):
        notes.append(template(t, "agency_record", agency=provenance.origin))
    return line + (f" — {'; '.join(notes)}" if notes else "")


def _domain(url: str) -> str:
    host = url.split("//", 1)[-1].split("/", 1)[0]
    return host.removeprefix("www.")


def money(t: Translator, amount: float | None, currency: str | None) -> str:
    if amount is None:
        return ""
    return t.money(amount, currency or "USD")


def profile_from(tracker: Tracker) -> Profile:
    """The SME profile the slots hold (invalid values are left out, and logged)."""
    values = {
        "sector": tracker.get_slot("sector"),
        "target": tracker.get_slot("target"),
        "company_size": tracker.get_slot("company_size"),
        "need": tracker.get_slot("financing_need"),
        "amount": tracker.get_slot("amount"),
        "currency": tracker.get_slot("currency") or "USD",
    }
    try:
        return Profile(**values)
    except ValueError:
        logger.warning("Invalid profile slots %s; using the valid part", values)
        kept = {}
        for key, value in values.items():
            try:
                Profile(**{key: value})
                kept[key] = value
            except ValueError:
                continue
        return Profile(**kept)


def sectors_of(tracker: Tracker) -> list[str]:
    """The primary sector and the extra ones ("we also make textiles"), in that order."""
    primary = tracker.get_slot("sector")
    extra = tracker.get_slot("extra_sectors") or []
    return [s for s in dict.fromkeys([primary, *extra]) if s]


def page_of(tracker: Tracker) -> int:
    return int(tracker.get_slot("page") or 0)


def describe_profile(t: Translator, tracker: Tracker) -> str:
    """"Your profile: sector textiles, target Kenya, ..." in the reply language."""
    parts = []
    sectors = sectors_of(tracker)
    if sectors:
        parts.append(template(t, "profile_sector",
                              value=t.list([sector_name(t, s) for s in sectors])))
    if tracker.get_slot("target"):
        parts.append(template(t, "profile_target", value=place_name(t, tracker.get_slot("target"))))
    if tracker.get_slot("company_size"):
        parts.append(template(t, "profile_size",
                              value=label(t, "company_size", tracker.get_slot("company_size"))))
    if tracker.get_slot("financing_need"):
        parts.append(template(t, "profile_need",
                              value=label(t, "financing_need", tracker.get_slot("financing_need"))))
    if tracker.get_slot("amount") is not None:
        parts.append(template(t, "profile_amount", value=money(
            t, tracker.get_slot("amount"), tracker.get_slot("currency"))))
    if not parts:
        return template(t, "profile_empty")
    return template(t, "profile_line", items=joined(t, parts, "reason_separator"))


# -- reasons -------------------------------------------------------------------------------

def _param(t: Translator, key: str, value: Any) -> str:
    """One reason parameter in words: sectors, places, needs, amounts..."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set, frozenset)):
        return t.list([_param(t, key, item) for item in value])
    if key in ("sector", "via"):
        return sector_name(t, value)
    if key == "sectors":
        return sector_name(t, value)
    if key in ("place", "country", "region", "places", "countries"):
        return place_name(t, str(value))
    if key == "need":
        return label(t, "financing_need", value)
    if key == "company_size":
        return label(t, "company_size", value)
    if key == "path":
        return label(t, "access_path", value)
    if key == "dimensions":
        return label(t, "risk_dimension", value)
    if key == "as_of":
        return t.date(value, "medium")
    if isinstance(value, float) and value.is_integer():
        return t.number(int(value))
    if isinstance(value, (int, float)):
        return t.number(value)
    return str(value)


def reason_text(t: Translator, reason: Reason, currency: str | None = None) -> str:
    """A reason code and its parameters as a short phrase in the reply language."""
    params = dict(reason.params)
    values = {key: _param(t, key, value) for key, value in params.items()}
    for key in ("amount", "min", "max"):
        if isinstance(params.get(key), (int, float)):
            values[key] = money(t, params[key], params.get("currency") or currency)
    count = None
    for key in ("projects", "count"):
        if isinstance(params.get(key), int):
            count = params[key]
    return template(t, f"reason_{reason.code}", count=count, **values)


def joined(t: Translator, items: list[str], separator: str = "item_separator") -> str:
    """Items joined with the language's separator ("A, B" / "A、B" / "A، B"; clauses with
    "reason_separator": "A; B" / "A；B" / "A؛ B"). Full-width punctuation takes no space."""
    mark = template(t, separator)
    glue = mark if mark in FULL_WIDTH_PUNCTUATION else f"{mark} "
    return glue.join(item for item in items if item)


FULL_WIDTH_PUNCTUATION = {"、", "，", "；", "："}


def reasons_line(t: Translator, reasons: tuple[Reason, ...], skip: set[str] | None = None) -> str:
    phrases = [reason_text(t, r) for r in reasons if r.code not in (skip or set())]
    return (template(t, "why", reasons=joined(t, phrases, "reason_separator"))
            if phrases else "")


# -- the guard -----------------------------------------------------------------------------

ActionRun = Callable[[Any, CollectingDispatcher, Tracker, dict[str, Any]],
                     Awaitable[list[EventType]]]


def never_breaks_the_turn(run: ActionRun) -> ActionRun:
    """Wrap an action's `run`: any error becomes a localized apology, logged with context."""

    @functools.wraps(run)
    async def guarded(self: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                      domain: dict[str, Any]) -> list[EventType]:
        try:
            return await run(self, dispatcher, tracker, domain)
        except Exception:
            logger.exception(
                "Action %s failed (sender=%s, intent=%s, slots=%s)", self.name(),
                tracker.sender_id, (tracker.latest_message.get("intent") or {}).get("name"),
                {slot: tracker.get_slot(slot) for slot in PROFILE_SLOTS},
            )
            t = translator_for(tracker)
            dispatcher.utter_message(text=template(t, "answer_failed"))
            return []

    return guarded
