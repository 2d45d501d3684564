"""Paths and settings shared by the knowledge package."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent
DATA_DIR = PACKAGE_DIR / "data"
RAW_DIR = DATA_DIR / "raw"
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"
DEFAULT_SQLITE_PATH = REPO_ROOT / "var" / "knowledge.db"

DATABASE_URL_ENV = "ADVISOR_DATABASE_URL"


def database_url(explicit: str | None = None) -> str:
    """Return the knowledge base URL.

    Order: an explicit URL, then ``ADVISOR_DATABASE_URL``, then the SQLite file
    ``var/knowledge.db`` under the repository root.
    """
    if explicit:
        return explicit
    env = os.environ.get(DATABASE_URL_ENV, "").strip()
    if env:
        return env
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"
