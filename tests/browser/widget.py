"""The widget as the browser tests drive it: open it, talk, read what it shows.

Playwright's CSS locators pierce the widget's (open) Shadow DOM, so `advisor-chat .launch`
finds the launcher inside it. Waits are explicit and bounded.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent
ARTIFACTS = PROJECT_DIR / "tests" / "artifacts"
REPLY_TIMEOUT_MS = 90_000  # one turn of the real assistant on a busy 2-core machine
UI_TIMEOUT_MS = 15_000

# In the page: the widget's shadow root. Predicates of wait_for_function must be functions
# ("() => ..."): the demo page's CSP forbids eval, and Playwright evaluates an expression
# anew on every poll (a function is evaluated once, before the page's CSP applies).
SHADOW = "document.querySelector('advisor-chat')?.shadowRoot"


class Widget:
    """One page's widget."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.launcher = page.locator("advisor-chat .launch")
        self.dialog = page.locator("advisor-chat [role=dialog]")
        self.log = page.locator("advisor-chat [role=log]")
        self.input = page.locator("advisor-chat textarea")
        self.root = page.locator("advisor-chat .root")
        self.notice = page.locator("advisor-chat .notice")
        self.language_button = page.locator("advisor-chat [aria-haspopup=menu]")
        self.menu = page.locator("advisor-chat [role=menu]")
        self.quick_replies = page.locator("advisor-chat .quick .qr")

    # -- actions --------------------------------------------------------------------------

    def wait_until_labelled(self) -> None:
        """The UI strings have arrived (the launcher has its localized label)."""
        self.page.wait_for_function(
            f"() => !!{SHADOW}?.querySelector('.intro')?.textContent", timeout=UI_TIMEOUT_MS)

    def open(self) -> None:
        self.wait_until_labelled()
        self.launcher.click()
        expect(self.dialog).to_be_visible(timeout=UI_TIMEOUT_MS)

    def bot_count(self) -> int:
        return self.page.locator("advisor-chat .msg.bot:not(.intro)").count()

    def wait_for_reply(self, bot_messages_before: int,
                       timeout: float = REPLY_TIMEOUT_MS) -> list[str]:
        """Wait until the bot answered everything sent; its new messages' texts."""
        self.page.wait_for_function(
            f"""n => {{ const r = {SHADOW};
                return !!r && r.querySelectorAll('.msg.bot:not(.intro)').length > n
                       && !r.querySelector('.msg.pending'); }}""",
            arg=bot_messages_before, timeout=timeout)
        return self.bot_texts()[bot_messages_before:]

    def say(self, text: str) -> list[str]:
        """Type `text`, press Enter, return the bot's new messages."""
        before = self.bot_count()
        self.input.fill(text)
        self.input.press("Enter")
        return self.wait_for_reply(before)

    def click_quick_reply(self, index: int = 0) -> tuple[str, list[str]]:
        """Click a quick reply; its title and the bot's answer."""
        button = self.quick_replies.nth(index)
        title = button.inner_text()
        before = self.bot_count()
        button.click()
        return title, self.wait_for_reply(before)

    def choose_language_with_keyboard(self, code: str) -> None:
        """Open the language menu with the keyboard, arrow to `code`, press Enter."""
        self.language_button.focus()
        self.page.keyboard.press("Enter")
        expect(self.menu).to_be_visible(timeout=UI_TIMEOUT_MS)
        for _ in range(12):
            if self.focused_attribute("data-code") == code:
                break
            self.page.keyboard.press("ArrowDown")
        assert self.focused_attribute("data-code") == code
        self.page.keyboard.press("Enter")
        expect(self.menu).to_be_hidden(timeout=UI_TIMEOUT_MS)

    # -- reading ----------------------------------------------------------------------------

    def bot_texts(self) -> list[str]:
        return self._texts(".msg.bot:not(.intro) > div")

    def user_texts(self) -> list[str]:
        return self._texts(".msg.user > div")

    def system_texts(self) -> list[str]:
        return self._texts(".sys")

    def _texts(self, selector: str) -> list[str]:
        return self.page.evaluate(
            f"s => [...{SHADOW}.querySelectorAll(s)].map(e => e.innerText.trim())", selector)

    def focused_attribute(self, name: str) -> str | None:
        """An attribute of the element focused inside the widget (None if none is)."""
        return self.page.evaluate(
            f"n => {{ const a = {SHADOW}.activeElement; return a ? a.getAttribute(n) : null; }}",
            name)

    def focused_tag(self) -> str | None:
        return self.page.evaluate(
            f"() => {{ const a = {SHADOW}.activeElement; return a ? a.tagName : null; }}")

    def strings(self) -> dict[str, str]:
        """The UI strings the widget shows (as fetched from the channel)."""
        return self.page.evaluate("() => document.querySelector('advisor-chat').S")

    def storage_key(self) -> str:
        return self.page.evaluate("() => document.querySelector('advisor-chat').key")

    def token(self) -> str | None:
        return self.page.evaluate("k => (JSON.parse(localStorage.getItem(k)) || {}).token",
                                  self.storage_key())

    def set_token(self, token: str) -> None:
        self.page.evaluate("([k, t]) => localStorage.setItem(k, JSON.stringify({token: t}))",
                           [self.storage_key(), token])

    def fetch(self, method: str, path: str, token: str | None,
              body: Any = None) -> dict[str, Any]:
        """A request to the channel from the page (cross-origin, as the widget makes it):
        {"status", "body"}."""
        base = self.page.evaluate("() => document.querySelector('advisor-chat').base")
        return self.page.evaluate(
            """async ([url, method, token, body]) => {
                const headers = {'Content-Type': 'application/json'};
                if (token) headers.Authorization = 'Bearer ' + token;
                const r = await fetch(url, {method, headers,
                    body: body === null ? undefined : JSON.stringify(body)});
                return {status: r.status, body: await r.json().catch(() => null)};
            }""", [base + path, method, token, body])

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / name
        self.page.mouse.move(1, 1)  # no hover effect where the last click was
        self.page.screenshot(path=str(path))
        return path


def token_sid(token: str) -> str:
    """The session id inside a token's (signed, not secret) payload."""
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))["sid"]


def tamper(token: str) -> str:
    """The token with one character of its signature changed."""
    last = "A" if token[-1] != "A" else "B"
    return token[:-2] + ("C" if token[-2] != "C" else "D") + last


def first_paragraph(text: str) -> str:
    """A bot text's first paragraph with whitespace normalised (as the widget shows it)."""
    return re.sub(r"\s+", " ", text.split("\n")[0]).strip()


def has_arabic(text: str) -> bool:
    return any("\u0600" <= char <= "\u06ff" for char in text)


def has_cjk(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)
