"""The clinic profile: the deploying clinic's name, contacts and emergency numbers.

The profile in use is chosen by the ``CLINIC_PROFILE`` environment variable (a path to a YAML
file); without it the shipped ``clinic/default.yml`` is used. It is validated on load: a wrong
field or type raises ``ProfileError`` naming the field and the problem.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Optional

import yaml
from pydantic import BaseConfig, BaseModel, Extra, ValidationError, constr, create_model

from bot.settings import DEFAULT_CLINIC_PROFILE, clinic_profile_path
from bot.topics import LOCAL_TOPIC_LABELS

DEFAULT_PROFILE = DEFAULT_CLINIC_PROFILE

Text = constr(strip_whitespace=True, min_length=1)


class ProfileError(ValueError):
    """The clinic profile file is missing or invalid."""


class _Strict(BaseConfig):
    extra = Extra.forbid
    allow_mutation = False


# The clinic's own answers to practical questions the documents do not cover, one optional field
# per local topic (bot/topics.py). An unanswered topic gets an honest "ask your clinic".
LocalAnswers = create_model(
    "LocalAnswers",
    __config__=_Strict,
    **{topic: (Optional[Text], None) for topic in LOCAL_TOPIC_LABELS},  # noqa: UP045
)


class ClinicProfile(BaseModel):
    clinic_name: Text
    phone: Text
    opening_hours: Text
    address: Text | None = None
    website: Text | None = None
    emergency_number: Text = "911"
    crisis_line: Text = "988"
    locale: constr(regex=r"^[a-z]{2,3}(-[A-Z]{2})?$") = "en-US"  # noqa: F722
    local_answers: LocalAnswers = LocalAnswers()
    # The clinic's own documents (same formats as documents/), added to the knowledge base.
    # A relative path is taken from the profile file's folder.
    documents_dir: Optional[Text] = None  # noqa: UP045
    # The tests this clinic does, by procedure id (documents/sources.yml, `procedure`), e.g.
    # [biopsy]. Unset: every test the documents describe. Only these are answered and offered on
    # the "which test?" buttons; with one test the bot never asks which. A question about any
    # other test gets the honest decline with the clinic's contacts.
    procedures: Optional[list[Text]] = None  # noqa: UP045
    # Text channels (SMS, WhatsApp...): after each quoted answer, a one-line "Did this answer
    # help? Reply 1 ... 2 ..." (actions/feedback.py). The web widget always offers Yes / No.
    text_feedback_prompt: bool = False

    Config = _Strict

    def local_answer(self, topic: str) -> str | None:
        return getattr(self.local_answers, topic, None)

    def contact_line(self) -> str:
        """One sentence telling the patient how to reach the clinic."""
        return f"You can call {self.clinic_name} on {self.phone} ({self.opening_hours})."


def profile_path() -> Path:
    return clinic_profile_path()


def load_profile(path: Path | str | None = None) -> ClinicProfile:
    path = Path(path) if path else profile_path()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProfileError(f"clinic profile {path}: cannot be read ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise ProfileError(f"clinic profile {path}: not valid YAML ({exc})") from exc
    if not isinstance(raw, dict):
        raise ProfileError(f"clinic profile {path}: expected a mapping of fields")
    folder = raw.get("documents_dir")
    if isinstance(folder, str) and folder.strip():
        folder = (path.parent / folder.strip()).resolve()
        if not folder.is_dir():
            raise ProfileError(f"clinic profile {path}: field 'documents_dir': no folder {folder}")
        raw = {**raw, "documents_dir": str(folder)}
    try:
        return ClinicProfile(**raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"field '{'.'.join(str(p) for p in err['loc'])}': {err['msg']}" for err in exc.errors()
        )
        raise ProfileError(f"clinic profile {path}: {problems}") from exc


@cache
def _cached(path: str, mtime: float) -> ClinicProfile:
    return load_profile(path)


def current_profile() -> ClinicProfile:
    """The profile in use, re-read when its file changes."""
    path = profile_path()
    return _cached(str(path), path.stat().st_mtime if path.exists() else 0.0)
