"""actions/clinic.py: the clinic's own answer, or an honest "ask your clinic", never document text.
Same questions with the default (empty) and the filled example profile."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clinic import ActionAnswerClinicQuestion
from bot import PROJECT_ROOT
from bot.topics import LOCAL_TOPIC_LABELS
from tests.support.trackers import message, tracker

FILLED = PROJECT_ROOT / "clinic" / "example-filled.yml"


def run(intent: str, text: str = "") -> CollectingDispatcher:
    dispatcher = CollectingDispatcher()
    events = ActionAnswerClinicQuestion().run(dispatcher, tracker(intent, text), {})
    assert events == [SlotSet("clinic_topic", intent.removeprefix("ask_"))]
    return dispatcher


def test_default_profile_says_honestly_it_depends_on_the_clinic(monkeypatch):
    monkeypatch.delenv("CLINIC_PROFILE", raising=False)
    dispatcher = run("ask_fasting", "can i eat before my biopsy")
    assert dispatcher.messages == [
        message(
            "I don't have Example Haematology Clinic (demo, not a real clinic)'s own instructions "
            "about eating and drinking before the test. It depends on how your clinic does the "
            "test, so please ask them. You can call Example Haematology Clinic (demo, not a real "
            "clinic) on 555-0100 (example number) (Monday to Friday, 9am to 5pm (example hours))."
        )
    ]


def test_filled_profile_gives_the_clinics_answer_and_says_where_it_is_from(monkeypatch):
    monkeypatch.setenv("CLINIC_PROFILE", str(FILLED))
    dispatcher = run("ask_hospital_stay", "do i have to stay overnight")
    assert dispatcher.messages == [
        message(
            "The test is done as a day case. You will not need to stay overnight.\n\n"
            "This answer comes from Riverside Haematology Day Unit (fictional example), "
            "not from the patient leaflets."
        )
    ]


@pytest.mark.parametrize("topic", sorted(LOCAL_TOPIC_LABELS))
def test_every_local_topic_is_answered_from_the_profile_only(monkeypatch, topic):
    monkeypatch.delenv("CLINIC_PROFILE", raising=False)
    [honest] = run(f"ask_{topic}").messages
    assert LOCAL_TOPIC_LABELS[topic] in honest["text"]
    assert "555-0100" in honest["text"]
    assert "Source:" not in honest["text"]
    monkeypatch.setenv("CLINIC_PROFILE", str(FILLED))
    [answered] = run(f"ask_{topic}").messages
    assert "This answer comes from Riverside Haematology Day Unit" in answered["text"]
    assert "Source:" not in answered["text"]


@pytest.mark.parametrize("text, last_topic", [
    ("how long does the soreness last?", None),
    ("how long does the sharp bit last during the aspirate", None),
    ("how long will it hurt for afterwards, does the pain go away quickly", None),
    ("how long does that last", "sensation"),  # right after how it feels
    ("for how many seconds roughly", "sensation"),
    ("and for how long", "sensation"),  # session 8: a bare "how long" right after how it feels
    ("how long for?", "sensation"),
])
def test_how_long_it_hurts_is_how_it_feels_not_how_long_the_test_takes(text, last_topic):
    from rasa_sdk.events import SlotSet

    from actions.readings import knowledge_base

    slots = {"procedure": "biopsy", "topic": last_topic}
    dispatcher = CollectingDispatcher()
    events = ActionAnswerClinicQuestion().run(
        dispatcher, tracker("ask_duration", text, slots=slots), {})
    assert events == [SlotSet("topic", "sensation")]
    [(_, section)] = knowledge_base().find("sensation", "biopsy")
    assert dispatcher.messages[0]["text"].startswith(section.text())


@pytest.mark.parametrize("text, last_topic", [
    ("how long does it last", None),  # the test itself
    ("and for how long", "purpose"),  # not after how it feels
    ("how long", "sensation"),  # a bare "how long": how long the test takes
    ("how long does that last", "how_performed"),
    ("how long does the biopsy take", "sensation"),
])
def test_how_long_the_test_takes_is_still_the_clinic_s_answer(text, last_topic):
    dispatcher = CollectingDispatcher()
    slots = {"procedure": "biopsy", "topic": last_topic}
    assert ActionAnswerClinicQuestion().run(
        dispatcher, tracker("ask_duration", text, slots=slots), {}) == [
            SlotSet("clinic_topic", "duration")]
    assert dispatcher.messages == run("ask_duration", "how long does the test take").messages
    assert "feel" not in dispatcher.messages[0]["text"].lower()


@pytest.mark.parametrize("text, topic", [
    ("Should I stop my ibuprofen before the BMB? I take it for arthritis pain", "preparation"),
    ("mum is on aspirin and steroids, what should she let the doctor know?", "preparation"),
])
def test_own_medicines_before_the_test_are_the_preparation(text, topic):
    dispatcher = CollectingDispatcher()
    events = ActionAnswerClinicQuestion().run(
        dispatcher, tracker("ask_pain_relief", text, slots={"procedure": "biopsy"}), {})
    assert events == [SlotSet("topic", topic)]


def test_pain_relief_afterwards_is_still_the_clinic_s_answer():
    dispatcher = CollectingDispatcher()
    text = "can I take paracetamol for pain after the biopsy"
    assert ActionAnswerClinicQuestion().run(
        dispatcher, tracker("ask_pain_relief", text, slots={"procedure": "biopsy"}), {}) == [
            SlotSet("clinic_topic", "pain_relief")]


# ---- a follow-up right after a clinic answer -------------------------------------------------

BIOPSY_SPAN = [{"entity": "procedure", "value": "biopsy", "start": 15, "end": 21}]


@pytest.mark.parametrize("intent, text, entities, expected", [
    ("inform_procedure", "what about the biopsy", BIOPSY_SPAN, "driving"),
    ("out_of_scope", "and for kids?", None, "driving"),
    ("nlu_fallback", "n after?", None, "driving"),
    ("nlu_fallback", "and PE?", None, "driving"),
    ("ask_results", "and the results?", None, "results_timing"),
])
def test_a_follow_up_after_a_clinic_answer_asks_the_practical_question_again(
        monkeypatch, intent, text, entities, expected):
    from actions.answer import ActionAnswerQuestion
    from actions.conversation import ActionClarifyQuestion, ActionDeclineOutOfScope

    monkeypatch.setenv("CLINIC_PROFILE", str(FILLED))
    action = {"inform_procedure": ActionAnswerQuestion, "ask_results": ActionAnswerQuestion,
              "out_of_scope": ActionDeclineOutOfScope,
              "nlu_fallback": ActionClarifyQuestion}[intent]()
    slots = {"procedure": "aspiration", "topic": "sensation", "clinic_topic": "driving"}
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker(intent, text, entities, slots=slots,
                                            ranking=[(intent, 0.4)]), {})
    assert events == [SlotSet("clinic_topic", expected)]
    assert dispatcher.messages == run(f"ask_{expected}").messages


@pytest.mark.parametrize("text, intent", [
    ("and is it safe?", "ask_risks"),
    ("does it hurt?", "ask_sensation"),
])
def test_a_leaflet_question_after_a_clinic_answer_is_answered_from_the_leaflet(text, intent):
    from actions.answer import ActionAnswerQuestion

    slots = {"procedure": "aspiration", "topic": None, "clinic_topic": "driving"}
    dispatcher = CollectingDispatcher()
    events = ActionAnswerQuestion().run(
        dispatcher, tracker(intent, text, slots=slots, ranking=[(intent, 0.9)]), {})
    assert events == [SlotSet("topic", intent.removeprefix("ask_")),
                      SlotSet("clinic_topic", None)]
    assert "Source:" in dispatcher.messages[0]["text"]


# ---- session 9: right after a leaflet answer, a clinic look-alike that is not a clinic question

ASPIRATION_TOO = [{"entity": "procedure", "value": "aspiration", "start": 19, "end": 27}]


@pytest.mark.parametrize("intent, text, entities, slots, events", [
    # the answer just quoted, doubted
    ("ask_duration", "few seconds really??", None, {"procedure": "aspiration"},
     [SlotSet("topic", "sensation")]),
    # the same question for the other test
    ("ask_sedation", "and if they do the aspirate too?", ASPIRATION_TOO, {},
     [SlotSet("procedure", "aspiration"), SlotSet("topic", "sensation")]),
    # how the test is done, and the two tests done together
    ("ask_who_performs", "what does the doctor do during it", None, {},
     [SlotSet("topic", "how_performed")]),
    ("ask_duration", "will they do the trephine and the aspirate at the same time", None, {},
     [SlotSet("topic", "how_performed")]),
    # what is put on the skin at the end, which how the test is done says (keeping it dry is the
    # clinic's)
    ("ask_bathing", "will they put a dressing on after", None, {},
     [SlotSet("topic", "how_performed")]),
    ("ask_bathing", "can i shower with the dressing on after", None, {},
     [SlotSet("clinic_topic", "bathing")]),
    # one more medicine right after the preparation: what to tell them
    ("ask_pain_relief", "she's on aspirin as well", None, {"topic": "preparation"},
     [SlotSet("topic", "preparation")]),
    ("ask_pain_relief", "and her aspirin?", None, {"topic": "preparation"},
     [SlotSet("topic", "preparation")]),
    # the pain relief after the test stays the clinic's
    ("ask_pain_relief", "can she take ibuprofen after?", None, {"topic": "preparation"},
     [SlotSet("clinic_topic", "pain_relief")]),
    ("ask_sedation", "They give him medicine to sleep during?", None, {"topic": "preparation"},
     [SlotSet("clinic_topic", "sedation")]),
    # after where stem cells are: when they leave the marrow
    ("ask_hospital_stay", "when do they leave the marrow", None,
     {"topic": "stem_cell_collection", "procedure": None}, [SlotSet("topic", "stem_cells")]),
    # still the clinic's: how long it takes
    ("ask_duration", "how long does the whole thing take start to finish", None, {},
     [SlotSet("clinic_topic", "duration")]),
])
def test_after_a_leaflet_answer(intent, text, entities, slots, events):
    slots = {"procedure": "biopsy", "topic": "sensation", "clinic_topic": None, **slots}
    dispatcher = CollectingDispatcher()
    assert ActionAnswerClinicQuestion().run(
        dispatcher, tracker(intent, text, entities, slots=slots), {}) == events
    if events[-1].get("name") != "clinic_topic":
        assert "Source:" in dispatcher.messages[0]["text"]


def test_what_to_do_to_get_ready_under_a_general_is_the_preparation():
    # (session 11, tests/dev/blind28_conversations.yml): the question asked, not the sedation told
    text = ("Our 12 year old is having a bone marrow aspiration under general anaesthetic next "
            "week. Is there anything we need to do to prepare her?")
    dispatcher = CollectingDispatcher()
    events = ActionAnswerClinicQuestion().run(
        dispatcher, tracker("ask_sedation", text, slots={"procedure": "aspiration"}), {})
    assert events[-1] == SlotSet("topic", "preparation")
    assert "Source:" in dispatcher.messages[0]["text"]


def test_the_same_deal_for_the_other_test_is_the_last_question_for_it():
    # (session 11, tests/dev/blind29_conversations.yml): "deal" is not the cost
    text = "what about for the aspiration, same deal?"
    start = text.index("aspiration")
    entities = [{"entity": "procedure", "value": "aspiration", "start": start,
                 "end": start + len("aspiration")}]
    dispatcher = CollectingDispatcher()
    events = ActionAnswerClinicQuestion().run(dispatcher, tracker(
        "ask_cost", text, entities, slots={"procedure": "biopsy", "topic": "preparation"}), {})
    assert events[-1] == SlotSet("topic", "preparation")
    assert "Source:" in dispatcher.messages[0]["text"]


def test_how_it_feels_then_how_long_gets_both_answers(monkeypatch):
    # (session 19, tests/dev/blind65) how it feels from the leaflet first, then the clinic's
    # answer on how long it takes
    monkeypatch.setenv("CLINIC_PROFILE", str(FILLED))
    dispatcher = CollectingDispatcher()
    events = ActionAnswerClinicQuestion().run(dispatcher, tracker(
        "ask_duration", "what will I feel and how long does it take",
        slots={"procedure": "aspiration"}), {})
    assert events == [SlotSet("topic", "sensation")]
    feel, took = dispatcher.messages
    assert '"Bone marrow aspiration", section "How the Test will Feel"' in feel["text"]
    assert "This answer comes from Riverside Haematology Day Unit" in took["text"]
    assert "Source:" not in took["text"]


@pytest.mark.parametrize("intent, text", [
    ("ask_bathing", "does she need stitches or just a plaster"),
    ("ask_fasting", "do they suck some liquid out as well"),
])
def test_how_it_is_done_taken_for_a_clinic_question(monkeypatch, intent, text):
    # the leaflet's how the test is done, not the clinic's answer (session 20, blind82)
    monkeypatch.delenv("CLINIC_PROFILE", raising=False)
    dispatcher = CollectingDispatcher()
    events = ActionAnswerClinicQuestion().run(
        dispatcher, tracker(intent, text, slots={"procedure": "biopsy"}), {})
    assert SlotSet("topic", "how_performed") in events
    assert "Source: MedlinePlus" in dispatcher.messages[0]["text"] + dispatcher.messages[-1]["text"]


def test_how_it_feels_taken_for_a_clinic_question(monkeypatch):
    # (session 20, tests/dev/blind78) the leaflet's how it feels, not the clinic's answer
    monkeypatch.delenv("CLINIC_PROFILE", raising=False)
    dispatcher = CollectingDispatcher()
    text = "my consultant might do a biopsy instead, would that feel different"
    events = ActionAnswerClinicQuestion().run(
        dispatcher, tracker("ask_hospital_stay", text, slots={"procedure": "biopsy"}), {})
    assert SlotSet("topic", "sensation") in events


def test_a_feeling_only_told_keeps_the_clinic_answer(monkeypatch):
    # (session 20, tests/dev/blind19) the question is when the results come; the rest is told
    monkeypatch.delenv("CLINIC_PROFILE", raising=False)
    text = ("I had a BMB last Thursday. When will I hear back with the results? The waiting is "
            "honestly worse than the test itself")
    dispatcher = run("ask_results_timing", text)
    assert "when and how you get your results" in dispatcher.messages[0]["text"]
