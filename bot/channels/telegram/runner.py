"""Running the bridge: the PTB application, long polling or a secured webhook server.

Polling (the default) needs no public URL: the bridge asks the Bot API for updates.
Webhook mode is for production: Telegram posts each update to ADVISOR_TELEGRAM_WEBHOOK_URL
(TLS ends at a reverse proxy in front of ADVISOR_TELEGRAM_LISTEN) with the secret we
registered in the X-Telegram-Bot-Api-Secret-Token header; a request without it gets 403.
The webhook server is a small aiohttp app feeding PTB's update queue (PTB's documented
custom-webhook pattern), as PTB's built-in one would need tornado.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hmac
import logging
import signal
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from telegram import LinkPreviewOptions, Update
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import Application, ApplicationBuilder, Defaults

from bot.channels.telegram.bridge import ALLOWED_UPDATES, Bridge
from bot.channels.telegram.config import TelegramSettings
from bot.channels.telegram.rasa_client import RasaClient
from bot.channels.telegram.resilience import (
    PerChatUpdateProcessor,
    RetryAfterLimiter,
    RetryingRequest,
    TolerantUpdatesRequest,
)

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram's updates are small; anything bigger is not from Telegram.
MAX_WEBHOOK_BODY_BYTES = 1_000_000
# Waits between attempts to reach the Bot API at start-up (it may be briefly down).
STARTUP_BACKOFF_SECONDS = (1, 2, 5, 10, 30)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


def build_application(settings: TelegramSettings, bridge: Bridge) -> AnyApplication:
    """The PTB application: our Bot API URL, retries, per-chat ordering, our handlers."""
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.base_url)
        .base_file_url(settings.base_file_url)
        .request(RetryingRequest(connect_timeout=10, read_timeout=20, write_timeout=20))
        .get_updates_request(TolerantUpdatesRequest(connect_timeout=10, read_timeout=10))
        .rate_limiter(RetryAfterLimiter())
        .concurrent_updates(PerChatUpdateProcessor(64))
        .job_queue(None)  # no scheduled jobs: no scheduler thread
        # Sources are quoted as URLs: previews of them would bury the answer.
        .defaults(Defaults(link_preview_options=LinkPreviewOptions(is_disabled=True)))
    )
    if settings.mode == "webhook":
        builder = builder.updater(None)
    application = builder.build()
    bridge.install(application)
    return application


async def _initialize(application: AnyApplication, stop: asyncio.Event) -> bool:
    """`application.initialize()` (one getMe), retried while the Bot API is unreachable.

    Returns False when asked to stop before it succeeded. A rejected token is fatal.
    """
    for attempt, wait in enumerate((*STARTUP_BACKOFF_SECONDS, None), start=1):
        try:
            await application.initialize()
            return True
        except InvalidToken:
            raise
        except NetworkError as error:
            if wait is None:
                raise
            logger.warning("Bot API unreachable (%s): attempt %d, retrying in %s s",
                           error, attempt, wait)
            try:
                await asyncio.wait_for(stop.wait(), wait)
                return False
            except asyncio.TimeoutError:
                continue
    return False


def webhook_app(application: AnyApplication, path: str, secret: str) -> web.Application:
    """The aiohttp app that accepts Telegram's webhook posts (and a health check)."""

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        # Constant-time comparison: the response time says nothing about the secret.
        if not hmac.compare_digest(given.encode(), secret.encode()):
            logger.warning("Webhook request without the right secret from %s", request.remote)
            return web.json_response({"error": "forbidden"}, status=403)
        try:
            data = await request.json()
            update = Update.de_json(data, application.bot)
        except (ValueError, TypeError, KeyError, TelegramError):
            return web.json_response({"error": "not a Telegram update"}, status=400)
        if update is None:
            return web.json_response({"error": "not a Telegram update"}, status=400)
        # Answer at once and process in the background: Telegram re-sends an update whose
        # request is slow (duplicates are dropped by update_id in any case).
        await application.update_queue.put(update)
        return web.json_response({"ok": True})

    async def health(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok", "running": application.running})

    app = web.Application(client_max_size=MAX_WEBHOOK_BODY_BYTES)
    app.router.add_post(path, receive)
    app.router.add_get("/healthz", health)
    return app


async def _serve_polling(application: AnyApplication, settings: TelegramSettings) -> None:
    assert application.updater is not None
    # start_polling deletes any webhook first: a bot cannot have both.
    await application.updater.start_polling(
        timeout=dt.timedelta(seconds=settings.poll_timeout),
        allowed_updates=ALLOWED_UPDATES, bootstrap_retries=-1)


async def _serve_webhook(application: AnyApplication, settings: TelegramSettings
                         ) -> web.AppRunner:
    assert settings.webhook_url and settings.secret
    runner = web.AppRunner(webhook_app(application, settings.webhook_path, settings.secret),
                           access_log=None)
    await runner.setup()
    await web.TCPSite(runner, settings.listen_host, settings.listen_port).start()
    # Listen first, then tell Telegram: the first update must find the server up.
    await application.bot.set_webhook(settings.webhook_url, secret_token=settings.secret,
                                      allowed_updates=ALLOWED_UPDATES)
    logger.info("Webhook server on %s:%s%s", settings.listen_host, settings.listen_port,
                settings.webhook_path)
    return runner


async def serve(settings: TelegramSettings, stop: asyncio.Event,
                ready: Callable[[AnyApplication], Awaitable[None] | None] | None = None
                ) -> None:
    """Run the bridge until `stop` is set; call `ready(application)` once it is serving."""
    rasa = RasaClient(settings.rasa_url, settings.rasa_timeout)
    bridge = Bridge(rasa)
    application = build_application(settings, bridge)
    runner: web.AppRunner | None = None
    try:
        if not await _initialize(application, stop):
            return
        await bridge.publish_commands(application.bot)
        await application.start()
        if settings.mode == "webhook":
            runner = await _serve_webhook(application, settings)
        else:
            await _serve_polling(application, settings)
        logger.info("Telegram bridge for @%s running (%s mode, assistant at %s)",
                    application.bot.username, settings.mode, settings.rasa_url)
        if ready is not None:
            result = ready(application)
            if result is not None:
                await result
        await stop.wait()
    finally:
        await _shutdown(application, runner)
        await rasa.close()


async def _shutdown(application: AnyApplication, runner: web.AppRunner | None) -> None:
    """Stop taking updates, finish the ones in progress, free everything."""
    if runner is not None:
        await runner.cleanup()
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()


class RedactSecrets(logging.Filter):
    """Replaces the token and the webhook secret in log records.

    The Bot API's URLs contain the token, and PTB (at DEBUG) and httpx (at INFO) log
    them; a log file must not be enough to take over the bot.
    """

    def __init__(self, *secrets: str | None) -> None:
        super().__init__()
        self.secrets = [secret for secret in secrets if secret]

    def _redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "<redacted>")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(secret in message for secret in self.secrets):
            record.msg, record.args = self._redact(message), None
        if record.exc_info and not record.exc_text:
            # Formatters reuse exc_text: an exception naming a URL is redacted too.
            record.exc_text = self._redact(logging.Formatter().formatException(record.exc_info))
        return True


def run(settings: TelegramSettings) -> int:
    """Serve until SIGINT or SIGTERM; the exit code for the command line."""
    redact = RedactSecrets(settings.token, settings.secret)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
    # Every request would be logged at INFO: noise, and URLs carrying the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await serve(settings, stop)

    try:
        asyncio.run(main())
    except InvalidToken:
        logger.error("Telegram rejected the bot token: check ADVISOR_TELEGRAM_TOKEN")
        return 2
    return 0
