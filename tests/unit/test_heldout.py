"""The held-out evaluation set is well-formed, large enough, and never leaks into training data."""

from __future__ import annotations

import subprocess
import sys

from bot import PROJECT_ROOT


def test_heldout_set_is_valid_and_not_in_training_data():
    result = subprocess.run(
        [sys.executable, "tests/heldout/validate_heldout.py", "--check-leak"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "leak check: 0 held-out texts also found in data/" in result.stdout
