"""Test material for the review loop: tracker stores written by Rasa's own SQLTrackerStore,
and small projects cut from the real training data (same layout, few intents, few epochs).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from review.examples import read_examples, render
from review.project import Project
from tests.conftest import PROJECT_DIR

POSTGRES_URL = os.environ.get("ADVISOR_TEST_POSTGRES_URL",
                              "postgresql://postgres@127.0.0.1:5432/test")
SMALL_INTENTS = ("greet", "goodbye", "thank", "ask_financing", "find_partner", "country_risk")


def parse(text: str, intent: str, confidence: float, language: str | None = None,
          entities: Iterable[tuple[str, str, str]] = (), fallback: bool = False,
          response_key: str | None = None) -> dict[str, Any]:
    """A parse result shaped like our pipeline's: entities as (type, span, value)."""
    found = []
    for entity, span, value in entities:
        start = text.index(span)
        found.append({"entity": entity, "start": start, "end": start + len(span),
                      "value": value, "extractor": "DIETClassifier", "confidence_entity": 0.9})
    if language:
        found.append({"entity": "language", "value": language, "start": 0, "end": len(text),
                      "confidence": 0.99, "extractor": "LanguageDetector"})
    ranking = [{"name": intent, "confidence": confidence},
               {"name": "out_of_scope", "confidence": round(1 - confidence, 3)}]
    top = {"name": "nlu_fallback", "confidence": 0.5} if fallback else ranking[0]
    result: dict[str, Any] = {
        "text": text, "intent": top, "entities": found,
        "intent_ranking": ([top] if fallback else []) + ranking,
        "language_guess": language or "en",
    }
    if response_key:
        result["response_selector"] = {intent: {"response": {
            "intent_response_key": response_key, "confidence": 0.9}, "ranking": []}}
    return result


def _events(turns: list[tuple[Any, ...]], start: float) -> list[Any]:
    from rasa.shared.core.events import (
        ActionExecuted,
        BotUttered,
        SessionStarted,
        SlotSet,
        UserUttered,
    )

    events: list[Any] = []
    clock = start
    for turn in turns:
        clock += 1
        kind = turn[0]
        if kind == "wait":                       # a pause, e.g. before a new session
            clock += turn[1]
        elif kind == "session":
            events += [ActionExecuted("action_session_start", timestamp=clock),
                       SessionStarted(timestamp=clock), ActionExecuted("action_listen",
                                                                       timestamp=clock)]
        elif kind == "user":
            data = turn[1]
            events.append(UserUttered(data["text"], data["intent"], data["entities"], data,
                                      timestamp=clock))
        elif kind == "bot":
            events.append(BotUttered(turn[1], {"buttons": turn[2]} if len(turn) > 2 else {},
                                     timestamp=clock))
        elif kind == "action":
            events.append(ActionExecuted(turn[1], timestamp=clock))
        elif kind == "slot":
            events.append(SlotSet(turn[1], turn[2], timestamp=clock))
    return events


def save_conversations(store: Any, conversations: dict[str, tuple[float, list[tuple[Any, ...]]]]
                       ) -> None:
    """Write {sender: (start time, turns)} through a Rasa SQLTrackerStore."""
    from rasa.shared.core.slots import AnySlot
    from rasa.shared.core.trackers import DialogueStateTracker

    for sender, (start, turns) in conversations.items():
        slots = {turn[1] for turn in turns if turn[0] == "slot"}
        tracker = DialogueStateTracker(sender, [AnySlot(s, mappings=[]) for s in slots])
        for event in _events(turns, start):
            tracker.update(event)
        asyncio.run(store.save(tracker))


def sqlite_store(path: Path) -> Any:
    from rasa.core.tracker_store import SQLTrackerStore

    return SQLTrackerStore(None, dialect="sqlite", db=str(path))


def postgres_reason() -> str | None:
    """None if the test PostgreSQL answers, else why it does not."""
    try:
        import psycopg2

        psycopg2.connect(POSTGRES_URL, connect_timeout=3).close()
    except Exception as error:
        return f"PostgreSQL not reachable at {POSTGRES_URL}: {error}".strip()
    return None


@contextmanager
def postgres_store() -> Iterator[tuple[Any, str]]:
    """A Rasa SQLTrackerStore in a fresh PostgreSQL schema (dropped after): (store, url)."""
    import sqlalchemy as sa
    from rasa.core.tracker_store import SQLTrackerStore

    schema = f"review_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(POSTGRES_URL, future=True)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    previous = os.environ.get("POSTGRESQL_SCHEMA")
    os.environ["POSTGRESQL_SCHEMA"] = schema        # Rasa's and our reader's convention
    url = sa.engine.make_url(POSTGRES_URL)
    store = SQLTrackerStore(None, dialect="postgresql", host=url.host, port=url.port,
                            db=url.database, username=url.username, password=url.password)
    try:
        yield store, POSTGRES_URL
    finally:
        store.engine.dispose()
        if previous is None:
            os.environ.pop("POSTGRESQL_SCHEMA", None)
        else:
            os.environ["POSTGRESQL_SCHEMA"] = previous
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def small_config(epochs: int) -> dict[str, Any]:
    """config.yml with every epoch count set to `epochs`, without the response selectors
    (no retrieval intents in a small project) and without TED (no stories to learn)."""
    with (PROJECT_DIR / "config.yml").open(encoding="utf-8") as handle:
        config = yaml.safe_load(handle)
    config["pipeline"] = [dict(c, epochs=epochs) if "epochs" in c else c
                          for c in config["pipeline"] if c["name"] != "ResponseSelector"]
    config["policies"] = [p for p in config["policies"] if p["name"] != "TEDPolicy"]
    return config


def build_project(root: Path, languages: Iterable[str] = ("en", "es"),
                  intents: Iterable[str] = SMALL_INTENTS, per_intent: int = 15,
                  epochs: int = 5, leave_out: dict[str, set[str]] | None = None) -> Project:
    """A trainable project: `per_intent` real examples per intent and language (except
    `leave_out[lang]`), the real held-out tests of those intents, a one-rule dialogue."""
    intents = list(intents)
    leave_out = leave_out or {}
    root.mkdir(parents=True, exist_ok=True)
    (root / "config.yml").write_text(yaml.safe_dump(small_config(epochs), sort_keys=False),
                                     encoding="utf-8")
    with (PROJECT_DIR / "domain.yml").open(encoding="utf-8") as handle:
        entities = yaml.safe_load(handle)["entities"]
    domain = {"version": "3.1", "intents": intents, "entities": entities,
              "responses": {"utter_greet": [{"text": "Hello!"}]}}
    (root / "domain.yml").write_text(yaml.safe_dump(domain, sort_keys=False), encoding="utf-8")
    rules = {"version": "3.1", "rules": [{"rule": "greet", "steps": [
        {"intent": "greet"}, {"action": "utter_greet"}]}]}
    (root / "bot" / "dialogue").mkdir(parents=True, exist_ok=True)
    (root / "bot" / "dialogue" / "rules.yml").write_text(yaml.safe_dump(rules, sort_keys=False),
                                                         encoding="utf-8")
    (root / "tests" / "nlu").mkdir(parents=True, exist_ok=True)
    for language in languages:
        counts: dict[str, int] = {}
        pairs = []
        for intent, example in read_examples(PROJECT_DIR / "nlu" / "data" / language / "nlu.yml"):
            if intent in intents and intent not in leave_out.get(language, set()) \
                    and counts.get(intent, 0) < per_intent:
                counts[intent] = counts.get(intent, 0) + 1
                pairs.append((intent, example))
        folder = root / "nlu" / "data" / language
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "nlu.yml").write_text(render(pairs), encoding="utf-8")
        heldout = [(i, e) for i, e in read_examples(PROJECT_DIR / "tests" / "nlu"
                                                     / f"{language}.yml") if i in intents]
        (root / "tests" / "nlu" / f"{language}.yml").write_text(render(heldout),
                                                               encoding="utf-8")
    return Project.at(root)


def copy_project(source: Path, target: Path) -> Project:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("models", "var"))
    return Project.at(target)
