"""The webchat channel over HTTP: sessions, tokens, CORS, limits, history, strings."""

from __future__ import annotations

import json

import pytest

from bot import nlg
from bot.channels.rest import MAX_MESSAGE_CHARS, TRUNCATION_KEY
from bot.channels.webchat import channel as webchat
from bot.channels.webchat.channel import WebchatInput, parse_origins
from bot.channels.webchat.tokens import TokenSigner
from locales import SUPPORTED_LANGUAGES
from tests.webchat.fake_channel import ORIGIN, ChannelServer


def say(server: ChannelServer, token: str, text: object, **metadata: object) -> dict:
    status, _, body = server.call("POST", "/message",
                                  {"message": text, "metadata": metadata}, token=token)
    assert status == 200, body
    return body


# -- sessions and tokens --------------------------------------------------------------------


def test_a_session_is_issued_and_the_sender_comes_from_it(server: ChannelServer) -> None:
    status, _, body = server.call("POST", "/session", {})
    assert status == 200 and body["token"].startswith("v1.") and body["renewed"] is False
    assert body["expires_at"] > 0 and "sender" not in body
    say(server, body["token"], "hello", language="en")
    sender = server.agent.received[-1].sender_id
    assert sender == server.channel.signer.verify(body["token"]).sender
    assert sender.startswith("webchat:") and server.agent.received[-1].input_channel == "webchat"


def test_a_sender_in_the_body_is_ignored(server: ChannelServer) -> None:
    token = server.new_token()
    server.call("POST", "/message", {"message": "hi", "sender": "alice"}, token=token)
    assert server.agent.received[-1].sender_id != "alice"


def test_renewing_keeps_the_conversation(server: ChannelServer) -> None:
    token = server.new_token()
    say(server, token, "first")
    status, _, body = server.call("POST", "/session", {}, token=token)
    assert status == 200 and body["renewed"] is True
    assert server.channel.signer.verify(body["token"]).sid == \
        server.channel.signer.verify(token).sid
    status, _, history = server.call("GET", "/history", token=body["token"])
    assert [m["text"] for m in history["messages"]] == ["first", "echo: first"]


def test_the_token_can_also_be_renewed_from_the_body(server: ChannelServer) -> None:
    token = server.new_token()
    status, _, body = server.call("POST", "/session", {"token": token})
    assert status == 200 and body["renewed"] is True


@pytest.mark.parametrize("path,method", [("/message", "POST"), ("/history", "GET")])
def test_no_token_is_a_401(server: ChannelServer, path: str, method: str) -> None:
    status, _, body = server.call(method, path, {"message": "hi"} if method == "POST" else None)
    assert status == 401 and body["error"] == "missing_token" and body["reason"]
    assert not server.agent.received


def test_a_tampered_token_is_a_403_everywhere(server: ChannelServer) -> None:
    token = server.new_token()
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for method, path in (("POST", "/message"), ("GET", "/history"), ("POST", "/session")):
        status, headers, body = server.call(
            method, path, {"message": "hi"} if method == "POST" else None, token=tampered)
        assert status == 403 and body["error"] == "invalid_token", (path, body)
        # The browser may read why (CORS headers are on refusals too).
        assert headers.get("access-control-allow-origin") == ORIGIN
    assert not server.agent.received


def test_another_users_conversation_cannot_be_read(server: ChannelServer) -> None:
    victim = server.new_token()
    say(server, victim, "my secret export plan")
    attacker = server.new_token()
    status, _, history = server.call("GET", "/history", token=attacker)
    assert status == 200 and history["messages"] == []
    # Splicing the victim's payload onto the attacker's signature does not work.
    spliced = ".".join([*victim.split(".")[:2], attacker.split(".")[2]])
    assert server.call("GET", "/history", token=spliced)[0] == 403


def test_an_expired_token_is_a_401_with_its_reason(server: ChannelServer) -> None:
    old = TokenSigner(b"s" * 32, ttl_seconds=60, clock=lambda: 1_000_000.0)
    token, _ = old.issue()  # signed with the server's secret, expired long ago
    status, _, body = server.call("POST", "/message", {"message": "hi"}, token=token)
    assert status == 401 and body["error"] == "token_expired"
    assert server.call("POST", "/session", {}, token=token)[0] == 401


# -- messages -----------------------------------------------------------------------------


def test_the_bot_messages_come_back_with_quick_replies(server: ChannelServer) -> None:
    body = say(server, server.new_token(), "hello", language="fr")
    assert body["messages"] == [{"text": "echo: hello", "buttons": [
        {"title": "Financing", "payload": "/ask_financing"}]}]
    assert body["language"] == "fr"
    assert server.agent.received[-1].metadata == {"language": "fr"}


def test_only_a_language_hint_and_a_button_label_are_kept(server: ChannelServer) -> None:
    token = server.new_token()
    say(server, token, "/ask_financing", language="zh-CN", label="融资", sender="x",
        evil={"a": 1})
    assert server.agent.received[-1].metadata == {"language": "zh", "label": "融资"}
    say(server, token, "typed text", language="klingon", label="not a button")
    assert server.agent.received[-1].metadata == {}
    _, _, history = server.call("GET", "/history", token=token)
    assert [m["text"] for m in history["messages"] if m["from"] == "user"] == \
        ["融资", "typed text"]


def test_text_is_cleaned_and_cut_like_the_rest_channel(server: ChannelServer) -> None:
    token = server.new_token()
    say(server, token, "hel\x00lo\x07")
    assert server.agent.received[-1].text == "hello"
    say(server, token, "word " * 2000)
    received = server.agent.received[-1]
    assert len(received.text) <= MAX_MESSAGE_CHARS
    assert received.metadata[TRUNCATION_KEY] == MAX_MESSAGE_CHARS


def test_an_empty_message_gets_the_localized_prompt_without_a_turn(
        server: ChannelServer) -> None:
    body = say(server, server.new_token(), "   ", language="es")
    assert [m["text"] for m in body["messages"]] == \
        [nlg.render("utter_empty_message", "es")["text"]]
    assert not server.agent.received


@pytest.mark.parametrize("mode,response", [("fail", "utter_error"),
                                           ("silent", "utter_service_unavailable")])
def test_a_turn_without_reply_gets_a_localized_fault_reply(
        server: ChannelServer, mode: str, response: str) -> None:
    server.agent.mode = mode
    body = say(server, server.new_token(), "bonjour", language="fr")
    assert [m["text"] for m in body["messages"]] == [nlg.render(response, "fr")["text"]]


def test_bot_html_is_passed_as_text_and_unsafe_buttons_dropped() -> None:
    shown = webchat.bot_message("<b>hi</b>", {"buttons": [
        {"title": "ok", "payload": "/affirm"}, {"title": "js", "url": "javascript:alert(1)"},
        {"title": "web", "url": "https://example.org"}, {"payload": "/no_title"}, "junk"]})
    assert shown == {"text": "<b>hi</b>", "buttons": [
        {"title": "ok", "payload": "/affirm"}, {"title": "web", "url": "https://example.org"}]}


# -- limits and bad requests ---------------------------------------------------------------


def test_a_large_body_is_refused_unread(server: ChannelServer) -> None:
    token = server.new_token()
    big = json.dumps({"message": "x" * 70_000}).encode()
    status, _, body = server.call("POST", "/message", raw=big, token=token)
    assert status == 413 and body["error"] == "too_large"
    assert server.call("POST", "/session", raw=big)[0] == 413
    assert not server.agent.received


@pytest.mark.parametrize("raw", [b"not json", b"[1, 2]", b"\xff\xfe"])
def test_a_body_that_is_not_a_json_object_is_a_400(server: ChannelServer, raw: bytes) -> None:
    status, _, body = server.call("POST", "/message", raw=raw, token=server.new_token())
    assert status == 400 and body["error"] == "bad_request"


# -- CORS -----------------------------------------------------------------------------------


def test_a_preflight_from_an_allowed_origin_is_answered(server: ChannelServer) -> None:
    status, headers, _ = server.call("OPTIONS", "/message", headers={
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"})
    assert status == 204
    assert headers["access-control-allow-origin"] == ORIGIN
    assert "Authorization" in headers["access-control-allow-headers"]
    assert "POST" in headers["access-control-allow-methods"]
    assert "access-control-allow-credentials" not in headers  # no cookies are involved


@pytest.mark.parametrize("method,path", [("OPTIONS", "/message"), ("POST", "/session"),
                                         ("GET", "/strings?lang=en")])
def test_other_origins_are_refused(server: ChannelServer, method: str, path: str) -> None:
    status, headers, body = server.call(method, path, {} if method == "POST" else None,
                                        origin="https://evil.example",
                                        headers={"Access-Control-Request-Method": "POST"})
    assert status == 403 and body["error"] == "origin_not_allowed"
    assert not any(name.startswith("access-control-") for name in headers)


def test_requests_without_an_origin_are_not_browsers_and_pass(server: ChannelServer) -> None:
    status, headers, _ = server.call("POST", "/session", {}, origin=None)
    assert status == 200 and "access-control-allow-origin" not in headers


def test_origins_are_normalised_and_default_to_the_demo_page(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert parse_origins("https://Agency.example/, http://x.test:8080 ,bad, ,*") == \
        frozenset({"https://agency.example", "http://x.test:8080", "*"})
    monkeypatch.delenv(webchat.ORIGINS_ENV, raising=False)
    monkeypatch.setenv(webchat.PORT_ENV, "8123")
    channel = WebchatInput(signer=TokenSigner(b"s" * 32))
    assert channel.origins == {"http://localhost:8123", "http://127.0.0.1:8123"}
    monkeypatch.setenv(webchat.ORIGINS_ENV, "https://a.example,https://b.example")
    channel = WebchatInput.from_credentials(None)
    assert channel.origin_allowed("https://b.example") and not channel.origin_allowed(
        "http://localhost:8123")


# -- history and strings --------------------------------------------------------------------


def test_history_has_both_sides_in_order(server: ChannelServer) -> None:
    token = server.new_token()
    say(server, token, "one")
    say(server, token, "two")
    status, _, body = server.call("GET", "/history", token=token)
    assert status == 200
    assert [(m["from"], m["text"]) for m in body["messages"]] == [
        ("user", "one"), ("bot", "echo: one"), ("user", "two"), ("bot", "echo: two")]


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_strings_in_every_language(server: ChannelServer, language: str) -> None:
    status, _, body = server.call("GET", f"/strings?lang={language}")
    assert status == 200 and body["language"] == language
    assert body["dir"] == ("rtl" if language == "ar" else "ltr")
    assert [entry["code"] for entry in body["languages"]] == list(SUPPORTED_LANGUAGES)
    assert {"title", "open", "send", "placeholder", "new_conversation", "language_menu",
            "typing", "offline", "reconnecting", "session_expired"} <= set(body["strings"])
    assert all(isinstance(text, str) and text for text in body["strings"].values())


def test_strings_for_an_unknown_language_are_english(server: ChannelServer) -> None:
    _, _, body = server.call("GET", "/strings?lang=<script>")
    assert body["language"] == "en" and body["dir"] == "ltr"


def test_the_language_menu_names_each_language_in_itself(server: ChannelServer) -> None:
    _, _, body = server.call("GET", "/strings?lang=en")
    names = {entry["code"]: entry["name"] for entry in body["languages"]}
    assert names["ar"] == "العربية" and names["fr"] == "Français"
    assert names["zh"].startswith("中文")


def test_credentials_yml_registers_the_channel_the_way_rasa_run_does() -> None:
    from rasa.core.run import configure_app, create_http_input_channels

    from tests.conftest import PROJECT_DIR

    channels = create_http_input_channels(None, str(PROJECT_DIR / "credentials.yml"))
    assert any(isinstance(channel, WebchatInput) for channel in channels)
    app = configure_app(channels, cors=None)
    paths = {route.path for route in app.router.routes}
    assert {"webhooks/webchat/session", "webhooks/webchat/message", "webhooks/webchat/history",
            "webhooks/webchat/strings"} <= paths
