"""`advisor retrain`: train a candidate, evaluate it and the served model on the held-out
tests of every language, promote it only if the gate says so.

Training runs `rasa train` in a subprocess (as `bot.training.train` does, with the same
environment from `bot.settings`), into models/candidates/ where Rasa never serves from.
When only NLU examples changed since the served model was trained (`fingerprint`), the
candidate is fine-tuned from it (`--finetune <served> --epoch-fraction F`): DIET, the
response selectors and TED start from the served weights and run F of their epochs.
Rasa 3's CountVectorsFeaturizer grows its vocabulary during fine-tuning (new words are
appended; DIET's sparse layers are widened), so reviewed examples with new words are fine.
If Rasa still refuses to fine-tune, the candidate is trained in full.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import logging
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from tqdm import tqdm

from bot.settings import Settings
from nlu import evaluation
from review import fingerprint
from review.gate import DEFAULT_MARGIN, GateResult, compare
from review.project import Project, ReviewError
from review.registry import (
    DEFAULT_KEEP,
    ModelInfo,
    Registry,
    model_name,
    now_iso,
    write_metadata,
)

MODES = ("auto", "full", "finetune")
DEFAULT_EPOCH_FRACTION = 0.25
MAX_FINETUNE_CHAIN = 5

_EPOCHS = re.compile(r"Epochs:\s+\d+%\|[^|]*\|\s*(\d+)/(\d+)")
_COMPONENT = re.compile(r"Starting to train component '([^']+)'")
_CACHED = re.compile(r"Restored component '([^']+)' from cache")


@dataclass
class RetrainOptions:
    """How to retrain and how strict the gate is."""

    margin: float = DEFAULT_MARGIN
    keep: int = DEFAULT_KEEP
    mode: str = "auto"
    epoch_fraction: float = DEFAULT_EPOCH_FRACTION
    force: bool = False
    max_finetune_chain: int = MAX_FINETUNE_CHAIN
    progress: bool = True


@dataclass
class RetrainResult:
    """What a retraining did."""

    status: str                       # up_to_date, promoted, rejected
    mode: str | None = None           # full, finetune
    reason: str = ""
    model: ModelInfo | None = None    # the promoted or rejected candidate
    gate: GateResult | None = None
    training_seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


def choose_mode(served: ModelInfo | None, hashes: fingerprint.DataHashes,
                options: RetrainOptions) -> tuple[str, str]:
    """("full" | "finetune", why)."""
    if served is None:
        return "full", "no model yet"
    possible, reason = fingerprint.finetune_decision(
        served.metadata.get("data_hashes"), hashes)
    if possible and served.metadata.get("rasa_version") != _rasa_version():
        possible, reason = False, "the served model was trained by another Rasa version"
    depth = int(served.metadata.get("finetune_depth") or 0)
    if possible and depth >= options.max_finetune_chain:
        possible, reason = False, f"{depth} fine-tunings in a row: a full training resets drift"
    if options.mode == "full":
        return "full", "asked for a full training"
    if options.mode == "finetune" and not possible:
        raise ReviewError(f"Cannot fine-tune: {reason}")
    return ("finetune", reason) if possible else ("full", reason)


def _rasa_version() -> str:
    from importlib.metadata import version

    return version("rasa")


def rasa_train_command(project: Project, out: Path, name: str,
                       finetune: Path | None = None, epoch_fraction: float = 1.0) -> list[str]:
    """The `rasa train` command line of `bot.training.train`, for a candidate."""
    data = [str(path) for path in (project.nlu_data, project.dialogue_data) if path.exists()]
    command = [sys.executable, "-m", "rasa", "train", "--config", str(project.config),
               "--domain", str(project.domain), "--data", *data, "--out", str(out),
               "--fixed-model-name", name]
    if finetune is not None:
        command += ["--finetune", str(finetune), "--epoch-fraction", str(epoch_fraction)]
    return command


def _follow(stream: IO[str], log: IO[str], show: bool) -> None:
    """Copy Rasa's output to the log and drive one progress bar per trained component."""
    bar: tqdm | None = None
    component = "training"
    buffer = ""
    while True:
        chunk = stream.read(256)
        if not chunk:
            break
        log.write(chunk)
        buffer += chunk
        *pieces, buffer = re.split(r"[\r\n]", buffer)
        for piece in pieces:
            started = _COMPONENT.search(piece) or _CACHED.search(piece)
            if started:
                component = started.group(1)
                if bar is not None:
                    bar.close()
                    bar = None
                if show and _CACHED.search(piece):
                    tqdm.write(f"  {component}: restored from Rasa's training cache")
            epochs = _EPOCHS.search(piece)
            if epochs and show:
                done, total = int(epochs.group(1)), int(epochs.group(2))
                if bar is None or bar.total != total:
                    if bar is not None:
                        bar.close()
                    bar = tqdm(total=total, desc=f"  {component}", unit="epoch", leave=True)
                bar.update(done - bar.n)
    if bar is not None:
        bar.close()


def train_candidate(project: Project, settings: Settings, registry: Registry, mode: str,
                    parent: ModelInfo | None, options: RetrainOptions, log_dir: Path
                    ) -> tuple[Path, str, float]:
    """Train into models/candidates/; return (model, mode actually used, seconds)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    name = f"{stamp}-{mode}"
    finetune = parent.path if mode == "finetune" and parent else None
    command = rasa_train_command(project, registry.candidates_dir, name, finetune,
                                 options.epoch_fraction)
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"train-{name}.log"
    started = time.monotonic()
    with log_path.open("w", encoding="utf-8") as log:
        log.write(" ".join(command) + "\n")
        process = subprocess.Popen(
            command, cwd=project.root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, encoding="utf-8", errors="replace",
            env={**os.environ, **settings.environment(), "PYTHONUNBUFFERED": "1"})
        assert process.stdout is not None
        _follow(process.stdout, log, options.progress)
        code = process.wait()
    seconds = time.monotonic() - started
    model = registry.candidates_dir / f"{name}.tar.gz"
    if code == 0 and model.exists():
        return model, mode, seconds
    tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
    if mode == "finetune" and re.search(r"cannot finetune|finetuning is enabled but", tail,
                                        re.IGNORECASE):
        # Rasa's FinetuningValidator is the final judge; our check is only a forecast.
        tqdm.write(f"Rasa refused to fine-tune (see {log_path}); training in full instead.")
        model, _, more = train_candidate(project, settings, registry, "full", parent,
                                         options, log_dir)
        return model, "full", seconds + more
    raise ReviewError(f"`rasa train` failed (exit code {code}); log: {log_path}\n{tail}")


def evaluate(model: Path, project: Project, languages: list[str], label: str,
             progress: bool = True) -> dict[str, evaluation.LanguageReport]:
    """`nlu.evaluation`'s scores of `model` on the held-out tests, with a progress bar."""
    _quiet_rasa()
    examples = {lang: evaluation.load_examples(lang, project.heldout_dir) for lang in languages}
    total = sum(len(items) for items in examples.values())
    agent = evaluation.load_agent(model)
    reports = {}
    with tqdm(total=total, desc=f"Evaluating {label}", unit="msg", disable=not progress) as bar:
        for language, items in examples.items():
            parses = asyncio.run(_parse_all(agent, [e.text for e in items], bar))
            reports[language] = evaluation.score(language, items, parses)
    del agent
    gc.collect()                     # two models in one process: let the first one go
    return reports


def _quiet_rasa() -> None:
    """Rasa logs every parse through structlog; unconfigured, structlog prints them all,
    which would bury the progress bar. Rasa's own configuration honours logging levels."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")     # before TensorFlow is imported
    import structlog
    from rasa.utils.log_utils import configure_structlog

    if not structlog.is_configured():
        configure_structlog(logging.WARNING)


async def _parse_all(agent: Any, texts: list[str], bar: tqdm) -> list[dict[str, Any]]:
    parses = []
    for text in texts:
        parses.append(await agent.parse_message(text))
        bar.update()
    return parses


def _scores(reports: dict[str, evaluation.LanguageReport]) -> dict[str, dict[str, Any]]:
    return {language: report.as_dict() for language, report in reports.items()}


def served_scores(served: ModelInfo, project: Project, languages: list[str],
                  heldout: str, progress: bool) -> dict[str, float]:
    """The served model's F1 per language: from its metadata when the held-out tests are
    unchanged since it was scored, else measured now (and recorded for next time)."""
    meta = dict(served.metadata)
    scores = meta.get("scores") or {}
    if meta.get("heldout_hash") != heldout or not set(languages) <= set(scores):
        reports = evaluate(served.path, project, languages, f"served model {served.name}",
                           progress)
        meta.update(scores=_scores(reports), heldout_hash=heldout)
        meta.setdefault("trained_by", "unknown")
        meta.setdefault("created", now_iso())
        write_metadata(served.path, meta)
        scores = meta["scores"]
    return {lang: float(scores[lang]["intent_macro_f1"]) for lang in languages}


def retrain(project: Project, settings: Settings, options: RetrainOptions | None = None,
            say: Callable[[str], None] = print) -> RetrainResult:
    """Train a candidate, gate it against the served model, promote or reject it."""
    options = options or RetrainOptions()
    if not 0 < options.epoch_fraction <= 1:
        raise ReviewError("--epoch-fraction must be in (0, 1]")
    registry = Registry(project.models_dir, options.keep)
    languages = project.heldout_languages()
    if not languages:
        raise ReviewError(f"No held-out tests in {project.heldout_dir}: nothing to gate on")
    hashes = fingerprint.compute(project)
    heldout = fingerprint.heldout_hash(project)
    served = registry.served()
    recorded = (served.metadata.get("data_hashes") or {}) if served else {}
    if served and recorded.get("overall") == hashes.overall and not options.force:
        say(f"The served model {served.name} was trained on the current data: nothing to "
            "retrain (--force retrains anyway).")
        return RetrainResult("up_to_date", model=served)
    mode, reason = choose_mode(served, hashes, options)
    say(f"Training a candidate ({mode}: {reason})"
        + (f", {options.epoch_fraction:g} of the epochs, from {served.name}"
           if mode == "finetune" and served else "") + "...")
    timings: dict[str, float] = {}
    candidate, mode, timings["training"] = train_candidate(
        project, settings, registry, mode, served, options, project.review_dir / "logs")
    say(f"Trained {candidate.name} in {timings['training']:.0f} s.")

    started = time.monotonic()
    reports = evaluate(candidate, project, languages, "candidate", options.progress)
    current = (served_scores(served, project, languages, heldout, options.progress)
               if served else None)
    timings["evaluation"] = time.monotonic() - started
    gate = compare(current, {lang: r.intent_macro_f1 for lang, r in reports.items()},
                   options.margin)
    parent_depth = int(served.metadata.get("finetune_depth") or 0) if served else 0
    metadata: dict[str, Any] = {
        "name": model_name(candidate),
        "created": now_iso(),
        "trained_by": mode,
        "reason": reason,
        "parent": served.name if served else None,
        "epoch_fraction": options.epoch_fraction if mode == "finetune" else None,
        "finetune_depth": parent_depth + 1 if mode == "finetune" else 0,
        "training_seconds": round(timings["training"], 1),
        "rasa_version": _rasa_version(),
        "data_hashes": hashes.as_dict(),
        "heldout_hash": heldout,
        "scores": _scores(reports),
        "gate": {**gate.as_dict(), "against": served.name if served else None},
    }
    say("\n" + gate.table())
    if gate.accepted:
        info = registry.promote(candidate, metadata)
        say(f"\nPromoted: {info.path} is now the served model "
            "(restart the assistant to load it).")
        status = "promoted"
    else:
        info = registry.reject(candidate, metadata)
        say(f"\nRejected: kept in {info.path} for inspection; the served model is unchanged.")
        status = "rejected"
    _write_report(project, info, gate)
    return RetrainResult(status, mode, reason, info, gate, timings["training"], timings)


def _write_report(project: Project, info: ModelInfo, gate: GateResult) -> None:
    """The gate's table as a text file too, for CI logs and the maintainers' records."""
    folder = project.review_dir / "gate"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{info.name}.txt").write_text(
        f"candidate {info.name} ({info.metadata.get('trained_by')}, "
        f"parent {info.metadata.get('parent')})\n{gate.table()}\n", encoding="utf-8")
