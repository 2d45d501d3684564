"""country_risk: the four-dimension briefing, the OECD category explained in plain words."""

from __future__ import annotations

from rasa_sdk import Tracker

from actions.common import place_name, provenance_line, text_of
from knowledge.queries import CountryBrief, country_brief
from knowledge.vocab import RISK_DIMENSIONS
from locales import Translator
from locales.texts import label, template


def oecd_line(t: Translator, brief: CountryBrief) -> str:
    country = t.country(brief.country)
    oecd = brief.oecd
    if not oecd.classified and oecd.as_of is not None:
        return template(t, "risk_oecd_unclassified", country=country)
    if oecd.category is None:
        return template(t, "risk_oecd_missing", country=country)
    return template(t, "risk_oecd", category=oecd.category, date=t.date(oecd.as_of, "long"),
                    meaning=template(t, f"oecd_meaning_{oecd.category}"))


def brief_text(t: Translator, brief: CountryBrief) -> str:
    lines = [template(t, "risk_header", country=t.country(brief.country)), oecd_line(t, brief)]
    if brief.oecd.source:
        lines.append(template(t, "source_line", title="OECD", url=brief.oecd.source,
                              date=t.date(brief.oecd.as_of, "medium") if brief.oecd.as_of
                              else "—"))
    for dimension in RISK_DIMENSIONS:
        name = label(t, "risk_dimension", dimension)
        notes = brief.risk_notes.get(dimension) or ()
        if not notes:
            lines.append(template(t, "risk_no_note", dimension=name))
            continue
        for note in notes:
            lines.append(template(t, "risk_dimension_line", dimension=name,
                                  text=text_of(note.text, t.language)))
            lines.append("  " + provenance_line(t, note.provenance))
    if brief.bri:
        lines.append(template(t, "risk_bri", country=t.country(brief.country),
                              status=label(t, "bri_status", brief.bri.status)))
    lines.append(template(
        t, "risk_counts", parks=template(t, "count_parks", count=brief.parks),
        projects=template(t, "count_projects", count=brief.leader_projects),
        partners=template(t, "count_partners", count=brief.partners)))
    return "\n".join(lines)


def region_text(t: Translator, region: str, briefs: tuple[CountryBrief, ...]) -> str:
    lines = [template(t, "risk_region_header", region=place_name(t, region))]
    for number, brief in enumerate(briefs[:10], start=1):
        category = (template(t, "risk_region_category", category=brief.oecd.category)
                    if brief.oecd.category is not None else template(t, "risk_region_unclassified"))
        lines.append(template(t, "risk_region_item", number=number,
                              country=t.country(brief.country), category=category))
    return "\n".join(lines)


def answer(t: Translator, tracker: Tracker, page: int) -> tuple[str, list[dict[str, str]]]:
    target = tracker.get_slot("target")
    result = country_brief(target)
    if not result.items:
        return template(t, "risk_oecd_missing", country=place_name(t, target)), []
    if len(result.items) == 1:
        return brief_text(t, result.items[0]), []
    return region_text(t, target, result.items), []
