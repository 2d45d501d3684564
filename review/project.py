"""Where a project's training inputs, held-out tests, models and review state live.

The product itself is one project (the repository); the retraining test builds a small one
in a temporary folder with the same layout, so every command takes a `Project`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from bot import training
from bot.settings import MODELS_DIR, PROJECT_DIR
from locales import SUPPORTED_LANGUAGES

REVIEWED_FILE = "reviewed.yml"


class ReviewError(Exception):
    """A problem the maintainer can fix (bad option, missing model, unreachable store)."""


@dataclass(frozen=True)
class Project:
    """A Rasa project laid out like the product's repository."""

    root: Path
    models_dir: Path

    @classmethod
    def default(cls) -> Project:
        """The repository itself."""
        return cls(PROJECT_DIR, MODELS_DIR)

    @classmethod
    def at(cls, root: Path | None) -> Project:
        """The project at `root` (the repository when None)."""
        if root is None or root.resolve() == PROJECT_DIR:
            return cls.default()
        root = root.resolve()
        if not (root / "config.yml").exists():
            raise ReviewError(f"{root} has no config.yml: not a project folder")
        return cls(root, root / "models")

    @property
    def config(self) -> Path:
        return self.root / training.CONFIG.name

    @property
    def domain(self) -> Path:
        return self.root / training.DOMAIN.name

    @property
    def nlu_data(self) -> Path:
        return self.root / training.NLU_DATA.relative_to(PROJECT_DIR)

    @property
    def dialogue_data(self) -> Path:
        return self.root / training.DIALOGUE_DATA.relative_to(PROJECT_DIR)

    @property
    def heldout_dir(self) -> Path:
        return self.root / "tests" / "nlu"

    @property
    def review_dir(self) -> Path:
        """Review state that is not training data (the junk list, gate reports)."""
        return self.root / "var" / "review"

    def languages(self) -> list[str]:
        """The languages with training data, in the product's order."""
        return [lang for lang in SUPPORTED_LANGUAGES if (self.nlu_data / lang).is_dir()]

    def heldout_languages(self) -> list[str]:
        """The languages with a held-out test file: the ones the gate compares."""
        return [lang for lang in SUPPORTED_LANGUAGES
                if (self.heldout_dir / f"{lang}.yml").exists()]

    def reviewed_file(self, language: str) -> Path:
        return self.nlu_data / language / REVIEWED_FILE

    @cached_property
    def _domain(self) -> dict[str, Any]:
        with self.domain.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle) or {}

    def domain_intents(self) -> list[str]:
        """Intent names declared in the domain (base names of retrieval intents)."""
        return [next(iter(i)) if isinstance(i, dict) else str(i)
                for i in self._domain.get("intents") or []]

    def domain_entities(self) -> list[str]:
        return [next(iter(e)) if isinstance(e, dict) else str(e)
                for e in self._domain.get("entities") or []]
