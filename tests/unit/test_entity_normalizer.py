"""EntityNormalizer: DIET's spans get normalised values; unknown names are dropped."""

from nlu.components.entity_normalizer import normalize_entities
from nlu.vocabularies import build_gazetteer

NORMALIZED = {"country", "sector", "language", "currency", "partner_type", "financing_need",
              "company_size"}


def run(text: str, entities: list[dict]) -> list[tuple[str, str, str]]:
    result = normalize_entities(text, entities, build_gazetteer(), NORMALIZED, {"country"})
    return [(e["entity"], text[e["start"]:e["end"]], e.get("value")) for e in result]


def diet(text: str, span: str, entity: str) -> dict:
    start = text.index(span)
    return {"entity": entity, "start": start, "end": start + len(span), "value": span,
            "extractor": "DIETClassifier"}


def test_diet_country_span_gets_the_iso_code() -> None:
    text = "financing for Kenya"
    assert run(text, [diet(text, "Kenya", "country")]) == [("country", "Kenya", "KE")]


def test_country_missed_by_diet_is_added_by_the_gazetteer() -> None:
    assert run("партнёр в Казахстане", []) == [("country", "Казахстане", "KZ")]


def test_unknown_country_name_is_dropped_not_passed_on() -> None:
    text = "a partner in Narnia"
    assert run(text, [diet(text, "Narnia", "country")]) == []


def test_sector_synonym_maps_to_vocabulary_key() -> None:
    text = "we make garments"
    assert run(text, [diet(text, "garments", "sector")]) == [
        ("sector", "garments", "textiles_apparel")]


def test_language_named_in_a_request_is_normalised_and_not_read_as_a_country() -> None:
    text = "answer in French"
    assert run(text, [diet(text, "French", "language")]) == [("language", "French", "fr")]


def test_gazetteer_country_replaces_a_wrong_diet_label() -> None:
    text = "our Kenyan buyers"
    assert run(text, [diet(text, "Kenyan", "region")]) == [("country", "Kenyan", "KE")]


def test_detector_language_entity_is_kept_untouched() -> None:
    text = "hello there my friend"
    entity = {"entity": "language", "start": 0, "end": len(text), "value": "en",
              "extractor": "LanguageDetector"}
    assert run(text, [entity]) == [("language", text, "en")]


def test_amount_becomes_a_number_and_currency_an_iso_code() -> None:
    text = "about 500,000 dollars"
    result = run(text, [diet(text, "500,000", "amount"), diet(text, "dollars", "currency")])
    assert result == [("amount", "500,000", 500000.0), ("currency", "dollars", "USD")]


def test_chinese_amount_with_magnitude_and_currency_symbol() -> None:
    text = "预算50万美元"
    result = normalize_entities(text, [diet(text, "50万美元", "amount")], build_gazetteer(),
                                NORMALIZED, {"country"})
    assert result[0]["value"] == 500000.0 and result[0]["currency"] == "USD"


def test_diet_span_inside_a_longer_known_name_takes_the_whole_name() -> None:
    """DIET tagging "Afrique" of "Afrique de l'Ouest" must not turn West Africa into Africa."""
    text = "des parcs en Afrique de l'Ouest ?"
    result = normalize_entities(text, [diet(text, "Afrique", "region")], build_gazetteer(),
                                NORMALIZED | {"region"}, {"country", "region"})
    assert [(e["entity"], text[e["start"]:e["end"]], e["value"]) for e in result] == [
        ("region", "Afrique de l'Ouest", "western_africa")]


def test_diet_country_span_inside_a_longer_country_name() -> None:
    text = "risks in South Korea"
    assert run(text, [diet(text, "Korea", "country")]) == [("country", "South Korea", "KR")]
