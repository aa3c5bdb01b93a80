"""The one answering action: a (topic, procedure) pair -> the knowledge-base section, verbatim.

Topic comes from the intent (``ask_<topic>``, see bot/topics.py) or, for a bare procedure reply
("the biopsy"), from the topic remembered in the ``topic`` slot; :func:`resolve_topic` applies the
conversation rules (statements, stem-cell follow-ups). A composite topic ("what to expect") quotes
several sections. Procedure comes from the message's ``procedure`` entity, else from the
``procedure`` slot, which Rasa fills from that entity in every turn (from_entity mapping), so a
test named in a greeting or a clinic question is remembered.

Procedures are data (bot/procedures.py): the tests are those the knowledge base's documents
describe, limited to the clinic profile's ``procedures``. When the test is unknown and the
leaflets of several tests answer the topic differently, the bot asks which test, with up to
``MAX_PROCEDURE_BUTTONS`` buttons; a clinic with one test is never asked. A page about no one test
(bone marrow and stem cells) answers only the topics no test leaflet has. A test the clinic has no
leaflet for gets the honest decline.
"""

from __future__ import annotations

import json
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.comparisons import (
    asks_about_the_other_test_named_last,
    compared_with_the_test_discussed,
    compares_the_test_discussed,
    compares_with_another_test,
    everyday_needle_only_told,
    likens_another_test_to_ours,
    names_other_procedure,
    other_test_only_told,
    subject_of_a_comparison,
    takes_the_liquid_within,
    why_with_a_blood_test_told,
)
from actions.feedback import offer_feedback
from actions.local_answers import CLINIC_TOPIC_SLOT, continue_clinic_question
from actions.question_topic import read_topic
from actions.readings import (
    MARROW_WORD,
    STEM_CELL_WORDS,
    answers_both_tests,
    asks_about_an_unknown_term,
    asks_beyond_the_last_transplant_answer,
    defines_a_finding_first,
    first_test_discussed,
    knowledge_base,
    name_asked_which_test,
    named_in_order,
    procedure_spans,
    procedures_from_message,
    takes_the_marrow,
)
from bot.asks.definitions import asks_the_difference_between_the_two, generic_test_spans
from bot.asks.how_it_is_done import asks_about_both_together
from bot.asks.own_results import asks_about_own_findings, mentions_own_results
from bot.asks.purpose import asks_why_it_is_needed
from bot.followups import (
    asks_to_say_it_again,
    final_question,
    other_procedure,
    returns_to_the_first_test,
)
from bot.knowledge import Document, KnowledgeBase, Section
from bot.replies import offered_procedures, render, templates
from bot.topics import PAGE_FOLLOW_UPS, PAGE_TOPICS, section_topics, topic_for

MAX_PROCEDURE_BUTTONS = 5


def citation(document: Document, section: Section) -> str:
    """The short source line that follows every quoted answer."""
    return templates()["citation"].format(
        source=document.source, title=document.title, heading=section.heading,
        url=document.url, review_date=document.review_date_text,
    )


def render_answer(matches: list[tuple[Document, Section]]) -> str:
    """Quote each distinct section text once, each followed by the documents it comes from."""
    groups: dict[str, list[str]] = {}
    for document, section in matches:
        groups.setdefault(section.text(), []).append(citation(document, section))
    return "\n\n".join(f"{text}\n\n" + "\n".join(cites) for text, cites in groups.items())


def resolve_topic(
    intent_topic: str | None, last_topic: str | None, mentioned: list[str],
    names_the_tests: bool = False,
) -> str | None:
    """The topic to answer, from the classified intent and the conversation so far.

    * after a question about the stem-cell page, "how do they collect them?" stays on that page;
    * a bare procedure ("the biopsy", "what about the aspiration?") continues the last question
      about a test; with no such question yet ("I'm booked for a BMA on Friday") it gets what
      that test is, the overview; with no test named either, None (ask what they'd like to know).

    ``names_the_tests``: the message names the marrow tests without saying which ("is that where
    they do the bone marrow test?"), or a test is being discussed and the message is not about
    stem cells ("where would they take it from on someone so little?"), so it leaves the
    stem-cell page.
    """
    if intent_topic is None:
        if last_topic is not None and last_topic not in PAGE_TOPICS:
            return last_topic
        return "overview" if mentioned else None
    if (not mentioned and not names_the_tests and last_topic in PAGE_TOPICS
            and intent_topic in PAGE_FOLLOW_UPS):
        return PAGE_FOLLOW_UPS[intent_topic]
    return intent_topic




def _same_text(matches: list[tuple[Document, Section]]) -> bool:
    def norm(section: Section) -> str:
        return " ".join(sorted(" ".join(section.text().lower().split()).split()))

    return len({norm(sec) for _, sec in matches}) == 1


def answered(tracker: Tracker, topic: str) -> list[EventType]:
    """The slots after a leaflet answer on ``topic``: a follow-up now continues it, not an
    earlier clinic question."""
    events: list[EventType] = [SlotSet("topic", topic)]
    if tracker.get_slot(CLINIC_TOPIC_SLOT) is not None:
        events.append(SlotSet(CLINIC_TOPIC_SLOT, None))
    return events


def _describing_both(kb: KnowledgeBase, offered: tuple[str, ...]) -> list[str]:
    """The offered test whose how-it-is-done section names another offered test ("A bone
    marrow aspiration may also be done, usually before the biopsy")."""
    for document, section in kb.find("how_performed"):
        if document.procedure not in offered:
            continue
        others = [d for d in kb.documents if d.procedure in offered and d is not document]
        text = section.text().lower()
        if any((d.procedure_name or "").lower() in text for d in others if d.procedure_name):
            return [document.procedure]
    return []


# a question the liquid sample taken with the test answers with how the two are done together
_WHAT_OR_WHY = frozenset({None, "overview", "purpose", "alternative_names"})
_HAD_ONE = re.compile(r"\b(?:had|tried|did|was|were|done)\b", re.IGNORECASE)
_NOW = re.compile(r"\bnow\b", re.IGNORECASE)


def _asked_in_final_question(text: str, mentioned: list[str], kb: KnowledgeBase) -> list[str]:
    """Two tests named, the final question only one: "I had a bone marrow aspiration 3 years ago
    and it was awful. Is the biopsy going to feel like that?" asks about the biopsy."""
    last = final_question(text)
    if len(mentioned) < 2:
        return mentioned
    asked = kb.procedures().named(last) if last is not None else []
    if len(asked) == 1:
        return asked
    if _HAD_ONE.search(text) and _NOW.search(text):
        # "they tried an aspiration but couldnt get anything out so now i need a trephine": the
        # test had is the past, the one named last is the one now
        return mentioned[-1:]
    return mentioned


class ActionAnswerQuestion(Action):
    def name(self) -> str:
        return "action_answer_question"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if (asks_about_an_unknown_term(tracker) or defines_a_finding_first(tracker)
                or asks_beyond_the_last_transplant_answer(tracker)):
            dispatcher.utter_message(text=render("out_of_scope"))
            return []
        if (events := continue_clinic_question(dispatcher, tracker, procedure_spans(tracker))):
            return events  # "and for kids?" after "can I drive?"
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        topic = topic_for(intent)
        if tracker.get_slot("topic") is not None and asks_to_say_it_again(
                tracker.latest_message.get("text")):
            dispatcher.utter_message(text=render("say_again"))
            topic = tracker.get_slot("topic")  # "could you put that more simply?": again
        else:
            topic, _ = read_topic(tracker, topic)
        return self.answer(dispatcher, tracker, topic)

    def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, intent_topic: str | None
    ) -> list[EventType]:
        """Answer ``intent_topic`` (None: the test was only named) in this conversation."""
        if asks_about_own_findings(tracker.latest_message.get("text")):
            # "my report says 8% blasts, is that bad?": never read a patient's own findings
            dispatcher.utter_message(text=render("own_results"))
            return []
        kb = knowledge_base()
        offered = offered_procedures(kb=kb)
        mentioned = procedures_from_message(tracker, kb.procedures())
        text = tracker.latest_message.get("text") or ""
        about_the_test = bool(generic_test_spans(text)) or (
            tracker.get_slot("procedure") is not None and not STEM_CELL_WORDS.search(text)) or (
            takes_the_marrow(tracker, text))
        topic = resolve_topic(intent_topic, tracker.get_slot("topic"), mentioned, about_the_test)
        if topic is None and generic_test_spans(text) and tracker.get_slot("procedure") is None:
            topic = "overview"  # "...is booked in for a bone marrow test": what the tests are
        # "...low on her last two blood tests. Now the haematologist wants a marrow sample - what
        # is he hoping to find out?": another test named beside the marrow is context
        other_test = (names_other_procedure(tracker) and not mentioned
                      and not MARROW_WORD.search(text) and not compares_with_another_test(tracker)
                      and not compares_the_test_discussed(tracker)
                      and not other_test_only_told(tracker, text)
                      # "why do they need the bone though, couldnt they just do more blood
                      # tests": why the test discussed is needed
                      and not (tracker.get_slot("procedure") and asks_why_it_is_needed(text))
                      # "why do i need this test, my blood test was abnormal"
                      and not why_with_a_blood_test_told(tracker, text)
                      and not everyday_needle_only_told(tracker, text))
        if (other_test or (mentioned and not any(p in offered.ids for p in mentioned))
                or asks_about_the_other_test_named_last(tracker, text)
                or likens_another_test_to_ours(tracker)):
            # another test ("a breast biopsy"), or one this clinic has no leaflet for: never
            # answer it from the leaflets of other tests
            dispatcher.utter_message(text=render("out_of_scope"))
            return []
        mentioned = [p for p in mentioned if p in offered.ids]
        if (discussed := compared_with_the_test_discussed(
                tracker, procedure_spans(tracker), mentioned)) in offered.ids:
            mentioned = [*mentioned, discussed]  # "how is it different to the aspirate": both
        if (which := name_asked_which_test(tracker)) is not None and which[0] in offered.ids:
            # "letter says iliac crest tap. Is that a biopsy or an aspiration??": that test's
            # other names, which list it (or what the test is)
            mentioned = [which[0]]
            topic = "alternative_names" if which[1] else "overview"
        if topic == "alternative_names" and len(mentioned) > 1:
            # "is a bone marrow aspiration the same as a biopsy?": two tests, not two names of
            # one; what each test is says how they differ
            topic = "overview"
        if topic == "overview" and len(mentioned) > 1 and (subject := (
                discussed if discussed in mentioned else subject_of_a_comparison(
                    text, named_in_order(tracker, kb.procedures())))):
            # "is it not the same as a biopsy?", "how is a BMA different from a trephine?": what
            # the test asked about is, which says how it differs from the other
            mentioned = [subject]
        other = other_procedure(
            tracker.latest_message.get("text"), tracker.get_slot("procedure"), offered.ids)
        if other and not mentioned:
            mentioned = [other]  # "what about the other one"
        first = first_test_discussed(tracker)
        if first in offered.ids and not mentioned and returns_to_the_first_test(text):
            mentioned = [first]  # "ok back to mine" after the other test
        describing = _describing_both(kb, offered.ids)
        if topic in _WHAT_OR_WHY | {"how_performed"} and takes_the_liquid_within(
                tracker, describing[0] if describing else None, mentioned):
            # "do they do the aspiration bit at the same time" about the biopsy: its leaflet, which
            # describes the aspiration done with it (how the aspiration part feels, or its risks,
            # is the aspiration's: "they'll do the aspiration first, what's that part like")
            mentioned = describing
            topic = "how_performed"
        mentioned = _asked_in_final_question(text, mentioned, kb)
        # "whats the difference between the two anyway": what each test is, the one discussed
        # staying the one discussed
        difference = (topic == "overview" and not mentioned
                      and asks_the_difference_between_the_two(text))
        both = answers_both_tests(tracker) or difference
        if both:
            mentioned = list(offered.ids)  # "both i think" after "which test?"
            discussed = tracker.get_slot("procedure")
            if difference and discussed in mentioned:
                mentioned = [p for p in mentioned if p != discussed] + [discussed]
        if topic == "how_performed" and (both or asks_about_both_together(text)):
            # "do they do both at once?": the leaflet that describes the two done together
            mentioned = describing or mentioned
        procedure = mentioned[-1] if mentioned else tracker.get_slot("procedure")
        if procedure not in offered.ids:
            procedure = offered.ids[0] if len(offered.ids) == 1 else None
        events: list[EventType] = []
        if procedure != tracker.get_slot("procedure"):
            events.append(SlotSet("procedure", procedure))

        if topic is None:
            # "the biopsy" with no question before it
            dispatcher.utter_message(
                text=render("ask_question", procedure_name=offered.name(procedure))
            )
            return events

        matches = [
            (d, s) for part in section_topics(topic) for d, s in kb.find(part)
            if d.procedure is None or d.procedure in offered.ids
        ]
        procedure_matches = [(d, s) for d, s in matches if d.procedure]
        if procedure_matches:
            # a page about no one test only answers what no test leaflet answers
            matches = procedure_matches
            # "the difference between aspiration and biopsy" names both: quote both
            wanted = mentioned if len(mentioned) > 1 else [procedure]
            chosen = [(d, s) for d, s in matches if d.procedure in wanted]
            if chosen:
                matches = chosen
            elif not _same_text(matches):
                options = list(dict.fromkeys(d.procedure for d, _ in matches))
                dispatcher.utter_message(
                    text=render("ask_procedure"),
                    buttons=[
                        {
                            "title": offered.get(option).title,
                            "payload": "/inform_procedure" + json.dumps({"procedure": option}),
                        }
                        for option in options[:MAX_PROCEDURE_BUTTONS]
                    ],
                )
                return events + answered(tracker, topic)

        if not matches:
            dispatcher.utter_message(text=render("fallback"))
            return events

        dispatcher.utter_message(text=render_answer(matches))
        if mentions_own_results(tracker.latest_message.get("text")):
            dispatcher.utter_message(text=render("own_results"))
        if intent_topic is None and tracker.get_slot("topic") in (None, *PAGE_TOPICS):
            # the test was only named ("I'm booked for a BMA on Friday"): after what it is,
            # invite the question
            dispatcher.utter_message(
                text=render("ask_question", procedure_name=offered.name(procedure))
            )
        offer_feedback(dispatcher, tracker)
        return events + answered(tracker, topic)
