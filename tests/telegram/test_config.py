"""Settings of the bridge from the environment and the `advisor telegram` options."""

from __future__ import annotations

import logging
import sys

import pytest

from bot import cli
from bot.channels.telegram import config
from bot.channels.telegram.config import ConfigurationError
from bot.channels.telegram.runner import RedactSecrets

TOKEN = "123:abc"


def parse(*argv: str) -> config.TelegramSettings:
    args = cli.build_parser().parse_args(["telegram", *argv])
    return config.load(args, env={"ADVISOR_TELEGRAM_TOKEN": TOKEN})


def test_defaults_are_polling_against_telegram_and_the_local_assistant() -> None:
    settings = config.load(env={"ADVISOR_TELEGRAM_TOKEN": TOKEN})
    assert (settings.mode, settings.api_url, settings.rasa_url) == (
        "polling", "https://api.telegram.org", "http://127.0.0.1:5005")
    assert settings.base_url == "https://api.telegram.org/bot"
    assert settings.base_file_url == "https://api.telegram.org/file/bot"


def test_environment_configures_everything() -> None:
    settings = config.load(env={
        "ADVISOR_TELEGRAM_TOKEN": TOKEN, "ADVISOR_TELEGRAM_API_URL": "http://10.0.0.5:8081/",
        "ADVISOR_TELEGRAM_MODE": "webhook",
        "ADVISOR_TELEGRAM_WEBHOOK_URL": "https://bot.example.org/tg/hook",
        "ADVISOR_TELEGRAM_SECRET": "s3cret_-X", "ADVISOR_TELEGRAM_LISTEN": "0.0.0.0:9000",
        "ADVISOR_RASA_URL": "http://rasa:5005", "ADVISOR_RASA_TIMEOUT": "12.5"})
    assert settings.base_url == "http://10.0.0.5:8081/bot"
    assert (settings.mode, settings.webhook_path, settings.secret) == (
        "webhook", "/tg/hook", "s3cret_-X")
    assert (settings.listen_host, settings.listen_port) == ("0.0.0.0", 9000)
    assert (settings.rasa_url, settings.rasa_timeout) == ("http://rasa:5005", 12.5)


def test_the_assistant_port_follows_advisor_rasa_port() -> None:
    settings = config.load(env={"ADVISOR_TELEGRAM_TOKEN": TOKEN, "ADVISOR_RASA_PORT": "5105"})
    assert settings.rasa_url == "http://127.0.0.1:5105"


def test_cli_options_override_the_environment() -> None:
    settings = parse("--api-url", "http://127.0.0.1:9", "--rasa-url", "http://127.0.0.1:7",
                     "--mode", "webhook", "--webhook-url", "https://x.org/h",
                     "--secret", "abc", "--listen", "[::1]:8443")
    assert settings.api_url == "http://127.0.0.1:9" and settings.rasa_url.endswith(":7")
    assert (settings.listen_host, settings.listen_port, settings.secret) == ("::1", 8443, "abc")


def test_token_and_secret_stay_out_of_the_repr() -> None:
    settings = parse("--mode", "webhook", "--webhook-url", "https://x.org/h", "--secret", "zz9")
    assert TOKEN not in repr(settings) and "zz9" not in repr(settings)


def test_webhook_mode_without_a_secret_gets_a_random_one() -> None:
    first = parse("--mode", "webhook", "--webhook-url", "https://x.org/h").secret
    second = parse("--mode", "webhook", "--webhook-url", "https://x.org/h").secret
    assert first and second and first != second and len(first) >= 32


@pytest.mark.parametrize(("env", "reason"), [
    ({}, "No bot token"),
    ({"ADVISOR_TELEGRAM_MODE": "push"}, "MODE"),
    ({"ADVISOR_TELEGRAM_MODE": "webhook"}, "WEBHOOK_URL"),
    ({"ADVISOR_TELEGRAM_MODE": "webhook", "ADVISOR_TELEGRAM_WEBHOOK_URL": "https://x.org/h",
      "ADVISOR_TELEGRAM_SECRET": "not allowed!"}, "SECRET"),
    ({"ADVISOR_TELEGRAM_LISTEN": "8443"}, "host:port"),
    ({"ADVISOR_RASA_TIMEOUT": "soon"}, "TIMEOUT"),
])
def test_bad_settings_are_refused_with_a_reason(env: dict[str, str], reason: str) -> None:
    if env:
        env = {"ADVISOR_TELEGRAM_TOKEN": TOKEN, **env}
    with pytest.raises(ConfigurationError, match=reason):
        config.load(env=env)


def test_advisor_telegram_without_a_token_exits_with_a_message(monkeypatch) -> None:
    monkeypatch.delenv("ADVISOR_TELEGRAM_TOKEN", raising=False)
    with pytest.raises(SystemExit, match="ADVISOR_TELEGRAM_TOKEN"):
        cli.main(["telegram"])


def test_log_records_never_show_the_token_or_the_secret() -> None:
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "POST %s/bot%s/getMe",
                               ("http://api", TOKEN), None)
    try:
        raise ValueError(f"failed: https://api.telegram.org/bot{TOKEN}/getMe secret=zz9")
    except ValueError:
        record.exc_info = sys.exc_info()
    assert RedactSecrets(TOKEN, "zz9").filter(record)
    text = logging.Formatter().format(record)
    assert TOKEN not in text and "zz9" not in text and "<redacted>" in text
