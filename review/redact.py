"""Redaction of e-mail addresses, phone numbers and numbers in exported text.

Order matters: e-mail addresses may contain digits and phone numbers are numbers, so each
kind is replaced before the next looks at the text. `\\d` matches every Unicode digit
(Arabic-Indic ٠١٢, full-width ０１２), which users of our six languages type. Numbers written
in words or CJK numerals (五十万, "two million") are not recognised.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field

KINDS = ("email", "phone", "number")

_PATTERNS: dict[str, re.Pattern[str]] = {
    "email": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    # At least 7 digits, optionally with +, spaces, dots, dashes and brackets between them.
    "phone": re.compile(r"(?<![\w])\+?\(?\d(?:[\s().-]{0,2}\d){6,}(?![\w])"),
    "number": re.compile(r"\d+(?:[.,\s]\d+)*"),
}
_PLACEHOLDERS = {"email": "[email]", "phone": "[phone]", "number": "[number]"}


@dataclass(frozen=True)
class Redacted:
    """Redacted text and the replaced spans (start, end) of the original text."""

    text: str
    original: str
    replaced: tuple[tuple[int, int, int, int], ...] = ()   # old start, old end, new start, end

    def map_span(self, start: int, end: int) -> tuple[int, int] | None:
        """Where an original span lands in the redacted text; None if it touched a redaction."""
        shift = 0
        for old_start, old_end, new_start, new_end in self.replaced:
            if old_end <= start:
                shift += (new_end - new_start) - (old_end - old_start)
            elif old_start < end:
                return None
        return start + shift, end + shift


@dataclass
class Redactor:
    """Replaces the chosen kinds of personal data; an empty set leaves text as it is."""

    kinds: frozenset[str] = field(default_factory=frozenset)
    hash_senders: bool = False
    # Keyed, and random per export unless given: Telegram chat ids are numbers that a
    # plain hash would not hide (anyone could hash every id and compare).
    sender_key: bytes = field(default_factory=lambda: secrets.token_bytes(16), repr=False)

    def __post_init__(self) -> None:
        unknown = set(self.kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown redaction kinds: {sorted(unknown)}")

    @classmethod
    def from_options(cls, kinds: list[str] | None, hash_senders: bool = False) -> Redactor:
        chosen = set(kinds or [])
        if "all" in chosen:
            chosen = set(KINDS)
        return cls(frozenset(chosen), hash_senders)

    def __bool__(self) -> bool:
        return bool(self.kinds) or self.hash_senders

    def redact(self, text: str) -> Redacted:
        """The text with every chosen kind replaced by a placeholder such as [email]."""
        spans: list[tuple[int, int, str]] = []     # non-overlapping spans of the original
        for kind in KINDS:
            if kind not in self.kinds:
                continue
            for match in _PATTERNS[kind].finditer(text):
                if not any(s < match.end() and match.start() < e for s, e, _ in spans):
                    spans.append((match.start(), match.end(), _PLACEHOLDERS[kind]))
        spans.sort()
        pieces: list[str] = []
        replaced: list[tuple[int, int, int, int]] = []
        position = length = 0
        for start, end, placeholder in spans:
            pieces.append(text[position:start])
            length += start - position
            pieces.append(placeholder)
            replaced.append((start, end, length, length + len(placeholder)))
            length += len(placeholder)
            position = end
        pieces.append(text[position:])
        return Redacted("".join(pieces), text, tuple(replaced))

    def text(self, text: str) -> str:
        return self.redact(text).text if self.kinds else text

    def value(self, value: object) -> object:
        """Slot and entity values: strings redacted, lists and dicts walked."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(item) for item in value]
        if isinstance(value, dict):
            return {key: self.value(item) for key, item in value.items()}
        if isinstance(value, (int, float)) and not isinstance(value, bool) and \
                "number" in self.kinds:
            return "[number]"
        return value

    def sender(self, sender_id: str) -> str:
        """A pseudonym when senders are hashed, the same for one user throughout an export."""
        if not self.hash_senders:
            return sender_id
        digest = hmac.new(self.sender_key, sender_id.encode("utf-8"), hashlib.sha256)
        return "user-" + digest.hexdigest()[:12]
