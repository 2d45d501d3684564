"""recommend_park: the top three parks with reasons (sector fit, ready-built facilities,
country risk, incentives where sourced); "compare A and B" side by side."""

from __future__ import annotations

import re

from rasa_sdk import Tracker

from actions.common import (
    PAGE_SIZE,
    joined,
    place_name,
    profile_from,
    provenance_line,
    reasons_line,
    sector_name,
    sectors_of,
    text_of,
)
from knowledge.queries import ParkMatch, Profile, recommend_parks
from knowledge.queries import reasons as R
from locales import Translator
from locales.texts import label, template
from nlu.textnorm import fold

SHOWN_ELSEWHERE = {R.OECD_CATEGORY, R.READY_BUILT_FACILITIES}
# Words every park name shares: they say nothing about which park is meant.
GENERIC_WORDS = {
    "industrial", "park", "zone", "economic", "special", "cooperation", "trade", "china",
    "chinese", "and", "the", "of", "sez", "free", "area", "city", "new", "development",
    "international", "logistics", "center", "centre", "agricultural", "industry", "eco",
    "technology", "science", "port", "district", "estate", "global", "great",
}
GENERIC_HAN = re.compile(
    r"(经济贸易合作区|经贸合作区|合作区|工业园区|工业园|产业园|经济特区|特区|园区|中国)")


def ranked_parks(tracker: Tracker, limit: int) -> list[ParkMatch]:
    """Parks for the profile, best first; with extra sectors, each park's best ranking."""
    profile = profile_from(tracker)
    best: dict[str, ParkMatch] = {}
    for sector in sectors_of(tracker) or [None]:
        result = recommend_parks(Profile(sector=sector, target=profile.target), limit=limit)
        for item in result.items:
            if item.key not in best or item.score > best[item.key].score:
                best[item.key] = item
    return sorted(best.values(), key=lambda m: (-m.score, m.key))[:limit]


def _risk(t: Translator, category: int | None) -> str:
    if category is None:
        return template(t, "risk_region_unclassified")
    return template(t, "risk_region_category", category=category)


def item_text(t: Translator, number: int, item: ParkMatch) -> str:
    language = t.language
    lines = [template(t, "park_item", number=number, name=text_of(item.name, language),
                      country=t.country(item.country))]
    if item.sectors:
        lines.append(template(t, "park_focus",
                              sectors=t.list([sector_name(t, s) for s in item.sectors])))
    if item.developer:
        developer = item.developer
        if item.developer_ownership:
            developer += f" ({label(t, 'ownership', item.developer_ownership)})"
        lines.append(template(t, "park_developer", developer=developer))
    if item.start_year or item.area:
        lines.append(template(t, "park_facts", year=item.start_year or "—",
                              area=item.area or "—"))
    if item.ready_built and text_of(item.ready_built, language):
        lines.append(template(t, "park_ready_built", text=text_of(item.ready_built, language)))
    if item.incentives and text_of(item.incentives, language):
        lines.append(template(t, "park_incentives", text=text_of(item.incentives, language)))
    lines.append(template(t, "park_risk", risk=_risk(t, item.oecd_category)))
    why = reasons_line(t, item.reasons, SHOWN_ELSEWHERE)
    if why:
        lines.append(why)
    if item.website:
        lines.append(template(t, "website", url=item.website))
    lines.append(provenance_line(t, item.provenance))
    return "\n".join(lines)


def answer(t: Translator, tracker: Tracker, page: int
           ) -> tuple[str, list[dict[str, str]], list[str]]:
    """The parks answer for one page, its buttons, and the keys shown (for "compare")."""
    items = ranked_parks(tracker, PAGE_SIZE * (page + 1) + 1)
    shown = items[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
    profile = profile_from(tracker)
    if not items:
        # Nothing in that place: say so, and show the best parks anywhere for the sector.
        nearest = recommend_parks(Profile(sector=profile.sector), limit=PAGE_SIZE).items
        blocks = [template(t, "parks_none", place=place_name(t, profile.target),
                           sector=sector_name(t, profile.sector))]
        if nearest:
            blocks.append(template(t, "parks_nearest"))
            blocks += [item_text(t, i + 1, item) for i, item in enumerate(nearest)]
        return "\n\n".join(blocks), [], [item.key for item in nearest]
    if page and not shown:
        return template(t, "no_more"), [], []
    phrase = joined(t, [t.list([sector_name(t, s) for s in sectors_of(tracker)]),
                        place_name(t, profile.target) if profile.target else ""])
    blocks = [template(t, "parks_header", profile=phrase)]
    blocks += [item_text(t, page * PAGE_SIZE + i + 1, item) for i, item in enumerate(shown)]
    buttons = []
    if len(items) > (page + 1) * PAGE_SIZE:
        blocks.append(template(t, "more_hint"))
        buttons.append({"title": template(t, "button_more"), "payload": "/more"})
    if len(shown) >= 2:
        blocks.append(template(t, "parks_compare_hint"))
    return "\n\n".join(blocks), buttons, [item.key for item in shown]


# -- compare -------------------------------------------------------------------------------

def _name_keys(item: ParkMatch) -> tuple[set[str], set[str]]:
    """Distinctive words of a park's names, and its Chinese name without generic parts."""
    words: set[str] = set()
    han: set[str] = set()
    for name in item.name.values():
        for word in re.findall(r"\w+", fold(name)):
            latin = not re.search(r"[\u4e00-\u9fff]", word)
            if latin and len(word) >= 4 and word not in GENERIC_WORDS:
                words.add(word)
        core = GENERIC_HAN.sub("", re.sub(r"[（(].*?[)）]", "", name))
        if re.search(r"[\u4e00-\u9fff]{2,}", core):
            han.add(core)
    return words, han


def parks_named(text: str, parks: list[ParkMatch]) -> list[ParkMatch]:
    """The parks a message names, in the order it names them."""
    folded = fold(text)
    found: list[tuple[int, ParkMatch]] = []
    for park in parks:
        words, han = _name_keys(park)
        positions = [m.start() for word in words
                     for m in re.finditer(rf"(?<!\w){re.escape(word)}", folded)]
        positions += [folded.find(h) for h in han if h and h in folded]
        if positions:
            found.append((min(positions), park))
    return [park for _, park in sorted(found, key=lambda item: item[0])]


def parks_by_number(text: str, last_keys: list[str], parks: list[ParkMatch]) -> list[ParkMatch]:
    """"compare 1 and 3" refers to the numbers of the last list shown."""
    by_key = {park.key: park for park in parks}
    chosen = []
    for digits in re.findall(r"\d+", text):
        index = int(digits) - 1
        if 0 <= index < len(last_keys) and last_keys[index] in by_key:
            chosen.append(by_key[last_keys[index]])
    return chosen


def compare_text(t: Translator, first: ParkMatch, second: ParkMatch) -> str:
    language = t.language
    unknown = template(t, "compare_unknown")

    def value(item: ParkMatch, field: str) -> str:
        raw = {
            "country": t.country(item.country),
            "sectors": t.list([sector_name(t, s) for s in item.sectors]),
            "developer": item.developer or "",
            "start": str(item.start_year or ""),
            "area": item.area or "",
            "status": template(t, "park_status_mofcom") if item.status == "mofcom_confirmed"
            else (item.status or ""),
            "ready_built": text_of(item.ready_built, language),
            "incentives": text_of(item.incentives, language),
            "risk": _risk(t, item.oecd_category),
        }[field]
        return raw or unknown

    names = (text_of(first.name, language), text_of(second.name, language))
    lines = [template(t, "compare_header", first=names[0], second=names[1])]
    for field in ("country", "sectors", "developer", "start", "area", "status", "ready_built",
                  "incentives", "risk"):
        lines.append(template(t, "compare_row", field=template(t, f"compare_field_{field}"),
                              first=value(first, field), second=value(second, field)))
    lines += ["", provenance_line(t, first.provenance), provenance_line(t, second.provenance)]
    return "\n".join(lines)
