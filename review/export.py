"""Conversations as readable transcripts (Markdown, HTML) and as Rasa test stories.

User messages are hostile input: in Markdown they are escaped so that they cannot become
links or markup, in HTML every text goes through `html.escape` and the page forbids
scripts (Content-Security-Policy), and Arabic shows right to left (`dir="auto"`).
Test stories are written by Rasa's own YAMLStoryWriter from a tracker rebuilt from the
events, one story per session, so `rasa test` reads them as Rasa wrote them.
"""

from __future__ import annotations

import copy
import hashlib
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from review.conversations import Conversation, Session, bot_text, format_time
from review.inbox import LANGUAGE_DETECTOR, message_from_event
from review.redact import Redactor
from review.store import StoredEvent

FORMATS = ("md", "html", "stories")
HIDDEN_ACTIONS = {"action_listen", "action_session_start"}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~&])")
_MD_LINE_START = re.compile(r"^(\d*)([-+#>.)])")


@dataclass
class Line:
    """One visible line of a transcript."""

    timestamp: float
    who: str                 # "user", "bot", "action", "slot"
    text: str
    details: str = ""        # language, intent and confidence, entities


def md_escape(text: str) -> str:
    """Text that Markdown shows literally (no links, emphasis, HTML, lists or headings)."""
    escaped = _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return _MD_LINE_START.sub(r"\1\\\2", escaped)


def _user_line(event: StoredEvent, redactor: Redactor) -> Line:
    message = message_from_event(event)
    text = redactor.text(str(event.data.get("text") or ""))
    if message is None:                          # a button payload such as /greet
        return Line(event.timestamp, "user", text)
    details = [message.language or "?",
               f"{message.intent or '?'} {message.confidence:.2f}"
               + (" (fallback)" if message.fallback else "")]
    for entity in message.entities:
        value = redactor.value(entity.get("value"))
        details.append(f"{entity.get('entity')}={value}")
    return Line(event.timestamp, "user", text, " · ".join(details))


def lines(session: Session, redactor: Redactor) -> list[Line]:
    """The visible lines of a session: messages, actions run, slots set."""
    result = []
    for event in session.events:
        data = event.data
        if event.type_name == "user":
            result.append(_user_line(event, redactor))
        elif event.type_name == "bot":
            result.append(Line(event.timestamp, "bot", redactor.text(bot_text(data))))
        elif event.type_name == "action" and data.get("name") not in HIDDEN_ACTIONS:
            result.append(Line(event.timestamp, "action", str(data.get("name"))))
        elif event.type_name == "slot":
            value = redactor.value(data.get("value"))
            result.append(Line(event.timestamp, "slot", f"{data.get('name')} = {value!r}"))
    return result


def _summary(conversation: Conversation) -> str:
    return (f"{format_time(conversation.first)} to {format_time(conversation.last)}, "
            f"{conversation.count('user')} user messages, {conversation.count('bot')} replies, "
            f"{len(conversation.sessions)} session(s)")


def markdown(conversation: Conversation, redactor: Redactor) -> str:
    """One conversation as Markdown."""
    sender = redactor.sender(conversation.sender_id)
    out = [f"# Conversation {md_escape(sender)}", "", _summary(conversation), ""]
    for number, session in enumerate(conversation.sessions, 1):
        out += [f"## Session {number} · {format_time(session.start)}", ""]
        for line in lines(session, redactor):
            clock = format_time(line.timestamp)[11:19]
            if line.who in ("action", "slot"):
                out.append(f"- {clock} *{line.who}: {md_escape(line.text)}*")
                continue
            details = f" · {md_escape(line.details)}" if line.details else ""
            out.append(f"- **{clock} {line.who}**{details}  ")
            out.append(f"  {md_escape(line.text) or '(empty)'}")
        out.append("")
    return "\n".join(out)


HTML_HEAD = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font: 15px/1.45 system-ui, sans-serif; max-width: 60rem; margin: 1rem auto;
       padding: 0 1rem; }}
.msg {{ margin: .4rem 0; padding: .4rem .6rem; border-radius: .4rem; }}
.user {{ background: #e8f0fe; }} .bot {{ background: #f1f3f4; }}
.meta, .action, .slot {{ color: #5f6368; font-size: 13px; }}
.text {{ white-space: pre-wrap; overflow-wrap: anywhere; }}
</style></head><body>
"""


def html_page(conversation: Conversation, redactor: Redactor) -> str:
    """One conversation as a self-contained HTML page (no scripts, everything escaped)."""
    sender = html.escape(redactor.sender(conversation.sender_id))
    out = [HTML_HEAD.format(title=f"Conversation {sender}"),
           f"<h1>Conversation {sender}</h1>",
           f"<p class=meta>{html.escape(_summary(conversation))}</p>"]
    for number, session in enumerate(conversation.sessions, 1):
        out.append(f"<h2>Session {number} · {html.escape(format_time(session.start))}</h2>")
        for line in lines(session, redactor):
            clock = html.escape(format_time(line.timestamp)[11:19])
            if line.who in ("action", "slot"):
                out.append(f"<div class={line.who}>{clock} {line.who}: "
                           f"{html.escape(line.text)}</div>")
                continue
            details = f" · {html.escape(line.details)}" if line.details else ""
            out.append(f'<div class="msg {line.who}"><div class=meta>{clock} {line.who}'
                       f'{details}</div><div class=text dir=auto>{html.escape(line.text)}'
                       f"</div></div>")
    out.append("</body></html>\n")
    return "\n".join(out)


def _redacted_event(data: dict[str, Any], redactor: Redactor) -> dict[str, Any]:
    """A copy of an event's JSON with personal data replaced and entity spans moved."""
    data = copy.deepcopy(data)
    kind = data.get("event")
    if kind == "user" and isinstance(data.get("text"), str):
        redacted = redactor.redact(data["text"]) if redactor.kinds else None
        parse = data.get("parse_data") or {}
        entities = []
        for entity in parse.get("entities") or []:
            if entity.get("extractor") == LANGUAGE_DETECTOR:
                continue            # whole-message language tag: not an annotation
            if redacted is not None and "start" in entity and "end" in entity:
                span = redacted.map_span(int(entity["start"]), int(entity["end"]))
                if span is None:
                    continue        # the entity was (part of) something redacted
                entity["start"], entity["end"] = span
                entity["value"] = redactor.value(entity.get("value"))
            entities.append(entity)
        parse["entities"] = entities
        if redacted is not None:
            data["text"] = parse["text"] = redacted.text
        data["parse_data"] = parse
    elif kind == "bot" and isinstance(data.get("text"), str):
        data["text"] = redactor.text(data["text"])
    elif kind == "slot":
        data["value"] = redactor.value(data.get("value"))
    return data


def test_stories(conversations: Iterable[Conversation], redactor: Redactor) -> str:
    """Rasa test stories (YAML), one per session, written by Rasa's YAMLStoryWriter."""
    from rasa.shared.core.slots import AnySlot
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.shared.core.training_data.story_writer.yaml_story_writer import YAMLStoryWriter

    steps = []
    for conversation in conversations:
        sender = redactor.sender(conversation.sender_id)
        for number, session in enumerate(conversation.sessions, 1):
            events = [_redacted_event(e.data, redactor) for e in session.events if e.data]
            # Slots of whatever domain wrote the events (no domain needed to export them).
            slots = [AnySlot(name, mappings=[]) for name in
                     sorted({str(e["name"]) for e in events if e.get("event") == "slot"})]
            tracker = DialogueStateTracker.from_dict(sender, events, slots)
            for step in tracker.as_story().story_steps:
                if not step.events:
                    continue
                step.block_name = f"{sender} session {number}"
                steps.append(step)
    if not steps:
        return 'version: "3.1"\nstories: []\n'
    return YAMLStoryWriter().dumps(steps, is_appendable=False, is_test_story=True)


def file_name(sender: str) -> str:
    """A safe file name for a sender id ("telegram:42" -> "telegram_42-<hash>")."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "_", sender)[:60].strip("_") or "sender"
    if slug != sender:
        slug += "-" + hashlib.sha256(sender.encode("utf-8")).hexdigest()[:8]
    return slug


def export(conversations: list[Conversation], out: Path, formats: Iterable[str],
           redactor: Redactor) -> list[Path]:
    """Write the chosen formats under `out`; return the files written."""
    formats = set(formats)
    written: list[Path] = []
    out.mkdir(parents=True, exist_ok=True)
    index: list[tuple[str, str, Conversation]] = []
    for conversation in conversations:
        sender = redactor.sender(conversation.sender_id)
        name = file_name(sender)
        index.append((sender, name, conversation))
        for fmt, render in (("md", markdown), ("html", html_page)):
            if fmt in formats:
                path = out / "transcripts" / f"{name}.{fmt}"
                path.parent.mkdir(exist_ok=True)
                path.write_text(render(conversation, redactor), encoding="utf-8")
                written.append(path)
    if "md" in formats:
        rows = ["# Conversations", "", "| sender | first | last | user messages |",
                "|---|---|---|---|"]
        rows += [f"| [{md_escape(s)}](transcripts/{n}.md) | {format_time(c.first)} | "
                 f"{format_time(c.last)} | {c.count('user')} |" for s, n, c in index]
        written.append(_write(out / "index.md", "\n".join(rows) + "\n"))
    if "html" in formats:
        items = "\n".join(
            f'<li><a href="transcripts/{html.escape(n)}.html">{html.escape(s)}</a> '
            f"<span class=meta>{html.escape(_summary(c))}</span></li>" for s, n, c in index)
        written.append(_write(out / "index.html", HTML_HEAD.format(title="Conversations")
                              + f"<h1>Conversations</h1>\n<ul>\n{items}\n</ul>\n</body></html>\n"))
    if "stories" in formats:
        written.append(_write(out / "test_stories.yml", test_stories(conversations, redactor)))
    return written


def _write(path: Path, content: str) -> Path:
    path.write_text(content, encoding="utf-8")
    return path
