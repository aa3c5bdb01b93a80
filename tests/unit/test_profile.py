"""bot/profile.py: the clinic profile is validated on load and chosen by CLINIC_PROFILE."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot import PROJECT_ROOT
from bot.profile import ProfileError, current_profile, load_profile
from bot.topics import LOCAL_TOPIC_LABELS

DEFAULT = PROJECT_ROOT / "clinic" / "default.yml"
FILLED = PROJECT_ROOT / "clinic" / "example-filled.yml"


def write_profile(tmp_path: Path, **changes) -> Path:
    data = yaml.safe_load(DEFAULT.read_text())
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    path = tmp_path / "profile.yml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_default_profile_has_fake_contacts_and_no_local_answers():
    profile = load_profile(DEFAULT)
    assert "example" in profile.phone and "not a real clinic" in profile.clinic_name
    assert profile.emergency_number == "911" and profile.crisis_line == "988"
    assert all(profile.local_answer(topic) is None for topic in LOCAL_TOPIC_LABELS)


def test_filled_example_answers_every_local_topic():
    profile = load_profile(FILLED)
    assert "fictional" in profile.clinic_name
    for topic in LOCAL_TOPIC_LABELS:
        assert profile.local_answer(topic), topic
    assert profile.local_answer("hospital_stay") == (
        "The test is done as a day case. You will not need to stay overnight."
    )


def test_environment_variable_chooses_the_profile(monkeypatch):
    monkeypatch.setenv("CLINIC_PROFILE", str(FILLED))
    assert current_profile().clinic_name == "Riverside Haematology Day Unit (fictional example)"
    monkeypatch.delenv("CLINIC_PROFILE")
    assert current_profile().clinic_name.startswith("Example Haematology Clinic")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"phone": None}, "field 'phone': field required"),
        ({"phone": ""}, "field 'phone': ensure this value has at least 1 characters"),
        ({"emergency_number": ["911"]}, "field 'emergency_number': str type expected"),
        ({"opening_hours": {"mon": "9-5"}}, "field 'opening_hours': str type expected"),
        ({"fax": "555"}, "field 'fax': extra fields not permitted"),
        ({"locale": "english"}, "field 'locale': string does not match regex"),
        ({"local_answers": {"parking": "Level 2"}},
         "field 'local_answers.parking': extra fields not permitted"),
        ({"local_answers": {"duration": 30}}, None),  # numbers are coerced to text: allowed
    ],
)
def test_invalid_profiles_are_rejected_naming_the_field(tmp_path, changes, message):
    path = write_profile(tmp_path, **changes)
    if message is None:
        assert load_profile(path).local_answer("duration") == "30"
        return
    with pytest.raises(ProfileError) as err:
        load_profile(path)
    assert str(path) in str(err.value)
    assert message in str(err.value)


def test_unreadable_and_non_mapping_profiles_are_rejected(tmp_path):
    with pytest.raises(ProfileError, match="cannot be read"):
        load_profile(tmp_path / "missing.yml")
    bad = tmp_path / "bad.yml"
    bad.write_text("clinic_name: [unclosed")
    with pytest.raises(ProfileError, match="not valid YAML"):
        load_profile(bad)
    bad.write_text("- a list")
    with pytest.raises(ProfileError, match="expected a mapping"):
        load_profile(bad)


def test_start_stops_before_anything_runs_on_an_invalid_profile(tmp_path):
    path = write_profile(tmp_path, emergency_number=None, crisis_line=[1])
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"], cwd=PROJECT_ROOT, capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "CLINIC_PROFILE": str(path), "RASA_PORT": "1"},
        timeout=120,
    )
    assert result.returncode == 2
    assert "field 'crisis_line': str type expected" in result.stderr
    assert "starting" not in result.stdout
