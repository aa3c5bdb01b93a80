"""The one answering action: a (topic, procedure) pair -> the knowledge-base section, verbatim.

Topic comes from the intent (``ask_<topic>``, see bot/topics.py) or, for a bare procedure reply
("the biopsy"), from the topic remembered in the ``topic`` slot. Procedure comes from the message's
``procedure`` entity, else from the ``procedure`` slot. When the procedure is unknown and the
documents for the two procedures say different things, the bot asks which test with buttons.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.feedback import offer_feedback
from bot.knowledge import Document, KnowledgeBase, Section
from bot.nlp import normalize_procedure
from bot.replies import procedure_name, render
from bot.topics import mentions_own_results, topic_for


@lru_cache(maxsize=1)
def knowledge_base() -> KnowledgeBase:
    """Loaded once per action-server process."""
    return KnowledgeBase.load()


def citation(document: Document, section: Section) -> str:
    """The short source line that follows every quoted answer."""
    return (
        f'Source: {document.source}, "{document.title}", section "{section.heading}". '
        f"{document.url} (reviewed {document.review_date_text})"
    )


def render_answer(matches: list[tuple[Document, Section]]) -> str:
    """Quote each distinct section text once, each followed by the documents it comes from."""
    groups: dict[str, list[str]] = {}
    for document, section in matches:
        groups.setdefault(section.text(), []).append(citation(document, section))
    return "\n\n".join(f"{text}\n\n" + "\n".join(cites) for text, cites in groups.items())


def procedures_from_message(tracker: Tracker) -> list[str]:
    """The procedures the latest message names, normalised, in order, without repeats. When no
    entity was extracted (e.g. a longer lay phrase won), the text itself is searched."""
    found: list[str] = []
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == "procedure":
            procedure = normalize_procedure(str(entity.get("value", "")))
            if procedure and procedure not in found:
                found.append(procedure)
    if not found and not names_other_procedure(tracker):
        procedure = normalize_procedure(tracker.latest_message.get("text") or "")
        if procedure:
            found.append(procedure)
    return found


def names_other_procedure(tracker: Tracker) -> bool:
    """The message is about another test ("a breast biopsy", "an MRI")."""
    entities = tracker.latest_message.get("entities") or []
    return any(e.get("entity") == "other_procedure" for e in entities)


def _same_text(matches: list[tuple[Document, Section]]) -> bool:
    def norm(section: Section) -> str:
        return " ".join(sorted(" ".join(section.text().lower().split()).split()))

    return len({norm(sec) for _, sec in matches}) == 1


class ActionAnswerQuestion(Action):
    def name(self) -> str:
        return "action_answer_question"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        topic = topic_for(intent) or tracker.get_slot("topic")
        mentioned = procedures_from_message(tracker)
        if names_other_procedure(tracker) and not mentioned:
            # the leaflets are about bone marrow tests only: never answer for another test
            dispatcher.utter_message(text=render("out_of_scope"))
            return []
        procedure = mentioned[-1] if mentioned else tracker.get_slot("procedure")
        events: list[EventType] = []
        if procedure != tracker.get_slot("procedure"):
            events.append(SlotSet("procedure", procedure))

        if topic is None:
            # "the biopsy" with no question before it
            dispatcher.utter_message(
                text=render("ask_question", procedure_name=procedure_name(procedure))
            )
            return events

        kb = knowledge_base()
        matches = kb.find(topic)
        procedure_matches = [(d, s) for d, s in matches if d.procedure]
        if procedure_matches and len(matches) == len(procedure_matches):
            # "the difference between aspiration and biopsy" names both: quote both
            wanted = mentioned if len(mentioned) > 1 else [procedure]
            chosen = [(d, s) for d, s in matches if d.procedure in wanted]
            if chosen:
                matches = chosen
            elif not _same_text(matches):
                dispatcher.utter_message(
                    text=render("ask_procedure"),
                    buttons=[
                        {
                            "title": procedure_name(d.procedure).capitalize(),
                            "payload": "/inform_procedure"
                            + json.dumps({"procedure": d.procedure}),
                        }
                        for d, _ in matches
                    ],
                )
                return events + [SlotSet("topic", topic)]

        if not matches:
            dispatcher.utter_message(text=render("fallback"))
            return events

        dispatcher.utter_message(text=render_answer(matches))
        if mentions_own_results(tracker.latest_message.get("text")):
            dispatcher.utter_message(text=render("own_results"))
        offer_feedback(dispatcher, tracker)
        return events + [SlotSet("topic", topic)]
