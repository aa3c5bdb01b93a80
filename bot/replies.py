"""The wording of replies that name the clinic, from bot/replies.yml, filled from the profile."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.profile import ClinicProfile, current_profile
from bot.topics import PROCEDURE_LABELS

REPLIES_FILE = Path(__file__).with_name("replies.yml")


@lru_cache(maxsize=1)
def templates() -> dict[str, str]:
    return yaml.safe_load(REPLIES_FILE.read_text(encoding="utf-8"))


def profile_vars(profile: ClinicProfile) -> dict[str, str]:
    return {
        "clinic_name": profile.clinic_name,
        "clinic_phone": profile.phone,
        "opening_hours": profile.opening_hours,
        "contact": profile.contact_line(),
        "emergency_number": profile.emergency_number,
        "crisis_line": profile.crisis_line,
    }


def procedure_name(procedure: str | None) -> str:
    return PROCEDURE_LABELS.get(procedure or "", "test")


def render(name: str, profile: ClinicProfile | None = None, **extra: Any) -> str:
    """The reply ``name`` with the clinic profile's details (and ``extra``) filled in."""
    values = {**profile_vars(profile or current_profile()), **extra}
    return templates()[name].format(**values)
