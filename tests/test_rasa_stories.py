"""Rasa test stories (`rasa test core --fail-on-prediction-errors`) against the newest model."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import PROJECT_DIR, newest_model_or_skip

pytestmark = pytest.mark.slow


def test_dialogue_test_stories_pass(tmp_path) -> None:
    model = newest_model_or_skip()
    result = subprocess.run(
        [sys.executable, "-m", "rasa", "test", "core", "--model", str(model),
         "--stories", "tests/stories", "--fail-on-prediction-errors",
         "--out", str(tmp_path)],
        cwd=PROJECT_DIR, capture_output=True, text=True, timeout=1200,
    )
    failed = (tmp_path / "failed_test_stories.yml")
    detail = failed.read_text() if failed.exists() else result.stderr[-3000:]
    assert result.returncode == 0, detail
