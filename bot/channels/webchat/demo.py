"""The widget's demo: a mock agency page and the widget script, on a small static server.

    python -m bot.channels.webchat.demo [--port 8080] [--host 127.0.0.1]
                                        [--rasa-url http://localhost:5005]

`advisor run` starts it next to the assistant (http://localhost:8080/). The page embeds the
widget with one <script> tag, the way an agency would, and points it at the Rasa server;
`/?lang=ar` shows the page (and the widget) in another of the six languages. Only two files
are served: the page and `/advisor-widget.js`. The page's Content-Security-Policy allows
scripts from this server only and connections to the Rasa server only, which shows that the
widget needs neither inline scripts nor third-party hosts.
"""

from __future__ import annotations

import argparse
import html
import logging
import os
import sys
from collections.abc import Sequence
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from bot.channels.webchat import strings as widget_strings
from locales import SUPPORTED_LANGUAGES, translator

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"
WIDGET_FILE = "advisor-widget.js"
PAGE_FILE = "demo.html"
PORT_ENV = "ADVISOR_WEBCHAT_PORT"
DEFAULT_PORT = 8080


def default_rasa_url() -> str:
    """The Rasa server `advisor run` starts (ADVISOR_RASA_PORT, 5005 by default)."""
    return f"http://localhost:{os.environ.get('ADVISOR_RASA_PORT') or 5005}"


def render_page(language: str, rasa_url: str) -> str:
    """The demo page in `language`, its widget pointed at `rasa_url` (all values escaped)."""
    t = translator(language)
    texts = widget_strings.demo_strings(t.language)
    current = ' aria-current="page"'
    switcher = "\n".join(
        f'      <li><a href="/?lang={code}" lang="{code}" hreflang="{code}"'
        f'{current if code == t.language else ""}>'
        f"{html.escape(t.native_language_name(code))}</a></li>"
        for code in SUPPORTED_LANGUAGES)
    values = {
        "lang": t.language, "dir": t.direction, "rasa_url": rasa_url,
        "heading": texts["heading"], "tagline": texts["tagline"], "text": texts["text"],
        "language_label": texts["language"],
    }
    page = (STATIC_DIR / PAGE_FILE).read_text(encoding="utf-8")
    for key, value in values.items():
        page = page.replace("{{" + key + "}}", html.escape(value, quote=True))
    return page.replace("{{languages}}", switcher)


def content_security_policy(rasa_url: str) -> str:
    parts = urlsplit(rasa_url)
    return ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' https: data:; connect-src {parts.scheme}://{parts.netloc}; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


class DemoHandler(BaseHTTPRequestHandler):
    """GET / (the page, ?lang=xx) and GET /advisor-widget.js; nothing else."""

    server_version = "advisor-demo"
    rasa_url = "http://localhost:5005"

    def __init__(self, *args: object, rasa_url: str, **kwargs: object) -> None:
        self.rasa_url = rasa_url
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _serve(self, head: bool) -> None:
        url = urlsplit(self.path)
        headers = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
        if url.path in ("/", "/index.html"):
            language = widget_strings.language_of(parse_qs(url.query).get("lang", [""])[0])
            body = render_page(language, self.rasa_url).encode("utf-8")
            headers.update({"Content-Type": "text/html; charset=utf-8",
                            "Content-Security-Policy": content_security_policy(self.rasa_url),
                            "Cache-Control": "no-store"})
        elif url.path == "/" + WIDGET_FILE:
            body = (STATIC_DIR / WIDGET_FILE).read_bytes()
            headers.update({"Content-Type": "text/javascript; charset=utf-8",
                            "Cache-Control": "no-cache"})
        elif url.path == "/favicon.ico":
            self._send(HTTPStatus.NO_CONTENT, headers, b"", head)
            return
        else:
            body = b"Not found\n"
            headers["Content-Type"] = "text/plain; charset=utf-8"
            self._send(HTTPStatus.NOT_FOUND, headers, body, head)
            return
        self._send(HTTPStatus.OK, headers, body, head)

    def _send(self, status: HTTPStatus, headers: dict[str, str], body: bytes,
              head: bool) -> None:
        self.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("%s - %s", self.address_string(), format % args)


def make_server(host: str, port: int, rasa_url: str) -> ThreadingHTTPServer:
    """The demo server bound to host:port (port 0: any free port); call serve_forever()."""
    server = ThreadingHTTPServer((host, port), partial(DemoHandler, rasa_url=rasa_url.rstrip("/")))
    server.daemon_threads = True
    return server


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.channels.webchat.demo",
                                     description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int,
                        default=int(os.environ.get(PORT_ENV) or DEFAULT_PORT))
    parser.add_argument("--rasa-url", default=default_rasa_url(),
                        help="the Rasa server the widget talks to (default: %(default)s)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=os.environ.get("ADVISOR_LOG_LEVEL", "INFO"),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        server = make_server(args.host, args.port, args.rasa_url)
    except OSError as error:
        print(f"Widget demo: cannot listen on {args.host}:{args.port} ({error}); set "
              f"{PORT_ENV} to another port", file=sys.stderr)
        return 1
    logger.info("Widget demo on http://localhost:%d/ (Rasa at %s)", args.port, args.rasa_url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
