"""Training the model when, and only when, its inputs changed.

`make run` calls `advisor train`: it trains when the newest `models/*.tar.gz` is older than
any input (config, domain, NLU and dialogue data, the NLU components and their data).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from bot.settings import MODELS_DIR, PROJECT_DIR, Settings

logger = logging.getLogger(__name__)

NLU_DATA = PROJECT_DIR / "nlu" / "data"
DIALOGUE_DATA = PROJECT_DIR / "bot" / "dialogue"
CONFIG = PROJECT_DIR / "config.yml"
DOMAIN = PROJECT_DIR / "domain.yml"


def training_inputs() -> list[Path]:
    """Every file a trained model depends on."""
    patterns = [
        (NLU_DATA, "**/*.yml"),
        (DIALOGUE_DATA, "**/*.yml"),
        (PROJECT_DIR / "nlu", "**/*.py"),
        (PROJECT_DIR / "nlu" / "aliases", "*.yml"),
        (PROJECT_DIR / "nlu" / "vocab", "*.yml"),
    ]
    files = [CONFIG, DOMAIN, PROJECT_DIR / "knowledge" / "data" / "sectors.yml"]
    for folder, pattern in patterns:
        files += sorted(folder.glob(pattern))
    return [path for path in dict.fromkeys(files) if path.exists()]


def newest_model(models_dir: Path = MODELS_DIR) -> Path | None:
    """The model Rasa serves: the newest `*.tar.gz` under models/."""
    models = sorted(models_dir.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


def is_stale(models_dir: Path = MODELS_DIR) -> bool:
    """Whether the newest model is missing or older than any of its inputs."""
    model = newest_model(models_dir)
    if model is None:
        return True
    built = model.stat().st_mtime
    return any(path.stat().st_mtime > built for path in training_inputs())


def train(settings: Settings, force: bool = False, out: Path = MODELS_DIR) -> Path | None:
    """Train with `rasa train` if stale (or forced); returns the newest model."""
    if not force and not is_stale(out):
        logger.info("Model %s is up to date", newest_model(out))
        return newest_model(out)
    command = [
        sys.executable, "-m", "rasa", "train",
        "--config", str(CONFIG), "--domain", str(DOMAIN),
        "--data", str(NLU_DATA), str(DIALOGUE_DATA),
        "--out", str(out),
    ]
    print("Training the model (inputs changed)...", flush=True)
    subprocess.run(command, check=True, cwd=PROJECT_DIR,
                   env={**os.environ, **settings.environment()})
    return newest_model(out)
