"""The conversation side of the bridge: Telegram updates in, the assistant's replies out.

Every text message goes to Rasa's REST channel as `{"sender": "telegram:<chat_id>",
"message", "metadata"}` (the chat, not the user, is the conversation: a group talks to the
assistant as one), and every reply comes back in order, split below Telegram's limit,
with its buttons as an inline keyboard. Commands:

    /start      greets (Rasa `/greet`), in the user's Telegram language for a new chat
    /help       what the assistant can do (Rasa `/help`) and the bridge's commands
    /language   the six languages on an inline keyboard; `/language fr` switches directly
    /reset      forgets the company profile (Rasa `/forget_profile`)
    /privacy    what is stored and how to have it deleted

Texts the bridge writes itself come from locales/responses/*.yml through bot.nlg, in the
chat's language: the user's explicit /language choice, else Telegram's language_code,
else English (the REST reply does not say which language the assistant answered in).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from telegram import (
    BotCommand,
    Chat,
    ChatMember,
    InlineKeyboardMarkup,
    Message,
    ReplyParameters,
    Update,
    User,
)
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    ExtBot,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import nlg
from bot.channels.telegram.formatting import (
    BoundedMap,
    PayloadStore,
    RecentUpdates,
    addressed_text,
    change_language_payload,
    chosen_language,
    inline_keyboard,
    split_message,
)
from bot.channels.telegram.rasa_client import AssistantUnavailable, RasaClient
from locales import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, normalize_language, texts, translator

logger = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE

SENDER_PREFIX = "telegram:"
# Rasa payloads the commands send.
GREET, HELP, FORGET_PROFILE = "/greet", "/help", "/forget_profile"
COMMANDS = ("start", "help", "language", "reset", "privacy")
# Telegram shows "typing..." for 5 s after each chat action; refresh it a little earlier.
TYPING_REFRESH_SECONDS = 4.5
GROUPS = (ChatType.GROUP, ChatType.SUPERGROUP)
# Non-text messages we can't read: answered with "text only, please" (service messages
# such as "X joined the group" are not in this list and stay unanswered).
MEDIA = (filters.PHOTO | filters.Sticker.ALL | filters.VOICE | filters.AUDIO | filters.VIDEO
         | filters.VIDEO_NOTE | filters.ANIMATION | filters.Document.ALL | filters.LOCATION
         | filters.VENUE | filters.CONTACT | filters.POLL | filters.Dice.ALL | filters.STORY)
# Update types asked of Telegram; others are not delivered (and would be ignored).
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]


@dataclass(frozen=True)
class Target:
    """Where replies go: a chat, its forum topic if any, the message to answer in groups."""

    chat_id: int
    thread_id: int | None = None
    reply_to: int | None = None

    @classmethod
    def of(cls, message: Message | None, chat: Chat) -> Target:
        thread = message.message_thread_id if message and message.is_topic_message else None
        # In a group, the first reply quotes the message it answers: several people talk.
        quote = message.message_id if message and chat.type in GROUPS else None
        return cls(chat.id, thread, quote)


def target_of(update: Update, chat: Chat) -> Target:
    """Where the replies to `update` go."""
    query = update.callback_query
    if query is None:
        return Target.of(update.effective_message, chat)
    # A button sits on the bot's own message: answer in its topic, quote nothing.
    message = query.message
    is_topic = bool(getattr(message, "is_topic_message", False))
    return Target(chat.id, getattr(message, "message_thread_id", None) if is_topic else None)


class Bridge:
    """Handlers that connect one Telegram bot to the assistant."""

    def __init__(self, rasa: RasaClient) -> None:
        self.rasa = rasa
        self.payloads = PayloadStore()
        self.recent = RecentUpdates()
        # Explicit /language choices per chat (kept in memory: the assistant itself
        # remembers the language in the conversation's `language` slot).
        self.choices: BoundedMap[int, str] = BoundedMap(100_000)

    # -- wiring -------------------------------------------------------------------------

    def install(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """Register the handlers on `application`, duplicate filter first."""
        new = filters.UpdateType.MESSAGE
        application.add_handler(TypeHandler(Update, self.drop_duplicates), group=-1)
        application.add_handlers([
            CommandHandler("start", self.on_start, filters=new),
            CommandHandler("help", self.on_help, filters=new),
            CommandHandler("language", self.on_language, filters=new),
            CommandHandler("reset", self.on_reset, filters=new),
            CommandHandler("privacy", self.on_privacy, filters=new),
            MessageHandler(new & filters.COMMAND, self.on_unknown_command),
            # Edited messages are answered as new ones (as Rasa's own connector does):
            # users edit to fix the question the assistant did not understand.
            MessageHandler(filters.UpdateType.MESSAGES & filters.TEXT & ~filters.COMMAND,
                           self.on_text),
            MessageHandler(new & MEDIA, self.on_media),
            CallbackQueryHandler(self.on_button),
            ChatMemberHandler(self.on_membership, ChatMemberHandler.MY_CHAT_MEMBER),
        ])
        application.add_error_handler(self.on_error)

    async def publish_commands(self, bot: ExtBot[Any]) -> None:
        """The command menu in English and in every language whose descriptions exist."""
        english = self._command_list(DEFAULT_LANGUAGE)
        try:
            await bot.set_my_commands(english)
            for language in SUPPORTED_LANGUAGES:
                commands = self._command_list(language)
                if language != DEFAULT_LANGUAGE and commands != english:
                    await bot.set_my_commands(commands, language_code=language)
        except TelegramError as error:  # a missing menu must not stop the bridge
            logger.warning("Could not publish the command menu: %s", error)

    @staticmethod
    def _command_list(language: str) -> list[BotCommand]:
        t = translator(language)
        return [BotCommand(name, texts.template(t, f"telegram_command_{name}"))
                for name in COMMANDS]

    # -- languages and texts ------------------------------------------------------------

    def language_of(self, chat: Chat | None, user: User | None) -> str:
        """The language of texts the bridge writes: explicit choice, Telegram's, English."""
        return ((self.choices.get(chat.id) if chat else None)
                or normalize_language(user.language_code if user else None)
                or DEFAULT_LANGUAGE)

    def text(self, name: str, update: Update) -> dict[str, Any]:
        """Response `name` rendered in the language of the update's chat and user."""
        return nlg.render(name, self.language_of(update.effective_chat, update.effective_user))

    # -- handlers -----------------------------------------------------------------------

    async def drop_duplicates(self, update: Update, context: Context) -> None:
        if not self.recent.is_new(update.update_id):
            logger.info("Ignoring update %s: already handled", update.update_id)
            raise ApplicationHandlerStop

    async def on_start(self, update: Update, context: Context) -> None:
        await self.converse(update, context, GREET)
        chat = update.effective_chat
        if chat is not None and chat.type in GROUPS:
            await self.send_group_hint(context.bot, chat, update.effective_user)

    async def on_help(self, update: Update, context: Context) -> None:
        await self.converse(update, context, HELP)
        await self.reply(context.bot, update, [self.text("utter_telegram_commands", update)])

    async def on_language(self, update: Update, context: Context) -> None:
        """`/language fr` switches at once; `/language` shows the six languages."""
        chosen = normalize_language(context.args[0]) if context.args else None
        if chosen:
            self.choices.set(self._chat_id(update), chosen)
            await self.converse(update, context, change_language_payload(chosen))
            return
        await self.reply(context.bot, update, [self.text("utter_ask_language", update)])

    async def on_reset(self, update: Update, context: Context) -> None:
        await self.converse(update, context, FORGET_PROFILE)

    async def on_privacy(self, update: Update, context: Context) -> None:
        await self.reply(context.bot, update, [self.text("utter_telegram_privacy", update)])

    async def on_unknown_command(self, update: Update, context: Context) -> None:
        """A command we don't have: help in a private chat; in groups it is another bot's."""
        message = update.effective_message
        if message is None or message.chat.type != ChatType.PRIVATE:
            return
        await self.converse(update, context, HELP)

    async def on_text(self, update: Update, context: Context) -> None:
        message = update.effective_message
        if message is None:
            return
        text = addressed_text(message, context.bot.username, context.bot.id)
        if text is None:  # a group conversation not meant for us
            return
        # "@bot" alone is a hello.
        await self.converse(update, context, text.strip() or GREET)

    async def on_media(self, update: Update, context: Context) -> None:
        """Photos, stickers, voice...: the assistant reads text only; say so politely."""
        message = update.effective_message
        if message is None or addressed_text(message, context.bot.username,
                                             context.bot.id) is None:
            return
        await self.reply(context.bot, update, [self.text("utter_unreadable_message", update)])

    async def on_button(self, update: Update, context: Context) -> None:
        """An inline button: answer the callback query, then send its payload to Rasa."""
        query = update.callback_query
        if query is None:
            return
        payload = self.payloads.decode(query.data)
        if payload is None:
            # A button of a message from before a restart whose payload was kept in memory.
            await query.answer(self.text("utter_telegram_button_expired", update)["text"])
            return
        # Answer first: it stops the spinner on the button while the assistant thinks.
        try:
            await query.answer()
        except TelegramError as error:
            # Too old to answer (a press queued while the bridge was down): the press
            # itself still counts.
            logger.info("Could not answer callback query %s: %s", query.id, error)
        chosen = chosen_language(payload)
        if chosen and update.effective_chat is not None:
            self.choices.set(update.effective_chat.id, chosen)
        await self.converse(update, context, payload)

    async def on_membership(self, update: Update, context: Context) -> None:
        """Added to a group: explain how to talk to the assistant there."""
        change = update.my_chat_member
        if change is None or change.chat.type not in GROUPS:
            return
        joined = (change.old_chat_member.status in (ChatMember.LEFT, ChatMember.BANNED)
                  and change.new_chat_member.status in (ChatMember.MEMBER,
                                                        ChatMember.ADMINISTRATOR))
        if joined:
            await self.send_group_hint(context.bot, change.chat, change.from_user)

    async def on_error(self, update: object, context: Context) -> None:
        """Log every failure; tell the user when a bug (not Telegram) broke their turn."""
        logger.error("Update %s failed", getattr(update, "update_id", "?"),
                     exc_info=context.error)
        if isinstance(context.error, TelegramError) or not isinstance(update, Update):
            return
        if update.effective_chat is None:
            return
        try:
            await self.reply(context.bot, update, [self.text("utter_error", update)])
        except TelegramError:
            logger.exception("Could not tell chat %s about the error",
                             update.effective_chat.id)

    # -- talking to the assistant -------------------------------------------------------

    @staticmethod
    def _chat_id(update: Update) -> int:
        assert update.effective_chat is not None
        return update.effective_chat.id

    @staticmethod
    def metadata(update: Update) -> dict[str, Any]:
        """What the assistant learns about the sender besides the text."""
        user, chat = update.effective_user, update.effective_chat
        return {
            "language": user.language_code if user else None,
            "chat_type": chat.type if chat else None,
            "channel": "telegram",
            "telegram_user_id": user.id if user else None,
        }

    async def converse(self, update: Update, context: Context, text: str) -> None:
        """Send `text` to the assistant for this chat and deliver its replies."""
        chat = update.effective_chat
        if chat is None:
            return
        target = target_of(update, chat)
        async with self.typing(context.bot, target):
            try:
                replies = await self.rasa.send(f"{SENDER_PREFIX}{chat.id}", text,
                                               self.metadata(update))
            except AssistantUnavailable as error:
                logger.warning("Chat %s: %s", chat.id, error)
                replies = [self.text("utter_telegram_unavailable", update)]
        await self.deliver(context.bot, target, replies)

    async def reply(self, bot: ExtBot[Any], update: Update,
                    replies: list[dict[str, Any]]) -> None:
        """Deliver texts the bridge wrote itself to the update's chat."""
        if update.effective_chat is not None:
            await self.deliver(bot, target_of(update, update.effective_chat), replies)

    async def send_group_hint(self, bot: ExtBot[Any], chat: Chat, user: User | None) -> None:
        t = translator(self.language_of(chat, user))
        hint = texts.template(t, "telegram_group_hint", mention=f"@{bot.username}")
        await self.deliver(bot, Target(chat.id), [{"text": hint}])

    # -- sending ------------------------------------------------------------------------

    async def deliver(self, bot: ExtBot[Any], target: Target,
                      replies: list[dict[str, Any]]) -> None:
        """Send replies in order; long texts in several messages, buttons on the last."""
        quote = target.reply_to
        for reply in replies:
            text = str(reply.get("text") or "").strip()
            if not text:
                # Our NLG always renders a text; anything else (an image) has no place here.
                logger.warning("Skipping a reply without text: %s", sorted(reply))
                continue
            keyboard = inline_keyboard(reply.get("buttons") or [], self.payloads)
            chunks = split_message(text)
            for index, chunk in enumerate(chunks):
                last = index == len(chunks) - 1
                await self._send(bot, target, chunk, keyboard if last else None, quote)
                quote = None

    @staticmethod
    async def _send(bot: ExtBot[Any], target: Target, text: str,
                    keyboard: InlineKeyboardMarkup | None, quote: int | None) -> None:
        await bot.send_message(
            target.chat_id, text, reply_markup=keyboard, message_thread_id=target.thread_id,
            reply_parameters=(ReplyParameters(quote, allow_sending_without_reply=True)
                              if quote else None))

    @asynccontextmanager
    async def typing(self, bot: ExtBot[Any], target: Target) -> AsyncIterator[None]:
        """Show "typing..." in the chat until the block ends.

        The indicator is refreshed in the background; on exit the refresher finishes the
        request it is making (rather than being cancelled mid-way), so a late "typing"
        can never arrive after the reply and linger under it.
        """
        done = asyncio.Event()
        refresher = asyncio.create_task(self._keep_typing(bot, target, done))
        try:
            yield
        finally:
            done.set()
            await refresher

    @staticmethod
    async def _keep_typing(bot: ExtBot[Any], target: Target, done: asyncio.Event) -> None:
        while not done.is_set():
            try:
                # No flood-control retries: a late typing indicator is worse than none.
                await bot.send_chat_action(target.chat_id, ChatAction.TYPING,
                                           message_thread_id=target.thread_id,
                                           rate_limit_args=0)
            except TelegramError as error:
                logger.debug("Typing indicator for %s failed: %s", target.chat_id, error)
            try:
                await asyncio.wait_for(done.wait(), TYPING_REFRESH_SECONDS)
            except asyncio.TimeoutError:
                continue
