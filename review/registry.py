"""The model registry: models/ with a metadata file per model, pruning, promotion, rollback.

Rasa serves the newest `models/*.tar.gz` by modification time (`rasa run --model models/`,
and `bot.training.newest_model` agrees), so the registry keeps that rule and never needs a
pointer file that Rasa would not read:

    models/<name>.tar.gz + <name>.json   served history; the newest is served
    models/candidates/                   where `advisor retrain` trains (Rasa does not look
                                         into sub-folders, so a candidate is never served)
    models/archive/                      rejected candidates and rolled-back models

Promotion moves a candidate into models/ and stamps it with the current time. Rollback
moves the served model (and anything newer than the target) into models/archive/ and
stamps the target with the current time. Moving rather than only touching keeps models/
an honest history (what is there was served, in mtime order) and makes a rolled-back model
impossible to serve again by accident; touching the target as well keeps `advisor run`
from retraining at once: its staleness check compares the newest model's mtime with the
training inputs, and the inputs the maintainer just rolled back from are newer than the
previous model.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from review.project import ReviewError

SUFFIX = ".tar.gz"
DEFAULT_KEEP = 5


def model_name(path: Path) -> str:
    return path.name[: -len(SUFFIX)] if path.name.endswith(SUFFIX) else path.stem


def metadata_path(model: Path) -> Path:
    return model.with_name(model_name(model) + ".json")


def now_iso() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass(frozen=True)
class ModelInfo:
    """A model file and its metadata (empty for models trained outside the registry)."""

    path: Path
    metadata: dict[str, Any]

    @property
    def name(self) -> str:
        return model_name(self.path)

    def score(self, language: str) -> float | None:
        value = ((self.metadata.get("scores") or {}).get(language) or {}).get("intent_macro_f1")
        return float(value) if value is not None else None


def read_metadata(model: Path) -> dict[str, Any]:
    path = metadata_path(model)
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def write_metadata(model: Path, metadata: dict[str, Any]) -> None:
    path = metadata_path(model)
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(metadata, indent=2, ensure_ascii=False, sort_keys=True)
                         + "\n", encoding="utf-8")
    os.replace(temporary, path)


def _note(metadata: dict[str, Any], event: str, **details: Any) -> dict[str, Any]:
    metadata.setdefault("history", []).append({"at": now_iso(), "event": event, **details})
    metadata["status"] = event
    return metadata


class Registry:
    """The models of one project."""

    def __init__(self, models_dir: Path, keep: int = DEFAULT_KEEP) -> None:
        if keep < 2:
            raise ReviewError("keep at least 2 models (the served one and one to roll back to)")
        self.dir = models_dir
        self.keep = keep

    @property
    def candidates_dir(self) -> Path:
        return self.dir / "candidates"

    @property
    def archive_dir(self) -> Path:
        return self.dir / "archive"

    @staticmethod
    def _listing(folder: Path) -> list[ModelInfo]:
        """Models of `folder`, oldest first (by mtime, then name)."""
        paths = sorted(folder.glob(f"*{SUFFIX}"), key=lambda p: (p.stat().st_mtime, p.name))
        return [ModelInfo(path, read_metadata(path)) for path in paths]

    def history(self) -> list[ModelInfo]:
        """The models in models/, oldest first: the last one is served."""
        return self._listing(self.dir)

    def archived(self) -> list[ModelInfo]:
        return self._listing(self.archive_dir)

    def served(self) -> ModelInfo | None:
        history = self.history()
        return history[-1] if history else None

    def find(self, name: str) -> ModelInfo:
        for info in [*self.history(), *self.archived()]:
            if info.name == name or info.path.name == name:
                return info
        raise ReviewError(f"No model named {name!r} in {self.dir} or its archive")

    def _move(self, model: Path, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / model.name
        os.replace(model, target)
        if metadata_path(model).exists():
            os.replace(metadata_path(model), metadata_path(target))
        return target

    @staticmethod
    def _stamp(model: Path) -> None:
        """Make `model` the newest (served) one; strictly newer than any other."""
        moment = time.time()
        os.utime(model, (moment, moment))

    def promote(self, candidate: Path, metadata: dict[str, Any], event: str = "promoted"
                ) -> ModelInfo:
        """Serve `candidate` from now on (it is moved into models/); prune old models."""
        served = self.served()
        if served is not None and served.path.stat().st_mtime >= time.time():
            time.sleep(0.01)            # mtimes must order the two models
        target = self._move(candidate, self.dir)
        self._stamp(target)
        write_metadata(target, _note(metadata, event))
        self.prune()
        return ModelInfo(target, read_metadata(target))

    def reject(self, candidate: Path, metadata: dict[str, Any]) -> ModelInfo:
        """Keep a rejected candidate in models/archive/ for inspection; prune the archive."""
        target = self._move(candidate, self.archive_dir)
        write_metadata(target, _note(metadata, "rejected"))
        self.prune()
        return ModelInfo(target, read_metadata(target))

    def rollback(self, to: str | None = None) -> tuple[ModelInfo, list[ModelInfo]]:
        """Serve the previous model (or `to`); return it and the models moved to the archive."""
        history = self.history()
        if len(history) < 2 and to is None:
            raise ReviewError("No previous model to roll back to "
                              f"({len(history)} model(s) in {self.dir})")
        if to is None:
            target_index = len(history) - 2
        else:
            names = [info.name for info in history]
            if to not in names:
                raise ReviewError(f"{to!r} is not in {self.dir} "
                                  "(use `advisor model promote` for an archived model)")
            target_index = names.index(to)
        target = history[target_index]
        retired = []
        for info in history[target_index + 1:]:
            moved = self._move(info.path, self.archive_dir)
            write_metadata(moved, _note(read_metadata(moved), "rolled_back",
                                        to=target.name))
            retired.append(ModelInfo(moved, read_metadata(moved)))
        self._stamp(target.path)
        write_metadata(target.path, _note(dict(target.metadata), "restored_by_rollback"))
        self.prune()
        return ModelInfo(target.path, read_metadata(target.path)), retired

    def restore(self, name: str) -> ModelInfo:
        """Serve an archived (or older) model again: a maintainer's explicit decision."""
        info = self.find(name)
        path = info.path
        if path.parent == self.archive_dir:
            path = self._move(path, self.dir)
        self._stamp(path)
        write_metadata(path, _note(read_metadata(path), "promoted_by_hand"))
        self.prune()
        return ModelInfo(path, read_metadata(path))

    def prune(self) -> list[Path]:
        """Delete all but the newest `keep` models in models/ and in models/archive/."""
        removed = []
        for listing in (self.history(), self.archived()):
            for info in listing[: max(0, len(listing) - self.keep)]:
                info.path.unlink()
                metadata_path(info.path).unlink(missing_ok=True)
                removed.append(info.path)
        if self.candidates_dir.exists() and not any(self.candidates_dir.iterdir()):
            shutil.rmtree(self.candidates_dir, ignore_errors=True)
        return removed

    def table(self) -> str:
        """The history, newest first, with each model's scores and how it was trained."""
        rows = []
        served = self.served()
        for info, where in [*((i, "models") for i in reversed(self.history())),
                            *((i, "archive") for i in reversed(self.archived()))]:
            meta = info.metadata
            scores = " ".join(f"{lang}={value['intent_macro_f1']:.3f}"
                              for lang, value in sorted((meta.get("scores") or {}).items()))
            mark = "*" if served and info.path == served.path else " "
            when = dt.datetime.fromtimestamp(info.path.stat().st_mtime).strftime(
                "%Y-%m-%d %H:%M")
            rows.append(f"{mark} {info.name:<34} {where:<8} {when}  "
                        f"{meta.get('trained_by', '?'):<9} {meta.get('status', '-'):<21} "
                        f"{scores or '(no scores)'}")
        header = (f"  {'model':<34} {'where':<8} {'date':<16}  {'trained':<9} {'status':<21} "
                  "intent F1 per language   (* = served)")
        return "\n".join([header, *rows]) if rows else "No models."
