"""The widget script and the demo page as files: size, no dependencies, no HTML sinks."""

from __future__ import annotations

import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from bot.channels.webchat import demo, strings
from bot.channels.webchat.demo import STATIC_DIR
from locales import SUPPORTED_LANGUAGES

WIDGET = STATIC_DIR / "advisor-widget.js"
MAX_WIDGET_BYTES = 30 * 1024


def widget_source() -> str:
    return WIDGET.read_text(encoding="utf-8")


def test_the_widget_is_at_most_30_kb_unminified() -> None:
    assert WIDGET.stat().st_size <= MAX_WIDGET_BYTES, WIDGET.stat().st_size


def test_the_widget_never_parses_text_as_html() -> None:
    code = widget_source()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                 "new Function", "srcdoc", "createContextualFragment", "DOMParser"):
        assert sink not in code, sink


def test_the_widget_loads_nothing_from_elsewhere() -> None:
    code = widget_source()
    assert not re.search(r"\bimport\b|importScripts|require\(", code)
    urls = set(re.findall(r"https?://[^\s'\"`)]+", code))
    # Only the SVG namespace and the documentation's placeholder host.
    assert urls <= {"http://www.w3.org/2000/svg", "https://advisor.example/advisor-widget.js",
                    "https://advisor.example"}, urls


def test_the_widget_uses_exactly_the_ui_strings_there_are() -> None:
    code = widget_source()
    known = set(strings.keys())
    referenced = set(re.findall(r"\bS\.([a-z_]+)", code))
    assert referenced and referenced <= known, referenced - known
    quoted = set(re.findall(r"'([a-z_]+)'", code))
    assert known <= referenced | quoted, known - referenced - quoted


def test_the_widget_holds_no_translations() -> None:
    # Texts come from the channel; the script's string literals are code, CSS or markup.
    code = widget_source()
    english = strings.widget_strings("en")["strings"]
    for language in SUPPORTED_LANGUAGES:
        for key, text in strings.widget_strings(language)["strings"].items():
            if text != english[key] or len(text) > 12:
                assert text not in code, (language, key)


# -- the demo server -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_url() -> Iterator[str]:
    server = demo.make_server("127.0.0.1", 0, "http://127.0.0.1:5999")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def get(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as reply:
            return reply.status, dict(reply.headers), reply.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8")


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_the_demo_page_in_each_language(demo_url: str, language: str) -> None:
    status, headers, page = get(f"{demo_url}/?lang={language}")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in page
    assert f'data-lang="{language}"' in page and 'data-server="http://127.0.0.1:5999"' in page
    assert page.count('href="/?lang=') == len(SUPPORTED_LANGUAGES)
    assert "{{" not in page and "<script>" not in page  # no inline script: CSP-friendly
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "connect-src http://127.0.0.1:5999" in policy


def test_the_demo_serves_the_widget(demo_url: str) -> None:
    status, headers, code = get(f"{demo_url}/advisor-widget.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    assert code == widget_source()


@pytest.mark.parametrize("path", ["/demo.html", "/../demo.py", "/static/advisor-widget.js",
                                  "/%2e%2e/channel.py", "/nothing"])
def test_the_demo_serves_nothing_else(demo_url: str, path: str) -> None:
    assert get(demo_url + path)[0] == 404


def test_the_demo_page_escapes_its_values() -> None:
    page = demo.render_page("en", 'http://x"><script>alert(1)</script>')
    assert "<script>alert" not in page and "&quot;&gt;&lt;script&gt;" in page
