"""Fixtures of the review tests: a small project and a tracker store with conversations
written by Rasa's own SQLTrackerStore (the same rows the running assistant writes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from review.project import Project
from tests.review.builders import build_project, parse, save_conversations, sqlite_store

T0 = 1_700_000_000.0          # 2023-11-14T22:13:20Z
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def sample_conversations() -> dict[str, tuple[float, list[tuple[Any, ...]]]]:
    """Four users: Spanish with a button payload, English with personal data, a fallback
    and a hostile message, a returning user (two sessions; "Thx a lot" duplicates Bob.s
    "thx a lot!!"), and a retrieval question."""
    return {
        "alice": (T0, [
            ("session",),
            ("user", parse("Hola, necesito un préstamo para Kenia", "ask_financing", 0.87,
                           "es", [("country", "Kenia", "KE")])),
            ("slot", "language", "es"),
            ("action", "utter_ask_financing"),
            ("bot", "¡Hola! ¿Cuánto necesita?", [{"title": "50 000 USD", "payload": "/inform"}]),
            ("user", parse("/greet", "greet", 1.0)),
            ("action", "utter_greet"),
        ]),
        "bob": (T0 + 1000, [
            ("session",),
            ("user", parse("we need a distributor in Egypt, mail bob@example.com or call "
                           "+86 138 0013 8000, budget 500,000 dollars", "find_partner", 0.42,
                           "en", [("country", "Egypt", "EG"), ("amount", "500,000", "500,000")],
                           fallback=True)),
            ("bot", "<b>Here are partners</b>"),
            ("user", parse(HOSTILE, "out_of_scope", 0.3, "en")),
            ("user", parse("thx a lot!!", "thank", 0.95, "en")),
        ]),
        "carol": (T0 + 2000, [
            ("session",),
            ("user", parse("Thx a lot", "thank", 0.91, "en")),
            ("bot", "You're welcome"),
            ("wait", 88_000),                   # she comes back a day later
            ("session",),
            ("user", parse("¿Qué riesgo político tiene Pakistán?", "country_risk", 0.55,
                           "es", [("country", "Pakistán", "PK")])),
        ]),
        "dave": (T0 + 3000, [
            ("session",),
            ("user", parse("do I need ODI filing for Vietnam", "compliance_info", 0.8, "en",
                           [("country", "Vietnam", "VN")],
                           response_key="compliance_info/odi_filing")),
        ]),
    }


@pytest.fixture
def tracker_url(tmp_path: Path) -> str:
    """A SQLite tracker store with the sample conversations."""
    path = tmp_path / "tracker.db"
    store = sqlite_store(path)
    save_conversations(store, sample_conversations())
    store.engine.dispose()
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def _small_project_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("template") / "project"
    build_project(root)
    return root


@pytest.fixture
def small_project(_small_project_template: Path, tmp_path: Path) -> Project:
    """A private copy of a small project (en, es; six intents) that a test may edit."""
    from tests.review.builders import copy_project

    return copy_project(_small_project_template, tmp_path / "project")
