"""MultilingualTokenizer: sensible tokens in six languages, Chinese segmented by jieba."""

import pytest

from nlu.components.tokenizer import tokenize_text


def texts(text: str, language: str) -> list[str]:
    return [token.text for token in tokenize_text(text, language)]


def test_chinese_is_segmented_into_words_not_characters() -> None:
    tokens = texts("我们想在哈萨克斯坦找合作伙伴", "zh")
    assert "哈萨克斯坦" in tokens
    assert "合作伙伴" in tokens


def test_chinese_amounts_stay_whole_and_currency_is_its_own_token() -> None:
    tokens = texts("预算50万美元", "zh")
    assert "50万" in tokens and "美元" in tokens


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("Ищу партнёра в Казахстане", "ru", ["Ищу", "партнёра", "в", "Казахстане"]),
    ("أريد شريكا في مصر", "ar", ["أريد", "شريكا", "في", "مصر"]),
    ("l'Égypte", "fr", ["l'", "Égypte"]),
    ("¿Dónde?", "es", ["¿", "Dónde", "?"]),
])
def test_words_are_not_split_into_letters(text: str, language: str, expected: list[str]) -> None:
    assert texts(text, language) == expected


def test_offsets_point_into_the_original_text() -> None:
    text = "我们 想在Kazakhstan找partner"
    for token in tokenize_text(text, "zh"):
        assert text[token.start:token.end] == token.text


@pytest.mark.parametrize(("first", "second", "language"), [
    ("أهلاً بالمستشار", "اهلا بالمستشار", "ar"),       # hamza carrier and tanwin
    ("شكرا على المساعدة", "شكرا علي المساعده", "ar"),  # alef maqsura, ta marbuta
    ("Ещё раз", "еще раз", "ru"),                        # ё written as е
])
def test_spelling_variants_share_lemmas(first: str, second: str, language: str) -> None:
    """The sparse featurizers count lemmas: variants of one word must count as one."""
    def lemmas(text: str) -> list[str]:
        return [token.lemma for token in tokenize_text(text, language)]

    assert lemmas(first) == lemmas(second)


@pytest.mark.parametrize(("first", "second", "language"), [
    ("c'est sûr", "c'est sur", "fr"),
    ("sí", "si", "es"),
])
def test_latin_accents_still_tell_words_apart(first: str, second: str, language: str) -> None:
    def lemmas(text: str) -> list[str]:
        return [token.lemma for token in tokenize_text(text, language)]

    assert lemmas(first) != lemmas(second)


def test_lemmas_leave_the_token_text_as_written() -> None:
    assert texts("أهلاً", "ar") == ["أهلاً"]
