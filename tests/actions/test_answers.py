"""Capability answers over the real knowledge base: normal, empty and error paths."""

from __future__ import annotations

import pytest

from actions.answer import ActionAnswer, ActionCompareParks
from tests.actions.conftest import run, tracker

PROFILE = {"sector": "textiles_apparel", "target": "KE", "company_size": "small",
           "financing_need": "export_credit_insurance"}


def answer(slots: dict) -> tuple[str, list[dict], list[dict]]:
    messages, events = run(ActionAnswer(), tracker(slots))
    assert len(messages) == 1
    return messages[0]["text"], messages[0].get("buttons") or [], events


def test_financing_lists_channels_with_why_access_terms_and_source() -> None:
    text, buttons, _ = answer({**PROFILE, "capability": "financing"})
    assert "1. " in text and "Why: " in text and "Source: " in text
    assert "Published terms" in text or "No terms are published" in text
    assert any(b["payload"] == "/more" for b in buttons)


def test_financing_answer_is_in_the_users_language() -> None:
    english, _, _ = answer({**PROFILE, "capability": "financing"})
    chinese, _, _ = answer({**PROFILE, "capability": "financing", "language": "zh"})
    assert english != chinese


def test_more_shows_the_next_page_and_then_says_there_is_no_more() -> None:
    first, _, _ = answer({**PROFILE, "capability": "financing", "page": 0})
    second, _, _ = answer({**PROFILE, "capability": "financing", "page": 1})
    assert first != second and "4. " in second
    last, _, _ = answer({**PROFILE, "capability": "financing", "page": 50})
    assert last == "That was everything I have for this question."


def test_partners_by_country_and_kind() -> None:
    text, _, _ = answer({"capability": "partners", "target": "KZ",
                         "partner_type": "promotion_body"})
    assert text.startswith("Partners for Kazakhstan") and "Source: " in text


def test_no_partner_of_that_kind_says_so_and_offers_the_nearest() -> None:
    text, _, _ = answer({"capability": "partners", "target": "TV", "partner_type": "distributor"})
    assert "I have no partners of the kind" in text


def test_parks_for_a_garment_maker_list_textile_parks_and_remember_them() -> None:
    text, _, events = answer({"capability": "parks", "sector": "textiles_apparel"})
    assert "Textiles and apparel" in text.split("\n\n")[1]
    shown = next(e["value"] for e in events if e["name"] == "last_parks")
    assert len(shown) == 3


def test_parks_in_a_country_without_parks_offer_the_nearest() -> None:
    text, _, _ = answer({"capability": "parks", "sector": "textiles_apparel", "target": "UY"})
    assert text.startswith("I know of no industrial park in Uruguay")


def test_follow_the_leader_ranks_countries_with_projects_as_evidence() -> None:
    text, buttons, _ = answer({"capability": "leaders", "sector": "automotive"})
    assert text.startswith("Where leading firms in") and "• " in text
    assert buttons[0]["payload"].startswith("/recommend_park")
    assert buttons[1]["payload"].startswith("/find_partner")


def test_follow_the_leader_without_projects_says_so() -> None:
    text, _, _ = answer({"capability": "leaders", "sector": "healthcare", "target": "UY"})
    assert "I have no records of leading firms' projects" in text


def test_country_risk_explains_the_oecd_category_and_four_dimensions() -> None:
    text, _, _ = answer({"capability": "risk", "target": "EG"})
    assert "OECD country risk category: 6 of 7" in text
    for dimension in ("Political", "Economic", "Social", "Environmental"):
        assert f"{dimension}: " in text


def test_unclassified_country_is_not_presented_as_category_zero() -> None:
    text, _, _ = answer({"capability": "risk", "target": "DE"})
    assert "does not classify" in text


def test_profile_update_without_a_question_is_acknowledged() -> None:
    text, buttons, _ = answer({"sector": "metals", "target": "KZ"})
    assert text.startswith("Noted. Your profile:") and buttons


def test_knowledge_base_failure_gives_a_localized_apology(monkeypatch) -> None:
    from actions import financing

    def broken(*args, **kwargs):
        raise RuntimeError("database is down")

    monkeypatch.setattr(financing, "match_financing", broken)
    text, _, _ = answer({**PROFILE, "capability": "financing", "language": "es"})
    from locales import translator
    from locales.texts import template

    assert text == template(translator("es"), "answer_failed")
    assert text != template(translator("en"), "answer_failed")


def test_compare_two_parks_by_name() -> None:
    messages, _ = run(ActionCompareParks(), tracker(
        text="compare Rayong and Long Jiang", intent="compare_parks"))
    text = messages[0]["text"]
    assert "Country: Thailand | Vietnam" in text
    assert text.count("Source: ") == 2


def test_compare_by_numbers_of_the_last_list() -> None:
    messages, _ = run(ActionCompareParks(), tracker(
        {"last_parks": ["vn_longjiang", "th_rayong"]}, text="compare 1 and 2",
        intent="compare_parks"))
    assert "Country: Vietnam | Thailand" in messages[0]["text"]


def test_compare_with_one_park_asks_for_two() -> None:
    messages, _ = run(ActionCompareParks(), tracker(text="compare Rayong", intent="compare_parks"))
    assert messages[0]["response"] == "utter_compare_needs_two_parks"


@pytest.mark.parametrize("language", ["en", "zh", "ru", "ar", "es", "fr"])
def test_every_capability_answers_in_every_language(language: str) -> None:
    for capability in ("financing", "partners", "parks", "leaders", "risk"):
        slots = {**PROFILE, "partner_type": "promotion_body", "capability": capability,
                 "language": language}
        text, _, _ = answer(slots)
        assert text and "{" not in text, (capability, text[:200])
