"""The SME profile: what each message sets, corrections, additions, what each question asks."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.profile import (
    ActionForgetProfile,
    ActionSetCapability,
    ValidateProfileForm,
    choose_target,
    extract,
    size_from_employees,
)
from tests.actions.conftest import run, tracker


def entity(kind: str, value, text: str, span: str, **extra) -> dict:
    start = text.index(span)
    return {"entity": kind, "value": value, "start": start, "end": start + len(span), **extra}


def message(text: str, *entities: dict) -> dict:
    return {"text": text, "entities": list(entities)}


def test_sector_country_and_amount_fill_the_profile() -> None:
    text = "we make garments and want to export 500,000 dollars of goods to Kenya"
    msg = message(text, entity("sector", "textiles_apparel", text, "garments"),
                  entity("amount", 500000.0, text, "500,000", currency=None),
                  entity("currency", "USD", text, "dollars"),
                  entity("country", "KE", text, "Kenya"))
    assert extract(msg, {}, None) == {"sector": "textiles_apparel", "extra_sectors": [],
                                      "target": "KE", "amount": 500000.0, "currency": "USD"}


def test_correction_takes_the_country_that_is_not_negated() -> None:
    text = "actually Kenya, not Uganda"
    msg = message(text, entity("country", "KE", text, "Kenya"),
                  entity("country", "UG", text, "Uganda"))
    assert choose_target(msg) == "KE"
    text = "not Uganda but Kenya"
    msg = message(text, entity("country", "UG", text, "Uganda"),
                  entity("country", "KE", text, "Kenya"))
    assert choose_target(msg) == "KE"


@pytest.mark.parametrize(("text", "right", "wrong", "code"), [
    ("是肯尼亚，不是乌干达", "肯尼亚", "乌干达", "KE"),
    ("в Казахстан, а не в Узбекистан", "Казахстан", "Узбекистан", "KZ"),
    ("au Kenya et non pas en Ouganda", "Kenya", "Ouganda", "KE"),
    ("no a Uganda, sino a Kenia", "Kenia", "Uganda", "KE"),
    ("كينيا وليس أوغندا", "كينيا", "أوغندا", "KE"),
])
def test_corrections_in_other_languages(text: str, right: str, wrong: str, code: str) -> None:
    other = "UZ" if code == "KZ" else "UG"
    msg = message(text, entity("country", code, text, right),
                  entity("country", other, text, wrong))
    assert choose_target(msg) == code


@pytest.mark.parametrize(("text", "first", "second", "code"), [
    ("不是乌干达，是肯尼亚", "乌干达", "肯尼亚", "KE"),
    ("ой, ошибся, не Кувейт, а Катар", "Кувейт", "Катар", "QA"),
    ("把柬埔寨改成老挝", "柬埔寨", "老挝", "LA"),
    ("замени Камбоджу на Лаос", "Камбоджу", "Лаос", "LA"),
    ("change Cambodia to Laos", "Cambodia", "Laos", "LA"),
    ("مش أوغندا، كينيا", "أوغندا", "كينيا", "KE"),
])
def test_corrections_naming_the_wrong_place_first(text, first, second, code) -> None:
    codes = {"KE": "UG", "QA": "KW", "LA": "KH"}
    msg = message(text, entity("country", codes[code], text, first),
                  entity("country", code, text, second))
    assert choose_target(msg) == code


def test_an_interjection_is_not_a_negation() -> None:
    text = "no wait, Kazakhstan instead of Uzbekistan"
    msg = message(text, entity("country", "KZ", text, "Kazakhstan"),
                  entity("country", "UZ", text, "Uzbekistan"))
    assert choose_target(msg) == "KZ"


def test_home_country_is_not_taken_as_the_target_when_another_is_named() -> None:
    text = "中国企业想去越南"
    msg = message(text, entity("country", "CN", text, "中国"),
                  entity("country", "VN", text, "越南"))
    assert choose_target(msg) == "VN"
    only_china = message("中国的风险", entity("country", "CN", "中国的风险", "中国"))
    assert choose_target(only_china) == "CN"


def test_also_adds_a_sector_instead_of_replacing_it() -> None:
    text = "we also make textiles"
    msg = message(text, entity("sector", "textiles_apparel", text, "textiles"))
    assert extract(msg, {"sector": "leather_footwear"}, None) == {
        "extra_sectors": ["textiles_apparel"]}


def test_a_new_sector_without_also_replaces_the_old_one() -> None:
    text = "we make furniture"
    msg = message(text, entity("sector", "wood_furniture", text, "furniture"))
    assert extract(msg, {"sector": "leather_footwear", "extra_sectors": ["textiles_apparel"]},
                   None) == {"sector": "wood_furniture", "extra_sectors": []}


def test_a_sector_answer_without_entity_is_looked_up_in_the_vocabulary() -> None:
    assert extract(message("garments"), {}, "sector")["sector"] == "textiles_apparel"


def test_unknown_values_are_ignored() -> None:
    text = "we need magic money"
    msg = message(text, entity("financing_need", "magic", text, "magic"),
                  entity("sector", "unicorns", text, "money"))
    assert extract(msg, {}, None) == {}


@pytest.mark.parametrize(("text", "size"), [("5 people", "micro"), ("we are 40", "small"),
                                            ("120 employees", "medium"), ("1,200 staff", "large")])
def test_head_count_answers_the_company_size_question(text: str, size: str) -> None:
    assert size_from_employees(text) == size
    assert extract(message(text), {}, "company_size") == {"company_size": size}


def test_unchanged_values_produce_no_events() -> None:
    text = "Kenya"
    msg = message(text, entity("country", "KE", text, "Kenya"))
    assert extract(msg, {"target": "KE"}, None) == {}


@pytest.mark.parametrize(("capability", "required"), [
    ("financing", ["financing_need", "target", "sector", "company_size"]),
    ("partners", ["target", "partner_type"]),
    ("parks", ["sector"]),
    ("leaders", ["sector"]),
    ("risk", ["target"]),
    (None, []),
])
def test_the_form_asks_only_what_the_question_needs(capability, required) -> None:
    form = ValidateProfileForm()
    slots = asyncio.run(form.required_slots([], CollectingDispatcher(),
                                            tracker({"capability": capability}), {}))
    assert slots == required


def test_a_capability_question_sets_the_capability_and_first_page() -> None:
    _, events = run(ActionSetCapability(), tracker({"page": 2}, intent="recommend_park"))
    assert [(e["name"], e["value"]) for e in events] == [("capability", "parks"), ("page", 0)]


def test_more_turns_the_page() -> None:
    _, events = run(ActionSetCapability(), tracker({"capability": "parks", "page": 1},
                                                   intent="more"))
    assert [(e["name"], e["value"]) for e in events] == [("page", 2)]


def test_more_without_a_question_asks_what_for() -> None:
    messages, _ = run(ActionSetCapability(), tracker({}, intent="more"))
    assert messages[0]["response"] == "utter_ask_more_context"


def test_forget_profile_clears_every_profile_slot() -> None:
    messages, events = run(ActionForgetProfile(), tracker(
        {"sector": "metals", "target": "KZ", "amount": 5.0, "capability": "parks"}))
    cleared = {e["name"] for e in events if e["value"] in (None, 0)}
    assert {"sector", "target", "amount", "company_size", "capability"} <= cleared
    assert messages[0]["response"] == "utter_profile_forgotten"
