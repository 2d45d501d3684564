"""Signed session tokens of the web widget: the sender id comes from the server, never the client.

A token is `v1.<payload>.<signature>`: the payload is base64url JSON
`{"sid": <random id>, "iat": <issued, epoch s>, "exp": <expires, epoch s>}`, the signature is
HMAC-SHA256 over `v1.<payload>` with a server secret. The conversation's sender id is
`webchat:<sid>`. Without the secret a client cannot produce a token for another sid, and a
changed payload or signature is refused; an expired token is refused as expired.

The secret is ADVISOR_WEBCHAT_SECRET; unset, a random one is created once under var/ (mode
0600) so that `make run` works and tokens survive restarts. Several Rasa replicas must
share one secret: set the variable.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

VERSION = "v1"
SENDER_PREFIX = "webchat:"
SECRET_ENV = "ADVISOR_WEBCHAT_SECRET"
SECRET_FILE_NAME = "webchat-secret"
DEFAULT_TTL_SECONDS = 7 * 24 * 3600  # refreshed on every page load, so only idle sessions end
MAX_TOKEN_CHARS = 1024
MIN_SECRET_BYTES = 32
_SID = re.compile(r"[A-Za-z0-9_-]{16,64}")
_B64URL = re.compile(r"[A-Za-z0-9_-]+")


class TokenError(Exception):
    """A token that cannot be used: `reason` is machine-readable, `status` the HTTP status."""

    def __init__(self, reason: str, status: int, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.status = status


def missing() -> TokenError:
    return TokenError("missing_token", 401, "an 'Authorization: Bearer <token>' is required")


def expired() -> TokenError:
    return TokenError("token_expired", 401, "the session has expired: start a new one")


def invalid(why: str) -> TokenError:
    return TokenError("invalid_token", 403, f"the session token is not valid ({why})")


@dataclass(frozen=True)
class Session:
    """One browser session: its random id, when its token was issued and when it expires."""

    sid: str
    issued_at: int
    expires_at: int

    @property
    def sender(self) -> str:
        """The Rasa sender id of this session's conversation."""
        return SENDER_PREFIX + self.sid


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    """Strict base64url: only the canonical spelling of the bytes is accepted, so that a
    token cannot be altered in its unused bits and still pass."""
    if not _B64URL.fullmatch(text):
        raise ValueError("not base64url")
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if _b64encode(data) != text:
        raise ValueError("not canonical base64url")
    return data


class TokenSigner:
    """Issues and verifies session tokens with one secret."""

    def __init__(self, secret: bytes, ttl_seconds: int = DEFAULT_TTL_SECONDS,
                 clock: Callable[[], float] = time.time) -> None:
        if len(secret) < 16:
            raise ValueError("the webchat secret must be at least 16 bytes long")
        self._secret = secret
        self.ttl_seconds = int(ttl_seconds)
        self._clock = clock

    def _signature(self, signed_part: str) -> bytes:
        return hmac.new(self._secret, signed_part.encode("ascii"), hashlib.sha256).digest()

    def issue(self, sid: str | None = None) -> tuple[str, Session]:
        """A new token for session `sid` (a new random session when None)."""
        now = int(self._clock())
        session = Session(sid or secrets.token_urlsafe(24), now, now + self.ttl_seconds)
        payload = json.dumps({"sid": session.sid, "iat": session.issued_at,
                              "exp": session.expires_at}, separators=(",", ":"))
        signed_part = f"{VERSION}.{_b64encode(payload.encode('utf-8'))}"
        return f"{signed_part}.{_b64encode(self._signature(signed_part))}", session

    def verify(self, token: object) -> Session:
        """The session of a genuine, unexpired token; raises TokenError otherwise."""
        if not isinstance(token, str) or not token:
            raise missing()
        if len(token) > MAX_TOKEN_CHARS or token.count(".") != 2:
            raise invalid("malformed")
        version, payload_b64, signature_b64 = token.split(".")
        if version != VERSION:
            raise invalid("unknown version")
        try:
            signature = _b64decode(signature_b64)
        except (ValueError, binascii.Error):
            raise invalid("malformed signature") from None
        # The signature is checked before anything in the payload is believed.
        if not hmac.compare_digest(signature, self._signature(f"{version}.{payload_b64}")):
            raise invalid("bad signature")
        try:
            payload = json.loads(_b64decode(payload_b64))
        except (ValueError, binascii.Error):
            raise invalid("malformed payload") from None
        if not isinstance(payload, dict):
            raise invalid("malformed payload")
        sid, issued, expires = payload.get("sid"), payload.get("iat"), payload.get("exp")
        if (not isinstance(sid, str) or not _SID.fullmatch(sid)
                or not all(type(value) is int for value in (issued, expires))):
            raise invalid("malformed payload")
        if expires <= self._clock():
            raise expired()
        return Session(sid, issued, expires)

    def refresh(self, token: object) -> tuple[str, Session]:
        """A new token (new expiry) for the same session as a valid `token`."""
        return self.issue(self.verify(token).sid)


def load_secret(var_dir: Path) -> bytes:
    """ADVISOR_WEBCHAT_SECRET, else the secret persisted under `var_dir` (created once)."""
    configured = os.environ.get(SECRET_ENV, "")
    if configured:
        if len(configured.encode("utf-8")) < MIN_SECRET_BYTES:
            logger.warning("%s is shorter than %d bytes: use a long random value",
                           SECRET_ENV, MIN_SECRET_BYTES)
        return configured.encode("utf-8")
    path = var_dir / SECRET_FILE_NAME
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{SECRET_FILE_NAME}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(MIN_SECRET_BYTES) + "\n")
        try:
            os.link(temporary, path)  # atomic: of two processes starting at once, one wins
            logger.info("Created the webchat token secret %s (set %s to share one between "
                        "servers)", path, SECRET_ENV)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    secret = path.read_text(encoding="ascii").strip()
    if len(secret) < MIN_SECRET_BYTES:
        raise RuntimeError(f"{path} holds no usable secret: delete it to create a new one")
    return secret.encode("ascii")
