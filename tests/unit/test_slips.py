"""tools.slips: messages typed with slips."""

import random

from tools.slips import dev_messages, with_slips


def test_two_long_words_get_one_slip_each() -> None:
    text = "where exactly do they put the needle in"
    slipped = with_slips(text, random.Random(1))
    changed = [(a, b) for a, b in zip(text.split(), slipped.split(), strict=True) if a != b]
    assert len(changed) == 2
    assert all(len(a) >= 5 and abs(len(a) - len(b)) <= 1 and a[0] == b[0] for a, b in changed)
    assert with_slips(text, random.Random(1)) == slipped  # the same seed types the same slips


def test_short_words_are_typed_as_they_are() -> None:
    assert with_slips("does it hurt", random.Random(1)) == "does it hurt"


def test_measure_only_sets_are_left_out(tmp_path) -> None:
    (tmp_path / "a.yml").write_text(
        "messages:\n- text: does it hurt\n  expect: {topic: sensation, procedure: null}\n"
        "- text: hello\n  expect: smalltalk\n")
    (tmp_path / "b.yml").write_text(
        "# MEASURE-ONLY SET\nmessages:\n- text: is it safe\n"
        "  expect: {topic: risks, procedure: null}\n")
    assert dev_messages(tmp_path) == ["does it hurt"]
