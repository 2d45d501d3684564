"""Settings of the Telegram bridge: environment variables, overridden by CLI options.

    ADVISOR_TELEGRAM_TOKEN        the bot's token from BotFather (required)
    ADVISOR_TELEGRAM_API_URL      Bot API base URL (default https://api.telegram.org)
    ADVISOR_TELEGRAM_MODE         polling (default) or webhook
    ADVISOR_TELEGRAM_WEBHOOK_URL  public HTTPS URL Telegram posts updates to (webhook mode)
    ADVISOR_TELEGRAM_SECRET       secret Telegram sends in X-Telegram-Bot-Api-Secret-Token
    ADVISOR_TELEGRAM_LISTEN       host:port the webhook server listens on (127.0.0.1:8443)
    ADVISOR_RASA_URL              the assistant (default http://127.0.0.1:$ADVISOR_RASA_PORT)
    ADVISOR_RASA_TIMEOUT          seconds to wait for the assistant's answer (default 60)
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.telegram.org"
DEFAULT_LISTEN = "127.0.0.1:8443"
MODES = ("polling", "webhook")
# What Telegram accepts as secret_token: 1-256 characters A-Z, a-z, 0-9, _ and -.
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")

# CLI option -> environment variable it overrides.
_OPTIONS = {
    "token": "ADVISOR_TELEGRAM_TOKEN",
    "api_url": "ADVISOR_TELEGRAM_API_URL",
    "mode": "ADVISOR_TELEGRAM_MODE",
    "webhook_url": "ADVISOR_TELEGRAM_WEBHOOK_URL",
    "secret": "ADVISOR_TELEGRAM_SECRET",
    "listen": "ADVISOR_TELEGRAM_LISTEN",
    "rasa_url": "ADVISOR_RASA_URL",
    "rasa_timeout": "ADVISOR_RASA_TIMEOUT",
}


class ConfigurationError(ValueError):
    """The bridge cannot start with these settings (the message says why)."""


@dataclass(frozen=True)
class TelegramSettings:
    """Everything the bridge needs to run; the token and secret stay out of reprs and logs."""

    token: str = field(repr=False)
    api_url: str = DEFAULT_API_URL
    mode: str = "polling"
    webhook_url: str | None = None
    secret: str | None = field(default=None, repr=False)
    listen_host: str = "127.0.0.1"
    listen_port: int = 8443
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_timeout: float = 60.0
    # Long-polling timeout of getUpdates; tests shorten it so that shutdown is quick.
    poll_timeout: float = 10.0

    @property
    def base_url(self) -> str:
        """PTB's `base_url`: the token is appended to it."""
        return f"{self.api_url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.api_url}/file/bot"

    @property
    def webhook_path(self) -> str:
        """The path the webhook server answers on: the path of the public URL."""
        return urlsplit(self.webhook_url or "").path or "/"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The CLI options of `advisor telegram` (each overrides its environment variable)."""
    parser.add_argument("--token", help="bot token (prefer ADVISOR_TELEGRAM_TOKEN: "
                                        "command lines are visible to other users)")
    parser.add_argument("--api-url", help=f"Bot API base URL (default {DEFAULT_API_URL})")
    parser.add_argument("--mode", choices=MODES, help="polling (default) or webhook")
    parser.add_argument("--webhook-url", help="public HTTPS URL Telegram posts updates to")
    parser.add_argument("--secret", help="webhook secret token (prefer the environment)")
    parser.add_argument("--listen", help=f"host:port of the webhook server ({DEFAULT_LISTEN})")
    parser.add_argument("--rasa-url", help="the assistant's URL (default "
                                           "http://127.0.0.1:$ADVISOR_RASA_PORT)")
    parser.add_argument("--rasa-timeout", type=float,
                        help="seconds to wait for the assistant's answer (default 60)")


def _listen(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigurationError(f"ADVISOR_TELEGRAM_LISTEN must be host:port, not {value!r}")
    return host.strip("[]"), int(port)


def _webhook_secret(given: str | None) -> str:
    if given is None:
        # Telegram is told the secret at every start (setWebhook), so a random one works
        # for a single bridge; replicas behind one URL must share a configured secret.
        logger.warning("ADVISOR_TELEGRAM_SECRET is not set: using a random secret for this "
                       "process (set one when several bridges share the webhook)")
        return secrets.token_urlsafe(32)
    if not _SECRET.match(given):
        raise ConfigurationError("ADVISOR_TELEGRAM_SECRET must be 1-256 characters of "
                                 "A-Z, a-z, 0-9, '_' and '-'")
    return given


def load(args: argparse.Namespace | None = None, env: Mapping[str, str] | None = None
         ) -> TelegramSettings:
    """Settings from `env` (default: os.environ), overridden by the CLI `args`."""
    env = os.environ if env is None else env
    values = {name: env.get(variable) or None for name, variable in _OPTIONS.items()}
    for name in _OPTIONS:
        given = getattr(args, name, None) if args is not None else None
        if given is not None:
            values[name] = str(given)
    if not values["token"]:
        raise ConfigurationError("No bot token: set ADVISOR_TELEGRAM_TOKEN (from BotFather)")
    mode = (values["mode"] or "polling").lower()
    if mode not in MODES:
        raise ConfigurationError(f"ADVISOR_TELEGRAM_MODE must be one of {MODES}, not {mode!r}")
    if mode == "webhook" and not values["webhook_url"]:
        raise ConfigurationError("Webhook mode needs ADVISOR_TELEGRAM_WEBHOOK_URL")
    host, port = _listen(values["listen"] or DEFAULT_LISTEN)
    rasa_port = env.get("ADVISOR_RASA_PORT", "5005")
    try:
        timeout = float(values["rasa_timeout"] or 60)
    except ValueError as error:
        raise ConfigurationError("ADVISOR_RASA_TIMEOUT must be a number of seconds") from error
    return TelegramSettings(
        token=str(values["token"]),
        api_url=str(values["api_url"] or DEFAULT_API_URL).rstrip("/"),
        mode=mode,
        webhook_url=values["webhook_url"],
        secret=_webhook_secret(values["secret"]) if mode == "webhook" else values["secret"],
        listen_host=host,
        listen_port=port,
        rasa_url=str(values["rasa_url"] or f"http://127.0.0.1:{rasa_port}").rstrip("/"),
        rasa_timeout=timeout,
    )
