"""Language detection: confident only when the evidence is strong enough to switch."""

import pytest

from nlu.languages import detect_language


@pytest.mark.parametrize(("text", "language"), [
    ("I need export credit insurance for a shipment to Kenya", "en"),
    ("我们想在哈萨克斯坦找合作伙伴", "zh"),
    ("Ищу партнёра в Казахстане", "ru"),
    ("أريد تمويلا لمصنع في مصر", "ar"),
    ("Necesito un préstamo para exportar a Perú", "es"),
    ("Je cherche un partenaire au Sénégal", "fr"),
])
def test_each_language_is_detected_confidently(text: str, language: str) -> None:
    detection = detect_language(text)
    assert detection.language == language
    assert detection.guess == language


@pytest.mark.parametrize("text", ["ok", "Kenya", "merci", "hola", "👍", "12345", ""])
def test_short_or_ambiguous_messages_change_nothing(text: str) -> None:
    assert detect_language(text).language is None


@pytest.mark.parametrize(("text", "language"), [
    ("Ты ChatGPT?", "ru"),                       # lingua alone says French
    ("我们想在Kazakhstan找partner", "zh"),
    ("hello مرحبا بك يا صديقي العزيز", "ar"),
])
def test_a_non_latin_script_decides_mixed_messages(text: str, language: str) -> None:
    assert detect_language(text).language == language


def test_a_foreign_place_name_does_not_switch_an_english_message() -> None:
    assert detect_language("Send me information about Москва please").language in (None, "en")


def test_weak_guess_is_still_available_for_new_users() -> None:
    assert detect_language("bonjour").guess == "fr"
    assert detect_language("bonjour").language is None
