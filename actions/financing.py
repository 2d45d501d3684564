"""ask_financing: the channels that fit the SME's profile, why, how to reach them, the
published terms only, source and date. Follow-ups: "only insurance", "more"."""

from __future__ import annotations

import json

from rasa_sdk import Tracker

from actions.common import (
    PAGE_SIZE,
    joined,
    money,
    place_name,
    profile_from,
    provenance_line,
    reasons_line,
    sector_name,
    text_of,
)
from knowledge.queries import FinancingMatch, match_financing
from knowledge.queries import reasons as R
from knowledge.vocab import FINANCING_NEEDS
from locales import Translator
from locales.texts import label, template

# Reasons already said by the item's own lines.
SHOWN_ELSEWHERE = {R.ACCESS_PATH, R.TICKET_NOT_PUBLISHED}


def profile_phrase(t: Translator, tracker: Tracker) -> str:
    """"a small textiles company in Kenya needing export credit insurance"-like summary."""
    parts = []
    sector = tracker.get_slot("sector")
    if sector:
        parts.append(sector_name(t, sector))
    if tracker.get_slot("company_size"):
        parts.append(label(t, "company_size", tracker.get_slot("company_size")))
    if tracker.get_slot("target"):
        parts.append(place_name(t, tracker.get_slot("target")))
    if tracker.get_slot("financing_need"):
        parts.append(label(t, "financing_need", tracker.get_slot("financing_need")))
    return joined(t, parts)


def ticket_range(t: Translator, item: FinancingMatch) -> str:
    low, high = item.ticket_min, item.ticket_max
    currency = item.ticket_currency or "USD"
    if low is not None and high is not None:
        return f"{money(t, low, currency)} – {money(t, high, currency)}"
    return money(t, high if high is not None else low, currency)


def item_text(t: Translator, number: int, item: FinancingMatch) -> str:
    language = t.language
    lines = [
        template(t, "financing_item", number=number, program=text_of(item.program, language),
                 institution=text_of(item.institution, language)),
        template(t, "financing_instrument", instrument=label(t, "instrument", item.instrument),
                 access=label(t, "access_path", item.access_path or "direct")),
    ]
    why = reasons_line(t, item.reasons, SHOWN_ELSEWHERE)
    if why:
        lines.append(why)
    if item.ticket_min is not None or item.ticket_max is not None:
        lines.append(template(t, "financing_ticket", range=ticket_range(t, item)))
    terms = text_of(item.terms, language)
    lines.append(template(t, "financing_terms", terms=terms) if terms
                 else template(t, "financing_no_terms"))
    how = text_of(item.how_to_apply, language)
    if how:
        lines.append(template(t, "financing_apply", how=how))
    lines.append(provenance_line(t, item.provenance))
    return "\n".join(lines)


def answer(t: Translator, tracker: Tracker, page: int) -> tuple[str, list[dict[str, str]]]:
    """The financing answer (text and follow-up buttons) for one page of results."""
    profile = profile_from(tracker)
    result = match_financing(profile, limit=PAGE_SIZE * (page + 1) + 1)
    shown = result.items[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
    others = [need for need in FINANCING_NEEDS if need != profile.need][:4]
    buttons = [{"title": label(t, "financing_need", need),
                "payload": "/inform" + json.dumps({"financing_need": need})} for need in others]
    if not result.items:
        head = template(t, "financing_none", need=label(t, "financing_need", profile.need),
                        place=place_name(t, profile.target))
        return head, buttons
    if page and not shown:
        return template(t, "no_more"), buttons
    exact = not any(note.code == R.NO_MATCHING_CHANNELS for note in result.notes)
    head = (template(t, "financing_header", profile=profile_phrase(t, tracker)) if exact
            else template(t, "financing_nearest"))
    blocks = [head] + [item_text(t, page * PAGE_SIZE + i + 1, item)
                       for i, item in enumerate(shown)]
    if len(result.items) > (page + 1) * PAGE_SIZE:
        blocks.append(template(t, "more_hint"))
    blocks.append(template(t, "financing_only_hint"))
    more = [{"title": template(t, "button_more"), "payload": "/more"}]
    return "\n\n".join(blocks), [*more, *buttons]
