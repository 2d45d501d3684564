"""find_partner: leading firms to subcontract for, service providers and promotion bodies
by country, sector and kind, websites where public; agency-imported partners marked as
the agency's; "more" pages on."""

from __future__ import annotations

from rasa_sdk import Tracker

from actions.common import (
    PAGE_SIZE,
    joined,
    place_name,
    provenance_line,
    reasons_line,
    sector_name,
    text_of,
)
from knowledge.queries import PartnerMatch, find_partners
from knowledge.queries import reasons as R
from locales import Translator
from locales.texts import label, template

SHOWN_ELSEWHERE = {R.IN_COUNTRY, R.AGENCY_DIRECTORY}


def item_text(t: Translator, number: int, item: PartnerMatch) -> str:
    language = t.language
    kind = label(t, "partner_type", item.kind)
    if item.ownership:
        kind = f"{kind}, {label(t, 'ownership', item.ownership)}"
    lines = [template(t, "partner_item", number=number, name=text_of(item.name, language),
                      kind=kind)]
    services = text_of(item.services, language)
    if services:
        lines.append(services)
    why = reasons_line(t, item.reasons, SHOWN_ELSEWHERE)
    if why:
        lines.append(why)
    if item.projects:
        projects = [template(t, "partner_project", title=text_of(p.title, language),
                             country=t.country(p.country), year=p.year or "—")
                    for p in item.projects[:2]]
        lines.append(template(t, "partner_projects",
                              projects=joined(t, projects, "reason_separator")))
    if item.website:
        lines.append(template(t, "website", url=item.website))
    lines.append(provenance_line(t, item.provenance))
    return "\n".join(lines)


def answer(t: Translator, tracker: Tracker, page: int) -> tuple[str, list[dict[str, str]]]:
    """The partners answer for one page of results."""
    place = tracker.get_slot("target")
    sector = tracker.get_slot("sector")
    kind = tracker.get_slot("partner_type")
    result = find_partners(place, sector, kind, limit=PAGE_SIZE * (page + 1) + 1)
    kind_name = label(t, "partner_type", kind) if kind else template(t, "partner_any")
    shown = result.items[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
    if not result.items:
        # Nothing of that kind there: say so, then offer what exists for the place.
        fallback = find_partners(place, None, None, limit=PAGE_SIZE)
        blocks = [template(t, "partners_none", kind=kind_name, place=place_name(t, place))]
        if fallback.items:
            blocks.append(template(t, "partners_nearest"))
            blocks += [item_text(t, i + 1, item) for i, item in enumerate(fallback.items)]
        return "\n\n".join(blocks), []
    if page and not shown:
        return template(t, "no_more"), []
    sector_part = template(t, "partners_header_sector", sector=sector_name(t, sector)) \
        if sector and kind == "leader" else ""
    head = template(t, "partners_header", place=place_name(t, place), sector=sector_part)
    blocks = [head] + [item_text(t, page * PAGE_SIZE + i + 1, item)
                       for i, item in enumerate(shown)]
    buttons = []
    if len(result.items) > (page + 1) * PAGE_SIZE:
        blocks.append(template(t, "more_hint"))
        buttons.append({"title": template(t, "button_more"), "payload": "/more"})
    return "\n\n".join(blocks), buttons
