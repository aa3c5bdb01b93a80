"""Conversation actions whose replies name the clinic: greeting, identity, capabilities, a human,
out of scope, goodbye, and the "did you mean" clarification when the bot is unsure.

The wording lives in bot/replies.yml; these actions fill it from the clinic profile.
"""

from __future__ import annotations

import abc
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.answer import ActionAnswerQuestion, answered
from actions.comparisons import compares_with_another_test, names_other_procedure
from actions.declined import (
    MIN_PAGE_FOLLOW_UP_CONFIDENCE,
    circumstance_follow_up,
    comparison_topic,
    first_ranked_topic,
    fragment_follow_up,
    other_test_question_topic,
    page_follow_up,
    practical_question,
    reading_about_the_test,
    unsure_about_a_test,
)
from actions.local_answers import CLINIC_TOPIC_SLOT, continue_clinic_question, say_local_answer
from actions.question_topic import read_topic
from actions.readings import (
    MARROW_WORD,
    answers_both_tests,
    asks_about_an_unknown_term,
    could_be_follow_up,
    defined_term,
    follow_up_topic,
    knowledge_base,
    picks_up_the_last_answer,
    procedure_spans,
    procedures_from_message,
    reacts_to_the_last_answer,
    stays_declined,
)
from bot.asks.declines import asks_beyond_the_leaflets
from bot.asks.feelings import asks_how_it_feels, reacts_with_worry
from bot.asks.own_results import asks_about_own_findings
from bot.asks.purpose import asks_about_spread_or_response, asks_bare_why, asks_whether_too
from bot.asks.results import (
    opposite_result,
)
from bot.asks.risks import asks_about_risks
from bot.asks.statements import is_statement, opens_with_a_question_word
from bot.followups import keeps_topic, only_shifts_subject
from bot.leaflet_words import names_a_finding
from bot.replies import render
from bot.topics import TOPIC_LABELS, intent_for, topic_for

MAX_SUGGESTIONS = 3
# an acknowledgement this long that asks is read as a question ("is that gonna be worse?")
MIN_QUESTION_WORDS = 4
# a worried statement the classifier declined, acknowledged when it is this short
MAX_WORRY_WORDS = 12
MIN_SUGGESTION_CONFIDENCE = 0.05


class ProfileResponseAction(Action, abc.ABC):
    """Utters one reply from bot/replies.yml with the clinic profile's details filled in.

    Subclasses set ``action_name`` and ``reply`` (abstract here so the SDK does not register
    the base class itself)."""

    @property
    @abc.abstractmethod
    def action_name(self) -> str: ...

    @property
    @abc.abstractmethod
    def reply(self) -> str: ...

    def name(self) -> str:
        return self.action_name

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(text=render(self.reply))
        return []


class ActionGreetPatient(ProfileResponseAction):
    """The greeting, except a question asked after it about a test ("hello my husband he have the
    bone marrow biopsy tomorrow, what they will do to him?")."""

    action_name, reply = "action_greet_patient", "greet"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        if ("?" in text or opens_with_a_question_word(text)) and (
                topic := reading_about_the_test(tracker)) is not None:
            return ActionAnswerQuestion().answer(dispatcher, tracker, topic)  # "hw is it dun"
        return super().run(dispatcher, tracker, domain)


class ActionExplainCapabilities(ProfileResponseAction):
    """What the bot can do, except a follow-up that only looked like that question: "what sorts"
    right after the list of what the test finds asks for that list."""

    action_name, reply = "action_explain_capabilities", "capabilities"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if (events := answer_a_reading(dispatcher, tracker)) is not None:
            return events
        return super().run(dispatcher, tracker, domain)


def answer_a_reading(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType] | None:
    """A message taken for small talk that a reading of the conversation places ("is that
    common?" right after the risks): that answer; None when no reading decides."""
    if tracker.get_slot("topic") is None:
        return None
    read_as, read = read_topic(tracker, None)
    return ActionAnswerQuestion().answer(dispatcher, tracker, read_as) if read else None


class ActionExplainBot(ProfileResponseAction):
    action_name, reply = "action_explain_bot", "bot_challenge"


class ActionOfferHuman(ProfileResponseAction):
    action_name, reply = "action_offer_human", "human"


class ActionDeclineOutOfScope(ProfileResponseAction):
    """Declines, except a short follow-up that only looked off-topic: "leukemia?" or "what
    about for my mum, she's 88" right after a quoted answer continues that conversation."""

    action_name, reply = "action_decline_out_of_scope", "out_of_scope"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if (events := continue_clinic_question(dispatcher, tracker, procedure_spans(tracker))):
            return events  # "and PE?" after "can he go to school?"
        topic = comparison_topic(tracker)
        last_topic = tracker.get_slot("topic")
        if (topic is None and last_topic is not None and not stays_declined(tracker)
                and (only_shifts_subject(tracker.latest_message.get("text"))
                     or picks_up_the_last_answer(tracker))):
            topic = last_topic  # "my son is 9 and needs one too. what about him?"
        text = tracker.latest_message.get("text")
        if (topic is None and last_topic == "purpose" and asks_whether_too(text)
                and asks_about_spread_or_response(text)):
            topic = "purpose"  # "n to see if cancer spread? i had breast cancer 2 yrs ago"
        if topic is None and could_be_follow_up(tracker):
            read_as, read = read_topic(tracker, None)
            if read:  # "like how bad tho", "and if not?", "are they the same for the biopsy"
                return ActionAnswerQuestion().answer(dispatcher, tracker, read_as)
            topic = (follow_up_topic(tracker)
                     or page_follow_up(tracker, MIN_PAGE_FOLLOW_UP_CONFIDENCE)
                     or fragment_follow_up(tracker))
        if topic is None and unsure_about_a_test(tracker):
            # a long message about a test the classifier only half declined ("...Can this test
            # show whether his leukemia has gotten worse or spread?"): a reading that decides
            likeliest = first_ranked_topic(tracker, MIN_SUGGESTION_CONFIDENCE)
            read_as, read = read_topic(tracker, likeliest)
            if read and read_as is not None:
                return ActionAnswerQuestion().answer(dispatcher, tracker, read_as)
        if (topic is None and procedures_from_message(tracker) and not stays_declined(tracker)
                and not asks_about_spread_or_response(text)
                and names_a_finding(text, knowledge_base())):
            topic = "abnormal_results"  # "can lymphoma be found with a marrow aspiration?"
        if topic is None:
            topic = defined_term(tracker)  # "MDS meaning", "hematopoietic meaning"
        topic = topic or circumstance_follow_up(tracker) or reading_about_the_test(tracker)
        if topic is not None:
            return ActionAnswerQuestion().answer(dispatcher, tracker, topic)
        if (practical := practical_question(tracker)) is not None:
            return say_local_answer(dispatcher, practical)
        if (is_statement(text) and reacts_with_worry(text)
                and len((text or "").split()) <= MAX_WORRY_WORDS):
            # "I'm a total wimp with needles lol": the worry acknowledged, not declined
            dispatcher.utter_message(response="utter_worried")
            return []
        declined = super().run(dispatcher, tracker, domain)
        if (asked := other_test_question_topic(tracker)) is not None:
            # "how is a liver biopsy done": declined, and remembered for "and the marrow one?"
            return [*declined, *answered(tracker, asked)]
        return declined


class ActionSayGoodbye(ProfileResponseAction):
    """Goodbye, except a follow-up that only started like one ("ok and the other one?")."""

    action_name, reply = "action_say_goodbye", "goodbye"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = tracker.latest_message.get("text")
        if could_be_follow_up(tracker) and keeps_topic(text):
            return ActionAnswerQuestion().answer(dispatcher, tracker, tracker.get_slot("topic"))
        if text and "?" in text and (events := continue_clinic_question(
                dispatcher, tracker, procedure_spans(tracker))):
            return events  # "n after?" right after a practical question
        return super().run(dispatcher, tracker, domain)


class ActionAcknowledge(Action):
    """"ok", "great", "no": acknowledged. Right after a leaflet answer, "really thats it?" or "is
    that all?" doubts that answer: it is quoted again; right after normal (or abnormal) results,
    "and if theyre not?" asks the other."""

    def name(self) -> str:
        return "action_acknowledge"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = tracker.latest_message.get("text")
        if flipped := opposite_result(text, tracker.get_slot("topic")):
            return ActionAnswerQuestion().answer(dispatcher, tracker, flipped)
        if reacts_to_the_last_answer(tracker):
            return ActionAnswerQuestion().answer(dispatcher, tracker, tracker.get_slot("topic"))
        if tracker.get_slot("topic") is not None and answers_both_tests(tracker):
            # "not sure" after "which test?": the question asked, for both tests
            return ActionAnswerQuestion().answer(dispatcher, tracker, None)
        if tracker.get_slot("procedure") is not None and asks_bare_why(text):
            return ActionAnswerQuestion().answer(dispatcher, tracker, "purpose")  # "y?"
        if (events := answer_a_reading(dispatcher, tracker)) is not None:
            return events  # "is that common?" after the risks
        if (tracker.get_slot("topic") is not None and tracker.get_slot(CLINIC_TOPIC_SLOT) is None
                and keeps_topic(text)):
            # "and after that?" right after how it is done: the same question, next step
            return ActionAnswerQuestion().answer(dispatcher, tracker, tracker.get_slot("topic"))
        if len((text or "").split()) >= MIN_QUESTION_WORDS and not is_statement(text):
            # "...which was grim tbh. now theyre saying i need a trephine as well. is that gonna
            # be worse?": a question after a reaction, read as one
            return ActionClarifyQuestion().run(dispatcher, tracker, domain)
        if not is_statement(text) and (topic := circumstance_follow_up(tracker)) is not None:
            # "he has haemophilia, does that matter" about the test
            return ActionAnswerQuestion().answer(dispatcher, tracker, topic)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "deny":
            dispatcher.utter_message(response="utter_deny")
        else:  # "oh god", "that sounds scary": the worry acknowledged
            dispatcher.utter_message(
                response="utter_worried" if reacts_with_worry(text) else "utter_affirm")
        return []


def likely_topics(tracker: Tracker) -> list[str]:
    """The two or three likeliest topics from the classifier's ranking."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    topics = []
    for entry in ranking:
        topic = topic_for(entry.get("name"))
        if topic and (entry.get("confidence") or 0) >= MIN_SUGGESTION_CONFIDENCE:
            topics.append(topic)
        if len(topics) == MAX_SUGGESTIONS:
            break
    return topics


# "ok. thanks for being straight with me": a classifier torn between two social intents has
# still been told something social, not asked a question to clarify
SOCIAL_INTENTS = frozenset({"affirm", "thank"})
NLU_FALLBACK_INTENT = "nlu_fallback"  # Rasa's FallbackClassifier puts it first in the ranking
MIN_SOCIAL_SHARE = 0.6


def torn_between_social_intents(tracker: Tracker) -> str | None:
    """The likelier of two social intents that together hold at least ``MIN_SOCIAL_SHARE`` of a
    message without "?"; else None."""
    text = tracker.latest_message.get("text") or ""
    ranking = [entry for entry in tracker.latest_message.get("intent_ranking") or []
               if entry.get("name") != NLU_FALLBACK_INTENT][:2]
    if "?" in text or len(ranking) < 2:
        return None
    if not {entry.get("name") for entry in ranking} <= SOCIAL_INTENTS:
        return None
    share = sum(float(entry.get("confidence") or 0.0) for entry in ranking)
    return str(ranking[0]["name"]) if share >= MIN_SOCIAL_SHARE else None


class ActionClarifyQuestion(Action):
    """Low confidence: offer the likeliest topics as buttons instead of a confident wrong answer.

    Except on the bone marrow and stem cells page: after a question about it, a vague follow-up
    whose likeliest topic is on the same page gets that section (general information, about no
    one test), as a follow-up about a test keeps the test."""

    def name(self) -> str:
        return "action_clarify_question"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        if social := torn_between_social_intents(tracker):
            dispatcher.utter_message(response="utter_thank" if social == "thank" else (
                "utter_worried" if reacts_with_worry(text) else "utter_affirm"))
            return []
        if asks_about_an_unknown_term(tracker) or (not procedures_from_message(tracker) and (
                asks_beyond_the_leaflets(text)  # "how much to freeze stem cells privately"
                or (names_other_procedure(tracker) and not MARROW_WORD.search(text)
                    and not compares_with_another_test(tracker)))):
            # "knee joint aspiration recovery time": another test, whatever it asks
            dispatcher.utter_message(text=render("out_of_scope"))
            return []
        if (events := continue_clinic_question(dispatcher, tracker, procedure_spans(tracker))):
            return events  # "n after?" after "can I eat before?"
        if asks_how_it_feels(tracker.latest_message.get("text")):
            # "is a bone marrow aspiration worse than having blood taken": how it feels
            return ActionAnswerQuestion().answer(dispatcher, tracker, "sensation")
        if asks_about_risks(tracker.latest_message.get("text")):
            # "is it normal to have a tiny spot of blood on the plaster?": the risks
            return ActionAnswerQuestion().answer(dispatcher, tracker, "risks")
        text = tracker.latest_message.get("text")
        if names_a_finding(text, knowledge_base()) or asks_about_own_findings(text):
            # "can a bone marrow aspiration pick up myeloma": what abnormal results may mean;
            # "30% blasts, what does that number mean for me?": the answering action says only
            # the care team reads one's own findings
            return ActionAnswerQuestion().answer(dispatcher, tracker, "abnormal_results")
        # what the message asks, read with the likeliest topic ("should they know about that?",
        # "are they the same for the biopsy", "do they do both at once?"): answered, not buttons
        topic, read = read_topic(tracker, first_ranked_topic(tracker, MIN_SUGGESTION_CONFIDENCE))
        if not read:
            # a reading that decides whatever the likeliest topic ("...they said more tests are
            # needed. What might they have found?")
            topic, read = read_topic(tracker, None)
        if read or (topic := circumstance_follow_up(tracker)
                    or reading_about_the_test(tracker)) is not None:
            # "i react badly to some antibiotics" in a conversation about a test: preparation
            return ActionAnswerQuestion().answer(dispatcher, tracker, topic)
        # "and for a child?", "hematopoietic?" after a quoted answer; a vague follow-up on the
        # bone marrow and stem cells page: the likeliest section of that page, not buttons
        follow_up = None if procedures_from_message(tracker) else (
            follow_up_topic(tracker) or page_follow_up(tracker, MIN_SUGGESTION_CONFIDENCE))
        if follow_up is not None:
            return ActionAnswerQuestion().answer(dispatcher, tracker, follow_up)
        if (practical := practical_question(tracker)) is not None:
            return say_local_answer(dispatcher, practical)  # "can i give her calpol when we..."
        topics = likely_topics(tracker)
        if not topics:
            dispatcher.utter_message(text=render("fallback"))
            return []
        buttons = [{"title": TOPIC_LABELS[t], "payload": f"/{intent_for(t)}"} for t in topics]
        buttons.append({"title": "Talk to the clinic", "payload": "/ask_human"})
        dispatcher.utter_message(text=render("did_you_mean"), buttons=buttons)
        return []
