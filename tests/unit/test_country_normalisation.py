"""Country names in six languages resolve to ISO 3166-1 alpha-2 codes."""

import pytest

from nlu.vocabularies import build_gazetteer, country_codes


def countries(text: str, boundaries: set[int] | None = None) -> list[str]:
    return [m.value for m in build_gazetteer().find(text, {"country"}, boundaries)]


@pytest.mark.parametrize(("text", "expected"), [
    ("We export to Kenya", ["KE"]),
    ("肯尼亚的客户", ["KE"]),
    ("клиенты из Кении", ["KE"]),
    ("عملاء في كينيا", ["KE"]),
    ("clientes en Kenia", ["KE"]),
    ("clients au Kenya", ["KE"]),
])
def test_cldr_names_in_each_language(text: str, expected: list[str]) -> None:
    assert countries(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("印尼的工厂", ["ID"]),
    ("沙特客户", ["SA"]),
    ("un socio en Arabia Saudita", ["SA"]),
    ("a supplier in Vietnam", ["VN"]),
    ("au Vietnam et au Viêt Nam", ["VN", "VN"]),
    ("offices in the UAE", ["AE"]),
])
def test_common_short_forms(text: str, expected: list[str]) -> None:
    assert countries(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("партнёр в Казахстане", ["KZ"]),
    ("поставки из Египта", ["EG"]),
    ("завод в Саудовской Аравии", ["SA"]),
    ("рынок Индонезии", ["ID"]),
])
def test_russian_case_forms(text: str, expected: list[str]) -> None:
    assert countries(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("acheteurs égyptiens", ["EG"]),
    ("our Kenyan buyers", ["KE"]),
    ("казахстанский партнёр", ["KZ"]),
    ("compradores egipcios", ["EG"]),
    ("شريك مصري", ["EG"]),
])
def test_demonyms(text: str, expected: list[str]) -> None:
    assert countries(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("بالسعودية", ["SA"]),      # bi- + as-Saudiyya
    ("وللإمارات", ["AE"]),      # wa- + li- + al-Imarat
    ("والمغرب", ["MA"]),
])
def test_arabic_attached_prefixes(text: str, expected: list[str]) -> None:
    assert countries(text) == expected


def test_chinese_match_must_respect_word_boundaries() -> None:
    # "方法国家" (method, country) contains 法国 (France) across a word boundary.
    boundaries = {0, 2, 4}
    assert countries("方法国家", boundaries) == []
    assert countries("法国客户", {0, 2, 4}) == ["FR"]


def test_short_capitalised_aliases_do_not_match_ordinary_words() -> None:
    assert countries("let us talk about eau and the UAE") == ["AE"]


def test_longest_name_wins() -> None:
    assert countries("南苏丹和苏丹") == ["SS", "SD"]
    assert countries("Papua New Guinea and Guinea-Bissau") == ["PG", "GW"]


def test_codes_exclude_pseudo_territories() -> None:
    codes = country_codes()
    assert "KE" in codes and "CN" in codes
    assert not {"EU", "UN", "ZZ", "EZ"} & set(codes)
    assert len(codes) > 240
