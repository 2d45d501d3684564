"""Signed session tokens: issued by the server, refused when forged, altered or expired."""

from __future__ import annotations

import base64
import json
import stat
from pathlib import Path

import pytest

from bot.channels.webchat import tokens
from bot.channels.webchat.tokens import TokenError, TokenSigner

SECRET = b"k" * 32


class Clock:
    def __init__(self, now: float = 1_800_000_000) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def reason(signer: TokenSigner, token: object) -> tuple[str, int]:
    with pytest.raises(TokenError) as refused:
        signer.verify(token)
    return refused.value.reason, refused.value.status


def payload_of(token: str) -> dict:
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def with_payload(token: str, payload: dict) -> str:
    encoded = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    version, _, signature = token.split(".")
    return f"{version}.{encoded}.{signature}"


def test_a_new_token_names_a_random_server_chosen_sender() -> None:
    signer = TokenSigner(SECRET)
    first, session = signer.issue()
    second, other = signer.issue()
    assert signer.verify(first) == session
    assert session.sender == "webchat:" + session.sid and len(session.sid) >= 24
    assert session.sid != other.sid and first != second


def test_the_sender_id_itself_is_not_a_token() -> None:
    signer = TokenSigner(SECRET)
    _, session = signer.issue()
    assert reason(signer, session.sender) == ("invalid_token", 403)
    assert reason(signer, session.sid) == ("invalid_token", 403)


def test_another_users_sid_in_the_payload_is_refused() -> None:
    signer = TokenSigner(SECRET)
    mine, _ = signer.issue()
    _, victim = signer.issue()
    forged = with_payload(mine, {**payload_of(mine), "sid": victim.sid})
    assert reason(signer, forged) == ("invalid_token", 403)


def test_an_extended_expiry_is_refused() -> None:
    signer = TokenSigner(SECRET)
    token, _ = signer.issue()
    forged = with_payload(token, {**payload_of(token), "exp": 4_000_000_000})
    assert reason(signer, forged) == ("invalid_token", 403)


def test_a_changed_signature_is_refused() -> None:
    signer = TokenSigner(SECRET)
    token, _ = signer.issue()
    last = "A" if token[-1] != "A" else "B"
    assert reason(signer, token[:-1] + last) == ("invalid_token", 403)


def test_a_token_of_another_secret_is_refused() -> None:
    token, _ = TokenSigner(b"x" * 32).issue()
    assert reason(TokenSigner(SECRET), token) == ("invalid_token", 403)


@pytest.mark.parametrize("garbage", ["", "abc", "v1.a.b.c", "v2.e30.AAAA", "v1.!!.AAAA",
                                     "v1." + "A" * 2000 + ".AAAA", "v1.e30.%%%"])
def test_garbage_is_refused_without_exceptions(garbage: str) -> None:
    assert reason(TokenSigner(SECRET), garbage)[1] in (401, 403)


def test_a_signed_but_malformed_payload_is_refused() -> None:
    signer = TokenSigner(SECRET)
    for payload in ([], {"sid": "short"}, {"sid": "a" * 24, "iat": "1", "exp": 2},
                    {"sid": "a" * 24, "iat": 1, "exp": True}):
        part = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
        signed = f"v1.{part}"
        signature = base64.urlsafe_b64encode(signer._signature(signed)).rstrip(b"=").decode()
        assert reason(signer, f"{signed}.{signature}") == ("invalid_token", 403), payload


def test_an_expired_token_is_refused_as_expired() -> None:
    clock = Clock()
    signer = TokenSigner(SECRET, ttl_seconds=60, clock=clock)
    token, session = signer.issue()
    clock.now += 59
    assert signer.verify(token) == session
    clock.now += 1
    assert reason(signer, token) == ("token_expired", 401)


def test_refresh_keeps_the_session_and_moves_the_expiry() -> None:
    clock = Clock()
    signer = TokenSigner(SECRET, ttl_seconds=60, clock=clock)
    token, session = signer.issue()
    clock.now += 30
    renewed, again = signer.refresh(token)
    assert again.sid == session.sid and again.expires_at == session.expires_at + 30
    clock.now += 45  # past the first token's expiry, within the renewed one's
    assert signer.verify(renewed).sid == session.sid
    assert reason(signer, token) == ("token_expired", 401)


def test_a_missing_token_is_a_401() -> None:
    assert reason(TokenSigner(SECRET), None) == ("missing_token", 401)


def test_the_secret_is_created_once_private_and_reused(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(tokens.SECRET_ENV, raising=False)
    first = tokens.load_secret(tmp_path / "var")
    path = tmp_path / "var" / tokens.SECRET_FILE_NAME
    assert len(first) >= 32 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert tokens.load_secret(tmp_path / "var") == first
    assert [p.name for p in (tmp_path / "var").iterdir()] == [tokens.SECRET_FILE_NAME]
    # Tokens survive a restart: a new signer with the persisted secret accepts them.
    token, session = TokenSigner(first).issue()
    assert TokenSigner(tokens.load_secret(tmp_path / "var")).verify(token) == session


def test_the_environment_secret_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(tokens.SECRET_ENV, "e" * 40)
    assert tokens.load_secret(tmp_path) == b"e" * 40
    assert not (tmp_path / tokens.SECRET_FILE_NAME).exists()


def test_every_single_character_change_is_refused() -> None:
    # Including the last character of each part, whose low bits base64 does not use.
    signer = TokenSigner(SECRET)
    token, _ = signer.issue()
    for position, char in enumerate(token):
        if char == ".":
            continue
        for other in {"A", "B", "Q", "g", "w", "_"} - {char}:
            changed = token[:position] + other + token[position + 1:]
            with pytest.raises(TokenError):
                signer.verify(changed)
