"""Rasa test stories (tests/stories/): the trained model predicts the expected intent and action
at every turn of multi-turn conversations, with the real action server running."""

from __future__ import annotations

import os
import subprocess

import pytest

from bot import PROJECT_ROOT
from bot.serve import render_endpoints
from bot.settings import QUIET_ENV
from bot.training import rasa_executable

pytestmark = pytest.mark.e2e


def test_conversation_stories_pass(bot_servers, trained_model, tmp_path):
    result = subprocess.run(
        [
            rasa_executable(), "test", "core",
            "--model", str(trained_model),
            "--stories", "tests/stories",
            "--endpoints", str(render_endpoints(bot_servers)),
            "--out", str(tmp_path),
            "--fail-on-prediction-errors",
            "--no-plot",
        ],
        cwd=PROJECT_ROOT, env={**os.environ, **QUIET_ENV}, capture_output=True, text=True,
        timeout=600,
    )
    failed = (tmp_path / "failed_test_stories.yml")
    details = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}\n{details}"
    assert "passed" not in details and "story:" not in details, details
