"""Telegram channel: a python-telegram-bot bridge between Telegram and the assistant.

    advisor telegram                       long polling (no public URL needed)
    advisor telegram --mode webhook \\
        --webhook-url https://bot.example.org/telegram --listen 127.0.0.1:8443

The bridge is a separate process that talks to Rasa over the REST channel
(bot/channels/rest.py); `advisor run` starts it when ADVISOR_TELEGRAM_TOKEN is set.
Settings: bot/channels/telegram/config.py; conversation: bridge.py; faults and ordering:
resilience.py; polling and the webhook server: runner.py.
"""

from __future__ import annotations

import argparse
import logging
import os
from collections.abc import Sequence
from typing import Any

from bot.channels.telegram import config

__all__ = ["main", "register"]

logger = logging.getLogger(__name__)

HELP = "run the Telegram bridge (long polling, or a webhook with --mode webhook)"


def _command(args: argparse.Namespace) -> int:
    try:
        settings = config.load(args)
    except config.ConfigurationError as error:
        raise SystemExit(f"advisor telegram: {error}") from None
    from bot.channels.telegram.runner import run

    return run(settings)


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add the `telegram` sub-command to the `advisor` command's sub-parsers."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "telegram", help=HELP, description=config.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    config.add_arguments(parser)
    parser.set_defaults(handler=_command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m bot.channels.telegram [options]`: the bridge on its own."""
    logging.basicConfig(level=os.environ.get("ADVISOR_LOG_LEVEL", "INFO"),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(prog="advisor telegram", description=config.__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    config.add_arguments(parser)
    return _command(parser.parse_args(argv))

