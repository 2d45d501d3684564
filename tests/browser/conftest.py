"""Fixtures of the widget's browser tests: Debian's Chromium driven by Playwright.

Chromium is the system one (/usr/bin/chromium, installed by `make test`'s `browser`
target); Playwright never downloads a browser here. Without it the tests are skipped.

Two sites serve the demo page (bot/channels/webchat/demo.py) on 127.0.0.1:
- `site`: the widget talks to the real assistant (the `assistant` fixture: Rasa with our
  credentials.yml, so the `webchat` channel); its demo page's origin is allowed through
  ADVISOR_WEBCHAT_ORIGINS, set here at import time, before the assistant is started;
- `fake_site`: the widget talks to the channel with a fake agent (tests/webchat), for the
  behaviour that needs no model: offline, reconnecting, keyboard, typing, mobile layout.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.channels.webchat import demo
from bot.channels.webchat.channel import ORIGINS_ENV, parse_origins
from tests.conftest import Assistant, free_port
from tests.webchat.fake_channel import ChannelServer, start_channel_server

CHROMIUM = Path(os.environ.get("ADVISOR_CHROMIUM") or "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

# The real assistant's demo page port, chosen now so that the Rasa server (started later,
# by whichever test first needs it) allows this origin.
DEMO_PORT = free_port()
DEMO_ORIGIN = f"http://127.0.0.1:{DEMO_PORT}"
os.environ[ORIGINS_ENV] = ",".join(filter(None, [os.environ.get(ORIGINS_ENV), DEMO_ORIGIN]))


@dataclass
class Site:
    """A demo page served on 127.0.0.1 whose widget talks to `rasa_url`."""

    origin: str
    rasa_url: str

    def url(self, language: str = "en") -> str:
        return f"{self.origin}/?lang={language}"


def _serve_demo(port: int, rasa_url: str) -> tuple[Site, Callable[[], None]]:
    server = demo.make_server("127.0.0.1", port, rasa_url)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return Site(f"http://127.0.0.1:{server.server_address[1]}", rasa_url), stop


@pytest.fixture(scope="session")
def chromium() -> Path:
    """The system Chromium; the browser tests are skipped when it is not installed."""
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM}: run `make browser` "
                    "(apt-get install chromium); Playwright must not download one")
    return CHROMIUM


@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[object]:
    """Headless system Chromium, one per test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium),
                                              args=CHROMIUM_ARGS, timeout=60_000)
        yield launched
        launched.close()


@pytest.fixture
def new_page(browser):  # type: ignore[no-untyped-def]
    """Pages in fresh browser contexts (own storage), closed after the test."""
    contexts = []

    def make(**options):  # type: ignore[no-untyped-def]
        context = browser.new_context(**{"viewport": {"width": 1280, "height": 800},
                                         **options})
        context.set_default_timeout(20_000)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def site(chromium: Path, assistant: Assistant) -> Iterator[Site]:
    """The demo page on DEMO_PORT, its widget talking to the real assistant (started only
    when Chromium is there to use it)."""
    running, stop = _serve_demo(DEMO_PORT, f"http://127.0.0.1:{assistant.rasa_port}")
    yield running
    stop()


@dataclass
class FakeSite(Site):
    channel: ChannelServer


@pytest.fixture(scope="module")
def fake_site() -> Iterator[FakeSite]:
    """The demo page, its widget talking to the channel with a fake, echoing agent."""
    channel, stop_channel = start_channel_server()
    served, stop_demo = _serve_demo(0, f"http://127.0.0.1:{channel.port}")
    channel.channel.origins = parse_origins(served.origin)
    yield FakeSite(served.origin, served.rasa_url, channel)
    stop_demo()
    stop_channel()


@pytest.fixture
def fake(fake_site: FakeSite) -> FakeSite:
    """The fake site with its agent reset to answering at once."""
    fake_site.channel.agent.mode = "echo"
    fake_site.channel.agent.delay = 0.0
    return fake_site
