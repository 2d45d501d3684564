"""Which language the assistant answers in (actions/language.py)."""

from actions.language import resolve


def message(intent: str = "greet", entities: list | None = None, guess: str | None = None,
            metadata: dict | None = None) -> dict:
    return {"intent": {"name": intent}, "entities": entities or [], "language_guess": guess,
            "metadata": metadata or {}}


def detected(code: str) -> dict:
    return {"entity": "language", "value": code, "extractor": "LanguageDetector"}


def asked(code: str) -> dict:
    return {"entity": "language", "value": code, "extractor": "DIETClassifier"}


def test_confident_detection_sets_the_language() -> None:
    assert resolve(message(entities=[detected("ru")]), None, False) == ("ru", False)


def test_explicit_request_wins_and_is_pinned() -> None:
    msg = message("change_language", [detected("en"), asked("fr")])
    assert resolve(msg, "en", False) == ("fr", True)


def test_pinned_language_sticks_against_detection() -> None:
    assert resolve(message(entities=[detected("en")]), "fr", True) == ("fr", True)


def test_a_new_explicit_request_replaces_a_pinned_one() -> None:
    assert resolve(message("change_language", [asked("zh")]), "fr", True) == ("zh", True)


def test_a_language_named_outside_a_change_request_is_not_a_request() -> None:
    # "find Chinese firms in Kenya": "Chinese" is not a wish to be answered in Chinese.
    assert resolve(message("find_partner", [asked("zh")]), "en", False) == ("en", False)


def test_unconfident_message_keeps_the_current_language() -> None:
    assert resolve(message(guess="fr"), "es", False) == ("es", False)


def test_new_conversation_uses_the_channel_hint_before_the_weak_guess() -> None:
    assert resolve(message(guess="fr"), None, False, {"language": "ar-EG"}) == ("ar", False)
    assert resolve(message(guess="fr", metadata={"language": "zh-hans"}), None, False) == (
        "zh", False)


def test_new_conversation_without_hint_uses_the_guess_then_english() -> None:
    assert resolve(message(guess="es"), None, False) == ("es", False)
    assert resolve(message(), None, False) == ("en", False)


def test_unsupported_hint_is_ignored() -> None:
    assert resolve(message(), None, False, {"language": "pt-BR"}) == ("en", False)
