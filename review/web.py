"""The web review page: the NLU inbox in a browser, intents corrected with one click.

A maintainers' tool (English only), served by the standard library's threading HTTP
server: one page, a few forms, no JavaScript, no framework state to share with Rasa.

Security, since user messages are hostile input and the page writes training data:
- a login token (ADVISOR_REVIEW_TOKEN or --token) is required to start; the login form
  compares SHA-256 digests of the typed and the real token with `hmac.compare_digest`,
  so the comparison takes the same time whatever the input;
- a login yields a random session id in an HttpOnly, SameSite=Strict cookie; every
  form post carries that session's CSRF token (compared in constant time), and a post
  whose Origin header names another site is refused. Scripts may instead send
  `Authorization: Bearer <token>`, which browsers never add on their own;
- every text is HTML-escaped, Arabic and other right-to-left text gets `dir="auto"`, and
  the Content-Security-Policy forbids scripts, frames and foreign form targets.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import json
import logging
import secrets
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.cookies import CookieError, SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from review.conversations import format_time, parse_time
from review.examples import JunkList, TrainingIndex, intent_choices, write_reviewed
from review.inbox import InboxFilter, InboxItem, build
from review.project import Project, ReviewError
from review.store import TrackerEvents

logger = logging.getLogger(__name__)

COOKIE = "advisor_review"
SESSION_SECONDS = 8 * 3600
MAX_BODY = 64 * 1024
MIN_TOKEN_LENGTH = 16
PAGE_LIMIT = 200
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Not no-referrer: under it browsers send `Origin: null` with the page's own form posts,
    # which the cross-site check must refuse.
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
FILTER_FIELDS = ("language", "intent", "below", "fallback", "since", "until", "known")


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Session:
    csrf: str
    expires: float
    flash: str = ""


def _digest(value: str) -> bytes:
    return hashlib.sha256(value.encode("utf-8")).digest()


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


class ReviewApp:
    """The page's logic, independent of the HTTP server (tests call `handle`)."""

    def __init__(self, project: Project, tracker_url: str, token: str,
                 secure_cookie: bool = False, clock: Callable[[], float] = time.time) -> None:
        if len(token) < MIN_TOKEN_LENGTH:
            raise ReviewError(f"The review token must be at least {MIN_TOKEN_LENGTH} "
                              "characters (e.g. `openssl rand -hex 32`)")
        self.project = project
        self.store = TrackerEvents(tracker_url)
        self._token = _digest(token)
        self.secure_cookie = secure_cookie
        self.clock = clock
        self.sessions: dict[str, Session] = {}
        self.lock = threading.Lock()              # one write to the training data at a time

    # -- authentication -------------------------------------------------------------------

    def token_ok(self, given: str) -> bool:
        return hmac.compare_digest(_digest(given), self._token)

    def _session(self, headers: dict[str, str]) -> tuple[str, Session] | None:
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except CookieError:                   # a malformed cookie is simply no session
            return None
        morsel = cookie.get(COOKIE)
        if morsel is None:
            return None
        session = self.sessions.get(morsel.value)
        if session is None or session.expires < self.clock():
            self.sessions.pop(morsel.value, None)
            return None
        return morsel.value, session

    def _bearer(self, headers: dict[str, str]) -> bool:
        scheme, _, value = headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and self.token_ok(value.strip())

    @staticmethod
    def _foreign_origin(headers: dict[str, str]) -> bool:
        origin = headers.get("origin")
        if not origin or origin == "null":
            return origin == "null"
        return urllib.parse.urlsplit(origin).netloc != headers.get("host", "")

    # -- dispatch -------------------------------------------------------------------------

    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes
               ) -> Response:
        """Answer one request. `headers` have lower-case names."""
        url = urllib.parse.urlsplit(target)
        query = urllib.parse.parse_qs(url.query)
        if method == "POST" and self._foreign_origin(headers):
            return self._plain(HTTPStatus.FORBIDDEN, "Cross-site form posts are refused.")
        if (method, url.path) == ("POST", "/login"):
            return self._login(_form(body))
        current = self._session(headers)
        bearer = self._bearer(headers)
        if url.path == "/" and method == "GET":
            if current is None and not bearer:
                return self._login_page()
            return self._inbox_page(query, current)
        if url.path == "/api/inbox" and method == "GET":
            if current is None and not bearer:
                return self._plain(HTTPStatus.UNAUTHORIZED, "Log in or send a bearer token.")
            items = self._inbox(query)
            return Response(HTTPStatus.OK, json.dumps([i.as_dict() for i in items],
                                                      ensure_ascii=False).encode("utf-8"),
                            {"Content-Type": "application/json; charset=utf-8"})
        if method == "POST" and url.path in ("/review", "/logout"):
            form = _form(body)
            if not bearer:
                if current is None:
                    return self._plain(HTTPStatus.UNAUTHORIZED, "Your session has ended: "
                                       "log in again.")
                if not hmac.compare_digest(form.get("csrf", "").encode(),
                                           current[1].csrf.encode()):
                    return self._plain(HTTPStatus.FORBIDDEN, "Invalid form token: reload "
                                       "the page and try again.")
            if url.path == "/logout":
                if current:
                    self.sessions.pop(current[0], None)
                return self._redirect("/", clear_cookie=True)
            return self._review(form, current[1] if current else None)
        return self._plain(HTTPStatus.NOT_FOUND, "Not found.")

    # -- pages ----------------------------------------------------------------------------

    def _login(self, form: dict[str, str]) -> Response:
        if not self.token_ok(form.get("token", "")):
            time.sleep(0.5)                       # slows guessing; threads keep serving
            return self._login_page("Wrong token.", HTTPStatus.FORBIDDEN)
        self.sessions = {k: s for k, s in self.sessions.items() if s.expires >= self.clock()}
        session_id = secrets.token_urlsafe(32)
        self.sessions[session_id] = Session(secrets.token_urlsafe(32),
                                            self.clock() + SESSION_SECONDS)
        cookie = (f"{COOKIE}={session_id}; HttpOnly; SameSite=Strict; Path=/; "
                  f"Max-Age={SESSION_SECONDS}" + ("; Secure" if self.secure_cookie else ""))
        return self._redirect("/", cookie=cookie)

    def _login_page(self, message: str = "", status: int = HTTPStatus.OK) -> Response:
        note = f"<p class=err>{_esc(message)}</p>" if message else ""
        return self._html(status, "Log in", f"""{note}
<form method=post action="/login"><label>Review token
<input type=password name=token autocomplete=current-password autofocus></label>
<button>Log in</button></form>""")

    def _filters(self, query: dict[str, list[str]]) -> tuple[InboxFilter, dict[str, str]]:
        values = {name: (query.get(name) or [""])[0].strip() for name in FILTER_FIELDS}
        try:
            below = float(values["below"]) if values["below"] else None
            since, until = parse_time(values["since"]), parse_time(values["until"])
        except (ValueError, ReviewError):
            below, since, until = None, None, None
            values.update(below="", since="", until="")
        selection = InboxFilter(
            since=since, until=until,
            languages=frozenset([values["language"]]) if values["language"] else frozenset(),
            intents=frozenset([values["intent"]]) if values["intent"] else frozenset(),
            below=below, fallback_only=values["fallback"] == "1",
            include_known=values["known"] == "1")
        return selection, {k: v for k, v in values.items() if v}

    def _inbox(self, query: dict[str, list[str]]) -> list[InboxItem]:
        selection, _ = self._filters(query)
        return build(self.store, selection, TrainingIndex.load(self.project),
                     JunkList(self.project))

    def _inbox_page(self, query: dict[str, list[str]],
                    current: tuple[str, Session] | None) -> Response:
        selection, values = self._filters(query)
        index = TrainingIndex.load(self.project)
        items = build(self.store, selection, index, JunkList(self.project))
        choices = intent_choices(self.project, index)
        languages = self.project.languages()
        csrf = current[1].csrf if current else ""
        flash = ""
        if current and current[1].flash:
            flash, current[1].flash = f"<p class=note>{_esc(current[1].flash)}</p>", ""
        back = urllib.parse.urlencode(values)
        rows = [self._row(item, choices, languages, csrf, back)
                for item in items[:PAGE_LIMIT]]
        more = (f"<p>Showing the first {PAGE_LIMIT} of {len(items)}; narrow the filters.</p>"
                if len(items) > PAGE_LIMIT else "")
        body = f"""<form method=post action="/logout" class=logout>
<input type=hidden name=csrf value="{_esc(csrf)}"><button>Log out</button></form>
{flash}{self._filter_form(values, choices, languages)}
<p>{len(items)} message(s), most frequent first. Saving writes the message with the
chosen intent to <code>nlu/data/&lt;lang&gt;/reviewed.yml</code>; then run
<code>advisor retrain</code>.</p>{more}
<table><tr><th>seen</th><th>lang</th><th>predicted</th><th>message</th><th>decision</th></tr>
{''.join(rows)}</table>"""
        return self._html(HTTPStatus.OK, "NLU inbox", body)

    @staticmethod
    def _options(choices: list[str], selected: str | None, empty: str | None = None) -> str:
        options = [f'<option value="">{_esc(empty)}</option>'] if empty is not None else []
        options += [f'<option value="{_esc(c)}"{" selected" if c == selected else ""}>'
                    f"{_esc(c)}</option>" for c in choices]
        return "".join(options)

    def _filter_form(self, values: dict[str, str], choices: list[str],
                     languages: list[str]) -> str:
        checked = {name: " checked" if values.get(name) == "1" else ""
                   for name in ("fallback", "known")}
        return f"""<form method=get action="/" class=filters>
<label>language <select name=language>{self._options(languages, values.get("language"),
                                                       "any")}</select></label>
<label>intent <select name=intent>{self._options(choices, values.get("intent"), "any")}
</select></label>
<label>confidence below <input name=below size=4 value="{_esc(values.get("below", ""))}">
</label>
<label><input type=checkbox name=fallback value=1{checked["fallback"]}> fallback only</label>
<label>since <input name=since size=10 placeholder="7d or 2025-01-31"
 value="{_esc(values.get("since", ""))}"></label>
<label>until <input name=until size=10 value="{_esc(values.get("until", ""))}"></label>
<label><input type=checkbox name=known value=1{checked["known"]}> include known and junk
</label> <button>Filter</button></form>"""

    def _row(self, item: InboxItem, choices: list[str], languages: list[str], csrf: str,
             back: str) -> str:
        entities = ", ".join(f"{e.entity}: {item.text[e.start:e.end]}"
                             for e in item.entity_spans())
        fallback = " <b>fallback</b>" if item.latest.fallback else ""
        known = (f"<div class=meta>in training data as {_esc(item.known_intent)}</div>"
                 if item.known_intent else "")
        return f"""<tr><td>{item.count}&times;<div class=meta>{len(item.senders)} user(s)
<br>{_esc(format_time(item.last_seen)[:16])}</div></td>
<td>{_esc(item.language or "?")}</td>
<td>{_esc(item.intent or "?")}<div class=meta>{item.confidence:.2f}{fallback}</div></td>
<td><div dir=auto class=text>{_esc(item.text)}</div>
<div class=meta>{_esc(entities)}</div>{known}</td>
<td><form method=post action="/review">
<input type=hidden name=csrf value="{_esc(csrf)}"><input type=hidden name=id value="{item.id}">
<input type=hidden name=back value="{_esc(back)}">
<select name=intent>{self._options(choices, item.intent,
                                     None if item.intent in choices else "choose…")}</select>
<select name=language>{self._options(languages, item.language,
                                     None if item.language in languages else "?")}</select>
<button name=action value=accept>Save</button>
<button name=action value=junk class=junk>Junk</button></form></td></tr>
"""

    def _review(self, form: dict[str, str], session: Session | None) -> Response:
        """Save one decision: the example with the chosen intent and language, or junk."""
        back = urllib.parse.parse_qs(form.get("back", ""))
        location = "/?" + urllib.parse.urlencode(
            {k: v[0] for k, v in back.items() if k in FILTER_FIELDS and v})
        everything = InboxFilter(include_known=True)
        with self.lock:
            index = TrainingIndex.load(self.project)
            junk = JunkList(self.project)
            item = next((i for i in build(self.store, everything, index, junk)
                         if i.id == form.get("id")), None)
            if item is None:
                message = "That message is no longer in the tracker store."
            elif form.get("action") == "junk":
                junk.add(item.id)
                junk.save()
                message = "Discarded as junk."
            elif form.get("action") == "accept" and not (form.get("intent")
                                                         and form.get("language")):
                message = "Not saved: choose an intent and a language first."
            elif form.get("action") == "accept":
                report = write_reviewed(self.project, [item.as_example(
                    form["intent"], form["language"])], index)
                if report.added:
                    example = report.added[0]
                    message = (f"Saved as {example.intent} "
                               f"in {self.project.reviewed_file(example.language).name} "
                               f"({example.language}).")
                elif report.duplicates:
                    message = f"Already in the training data (as {report.duplicates[0][1]})."
                else:
                    message = f"Not saved: {report.refused[0][1]}."
            else:
                return self._plain(HTTPStatus.BAD_REQUEST, "Unknown action.")
        if session is None:          # a script with a bearer token: answer in JSON
            return Response(HTTPStatus.OK, json.dumps({"message": message}).encode("utf-8"),
                            {"Content-Type": "application/json; charset=utf-8"})
        session.flash = message
        return self._redirect(location)

    # -- responses ------------------------------------------------------------------------

    @staticmethod
    def _html(status: int, title: str, body: str) -> Response:
        page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_esc(title)} · advisor review</title><style>
body {{ font: 14px/1.4 system-ui, sans-serif; margin: 1rem 2rem; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ border-bottom: 1px solid #ddd; padding: .35rem; vertical-align: top; text-align: left; }}
.meta {{ color: #666; font-size: 12px; }} .text {{ white-space: pre-wrap;
overflow-wrap: anywhere; max-width: 40rem; }} .err {{ color: #b00020; }}
.note {{ background: #e6f4ea; padding: .4rem; }} .filters label {{ margin-right: .8rem; }}
.logout {{ float: right; }} .junk {{ color: #b00020; }}
</style></head><body><h1>{_esc(title)}</h1>
{body}
</body></html>
"""
        return Response(status, page.encode("utf-8"), {"Content-Type": "text/html; charset=utf-8"})

    @staticmethod
    def _plain(status: int, text: str) -> Response:
        return Response(status, text.encode("utf-8"), {"Content-Type": "text/plain; charset=utf-8"})

    def _redirect(self, location: str, cookie: str | None = None,
                  clear_cookie: bool = False) -> Response:
        headers = {"Location": location}
        if cookie:
            headers["Set-Cookie"] = cookie
        if clear_cookie:
            headers["Set-Cookie"] = f"{COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"
        return Response(HTTPStatus.SEE_OTHER, b"", headers)


def _form(body: bytes) -> dict[str, str]:
    fields = urllib.parse.parse_qs(body.decode("utf-8", errors="replace"), max_num_fields=50)
    return {name: values[0] for name, values in fields.items()}


def make_server(app: ReviewApp, host: str, port: int) -> ThreadingHTTPServer:
    """An HTTP server for `app` (call serve_forever; port 0 picks a free one)."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "advisor-review"
        sys_version = ""

        def _answer(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                response = app._plain(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "Too large.")
            else:
                body = self.rfile.read(length) if length else b""
                headers = {name.lower(): value for name, value in self.headers.items()}
                try:
                    response = app.handle(method, self.path, headers, body)
                except Exception:             # never show a traceback to the browser
                    logger.exception("error answering %s %s", method, self.path)
                    response = app._plain(HTTPStatus.INTERNAL_SERVER_ERROR, "Server error.")
            self.send_response(response.status)
            for name, value in {**SECURITY_HEADERS, **response.headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            self.wfile.write(response.body)

        def do_GET(self) -> None:
            self._answer("GET")

        def do_POST(self) -> None:
            self._answer("POST")

    return ThreadingHTTPServer((host, port), Handler)
