"""The terminal review, driven by scripted answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import cli
from review.examples import JunkList, TrainingIndex, intent_choices
from review.inbox import InboxFilter, build
from review.project import Project
from review.store import TrackerEvents
from review.terminal import ScriptedPrompter, review
from tests.review.conftest import HOSTILE


def _inbox(url: str, project: Project):
    with TrackerEvents(url) as store:
        return build(store, InboxFilter(), TrainingIndex.load(project), JunkList(project))


def _script(items, project: Project) -> list[str]:
    """Answers per item, chosen by the item's text (the inbox order is by frequency)."""
    number = str(intent_choices(project).index("find_partner") + 1)
    decisions = {
        "Thx a lot": ["a"],
        "Pakistán": ["x", "e", "¿Qué riesgo político tiene [Pakistán](country)?", "a"],
        "ODI": ["a", "s"],                      # no such intent here: accept is refused
        HOSTILE: ["j"],
        "distributor": ["i", number, "a"],
        "Hola": ["l", "es", "i", "nonsense", "i", "ask_fin", "a"],
    }
    answers = []
    for item in items:
        answers += next(v for k, v in decisions.items() if k in item.text)
    return answers


def test_scripted_review_writes_examples_and_junk(tracker_url: str,
                                                  small_project: Project) -> None:
    items = _inbox(tracker_url, small_project)
    assert len(items) == 6
    prompter = ScriptedPrompter(_script(items, small_project), echo=False)
    outcome = review(items, small_project, prompter)
    assert outcome.junk == 1 and outcome.skipped == 1
    assert outcome.written is not None and len(outcome.written.added) == 4
    english = small_project.reviewed_file("en").read_text(encoding="utf-8")
    assert "- intent: find_partner" in english and "[Egypt](country)" in english
    assert "    - Thx a lot\n" in english
    spanish = small_project.reviewed_file("es").read_text(encoding="utf-8")
    assert "¿Qué riesgo político tiene [Pakistán](country)?" in spanish
    assert "Hola, necesito un préstamo para [Kenia](country)" in spanish
    assert "Not an intent of the menu" in "\n".join(prompter.transcript)
    # What was accepted or discarded leaves the inbox; the skipped question stays.
    assert [item.text for item in _inbox(tracker_url, small_project)] == [
        "do I need ODI filing for Vietnam"]


def test_quit_keeps_what_was_accepted(tracker_url: str, small_project: Project) -> None:
    items = _inbox(tracker_url, small_project)
    outcome = review(items, small_project, ScriptedPrompter(["a", "q"], echo=False))
    assert outcome.written is not None and len(outcome.written.added) == 1
    assert len(_inbox(tracker_url, small_project)) == 5


def test_review_command_with_an_answers_file(tracker_url: str, small_project: Project,
                                             tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    answers = tmp_path / "answers.txt"
    answers.write_text("# accept the Spanish message as predicted\na\n", encoding="utf-8")
    assert cli.main(["transcripts", "review", "--tracker-url", tracker_url, "--project",
                     str(small_project.root), "--language", "es", "--intent", "ask_financing",
                     "--answers", str(answers)]) == 0
    out = capsys.readouterr().out
    assert "1 added" in out and "reviewed.yml" in out
    assert "[Kenia](country)" in small_project.reviewed_file("es").read_text(encoding="utf-8")
