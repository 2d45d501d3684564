"""The web review page: login token, sessions, CSRF, escaping, writing reviewed examples."""

from __future__ import annotations

import http.cookiejar
import json
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest

from bot import cli
from review.project import Project, ReviewError
from review.web import Response, ReviewApp, make_server
from tests.review.conftest import HOSTILE

TOKEN = "s3cret-review-token-for-tests"


@pytest.fixture
def app(tracker_url: str, small_project: Project) -> ReviewApp:
    return ReviewApp(small_project, tracker_url, TOKEN)


def _form(**fields: str) -> bytes:
    return urllib.parse.urlencode(fields).encode()


def _login(app: ReviewApp) -> dict[str, str]:
    """Headers of a logged-in browser, and its CSRF token under "csrf"."""
    response = app.handle("POST", "/login", {"host": "h"}, _form(token=TOKEN))
    assert response.status == 303
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    headers = {"cookie": cookie.split(";")[0], "host": "h"}
    page = app.handle("GET", "/", headers, b"")
    csrf = re.search(r'name=csrf value="([^"]+)"', page.body.decode()).group(1)
    return {**headers, "csrf": csrf}


def _item_id(page: Response, text: str) -> str:
    body = page.body.decode()
    row = body[body.index(text):]
    return re.search(r'name=id value="([0-9a-f]{16})"', row).group(1)


def test_refuses_to_start_without_a_token(tracker_url: str, small_project: Project,
                                          monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("ADVISOR_REVIEW_TOKEN", raising=False)
    assert cli.main(["transcripts", "serve", "--tracker-url", tracker_url]) == 2
    assert "ADVISOR_REVIEW_TOKEN" in capsys.readouterr().err
    with pytest.raises(ReviewError, match="at least"):
        ReviewApp(small_project, tracker_url, "short")


def test_login(app: ReviewApp) -> None:
    page = app.handle("GET", "/", {}, b"")
    assert page.status == 200 and b"Review token" in page.body and HOSTILE.encode() not in page.body
    assert app.handle("POST", "/login", {}, _form(token="wrong" * 5)).status == 403
    assert app.handle("GET", "/api/inbox", {}, b"").status == 401
    assert app.handle("GET", "/", {"cookie": "advisor_review=forged"}, b"").body == page.body


def test_inbox_page_escapes_user_text(app: ReviewApp) -> None:
    headers = _login(app)
    page = app.handle("GET", "/", headers, b"")
    body = page.body.decode()
    # Predicted intents the project does not have are not pre-selected as something else.
    row = body[body.index("ODI filing"):]
    assert '<option value="">choose…</option>' in row[: row.index("</select>")]
    assert "<script>alert" not in body and "&lt;script&gt;alert(&quot;x&quot;)" in body
    assert "<img src=x" not in body
    assert "dir=auto" in body and "Pakistán" in body
    filtered = app.handle("GET", "/?language=es&below=0.6", headers, b"").body.decode()
    assert "Pakistán" in filtered and "Hola" not in filtered


def test_correcting_an_intent_writes_training_data(app: ReviewApp,
                                                   small_project: Project) -> None:
    headers = _login(app)
    csrf = headers.pop("csrf")
    page = app.handle("GET", "/", headers, b"")
    item = _item_id(page, "distributor in Egypt")
    fields = {"id": item, "intent": "find_partner", "language": "en", "action": "accept",
              "back": "language=en"}
    assert app.handle("POST", "/review", headers, _form(**fields)).status == 403   # no CSRF
    assert app.handle("POST", "/review", headers, _form(csrf="x" * 43, **fields)).status == 403
    foreign = {**headers, "origin": "https://evil.example"}
    assert app.handle("POST", "/review", foreign, _form(csrf=csrf, **fields)).status == 403
    sandboxed = {**headers, "origin": "null"}
    assert app.handle("POST", "/review", sandboxed, _form(csrf=csrf, **fields)).status == 403
    unchosen = app.handle("POST", "/review", headers, _form(csrf=csrf, **{**fields,
                                                                         "intent": ""}))
    assert unchosen.status == 303 and not small_project.reviewed_file("en").exists()
    assert "choose an intent" in app.handle("GET", "/", headers, b"").body.decode()
    same_site = {**headers, "origin": "http://h"}         # what browsers send (same-origin)
    done = app.handle("POST", "/review", same_site, _form(csrf=csrf, **fields))
    assert done.status == 303 and done.headers["Location"] == "/?language=en"
    written = small_project.reviewed_file("en").read_text(encoding="utf-8")
    assert "- intent: find_partner" in written and "[Egypt](country)" in written
    after = app.handle("GET", "/", headers, b"").body.decode()
    assert "Saved as find_partner" in after and "distributor in Egypt" not in after
    junk = _item_id(app.handle("GET", "/", headers, b""), "&lt;script&gt;")
    assert app.handle("POST", "/review", headers, _form(
        csrf=csrf, id=junk, action="junk")).status == 303
    assert "&lt;script&gt;" not in app.handle("GET", "/", headers, b"").body.decode()
    assert app.handle("POST", "/logout", headers, _form(csrf=csrf)).status == 303
    assert b"Review token" in app.handle("GET", "/", headers, b"").body


def test_bearer_token_for_scripts(app: ReviewApp, small_project: Project) -> None:
    bearer = {"authorization": f"Bearer {TOKEN}"}
    response = app.handle("GET", "/api/inbox?language=es", bearer, b"")
    rows = json.loads(response.body)
    target = next(row for row in rows if "Pakistán" in row["text"])
    answer = app.handle("POST", "/review", bearer, _form(id=target["id"], intent="country_risk",
                                                          language="es", action="accept"))
    assert json.loads(answer.body)["message"].startswith("Saved as country_risk")
    assert "Pakistán" in small_project.reviewed_file("es").read_text(encoding="utf-8")
    wrong = {"authorization": "Bearer " + "x" * len(TOKEN)}
    assert app.handle("POST", "/review", wrong, _form(id=target["id"])).status == 401


def test_over_http(app: ReviewApp) -> None:
    server = make_server(app, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        with opener.open(base + "/login", data=_form(token=TOKEN)) as reply:
            page = reply.read().decode()
            assert reply.status == 200 and "NLU inbox" in page
            assert "script-src" not in reply.headers["Content-Security-Policy"]
            assert reply.headers["X-Frame-Options"] == "DENY"
            # With no-referrer, browsers would send `Origin: null` on the page's own posts.
            assert reply.headers["Referrer-Policy"] == "same-origin"
        with pytest.raises(urllib.error.HTTPError) as refused:
            opener.open(base + "/review", data=_form(id="0" * 16, action="accept"))
        assert refused.value.code == 403
    finally:
        server.shutdown()
        server.server_close()
