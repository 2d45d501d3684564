"""Places as SMEs name them (issue 9): cities, regions and demonyms, without a model.

These run the EntityNormalizer's pure function on the full gazetteer (countries, regions,
GeoNames cities), as the component does after DIET. A city gives a `city` entity
("Nairobi|KE") and a `country` entity on the same span; a region gives its region key; a
demonym gives its country.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu import evaluation, places, vocabularies
from nlu.components.entity_normalizer import normalize_entities
from nlu.vocabularies import build_gazetteer

NORMALIZED = {"country", "region", "sector", "language", "currency", "partner_type",
              "financing_need", "company_size"}
DETECTED = {"country", "region", "city", "park"}


def entities(text: str, diet: list[dict] | None = None) -> list[tuple[str, str, str]]:
    result = normalize_entities(text, diet or [], build_gazetteer(), NORMALIZED, DETECTED)
    return [(e["entity"], text[e["start"]:e["end"]], str(e.get("value"))) for e in result]


def values(text: str, entity: str) -> set[str]:
    return {value for kind, _, value in entities(text) if kind == entity}


def diet(text: str, span: str, entity: str) -> dict:
    start = text.index(span)
    return {"entity": entity, "start": start, "end": start + len(span), "value": span,
            "extractor": "DIETClassifier"}


# --- cities -------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "span", "country"), [
    ("our buyer in Nairobi wants samples", "Nairobi", "KE"),
    ("我们在内罗毕有个客户", "内罗毕", "KE"),
    ("ищем дистрибьютора в Найроби", "Найроби", "KE"),
    ("نبحث عن موزع في نيروبي", "نيروبي", "KE"),
    ("une usine près de Hô Chi Minh-Ville", "Hô Chi Minh-Ville", "VN"),
    ("a factory near Saigon", "Saigon", "VN"),
    ("a factory near Ho Chi Minh City", "Ho Chi Minh City", "VN"),
    ("tenemos un almacén en Yakarta", "Yakarta", "ID"),
    ("想在胡志明市建厂", "胡志明市", "VN"),
    ("西贡那边有没有清关公司", "西贡", "VN"),      # a reviewed alias (Saigon)
    ("在阿拉木图找律师", "阿拉木图", "KZ"),      # a reviewed alias (GeoNames: 阿拉木圖)
    ("партнёр из Ташкента", "Ташкента", "UZ"),   # Russian case form
    ("مصنع في الدار البيضاء", "الدار البيضاء", "MA"),
    ("un socio en Estambul", "Estambul", "TR"),
    ("un distributeur à Abidjan", "Abidjan", "CI"),
    ("a warehouse in kuala lumpur", "kuala lumpur", "MY"),   # big city typed in lower case
])
def test_city_gives_its_city_and_its_country(text: str, span: str, country: str) -> None:
    found = entities(text)
    cities = [(s, v) for kind, s, v in found if kind == "city"]
    assert len(cities) == 1, found
    assert cities[0][0] == span and cities[0][1].endswith(f"|{country}"), found
    assert ("country", span, country) in found


def test_city_key_names_a_geonames_city() -> None:
    key = next(v for kind, _, v in entities("buyer in Nairobi") if kind == "city")
    assert key == "Nairobi|KE"
    city = places.load_index().city(key)
    assert city is not None and city.population > 1_000_000


def test_ambiguous_name_alone_is_the_most_populous_city() -> None:
    assert values("a distributor in Alexandria", "city") == {"Alexandria|EG"}
    assert values("a distributor in Alexandria", "country") == {"EG"}
    candidates = places.load_index()
    group = candidates.words[("alexandria",)]
    populations = [city.population for city in candidates.candidates(group)]
    assert populations == sorted(populations, reverse=True) and len(populations) > 1


def test_ambiguous_name_resolves_by_the_us_state_named_with_it() -> None:
    found = entities("a distributor in Alexandria, Virginia")
    assert [(k, v) for k, _, v in found] == [("city", "Alexandria|US"), ("country", "US")]


def test_ambiguous_name_resolves_by_the_country_named_with_it() -> None:
    assert values("Hyderabad", "country") == {"IN"}
    assert values("suppliers in Hyderabad, Pakistan", "city") == {"Hyderabad|PK"}
    assert values("suppliers in Hyderabad, Pakistan", "country") == {"PK"}
    assert values("a distributor in Alexandria, Egypt", "city") == {"Alexandria|EG"}


@pytest.mark.parametrize(("text", "country"), [
    ("Singapore", "SG"), ("Kuwait", "KW"), ("Djibouti", "DJ"), ("Mexico", "MX"),
    ("新加坡", "SG"), ("Сингапур", "SG"), ("جيبوتي", "DJ"), ("Panamá", "PA"),
])
def test_a_city_that_is_also_a_country_stays_the_country(text: str, country: str) -> None:
    assert entities(text) == [("country", text, country)]


def test_the_capital_matches_by_its_full_name() -> None:
    assert values("an office in Mexico City", "city") == {"Mexico City|MX"}
    assert values("an office in Kuwait City", "country") == {"KW"}


def test_the_state_of_a_us_city_is_not_a_town_of_its_own() -> None:
    assert not any(span == "Virginia" for _, span, _ in entities("Alexandria, Virginia"))


def test_a_diet_country_span_around_a_city_keeps_the_city() -> None:
    text = "buyers in Alexandria, Egypt"
    found = entities(text, [diet(text, "Alexandria, Egypt", "country")])
    assert ("city", "Alexandria", "Alexandria|EG") in found
    assert [v for kind, _, v in found if kind == "country"] == ["EG"]


def test_a_city_diet_read_as_a_country_becomes_city_and_country() -> None:
    text = "buyer in Nairobi"
    assert entities(text, [diet(text, "Nairobi", "country")]) == [
        ("city", "Nairobi", "Nairobi|KE"), ("country", "Nairobi", "KE")]


@pytest.mark.parametrize("text", [
    "Nice to meet you", "split the order", "ok", "OK", "Mobile phones", "we are reading it",
    "a sale next month", "tours of the factory", "male and female workers",
    "阿拉伯客户",        # 阿拉 (Arrah, IN) inside 阿拉伯: two-character names need 300,000+
    "或索取报价",        # 或索: GeoNames' odd name of Nouakchott, on the stop-list
    "海啸和津波",        # 津波 (Tsuha, JP) is a word
    "Hola, buenas tardes", "Bonjour, ça va ?", "Привет, как дела?", "مرحبا كيف الحال",
    # words GeoNames also gives to towns: lower case is never a city in Latin/Cyrillic...
    "¿cómo quito una mancha de vino?", "je cherche un distributeur", "ok ça marche",
    "market research for Morocco", "is it worth it", "the deal is worth 2 million",
    "una zona franca", "el registro ODI", "торговую марку скопировали",
    # ...and the reviewed stop-list catches them capitalised at the start of a message
    "Salam, ça va ?", "Bon, je m'en vais", "Human please", "Lista de servicios",
    "bonjour, c'est Aïcha",
    # Arabic has no capitals: everyday words on the stop-list
    "ما تكلفة الإيجار في مدينة صناعية", "أسماء بنوك في تركمانستان",
    "كيف أعرف إذا كانت الدولة خطيرة",
    "ليلة سعيدة", "الشحن البحري", "أبغى مكالمة مع أحد الخبراء",
])
def test_common_words_never_become_cities(text: str) -> None:
    assert values(text, "city") == set(), entities(text)


# --- regions ------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "key"), [
    ("somewhere in East Africa", "eastern_africa"),
    ("distributors in the Gulf", "gcc"),
    ("ASEAN markets", "asean"),
    ("Central Asia", "central_asia"),
    ("中东市场怎么样", "middle_east"),
    ("去东南亚开工厂", "south_eastern_asia"),
    ("партнёры на Ближнем Востоке", "middle_east"),
    ("Ближний Восток", "middle_east"),
    ("شركاء في الخليج", "gcc"),
    ("fábricas en el Sudeste Asiático", "south_eastern_asia"),
    ("en Asie centrale", "central_asia"),
    ("Latin America", "latin_america_and_the_caribbean"),
])
def test_region_names_give_the_region_key(text: str, key: str) -> None:
    assert values(text, "region") == {key}, entities(text)
    assert values(text, "city") == set()


def test_a_diet_region_span_is_normalised_and_an_unknown_one_dropped() -> None:
    text = "somewhere in East Africa"
    assert entities(text, [diet(text, "East Africa", "region")]) == [
        ("region", "East Africa", "eastern_africa")]
    text = "somewhere in Narnia"
    assert entities(text, [diet(text, "Narnia", "region")]) == []


def test_a_country_name_inside_a_region_span_stays_the_country() -> None:
    # DIET reads a country as a region: the gazetteer's country wins, as for other types.
    text = "a buyer in Kenya"
    assert entities(text, [diet(text, "Kenya", "region")]) == [("country", "Kenya", "KE")]


# --- demonyms -----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "country"), [
    ("Kenyan buyers", "KE"),
    ("acheteurs égyptiens", "EG"),
    ("沙特客户", "SA"),
    ("казахстанский партнёр", "KZ"),
])
def test_demonyms_give_the_country(text: str, country: str) -> None:
    assert values(text, "country") == {country}, entities(text)


# --- building from the data files ---------------------------------------------------------

def test_builds_without_region_and_demonym_files(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vocabularies, "REGION_ALIASES", tmp_path / "regions.yml")
    monkeypatch.setattr(vocabularies, "demonym_file", lambda lang: tmp_path / f"d.{lang}.yml")
    gazetteer = vocabularies.build_gazetteer.__wrapped__(cities=False)
    # CLDR's M49 names and the groupings' labels need no alias file
    assert [m.value for m in gazetteer.find("Central Asia", {"region"})] == ["central_asia"]
    assert gazetteer.find("the Gulf", {"region"}) == []


def test_region_and_demonym_files_are_read(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "regions.yml").write_text("en:\n  gcc: [Khaleej lands]\n  exclude: []\n",
                                          encoding="utf-8")
    (tmp_path / "d.en.yml").write_text("KE: [Kenyaish]\n", encoding="utf-8")
    monkeypatch.setattr(vocabularies, "REGION_ALIASES", tmp_path / "regions.yml")
    monkeypatch.setattr(vocabularies, "demonym_file", lambda lang: tmp_path / f"d.{lang}.yml")
    gazetteer = vocabularies.build_gazetteer.__wrapped__(cities=False)
    assert [m.value for m in gazetteer.find("the Khaleej lands")] == ["gcc"]
    assert [m.value for m in gazetteer.find("Kenyaish buyers", {"country"})] == ["KE"]


def test_an_unknown_region_key_is_an_error(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "regions.yml").write_text("en:\n  atlantis: [Atlantis]\n", encoding="utf-8")
    monkeypatch.setattr(vocabularies, "REGION_ALIASES", tmp_path / "regions.yml")
    with pytest.raises(ValueError, match="atlantis"):
        list(vocabularies.region_names("en"))


# --- scoring the held-out place cases -----------------------------------------------------

def test_place_cases_are_scored_per_category() -> None:
    examples = [
        evaluation.Example("buyer in Nairobi", "inform", "inform", (("city", "KE"),)),
        evaluation.Example("the Gulf", "inform", "inform", (("region", "gcc"),)),
        evaluation.Example("Kenyan buyers", "inform", "inform", (("demonym", "KE"),)),
        evaluation.Example("in Mombasa", "inform", "inform", (("city", "KE"),)),
    ]
    parses = [
        {"entities": [{"entity": "city", "value": "Nairobi|KE"},
                      {"entity": "country", "value": "KE"}]},
        {"entities": [{"entity": "region", "value": "gcc"}]},
        {"entities": [{"entity": "country", "value": "KE"}]},
        {"entities": [{"entity": "country", "value": "KE"}]},  # no city: not resolved
    ]
    report = evaluation.score_places(examples, parses)
    assert report.cases == 4 and report.accuracy == 0.75
    assert report.category_accuracy("city") == 0.5
    assert report.category_accuracy("region") == report.category_accuracy("demonym") == 1.0
    assert report.errors[0]["text"] == "in Mombasa"
    line = evaluation.table({"en": evaluation.LanguageReport(
        "en", 1, 1.0, 1.0, None, 1.0, 1, places=report)}).splitlines()[1]
    assert "0.750 (4)" in line and "0.500 (2)" in line
