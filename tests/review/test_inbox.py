"""The NLU inbox: parses from the tracker events, duplicates folded, filters."""

from __future__ import annotations

import json

import pytest

from bot import cli
from review.examples import JunkList, TrainingIndex
from review.inbox import InboxFilter, build, table
from review.project import Project
from review.store import TrackerEvents
from tests.review.builders import parse, save_conversations, sqlite_store
from tests.review.conftest import HOSTILE, T0


def _inbox(url: str, project: Project, **selection: object):
    with TrackerEvents(url) as store:
        return build(store, InboxFilter(**selection), TrainingIndex.load(project),
                     JunkList(project))


def test_items_carry_the_parse_and_fold_duplicates(tracker_url: str,
                                                   small_project: Project) -> None:
    items = _inbox(tracker_url, small_project)
    texts = [item.text for item in items]
    assert "/greet" not in texts                       # button payloads are not language
    thanks = items[0]                                  # most frequent first
    assert thanks.count == 2 and len(thanks.senders) == 2
    assert thanks.text == "Thx a lot" and thanks.intent == "thank"   # the latest one shows
    alice = next(i for i in items if i.text.startswith("Hola"))
    assert (alice.language, alice.intent, alice.confidence) == ("es", "ask_financing", 0.87)
    assert [(e.entity, alice.text[e.start:e.end]) for e in alice.entity_spans()] == [
        ("country", "Kenia")]
    dave = next(i for i in items if "ODI" in i.text)
    assert dave.intent == "compliance_info/odi_filing"
    bob = next(i for i in items if "distributor" in i.text)
    assert bob.latest.fallback and bob.intent == "find_partner" and bob.confidence == 0.42


@pytest.mark.parametrize(("selection", "expected"), [
    ({"below": 0.6}, {"distributor", "Pakistán", HOSTILE}),
    ({"fallback_only": True}, {"distributor"}),
    ({"languages": frozenset({"es"})}, {"Hola", "Pakistán"}),
    ({"intents": frozenset({"compliance_info"})}, {"ODI"}),
    ({"intents": frozenset({"thank", "country_risk"})}, {"Thx a lot", "Pakistán"}),
    ({"since": T0 + 50_000}, {"Pakistán"}),
    ({"until": T0 + 1500}, {"Hola", "distributor", HOSTILE, "thx a lot!!"}),
    ({"min_count": 2}, {"Thx a lot"}),
])
def test_filters(tracker_url: str, small_project: Project, selection: dict,
                 expected: set[str]) -> None:
    items = _inbox(tracker_url, small_project, **selection)
    found = {next(word for word in expected if word in item.text) for item in items
             if any(word in item.text for word in expected)}
    assert found == expected and len(items) == len(expected), [i.text for i in items]


def test_known_examples_and_junk_are_hidden(tmp_path, small_project: Project) -> None:
    known = TrainingIndex.load(small_project).training["en"]
    greeting = next(key for key, intent in known.items() if intent == "greet")
    store = sqlite_store(tmp_path / "t.db")
    save_conversations(store, {"erin": (T0, [
        ("session",), ("user", parse(greeting.upper() + "!", "greet", 0.99, "en")),
        ("user", parse("asdfgh qwerty", "out_of_scope", 0.2, "en"))])})
    url = f"sqlite:///{tmp_path / 't.db'}"
    assert [i.text for i in _inbox(url, small_project)] == ["asdfgh qwerty"]
    everything = _inbox(url, small_project, include_known=True)
    assert {i.known_intent for i in everything} == {"greet", None}
    junk = JunkList(small_project)
    junk.add(everything[-1].id if everything[-1].text == "asdfgh qwerty" else everything[0].id)
    junk.save()
    assert _inbox(url, small_project) == []


def test_inbox_command(tracker_url: str, small_project: Project,
                       capsys: pytest.CaptureFixture[str]) -> None:
    args = ["transcripts", "inbox", "--tracker-url", tracker_url,
            "--project", str(small_project.root)]
    assert cli.main([*args, "--below", "0.6", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {row["intent"] for row in rows} == {"find_partner", "country_risk", "out_of_scope"}
    assert cli.main([*args, "--language", "es"]) == 0
    out = capsys.readouterr().out
    assert "country=Kenia" in out and "ask_financing" in out


def test_table_marks_fallbacks(tracker_url: str, small_project: Project) -> None:
    text = table(_inbox(tracker_url, small_project, fallback_only=True))
    assert "0.42!" in text
