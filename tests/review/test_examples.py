"""Reviewed examples in nlu/data/<lang>/reviewed.yml: sorted, de-duplicated, idempotent,
readable by Rasa; held-out tests and annotation look-alikes are refused."""

from __future__ import annotations

from review.examples import (
    Entity,
    ReviewedExample,
    TrainingIndex,
    clean_text,
    fold_key,
    write_reviewed,
)
from review.project import Project


def _example(text: str, intent: str = "country_risk", language: str = "es",
             entities: tuple[Entity, ...] = ()) -> ReviewedExample:
    return ReviewedExample(text, intent, language, entities)


def test_fold_key_and_clean_text() -> None:
    assert fold_key("  Hello,   WORLD!! ") == "hello, world"
    assert fold_key("你好！") == fold_key("你好")
    assert fold_key("¿Qué tal?") == "qué tal"
    assert clean_text("two\nlines\u2028and\ttabs\x00") == "two lines and tabs"


def test_written_sorted_idempotent_and_read_by_rasa(small_project: Project) -> None:
    from rasa.shared.nlu.training_data.loading import load_data

    kenya = "¿Es seguro invertir en Kenia ahora?"
    examples = [
        _example("¿Hay riesgo cambiario en Turquía?"),
        _example(kenya, entities=(Entity(kenya.index("Kenia"), kenya.index("Kenia") + 5,
                                         "country"),)),
        _example("buenas, qué tal", "greet"),
    ]
    report = write_reviewed(small_project, examples)
    assert len(report.added) == 3, report.refused
    path = small_project.reviewed_file("es")
    first = path.read_text(encoding="utf-8")
    assert first.index("- intent: country_risk") < first.index("- intent: greet")
    assert first.index("Es seguro") < first.index("Hay riesgo")
    assert "[Kenia](country)" in first
    mtime = path.stat().st_mtime_ns
    again = write_reviewed(small_project, list(reversed(examples)))
    assert not again.added and len(again.duplicates) == 3
    assert path.read_text(encoding="utf-8") == first and path.stat().st_mtime_ns == mtime
    data = load_data(str(path))
    texts = {m.get("text"): m for m in data.intent_examples}
    assert texts[kenya].get("entities")[0]["value"] == "Kenia"
    assert texts["buenas, qué tal"].get("intent") == "greet"


def test_duplicates_of_training_data_and_heldout_tests(small_project: Project) -> None:
    index = TrainingIndex.load(small_project)
    trained = next(k for k, v in index.training["es"].items() if v == "thank")
    heldout = sorted(index.heldout["es"])[0]
    report = write_reviewed(small_project, [
        _example(trained.upper() + " !", "greet"),        # same text, other case and intent
        _example(heldout, "thank"),
    ])
    assert not report.added
    assert report.duplicates[0][1] == "thank"             # reported with its existing intent
    assert report.refused[0][1] == "it is a held-out test example"
    assert not small_project.reviewed_file("es").exists()


def test_refusals(small_project: Project) -> None:
    report = write_reviewed(small_project, [
        _example("see [this](http://evil.example) offer", "greet"),
        _example("hola", "no_such_intent"),
        _example("hello", "greet", "zh"),
        _example("   "),
        _example("x" * 700),
        _example("riesgo en Kenia", entities=(Entity(0, 6, "not_an_entity"),)),
    ])
    reasons = [reason for _, reason in report.refused]
    assert len(reasons) == 6 and not report.added, reasons
    assert "entity annotation" in reasons[0] and "unknown intent" in reasons[1]
    assert "no training data" in reasons[2] and reasons[3] == "empty message"


def test_multiline_messages_become_one_line(small_project: Project) -> None:
    write_reviewed(small_project, [_example("riesgo político\n\nen   Nigeria?")])
    text = small_project.reviewed_file("es").read_text(encoding="utf-8")
    assert "    - riesgo político en Nigeria?\n" in text


def test_hand_edits_are_kept_and_sorted(small_project: Project) -> None:
    path = small_project.reviewed_file("en")
    path.write_text('version: "3.1"\nnlu:\n- intent: thank\n  examples: |\n    - zillion '
                    "thanks mate\n", encoding="utf-8")
    write_reviewed(small_project, [_example("cheers, that helps", "thank", "en")])
    lines = [line for line in path.read_text(encoding="utf-8").splitlines()
             if line.startswith("    - ")]
    assert lines == ["    - cheers, that helps", "    - zillion thanks mate"]
