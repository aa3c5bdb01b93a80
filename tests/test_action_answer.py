"""actions/answer.py: the generic answering action, with a CollectingDispatcher and a Tracker
built from a small dict (RasaHQ financial-demo style), asserting exact events and messages."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answer import ActionAnswerQuestion, citation, knowledge_base
from bot.replies import render
from tests.trackers import message, tracker

BIOPSY_FEEL = (
    "You will feel a sharp sting when the numbing medicine is injected. The biopsy needle may "
    "also cause a brief, usually dull, pain. Since the inside of the bone cannot be numbed, this "
    "test may cause some discomfort.\n\nIf a bone marrow aspiration is also done, you may feel a "
    "brief, sharp pain as the bone marrow liquid is removed."
)
BIOPSY_CITATION = (
    'Source: MedlinePlus Medical Encyclopedia (U.S. National Library of Medicine), '
    '"Bone marrow biopsy", section "How the Test will Feel". '
    "https://medlineplus.gov/ency/article/003934.htm (reviewed 6/17/2024)"
)
ASPIRATION_FEEL_START = "You will feel a sting and slight burning sensation"
PROCEDURE = {"entity": "procedure", "extractor": "SpacyEntityExtractor"}


def run(t):
    dispatcher = CollectingDispatcher()
    events = ActionAnswerQuestion().run(dispatcher, t, {})
    return dispatcher, events


def test_answers_the_biopsy_sensation_verbatim_with_citation():
    t = tracker(
        "ask_sensation",
        "does a bone marrow biopsy hurt?",
        entities=[{**PROCEDURE, "value": "bone marrow biopsy"}],
    )
    dispatcher, events = run(t)
    assert events == [SlotSet("procedure", "biopsy"), SlotSet("topic", "sensation")]
    assert dispatcher.messages == [message(f"{BIOPSY_FEEL}\n\n{BIOPSY_CITATION}")]


def test_lay_term_entity_is_normalised():
    t = tracker("ask_sensation", "does a sternal tap hurt", [{**PROCEDURE, "value": "sternal tap"}])
    dispatcher, events = run(t)
    assert events == [SlotSet("procedure", "aspiration"), SlotSet("topic", "sensation")]
    assert dispatcher.messages[0]["text"].startswith(ASPIRATION_FEEL_START)
    assert '"Bone marrow aspiration", section "How the Test will Feel"' in (
        dispatcher.messages[0]["text"]
    )


def test_procedure_remembered_in_slot_answers_a_follow_up():
    slots = {"procedure": "biopsy", "topic": "how_performed"}
    t = tracker("ask_sensation", "will it hurt?", slots=slots)
    dispatcher, events = run(t)
    assert events == [SlotSet("topic", "sensation")]
    assert dispatcher.messages == [message(f"{BIOPSY_FEEL}\n\n{BIOPSY_CITATION}")]


def test_unknown_procedure_and_different_texts_asks_which_test_with_buttons():
    dispatcher, events = run(tracker("ask_sensation", "will it hurt?"))
    assert events == [SlotSet("topic", "sensation")]
    assert dispatcher.messages == [
        message(
            render("ask_procedure"),
            buttons=[
                {"title": "Bone marrow aspiration",
                 "payload": '/inform_procedure{"procedure": "aspiration"}'},
                {"title": "Bone marrow biopsy",
                 "payload": '/inform_procedure{"procedure": "biopsy"}'},
            ],
        )
    ]


def test_bare_procedure_reply_continues_the_remembered_question():
    t = tracker(
        "inform_procedure", '/inform_procedure{"procedure": "biopsy"}',
        entities=[{"entity": "procedure", "value": "biopsy"}], slots={"topic": "sensation"},
    )
    dispatcher, events = run(t)
    assert events == [SlotSet("procedure", "biopsy"), SlotSet("topic", "sensation")]
    assert dispatcher.messages == [message(f"{BIOPSY_FEEL}\n\n{BIOPSY_CITATION}")]


def test_identical_texts_are_quoted_once_and_both_sources_cited():
    dispatcher, events = run(tracker("ask_risks", "what are the risks"))
    assert events == [SlotSet("topic", "risks")]
    [reply] = dispatcher.messages
    text = reply["text"]
    assert text.startswith("There may be some bleeding at the puncture site.")
    assert text.count("There may be some bleeding") == 1
    assert "https://medlineplus.gov/ency/article/003658.htm (reviewed 4/2/2018)" in text
    assert "https://medlineplus.gov/ency/article/003934.htm (reviewed 6/17/2024)" in text


def test_stem_cell_topics_need_no_procedure():
    dispatcher, events = run(tracker("ask_blood_cells", "what does marrow make"))
    assert events == [SlotSet("topic", "blood_cells")]
    text = dispatcher.messages[0]["text"]
    assert "• platelets, which help the blood to clot and prevent bleeding." in text
    assert '"Bone marrow and stem cells", section "The three types of blood cells"' in text
    assert "reviewed 01 June 2006" in text


def test_own_results_get_the_general_text_and_the_care_team_statement():
    t = tracker("ask_abnormal_results", "my results came back abnormal, what does it mean",
                slots={"procedure": "biopsy"})
    dispatcher, _ = run(t)
    assert dispatcher.messages[0]["text"].startswith(
        "Abnormal results may be due to cancers of the bone marrow"
    )
    assert dispatcher.messages[1] == message(render("own_results"))


def test_bare_procedure_without_a_question_asks_what_they_want_to_know():
    t = tracker("inform_procedure", "the biopsy", [{**PROCEDURE, "value": "biopsy"}])
    dispatcher, events = run(t)
    assert events == [SlotSet("procedure", "biopsy")]
    assert dispatcher.messages == [
        message(render("ask_question", procedure_name="bone marrow biopsy"))
    ]


@pytest.mark.parametrize("topic", knowledge_base().topics())
def test_every_topic_is_answerable_for_each_procedure(topic):
    for procedure in ("aspiration", "biopsy"):
        dispatcher, _ = run(tracker(f"ask_{topic}", "q", slots={"procedure": procedure}))
        matches = knowledge_base().find(topic)
        assert any(
            dispatcher.messages[0]["text"].endswith(citation(d, s)) for d, s in matches
        ), topic


def test_naming_both_procedures_quotes_both_documents():
    t = tracker(
        "ask_overview", "whats the difference between aspiration and biopsy",
        entities=[{**PROCEDURE, "value": "aspiration"}, {**PROCEDURE, "value": "biopsy"}],
    )
    dispatcher, events = run(t)
    assert events == [SlotSet("procedure", "biopsy"), SlotSet("topic", "overview")]
    text = dispatcher.messages[0]["text"]
    assert "Bone marrow aspiration is not the same as bone marrow biopsy." in text
    assert "Bone marrow biopsy is not the same as bone marrow aspiration." in text
    assert text.index("003658.htm") < text.index("Bone marrow biopsy is not the same")


def test_another_test_is_declined_not_answered_from_the_bone_marrow_leaflets():
    t = tracker("ask_sensation", "does a breast biopsy hurt",
                entities=[{"entity": "other_procedure", "value": "breast biopsy"}])
    dispatcher, events = run(t)
    assert events == []
    assert dispatcher.messages == [message(render("out_of_scope"))]


def test_procedure_found_in_the_text_when_no_entity_was_extracted():
    t = tracker("ask_sensation", "does the biopsy needle going into the bone hurt?",
                entities=[{"entity": "needle", "value": "biopsy needle"}])
    dispatcher, events = run(t)
    assert events == [SlotSet("procedure", "biopsy"), SlotSet("topic", "sensation")]
    assert dispatcher.messages == [message(f"{BIOPSY_FEEL}\n\n{BIOPSY_CITATION}")]
