"""Pure helpers of the bridge: splitting, keyboards, payloads, addressing, duplicates."""

from __future__ import annotations

import json

import pytest
from telegram import Message

from bot.channels.telegram.formatting import (
    MAX_MESSAGE_LENGTH,
    PayloadStore,
    RecentUpdates,
    addressed_text,
    change_language_payload,
    chosen_language,
    inline_keyboard,
    split_message,
    utf16_length,
)
from tests.telegram.fake_bot_api import BOT_USER, group_chat, message, private_chat, user

BOT_NAME, BOT_ID = BOT_USER["username"], BOT_USER["id"]


# -- splitting ---------------------------------------------------------------------------


def test_short_text_is_one_message() -> None:
    assert split_message("  Hello  ") == ["Hello"]


def test_long_text_splits_at_a_paragraph_below_the_limit() -> None:
    first, second = "A" * 3000, "B" * 3000
    assert split_message(f"{first}\n\n{second}") == [first, second]


def test_without_paragraphs_it_splits_at_a_sentence_end() -> None:
    sentence = "The park suits textile firms. "
    text = sentence * 200  # 6,000 characters
    chunks = split_message(text)
    assert len(chunks) == 2
    assert all(utf16_length(chunk) <= MAX_MESSAGE_LENGTH for chunk in chunks)
    assert chunks[0].endswith("firms.") and chunks[1].startswith("The park")
    assert " ".join(chunks) == text.strip()


def test_chinese_splits_after_a_full_stop() -> None:
    text = "中国企业在哈萨克斯坦投资。" * 500
    chunks = split_message(text)
    assert all(chunk.endswith("。") for chunk in chunks)
    assert "".join(chunks) == text and max(map(utf16_length, chunks)) <= MAX_MESSAGE_LENGTH


def test_emoji_count_twice_like_telegram_counts_them() -> None:
    text = "😀" * 3000  # 6,000 UTF-16 code units
    chunks = split_message(text)
    assert [utf16_length(chunk) for chunk in chunks] == [4096, 1904]
    assert "".join(chunks) == text


def test_text_without_boundaries_is_cut_hard() -> None:
    url = "https://example.org/" + "x" * 5000
    chunks = split_message(url)
    assert [len(chunk) for chunk in chunks] == [4096, len(url) - 4096]


def test_words_are_never_cut_when_there_are_spaces() -> None:
    text = " ".join(["exporter"] * 1500)
    assert all(set(chunk.split()) == {"exporter"} for chunk in split_message(text))


# -- keyboards and payloads --------------------------------------------------------------


def test_buttons_become_an_inline_keyboard_with_payloads_as_callback_data() -> None:
    keyboard = inline_keyboard([{"title": "Financing", "payload": "/ask_financing"},
                                {"title": "Partners", "payload": "/find_partner"},
                                {"title": "Parks", "payload": "/recommend_park"}],
                               PayloadStore())
    assert keyboard is not None
    rows = [[(b.text, b.callback_data) for b in row] for row in keyboard.inline_keyboard]
    assert rows == [[("Financing", "/ask_financing"), ("Partners", "/find_partner")],
                    [("Parks", "/recommend_park")]]


def test_long_titles_get_a_row_each_and_links_open_as_links() -> None:
    keyboard = inline_keyboard([{"title": "Export credit insurance in detail", "payload": "/a"},
                                {"title": "Source", "payload": "https://example.org/x"}],
                               PayloadStore())
    assert keyboard is not None
    (first,), (second,) = keyboard.inline_keyboard
    assert first.callback_data == "/a" and second.url == "https://example.org/x"


def test_no_buttons_no_keyboard() -> None:
    assert inline_keyboard([], PayloadStore()) is None
    assert inline_keyboard([{"title": "", "payload": "/x"}], PayloadStore()) is None


def test_payloads_over_64_bytes_travel_as_keys() -> None:
    store = PayloadStore()
    payload = "/inform" + json.dumps({"sector": "textiles_apparel", "country": "KZ",
                                      "company_size": "medium"})
    data = store.encode(payload)
    assert len(data.encode()) <= 64 and data != payload
    assert store.decode(data) == payload
    assert store.decode("#forgotten") is None and store.decode("") is None
    assert store.decode(store.encode("/greet")) == "/greet"


def test_language_payloads() -> None:
    assert chosen_language(change_language_payload("fr")) == "fr"
    assert chosen_language('/change_language{"language":"zh-Hans"}') == "zh"
    assert chosen_language('/change_language{"language": "de"}') is None
    assert chosen_language("/change_language{oops") is None
    assert chosen_language("/greet") is None


def test_duplicate_update_ids_are_recognised() -> None:
    recent = RecentUpdates(capacity=2)
    assert recent.is_new(1) and recent.is_new(2)
    assert not recent.is_new(1)
    assert recent.is_new(3) and recent.is_new(1)  # 1 was forgotten beyond the capacity


# -- who is addressed --------------------------------------------------------------------


def _message(body: dict) -> Message:
    parsed = Message.de_json(body, None)
    assert parsed is not None
    return parsed


def test_private_messages_are_always_for_the_bot() -> None:
    ana = user(7)
    assert addressed_text(_message(message(private_chat(ana), ana, "hi")), BOT_NAME,
                          BOT_ID) == "hi"


@pytest.mark.parametrize(("text", "expected"), [
    ("what about Kenya?", None),
    (f"@{BOT_NAME} what about Kenya?", "what about Kenya?"),
    (f"what about Kenya, @{BOT_NAME.upper()}?", "what about Kenya, ?"),
    ("@someone_else what about Kenya?", None),
])
def test_group_messages_need_a_mention(text: str, expected: str | None) -> None:
    ana = user(7)
    assert addressed_text(_message(message(group_chat(), ana, text)), BOT_NAME,
                          BOT_ID) == expected


def test_mentions_after_emoji_are_found_by_utf16_offsets() -> None:
    ana = user(7)
    found = addressed_text(_message(message(group_chat(), ana, f"🇰🇿🇰🇿 @{BOT_NAME} Almaty")),
                           BOT_NAME, BOT_ID)
    assert found == "🇰🇿🇰🇿 Almaty"


def test_a_reply_to_the_bot_is_addressed_to_it() -> None:
    ana, chat = user(7), group_chat()
    ours = message(chat, BOT_USER, "Which sector?")
    assert addressed_text(_message(message(chat, ana, "Textiles", reply_to_message=ours)),
                          BOT_NAME, BOT_ID) == "Textiles"
    theirs = message(chat, user(8), "Which sector?")
    assert addressed_text(_message(message(chat, ana, "Textiles", reply_to_message=theirs)),
                          BOT_NAME, BOT_ID) is None
