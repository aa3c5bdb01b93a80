"""What a message the classifier declined (or was unsure of) may still ask, read against the
conversation: a practical question the clinic answers, the test compared with another, a short
fragment, a circumstance, why the test is done or how it feels. Used by the decline, "did you
mean" and the small-talk actions (actions/conversation.py)."""

from __future__ import annotations

import re

from rasa_sdk import Tracker

from actions.comparisons import (
    compares_the_test_discussed,
    compares_with_another_test,
    likens_another_test_to_ours,
    names_other_procedure,
    prefers_another_test,
)
from actions.readings import (
    STEM_CELL_WORDS,
    asks_about_an_unknown_term,
    asks_if_its_site_is_usual,
    procedures_from_message,
    stays_declined,
)
from bot.asks.circumstances import circumstance_topic
from bot.asks.definitions import generic_test_spans
from bot.asks.feelings import asks_how_it_feels
from bot.asks.how_it_is_done import (
    asks_how_it_is_done,
    asks_how_it_is_performed,
    asks_how_much_they_take,
    asks_what_is_put_on_after,
    asks_what_they_take,
    asks_what_they_will_do,
)
from bot.asks.purpose import (
    asks_bare_why,
    asks_if_that_is_the_reason,
    asks_what_it_is_for,
    asks_why_it_is_needed,
    asks_why_not_a_blood_test,
)
from bot.asks.results import (
    asks_about_pain_relief,
    asks_when_back_to_normal,
    asks_when_results_come,
)
from bot.asks.risks import asks_about_risks
from bot.asks.sites import asks_where_they_take_it
from bot.rare_words import words
from bot.topics import PAGE_TOPICS, topic_for


def practical_question(tracker: Tracker) -> str | None:
    """A practical question the classifier declined that the clinic answers: when the results
    come ("when will they know whats wrong with me"), and, about a test, when daily life goes on
    ("how long till she can walk the dog again")."""
    text = tracker.latest_message.get("text")
    if stays_declined(tracker):
        return None
    if asks_when_results_come(text):
        return "results_timing"
    if tracker.get_slot("procedure") is not None and asks_when_back_to_normal(text):
        return "activity"
    if tracker.get_slot("procedure") is not None and asks_about_pain_relief(text):
        return "pain_relief"  # "can i give her calpol when we get home"
    return None


MIN_PAGE_FOLLOW_UP_CONFIDENCE = 0.15
# below this, the classifier's decline of a message about a test is only half sure
MAX_UNSURE_DECLINE_CONFIDENCE = 0.6


def unsure_about_a_test(tracker: Tracker) -> bool:
    """The classifier declined, unsure, a message about a test (named, the tests named together,
    or the one discussed) that does not stay declined and asks about no unknown term."""
    intent = tracker.latest_message.get("intent") or {}
    text = tracker.latest_message.get("text")
    about_a_test = bool(procedures_from_message(tracker) or generic_test_spans(text)
                        or tracker.get_slot("procedure"))
    return (float(intent.get("confidence") or 0.0) < MAX_UNSURE_DECLINE_CONFIDENCE
            and about_a_test and not stays_declined(tracker)
            and not asks_about_an_unknown_term(tracker))
MAX_CIRCUMSTANCE_WORDS = 30


def circumstance_follow_up(tracker: Tracker) -> str | None:
    """'I take aspirin daily', 'she's got osteoporosis, does that make it riskier?' in a
    conversation about a test: that test's preparation or risks (bot/asks/circumstances.py), not
    a decline. Never for what stays declined or a long message."""
    text = tracker.latest_message.get("text")
    about_a_test = (tracker.get_slot("procedure") is not None or procedures_from_message(tracker)
                    or generic_test_spans(text))
    if not about_a_test or stays_declined(tracker) or len(words(text)) > MAX_CIRCUMSTANCE_WORDS:
        return None
    return circumstance_topic(text)


def reading_about_the_test(tracker: Tracker) -> str | None:
    """'and why would they bother at his age', 'iliac crest?? where on me is that even', 'I would
    like to understand how uncomfortable it will be for him' about a test (named, the tests named
    together, or the one discussed), declined however sure the classifier was: why the test is
    done, how it feels, or where the sample is taken (how it is done)."""
    text = tracker.latest_message.get("text")
    about_a_test = (tracker.get_slot("procedure") is not None or procedures_from_message(tracker)
                    or generic_test_spans(text))
    if asks_if_its_site_is_usual(tracker, bool(about_a_test)):
        return "how_performed"  # "they want to take marrow from my breast bone?? is that normal"
    if not about_a_test:
        return None
    if asks_why_not_a_blood_test(text):
        return "purpose"  # "why can't they just do a blood test instead" (the blood test named)
    if stays_declined(tracker):
        return None
    if asks_why_it_is_needed(text) or asks_bare_why(text) or asks_if_that_is_the_reason(text):
        return "purpose"  # "how come?" after "they want to do a sternal tap on me"
    if asks_how_it_feels(text):
        return "sensation"  # "...I would like to understand how uncomfortable it will be for him."
    if asks_how_it_is_done(text) or asks_what_they_will_do(text):
        return "how_performed"  # "...a 'bone marrow examination'... What will they do to me?"
    if asks_what_it_is_for(text):
        return "purpose"  # "I need a biopsy before my transplant, what's the biopsy for?"
    if tracker.get_slot("topic") not in PAGE_TOPICS and (
            asks_where_they_take_it(text) or asks_what_is_put_on_after(text)):
        return "how_performed"  # "where from?", "will they put a dressing on after"
    if tracker.get_slot("topic") not in PAGE_TOPICS and not STEM_CELL_WORDS.search(text or ""):
        if asks_how_much_they_take(text):
            return "how_performed"  # "do they take a lot of marrow out"
        if asks_what_they_take(text):
            return "overview"  # "what did they actually take out of him"
    return None


def page_follow_up(tracker: Tracker, min_confidence: float) -> str | None:
    """'what does it make?' after 'what is bone marrow?': on the bone marrow and stem cells page,
    a vague follow-up that names no test gets the page section the classifier ranks first among
    topics, when that ranks at least ``min_confidence``."""
    if tracker.get_slot("topic") not in PAGE_TOPICS or procedures_from_message(tracker):
        return None
    topic = first_ranked_topic(tracker, min_confidence)
    return topic if topic in PAGE_TOPICS else None


_NOT_A_QUESTION = frozenset({"out_of_scope", "nlu_fallback"})


def other_test_question_topic(tracker: Tracker) -> str | None:
    """'how is a liver biopsy done', 'my liver biopsy is next week, does it hurt': declined, the
    leaflet question asked of the other test, which a follow-up naming a marrow test asks again
    ("and for the marrow one?"); None for a practical question ("how long do skin biopsy results
    take?") or none read."""
    if not names_other_procedure(tracker) or procedures_from_message(tracker):
        return None
    text = tracker.latest_message.get("text")
    if asks_how_it_feels(text):
        return "sensation"
    if asks_about_risks(text):
        return "risks"
    if asks_how_it_is_done(text) or asks_how_it_is_performed(text) or asks_what_they_will_do(text):
        return "how_performed"
    for entry in tracker.latest_message.get("intent_ranking") or []:
        if entry.get("name") in _NOT_A_QUESTION:
            continue
        topic = topic_for(entry.get("name"))
        return topic if topic is not None and topic not in PAGE_TOPICS else None
    return None


def first_ranked_topic(tracker: Tracker, min_confidence: float) -> str | None:
    """The topic the classifier ranks first among topics, when it ranks at least
    ``min_confidence``."""
    for entry in tracker.latest_message.get("intent_ranking") or []:
        topic = topic_for(entry.get("name"))
        if topic is not None:
            return topic if (entry.get("confidence") or 0) >= min_confidence else None
    return None


_COMPARISON = re.compile(
    r"\b(?:like|same|similar|different|difference|differ|compare[sd]?|comparison|versus|vs)\b",
    re.IGNORECASE)


def comparison_topic(tracker: Tracker) -> str | None:
    """'I had a breast biopsy last year, is a bone marrow biopsy anything like that?': a test
    this clinic describes compared with another gets what the test is (or how it feels, for
    'is it worse than...'), not the decline for another test."""
    text = tracker.latest_message.get("text")
    if prefers_another_test(tracker) or likens_another_test_to_ours(tracker):
        return None  # "is an MRI better than a bone marrow biopsy?", "is a skin biopsy the same..."
    if compares_with_another_test(tracker):
        return "sensation"  # "worse than a blood test?"
    feels = asks_how_it_feels(text)
    if not (feels or (text and _COMPARISON.search(text))):
        return None
    if not names_other_procedure(tracker):
        return None
    if procedures_from_message(tracker):
        return "sensation" if feels else "overview"
    if compares_the_test_discussed(tracker):
        # "is it like a blood test then, just a needle and they draw it out?", "is it done the
        # same way as the liver one was?" about the test being discussed: how it feels, or how
        # it is done
        return "sensation" if feels else "how_performed"
    return None


MAX_FRAGMENT_WORDS = 2
MIN_FRAGMENT_CONFIDENCE = 0.2


def fragment_follow_up(tracker: Tracker) -> str | None:
    """'bruising?' in a conversation about a test: a one- or two-word fragment the classifier
    declined gets the test topic it ranks first, when that ranks at least
    ``MIN_FRAGMENT_CONFIDENCE`` (a fragment is not a question about anything else)."""
    text = tracker.latest_message.get("text")
    if tracker.get_slot("procedure") is None or len(words(text)) > MAX_FRAGMENT_WORDS:
        return None
    topic = first_ranked_topic(tracker, MIN_FRAGMENT_CONFIDENCE)
    return topic if topic not in PAGE_TOPICS else None
