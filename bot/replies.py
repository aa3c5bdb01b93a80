"""The wording of replies that name the clinic, from bot/replies.yml, filled from the profile."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge import KnowledgeBase
from bot.procedures import ProcedureVocabulary
from bot.profile import ClinicProfile, current_profile

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


def offered_procedures(
    profile: ClinicProfile | None = None, kb: KnowledgeBase | None = None
) -> ProcedureVocabulary:
    """The tests this clinic answers about: the knowledge base's, limited to the profile's list."""
    profile = profile or current_profile()
    return (kb or KnowledgeBase.current()).procedures(profile.procedures)


def render(name: str, profile: ClinicProfile | None = None, **extra: Any) -> str:
    """The reply ``name`` with the clinic profile's details (and ``extra``) filled in.

    ``{procedures}`` is the list of tests the clinic answers about, from the knowledge base."""
    profile = profile or current_profile()
    template = templates()[name]
    values = {**profile_vars(profile), **extra}
    if "{procedures}" in template and "procedures" not in values:
        values["procedures"] = offered_procedures(profile).names_text()
    return template.format(**values)
