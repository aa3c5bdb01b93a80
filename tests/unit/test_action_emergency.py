"""actions/emergency.py: the red-flag reply, with the clinic profile's emergency numbers."""

from __future__ import annotations

import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions.emergency import ActionHandleEmergency
from bot import PROJECT_ROOT
from tests.support.trackers import message, tracker


def uk_profile(tmp_path):
    data = yaml.safe_load((PROJECT_ROOT / "clinic" / "default.yml").read_text())
    data.update(emergency_number="999", crisis_line="116 123", locale="en-GB")
    path = tmp_path / "uk.yml"
    path.write_text(yaml.safe_dump(data))
    return path


def run(t):
    dispatcher = CollectingDispatcher()
    assert ActionHandleEmergency().run(dispatcher, t, {}) == []
    return dispatcher.messages


def test_bleeding_reply_uses_the_default_emergency_number(monkeypatch):
    monkeypatch.delenv("CLINIC_PROFILE", raising=False)
    t = tracker("emergency", "my bandage is soaked with blood",
                red_flag={"category": "bleeding", "matched": "soaked with blood"})
    assert run(t) == [
        message(
            "Please call 911 now or go to the nearest emergency department.\n"
            "This assistant cannot help with emergencies. When you are safe, please also let "
            "your care team know."
        )
    ]


def test_profile_numbers_are_used(monkeypatch, tmp_path):
    monkeypatch.setenv("CLINIC_PROFILE", str(uk_profile(tmp_path)))
    t = tracker("emergency", "i want to end my life",
                red_flag={"category": "suicidal", "matched": "end my life"})
    [reply] = run(t)
    first_line = reply["text"].splitlines()[0]
    assert first_line.startswith("If you are thinking about suicide or ending your life, please "
                                 "call or text 116 123 now")
    assert "call 999" in first_line
    t = tracker("emergency", "chest pain", red_flag={"category": "chest_pain", "matched": "x"})
    assert run(t)[0]["text"].splitlines()[0] == (
        "Please call 999 now or go to the nearest emergency department."
    )


def test_without_the_parse_annotation_the_text_is_checked_again(monkeypatch):
    monkeypatch.delenv("CLINIC_PROFILE", raising=False)
    [reply] = run(tracker("emergency", "I want to kill myself"))
    assert "988 now" in reply["text"].splitlines()[0]
