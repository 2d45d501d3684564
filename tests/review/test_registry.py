"""The gate, the model registry (promotion, pruning, rollback) and the choice between a
full training and a fine-tuning. No training here: model files are stand-ins."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
import yaml

from bot import cli
from review import fingerprint
from review.examples import ReviewedExample, write_reviewed
from review.gate import compare
from review.project import Project, ReviewError
from review.registry import Registry, read_metadata
from review.retrain import RetrainOptions, _follow, _rasa_version, choose_mode


def test_gate_accepts_within_margin_and_rejects_beyond() -> None:
    current = {"en": 0.90, "es": 0.80, "fr": 0.85}
    result = compare(current, {"en": 0.905, "es": 0.79, "fr": 0.85, "zh": 0.7}, margin=0.01)
    verdicts = {row.language: row.verdict for row in result.rows}
    assert verdicts == {"en": "better", "es": "worse (within margin)", "fr": "same", "zh": "new"}
    assert result.accepted
    rejected = compare(current, {"en": 0.95, "es": 0.7889, "fr": 0.85}, margin=0.01)
    assert not rejected.accepted and rejected.regressions == ["es"]
    assert compare(current, {"en": 0.95, "es": 0.7889, "fr": 0.85}, margin=0.02).accepted
    table = rejected.table()
    assert "language  current F1 candidate F1    delta  verdict" in table
    assert "es            0.8000       0.7889  -0.0111  REGRESSION" in table
    assert "REJECT (es dropped by more than 0.0100)" in table
    assert compare(None, {"en": 0.5}).accepted
    with pytest.raises(ValueError):
        compare(current, current, margin=-0.1)


def _fake_model(folder: Path, name: str, age: float, **metadata: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.tar.gz"
    path.write_bytes(b"model " + name.encode())
    moment = time.time() - age
    os.utime(path, (moment, moment))
    if metadata:
        from review.registry import write_metadata

        write_metadata(path, dict(metadata))
    return path


def test_promote_prunes_and_rollback(tmp_path: Path) -> None:
    models = tmp_path / "models"
    for number in range(3):
        _fake_model(models, f"m{number}", age=100 - number, trained_by="full")
    registry = Registry(models, keep=3)
    assert registry.served().name == "m2"
    candidate = _fake_model(registry.candidates_dir, "m3", age=50)
    info = registry.promote(candidate, {"trained_by": "finetune", "parent": "m2"})
    assert registry.served().name == "m3" == info.name
    assert [i.name for i in registry.history()] == ["m1", "m2", "m3"]      # m0 pruned
    assert not (models / "m0.tar.gz").exists() and not (models / "m0.json").exists()
    assert info.metadata["status"] == "promoted"

    rejected = registry.reject(_fake_model(registry.candidates_dir, "m4", age=1), {"x": 1})
    assert rejected.path.parent == registry.archive_dir and registry.served().name == "m3"

    target, retired = registry.rollback()
    assert target.name == "m2" and [i.name for i in retired] == ["m3"]
    assert registry.served().name == "m2"
    assert read_metadata(registry.archive_dir / "m3.tar.gz")["status"] == "rolled_back"
    # The restored model is the newest file: `advisor run` does not retrain at once.
    assert (models / "m2.tar.gz").stat().st_mtime >= time.time() - 5

    back = registry.restore("m3")
    assert back.path.parent == models and registry.served().name == "m3"
    with pytest.raises(ReviewError, match="No model named"):
        registry.find("nope")
    with pytest.raises(ReviewError):
        Registry(models, keep=1)


def test_rollback_needs_a_previous_model(tmp_path: Path) -> None:
    _fake_model(tmp_path / "models", "only", age=10)
    with pytest.raises(ReviewError, match="No previous model"):
        Registry(tmp_path / "models").rollback()


def test_model_commands(small_project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    _fake_model(small_project.models_dir, "a", age=20, trained_by="full",
                scores={"en": {"intent_macro_f1": 0.9}})
    _fake_model(small_project.models_dir, "b", age=10, trained_by="finetune")
    project = ["--project", str(small_project.root)]
    assert cli.main(["model", "list", *project]) == 0
    listing = capsys.readouterr().out
    assert "* b" in listing and "en=0.900" in listing
    assert cli.main(["model", "rollback", *project]) == 0
    assert "Serving a again" in capsys.readouterr().out
    assert cli.main(["model", "show", *project]) == 0
    assert '"trained_by": "full"' in capsys.readouterr().out
    assert cli.main(["model", "rollback", *project]) == 2        # nothing older left


def test_only_new_examples_allow_fine_tuning(small_project: Project) -> None:
    before = fingerprint.compute(small_project)
    served = _served(small_project, before)
    options = RetrainOptions()
    assert choose_mode(served, before, options)[0] == "full"      # nothing changed
    write_reviewed(small_project, [ReviewedExample("¿Es arriesgado invertir en Laos?",
                                                   "country_risk", "es")])
    examples_only = fingerprint.compute(small_project)
    assert examples_only.changed(before.as_dict()) == ["nlu_examples"]
    assert choose_mode(served, examples_only, options) == ("finetune",
                                                          "only NLU examples changed")
    assert choose_mode(served, examples_only, RetrainOptions(mode="full"))[0] == "full"
    deep = _served(small_project, before, finetune_depth=5)
    assert "in a row" in choose_mode(deep, examples_only, options)[1]
    other_rasa = _served(small_project, before, rasa_version="3.5.0")
    assert choose_mode(other_rasa, examples_only, options)[0] == "full"

    # A new label (an annotated entity type) means a full training.
    write_reviewed(small_project, [ReviewedExample("riesgo en Laos", "country_risk", "es")])
    path = small_project.reviewed_file("es")
    path.write_text(path.read_text(encoding="utf-8").replace(
        "riesgo en Laos", "riesgo en [Laos](region)"), encoding="utf-8")
    new_label = fingerprint.compute(small_project)
    assert "nlu_labels" in new_label.changed(before.as_dict())
    mode, reason = choose_mode(served, new_label, options)
    assert mode == "full" and "nlu_labels" in reason
    with pytest.raises(ReviewError, match="Cannot fine-tune"):
        choose_mode(served, new_label, RetrainOptions(mode="finetune"))

    config = yaml.safe_load(small_project.config.read_text(encoding="utf-8"))
    config["pipeline"][-1]["threshold"] = 0.4
    small_project.config.write_text(yaml.safe_dump(config), encoding="utf-8")
    assert "config" in fingerprint.compute(small_project).changed(before.as_dict())


def _served(project: Project, hashes: fingerprint.DataHashes, **extra: object):
    from review.registry import ModelInfo

    metadata = {"data_hashes": hashes.as_dict(), "rasa_version": _rasa_version(), **extra}
    return ModelInfo(project.models_dir / "served.tar.gz", metadata)


def test_training_progress_follows_rasa_output(capsys: pytest.CaptureFixture[str]) -> None:
    output = ("INFO rasa.engine.training.hooks  - Starting to train component "
              "'DIETClassifier'.\nEpochs:   0%|          | 0/3 [00:00<?, ?it/s]\r"
              "Epochs:  33%|###       | 1/3 [00:01<00:02, 1.0it/s]\rEpochs: 100%|#####"
              "#####| 3/3 [00:03<00:00, 1.0it/s]\nINFO Restored component 'RulePolicy' from "
              "cache.\n")
    log = io.StringIO()
    _follow(io.StringIO(output), log, show=True)
    assert log.getvalue() == output
    shown = "".join(capsys.readouterr())
    assert "DIETClassifier" in shown and "3/3" in shown and "RulePolicy: restored" in shown
