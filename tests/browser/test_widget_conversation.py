"""The widget in headless Chromium talking to the real assistant (the `assistant` fixture):
English and Arabic conversations, a quick reply, a reload with the history, an HTML payload
shown as text, a tampered token refused. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bot import nlg
from bot.channels.webchat.strings import widget_strings
from tests.browser.conftest import Site
from tests.browser.widget import (
    SHADOW,
    UI_TIMEOUT_MS,
    Widget,
    first_paragraph,
    has_arabic,
    has_cjk,
    tamper,
    token_sid,
)

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

XSS = ('<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'
       '<b>bold?</b> <a href="javascript:window.__xss=3">click</a>')


def opened(new_page, site: Site, language: str = "en") -> Widget:  # type: ignore[no-untyped-def]
    page = new_page()
    page.goto(site.url(language))
    widget = Widget(page)
    widget.open()
    return widget


# What a greeting may get back. These tests are about the widget, not about understanding:
# a greeting the model does not recognise (utter_default) still proves the round trip.
GREETING_ANSWERS = ("utter_greet", "utter_help", "utter_default", "utter_out_of_scope")


def openings(language: str) -> set[str]:
    """The first paragraphs of the answers a greeting may get, in `language`."""
    return {first_paragraph(nlg.render(name, language)["text"]) for name in GREETING_ANSWERS}


def translated(language: str) -> bool:
    """Whether the catalog of `language` translates the greeting yet (else English)."""
    return openings(language) != openings("en")


def test_english_conversation_quick_reply_and_reload(new_page, site: Site) -> None:
    widget = opened(new_page, site, "en")
    assert widget.focused_tag() == "TEXTAREA"  # focus moved into the dialog
    replies = widget.say("Hello! What can you do for my company?")
    assert replies and first_paragraph(replies[0]) in openings("en"), replies
    # The greeting offers quick replies; clicking one sends its payload, shows its title.
    expect(widget.quick_replies.first).to_be_visible()
    title, answer = widget.click_quick_reply(0)
    assert widget.user_texts()[-1] == title
    assert answer and all(answer)
    assert not any(has_arabic(text) or has_cjk(text) for text in answer), answer
    widget.screenshot("widget-en.png")

    before_users, before_bots = widget.user_texts(), widget.bot_texts()
    sid = token_sid(widget.token() or "")
    widget.page.reload()
    widget.wait_until_labelled()
    expect(widget.dialog).to_be_visible(timeout=UI_TIMEOUT_MS)  # open before, open after
    widget.page.wait_for_function(
        f"n => {SHADOW}?.querySelectorAll('.msg.user').length >= n", arg=len(before_users),
        timeout=UI_TIMEOUT_MS)
    # The history comes from the tracker store: the button shows its title, not its payload.
    assert widget.user_texts() == before_users
    assert widget.bot_texts() == before_bots
    assert token_sid(widget.token() or "") == sid  # renewed token, same conversation
    assert widget.page.errors == []


def test_arabic_conversation_is_right_to_left(new_page, site: Site) -> None:
    widget = opened(new_page, site, "en")
    expect(widget.root).to_have_attribute("dir", "ltr")
    widget.choose_language_with_keyboard("ar")
    expect(widget.root).to_have_attribute("dir", "rtl", timeout=UI_TIMEOUT_MS)
    changed = widget.wait_for_reply(0)
    assert first_paragraph(changed[0]) == first_paragraph(
        nlg.render("utter_language_changed", "ar")["text"]), changed
    replies = widget.say("مرحبا، كيف يمكنك مساعدة شركتي؟")
    assert replies and first_paragraph(replies[0]) in openings("ar"), replies
    assert has_arabic(replies[0]) or not translated("ar")
    assert widget.log.evaluate("e => getComputedStyle(e).direction") == "rtl"
    # Right to left: the assistant's bubbles start at the right, the user's at the left.
    log = widget.log.bounding_box()
    bot = widget.page.locator("advisor-chat .msg.bot:not(.intro)").last.bounding_box()
    user = widget.page.locator("advisor-chat .msg.user").last.bounding_box()
    assert log and bot and user
    assert abs((log["x"] + log["width"]) - (bot["x"] + bot["width"])) < 40
    assert user["x"] - log["x"] < 40
    assert bot["x"] > user["x"]
    widget.screenshot("widget-ar.png")


def test_chinese_conversation(new_page, site: Site) -> None:
    widget = opened(new_page, site, "zh")
    replies = widget.say("你好，你能帮我的公司做什么？")
    assert replies and first_paragraph(replies[0]) in openings("zh"), replies
    assert has_cjk(replies[0]) or not translated("zh")
    expect(widget.root).to_have_attribute("lang", "zh")
    widget.screenshot("widget-zh.png")


def test_an_html_payload_is_shown_as_text(new_page, site: Site) -> None:
    widget = opened(new_page, site, "en")
    widget.page.evaluate("() => { window.__xss = 0; }")
    replies = widget.say(XSS)
    assert replies
    assert widget.user_texts() == [XSS]

    def injected() -> list[str]:
        return widget.page.evaluate(f"""() => [...{SHADOW}.querySelectorAll(
            '.log img, .log script, .log b, .log a[href^="javascript"]')]
            .map(e => e.outerHTML)""")

    assert injected() == []
    # Shown as text again when it comes back from the tracker store after a reload.
    widget.page.reload()
    widget.wait_until_labelled()
    widget.page.wait_for_function(f"() => {SHADOW}?.querySelector('.msg.user')",
                                  timeout=UI_TIMEOUT_MS)
    assert widget.user_texts() == [XSS]
    assert injected() == []
    assert widget.page.evaluate("() => window.__xss || 0") == 0
    assert widget.page.errors == []


def test_a_tampered_token_is_refused(new_page, site: Site) -> None:
    widget = opened(new_page, site, "en")
    widget.say("Hello, we make textiles and want to export to Kenya")
    token = widget.token()
    assert token
    genuine = widget.fetch("GET", "/history", token)
    assert genuine["status"] == 200 and genuine["body"]["messages"]

    # A changed signature; another session's payload under our signature; no token at all.
    other = widget.fetch("POST", "/session", None, {})["body"]["token"]
    spliced = ".".join([*other.split(".")[:2], token.split(".")[2]])
    for forged in (tamper(token), spliced):
        for method, path, body in (("GET", "/history", None),
                                   ("POST", "/message", {"message": "hi"}),
                                   ("POST", "/session", {})):
            refused = widget.fetch(method, path, forged, body)
            assert refused["status"] == 403, (path, refused)
            assert refused["body"]["error"] == "invalid_token" and refused["body"]["reason"]
    anonymous = widget.fetch("GET", "/history", None)
    assert anonymous["status"] == 401 and anonymous["body"]["error"] == "missing_token"

    # The widget itself, given the tampered token, refuses to show anything and starts over.
    widget.set_token(tamper(token))
    widget.page.reload()
    widget.page.wait_for_function(f"() => {SHADOW}?.querySelector('.sys')",
                                  timeout=UI_TIMEOUT_MS)
    strings = widget_strings("en")["strings"]
    assert widget.system_texts() == [strings["session_refused"]]
    assert widget.user_texts() == [] and widget.bot_texts() == []
