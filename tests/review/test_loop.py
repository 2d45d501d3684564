"""The maintainers' loop end to end: real conversations -> tracker store -> export ->
scripted review -> retrain behind the gate, which accepts an improvement and rejects a
regression -> rollback.

Conversations go through the running assistant (the `assistant` fixture: REST, its own
SQLite tracker store). The models trained here belong to a small project (English and
Spanish, six intents, 15 examples each, no Spanish `country_risk`), so that each training
takes a minute or two on a shared 2-core machine:
- reviewing Spanish country-risk questions the users asked fills the gap: the candidate is
  fine-tuned (only NLU examples changed) and promoted;
- then a reviewer labels English financing requests `greet`: English intent F1 drops by
  more than the margin, the candidate is rejected and the served model stays. (It is
  fine-tuned too, unless the entities the assistant found in those messages include a type
  the small project has no examples of: a new label means a full training.)
Gate tables and timings are written to tests/artifacts/review-loop.txt.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pytest

from bot import cli
from review import fingerprint
from review.project import Project
from review.registry import Registry
from tests.conftest import PROJECT_DIR, Assistant
from tests.review.builders import build_project
from tests.review.messages import ENGLISH_FINANCING, SPANISH_COUNTRY_RISK

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

MARGIN = 0.02
JUNK = "asdf qwerty zxcv"
ARTIFACT = PROJECT_DIR / "tests" / "artifacts" / "review-loop.txt"


def _converse(assistant: Assistant, run: str) -> None:
    """Three Spanish and three English users; one question asked by two users; junk; an
    e-mail address for the redaction."""
    for number in range(3):
        spanish = SPANISH_COUNTRY_RISK[number * 4:(number + 1) * 4]
        english = ENGLISH_FINANCING[number * 4:(number + 1) * 4]
        for text in spanish:
            assistant.say(f"{run}-es-{number}", text)
        for text in english:
            assistant.say(f"{run}-en-{number}", text)
    assistant.say(f"{run}-es-3", SPANISH_COUNTRY_RISK[0])           # a duplicate, folded
    assistant.say(f"{run}-en-3", JUNK)
    assistant.say(f"{run}-en-3", "write to me at someone@example.org please")


def _answers(items: list[dict], english: str) -> list[str]:
    """Scripted answers, item by item in the inbox's order: Spanish risk questions are
    country_risk; English financing requests get `english` ("skip" or a wrong intent)."""
    answers = []
    for item in items:
        if item["text"] in SPANISH_COUNTRY_RISK:
            answers += ["i", "country_risk", "l", "es", "a"]
        elif item["text"] in ENGLISH_FINANCING and english != "skip":
            answers += ["i", english, "l", "en", "a"]
        elif item["text"] == JUNK:
            answers += ["j"]
        else:
            answers += ["s"]          # other tests' messages in the shared tracker store
    return answers


def _review(url: str, project: Project, since: str, english: str, tmp_path: Path,
            capsys: pytest.CaptureFixture[str]) -> str:
    common = ["--tracker-url", url, "--project", str(project.root), "--since", since]
    assert cli.main(["transcripts", "inbox", *common, "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    answers = tmp_path / f"answers-{english}.txt"
    answers.write_text("\n".join(_answers(items, english)) + "\n", encoding="utf-8")
    assert cli.main(["transcripts", "review", *common, "--answers", str(answers)]) == 0
    return capsys.readouterr().out


def _retrain(project: Project, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, float]:
    started = time.monotonic()
    code = cli.main(["retrain", "--project", str(project.root), "--margin", str(MARGIN)])
    return code, capsys.readouterr().out, time.monotonic() - started


def test_review_and_retrain_loop(assistant: Assistant, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    # The component code is shared with engineers who edit it while this runs; its hash
    # would turn a fine-tuning into a full training. The small project pins it.
    monkeypatch.setattr(fingerprint, "code_inputs", lambda: [])
    monkeypatch.setenv("RASA_CACHE_DIRECTORY", str(tmp_path / "rasa-cache"))
    project = build_project(tmp_path / "project", epochs=40, leave_out={"es": {"country_risk"}})
    registry = Registry(project.models_dir)
    report: list[str] = []

    code, out, seconds = _retrain(project, capsys)
    assert code == 0 and "no model yet" in out, out
    base = registry.served()
    assert base is not None and base.metadata["trained_by"] == "full"
    report.append(f"base model (full): {seconds:.0f} s\n{base.metadata['gate']['table']}")

    # Real conversations, then their export.
    since = dt.datetime.now().isoformat(timespec="seconds")
    run = f"loop{int(time.time())}"
    _converse(assistant, run)
    export = tmp_path / "export"
    assert cli.main(["transcripts", "export", "--tracker-url", assistant.tracker_url,
                     "--since", since, "--out", str(export), "--format", "all",
                     "--redact", "email"]) == 0
    capsys.readouterr()
    transcript = (export / "transcripts" / f"{run}-es-0.md").read_text(encoding="utf-8")
    assert SPANISH_COUNTRY_RISK[0] in transcript and "**" in transcript
    stories = (export / "test_stories.yml").read_text(encoding="utf-8")
    assert f"story: {run}-en-1 session 1" in stories and "someone@example.org" not in stories
    assert "[email]" in (export / "transcripts" / f"{run}-en-3.html").read_text(encoding="utf-8")

    # Review 1: the Spanish questions are country_risk, junk is discarded, English waits.
    out = _review(assistant.tracker_url, project, since, "skip", tmp_path, capsys)
    assert f"{len(SPANISH_COUNTRY_RISK)} added" in out, out
    assert project.reviewed_file("es").exists() and not project.reviewed_file("en").exists()

    code, out, seconds = _retrain(project, capsys)
    improved = registry.served()
    assert code == 0 and improved is not None and improved.name != base.name, out
    assert improved.metadata["trained_by"] == "finetune", out
    rows = {row["language"]: row for row in improved.metadata["gate"]["rows"]}
    assert rows["es"]["delta"] > 0.05 and rows["es"]["verdict"] == "better", out
    report.append(f"improvement (fine-tuned: {improved.metadata['reason']}): {seconds:.0f} s, "
                  "training "
                  f"{improved.metadata['training_seconds']} s\n"
                  f"{improved.metadata['gate']['table']}")

    # Review 2: a reviewer labels the English financing requests `greet`.
    out = _review(assistant.tracker_url, project, since, "greet", tmp_path, capsys)
    assert f"{len(ENGLISH_FINANCING)} added" in out, out
    code, out, seconds = _retrain(project, capsys)
    assert code == 1 and "REGRESSION" in out and "REJECT (en" in out, out
    assert registry.served().name == improved.name
    rejected = registry.archived()[-1]
    assert rejected.metadata["status"] == "rejected"
    report.append(f"regression ({rejected.metadata['trained_by']}: {rejected.metadata['reason']})"
                  f": {seconds:.0f} s, training "
                  f"{rejected.metadata['training_seconds']} s\n"
                  f"{rejected.metadata['gate']['table']}")

    # Rollback: the base model is served again.
    assert cli.main(["model", "rollback", "--project", str(project.root)]) == 0
    assert registry.served().name == base.name
    assert cli.main(["model", "list", "--project", str(project.root)]) == 0
    listing = capsys.readouterr().out
    assert "rolled_back" in listing and "rejected" in listing
    report.append(listing)

    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    ARTIFACT.write_text("\n\n".join(report) + "\n", encoding="utf-8")
    with capsys.disabled():
        print("\n" + "\n\n".join(report))
