"""Run-time settings from the environment, with the embedded defaults of `make run`.

One variable moves persistence: ADVISOR_DATABASE_URL (an SQLAlchemy URL, e.g.
postgresql://user@127.0.0.1:5432/advisor). Unset, the tracker store and the knowledge
base are SQLite files under var/. ADVISOR_TRACKER_URL moves only the tracker store.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = PROJECT_DIR / "var"
MODELS_DIR = PROJECT_DIR / "models"


@dataclass(frozen=True)
class Settings:
    """Ports, URLs and paths of one running assistant."""

    rasa_port: int
    action_port: int
    database_url: str | None
    cache_dir: Path
    tracker_url_override: str | None = None

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}/webhook"

    @property
    def nlg_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}/nlg"

    @property
    def tracker_url(self) -> str:
        """ADVISOR_TRACKER_URL, else ADVISOR_DATABASE_URL, else SQLite under var/."""
        return (self.tracker_url_override or self.database_url
                or f"sqlite:///{VAR_DIR / 'tracker.db'}")

    @property
    def tracker_dialect(self) -> str:
        return self.tracker_url.split(":", 1)[0].split("+", 1)[0]

    def environment(self) -> dict[str, str]:
        """Variables that endpoints.yml and the servers read."""
        env = {
            "ADVISOR_ACTION_URL": self.action_url,
            "ADVISOR_NLG_URL": self.nlg_url,
            "ADVISOR_TRACKER_DIALECT": self.tracker_dialect,
            "ADVISOR_TRACKER_URL": self.tracker_url,
            "RASA_CACHE_DIRECTORY": str(self.cache_dir),
            # Rasa's default (1 GB) evicts the trained DIET and featurizers after two or
            # three trainings of this six-language model; CI then trains from scratch.
            "RASA_MAX_CACHE_SIZE": os.environ.get("RASA_MAX_CACHE_SIZE", "6000"),
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "SANIC_HOST": "127.0.0.1",
        }
        if self.database_url:
            env["ADVISOR_DATABASE_URL"] = self.database_url
        return env


def _sqlalchemy_url(url: str | None) -> str | None:
    """SQLAlchemy 1.4 refuses the "postgres://" scheme many hosts hand out."""
    if not url:
        return None
    return "postgresql://" + url[len("postgres://"):] if url.startswith("postgres://") else url


def load() -> Settings:
    """Settings from the environment (ports, database URL, cache directory)."""
    cache_home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return Settings(
        rasa_port=int(os.environ.get("ADVISOR_RASA_PORT", "5005")),
        action_port=int(os.environ.get("ADVISOR_ACTION_PORT", "5055")),
        database_url=_sqlalchemy_url(os.environ.get("ADVISOR_DATABASE_URL")),
        # Outside the checkout, so a fresh clone (CI) reuses trained graph nodes whose
        # fingerprints (config, data, component code) are unchanged.
        cache_dir=Path(os.environ.get("RASA_CACHE_DIRECTORY")
                       or cache_home / "sme-advisor" / "rasa"),
        tracker_url_override=_sqlalchemy_url(os.environ.get("ADVISOR_TRACKER_URL")),
    )
