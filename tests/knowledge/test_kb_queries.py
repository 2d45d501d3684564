"""Ranking expectations a domain expert would sign, and the shape of the query API."""

from __future__ import annotations

import dataclasses
import re

import pytest
from kb_helpers import assert_top_results_are_the_best_of_the_full_ranking

from knowledge.config import PACKAGE_DIR
from knowledge.queries import (
    Profile,
    country_brief,
    find_partners,
    follow_the_leader,
    match_financing,
    recommend_parks,
)
from knowledge.queries import reasons as R
from knowledge.regions import resolve_place
from knowledge.sectors import load_vocabulary

HEAVY_ONLY = {"id_imip", "id_iwip", "zm_zccz", "hu_borsod"}
REASON_CODES = {v for k, v in vars(R).items() if k.isupper()}


def codes(item) -> list[str]:
    return [r.code for r in item.reasons]


# --- parks


def test_a_garment_maker_gets_textile_parks_above_heavy_industry_parks(session):
    result = recommend_parks(
        Profile(sector="textiles_apparel", company_size="small"), limit=100, session=session
    )
    ranked = [p.key for p in result.items]
    textile = [p.key for p in result.items if "textiles_apparel" in p.sectors]
    assert len(textile) >= 8
    worst_textile = max(ranked.index(k) for k in textile)
    best_heavy = min(ranked.index(k) for k in HEAVY_ONLY)
    assert worst_textile < best_heavy
    assert R.SECTOR_MATCH in codes(result.items[0])
    heavy = next(p for p in result.items if p.key == "id_imip")
    assert R.HEAVY_INDUSTRY_FOCUS in codes(heavy)


def test_park_recommendations_accept_a_region_and_stay_inside_it(session):
    result = recommend_parks(Profile(sector="automotive", target="asean"), session=session)
    assert result.items
    assert {p.country for p in result.items} <= resolve_place("asean")
    assert result.items[0].country in {"TH", "ID", "MY"}


def test_parks_in_high_risk_countries_carry_the_oecd_flag(session):
    result = recommend_parks(Profile(sector="leather_footwear", target="ET"), session=session)
    assert result.items
    for park in result.items:
        assert park.oecd_category == 7
        flag = next(r for r in park.reasons if r.code == R.OECD_HIGH_RISK)
        assert flag.params == {"category": 7, "as_of": "2026-01-30"}


def test_a_park_outside_china_is_preferred_and_ready_built_sheds_help_smes(session):
    result = recommend_parks(
        Profile(sector="leather_footwear", company_size="small"), limit=50, session=session
    )
    assert "cn_cmqip" not in [p.key for p in result.items]
    eiz = next(p for p in result.items if p.key == "et_eiz")
    assert R.READY_BUILT_FACILITIES in codes(eiz) and R.MOFCOM_CONFIRMED in codes(eiz)


# --- follow the leader


def test_a_sector_without_leader_projects_is_told_so_instead_of_noise(session):
    vocabulary = load_vocabulary()
    result = follow_the_leader("textiles_apparel", region="polynesia", session=session)
    assert result.items == ()
    assert [n.code for n in result.notes] == [R.NO_LEADER_PROJECTS]
    assert result.notes[0].params["sector"] == "textiles_apparel"
    empty = [k for k in vocabulary.keys if not follow_the_leader(k, session=session).items]
    for key in empty:  # e.g. healthcare: only related sectors have projects
        notes = follow_the_leader(key, session=session).notes
        assert notes[0].code == R.NO_LEADER_PROJECTS
        assert set(notes[0].params["related"]) <= set(vocabulary.related[key])


def test_follow_the_leader_ranks_countries_with_projects_as_evidence(session):
    result = follow_the_leader("automotive", session=session)
    assert len(result.items) >= 5
    top = result.items[0]
    assert top.projects_in_sector >= 3 and top.projects
    assert all(p.sector in ("automotive", *result.related_sectors) for p in top.projects)
    assert top.projects[0].sector == "automotive"
    assert top.projects[0].provenance.source.startswith("http")
    scores = [c.score for c in result.items if c.projects_in_sector]
    assert scores == sorted(scores, reverse=True)


def test_follow_the_leader_in_a_region_and_high_risk_flag(session):
    result = follow_the_leader("construction", "eastern_africa", session=session)
    assert {c.country for c in result.items} <= resolve_place("eastern_africa")
    kenya = next(c for c in result.items if c.country == "KE")
    assert kenya.oecd_category == 7 and R.OECD_HIGH_RISK in codes(kenya)


def test_countries_with_only_related_projects_rank_below_those_with_sector_projects(session):
    result = follow_the_leader("textiles_apparel", session=session)
    seen_related_only = False
    for country in result.items:
        if country.projects_in_sector == 0:
            seen_related_only = True
            assert R.RELATED_ONLY in codes(country)
        else:
            assert not seen_related_only


# --- financing


def test_a_chinese_sme_insuring_exports_gets_sinosure_not_foreign_agencies(session):
    profile = Profile(
        sector="textiles_apparel",
        target="KE",
        company_size="small",
        need="export_credit_insurance",
        home_country="CN",
    )
    result = match_financing(profile, session=session)
    keys = [m.key for m in result.items]
    assert keys[0] == "sinosure_short_term_sme_rates"  # names textiles among its priorities
    assert all(k.startswith("sinosure") for k in keys)
    assert R.OECD_HIGH_RISK in [n.code for n in result.notes]


def test_equity_funds_for_projects_are_marked_not_for_smes(session):
    result = match_financing(Profile(need="equity", company_size="small"), session=session)
    silk = next(m for m in result.items if m.key == "silk_road_fund")
    assert R.NOT_FOR_SMES in codes(silk) and R.PROJECTS_ONLY in codes(silk)
    assert result.items[-1].score <= silk.score or R.NOT_FOR_SMES in codes(result.items[-1])


def test_financing_for_africa_excludes_channels_for_other_regions(session):
    profile = Profile(target="eastern_africa", need="trade_finance", company_size="small")
    keys = [m.key for m in match_financing(profile, session=session).items]
    assert "afreximbank_locp" in keys and "cdb_afreximbank_sme_facility_2023" in keys
    assert "adb_supply_chain_finance" not in keys


def test_ticket_sizes_are_compared_only_where_published(session):
    profile = Profile(need="equity", target="asean", amount=2_000_000, currency="USD")
    caf = next(
        m for m in match_financing(profile, session=session).items if m.key == "china_asean_fund"
    )
    below = next(r for r in caf.reasons if r.code == R.TICKET_BELOW_MIN)
    assert below.params["min"] == 50_000_000
    sinosure = match_financing(Profile(need="export_credit_insurance"), session=session)
    assert R.TICKET_NOT_PUBLISHED in codes(sinosure.items[0])


# --- partners


def test_partners_in_a_country_list_the_national_promotion_body_first(session):
    result = find_partners("KE", kind="promotion_body", session=session)
    assert result.items[0].key == "keninvest"
    assert result.items[0].reasons[0].code == R.SERVES_COUNTRY


def test_leading_firms_in_a_country_come_with_their_projects(session):
    result = find_partners("KE", "construction", "leader", session=session)
    top = result.items[0]
    assert top.kind == "leader" and top.projects
    assert all(p.country == "KE" for p in top.projects)


def test_partners_accept_a_region(session):
    result = find_partners("gcc", kind="promotion_body", session=session)
    countries = {p.country for p in result.items if R.SERVES_ALL_MARKETS not in codes(p)}
    assert countries and countries <= resolve_place("gcc")


# --- country brief


def test_a_high_risk_country_is_flagged_in_its_brief(session):
    brief = country_brief("AF", session=session).items[0]
    assert brief.oecd.category == 7
    assert brief.flags[0].code == R.OECD_HIGH_RISK
    assert brief.flags[0].params["category"] == 7


def test_unclassified_is_not_low_risk(session):
    brief = country_brief("DE", session=session).items[0]
    assert brief.oecd.classified is False and brief.oecd.category is None
    assert brief.flags[0].code == R.OECD_NOT_CLASSIFIED


def test_a_brief_has_sourced_risk_notes_bri_status_and_counts(session):
    brief = country_brief("pk", session=session).items[0]
    assert brief.bri and brief.bri.status == "cooperation_document_signed"
    assert brief.bri.source.startswith("http")
    assert brief.risk_notes["political"][0].provenance.source.startswith("http")
    assert brief.leader_projects >= 5 and brief.parks >= 2 and brief.partners >= 1
    assert brief.subregion == "southern_asia"


def test_a_region_brief_lists_its_countries_riskiest_first(session):
    result = country_brief("central_asia", session=session)
    assert {b.country for b in result.items} == resolve_place("central_asia")
    categories = [b.oecd.category for b in result.items]
    assert categories == sorted(categories, reverse=True)


# --- API contract


def test_reasons_are_codes_with_parameters_not_sentences(session):
    results = [
        recommend_parks(Profile(sector="machinery"), session=session),
        follow_the_leader("power", session=session),
        match_financing(Profile(need="trade_finance", target="VN"), session=session),
        find_partners("EG", session=session),
        country_brief("EG", session=session),
    ]
    seen = set()
    for result in results:
        for item in result.items:
            for reason in getattr(item, "reasons", getattr(item, "flags", ())):
                seen.add(reason.code)
                assert reason.code in REASON_CODES
                assert all(not (isinstance(v, str) and " " in v) for v in reason.params.values())
        assert dataclasses.is_dataclass(result)
    assert len(seen) > 8


def test_profile_rejects_values_outside_the_vocabularies():
    with pytest.raises(ValueError):
        Profile(sector="garments")
    with pytest.raises(ValueError):
        Profile(need="a loan")
    with pytest.raises(ValueError):
        Profile(target="Atlantis")
    assert Profile(target="ke").target == "KE"
    assert Profile(target="East_Africa".replace("East", "eastern")).target == "eastern_africa"


def test_nothing_in_the_knowledge_package_imports_rasa():
    pattern = re.compile(r"^\s*(import rasa|from rasa)", re.MULTILINE)
    offenders = [p for p in PACKAGE_DIR.rglob("*.py") if pattern.search(p.read_text("utf-8"))]
    assert offenders == []


def test_sql_preselection_returns_exactly_the_best_of_the_full_ranking(session):
    """The queries preselect their top results from in-memory indexes and explain them in
    Python; both must agree with the full ranking."""
    assert_top_results_are_the_best_of_the_full_ranking(
        20261129, 60,
        places=[None, "KE", "VN", "CN", "asean", "eastern_africa", "central_asia", "RS", "BR"],
        homes=[None, "CN", "HK", "KE"], limits=[1, 3, 5, 10], everything=10_000, session=session,
    )
