"""End to end: the real action server and Rasa server (trained model), over HTTP."""

from __future__ import annotations

import json
import uuid

import pytest

from bot.knowledge import KnowledgeBase
from bot.profile import current_profile
from bot.replies import render

pytestmark = pytest.mark.e2e

KB = KnowledgeBase.load()


def section_text(doc_id: str, topic: str) -> str:
    return KB.document(doc_id).section(topic).text()


def said(replies: list[dict]) -> str:
    """What the bot said in one turn. Rasa sends each paragraph as its own message."""
    return "\n\n".join(r["text"] for r in replies if r.get("text"))


def conversation() -> str:
    return f"e2e-{uuid.uuid4().hex[:10]}"


def test_biopsy_pain_question_gets_the_biopsy_sensation_section(rest):
    reply = said(rest.say(conversation(), "does a bone marrow biopsy hurt?"))
    assert reply.startswith(section_text("bone-marrow-biopsy", "sensation"))
    assert reply.startswith("You will feel a sharp sting when the numbing medicine is injected.")
    assert reply.endswith(
        '"Bone marrow biopsy", section "How the Test will Feel". '
        "https://medlineplus.gov/ency/article/003934.htm (reviewed 6/17/2024)"
    )


def test_follow_up_keeps_the_procedure_then_switches(rest):
    sender = conversation()
    first = said(rest.say(sender, "how is a bone marrow biopsy done?"))
    assert first.startswith(section_text("bone-marrow-biopsy", "how_performed"))
    second = said(rest.say(sender, "will it hurt?"))
    assert second.startswith(section_text("bone-marrow-biopsy", "sensation"))
    third = said(rest.say(sender, "what about the aspiration?"))
    assert third.startswith(section_text("bone-marrow-aspiration", "sensation"))


def test_unknown_procedure_asks_which_test_and_the_button_continues(rest):
    sender = conversation()
    [ask] = rest.say(sender, "will it hurt?")
    assert ask["text"] == render("ask_procedure")
    payloads = {b["title"]: b["payload"] for b in ask["buttons"]}
    assert list(payloads) == ["Bone marrow aspiration", "Bone marrow biopsy"]
    answer = said(rest.say(sender, payloads["Bone marrow aspiration"]))
    assert answer.startswith(section_text("bone-marrow-aspiration", "sensation"))


def test_typed_reply_to_which_test_continues_the_question(rest):
    sender = conversation()
    rest.say(sender, "how do i prepare")
    answer = said(rest.say(sender, "the biopsy"))
    assert answer.startswith(section_text("bone-marrow-biopsy", "preparation"))
    assert "If you are allergic to any medicines" in answer


def test_red_flag_goes_to_emergency_care_first(rest):
    profile = current_profile()
    sender = conversation()
    rest.say(sender, "how is a bone marrow biopsy done?")
    reply = said(rest.say(sender, "i had my biopsy yesterday and the bandage is soaked with blood"))
    first_line = reply.splitlines()[0]
    assert profile.emergency_number in first_line
    assert "now" in first_line.lower()


def test_an_emergency_the_rules_miss_is_caught_by_the_learned_second_line(rest):
    from bot import redflags

    profile = current_profile()
    text = "my wife just went down, out to it on the bathroom floor"
    assert redflags.detect(text) is None  # the rules do not read it
    first_line = said(rest.say(conversation(), text)).splitlines()[0]
    assert profile.emergency_number in first_line


def test_ordinary_bleeding_question_gets_the_risks_section(rest):
    reply = said(rest.say(conversation(), "is there a risk of bleeding after a biopsy?"))
    assert reply.startswith(section_text("bone-marrow-biopsy", "risks"))


def test_greeting_says_it_is_automated_and_gives_the_emergency_number(rest):
    reply = said(rest.say(conversation(), "hello"))
    assert "automated assistant" in reply
    assert current_profile().clinic_name in reply
    assert current_profile().emergency_number in reply


def test_out_of_scope_is_declined_with_the_clinic_contact(rest):
    reply = said(rest.say(conversation(), "what chemo will i get for my leukaemia"))
    assert reply.startswith("Sorry, I only have information about bone marrow aspiration")
    assert current_profile().phone in reply


def test_empty_body_fields_get_a_4xx_not_a_500(rest):
    status, _ = rest.post(b"{not json")
    assert 400 <= status < 500
    status, _ = rest.post(json.dumps({"sender": "x"}).encode())
    assert status < 500


def test_clinic_question_is_not_answered_from_the_documents(rest):
    reply = said(rest.say(conversation(), "can i eat breakfast before the biopsy or do i fast"))
    assert reply == render("local_unanswered", topic_label="eating and drinking before the test")
    assert current_profile().phone in reply
