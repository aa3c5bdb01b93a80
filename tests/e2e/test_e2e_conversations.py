"""End to end, over the REST channel with the real servers: the five failure classes of issue 10
(procedure memory, elliptical follow-ups, definitions, compound questions, near misses), one
conversation each. Wording here is the tests' own: it is neither in data/ nor in tests/heldout/."""

from __future__ import annotations

import re
import uuid

import pytest

from bot.profile import current_profile
from bot.replies import render

pytestmark = pytest.mark.e2e

ASPIRATION = "Bone marrow aspiration"
BIOPSY = "Bone marrow biopsy"
PAGE = "Bone marrow and stem cells"


def said(replies: list[dict]) -> str:
    return "\n\n".join(r["text"] for r in replies if r.get("text"))


def quoted(replies: list[dict]) -> list[tuple[str, str]]:
    """(document title, section heading) of every citation line in the turn, in order."""
    return re.findall(r'"([^"]+)", section "([^"]+)"', said(replies))


def conversation() -> str:
    return f"e2e-conv-{uuid.uuid4().hex[:10]}"


# ---- 1. a test named in any turn is remembered


def test_a_statement_names_the_test_and_later_questions_follow_it(rest):
    sender = conversation()
    first = rest.say(sender, "My hospital has scheduled a bone marrow aspiration for me next week")
    assert quoted(first) == [(ASPIRATION, ASPIRATION)]
    assert quoted(rest.say(sender, "why would they need that?")) == [
        (ASPIRATION, "Why the Test is Performed")]


def test_a_clinic_question_names_the_test_for_the_next_question(rest):
    sender = conversation()
    reply = said(rest.say(sender, "am I allowed food on the morning of my biopsy?"))
    assert reply == render("local_unanswered", topic_label="eating and drinking before the test")
    assert quoted(rest.say(sender, "is it going to hurt?")) == [(BIOPSY, "How the Test will Feel")]


def test_a_greeting_that_names_the_test_is_remembered(rest):
    sender = conversation()
    greeting = said(rest.say(sender, "hi, I'm having a bone marrow biopsy on thursday"))
    assert "automated assistant" in greeting
    assert quoted(rest.say(sender, "what are the risks?")) == [(BIOPSY, "Risks")]


def test_after_stem_cells_they_are_still_the_subject(rest):
    sender = conversation()
    assert quoted(rest.say(sender, "what exactly are stem cells")) == [(PAGE, "Stem cells")]
    assert quoted(rest.say(sender, "and how do doctors collect them?")) == [
        (PAGE, "Stem cells in the bloodstream and their collection")]


# ---- 2. elliptical follow-ups change the topic and keep the test


def test_elliptical_follow_ups_keep_the_test(rest):
    sender = conversation()
    assert quoted(rest.say(sender, "how is a bone marrow biopsy carried out?")) == [
        (BIOPSY, "How the Test is Performed")]
    assert quoted(rest.say(sender, "and the risks?")) == [(BIOPSY, "Risks")]
    assert quoted(rest.say(sender, "what about the aspiration?")) == [(ASPIRATION, "Risks")]


# ---- 3. definitions


@pytest.mark.parametrize("text, expected", [
    ("What is a bone marrow aspiration?", [(ASPIRATION, ASPIRATION)]),
    ("define bone marrow biopsy", [(BIOPSY, BIOPSY)]),
    ("what is bone marrow?", [(PAGE, "What bone marrow is")]),
])
def test_definitions(rest, text, expected):
    assert quoted(rest.say(conversation(), text)) == expected


# ---- 4. compound and experiential questions


def test_what_to_expect_is_how_it_is_done_and_how_it_feels(rest):
    assert quoted(rest.say(conversation(), "what should I expect during the biopsy?")) == [
        (BIOPSY, "How the Test is Performed"), (BIOPSY, "How the Test will Feel")]


def test_a_comparison_with_a_blood_test_is_about_how_it_feels(rest):
    sender = conversation()
    rest.say(sender, "how is a bone marrow aspiration done?")
    assert quoted(rest.say(sender, "is it more painful than having blood taken?")) == [
        (ASPIRATION, "How the Test will Feel")]


# ---- 5. near misses are declined


@pytest.mark.parametrize("text", [
    "what should I eat to boost my platelets?",
    "is a liver biopsy painful?",
    "what treatment options are there for myelofibrosis?",
    "how is a breast core biopsy done",
])
def test_near_misses_are_declined(rest, text):
    reply = said(rest.say(conversation(), text))
    assert reply.startswith("Sorry, I only have information about bone marrow aspiration")
    assert current_profile().phone in reply


# ---- follow-ups read against the conversation (session 5)


def test_follow_ups_for_someone_else_the_other_test_and_a_word_of_the_answer(rest):
    sender = conversation()
    rest.say(sender, "my daughter is 6 and has a bone marrow biopsy on monday")
    assert quoted(rest.say(sender, "what are the risks")) == [(BIOPSY, "Risks")]
    assert quoted(rest.say(sender, "is it the same for kids?")) == [(BIOPSY, "Risks")]
    assert quoted(rest.say(sender, "and the other one?")) == [(ASPIRATION, "Risks")]
    assert quoted(rest.say(sender, "what can abnormal results mean")) == [
        (ASPIRATION, "What Abnormal Results Mean")]
    assert quoted(rest.say(sender, "lymphoma?")) == [(ASPIRATION, "What Abnormal Results Mean")]
    assert quoted(rest.say(sender, "and for a trephine?")) == [
        (BIOPSY, "What Abnormal Results Mean")]


def test_a_follow_up_after_a_clinic_answer_asks_the_practical_question_again(rest):
    """Session 7: "and for kids?", "what about the biopsy", "and the results?" right after a clinic
    answer continue that practical question; a leaflet question then leaves it."""
    sender = conversation()
    driving = render("local_unanswered", topic_label="driving or getting home afterwards")
    assert said(rest.say(sender, "can I drive home after my bone marrow aspiration?")) == driving
    assert said(rest.say(sender, "and for kids?")) == driving
    assert said(rest.say(sender, "what about the biopsy")) == driving
    assert said(rest.say(sender, "and the results?")) == render(
        "local_unanswered", topic_label="when and how you get your results")
    assert quoted(rest.say(sender, "does it hurt?")) == [(BIOPSY, "How the Test will Feel")]
    assert quoted(rest.say(sender, "and the results?")) == [
        (BIOPSY, "Normal Results"), (BIOPSY, "What Abnormal Results Mean")]


def test_a_test_compared_with_a_blood_test_is_not_declined(rest):
    sender = conversation()
    rest.say(sender, "I'm having a bone marrow biopsy")
    assert quoted(rest.say(sender, "is it worse than a blood test")) == [
        (BIOPSY, "How the Test will Feel")]


def test_how_long_the_soreness_lasts_is_how_it_feels(rest):
    sender = conversation()
    assert quoted(rest.say(sender, "how long does the soreness go on after a bone marrow "
                                   "aspiration?")) == [(ASPIRATION, "How the Test will Feel")]


def test_after_the_emergency_reply_calling_for_help_gets_a_goodbye(rest):
    sender = conversation()
    emergency = said(rest.say(sender, "the biopsy site is bleeding through 4 pads, it won't stop"))
    assert "911" in emergency or current_profile().emergency_number in emergency
    assert said(rest.say(sender, "ok phoning for an ambulance now")) == render("goodbye")
