"""follow_leader: countries ranked for the SME's sector with the evidence (which firms,
which projects, when), and an offer to look at parks and partners in the top country."""

from __future__ import annotations

import json

from rasa_sdk import Tracker

from actions.common import (
    PAGE_SIZE,
    place_name,
    provenance_line,
    reasons_line,
    sector_name,
    text_of,
)
from knowledge.queries import LeaderCountry, ProjectEvidence, follow_the_leader
from knowledge.queries import reasons as R
from knowledge.regions import is_region
from locales import Translator
from locales.texts import template

SHOWN_ELSEWHERE = {R.LATEST_PROJECT}


def project_line(t: Translator, project: ProjectEvidence) -> str:
    language = t.language
    low, high = project.value_musd_min, project.value_musd_max
    value = ""
    if low is not None and high is not None and low != high:
        value = template(t, "leader_value_range", low=t.number(low), high=t.number(high))
    elif low is not None or high is not None:
        value = template(t, "leader_value", value=t.number(low if low is not None else high))
    line = template(t, "leader_project", company=text_of(project.company_name, language),
                    title=text_of(project.title, language), year=project.year or "—",
                    value=value)
    return f"{line}\n  {provenance_line(t, project.provenance)}"


def item_text(t: Translator, number: int, item: LeaderCountry) -> str:
    projects = item.projects_in_sector + item.projects_in_related
    summary = template(t, "leader_summary", count=projects)
    if item.companies:
        summary += " " + template(t, "leader_companies", count=item.companies)
    lines = [template(t, "leader_item", number=number, country=t.country(item.country),
                      summary=summary)]
    why = reasons_line(t, item.reasons, SHOWN_ELSEWHERE)
    if why:
        lines.append(why)
    lines += [project_line(t, project) for project in item.projects]
    return "\n".join(lines)


def answer(t: Translator, tracker: Tracker, page: int) -> tuple[str, list[dict[str, str]]]:
    sector = tracker.get_slot("sector")
    target = tracker.get_slot("target")
    region = target if target and is_region(target) else None
    result = follow_the_leader(sector, region, limit=PAGE_SIZE * (page + 1) + 1)
    region_part = (template(t, "leaders_header_region", region=place_name(t, region))
                   if region else "")
    if not result.items:
        blocks = [template(t, "leaders_none", sector=sector_name(t, sector), region=region_part)]
        related = next((dict(note.params.get("related") or {}) for note in result.notes
                        if note.code == R.NO_LEADER_PROJECTS), {})
        with_projects = [key for key, count in related.items() if count]
        if with_projects:
            blocks.append(template(t, "leaders_related",
                                   sectors=t.list([sector_name(t, s) for s in with_projects])))
        buttons = [{"title": sector_name(t, key), "payload": "/follow_leader" + json.dumps(
            {"sector": key})} for key in with_projects[:4]]
        return "\n\n".join(blocks), buttons
    shown = result.items[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
    if page and not shown:
        return template(t, "no_more"), []
    blocks = [template(t, "leaders_header", sector=sector_name(t, sector), region=region_part)]
    blocks += [item_text(t, page * PAGE_SIZE + i + 1, item) for i, item in enumerate(shown)]
    top = shown[0].country
    blocks.append(template(t, "leader_offer", country=t.country(top)))
    buttons = [
        {"title": template(t, "leader_button_parks", country=t.country(top)),
         "payload": "/recommend_park" + json.dumps({"country": top})},
        {"title": template(t, "leader_button_partners", country=t.country(top)),
         "payload": "/find_partner" + json.dumps({"country": top})},
    ]
    if len(result.items) > (page + 1) * PAGE_SIZE:
        buttons.append({"title": template(t, "button_more"), "payload": "/more"})
    return "\n\n".join(blocks), buttons
