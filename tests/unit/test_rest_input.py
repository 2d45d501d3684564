"""Input sanitising of the REST channel."""

from bot.channels.rest import MAX_MESSAGE_CHARS, clean_text, cut


def test_control_characters_are_removed_but_newlines_kept() -> None:
    assert clean_text("hel\x00lo\x07\nworld\x1b") == "hello\nworld"


def test_non_text_becomes_empty() -> None:
    assert clean_text(None) == "" and clean_text(42) == "" and clean_text({"a": 1}) == ""


def test_text_is_nfc_normalised() -> None:
    assert clean_text("Cafe\u0301") == "Café"


def test_long_text_is_cut_at_a_word_boundary_below_the_limit() -> None:
    text = ("word " * 30_000).strip()
    short, was_cut = cut(text)
    assert was_cut and len(short) <= MAX_MESSAGE_CHARS and short.endswith("word")


def test_short_text_is_not_cut() -> None:
    assert cut("hello") == ("hello", False)
