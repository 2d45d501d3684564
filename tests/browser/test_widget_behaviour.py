"""The widget in headless Chromium against the channel with a fake agent (no model needed):
sanitizing, keyboard and ARIA, offline and reconnecting, typing, sessions, mobile layout."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bot.channels.webchat.strings import widget_strings
from bot.channels.webchat.tokens import TokenSigner
from tests.browser.conftest import FakeSite
from tests.browser.widget import SHADOW, UI_TIMEOUT_MS, Widget, tamper
from tests.webchat.fake_channel import SECRET

pytestmark = pytest.mark.browser

EN = widget_strings("en")["strings"]


def opened(new_page, fake: FakeSite, language: str = "en", **options) -> Widget:  # type: ignore[no-untyped-def]
    page = new_page(**options)
    page.goto(fake.url(language))
    widget = Widget(page)
    widget.open()
    return widget


def test_markdown_is_rendered_as_elements_never_as_html(new_page, fake: FakeSite) -> None:
    widget = opened(new_page, fake)
    result = widget.page.evaluate("""() => {
        window.__xss = 0;
        const render = customElements.get('advisor-chat').renderText;
        const box = document.createElement('div');
        render(box, 'Hi **bold** and *it*\\nnext line <img src=x onerror="window.__xss=1">\\n\\n'
            + '• one [site](https://example.org/a?b=1)\\n• [bad](javascript:alert(1)) two\\n'
            + '• see https://example.org/x. <script>window.__xss=2</script>', 'opens');
        return {
            strong: box.querySelectorAll('strong').length, em: box.querySelectorAll('em').length,
            br: box.querySelectorAll('br').length, items: box.querySelectorAll('li').length,
            hrefs: [...box.querySelectorAll('a')].map(a => a.getAttribute('href')),
            rels: [...box.querySelectorAll('a')].map(a => a.rel),
            tags: [...box.querySelectorAll('*')].map(e => e.tagName.toLowerCase()),
            text: box.textContent };
    }""")
    assert result["strong"] == 1 and result["em"] == 1 and result["br"] == 1
    assert result["items"] == 3
    assert result["hrefs"] == ["https://example.org/a?b=1", "https://example.org/x"]
    assert all("noopener" in rel for rel in result["rels"])
    assert set(result["tags"]) <= {"p", "br", "strong", "em", "ul", "li", "a", "span"}
    assert '<img src=x onerror="window.__xss=1">' in result["text"]
    assert "[bad](javascript:alert(1))" in result["text"]
    widget.page.wait_for_timeout(200)
    assert widget.page.evaluate("() => window.__xss") == 0


def test_the_pages_css_does_not_reach_the_widget(new_page, fake: FakeSite) -> None:
    widget = opened(new_page, fake)
    # The demo page styles every button hotpink with !important; ours keep their colour.
    colour = widget.launcher.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(18, 51, 74)"  # the data-color of the demo page's script tag
    page_button = widget.page.evaluate("""() => { const b = document.createElement('button');
        document.body.append(b); return getComputedStyle(b).backgroundColor; }""")
    assert page_button == "rgb(255, 105, 180)"


def test_aria_roles_and_labels(new_page, fake: FakeSite) -> None:
    widget = opened(new_page, fake)
    expect(widget.dialog).to_have_attribute("aria-modal", "true")
    expect(widget.log).to_have_attribute("aria-live", "polite")
    assert widget.dialog.get_attribute("aria-labelledby") == "title"
    labels = widget.page.evaluate(
        f"() => [...{SHADOW}.querySelectorAll('button')].map(b => b.getAttribute('aria-label'))")
    assert labels and all(labels), labels
    assert EN["open"] in labels and EN["new_conversation"] in labels
    assert widget.page.locator("advisor-chat label").inner_text() == EN["input_label"]


def test_keyboard_open_escape_and_focus_return(new_page, fake: FakeSite) -> None:
    page = new_page()
    page.goto(fake.url("en"))
    widget = Widget(page)
    widget.wait_until_labelled()
    widget.launcher.focus()
    page.keyboard.press("Enter")
    expect(widget.dialog).to_be_visible(timeout=UI_TIMEOUT_MS)
    assert widget.focused_tag() == "TEXTAREA"
    # Tab cycles inside the modal dialog.
    for _ in range(10):
        page.keyboard.press("Tab")
        assert page.evaluate(f"() => {SHADOW}.activeElement !== null"
                             f" && {SHADOW}.querySelector('.panel')"
                             f".contains({SHADOW}.activeElement)")
    page.keyboard.press("Escape")
    expect(widget.dialog).to_be_hidden(timeout=UI_TIMEOUT_MS)
    assert "launch" in (widget.focused_attribute("class") or "")
    expect(widget.launcher).to_have_attribute("aria-expanded", "false")


def test_language_menu_by_keyboard_switches_to_right_to_left(new_page,
                                                             fake: FakeSite) -> None:
    widget = opened(new_page, fake)
    expect(widget.root).to_have_attribute("dir", "ltr")
    widget.choose_language_with_keyboard("ar")
    expect(widget.root).to_have_attribute("dir", "rtl", timeout=UI_TIMEOUT_MS)
    expect(widget.root).to_have_attribute("lang", "ar")
    assert widget.focused_attribute("aria-haspopup") == "menu"  # focus back on the button
    expect(widget.language_button).to_have_attribute("aria-expanded", "false")
    checked = widget.page.locator("advisor-chat [role=menuitemradio][aria-checked=true]")
    expect(checked).to_have_attribute("data-code", "ar")
    # The assistant was told: the payload went out, the menu's name is what the user sees.
    widget.wait_for_reply(0)
    received = fake.channel.agent.received[-1]
    assert received.text == '/change_language{"language":"ar"}'
    assert received.metadata == {"language": "ar", "label": "العربية"}
    assert widget.user_texts()[-1] == "العربية"


def test_a_page_in_arabic_starts_right_to_left(new_page, fake: FakeSite) -> None:
    widget = opened(new_page, fake, "ar")
    expect(widget.root).to_have_attribute("dir", "rtl")
    assert widget.log.evaluate("e => getComputedStyle(e).direction") == "rtl"
    widget.say("مرحبا")
    assert fake.channel.agent.received[-1].metadata == {"language": "ar"}


def test_typing_indicator_while_the_assistant_answers(new_page, fake: FakeSite) -> None:
    fake.channel.agent.delay = 1.5
    widget = opened(new_page, fake)
    widget.input.fill("hello")
    widget.input.press("Enter")
    typing = widget.page.locator("advisor-chat .typing .dots")
    expect(typing).to_be_visible(timeout=UI_TIMEOUT_MS)
    expect(widget.page.locator("advisor-chat .typing")).to_contain_text(EN["typing"])
    widget.wait_for_reply(0)
    expect(typing).to_have_count(0)


def test_offline_then_back_online_delivers_the_message(new_page, fake: FakeSite) -> None:
    widget = opened(new_page, fake)
    context = widget.page.context
    context.set_offline(True)
    expect(widget.notice).to_have_text(EN["offline"], timeout=UI_TIMEOUT_MS)
    widget.input.fill("sent while offline")
    widget.input.press("Enter")
    expect(widget.page.locator("advisor-chat .msg.user.pending")).to_have_count(1)
    context.set_offline(False)
    assert widget.wait_for_reply(0, timeout=30_000) == ["echo: sent while offline"]
    expect(widget.notice).to_have_text("")


def test_a_lost_connection_shows_reconnecting_and_retries(new_page, fake: FakeSite) -> None:
    widget = opened(new_page, fake)
    page = widget.page
    page.evaluate(f"""() => {{ window.__notices = [];
        new MutationObserver(() => window.__notices.push({SHADOW}.querySelector('.notice')
            .textContent)).observe({SHADOW}.querySelector('.notice'),
            {{childList: true, characterData: true, subtree: true}}); }}""")
    failures = {"left": 2}

    def flaky(route) -> None:  # type: ignore[no-untyped-def]
        if route.request.method == "POST" and failures["left"] > 0:
            failures["left"] -= 1
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/webhooks/webchat/message", flaky)
    assert widget.say("are you there?") == ["echo: are you there?"]
    assert EN["reconnecting"] in page.evaluate("() => window.__notices")
    expect(widget.notice).to_have_text("")


def test_a_tampered_token_on_reload_starts_a_new_session(new_page, fake: FakeSite) -> None:
    widget = opened(new_page, fake)
    widget.say("my private plan")
    token = widget.token()
    assert token
    widget.set_token(tamper(token))
    widget.page.reload()
    widget.wait_until_labelled()
    expect(widget.dialog).to_be_visible()  # it was open before the reload
    widget.page.wait_for_function(f"() => {SHADOW}?.querySelector('.sys')", timeout=UI_TIMEOUT_MS)
    assert widget.system_texts() == [EN["session_refused"]]
    assert widget.user_texts() == [] and widget.bot_texts() == []
    assert widget.say("hello again") == ["echo: hello again"]
    assert widget.token() not in (token, tamper(token))


def test_an_expired_token_on_reload_says_so(new_page, fake: FakeSite) -> None:
    widget = opened(new_page, fake)
    expired, _ = TokenSigner(SECRET, ttl_seconds=1, clock=lambda: 1_000_000.0).issue()
    widget.set_token(expired)
    widget.page.reload()
    widget.page.wait_for_function(f"() => {SHADOW}?.querySelector('.sys')", timeout=UI_TIMEOUT_MS)
    assert widget.system_texts() == [EN["session_expired"]]


def test_new_conversation_button(new_page, fake: FakeSite) -> None:
    widget = opened(new_page, fake)
    widget.say("first conversation")
    old = widget.token()
    widget.page.get_by_role("button", name=EN["new_conversation"]).click()
    widget.page.wait_for_function(
        "k => { const s = JSON.parse(localStorage.getItem(k)) || {}; return !!s.token; }",
        arg=widget.storage_key(), timeout=UI_TIMEOUT_MS)
    assert widget.token() != old
    assert widget.user_texts() == [] and widget.system_texts() == [
        EN["new_conversation_started"]]
    assert widget.focused_tag() == "TEXTAREA"
    widget.page.reload()
    widget.wait_until_labelled()
    assert widget.user_texts() == []


def test_mobile_layout_fills_the_screen(new_page, fake: FakeSite) -> None:
    widget = opened(new_page, fake, "en", viewport={"width": 390, "height": 780},
                    is_mobile=True, has_touch=True)
    widget.say("Hello from a phone")
    box = widget.dialog.bounding_box()
    assert box and box["x"] == 0 and box["y"] == 0
    assert box["width"] == 390 and box["height"] == 780
    expect(widget.launcher).to_be_hidden()
    widget.screenshot("widget-mobile-en.png")
    widget.page.keyboard.press("Escape")
    expect(widget.launcher).to_be_visible()


def test_no_script_errors(new_page, fake: FakeSite) -> None:
    widget = opened(new_page, fake)
    widget.say("hello")
    assert widget.page.errors == []
