"""actions/conversation.py: replies that name the clinic, and the "did you mean" clarification."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import (
    ActionClarifyQuestion,
    ActionDeclineOutOfScope,
    ActionExplainBot,
    ActionGreetPatient,
    ActionOfferHuman,
)
from bot import PROJECT_ROOT
from bot.replies import render
from tests.support.trackers import message, tracker

FILLED = PROJECT_ROOT / "clinic" / "example-filled.yml"


def run(action, t):
    dispatcher = CollectingDispatcher()
    assert action.run(dispatcher, t, {}) == []
    return dispatcher.messages


@pytest.fixture(autouse=True)
def filled_profile(monkeypatch):
    monkeypatch.setenv("CLINIC_PROFILE", str(FILLED))


def test_greeting_names_the_bot_the_clinic_and_the_emergency_number():
    [reply] = run(ActionGreetPatient(), tracker("greet", "hi"))
    assert reply["text"].startswith(
        "Hello, I'm an automated assistant for Riverside Haematology Day Unit (fictional "
        "example), not a person."
    )
    assert "I don't replace your care team. In an emergency call 911 now." in reply["text"]


@pytest.mark.parametrize("action", [ActionOfferHuman(), ActionDeclineOutOfScope(),
                                    ActionExplainBot()])
def test_contact_replies_use_the_profile_phone_and_hours(action):
    [reply] = run(action, tracker("x", "x"))
    assert ("You can call Riverside Haematology Day Unit (fictional example) on 555-0199 "
            "(Monday to Friday, 8am to 6pm).") in reply["text"]


def test_unsure_offers_the_likeliest_topics_and_the_clinic():
    t = tracker("nlu_fallback", "bone thing ouch?", ranking=[
        ("nlu_fallback", 0.45), ("ask_sensation", 0.31), ("ask_risks", 0.22),
        ("greet", 0.2), ("ask_purpose", 0.06), ("ask_overview", 0.01),
    ])
    assert run(ActionClarifyQuestion(), t) == [
        message(render("did_you_mean"), buttons=[
            {"title": "Whether it hurts", "payload": "/ask_sensation"},
            {"title": "Risks of the test", "payload": "/ask_risks"},
            {"title": "Why the test is done", "payload": "/ask_purpose"},
            {"title": "Talk to the clinic", "payload": "/ask_human"},
        ])
    ]


def test_unsure_with_no_likely_topic_gives_the_fallback_with_contacts():
    t = tracker("nlu_fallback", "hmm", ranking=[("nlu_fallback", 0.45), ("greet", 0.3)])
    assert run(ActionClarifyQuestion(), t) == [message(render("fallback"))]
    assert "555-0199" in render("fallback")


PAGE_RANKING = [("nlu_fallback", 0.4), ("ask_blood_cells", 0.3), ("ask_stem_cells", 0.2),
                ("ask_risks", 0.1)]


def test_a_vague_follow_up_on_the_stem_cell_page_gets_that_page_s_likeliest_section():
    from rasa_sdk.events import SlotSet

    t = tracker("nlu_fallback", "what does it make", slots={"topic": "bone_marrow"},
                ranking=PAGE_RANKING)
    dispatcher = CollectingDispatcher()
    events = ActionClarifyQuestion().run(dispatcher, t, {})
    assert events == [SlotSet("topic", "blood_cells")]
    assert "The three types of blood cells" in dispatcher.messages[0]["text"]
    assert not dispatcher.messages[0]["buttons"]


@pytest.mark.parametrize("slots, entities", [
    ({"topic": "sensation", "procedure": "biopsy"}, []),  # the last question was about a test
    ({"topic": None}, []),  # nothing asked yet
    ({"topic": "bone_marrow"}, [{"entity": "procedure", "value": "biopsy"}]),  # a test named
])
def test_elsewhere_a_vague_message_still_gets_did_you_mean(slots, entities):
    t = tracker("nlu_fallback", "what does it make", entities, slots=slots, ranking=PAGE_RANKING)
    [reply] = run(ActionClarifyQuestion(), t)
    assert reply["text"] == render("did_you_mean")


def _section(procedure, topic):
    from actions.readings import knowledge_base

    [(document, section)] = knowledge_base().find(topic, procedure)
    return section.text()


@pytest.mark.parametrize("text, slots, topic", [
    # a word of the last answer: the section that uses it, not "did you mean"
    ("hematopoietic?", {"topic": "normal_results", "procedure": "biopsy"}, "normal_results"),
    # the same question for someone else keeps the topic
    ("and for a child?", {"topic": "how_performed", "procedure": "aspiration"}, "how_performed"),
    # (session 16, tests/dev/blind48) the marrow just defined in a conversation about a test:
    # getting "it" out is how the test is done
    ("and how will they get it out of me", {"topic": "bone_marrow", "procedure": "aspiration"},
     "how_performed"),
])
def test_an_unsure_follow_up_is_read_against_the_conversation(text, slots, topic):
    from rasa_sdk.events import SlotSet

    t = tracker("nlu_fallback", text, ranking=[("nlu_fallback", 0.4)], slots=slots)
    dispatcher = CollectingDispatcher()
    assert ActionClarifyQuestion().run(dispatcher, t, {}) == [SlotSet("topic", topic)]
    assert dispatcher.messages[0]["text"].startswith(_section(slots["procedure"], topic))


def test_a_short_follow_up_that_looked_off_topic_continues_the_conversation():
    from rasa_sdk.events import SlotSet

    t = tracker("out_of_scope", "and CLL?", slots={"topic": "purpose",
                                                    "procedure": "aspiration"})
    dispatcher = CollectingDispatcher()
    assert ActionDeclineOutOfScope().run(dispatcher, t, {}) == [
        SlotSet("topic", "abnormal_results")]
    assert dispatcher.messages[0]["text"].startswith(_section("aspiration", "abnormal_results"))


@pytest.mark.parametrize("text, slots", [
    ("CLL?", {}),  # nothing asked before
    ("whats a CBC", {"topic": "overview", "procedure": "aspiration"}),  # not defined anywhere
    ("what are the side effects of hydroxyurea", {"topic": "risks", "procedure": "biopsy"}),
    ("my mum has CLL, what treatment will she get and how long does it take to work",
     {"topic": "purpose", "procedure": "aspiration"}),  # longer than a follow-up
    ("what about a breast biopsy", {"topic": "how_performed", "procedure": "biopsy"}),
    ("is MDS curable", {"topic": "abnormal_results", "procedure": "biopsy"}),
    ("write a poem about leukemia", {"topic": "abnormal_results", "procedure": "biopsy"}),
])
def test_near_misses_are_still_declined(text, slots):
    entities = ([{"entity": "other_procedure", "value": "breast biopsy"}]
                if "breast" in text else [])
    [reply] = run(ActionDeclineOutOfScope(), tracker("out_of_scope", text, entities, slots=slots))
    assert reply == message(render("out_of_scope"))


def test_a_short_follow_up_on_the_stem_cell_page_gets_that_page_s_likeliest_section():
    from rasa_sdk.events import SlotSet

    ranking = [("out_of_scope", 0.5), ("ask_stem_cells", 0.3), ("ask_risks", 0.1)]
    t = tracker("out_of_scope", "and what do they turn into", slots={"topic": "blood_cells"},
                ranking=ranking)
    dispatcher = CollectingDispatcher()
    assert ActionDeclineOutOfScope().run(dispatcher, t, {}) == [SlotSet("topic", "stem_cells")]


def test_where_they_are_made_stays_on_the_section_just_quoted_even_when_declined():
    from rasa_sdk.events import SlotSet

    ranking = [("out_of_scope", 0.45), ("ask_stem_cell_collection", 0.36)]
    for last in ("stem_cells", "blood_cells"):
        t = tracker("out_of_scope", "where are they made?", slots={"topic": last},
                    ranking=ranking)
        assert ActionDeclineOutOfScope().run(CollectingDispatcher(), t, {}) == [
            SlotSet("topic", last)]


@pytest.mark.parametrize("slots, ranking", [
    ({"topic": "sensation", "procedure": "biopsy"},  # not the page
     [("out_of_scope", 0.5), ("ask_stem_cells", 0.3)]),
    ({"topic": "blood_cells"}, [("out_of_scope", 0.8), ("ask_stem_cells", 0.1)]),  # unsure
    ({"topic": "blood_cells"}, [("out_of_scope", 0.5), ("ask_risks", 0.3)]),  # not the page
])
def test_otherwise_a_declined_page_follow_up_stays_declined(slots, ranking):
    t = tracker("out_of_scope", "and what do they turn into", slots=slots, ranking=ranking)
    [reply] = run(ActionDeclineOutOfScope(), t)
    assert reply == message(render("out_of_scope"))


@pytest.mark.parametrize("text, topic", [
    ("I take aspirin daily.", "preparation"),
    ("can i still take my normal tablets", "preparation"),
    ("he's 79 and diabetic, is he more at risk", "risks"),
    ("she's got osteoporosis, does that make it riskier", "risks"),
])
def test_own_medicines_or_health_in_a_test_conversation_is_preparation_or_risks(text, topic):
    from rasa_sdk.events import SlotSet

    t = tracker("out_of_scope", text, slots={"topic": "sensation", "procedure": "biopsy"})
    dispatcher = CollectingDispatcher()
    assert ActionDeclineOutOfScope().run(dispatcher, t, {}) == [SlotSet("topic", topic)]
    assert dispatcher.messages[0]["text"].startswith(_section("biopsy", topic))


@pytest.mark.parametrize("text, slots", [
    ("I take aspirin daily, is that ok", {}),  # no test in the conversation
    ("is warfarin safe with chemo, what treatment will he need after",
     {"procedure": "biopsy"}),  # treatment
    ("is a liver biopsy risky", {"procedure": "biopsy"}),  # another test
])
def test_otherwise_own_medicines_or_health_are_declined(text, slots):
    entities = ([{"entity": "other_procedure", "value": "liver biopsy"}]
                if "liver" in text else [])
    [reply] = run(ActionDeclineOutOfScope(), tracker("out_of_scope", text, entities, slots=slots))
    assert reply == message(render("out_of_scope"))


def test_a_one_word_fragment_in_a_test_conversation_gets_the_test_topic_ranked_first():
    from rasa_sdk.events import SlotSet

    ranking = [("out_of_scope", 0.51), ("ask_risks", 0.24), ("ask_sensation", 0.11)]
    # (a word no leaflet uses, "bruising?", stays declined: could_be_follow_up)
    t = tracker("out_of_scope", "infection?", slots={"topic": "how_performed",
                                                      "procedure": "biopsy"}, ranking=ranking)
    dispatcher = CollectingDispatcher()
    assert ActionDeclineOutOfScope().run(dispatcher, t, {}) == [SlotSet("topic", "risks")]
    assert dispatcher.messages[0]["text"].startswith(_section("biopsy", "risks"))


@pytest.mark.parametrize("text, slots, ranking", [
    ("infection?", {"topic": "how_performed"}, [("out_of_scope", 0.5), ("ask_risks", 0.3)]),
    ("the lungs?", {"topic": "how_performed", "procedure": "biopsy"},
     [("out_of_scope", 0.8), ("ask_risks", 0.1)]),  # unsure
    ("chemo side effects?", {"topic": "risks", "procedure": "biopsy"},
     [("out_of_scope", 0.5), ("ask_risks", 0.3)]),  # more than two words
])
def test_otherwise_a_fragment_stays_declined(text, slots, ranking):
    [reply] = run(ActionDeclineOutOfScope(), tracker("out_of_scope", text, slots=slots,
                                                     ranking=ranking))
    assert reply == message(render("out_of_scope"))


def test_a_test_compared_with_another_gets_what_the_test_is():
    from rasa_sdk.events import SlotSet

    text = "I had a breast biopsy last year, is a bone marrow biopsy anything like that?"
    entities = [{"entity": "other_procedure", "value": "breast biopsy"},
                {"entity": "procedure", "value": "biopsy", "start": 35, "end": 54}]
    t = tracker("out_of_scope", text, entities)
    dispatcher = CollectingDispatcher()
    events = ActionDeclineOutOfScope().run(dispatcher, t, {})
    assert events == [SlotSet("procedure", "biopsy"), SlotSet("topic", "overview")]
    assert dispatcher.messages[0]["text"].startswith(_section("biopsy", "overview"))


@pytest.mark.parametrize("text", [
    "is it worse than having blood taken",
    "like how bad tho compared to getting blood taken",
    "now theyre saying i need one as well. is that gonna be worse?",
    "how will it feel for him",
    "what does the suction actually feel like",
])
def test_an_unsure_question_about_how_it_feels_gets_how_it_feels(text):
    from rasa_sdk.events import SlotSet

    t = tracker("nlu_fallback", text,
                ranking=[("nlu_fallback", 0.3), ("ask_risks", 0.28)],
                slots={"procedure": "aspiration"})
    dispatcher = CollectingDispatcher()
    assert ActionClarifyQuestion().run(dispatcher, t, {}) == [SlotSet("topic", "sensation")]
    assert dispatcher.messages[0]["text"].startswith(_section("aspiration", "sensation"))


@pytest.mark.parametrize("text, topic", [
    ("Dear Sir, I am a haemophilia carrier. Is the bone marrow test more risky for me?", "risks"),
    ("I've got low platelets and my biopsy is on Thursday. How worried should I be about "
     "bleeding?", "risks"),
])
def test_own_health_and_the_tests_named_together_is_the_risks(text, topic):
    from rasa_sdk.events import SlotSet

    t = tracker("out_of_scope", text, slots={"procedure": "biopsy"})
    dispatcher = CollectingDispatcher()
    assert ActionDeclineOutOfScope().run(dispatcher, t, {})[-1] == SlotSet("topic", topic)


# ---- session 7 (blind8 development sets) ------------------------------------------------------


def test_a_follow_up_taken_for_goodbye_is_answered():
    from actions.conversation import ActionSayGoodbye

    dispatcher = CollectingDispatcher()
    slots = {"procedure": "aspiration", "topic": "sensation"}
    events = ActionSayGoodbye().run(
        dispatcher, tracker("goodbye", "ok and the other one?", slots=slots), {})
    assert events == [SlotSet("procedure", "biopsy"), SlotSet("topic", "sensation")]
    assert "How the Test will Feel" in dispatcher.messages[0]["text"]


def test_goodbye_is_still_goodbye():
    from actions.conversation import ActionSayGoodbye

    dispatcher = CollectingDispatcher()
    assert ActionSayGoodbye().run(dispatcher, tracker(
        "goodbye", "ok bye then", slots={"procedure": "aspiration", "topic": "sensation"}),
        {}) == []
    assert dispatcher.messages[0]["text"] == render("goodbye")


def test_unsure_but_naming_a_condition_or_own_findings():
    from actions.conversation import ActionClarifyQuestion

    dispatcher = CollectingDispatcher()
    events = ActionClarifyQuestion().run(dispatcher, tracker(
        "nlu_fallback", "can a bone marrow aspiration pick up myeloma",
        [{"entity": "procedure", "value": "aspiration", "start": 6, "end": 30}]), {})
    assert SlotSet("topic", "abnormal_results") in events
    dispatcher = CollectingDispatcher()
    assert ActionClarifyQuestion().run(dispatcher, tracker(
        "nlu_fallback", "My results came back with 30% blasts. What does that number mean for me?"),
        {}) == []
    assert dispatcher.messages[0]["text"] == render("own_results")


# ---- session 8 (tests/dev/blind10, blind11): what a vague or declined message still says


@pytest.mark.parametrize("text, ranking, slots, topic", [
    ("She bruises really easily, should they know about that?",
     [("nlu_fallback", 0.3), ("ask_risks", 0.25)], {"topic": "overview"}, "preparation"),
    ("are they the same for the biopsy", [("nlu_fallback", 0.3), ("ask_alternative_names", 0.28)],
     {"topic": "risks"}, "risks"),
    ("do they do both in one go", [("nlu_fallback", 0.3), ("ask_how_performed", 0.2)],
     {"topic": "sensation"}, "how_performed"),
    # a reading that agrees with the likeliest topic decides too
    ("how rare is infection", [("nlu_fallback", 0.3), ("ask_risks", 0.25)],
     {"topic": "sensation"}, "risks"),
    ("how long does the horrible bit go on", [("nlu_fallback", 0.3), ("ask_duration", 0.25)],
     {"topic": "how_performed"}, "sensation"),
    ("what kind of stuff can it find", [("nlu_fallback", 0.3), ("ask_purpose", 0.25)],
     {"topic": "overview"}, "abnormal_results"),
    # one's own health in a conversation about a test
    ("i react badly to some antibiotics", [("nlu_fallback", 0.3), ("ask_risks", 0.1)],
     {"topic": "overview"}, "preparation"),
])
def test_did_you_mean_gives_way_to_a_reading_of_the_message(text, ranking, slots, topic):
    from rasa_sdk.events import SlotSet

    entities = ([{"entity": "procedure", "value": "biopsy", "start": text.index("biopsy"),
                  "end": text.index("biopsy") + 6}] if "biopsy" in text else [])
    t = tracker("nlu_fallback", text, entities, slots={"procedure": "aspiration", **slots},
                ranking=ranking)
    events = ActionClarifyQuestion().run(CollectingDispatcher(), t, {})
    assert events[-1] == SlotSet("topic", topic)


@pytest.mark.parametrize("text, slots, topic", [
    ("my son is 9 and he needs one too in a few weeks. what about him?",
     {"topic": "sensation", "procedure": "aspiration"}, "sensation"),
    ("like how bad tho", {"topic": "overview", "procedure": "biopsy"}, "sensation"),
    ("is it like a blood test then, just a needle and they draw it out?",
     {"topic": "overview", "procedure": "aspiration"}, "how_performed"),
])
def test_a_declined_message_that_continues_the_conversation_is_answered(text, slots, topic):
    from rasa_sdk.events import SlotSet

    entities = ([{"entity": "other_procedure", "value": "blood test"}]
                if "blood test" in text else [])
    t = tracker("out_of_scope", text, entities, slots=slots,
                ranking=[("out_of_scope", 0.6), ("ask_how_performed", 0.1)])
    events = ActionDeclineOutOfScope().run(CollectingDispatcher(), t, {})
    assert events[-1] == SlotSet("topic", topic)


def test_compared_with_another_biopsy_it_stays_declined():
    text = "is it like the liver biopsy I had last year"
    t = tracker("out_of_scope", text, [{"entity": "other_procedure", "value": "liver biopsy"}],
                slots={"topic": "how_performed", "procedure": "biopsy"},
                ranking=[("out_of_scope", 0.6), ("ask_how_performed", 0.2)])
    dispatcher = CollectingDispatcher()
    # declined; the question is remembered for "and the marrow one?"
    assert ActionDeclineOutOfScope().run(dispatcher, t, {}) == [SlotSet("topic", "how_performed")]
    assert dispatcher.messages == [message(render("out_of_scope"))]


@pytest.mark.parametrize("text, topic", [
    ("so its from my chest?", "how_performed"),
    ("Does it always have to be the hip?", "how_performed"),
    ("does the hip hurt after?", None),  # how it feels, not where
    ("Is in the chest? I am afraid", "how_performed"),  # "chest" is no entity (a red-flag word)
])
def test_a_short_question_about_a_body_site_is_where_it_is_done(text, topic):
    from rasa_sdk.events import SlotSet

    site = "chest" if "chest" in text else "hip"
    entities = [] if "afraid" in text else [
        {"entity": "body_site", "value": site, "start": text.index(site),
         "end": text.index(site) + len(site)}]
    t = tracker("nlu_fallback", text, entities, slots={"procedure": "aspiration",
                                                      "topic": "overview"},
                ranking=[("nlu_fallback", 0.3), ("ask_bone_marrow", 0.2)])
    dispatcher = CollectingDispatcher()
    events = ActionClarifyQuestion().run(dispatcher, t, {})
    if topic is None:
        assert events[-1] != SlotSet("topic", "how_performed")
    else:
        assert events[-1] == SlotSet("topic", topic)


# ---- session 9: a doubt about the answer just quoted, another test preferred


def test_acknowledge_says_okay_or_quotes_a_doubted_answer_again():
    from actions.conversation import ActionAcknowledge

    dispatcher = CollectingDispatcher()
    assert ActionAcknowledge().run(dispatcher, tracker("affirm", "ok great"), {}) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_affirm"]
    dispatcher = CollectingDispatcher()
    slots = {"procedure": "biopsy", "topic": "risks"}
    events = ActionAcknowledge().run(dispatcher, tracker("affirm", "really thats it?",
                                                         slots=slots), {})
    assert events == [SlotSet("topic", "risks")]
    assert "are very rare" in dispatcher.messages[0]["text"]
    # after a clinic answer, nothing of the leaflet was quoted
    dispatcher = CollectingDispatcher()
    slots = {**slots, "clinic_topic": "duration"}
    assert ActionAcknowledge().run(dispatcher, tracker("affirm", "really thats it?",
                                                       slots=slots), {}) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_affirm"]


def test_another_test_said_to_be_better_stays_declined():
    entities = [{"entity": "other_procedure", "value": "MRI", "start": 6, "end": 9},
                {"entity": "procedure", "value": "biopsy", "start": 24, "end": 42}]
    t = tracker("out_of_scope", "is an MRI better than a bone marrow biopsy", entities)
    assert run(ActionDeclineOutOfScope(), t) == [message(render("out_of_scope"))]


def test_what_another_test_is_stays_declined_even_compared():
    text = "what's a lumbar puncture, is it like a bone marrow aspiration"
    entities = [{"entity": "other_procedure", "value": "lumbar puncture", "start": 9, "end": 24},
                {"entity": "procedure", "value": "aspiration", "start": 39, "end": 61}]
    t = tracker("out_of_scope", text, entities)
    assert run(ActionDeclineOutOfScope(), t) == [message(render("out_of_scope"))]


def test_what_about_kids_then_a_statement_is_the_last_question_for_a_child():
    t = tracker("out_of_scope", "what about kids? my daughter is only 3",
                slots={"procedure": "biopsy", "topic": "sensation"})
    dispatcher = CollectingDispatcher()
    assert ActionDeclineOutOfScope().run(dispatcher, t, {}) == [SlotSet("topic", "sensation")]


def test_a_long_message_about_a_test_declined_unsure_is_read():
    text = ("My father was diagnosed with CLL a few years back and his oncologist wants to do a "
            "bone marrow aspiration to see how things are going. He's 70. Can this test show "
            "whether his leukemia has gotten worse or spread?")
    start = text.index("bone marrow aspiration")
    entities = [{"entity": "procedure", "value": "aspiration", "start": start,
                 "end": start + len("bone marrow aspiration")}]
    ranking = [("out_of_scope", 0.41), ("ask_abnormal_results", 0.28), ("ask_purpose", 0.25)]
    t = tracker("out_of_scope", text, entities, ranking=ranking)
    dispatcher = CollectingDispatcher()
    events = ActionDeclineOutOfScope().run(dispatcher, t, {})
    assert events == [SlotSet("procedure", "aspiration"), SlotSet("topic", "purpose")]
    # declined with confidence: still declined
    t = tracker("out_of_scope", text, entities, ranking=[("out_of_scope", 0.9)])
    assert run(ActionDeclineOutOfScope(), t) == [message(render("out_of_scope"))]


@pytest.mark.parametrize("text, slots, topic", [
    # declined however sure the classifier was, in a message about a test (session 10,
    # tests/dev/blind19-20)
    ("Good evening. My husband has been referred for a bone marrow examination. I would like to "
     "understand how uncomfortable it will be for him.", {}, "sensation"),
    ("and why would they bother at his age", {"procedure": "biopsy", "topic": "risks"},
     "purpose"),
    ("iliac crest?? where on me is that even", {"procedure": "aspiration", "topic": "overview"},
     "how_performed"),
])
def test_a_decline_about_a_test_that_asks_why_how_it_feels_or_where(text, slots, topic):
    from rasa_sdk.events import SlotSet

    dispatcher = CollectingDispatcher()
    events = ActionDeclineOutOfScope().run(
        dispatcher, tracker("out_of_scope", text, ranking=[("out_of_scope", 0.9)], slots=slots), {})
    assert events[-1] == SlotSet("topic", topic)
    # with no test in the conversation or the message, declined
    if not slots:
        return
    assert run(ActionDeclineOutOfScope(), tracker("out_of_scope", text,
                                                  ranking=[("out_of_scope", 0.9)])) == [
        message(render("out_of_scope"))]


@pytest.mark.parametrize("text, topic", [
    # (session 11, tests/dev/blind28-29) unsure follow-ups about the test discussed
    ("how?", "how_performed"),
    ("what if something goes wrong", "risks"),
    ("which one is worse then", "sensation"),
])
def test_session_11_unsure_follow_ups_about_a_test(text, topic):
    t = tracker("nlu_fallback", text, ranking=[("nlu_fallback", 0.3), ("ask_overview", 0.25)],
                slots={"procedure": "aspiration", "topic": "purpose"})
    dispatcher = CollectingDispatcher()
    assert ActionClarifyQuestion().run(dispatcher, t, {}) == [SlotSet("topic", topic)]
    assert dispatcher.messages[0]["text"].startswith(_section("aspiration", topic))


def test_when_they_will_know_is_the_clinics_results_timing_not_a_decline():
    t = tracker("out_of_scope", "when will they know whats wrong with me",
                slots={"procedure": "biopsy"})
    dispatcher = CollectingDispatcher()
    assert ActionDeclineOutOfScope().run(dispatcher, t, {}) == [
        SlotSet("clinic_topic", "results_timing")]
    assert dispatcher.messages[0]["text"] != render("out_of_scope")


@pytest.mark.parametrize("text", ["not sure", "dunno", "no idea tbh", "i dont know"])
def test_not_knowing_which_test_gets_the_question_for_both_tests(text):
    # (session 11, tests/dev/blind33_conversations.yml): not "Okay."
    from actions.conversation import ActionAcknowledge
    from tests.unit.test_action_answer import after

    t = tracker("deny", text, slots={"topic": "risks"})
    t = after(t, {"event": "bot", "text": render("ask_procedure")})
    dispatcher = CollectingDispatcher()
    events = ActionAcknowledge().run(dispatcher, t, {})
    assert events[-1] == SlotSet("topic", "risks")
    assert dispatcher.messages[0]["text"].count("Source:") == 2
    # without "which test?" before it, "not sure" is only acknowledged
    dispatcher = CollectingDispatcher()
    assert ActionAcknowledge().run(dispatcher, tracker("deny", text, slots={"topic": "risks"}),
                                   {}) == []


def test_y_with_a_question_mark_is_why_about_the_test_discussed():
    from actions.conversation import ActionAcknowledge

    dispatcher = CollectingDispatcher()
    t = tracker("affirm", "y?", slots={"procedure": "biopsy", "topic": "overview"})
    assert ActionAcknowledge().run(dispatcher, t, {}) == [SlotSet("topic", "purpose")]
    dispatcher = CollectingDispatcher()
    t = tracker("affirm", "y", slots={"procedure": "biopsy", "topic": "overview"})
    assert ActionAcknowledge().run(dispatcher, t, {}) == []  # "y": yes


@pytest.mark.parametrize("text, slots, topic", [
    # (session 11, tests/dev/blind33_conversations.yml) declined by the classifier, read against
    # the conversation
    ("how rare", {"procedure": "aspiration", "topic": "risks"}, "risks"),
    ("does haemophilia in the family matter for it",
     {"procedure": "aspiration", "topic": "preparation"}, "preparation"),
])
def test_session_11_declined_follow_ups(text, slots, topic):
    t = tracker("out_of_scope", text, ranking=[("out_of_scope", 0.7), ("ask_risks", 0.17)],
                slots=slots)
    dispatcher = CollectingDispatcher()
    assert ActionDeclineOutOfScope().run(dispatcher, t, {}) == [SlotSet("topic", topic)]
    assert dispatcher.messages[0]["text"].startswith(_section("aspiration", topic))


def test_when_daily_life_goes_on_is_the_clinics_activity_answer_not_a_decline():
    # (session 11, tests/dev/blind19_conversations.yml)
    t = tracker("out_of_scope", "ok and how long till she can walk the dog again",
                slots={"procedure": "aspiration", "topic": "risks"})
    dispatcher = CollectingDispatcher()
    assert ActionDeclineOutOfScope().run(dispatcher, t, {}) == [SlotSet("clinic_topic",
                                                                        "activity")]
    # an animal's own test stays declined
    from bot.asks.declines import asks_beyond_the_leaflets

    assert asks_beyond_the_leaflets("my dog's vet wants to do a bone marrow aspirate on him")
    assert not asks_beyond_the_leaflets("can i walk my dog after the biopsy")


@pytest.mark.parametrize("action, intent, text, slots, topic", [
    # (session 12) taken for small talk, placed by a reading of the conversation
    ("ActionAcknowledge", "deny", "is that common?", {"procedure": "aspiration", "topic": "risks"},
     "risks"),
    ("ActionAcknowledge", "deny", "he has haemophilia, does that matter",
     {"procedure": "aspiration", "topic": "preparation"}, "preparation"),
    ("ActionExplainCapabilities", "ask_capabilities", "what sorts",
     {"procedure": "aspiration", "topic": "purpose"}, "purpose"),
    # declined by the classifier: why, about the test only named
    ("ActionDeclineOutOfScope", "out_of_scope", "how come?",
     {"procedure": "aspiration", "topic": "overview"}, "purpose"),
    ("ActionDeclineOutOfScope", "out_of_scope",
     "my full blood count was abnormal, is that the reason",
     {"procedure": "aspiration", "topic": "overview"}, "purpose"),
])
def test_session_12_follow_ups_taken_for_something_else(action, intent, text, slots, topic):
    import actions.conversation as conversation

    t = tracker(intent, text, ranking=[(intent, 0.6), ("ask_risks", 0.2)], slots=slots)
    dispatcher = CollectingDispatcher()
    events = getattr(conversation, action)().run(dispatcher, t, {})
    assert events == [SlotSet("topic", topic)]
    assert dispatcher.messages[0]["text"].startswith(_section("aspiration", topic))


def test_a_plain_no_is_still_acknowledged_after_the_risks():
    from actions.conversation import ActionAcknowledge

    t = tracker("deny", "no", slots={"procedure": "aspiration", "topic": "risks"})
    dispatcher = CollectingDispatcher()
    assert ActionAcknowledge().run(dispatcher, t, {}) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_deny"]


def test_pain_relief_named_by_a_brand_is_the_clinics_answer_not_a_decline():
    t = tracker("out_of_scope", "can i give her calpol when we get home",
                slots={"procedure": "aspiration", "topic": "sensation"})
    dispatcher = CollectingDispatcher()
    assert ActionDeclineOutOfScope().run(dispatcher, t, {}) == [SlotSet("clinic_topic",
                                                                        "pain_relief")]


def test_a_question_after_a_greeting_about_a_test_is_answered():
    # (session 12, tests/dev/blind34_conversations.yml)
    t = tracker("greet", "hello my husband he have the bone marrow biopsy tomorrow, what they will "
                "do to him?", entities=[{"entity": "procedure", "value": "biopsy"}])
    dispatcher = CollectingDispatcher()
    assert ActionGreetPatient().run(dispatcher, t, {}) == [SlotSet("procedure", "biopsy"),
                                                          SlotSet("topic", "how_performed")]
    assert dispatcher.messages[0]["text"].startswith(_section("biopsy", "how_performed"))


def test_a_fragment_taken_for_goodbye_after_a_practical_question_continues_it():
    # (session 12, tests/dev/blind7_conversations.yml)
    from actions.conversation import ActionSayGoodbye

    t = tracker("goodbye", "n after?", slots={"procedure": "biopsy", "clinic_topic": "fasting"})
    dispatcher = CollectingDispatcher()
    assert ActionSayGoodbye().run(dispatcher, t, {}) == [SlotSet("clinic_topic", "fasting")]


def test_a_worried_reaction_is_acknowledged_warmly_and_relief_plainly():
    # (session 13, tests/dev/blind44_conversations.yml) "oh god", "that doesnt sound too bad"
    from actions.conversation import ActionAcknowledge

    for text, response in [("oh god", "utter_worried"), ("that sounds scary", "utter_worried"),
                           ("that doesnt sound too bad tbh", "utter_affirm"),
                           ("ok thats not as bad as i thought", "utter_affirm")]:
        dispatcher = CollectingDispatcher()
        assert ActionAcknowledge().run(dispatcher, tracker("affirm", text), {}) == []
        assert [m["response"] for m in dispatcher.messages] == [response], text


def test_a_decline_that_asks_whether_the_test_finds_a_listed_condition_is_answered():
    # (session 15, tests/dev/blind49) a condition the leaflets list only among what abnormal
    # results may be due to, asked of a test named in the message
    text = "could amyloidosis be detected with a trephine?"
    start = text.index("trephine")
    entities = [{"entity": "procedure", "value": "biopsy", "start": start, "end": start + 8}]
    dispatcher = CollectingDispatcher()
    events = ActionDeclineOutOfScope().run(
        dispatcher, tracker("out_of_scope", text, entities, ranking=[("out_of_scope", 0.9)]), {})
    assert events == [SlotSet("procedure", "biopsy"), SlotSet("topic", "abnormal_results")]
    assert '"Bone marrow biopsy", section "What Abnormal Results Mean"' in (
        dispatcher.messages[0]["text"])
    # ... but not whether it has spread, and not with no test named
    text = "could amyloidosis have spread, can a trephine show that?"
    start = text.index("trephine")
    entities = [{"entity": "procedure", "value": "biopsy", "start": start, "end": start + 8}]
    assert run(ActionDeclineOutOfScope(), tracker(
        "out_of_scope", text, entities, ranking=[("out_of_scope", 0.9)])) == [
        message(render("out_of_scope"))]
    assert run(ActionDeclineOutOfScope(), tracker(
        "out_of_scope", "could amyloidosis be detected with a scan?",
        ranking=[("out_of_scope", 0.9)])) == [message(render("out_of_scope"))]


def test_an_unsure_comparison_of_the_two_tests_is_what_the_first_is():
    # (session 15, tests/dev/blind47) the classifier unsure between other names and what the
    # test is: the first test named, compared with the second, gets its overview
    text = "so how does the trephine differ from the aspirate?"
    entities = [{"entity": "procedure", "value": value, "start": text.index(word),
                 "end": text.index(word) + len(word)}
                for word, value in (("trephine", "biopsy"), ("aspirate", "aspiration"))]
    ranking = [("nlu_fallback", 0.4), ("ask_alternative_names", 0.3), ("ask_overview", 0.2)]
    dispatcher = CollectingDispatcher()
    events = ActionClarifyQuestion().run(
        dispatcher, tracker("nlu_fallback", text, entities, ranking=ranking), {})
    assert events == [SlotSet("procedure", "biopsy"), SlotSet("topic", "overview")]
    assert "Bone marrow biopsy is not the same as bone marrow aspiration." in (
        dispatcher.messages[0]["text"])


@pytest.mark.parametrize("text, ranking, response", [
    # (session 16, tests/dev/blind52) torn between two social intents: still social
    ("ok. thanks for being straight with me",
     [("nlu_fallback", 0.3), ("affirm", 0.41), ("thank", 0.36), ("goodbye", 0.1)], "utter_affirm"),
    ("cheers for that, appreciated",
     [("nlu_fallback", 0.3), ("thank", 0.45), ("affirm", 0.3)], "utter_thank"),
])
def test_torn_between_two_social_intents_is_still_social(text, ranking, response):
    dispatcher = CollectingDispatcher()
    t = tracker("nlu_fallback", text, ranking=ranking)
    assert ActionClarifyQuestion().run(dispatcher, t, {}) == []
    assert [m["response"] for m in dispatcher.messages] == [response]


@pytest.mark.parametrize("text, ranking", [
    ("ok thanks but does it hurt?", [("nlu_fallback", 0.3), ("affirm", 0.41), ("thank", 0.36)]),
    ("ok thats grim", [("nlu_fallback", 0.3), ("affirm", 0.31), ("ask_sensation", 0.25)]),
    ("thanks ok", [("nlu_fallback", 0.3), ("affirm", 0.29), ("thank", 0.28)]),  # too unsure
])
def test_otherwise_not_social(text, ranking):
    dispatcher = CollectingDispatcher()
    ActionClarifyQuestion().run(dispatcher, tracker("nlu_fallback", text, ranking=ranking), {})
    assert [m["response"] for m in dispatcher.messages] != ["utter_affirm"]
    assert [m["response"] for m in dispatcher.messages] != ["utter_thank"]


def test_a_comparison_right_after_how_it_feels_is_how_it_feels():
    # (session 17, tests/dev/blind58) "compared to a normal blood draw?" right after how the
    # aspiration feels: how it feels, compared
    from rasa_sdk.events import SlotSet

    text = "compared to a normal blood draw?"
    entities = [{"entity": "other_procedure", "value": "blood draw",
                 "start": text.index("blood"), "end": text.index("?")}]
    t = tracker("out_of_scope", text, entities,
                slots={"topic": "sensation", "procedure": "aspiration"})
    dispatcher = CollectingDispatcher()
    assert ActionDeclineOutOfScope().run(dispatcher, t, {}) == [SlotSet("topic", "sensation")]
    assert dispatcher.messages[0]["text"].startswith(_section("aspiration", "sensation"))


def test_where_the_marrow_is_taken_from_after_the_stem_cell_page_is_the_test():
    # (session 17, tests/dev/blind58) after stem cells, in a conversation about a biopsy
    from rasa_sdk.events import SlotSet

    t = tracker("nlu_fallback", "and where is the marrow taken from in my test",
                ranking=[("nlu_fallback", 0.3), ("ask_overview", 0.34), ("ask_bone_marrow", 0.33)],
                slots={"topic": "stem_cells", "procedure": "biopsy"})
    dispatcher = CollectingDispatcher()
    assert ActionClarifyQuestion().run(dispatcher, t, {}) == [SlotSet("topic", "how_performed")]
    assert dispatcher.messages[0]["text"].startswith(_section("biopsy", "how_performed"))


def test_whether_it_can_find_a_listed_condition_taken_for_a_near_miss_is_the_list():
    # (session 17, tests/dev/blind12) "can it pick up myeloma" taken for off-topic, in a
    # conversation about a biopsy: what abnormal results may be due to
    from rasa_sdk.events import SlotSet

    t = tracker("out_of_scope", "can it pick up myeloma",
                slots={"topic": "purpose", "procedure": "biopsy"})
    dispatcher = CollectingDispatcher()
    assert ActionDeclineOutOfScope().run(dispatcher, t, {}) == [
        SlotSet("topic", "abnormal_results")]
    assert dispatcher.messages[0]["text"].startswith(_section("biopsy", "abnormal_results"))


@pytest.mark.parametrize("text", [
    # (session 18, tests/dev/blind47, patients) why not a blood test instead: why the marrow
    # test is needed, the blood test named beside it
    "why can't they just do a blood test instead",
    "ok and why do they need it from the bone, cant they just use my blood test",
])
def test_why_not_a_blood_test_is_why_the_test_is_needed(text):
    from rasa_sdk.events import SlotSet

    start = text.index("blood test")
    entities = [{"entity": "other_procedure", "value": "blood test", "start": start,
                 "end": start + len("blood test")}]
    t = tracker("out_of_scope", text, entities, slots={"topic": "risks", "procedure": "biopsy"})
    dispatcher = CollectingDispatcher()
    assert ActionDeclineOutOfScope().run(dispatcher, t, {}) == [SlotSet("topic", "purpose")]
    assert dispatcher.messages[0]["text"].startswith(_section("biopsy", "purpose"))


def test_other_tests_had_before_do_not_turn_a_question_about_the_test_named_away():
    """(session 19, tests/dev/blind67) "he has already had so many blood tests" is history told
    in its own sentence; "How is it done" asks about the BMA."""
    text = ("Our son is 7 and needs a BMA next month and he has already had so many blood tests. "
            "How is it done - is it the same procedure as for grown ups?")
    entities = [{"entity": "procedure", "value": "aspiration", "start": 25, "end": 28},
                {"entity": "other_procedure", "value": "blood tests", "start": 71, "end": 82}]
    t = tracker("nlu_fallback", text, entities=entities,
                ranking=[("nlu_fallback", 0.3), ("ask_overview", 0.27)],
                slots={"procedure": "aspiration"})
    dispatcher = CollectingDispatcher()
    assert ActionClarifyQuestion().run(dispatcher, t, {}) == [SlotSet("topic", "how_performed")]
    assert dispatcher.messages[0]["text"].startswith(_section("aspiration", "how_performed"))
    told = tracker("nlu_fallback", "mum had a bone marrow biopsy last week and now they want a "
                   "liver biopsy, what does that involve",
                   entities=[{"entity": "procedure", "value": "biopsy", "start": 10, "end": 28},
                             {"entity": "other_procedure", "value": "liver biopsy", "start": 59,
                              "end": 71}],
                   ranking=[("nlu_fallback", 0.3), ("ask_how_performed", 0.27)],
                   slots={"procedure": "biopsy"})
    dispatcher = CollectingDispatcher()
    ActionClarifyQuestion().run(dispatcher, told, {})
    assert dispatcher.messages[0]["text"] == render("out_of_scope")


# ---- session 17: a word one section of the leaflets uses, asked what it means


@pytest.mark.parametrize("action, intent, text, topic", [
    (ActionDeclineOutOfScope(), "out_of_scope", "MDS meaning", "abnormal_results"),
    (ActionDeclineOutOfScope(), "out_of_scope", "what is coccidioidomycosis", "abnormal_results"),
    (ActionClarifyQuestion(), "nlu_fallback", "hematopoietic meaning", "normal_results"),
])
def test_a_word_one_section_uses_gets_that_section_for_the_test(action, intent, text, topic):
    from rasa_sdk.events import SlotSet

    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker(intent, text, slots={"procedure": "biopsy"}), {})
    assert events == [SlotSet("topic", topic)]
    assert dispatcher.messages[0]["text"].startswith(_section("biopsy", topic))


@pytest.mark.parametrize("text", ["what is leukaemia", "what are the symptoms of myelofibrosis",
                                  "life expectancy with MDS"])
def test_more_than_a_listed_word_or_a_word_listed_twice_stays_declined(text):
    dispatcher = CollectingDispatcher()
    assert ActionDeclineOutOfScope().run(dispatcher, tracker("out_of_scope", text), {}) == []
    [reply] = dispatcher.messages
    assert reply["text"].startswith(render("out_of_scope").split("\n")[0])


def test_an_unsure_practical_question_about_the_test_gets_the_clinic_s_answer():
    # session 17: "can i give her calpol when we get home" fell between going home and the
    # pain relief after; the decline already read it, the clarifying action now does too
    t = tracker("nlu_fallback", "can i give her calpol when we get home",
                slots={"procedure": "aspiration", "topic": "sensation"},
                ranking=[("nlu_fallback", 0.3), ("ask_hospital_stay", 0.31),
                         ("out_of_scope", 0.27)])
    dispatcher = CollectingDispatcher()
    events = ActionClarifyQuestion().run(dispatcher, t, {})
    assert SlotSet("clinic_topic", "pain_relief") in events
    assert not dispatcher.messages[0].get("buttons")


@pytest.mark.parametrize("intent, text, topic", [
    # what or how much is taken out, in a conversation about the biopsy: the biopsy's sample,
    # whatever stem-cell topic (or decline) the classifier heard in "taking out"
    ("ask_stem_cell_collection", "what exactly are they taking out of him", "overview"),
    ("ask_stem_cell_collection", "how much do they take out", "how_performed"),
    ("out_of_scope", "what did they actually take out of him", "overview"),
    ("out_of_scope", "do they take a lot of marrow out", "how_performed"),
])
def test_what_is_taken_out_about_the_test(intent, text, topic):
    from actions.answer import ActionAnswerQuestion

    t = tracker(intent, text, slots={"procedure": "biopsy", "topic": "preparation"})
    dispatcher = CollectingDispatcher()
    action = ActionDeclineOutOfScope() if intent == "out_of_scope" else ActionAnswerQuestion()
    assert action.run(dispatcher, t, {}) == [SlotSet("topic", topic)]
    assert dispatcher.messages[0]["text"].startswith(_section("biopsy", topic))


def test_how_stem_cells_are_taken_out_stays_their_collection():
    from actions.answer import ActionAnswerQuestion

    t = tracker("ask_stem_cell_collection", "how do they take the stem cells out",
                slots={"procedure": "biopsy", "topic": "preparation"})
    dispatcher = CollectingDispatcher()
    assert ActionAnswerQuestion().run(dispatcher, t, {}) == [
        SlotSet("topic", "stem_cell_collection")]


def _liver(text):
    start = text.index("liver")
    end = start + len("liver biopsy") if "liver biopsy" in text else start + len("liver one")
    return [{"entity": "other_procedure", "value": "liver biopsy", "start": start, "end": end}]


@pytest.mark.parametrize("text, ranking, topic", [
    # another test's leaflet question, declined: remembered for "and the marrow one?"
    ("how is a liver biopsy done", [("out_of_scope", 1.0), ("ask_how_performed", 0.0)],
     "how_performed"),
    ("my liver biopsy is next week, does it hurt", [("out_of_scope", 0.98)], "sensation"),
    ("what are the risks with a liver biopsy", [("out_of_scope", 1.0)], "risks"),
    ("they also want a liver biopsy, how is that one done",
     [("out_of_scope", 0.72), ("ask_purpose", 0.15)], "how_performed"),
    # a practical question about it: nothing to remember
    ("how long do liver biopsy results take", [("out_of_scope", 0.9), ("ask_results_timing", 0.1),
                                               ("ask_normal_results", 0.0)], None),
])
def test_a_declined_question_about_another_test_is_remembered(text, ranking, topic):
    t = tracker("out_of_scope", text, _liver(text), slots={"topic": "overview"}, ranking=ranking)
    dispatcher = CollectingDispatcher()
    events = ActionDeclineOutOfScope().run(dispatcher, t, {})
    assert dispatcher.messages[0]["text"] == render("out_of_scope")
    assert events == ([SlotSet("topic", topic)] if topic else [])


def _after(t, *events):
    from rasa_sdk import Tracker

    state = t.current_state()
    state["events"] = list(events)
    return Tracker.from_dict(state)


def test_after_a_decline_the_next_question_is_read_for_itself():
    # "ok but for the marrow one, where does the needle go in" after the lymph node biopsy was
    # declined: how it is done (not the overview quoted two turns before, picked up again)
    from actions.answer import ActionAnswerQuestion

    text = "ok but for the marrow one, where does the needle go in"
    slots = {"procedure": "biopsy", "topic": "overview"}
    t = _after(tracker("ask_how_performed", text, slots=slots),
               {"event": "bot", "text": _section("biopsy", "overview") + "\nSource: ..."},
               {"event": "user", "text": "I also need a lymph node biopsy, how is that one done"},
               {"event": "bot", "text": render("out_of_scope")},
               {"event": "user", "text": text})
    dispatcher = CollectingDispatcher()
    assert ActionAnswerQuestion().run(dispatcher, t, {}) == [SlotSet("topic", "how_performed")]
    assert dispatcher.messages[0]["text"].startswith(_section("biopsy", "how_performed"))


def test_the_marrow_one_after_another_biopsy_is_the_marrow_biopsy():
    from actions.answer import ActionAnswerQuestion

    first = "how is a liver biopsy done"
    text = "ok what about a bone marrow one"
    t = _after(tracker("ask_bone_marrow", text, slots={"topic": "how_performed"}),
               {"event": "user", "text": first, "parse_data": {"entities": _liver(first)}},
               {"event": "bot", "text": render("out_of_scope")},
               {"event": "slot", "name": "topic", "value": "how_performed"},
               {"event": "user", "text": text, "parse_data": {"entities": []}})
    dispatcher = CollectingDispatcher()
    assert ActionAnswerQuestion().run(dispatcher, t, {}) == [
        SlotSet("procedure", "biopsy"), SlotSet("topic", "how_performed")]
    assert dispatcher.messages[0]["text"].startswith(_section("biopsy", "how_performed"))


@pytest.mark.parametrize("text, declined", [
    ("Is it done the same way as the liver one was?", False),  # the test discussed
    ("is a liver biopsy done the same way", True),  # the other test
])
def test_done_the_same_way_as_another_test(text, declined):
    from actions.answer import ActionAnswerQuestion

    t = tracker("ask_how_performed", text, _liver(text), slots={"procedure": "biopsy"})
    dispatcher = CollectingDispatcher()
    ActionAnswerQuestion().run(dispatcher, t, {})
    expected = render("out_of_scope") if declined else _section("biopsy", "how_performed")
    assert dispatcher.messages[0]["text"].startswith(expected)


@pytest.mark.parametrize("text, last_topic, topic", [
    # one more thing the test may show, right after why it is done: why it is done
    ("and whether the chemo worked?", "purpose", "purpose"),
    ("and if the chemo's worked?", "purpose", "purpose"),
    ("n to see if cancer spread? i had breast cancer 2 yrs ago", "purpose", "purpose"),
    # not after another answer, nor a question about the treatment itself
    ("and whether the chemo worked?", "risks", None),
    ("and what chemo will she need?", "purpose", None),
])
def test_whether_the_treatment_worked_after_why_it_is_done(text, last_topic, topic):
    t = tracker("out_of_scope", text, slots={"topic": last_topic, "procedure": "biopsy"},
                ranking=[("out_of_scope", 0.67)])
    dispatcher = CollectingDispatcher()
    events = ActionDeclineOutOfScope().run(dispatcher, t, {})
    if topic is None:
        assert dispatcher.messages[0]["text"] == render("out_of_scope")
    else:
        assert events == [SlotSet("topic", topic)]
        assert dispatcher.messages[0]["text"].startswith(_section("biopsy", topic))


def test_whether_the_site_named_is_usual_is_how_it_is_done():
    from actions.answer import ActionAnswerQuestion

    text = "my father's aspiration is going to be from his sternum, is that normal"
    start = text.index("sternum")
    entities = [{"entity": "procedure", "value": "aspiration", "start": 12, "end": 22},
                {"entity": "body_site", "value": "sternum", "start": start, "end": start + 7}]
    t = tracker("ask_normal_results", text, entities, slots={"procedure": "aspiration"})
    dispatcher = CollectingDispatcher()
    assert ActionAnswerQuestion().run(dispatcher, t, {}) == [SlotSet("topic", "how_performed")]
    assert dispatcher.messages[0]["text"].startswith(_section("aspiration", "how_performed"))


@pytest.mark.parametrize("text, declined", [
    # why the test is needed, a blood test only told beside it as the reason
    ("why do i need this test, my blood test was abnormal", False),
    # the blood test itself asked about
    ("why do i need a blood test", True),
])
def test_why_the_test_is_needed_with_a_blood_test_told(text, declined):
    from actions.answer import ActionAnswerQuestion

    start = text.index("blood test")
    entities = [{"entity": "other_procedure", "value": "blood test", "start": start,
                 "end": start + len("blood test")}]
    t = tracker("ask_purpose", text, entities)
    dispatcher = CollectingDispatcher()
    ActionAnswerQuestion().run(dispatcher, t, {})
    if declined:
        assert dispatcher.messages[0]["text"] == render("out_of_scope")
    else:
        assert dispatcher.messages[0]["text"] == render("ask_procedure")


def _entities(text, procedure, other):
    found = []
    for entity, value in (("procedure", procedure), ("other_procedure", other)):
        start = text.index(value)
        found.append({"entity": entity, "value": value, "start": start, "end": start + len(value)})
    return found


@pytest.mark.parametrize("text, declined", [
    # another test likened to a marrow test named after it: that test, asked about
    ("is a breast biopsy done the same way as a bone marrow biopsy", True),
    ("is a skin biopsy the same as a bone marrow biopsy", True),
    # the marrow test likened to another: what the marrow test is
    ("is a bone marrow biopsy like a breast biopsy", False),
])
def test_which_test_a_likeness_asks_about(text, declined):
    other = "breast biopsy" if "breast" in text else "skin biopsy"
    t = tracker("out_of_scope", text, _entities(text, "bone marrow biopsy", other),
                ranking=[("out_of_scope", 0.4), ("ask_overview", 0.3)])
    dispatcher = CollectingDispatcher()
    ActionDeclineOutOfScope().run(dispatcher, t, {})
    expected = render("out_of_scope") if declined else _section("biopsy", "overview")
    assert dispatcher.messages[0]["text"].startswith(expected)


@pytest.mark.parametrize("text, worried", [
    ("I'm a total wimp with needles lol", True),
    ("I'm frightened of needles, always have been", True),
    ("what is the best hospital for a transplant", False),  # declined
])
def test_a_worried_statement_the_classifier_declined_is_acknowledged(text, worried):
    t = tracker("out_of_scope", text, ranking=[("out_of_scope", 0.8)])
    dispatcher = CollectingDispatcher()
    assert ActionDeclineOutOfScope().run(dispatcher, t, {}) == []
    if worried:
        assert dispatcher.messages[0]["response"] == "utter_worried"
    else:
        assert dispatcher.messages[0]["text"] == render("out_of_scope")
