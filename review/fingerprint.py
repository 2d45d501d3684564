"""Hashes of everything a model is trained from, by part, to tell what changed.

Rasa 3.6 can fine-tune a model (`rasa train --finetune M --epoch-fraction F`) only if the
configuration is unchanged apart from epochs, the domain's core part is unchanged and the
NLU data has exactly the same labels — intents, entities, roles, groups and action names
(`FinetuningValidator` in rasa/graph_components/validators/finetuning_validator.py raises
otherwise). We check more strictly before asking: fine-tuning is chosen only when nothing
but NLU *examples* changed (same config, domain, dialogue data, component code and
vocabularies, and the same set of labels, retrieval keys included, since ResponseSelector
labels are the sub-intents). Anything else means a full training.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from bot import training
from bot.settings import PROJECT_DIR
from nlu import evaluation
from review.examples import read_examples
from review.project import Project

PARTS = ("config", "domain", "dialogue", "nlu_labels", "nlu_examples", "code")


def hash_files(paths: Iterable[Path], base: Path) -> str:
    """SHA-256 over the relative paths and contents of `paths`, in sorted order."""
    digest = hashlib.sha256()
    for path in sorted(set(paths)):
        digest.update(str(path.relative_to(base) if path.is_relative_to(base) else path)
                      .encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _labels(project: Project) -> str:
    """Intents (with retrieval keys) and entity types, roles and groups of the NLU data."""
    from rasa.shared.nlu.training_data.entities_parser import find_entities_in_training_example

    labels: set[str] = set()
    for path in sorted(project.nlu_data.glob("**/*.yml")):
        for intent, example in read_examples(path):
            labels.add(f"intent:{intent}")
            if "[" in example:
                for entity in find_entities_in_training_example(example):
                    labels.add(f"entity:{entity['entity']}")
                    for extra in ("role", "group"):
                        if entity.get(extra):
                            labels.add(f"{extra}:{entity['entity']}:{entity[extra]}")
    return hashlib.sha256("\n".join(sorted(labels)).encode("utf-8")).hexdigest()


def code_inputs() -> list[Path]:
    """Component code and vocabularies every project's NLU depends on (from bot.training)."""
    data = (training.NLU_DATA, training.DIALOGUE_DATA)
    return [path for path in training.training_inputs()
            if path not in (training.CONFIG, training.DOMAIN)
            and not any(path.is_relative_to(folder) for folder in data)]


@dataclass(frozen=True)
class DataHashes:
    """One hash per part of the training inputs."""

    config: str
    domain: str
    dialogue: str
    nlu_labels: str
    nlu_examples: str
    code: str

    @property
    def overall(self) -> str:
        return hashlib.sha256("".join(getattr(self, p) for p in PARTS).encode()).hexdigest()

    def as_dict(self) -> dict[str, str]:
        return {**asdict(self), "overall": self.overall}

    def changed(self, other: dict[str, str]) -> list[str]:
        """The parts that differ from a model's recorded hashes."""
        return [part for part in PARTS if other.get(part) != getattr(self, part)]


def compute(project: Project) -> DataHashes:
    """The hashes of `project`'s current training inputs."""
    return DataHashes(
        config=hash_files([project.config], project.root),
        domain=hash_files([project.domain], project.root),
        dialogue=hash_files(project.dialogue_data.glob("**/*.yml"), project.root),
        nlu_labels=_labels(project),
        nlu_examples=hash_files(project.nlu_data.glob("**/*.yml"), project.root),
        code=hash_files(code_inputs(), PROJECT_DIR),
    )


def heldout_hash(project: Project) -> str:
    """The held-out tests and the scoring code: scores stay comparable while it holds."""
    files = [project.heldout_dir / f"{lang}.yml" for lang in project.heldout_languages()]
    return hash_files([*files, Path(evaluation.__file__)], project.root)


def finetune_decision(parent: dict[str, str] | None, current: DataHashes) -> tuple[bool, str]:
    """Whether a model trained on `parent` hashes can be fine-tuned to `current` data."""
    if not parent:
        return False, "the served model has no recorded data hashes"
    changed = current.changed(parent)
    if not changed:
        return False, "nothing changed"
    if changed == ["nlu_examples"]:
        return True, "only NLU examples changed"
    return False, "changed: " + ", ".join(changed)
