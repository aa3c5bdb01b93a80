"""actions/answer.py: the generic answering action, with a CollectingDispatcher and a Tracker
built from a small dict (RasaHQ financial-demo style), asserting exact events and messages."""

from __future__ import annotations

import dataclasses
import re

import pytest
import yaml
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answer import ActionAnswerQuestion, citation
from actions.readings import knowledge_base
from bot import PROJECT_ROOT
from bot.ingest import DOCUMENTS_DIR, build
from bot.knowledge import KnowledgeBase
from bot.replies import render
from bot.topics import PAGE_TOPICS
from tests.support.trackers import message, tracker

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


def after(t, *events):
    """The tracker ``t`` with these earlier ``events`` (what the bot said, slots it set)."""
    from rasa_sdk import Tracker

    state = t.current_state()
    state["events"] = list(events)
    return Tracker.from_dict(state)


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


@pytest.mark.parametrize("text", [
    "my report says 8% blasts, is that bad?",
    "the biopsy says hypercellular marrow, is that normal for my age",
    "what does the M:E ratio on my aspirate report mean",
    "my husband's results show a clonal population, what does it mean",
    "my platelets are 90, is that low?",  # session 7: a count with its number, asked about
])
def test_own_findings_get_only_the_care_team_statement(text):
    dispatcher, events = run(tracker("ask_abnormal_results", text, slots={"procedure": "biopsy"}))
    assert dispatcher.messages == [message(render("own_results"))]
    assert events == []


@pytest.mark.parametrize("text", [
    "what does a normal result mean", "what can abnormal results show",
    "what percentage of people get an infection",  # a number, but not their own results
    # an age is not a finding
    "My son is 9 and his blood count came back strange twice. Why would a child need that?",
    "my mum is 84 and her results came back abnormal, what does it mean",
    "my platelets are 900 and the nurse said the next step is a biopsy. why do high platelets "
    "mean they need to take marrow?",  # the number is context, the question is why
])
def test_general_questions_with_numbers_or_results_are_answered(text):
    dispatcher, _ = run(tracker("ask_abnormal_results", text, slots={"procedure": "biopsy"}))
    assert dispatcher.messages[0]["text"] != render("own_results")


def test_bare_procedure_without_a_question_gets_the_overview_and_an_invitation():
    t = tracker("inform_procedure", "the biopsy", [{**PROCEDURE, "value": "biopsy"}])
    dispatcher, events = run(t)
    assert events == [SlotSet("procedure", "biopsy"), SlotSet("topic", "overview")]
    assert '"Bone marrow biopsy", section "Bone marrow biopsy"' in dispatcher.messages[0]["text"]
    assert dispatcher.messages[1:] == [
        message(render("ask_question", procedure_name="bone marrow biopsy"))
    ]


def test_no_test_and_no_question_asks_what_they_want_to_know():
    dispatcher, events = run(tracker("inform_procedure", "it's the one next week"))
    assert events == []
    assert dispatcher.messages == [message(render("ask_question", procedure_name="test"))]


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


def test_a_test_named_in_an_earlier_turn_answers_a_follow_up():
    # "I'm booked for a BMA on Friday" (any intent) filled the slot through its from_entity
    # mapping; "why do I need it?" names no test
    t = tracker("ask_purpose", "why do I need it?", slots={"procedure": "aspiration"})
    dispatcher, events = run(t)
    assert events == [SlotSet("topic", "purpose")]
    assert '"Bone marrow aspiration", section "Why the Test is Performed"' in (
        dispatcher.messages[0]["text"]
    )


# ---- conversation rules (issue 10): statements, definitions, stem-cell follow-ups, what to expect


def _sections(text: str) -> list[tuple[str, str]]:
    return re.findall(r'"([^"]+)", section "([^"]+)"', text)


def test_a_statement_naming_the_test_gets_what_the_test_is():
    t = tracker("inform_procedure", "I'm booked for a bone marrow aspiration on Friday",
                [{**PROCEDURE, "value": "aspiration"}])
    dispatcher, events = run(t)
    assert events == [SlotSet("procedure", "aspiration"), SlotSet("topic", "overview")]
    assert _sections(dispatcher.messages[0]["text"]) == [
        ("Bone marrow aspiration", "Bone marrow aspiration")
    ]


def test_a_bare_test_name_after_a_question_switches_the_test():
    t = tracker("inform_procedure", "what about the biopsy?", [{**PROCEDURE, "value": "biopsy"}],
                slots={"procedure": "aspiration", "topic": "sensation"})
    dispatcher, events = run(t)
    assert events == [SlotSet("procedure", "biopsy"), SlotSet("topic", "sensation")]
    assert dispatcher.messages == [message(f"{BIOPSY_FEEL}\n\n{BIOPSY_CITATION}")]


def test_what_is_bone_marrow_stays_bone_marrow():
    dispatcher, events = run(tracker("ask_bone_marrow", "what is bone marrow?"))
    assert events == [SlotSet("topic", "bone_marrow")]
    assert _sections(dispatcher.messages[0]["text"]) == [
        ("Bone marrow and stem cells", "What bone marrow is")
    ]


def test_after_stem_cells_how_are_they_collected_stays_on_the_stem_cell_page():
    t = tracker("ask_how_performed", "how are they collected?",
                slots={"procedure": "biopsy", "topic": "stem_cells"})
    dispatcher, events = run(t)
    assert events == [SlotSet("topic", "stem_cell_collection")]
    assert _sections(dispatcher.messages[0]["text"]) == [
        ("Bone marrow and stem cells", "Stem cells in the bloodstream and their collection")
    ]


def test_naming_the_test_after_stem_cells_leaves_the_stem_cell_page():
    t = tracker("ask_how_performed", "how is the biopsy done?", [{**PROCEDURE, "value": "biopsy"}],
                slots={"topic": "stem_cells"})
    dispatcher, events = run(t)
    assert events == [SlotSet("procedure", "biopsy"), SlotSet("topic", "how_performed")]
    assert _sections(dispatcher.messages[0]["text"]) == [
        ("Bone marrow biopsy", "How the Test is Performed")
    ]


def test_a_statement_after_stem_cells_does_not_repeat_the_stem_cell_text():
    t = tracker("inform_procedure", "my dad is having the aspiration",
                [{**PROCEDURE, "value": "aspiration"}], slots={"topic": "stem_cells"})
    dispatcher, events = run(t)
    assert events == [SlotSet("procedure", "aspiration"), SlotSet("topic", "overview")]
    assert _sections(dispatcher.messages[0]["text"]) == [
        ("Bone marrow aspiration", "Bone marrow aspiration")
    ]


def test_what_to_expect_quotes_how_it_is_done_and_how_it_feels():
    t = tracker("ask_expectations", "what should I expect during the biopsy?",
                [{**PROCEDURE, "value": "biopsy"}])
    dispatcher, events = run(t)
    assert events == [SlotSet("procedure", "biopsy"), SlotSet("topic", "expectations")]
    assert _sections(dispatcher.messages[0]["text"]) == [
        ("Bone marrow biopsy", "How the Test is Performed"),
        ("Bone marrow biopsy", "How the Test will Feel"),
    ]


def test_the_results_in_general_quote_normal_and_abnormal_results():
    t = tracker("ask_results", "and the results?", slots={"procedure": "aspiration",
                                                         "topic": "how_performed"})
    dispatcher, events = run(t)
    assert events == [SlotSet("topic", "results")]
    assert _sections(dispatcher.messages[0]["text"]) == [
        ("Bone marrow aspiration", "Normal Results"),
        ("Bone marrow aspiration", "What Abnormal Results Mean"),
    ]


def test_what_to_expect_without_a_test_asks_which_test_once_per_test():
    dispatcher, events = run(tracker("ask_expectations", "what am I in for?"))
    assert events == [SlotSet("topic", "expectations")]
    assert dispatcher.messages == [message(render("ask_procedure"), buttons=[
        {"title": "Bone marrow aspiration",
         "payload": '/inform_procedure{"procedure": "aspiration"}'},
        {"title": "Bone marrow biopsy", "payload": '/inform_procedure{"procedure": "biopsy"}'},
    ])]


# --- procedures are data: N tests, a clinic's own list, tests without a leaflet ---------------

FIXTURE_DOCUMENTS = PROJECT_ROOT / "tests" / "fixtures" / "another_test" / "documents"
FIXTURE_FEEL = "FIXTURE TEXT: how the fixture procedure feels."


def _button(procedure_id: str, title: str) -> dict:
    return {"title": title, "payload": f'/inform_procedure{{"procedure": "{procedure_id}"}}'}


@pytest.fixture
def with_lumbar_puncture(monkeypatch):
    """The committed documents plus the fixture leaflet for another test, as the knowledge base
    in use."""
    kb = build(DOCUMENTS_DIR, FIXTURE_DOCUMENTS)
    monkeypatch.setattr(KnowledgeBase, "current", classmethod(lambda cls: kb))
    return kb


def _with_profile(monkeypatch, tmp_path, **fields) -> None:
    profile = {"clinic_name": "Test Clinic", "phone": "555-0100", "opening_hours": "9-5", **fields}
    path = tmp_path / "profile.yml"
    path.write_text(yaml.safe_dump(profile), encoding="utf-8")
    monkeypatch.setenv("CLINIC_PROFILE", str(path))


def test_which_test_offers_every_test_whose_leaflet_has_the_topic(with_lumbar_puncture):
    dispatcher, events = run(tracker("ask_sensation", "will it hurt?"))
    assert events == [SlotSet("topic", "sensation")]
    assert dispatcher.messages == [message(render("ask_procedure"), buttons=[
        _button("aspiration", "Bone marrow aspiration"),
        _button("biopsy", "Bone marrow biopsy"),
        _button("lumbar-puncture", "Lumbar puncture"),
    ])]
    # a topic only two leaflets have offers those two
    dispatcher, _ = run(tracker("ask_normal_results", "what is a normal result?"))
    assert [b["title"] for b in dispatcher.messages[0]["buttons"]] == [
        "Bone marrow aspiration", "Bone marrow biopsy"]


def test_which_test_offers_at_most_five(monkeypatch):
    base = build(DOCUMENTS_DIR, FIXTURE_DOCUMENTS)
    extra = base.document("lumbar-puncture")
    clones = [dataclasses.replace(extra, id=f"test-{n}", procedure=f"test-{n}",
                                  procedure_name=f"test number {n}", procedure_aliases=())
              for n in range(4)]
    kb = KnowledgeBase(documents=(*base.documents, *clones))
    monkeypatch.setattr(KnowledgeBase, "current", classmethod(lambda cls: kb))
    dispatcher, _ = run(tracker("ask_sensation", "will it hurt?"))
    assert [b["title"] for b in dispatcher.messages[0]["buttons"]] == [
        "Bone marrow aspiration", "Bone marrow biopsy", "Lumbar puncture",
        "Test number 0", "Test number 1"]


def test_the_new_test_is_answered_from_its_own_leaflet_only(with_lumbar_puncture):
    t = tracker("ask_sensation", "does a spinal tap hurt",
                entities=[{**PROCEDURE, "value": "spinal tap"}])
    dispatcher, events = run(t)
    assert events == [SlotSet("procedure", "lumbar-puncture"), SlotSet("topic", "sensation")]
    [answer] = dispatcher.messages
    assert answer["text"].startswith(FIXTURE_FEEL)
    assert BIOPSY_FEEL not in answer["text"] and ASPIRATION_FEEL_START not in answer["text"]


def test_a_clinic_with_one_test_is_never_asked_which(monkeypatch, tmp_path):
    _with_profile(monkeypatch, tmp_path, procedures=["biopsy"])
    dispatcher, events = run(tracker("ask_sensation", "will it hurt?"))
    assert events == [SlotSet("procedure", "biopsy"), SlotSet("topic", "sensation")]
    assert dispatcher.messages == [message(f"{BIOPSY_FEEL}\n\n{BIOPSY_CITATION}")]
    assert "about bone marrow biopsy:" in render("greet")


@pytest.mark.parametrize("value", ["aspiration", "colonoscopy"])
def test_a_test_the_clinic_has_no_leaflet_for_is_declined(monkeypatch, tmp_path, value):
    _with_profile(monkeypatch, tmp_path, procedures=["biopsy"])
    t = tracker("inform_procedure", f'/inform_procedure{{"procedure": "{value}"}}',
                entities=[{"entity": "procedure", "value": value}], slots={"topic": "sensation"})
    dispatcher, events = run(t)
    assert events == []
    assert dispatcher.messages == [message(render("out_of_scope"))]
    assert "only have information about bone marrow biopsy," in dispatcher.messages[0]["text"]
    assert "555-0100" in dispatcher.messages[0]["text"]


def test_a_page_about_no_one_test_never_answers_for_a_test(monkeypatch):
    base = build(DOCUMENTS_DIR)
    page = base.document("bone-marrow-and-stem-cells")
    feel = dataclasses.replace(base.document("bone-marrow-biopsy").section("sensation"),
                               id="general/sensation")
    general = dataclasses.replace(page, id="general", sections=(*page.sections, feel))
    kb = KnowledgeBase(documents=(*base.documents, general))
    monkeypatch.setattr(KnowledgeBase, "current", classmethod(lambda cls: kb))
    dispatcher, _ = run(tracker("ask_sensation", "will it hurt?", slots={"procedure": "biopsy"}))
    assert dispatcher.messages[0]["text"].count("Source:") == 1
    assert '"Bone marrow biopsy"' in dispatcher.messages[0]["text"]


def test_the_other_one_switches_to_the_other_test():
    slots = {"procedure": "biopsy", "topic": "purpose"}
    t = tracker("ask_purpose", "what about the other one", slots=slots)
    dispatcher, events = run(t)
    assert events == [SlotSet("procedure", "aspiration"), SlotSet("topic", "purpose")]
    [(document, section)] = knowledge_base().find("purpose", "aspiration")
    assert dispatcher.messages[0]["text"] == f"{section.text()}\n\n{citation(document, section)}"


def test_the_same_question_for_a_child_keeps_the_topic_whatever_the_classifier_said():
    slots = {"procedure": "aspiration", "topic": "sensation"}
    t = tracker("ask_alternative_names", "is it the same for children", slots=slots)
    dispatcher, events = run(t)
    assert events == [SlotSet("topic", "sensation")]
    assert dispatcher.messages[0]["text"].startswith(ASPIRATION_FEEL_START)


def test_a_bare_test_after_a_question_continues_it_whatever_the_classifier_said():
    slots = {"procedure": "aspiration", "topic": "sensation"}
    entity = {**PROCEDURE, "value": "biopsy", "start": 9, "end": 15}
    t = tracker("ask_overview", "and on a biopsy?", [entity], slots=slots)
    dispatcher, events = run(t)
    assert events == [SlotSet("procedure", "biopsy"), SlotSet("topic", "sensation")]
    assert dispatcher.messages == [message(f"{BIOPSY_FEEL}\n\n{BIOPSY_CITATION}")]


def test_is_one_test_the_same_as_the_other_gets_what_each_is_not_other_names():
    t = tracker(
        "ask_alternative_names", "is a bone marrow aspiration the same as a biopsy?",
        entities=[{**PROCEDURE, "value": "bone marrow aspiration"},
                  {**PROCEDURE, "value": "biopsy"}],
    )
    dispatcher, events = run(t)
    assert events == [SlotSet("procedure", "biopsy"), SlotSet("topic", "overview")]
    assert "Bone marrow aspiration is not the same as bone marrow biopsy." in (
        dispatcher.messages[0]["text"])


def test_two_names_of_one_test_still_get_its_other_names():
    t = tracker(
        "ask_alternative_names", "is a sternal tap the same as a bone marrow aspiration",
        entities=[{**PROCEDURE, "value": "sternal tap"},
                  {**PROCEDURE, "value": "bone marrow aspiration"}],
    )
    dispatcher, events = run(t)
    assert events == [SlotSet("procedure", "aspiration"), SlotSet("topic", "alternative_names")]


def _spans(text, *names):
    return [{"entity": "procedure", "value": value, "start": text.index(name),
             "end": text.index(name) + len(name)} for name, value in names]


@pytest.mark.parametrize("text, name, value, topic, section", [
    # (session 19, tests/dev/blind65) another name, asked which of the two tests it is
    ("My mum's letter says iliac crest tap. Is that a biopsy or an aspiration??",
     "iliac crest tap", "aspiration", "alternative_names", ("Bone marrow aspiration",
                                                            "Alternative Names")),
    ("the letter says trephine, is that the aspiration or the biopsy",
     "trephine", "biopsy", "overview", ("Bone marrow biopsy", "Bone marrow biopsy")),
])
def test_a_name_asked_which_of_the_two_tests_gets_that_test(text, name, value, topic, section):
    t = tracker("ask_overview", text, _spans(text, (name, value), ("aspiration", "aspiration"),
                                              ("biopsy", "biopsy")))
    dispatcher, events = run(t)
    assert events == [SlotSet("procedure", value), SlotSet("topic", topic)]
    assert _sections(dispatcher.messages[0]["text"]) == [section]


@pytest.mark.parametrize("intent, text", [
    ("ask_risks", "is a bone marrow aspiration worse than having blood taken"),
    ("ask_overview", "scale of 1-10 how bad is a BMA"),
    ("inform_procedure", "scale of 1-10 how bad is a BMA"),
    ("ask_how_performed", "how painful is the aspiration part"),
])
def test_a_comparison_or_rating_of_the_experience_is_how_it_feels(intent, text):
    slots = {"procedure": "aspiration"}
    dispatcher, events = run(tracker(intent, text, slots=slots))
    assert events == [SlotSet("topic", "sensation")]
    assert dispatcher.messages[0]["text"].startswith(ASPIRATION_FEEL_START)


@pytest.mark.parametrize("intent, text, topic", [
    ("ask_risks", "is a biopsy riskier than an aspiration", "risks"),
    ("ask_risks", "is it more dangerous than a blood test", "risks"),
    ("ask_abnormal_results", "how bad are the results if it's abnormal", "abnormal_results"),
])
def test_other_comparisons_keep_their_topic(intent, text, topic):
    dispatcher, events = run(tracker(intent, text, slots={"procedure": "aspiration"}))
    assert events == [SlotSet("topic", topic)]


@pytest.mark.parametrize("text, topic", [
    ("what's it like having a marrow aspiration, from the patient's side", "sensation"),
    ("how will it feel for him", "sensation"),
    ("Can you tell me what it involves?", "how_performed"),
    ("what will happen during it, I like to know everything beforehand", "how_performed"),
    ("what should I expect", "expectations"),
    ("Can you talk me through what happens and what I'll feel?", "expectations"),
])
def test_what_to_expect_is_both_sections_only_when_asked(text, topic):
    from bot.topics import section_topics

    dispatcher, events = run(tracker("ask_expectations", text, slots={"procedure": "biopsy"}))
    assert events == [SlotSet("topic", topic)]
    quoted = section_topics(topic)
    assert len(dispatcher.messages[0]["text"].split("Source:")) - 1 == len(quoted)


@pytest.mark.parametrize("text, declined", [
    ("what is flow cytometry", True),
    ("what are the side effects of hydroxyurea", True),
    ("neutropenia meaning", True),
    ("what is a biospy", False),  # a typo of a word the leaflets use
    ("whats myelofibrosis", False),  # the abnormal results section names it
    ("is it safe with osteoporosis", False),  # not a "what is"
])
def test_a_question_about_a_term_no_document_uses_is_declined(text, declined):
    dispatcher, events = run(tracker("ask_abnormal_results", text, slots={"procedure": "biopsy"}))
    assert (dispatcher.messages == [message(render("out_of_scope"))]) is declined
    assert (events == []) is declined


@pytest.mark.parametrize("text, topic", [
    ("can the aspiration detect myeloma", "abnormal_results"),  # named only there
    ("can the marrow test pick up ITP", "abnormal_results"),
    ("can it find infections", "purpose"),  # the purpose section names infections
    ("is it to check for MDS", "purpose"),  # not "can it find"
])
def test_can_it_find_a_condition_named_only_among_abnormal_results(text, topic):
    dispatcher, events = run(tracker("ask_purpose", text, slots={"procedure": "aspiration"}))
    assert events == [SlotSet("topic", topic)]


def test_what_is_a_stem_cell_term_is_not_declined():
    dispatcher, events = run(tracker("ask_stem_cell_collection", "what's stem cell mobilisation"))
    assert events == [SlotSet("topic", "stem_cell_collection")]


def test_another_test_named_beside_the_marrow_is_context():
    text = ("Her platelets were low on her last two blood tests. Now the haematologist wants a "
            "marrow sample - what is he hoping to find out?")
    t = tracker("ask_purpose", text, [{"entity": "other_procedure", "value": "blood tests"}],
                slots={"procedure": "biopsy"})
    dispatcher, events = run(t)
    assert events == [SlotSet("topic", "purpose")]


@pytest.mark.parametrize("text, intent, last_topic, topic", [
    # another moment, right after how it feels or is done: the same question for that moment
    ("what about when the needle goes in", "ask_how_performed", "sensation", "sensation"),
    ("and the bit where they actually take the marrow?", "ask_bone_marrow", "sensation",
     "sensation"),
    ("and when will I get the results?", "ask_normal_results", "sensation", "normal_results"),
    # numbing the bone itself is how it feels; numbing the area is how it is done
    ("can they numb the bone itself", "ask_how_performed", "overview", "sensation"),
    ("why tho if they numb it first", "ask_purpose", "sensation", "sensation"),
    ("do they numb the area first?", "ask_how_performed", "overview", "how_performed"),
    # the stem-cell page's next section
    ("and then what do they do with them", "ask_stem_cell_collection", "stem_cell_collection",
     "transplant"),
    ("and what does it do", "ask_overview", "bone_marrow", "blood_cells"),
    ("what does it actually do", "ask_overview", "bone_marrow", "blood_cells"),
])
def test_a_follow_up_read_against_the_last_question(text, intent, last_topic, topic):
    slots = {"procedure": None if last_topic in PAGE_TOPICS else "biopsy", "topic": last_topic}
    dispatcher, events = run(tracker(intent, text, slots=slots))
    assert events[-1] == SlotSet("topic", topic)


# ---- session 7: comparisons with another test, which results --------------------------------

BLOOD_TEST = [{"entity": "other_procedure", "value": "blood test", "start": 19, "end": 29}]


@pytest.mark.parametrize("intent", ["ask_sensation", "out_of_scope"])
def test_a_test_compared_with_a_blood_test_is_how_it_feels(intent):
    from actions.conversation import ActionDeclineOutOfScope

    action = ActionAnswerQuestion() if intent == "ask_sensation" else ActionDeclineOutOfScope()
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker(intent, "is it worse than a blood test",
                                            BLOOD_TEST, slots={"procedure": "biopsy"}), {})
    assert events == [SlotSet("topic", "sensation")]
    assert _sections(dispatcher.messages[0]["text"]) == [
        ("Bone marrow biopsy", "How the Test will Feel")]


def test_a_comparison_misspelt_with_then_is_how_it_feels():
    # (session 19, tests/dev/blind65) "then" for "than" before the other test
    from actions.conversation import ActionDeclineOutOfScope

    text = "is it worse then a normal blood test?"
    entities = [{"entity": "other_procedure", "value": "blood test", "start": 26, "end": 36}]
    dispatcher = CollectingDispatcher()
    events = ActionDeclineOutOfScope().run(
        dispatcher, tracker("out_of_scope", text, entities, slots={"procedure": "aspiration"}), {})
    assert events == [SlotSet("topic", "sensation")]
    assert _sections(dispatcher.messages[0]["text"]) == [
        ("Bone marrow aspiration", "How the Test will Feel")]


def test_a_question_about_another_test_is_still_declined():
    from actions.conversation import ActionDeclineOutOfScope

    text = "does a kidney biopsy hurt"
    entities = [{"entity": "other_procedure", "value": "kidney biopsy", "start": 7, "end": 20}]
    dispatcher = CollectingDispatcher()
    assert ActionDeclineOutOfScope().run(
        dispatcher, tracker("out_of_scope", text, entities, slots={"procedure": "biopsy"}),
        {}) == []
    assert "Source:" not in dispatcher.messages[0]["text"]


@pytest.mark.parametrize("text, expected", [
    ("what r they hoping to see in a good bone marrow aspirate result", ["normal_results"]),
    ("what if the results come back abnormal", ["abnormal_results"]),
    ("and the results?", ["normal_results", "abnormal_results"]),
])
def test_a_results_question_gets_the_results_it_asks_about(text, expected):
    dispatcher = CollectingDispatcher()
    ActionAnswerQuestion().run(
        dispatcher, tracker("ask_results", text, slots={"procedure": "aspiration"}), {})
    headings = {"normal_results": "Normal Results",
                "abnormal_results": "What Abnormal Results Mean"}
    assert [h for _, h in _sections(dispatcher.messages[0]["text"])] == [
        headings[t] for t in expected]


@pytest.mark.parametrize("intent, text, expected", [
    ("ask_overview", "wat is the trephine actualy for? they said they need it for my staging",
     "purpose"),
    ("ask_overview", "what is the biopsy supposed to show them exactly", "purpose"),
    ("ask_overview", "for what is this test", "purpose"),
    ("ask_overview", "what is a bone marrow biopsy", "overview"),
    ("ask_preparation", "are there complications i should know about before i sign the form?",
     "risks"),
    ("ask_how_performed", "what should i watch out for after my BMB? I live alone", "risks"),
    ("ask_normal_results", "theres a small spot of blood on his plaster, is that normal", "risks"),
    ("ask_normal_results", "is a platelet count of 150 normal", "normal_results"),
])
def test_what_it_is_for_and_what_can_go_wrong(intent, text, expected):
    dispatcher = CollectingDispatcher()
    events = ActionAnswerQuestion().run(
        dispatcher, tracker(intent, text, slots={"procedure": "biopsy"}), {})
    assert SlotSet("topic", expected) in events


def test_asked_to_say_it_more_simply_the_bot_says_it_can_only_quote_the_leaflet():
    dispatcher = CollectingDispatcher()
    events = ActionAnswerQuestion().run(dispatcher, tracker(
        "ask_overview", "Sorry, could you put that more simply?",
        slots={"procedure": "biopsy", "topic": "abnormal_results"}), {})
    assert events == [SlotSet("topic", "abnormal_results")]
    assert dispatcher.messages[0]["text"] == render("say_again")
    assert _sections(dispatcher.messages[1]["text"]) == [
        ("Bone marrow biopsy", "What Abnormal Results Mean")]


@pytest.mark.parametrize("intent, text, last_topic, expected", [
    ("ask_overview", "My mother is 79 and her haematologist has recommended a bone marrow "
     "biopsy. Could you explain what it involves?", None, "how_performed"),
    ("ask_overview", "ok so my test is a bone marrow biopsy. what will they do to me", None,
     "how_performed"),
    ("ask_results", "ok back. what do they do with the sample", "sensation", "how_performed"),
    ("ask_stem_cell_collection", "what are they going to do with what they took out", "overview",
     "how_performed"),
    ("ask_overview", "what is a bone marrow biopsy", None, "overview"),
    ("ask_stem_cell_collection", "where are they made", "blood_cells", "blood_cells"),
])
def test_how_it_is_done_and_where_the_cells_are_made(intent, text, last_topic, expected):
    dispatcher = CollectingDispatcher()
    events = ActionAnswerQuestion().run(dispatcher, tracker(
        intent, text, slots={"procedure": "biopsy", "topic": last_topic}), {})
    assert SlotSet("topic", expected) in events


# ---- session 8 (tests/dev/blind9_*): readings found by a blind development set


@pytest.mark.parametrize("text, slots, declined", [
    ("what is leukaemia", {}, True),  # the leaflets only list it among abnormal results
    # session 17: a condition only the abnormal results list names is that list
    ("whats aplastic anemia", {}, False),
    ("what is leukaemia", {"procedure": "biopsy"}, False),  # that list, for the test discussed
    ("what are platelets", {}, False),  # the bone marrow and stem cells page says
    ("wats a bone marow transplant exactly", {}, False),  # texting and a typo of "marrow"
])
def test_what_a_condition_is_before_any_test_is_declined(text, slots, declined):
    intent = "ask_transplant" if "transplant" in text else "ask_abnormal_results"
    dispatcher, events = run(tracker(intent, text, slots=slots))
    assert (dispatcher.messages == [message(render("out_of_scope"))]) is declined


@pytest.mark.parametrize("intent, text, slots, topic", [
    # the other results, right after one of them
    ("nlu_fallback", "and if not?", {"topic": "normal_results"}, "abnormal_results"),
    ("ask_normal_results", "what if it isn't", {"topic": "abnormal_results"}, "normal_results"),
    # "that" is what was just asked about
    ("ask_results", "does the aspiration show that too", {"topic": "abnormal_results"},
     "abnormal_results"),
    # what a finding means, what to tell the team, what the test can find
    ("ask_purpose", "what does that mean then, if they do find it", {"topic": "purpose"},
     "abnormal_results"),
    ("ask_risks", "My dad bruises really easily. Is that something to bring up before it?", {},
     "preparation"),
    ("inform_procedure", "can the biopsy confirm it", {"topic": "abnormal_results"}, "purpose"),
    ("ask_expectations", "I want to understand it for both of us. What are they looking for?",
     {}, "purpose"),
])
def test_follow_ups_read_against_the_conversation(intent, text, slots, topic):
    slots = {"procedure": "biopsy", **slots}
    dispatcher, events = run(tracker(intent, text, slots=slots))
    assert events[-1] == SlotSet("topic", topic)
    [(_, section)] = knowledge_base().find(topic, "biopsy")
    assert dispatcher.messages[0]["text"].startswith(section.text())


def test_a_general_question_after_ones_own_findings_is_answered_with_the_care_team_note():
    text = ("My report says hypocellular and mentions fibrosis. What sort of abnormal findings "
            "does this test turn up?")
    dispatcher, events = run(tracker("ask_abnormal_results", text, slots={"procedure": "biopsy"}))
    assert events == [SlotSet("topic", "abnormal_results")]
    assert [m["text"] for m in dispatcher.messages][-1] == render("own_results")
    assert "Source:" in dispatcher.messages[0]["text"]


@pytest.mark.parametrize("intent, text, topic", [
    ("ask_how_performed", "where is it in the body", "bone_marrow"),
    ("ask_stem_cell_collection", "and where's the marrow found", "bone_marrow"),
])
def test_where_the_marrow_is_on_the_stem_cell_page(intent, text, topic):
    dispatcher, events = run(tracker(intent, text, slots={"topic": "blood_cells"}))
    assert events == [SlotSet("topic", topic)]


def test_the_marrow_tests_named_leave_the_stem_cell_page():
    text = "is that where they do the bone marrow test then"
    dispatcher, events = run(tracker("ask_how_performed", text, slots={"topic": "bone_marrow"}))
    assert events == [SlotSet("topic", "how_performed")]
    assert dispatcher.messages[0]["text"] == render("ask_procedure")


def test_taking_it_out_right_after_what_marrow_is_is_the_test():
    # (session 16, tests/dev/blind12) "it" is the marrow just described
    text = "do they take it out of ur back or wat"
    dispatcher, events = run(tracker("ask_stem_cell_collection", text,
                                     slots={"topic": "bone_marrow"}))
    assert events == [SlotSet("topic", "how_performed")]
    assert dispatcher.messages[0]["text"] == render("ask_procedure")


def test_getting_the_marrow_out_leaves_the_stem_cell_page():
    # (session 16, tests/dev/blind54) how the marrow is taken out is the test, not how stem
    # cells are collected
    text = "ok so how do they actually get the marrow out"
    dispatcher, events = run(tracker("ask_how_performed", text, slots={"topic": "stem_cells"}))
    assert events == [SlotSet("topic", "how_performed")]
    assert dispatcher.messages[0]["text"] == render("ask_procedure")


@pytest.mark.parametrize("text, slots, procedure", [
    # the two tests done together: the leaflet that describes it (the biopsy's says an aspiration
    # may also be done, usually first)
    ("do they do both at once?", {"procedure": "aspiration"}, "biopsy"),
    ("which one goes first", {"procedure": "aspiration"}, "biopsy"),
    ("Will they take the liquid sample at the same time?", {"procedure": "biopsy"}, "biopsy"),
])
def test_both_tests_together_is_the_leaflet_that_describes_it(text, slots, procedure):
    dispatcher, events = run(tracker("ask_how_performed", text, slots=slots))
    [(_, section)] = knowledge_base().find("how_performed", procedure)
    assert dispatcher.messages[0]["text"].startswith(section.text())


# the biopsy discussed before this message (the message's entity has set the slot to the
# aspiration it names)
_BIOPSY_BEFORE = [{"event": "slot", "name": "procedure", "value": "biopsy"},
                  {"event": "user", "text": "..."},
                  {"event": "slot", "name": "procedure", "value": "aspiration"}]


@pytest.mark.parametrize("intent, text, topic", [
    ("ask_how_performed", "do they do the aspiration bit at the same time", "how_performed"),
    ("ask_how_performed", "would they have done an aspirate at the same time", "how_performed"),
    ("ask_purpose", "why would they take an aspirate during it as well", "how_performed"),
])
def test_the_liquid_taken_within_the_biopsy_is_the_biopsy_leaflet(intent, text, topic):
    entities = [{**PROCEDURE, "value": "aspiration"}]
    t = after(tracker(intent, text, entities, slots={"procedure": "aspiration"}), *_BIOPSY_BEFORE)
    dispatcher, events = run(t)
    assert events == [SlotSet("procedure", "biopsy"), SlotSet("topic", topic)]
    [(_, section)] = knowledge_base().find(topic, "biopsy")
    assert dispatcher.messages[0]["text"].startswith(section.text())
    assert "bone marrow aspiration" in section.text()


@pytest.mark.parametrize("intent, text, discussed", [
    # the aspiration asked about in its own right, or no biopsy discussed
    ("ask_how_performed", "ok and the aspiration he's having too, same process?", "biopsy"),
    ("ask_how_performed", "do they do the aspiration bit at the same time", None),
    # how the aspiration part feels: the aspiration's leaflet
    ("ask_sensation", "and if they do the aspirate too?", "biopsy"),
])
def test_the_aspiration_in_its_own_right_stays_the_aspiration(intent, text, discussed):
    entities = [{**PROCEDURE, "value": "aspiration"}]
    history = ([{"event": "slot", "name": "procedure", "value": discussed}] if discussed else [])
    t = after(tracker(intent, text, entities, slots={"procedure": "aspiration"}),
              *history, {"event": "user", "text": text},
              {"event": "slot", "name": "procedure", "value": "aspiration"})
    dispatcher, events = run(t)
    [(_, section)] = knowledge_base().find(intent.removeprefix("ask_"), "aspiration")
    assert dispatcher.messages[0]["text"].startswith(section.text())


def test_two_tests_named_the_final_question_says_which():
    text = ("I had a bone marrow aspiration 3 years ago and it was awful. Now they want a biopsy "
            "too. Is the biopsy going to feel like that?")
    entities = [{**PROCEDURE, "value": "bone marrow aspiration"}, {**PROCEDURE, "value": "biopsy"}]
    dispatcher, events = run(tracker("ask_sensation", text, entities))
    assert events == [SlotSet("procedure", "biopsy"), SlotSet("topic", "sensation")]
    assert dispatcher.messages[0]["text"].count("Source:") == 1


@pytest.mark.parametrize("intent, text, slots, topic", [
    ("ask_sensation", "From the chest bone is more dangerous?", {"topic": "sensation"}, "risks"),
    ("ask_bone_marrow", "wat bone", {"topic": "how_performed"}, "how_performed"),
    ("ask_purpose", "Can it tell whether lymphoma has spread?", {"topic": "purpose"}, "purpose"),
    ("ask_expectations", "what should I expect to feel", {}, "sensation"),
    ("ask_results", "What could her results show?", {"topic": "how_performed"},
     "abnormal_results"),
    ("ask_alternative_names", "they called it a BMB on the form. what would they be checking",
     {}, "purpose"),
])
def test_session_8_readings(intent, text, slots, topic):
    slots = {"procedure": "biopsy", **slots}
    dispatcher, events = run(tracker(intent, text, slots=slots))
    assert events[-1] == SlotSet("topic", topic)


@pytest.mark.parametrize("intent, text, slots, topic", [
    ("ask_stem_cell_collection", "where do all of these get made", {"topic": "blood_cells"},
     "blood_cells"),
    ("ask_how_performed", "Where would they take it from on someone so little?",
     {"topic": "bone_marrow", "procedure": "biopsy"}, "how_performed"),
    ("ask_risks", "what about afterwards?", {"topic": "how_performed", "procedure": "biopsy"},
     "how_performed"),
    ("ask_overview", "Could you explain what a bone marrow core biopsy involves?",
     {"procedure": "biopsy"}, "how_performed"),
])
def test_session_8_conversation_readings(intent, text, slots, topic):
    dispatcher, events = run(tracker(intent, text, slots=slots))
    assert events[-1] == SlotSet("topic", topic)


# ---- session 9 (tests/dev/blind13-15): readings found by blind development sets


def _span(text, name, value):
    start = text.lower().index(name.lower())
    return [{**PROCEDURE, "value": value, "start": start, "end": start + len(name)}]


@pytest.mark.parametrize("intent, text, entities, slots, events", [
    # the same question for the other test, whatever the classifier made of "same"
    ("ask_alternative_names", "is the aspirate the same", ("aspirate", "aspiration"),
     {"topic": "sensation"}, [SlotSet("procedure", "aspiration"), SlotSet("topic", "sensation")]),
    ("ask_alternative_names", "Is the trephine used for that as well?", ("trephine", "biopsy"),
     {"topic": "purpose", "procedure": "aspiration"},
     [SlotSet("procedure", "biopsy"), SlotSet("topic", "purpose")]),
    # more of the list, the answer doubted or spelt out
    ("ask_blood_cells", "wat kinds", None, {"topic": "abnormal_results"},
     [SlotSet("topic", "abnormal_results")]),
    ("ask_alternative_names", "what does that stand for", None, {"topic": "abnormal_results"},
     [SlotSet("topic", "abnormal_results")]),
    ("nlu_fallback", "a TUBE??", None, {"topic": "how_performed", "procedure": "aspiration"},
     [SlotSet("topic", "how_performed")]),
    # how the sample is taken and what happens to it, in a conversation about a test
    ("ask_stem_cell_collection", "how do they get the fluid out", None,
     {"topic": "how_performed", "procedure": "aspiration"}, [SlotSet("topic", "how_performed")]),
    ("ask_transplant", "and then what happens to it", None,
     {"topic": "how_performed", "procedure": "aspiration"}, [SlotSet("topic", "how_performed")]),
    # what it will show is why it is done; what it could show, what abnormal results may be
    ("ask_abnormal_results", "what will it show", None, {}, [SlotSet("topic", "purpose")]),
    ("ask_results", "what could it show", None, {}, [SlotSet("topic", "abnormal_results")]),
    ("ask_overview", "Grandad's trephine is booked for next week. Nobody has explained what "
     "they're looking for, can you tell me?", None, {}, [SlotSet("topic", "purpose")]),
])
def test_session_9_readings(intent, text, entities, slots, events):
    slots = {"procedure": "biopsy", **slots}
    ents = _span(text, *entities) if entities else None
    dispatcher, got = run(tracker(intent, text, ents, slots=slots))
    assert got == events
    assert any("Source:" in m["text"] for m in dispatcher.messages)


def test_a_statement_telling_why_the_test_is_done_gets_what_the_test_is():
    text = "they want to do a BMB to find out why"
    dispatcher, events = run(tracker("inform_procedure", text, _span(text, "BMB", "biopsy"),
                                     slots={"topic": "blood_cells"}))
    assert events == [SlotSet("procedure", "biopsy"), SlotSet("topic", "overview")]
    # a question the classifier took for the test only named is still read
    dispatcher, events = run(tracker("inform_procedure", "can the biopsy confirm it",
                                     slots={"procedure": "biopsy", "topic": "abnormal_results"}))
    assert events[-1] == SlotSet("topic", "purpose")


def test_a_short_reply_to_which_test_gets_the_question_asked_before():

    text = "not sure, the letter says trephine"
    start = text.index("trephine")
    t = tracker("ask_alternative_names", text,
                [{**PROCEDURE, "value": "biopsy", "start": start, "end": start + 8}],
                slots={"topic": "how_performed"})
    asked = {"event": "bot", "text": render("ask_procedure")}
    dispatcher, events = run(after(t, asked, {"event": "user", "text": text}))
    assert events == [SlotSet("procedure", "biopsy"), SlotSet("topic", "how_performed")]
    # without the question before, the message asks about other names
    dispatcher, events = run(t)
    assert events[-1] == SlotSet("topic", "alternative_names")


@pytest.mark.parametrize("intent, text, slots, topic", [
    ("ask_stem_cell_collection", "how come they need to take her marrow at all",
     {"topic": "overview"}, "purpose"),
    ("ask_purpose", "is that why they take the biopsy from the hip?", {"topic": "bone_marrow"},
     "how_performed"),
    ("ask_transplant", "what about kids? my daughter is only 3", {"topic": "sensation"},
     "sensation"),
    ("ask_preparation", "he was already told he has CLL, is that one of them",
     {"topic": "abnormal_results"}, "abnormal_results"),
])
def test_session_9_conversation_readings(intent, text, slots, topic):
    slots = {"procedure": "biopsy", **slots}
    if "biopsy" in text:
        start = text.index("biopsy")
        entities = [{**PROCEDURE, "value": "biopsy", "start": start, "end": start + 6}]
    else:
        entities = None
    dispatcher, events = run(tracker(intent, text, entities, slots=slots))
    assert events[-1] == SlotSet("topic", topic)


def test_back_to_the_first_test_after_the_other():
    """'ok back to mine. will i feel much' after the aspiration was discussed: the test the
    conversation began with (the first value of the procedure slot)."""

    t = tracker("ask_sensation", "ok back to mine. will i feel much",
                slots={"procedure": "aspiration", "topic": "overview"})
    biopsy = {"event": "slot", "name": "procedure", "value": "biopsy"}
    dispatcher, events = run(after(t, biopsy, {**biopsy, "value": "aspiration"}))
    assert events == [SlotSet("procedure", "biopsy"), SlotSet("topic", "sensation")]
    assert dispatcher.messages[0]["text"] == f"{BIOPSY_FEEL}\n\n{BIOPSY_CITATION}"
    # without "back to", the test discussed last
    t = tracker("ask_sensation", "will i feel much",
                slots={"procedure": "aspiration", "topic": "overview"})
    dispatcher, events = run(after(t, {"event": "slot", "name": "procedure", "value": "biopsy"}))
    assert events == [SlotSet("topic", "sensation")]
    assert dispatcher.messages[0]["text"].startswith(ASPIRATION_FEEL_START)


@pytest.mark.parametrize("intent, text, slots, topic", [
    # the same question for the other test, in the last topic's own words
    ("ask_alternative_names", "and is the aspiraton prep the same", {"topic": "preparation"},
     "preparation"),
    ("ask_alternative_names", "is the aspiration done for the same reasns", {"topic": "purpose"},
     "purpose"),
    # where the sample is taken, not what marrow is
    ("ask_bone_marrow", "is it even my back or is it my hip", {"topic": "preparation"},
     "how_performed"),
    ("ask_bone_marrow", "Where on the body do they take the marrow from?", {}, "how_performed"),
    # what a finding means, said of the illness being there
    ("ask_bone_marrow", "what would it mean if its in his marrow", {"topic": "purpose"},
     "abnormal_results"),
    ("ask_purpose", "and why would they bother at his age", {"topic": "risks"}, "purpose"),
])
def test_session_10_conversation_readings(intent, text, slots, topic):
    found = re.search(r"aspirat\w*", text)
    entities = ([{**PROCEDURE, "value": "aspiration", "start": found.start(), "end": found.end()}]
                if found else None)
    slots = {"procedure": "biopsy", **slots}
    dispatcher, events = run(tracker(intent, text, entities, slots=slots))
    assert events[-1] == SlotSet("topic", topic)


def test_why_would_someone_need_that_after_the_transplant_is_declined():
    t = tracker("ask_purpose", "why would someone need that?", slots={"topic": "transplant"})
    dispatcher, events = run(t)
    assert events == []
    assert dispatcher.messages == [message(render("out_of_scope"))]
    # what it is, asked again, is still answered
    t = tracker("ask_transplant", "so what is it exactly", slots={"topic": "transplant"})
    dispatcher, events = run(t)
    assert events == [SlotSet("topic", "transplant")]


def test_reading_ones_own_report_is_for_the_care_team():
    text = "Can you read my biopsy results if I paste them in? I just need to know if it's bad."
    dispatcher, events = run(tracker("ask_abnormal_results", text, slots={"procedure": "biopsy"}))
    assert events == []
    assert dispatcher.messages == [message(render("own_results"))]


def test_another_test_asked_about_after_the_marrow_test_is_declined():
    text = ("my mum had a bone marrow biopsy last week and now they want a liver biopsy, what "
            "does that involve")
    marrow, liver = text.index("bone marrow biopsy"), text.index("liver biopsy")
    entities = [{**PROCEDURE, "value": "biopsy", "start": marrow, "end": marrow + 18},
                {"entity": "other_procedure", "value": "liver biopsy", "start": liver,
                 "end": liver + 12}]
    dispatcher, events = run(tracker("ask_how_performed", text, entities))
    assert dispatcher.messages == [message(render("out_of_scope"))]


def test_the_other_test_alone_and_a_reply_naming_ones_own_test():

    t = tracker("ask_alternative_names", "n the other test?",
                slots={"procedure": "aspiration", "topic": "sensation"})
    dispatcher, events = run(t)
    assert events == [SlotSet("procedure", "biopsy"), SlotSet("topic", "sensation")]
    # both tests quoted (none known): "its called a trephine on the letter" says which
    dispatcher, events = run(_own_test_reply({"event": "bot", "text": BOTH_RISKS}))
    assert events == [SlotSet("procedure", "biopsy"), SlotSet("topic", "risks")]


OWN_TEST_REPLY = "not sure, its called a trephine on the letter"
BOTH_RISKS = "(risks)\n\nSource: (aspiration)\nSource: (biopsy)"


def _own_test_reply(*earlier):
    """'not sure, its called a trephine on the letter' after ``earlier`` events, risks asked."""
    start = OWN_TEST_REPLY.index("trephine")
    t = tracker("ask_alternative_names", OWN_TEST_REPLY,
                [{**PROCEDURE, "value": "biopsy", "start": start, "end": start + 8}],
                slots={"topic": "risks"})
    return after(t, *earlier)


def test_both_after_which_test():
    """'both i think' after "which test?": both tests; how it is done from the leaflet that
    describes the two done together (the biopsy's)."""

    for topic, procedures in (("how_performed", ["biopsy"]), ("risks", None)):
        t = tracker("ask_overview", "both i think", slots={"topic": topic})
        dispatcher, events = run(after(t, {"event": "bot", "text": render("ask_procedure")}))
        assert events[-1] == SlotSet("topic", topic)
        cited = re.findall(r'"Bone marrow (aspiration|biopsy)"', dispatcher.messages[0]["text"])
        assert cited == (procedures or ["aspiration", "biopsy"])


@pytest.mark.parametrize("intent, text, entities, topic, procedure", [
    # the test had is the past, the one named last is the one now
    ("ask_overview", "they tried an aspiration but couldnt get anything out so now i need a "
     "trephine", [("aspiration", "aspiration"), ("biopsy", "trephine")], "overview", "biopsy"),
    # what stem cells are, asked last
    ("ask_stem_cell_collection", "My myeloma team keep talking about harvesting my stem cells "
     "before high dose chemo. What exactly are stem cells?", [], "stem_cells", None),
])
def test_session_10_what_the_last_sentence_asks(intent, text, entities, topic, procedure):
    found = [{**PROCEDURE, "value": value, "start": text.index(word),
              "end": text.index(word) + len(word)} for value, word in entities]
    dispatcher, events = run(tracker(intent, text, found or None))
    assert events[-1] == SlotSet("topic", topic)
    cited = re.findall(r'"Bone marrow (aspiration|biopsy)"', dispatcher.messages[0]["text"])
    assert set(cited) == ({procedure} if procedure else set())


def test_a_which_test_reply_after_the_feedback_prompt_and_slot_events():
    """The last bot turn is read whole: an answer quoting both tests may be followed by the
    feedback prompt, and the latest message by the slots it set."""
    dispatcher, events = run(_own_test_reply(
        {"event": "bot", "text": BOTH_RISKS}, {"event": "bot", "text": render("feedback_prompt")},
        {"event": "user", "text": OWN_TEST_REPLY},
        {"event": "slot", "name": "procedure", "value": "biopsy"}))
    assert events == [SlotSet("procedure", "biopsy"), SlotSet("topic", "risks")]


def test_a_statement_naming_the_tests_together_asks_which_test_for_what_it_is():
    text = ("My mother has mild dementia and is booked in for a bone marrow test. I'm worried she "
            "won't understand what's going on.")
    dispatcher, events = run(tracker("inform_procedure", text))
    assert events == [SlotSet("topic", "overview")]
    assert dispatcher.messages[0]["text"] == render("ask_procedure")


@pytest.mark.parametrize("intent, text, slots, topic", [
    # (session 11, tests/dev/blind28-30) the question asked after the reason told
    ("ask_purpose", "My daughter is 7 and the haematologist wants to check her marrow. What will "
     "they actually do to her?", {}, "how_performed"),
    # blood-cell words are what a test looks at, not the question
    ("ask_blood_cells", "and why the platelets? what are they actually looking for",
     {"topic": "sensation"}, "purpose"),
    # where in the body the sample comes from
    ("ask_bone_marrow", "and where in the body does it come from", {"topic": "overview"},
     "how_performed"),
    # a rating of how bad it is, whatever else the message tells
    ("ask_expectations", "On a scale of 1 to 10 how bad is a sternal tap? My friend said it was "
     "the worst thing she ever had done.", {}, "sensation"),
])
def test_session_11_conversation_readings(intent, text, slots, topic):
    dispatcher, events = run(tracker(intent, text, slots={"procedure": "biopsy", **slots}))
    assert events[-1] == SlotSet("topic", topic)


def test_where_a_site_just_named_is_is_how_the_test_is_done():
    text = "It also says 'posterior iliac crest'. Where on earth is that?"
    site = {"entity": "body_site", "value": "iliac crest", "start": text.index("iliac"),
            "end": text.index("iliac") + len("iliac crest")}
    t = tracker("ask_alternative_names", text, [site],
                slots={"procedure": "aspiration", "topic": "overview"})
    dispatcher, events = run(t)
    assert events == [SlotSet("topic", "how_performed")]
    # without the site named, what it is called
    dispatcher, events = run(tracker("ask_alternative_names", "what else is it called",
                                     slots={"procedure": "aspiration", "topic": "overview"}))
    assert events == [SlotSet("topic", "alternative_names")]


def test_a_condition_after_an_answer_asks_what_follows_not_the_answer_again():
    t = tracker("ask_purpose", "why do i need it", slots={"procedure": "biopsy"})
    dispatcher, _ = run(t)
    answer = dispatcher.messages[0]["text"]
    assert "abnormal" in answer  # the word the follow-up repeats
    t = tracker("ask_abnormal_results", "and if its abnormal?",
                slots={"procedure": "biopsy", "topic": "purpose"})
    dispatcher, events = run(after(t, {"event": "bot", "text": answer}))
    assert events == [SlotSet("topic", "abnormal_results")]
    # a doubt about the answer's own words is still that answer again
    t = tracker("ask_abnormal_results", "abnormal types??",
                slots={"procedure": "biopsy", "topic": "purpose"})
    dispatcher, events = run(after(t, {"event": "bot", "text": answer}))
    assert events == [SlotSet("topic", "purpose")]


def test_own_findings_read_from_what_it_says_get_the_care_team():
    t = tracker("ask_normal_results", "it says cellularity 30%, is that normal for me",
                slots={"procedure": "aspiration", "topic": "normal_results"})
    dispatcher, events = run(t)
    assert events == []
    assert dispatcher.messages[0]["text"] == render("own_results")


def _naming_after(intent, text, word, slots, *earlier):
    """The tracker of ``text``, which names the test ``slots["procedure"]`` as ``word``, after
    the ``earlier`` events; as in Rasa, the slot is set from the message before the action runs."""
    start = text.index(word)
    value = slots["procedure"]
    entity = {**PROCEDURE, "value": value, "start": start, "end": start + len(word)}
    return after(tracker(intent, text, [entity], slots=slots), *earlier,
                 {"event": "user", "text": text},
                 {"event": "slot", "name": "procedure", "value": value})


BIOPSY_DISCUSSED = {"event": "slot", "name": "procedure", "value": "biopsy"}


def test_the_test_discussed_compared_with_the_other_keeps_the_test_discussed():
    # (session 11, tests/dev/blind28_conversations.yml): "it" is the trephine being discussed
    t = _naming_after("ask_alternative_names", "how is it different to the aspirate", "aspirate",
                      {"procedure": "aspiration", "topic": "overview"}, BIOPSY_DISCUSSED)
    dispatcher, events = run(t)
    assert events == [SlotSet("procedure", "biopsy"), SlotSet("topic", "overview")]
    cited = re.findall(r'"Bone marrow (aspiration|biopsy)"', dispatcher.messages[0]["text"])
    # (session 15) what the trephine is, which says how it differs from an aspiration
    assert set(cited) == {"biopsy"}
    assert "Bone marrow biopsy is not the same as bone marrow aspiration." in (
        dispatcher.messages[0]["text"])
    # the other test asked about on its own is that test
    t = _naming_after("ask_overview", "what is the aspirate", "aspirate",
                      {"procedure": "aspiration", "topic": "overview"}, BIOPSY_DISCUSSED)
    dispatcher, events = run(t)
    assert events == [SlotSet("topic", "overview")]


def test_two_names_of_one_test_asked_whether_they_are_one_are_its_names():
    # (session 11, tests/dev/blind33_conversations.yml)
    text = "is a sternal tap the same thing as a bone marrow aspiration"
    entities = [{**PROCEDURE, "value": "aspiration", "start": text.index(word),
                 "end": text.index(word) + len(word)}
                for word in ("sternal tap", "bone marrow aspiration")]
    dispatcher, events = run(tracker("ask_overview", text, entities))
    assert events == [SlotSet("procedure", "aspiration"), SlotSet("topic", "alternative_names")]
    # two tests compared are what each is
    text = "is a bone marrow aspiration the same as a bone marrow biopsy"
    entities = [{**PROCEDURE, "value": value, "start": text.index(word),
                 "end": text.index(word) + len(word)}
                for value, word in (("aspiration", "bone marrow aspiration"),
                                    ("biopsy", "bone marrow biopsy"))]
    dispatcher, events = run(tracker("ask_alternative_names", text, entities))
    assert events[-1] == SlotSet("topic", "overview")


def test_the_same_with_the_other_test_asks_for_it():
    # (tests/dev/blind9_conversations.yml) not a comparison of the two
    t = _naming_after("ask_alternative_names", "is it the same with bma", "bma",
                      {"procedure": "aspiration", "topic": "purpose"}, BIOPSY_DISCUSSED)
    dispatcher, events = run(t)
    assert events == [SlotSet("topic", "purpose")]
    assert re.findall(r'"Bone marrow (aspiration|biopsy)"',
                      dispatcher.messages[0]["text"]) == ["aspiration"]


@pytest.mark.parametrize("intent, text, slots, topic", [
    # (session 11, tests/dev/blind30, blind34)
    ("inform_procedure", "my mum's having an aspiration from her hip next week, what's that for",
     {}, "purpose"),
    ("ask_bone_marrow", "what the marrow is making?", {"topic": "stem_cells"}, "blood_cells"),
    ("ask_sensation", "theres a small spot of blood on it, is that expected",
     {"topic": "how_performed"}, "risks"),
])
def test_session_11_more_readings(intent, text, slots, topic):
    dispatcher, events = run(tracker(intent, text, slots={"procedure": "aspiration", **slots}))
    assert events[-1] == SlotSet("topic", topic)


def test_a_condition_asked_after_what_was_told_is_not_defined_by_the_leaflets():
    from bot.leaflet_words import defines_a_finding

    assert defines_a_finding("the doctor say maybe CML, what is CML", knowledge_base())
    assert not defines_a_finding("my dad has a bmb monday. what is it", knowledge_base())


def test_how_stem_cells_are_got_out_is_the_collection_whatever_the_transplant():
    # (session 11, tests/dev/blind19_conversations.yml)
    text = ("My brother needs a stem cell transplant and I've been told I'm a match. Nobody has "
            "explained how they actually get the stem cells out of me. Do they have to drill into "
            "my bones?")
    dispatcher, events = run(tracker("ask_transplant", text))
    assert events == [SlotSet("topic", "stem_cell_collection")]
    # what a transplant is stays the transplant
    dispatcher, events = run(tracker("ask_transplant", "what is a stem cell transplant"))
    assert events == [SlotSet("topic", "transplant")]


def test_two_descriptions_of_one_test_in_a_question_about_it_are_not_its_names():
    text = ("how do they get a solid bit of bone out with just a needle? I don't get how a core "
            "biopsy works")
    entities = [{**PROCEDURE, "value": "biopsy", "start": text.index(word),
                 "end": text.index(word) + len(word)} for word in ("solid bit of bone",
                                                                   "core biopsy")]
    dispatcher, events = run(tracker("ask_how_performed", text, entities))
    assert events[-1] == SlotSet("topic", "how_performed")


def test_bone_or_blood_right_after_the_collection_is_the_collection():
    # (session 11, tests/dev/blind34_conversations.yml)
    t = tracker("ask_bone_marrow", "is it out of the bone or the blood",
                slots={"topic": "stem_cell_collection"})
    dispatcher, events = run(t)
    assert events == [SlotSet("topic", "stem_cell_collection")]


def test_the_difference_between_the_two_quotes_what_each_test_is():
    # (session 11, tests/dev/blind29_conversations.yml)
    t = tracker("nlu_fallback", "whats the difference between the two anyway",
                slots={"procedure": "aspiration", "topic": "purpose"})
    dispatcher, events = run(t)
    assert events == [SlotSet("topic", "overview")]  # the test discussed stays
    cited = re.findall(r'"Bone marrow (aspiration|biopsy)"', dispatcher.messages[0]["text"])
    assert set(cited) == {"aspiration", "biopsy"}


def test_the_test_discussed_named_again_asked_if_the_same_is_its_names():
    # (tests/dev/blind15_conversations.yml)
    t = _naming_after("nlu_fallback", "is it the same thing as a sternal tap", "sternal tap",
                      {"procedure": "aspiration", "topic": "overview"},
                      {"event": "slot", "name": "procedure", "value": "aspiration"})
    dispatcher, events = run(t)
    assert events == [SlotSet("topic", "alternative_names")]


def test_which_test_is_ones_own_after_both_were_quoted_reads_the_test_before_the_message():
    # (tests/dev/blind25_conversations.yml) the slot already holds the test this message named
    t = _naming_after("ask_how_performed", "the aspiration one i think? they said suction",
                      "aspiration", {"topic": "risks", "procedure": "aspiration"},
                      {"event": "bot", "text": BOTH_RISKS})
    dispatcher, events = run(t)
    assert events == [SlotSet("topic", "risks")]


def test_what_a_test_can_pick_up_is_why_it_is_done():
    dispatcher, events = run(tracker("ask_how_performed", "wat can a bone marow test pick up"))
    assert events == [SlotSet("topic", "purpose")]
    dispatcher, events = run(tracker("ask_how_performed", "how do they pick up the sample",
                                     slots={"procedure": "biopsy"}))
    assert events == [SlotSet("topic", "how_performed")]


@pytest.mark.parametrize("intent, text, slots", [
    # (tests/dev/fresh_topics.yml, blind24_messages.yml) what the test takes is what it is
    ("ask_risks", "I've been told I need a bone marrow test to look for leukaemia. What is it "
     "they actually remove from me?", {"procedure": "biopsy"}),
    ("ask_risks", "Hi there, my 6 year old keeps getting bruises and the consultant wants to do "
     "a marrow aspiration. I honestly have no clue what they would be taking out of her, what is "
     "it?", {"procedure": "aspiration"}),
])
def test_what_they_take_out_is_what_the_test_is(intent, text, slots):
    dispatcher, events = run(tracker(intent, text, slots=slots))
    assert events[-1] == SlotSet("topic", "overview")
    # how it is taken out, or with what, is how it is done
    dispatcher, events = run(tracker("ask_how_performed", "what do they use to take it out",
                                     slots=slots))
    assert events[-1] == SlotSet("topic", "how_performed")


# ---- session 15: a comparison of the two tests is about the test asked about


def _named(text: str, *names: tuple[str, str]) -> list[dict]:
    return [{**PROCEDURE, "value": value, "start": text.index(surface),
             "end": text.index(surface) + len(surface)} for surface, value in names]


@pytest.mark.parametrize("text, names, quoted", [
    # the first test named, compared with the other: its overview says how the two differ
    ("is a trephine the same thing as a BMA?", (("trephine", "biopsy"), ("BMA", "aspiration")),
     ["Bone marrow biopsy"]),
    ("how does the aspirate differ from the biopsy",
     (("aspirate", "aspiration"), ("biopsy", "biopsy")), ["Bone marrow aspiration"]),
    # the difference between the two, or the two side by side: both
    ("what is the difference between a trephine and a BMA",
     (("trephine", "biopsy"), ("BMA", "aspiration")), ["Bone marrow aspiration",
                                                       "Bone marrow biopsy"]),
    ("BMA versus trephine?", (("BMA", "aspiration"), ("trephine", "biopsy")),
     ["Bone marrow aspiration", "Bone marrow biopsy"]),
])
def test_a_comparison_quotes_what_the_test_asked_about_is(text, names, quoted):
    t = tracker("ask_overview", text, entities=_named(text, *names))
    dispatcher, _ = run(t)
    assert sorted(title for title, _ in _sections(dispatcher.messages[0]["text"])) == quoted



def test_a_risk_at_the_site_named_is_the_risks():
    # (session 17, tests/dev/blind51) bleeding from the breastbone: the risks, not where
    text = "is bleeding from the breastbone common after it?"
    entities = [{"entity": "body_site", "value": "breastbone",
                 "start": text.index("breastbone"), "end": text.index(" common")}]
    dispatcher, events = run(tracker("ask_risks", text, entities,
                                     slots={"topic": "overview", "procedure": "aspiration"}))
    assert events == [SlotSet("topic", "risks")]
    [(_, section)] = knowledge_base().find("risks", "aspiration")
    assert dispatcher.messages[0]["text"].startswith(section.text())


@pytest.mark.parametrize("text, intent, topic", [
    # (session 17, tests/dev/blind47, blind48) the kinds of infection or disease a test finds:
    # what abnormal results may be due to, not the risk of catching one
    ("what kinds of infection can it find", "ask_risks", "abnormal_results"),
    ("will they find out if i get an infection", "ask_risks", "risks"),
    # a risk asked in so many words, beside a condition of one's own
    ("Could you tell me whether there are any serious risks with a sternal tap? My husband has a "
     "heart condition and I'm worried because it's so near his chest.", "ask_risks", "risks"),
    # the same diseases looked for by both tests: what each is for
    ("do both tests look for the same diseases?", "ask_alternative_names", "purpose"),
])
def test_what_a_test_finds_by_kind(text, intent, topic):
    dispatcher, events = run(tracker(intent, text,
                                     slots={"topic": "purpose", "procedure": "biopsy"}))
    assert events == [SlotSet("topic", topic)]
    [(_, section)] = knowledge_base().find(topic, "biopsy")
    assert dispatcher.messages[0]["text"].startswith(section.text())


@pytest.mark.parametrize("text, topic", [
    # (session 17, tests/dev/blind7, blind26, blind42) a bleeding problem named: what to tell the
    # provider (the preparation); a risk asked in so many words stays the risks
    ("what if i have a bleeding disorder", "preparation"),
    ("she has a bleeding disorder, will that be an issue", "preparation"),
    ("will she bleed more with her bleeding disorder", "risks"),
    ("is it riskier with haemophilia?", "risks"),
])
def test_a_bleeding_problem_named_is_the_preparation(text, topic):
    dispatcher, events = run(tracker("ask_risks", text,
                                     slots={"topic": "risks", "procedure": "aspiration"}))
    assert events == [SlotSet("topic", topic)]
    [(_, section)] = knowledge_base().find(topic, "aspiration")
    assert dispatcher.messages[0]["text"].startswith(section.text())


@pytest.mark.parametrize("text, intent, slots, topic", [
    # (session 18, tests/dev/blind56, blind63) another subject of the page, or what follows the
    # collection, named in a follow-up that shares words with the answer just quoted
    ("and bone marrow?", "ask_bone_marrow", {"topic": "stem_cells"}, "bone_marrow"),
    ("and once they've collected them that's the transplant?", "ask_stem_cell_collection",
     {"topic": "stem_cell_collection"}, "transplant"),
    # a condition told first is context: the question asked is what the test is for
    ("My mother is 83 and her GP thinks she may have MDS. She's having a bone marrow biopsy on "
     "Friday. What is the test used to diagnose?", "ask_purpose", {"procedure": "biopsy"},
     "purpose"),
    ("my mum has myeloma. can the biopsy pick it up?", "ask_purpose", {"procedure": "biopsy"},
     "abnormal_results"),
])
def test_session_18_follow_ups(text, intent, slots, topic):
    dispatcher, events = run(tracker(intent, text, slots=slots))
    assert events[-1] == SlotSet("topic", topic)
    [(_, section)] = knowledge_base().find(topic, slots.get("procedure"))
    assert dispatcher.messages[0]["text"].startswith(section.text())


def test_the_test_named_then_a_question_of_its_own_after_which_test():
    # (session 18, tests/dev/blind56) "which test?" answered, and a new question asked
    text = "it's an aspiration they said. will she feel it?"
    entities = [{"entity": "procedure", "value": "aspiration",
                 "start": text.index("aspiration"), "end": text.index(" they")}]
    t = tracker("ask_sensation", text, entities, slots={"topic": "purpose"})
    dispatcher, events = run(after(t, {"event": "bot", "text": render("ask_procedure")}))
    assert events == [SlotSet("procedure", "aspiration"), SlotSet("topic", "sensation")]
    [(_, section)] = knowledge_base().find("sensation", "aspiration")
    assert dispatcher.messages[0]["text"].startswith(section.text())
    # a bare name still answers the question asked before "which test?"
    t = tracker("inform_procedure", "the aspiration", [{**entities[0], "start": 4, "end": 14}],
                slots={"topic": "purpose"})
    dispatcher, events = run(after(t, {"event": "bot", "text": render("ask_procedure")}))
    assert events[-1] == SlotSet("topic", "purpose")


@pytest.mark.parametrize("text, topic", [
    # (session 18, tests/dev/blind22) how it is done, asked after what the letter says
    ("im confused, my letter says bone marrow aspiration and trephine. how is the trephine bit "
     "done", "how_performed"),
    # one sentence asking both what it is and how it is done: what it is, as before
    ("what is a bone marrow biopsy and how is it done?", "overview"),
])
def test_how_it_is_done_asked_after_telling(text, topic):
    dispatcher, events = run(tracker("ask_overview", text, slots={"procedure": "biopsy"}))
    assert events[-1] == SlotSet("topic", topic)


@pytest.mark.parametrize("text, intent, slots, topic", [
    # (session 19, tests/dev/blind68) why the marrow just described is taken, in a conversation
    # about his test: why the test is done
    ("why would they want to take some of his out", "ask_stem_cell_collection",
     {"topic": "bone_marrow", "procedure": "aspiration"}, "purpose"),
    ("why would they want to take some of his out", "ask_stem_cell_collection",
     {"topic": "blood_cells", "procedure": "aspiration"}, "purpose"),
    ("why would they want to take some of his out", "ask_stem_cell_collection",
     {"topic": "stem_cells", "procedure": "aspiration"}, "stem_cell_collection"),
    # how risky the steps are (not how it is done), and a risk asked in the last sentence
    # after a reaction
    ("ok. how risky is the procedure itself at her age", "ask_risks",
     {"topic": "overview", "procedure": "aspiration"}, "risks"),
    ("they go into her BREASTBONE?? is that dangerous", "ask_how_performed",
     {"topic": "how_performed", "procedure": "aspiration"}, "risks"),
    # what the lab does with the sample (blind61): how the test is done
    ("what does the lab do with it", "ask_overview", {"topic": "overview",
                                                     "procedure": "aspiration"}, "how_performed"),
])
def test_session_19_readings(text, intent, slots, topic):
    dispatcher, events = run(tracker(intent, text, slots=slots))
    assert events[-1] == SlotSet("topic", topic)
    procedure = None if topic in PAGE_TOPICS else slots.get("procedure")
    [(_, section)] = knowledge_base().find(topic, procedure)
    assert dispatcher.messages[0]["text"].startswith(section.text())


def test_the_process_for_the_other_test_is_how_it_is_done():
    # "and what's the process for an aspiration?" after the biopsy's preparation: how the
    # aspiration is done (not the preparation again, for the aspiration)
    text = "and what's the process for an aspiration?"
    entities = [{**PROCEDURE, "value": "aspiration", "start": 31, "end": 41}]
    t = tracker("ask_overview", text, entities,
                slots={"procedure": "aspiration", "topic": "preparation"})
    dispatcher, events = run(t)
    assert events == [SlotSet("topic", "how_performed")]
    [(_, section)] = knowledge_base().find("how_performed", "aspiration")
    assert dispatcher.messages[0]["text"].startswith(section.text())


@pytest.mark.parametrize("intent, text, slots, topic", [
    # another bone, right after which bone: how it is done
    ("ask_alternative_names", "can they use a different one",
     {"procedure": "aspiration", "topic": "how_performed"}, "how_performed"),
    # the procedure itself
    ("ask_overview", "and whats the actual procedure", {"procedure": "aspiration",
                                                        "topic": "overview"}, "how_performed"),
    # something gone wrong: the risks
    ("ask_abnormal_results", "what signs would mean something's gone wrong",
     {"procedure": "aspiration", "topic": "preparation"}, "risks"),
])
def test_more_readings_of_how_it_is_done_and_the_risks(intent, text, slots, topic):
    dispatcher, events = run(tracker(intent, text, slots=slots))
    assert events == [SlotSet("topic", topic)]
    [(_, section)] = knowledge_base().find(topic, "aspiration")
    assert dispatcher.messages[0]["text"].startswith(section.text())


def test_a_test_named_is_no_word_picked_up_from_the_answer():
    # "ok, for my aspiration, how i must prepare" right after what the aspiration is: the
    # preparation, not the answer picked up again
    text = "ok, for my aspiration, how i must prepare"
    entities = [{**PROCEDURE, "value": "aspiration", "start": 11, "end": 21}]
    t = after(tracker("ask_preparation", text, entities,
                      slots={"procedure": "aspiration", "topic": "overview"}),
              {"event": "bot", "text": "Bone marrow aspiration is ...\nSource: x"},
              {"event": "user", "text": text})
    dispatcher, events = run(t)
    assert events == [SlotSet("topic", "preparation")]


def test_what_is_that_after_naming_the_other_test_is_what_it_is():
    text = "what about an aspiration, what's that"
    entities = [{**PROCEDURE, "value": "aspiration", "start": 14, "end": 24}]
    dispatcher, events = run(tracker("ask_overview", text, entities,
                                     slots={"procedure": "aspiration", "topic": "purpose"}))
    assert events == [SlotSet("topic", "overview")]


@pytest.mark.parametrize("text, topic", [
    # what conditions the test may turn up, taken for its risks: what abnormal results mean
    ("what conditions can turn up on an aspirate", "abnormal_results"),
    ("what kind of problems can it turn up", "abnormal_results"),
    # still the risks
    ("what could go wrong", "risks"),
])
def test_what_it_may_turn_up_taken_for_the_risks(text, topic):
    dispatcher, events = run(tracker("ask_risks", text, slots={"procedure": "aspiration"}))
    assert events == [SlotSet("topic", topic)]


@pytest.mark.parametrize("text, value", [
    # an everyday needle told, then compared with: how the marrow test feels
    ("I go lightheaded even at blood draws. Is the marrow test going to be loads worse than that?",
     "blood draws"),
    ("I'm fine with blood tests but this one sounds different. is it worse than having blood taken",
     "blood tests"),
])
def test_worse_than_an_everyday_needle_told_before(text, value):
    start = text.index(value)
    entities = [{"entity": "other_procedure", "value": value, "start": start,
                 "end": start + len(value)}]
    dispatcher, events = run(tracker("ask_risks", text, entities))
    assert events == [SlotSet("topic", "sensation")]
    assert dispatcher.messages[0]["text"] == render("ask_procedure")


@pytest.mark.parametrize("text, declined", [
    # the everyday needle only told, after a question naming no other test
    ("what happens right after they pull the needle out? i bleed a lot from normal blood tests",
     False),
    # the blood test asked about
    ("how is a blood test done? i had one last week.", True),
])
def test_an_everyday_needle_only_told_beside_the_question(text, declined):
    value = "blood tests" if "blood tests" in text else "blood test"
    start = text.index(value)
    entities = [{"entity": "other_procedure", "value": value, "start": start,
                 "end": start + len(value)}]
    dispatcher, _ = run(tracker("ask_how_performed", text, entities))
    expected = render("out_of_scope") if declined else render("ask_procedure")
    assert dispatcher.messages[0]["text"] == expected


def _named(text, *names):
    """Procedure entities for each (span text, value) in ``names``."""
    return [{**PROCEDURE, "value": value, "start": text.index(span),
             "end": text.index(span) + len(span)} for span, value in names]


@pytest.mark.parametrize("intent, text, names, topic", [
    # another name asked as a kind of marrow test: the other names (session 20, blind75)
    ("ask_overview", "is an iliac crest tap a bone marrow test?",
     [("iliac crest tap", "aspiration")], "alternative_names"),
    # not a name asked about: "there any preperation for" (blind62)
    ("ask_preparation", "is there any preperation for a bone marrow biopsy",
     [("bone marrow biopsy", "biopsy")], "preparation"),
    # a condition only the abnormal results list names, beside the test (blind76)
    ("inform_procedure", "MDS and bone marrow biopsy", [("bone marrow biopsy", "biopsy")],
     "abnormal_results"),
    # both tests told together: what each is, not whether they are done at once (blind82)
    ("inform_procedure", "booked in for a bone marrow aspiration and biopsy together on monday",
     [("bone marrow aspiration", "aspiration"), ("biopsy", "biopsy")], "overview"),
    # both tests told, then how they differ asked (blind83)
    ("ask_how_performed",
     "im down for an aspiration AND a biopsy on the same day, whats the difference between them",
     [("aspiration", "aspiration"), ("biopsy", "biopsy")], "overview"),
    # a listed condition, can they see it: the abnormal results (blind84)
    ("ask_overview", "ITP can they see it on marrow aspiration",
     [("marrow aspiration", "aspiration")], "abnormal_results"),
])
def test_session_20_readings(intent, text, names, topic):
    dispatcher, events = run(tracker(intent, text, _named(text, *names)))
    assert SlotSet("topic", topic) in events
