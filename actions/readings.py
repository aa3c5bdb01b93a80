"""What the latest message says, read against the conversation: the tests it names, whether it
stays declined, the answer it reacts to (:func:`quoted_answer`) and the reply to "which test?".
:func:`actions.question_topic.read_topic` reads what it asks with these. Used by the answering
action, the clinic action, "did you mean" and the decline (actions/conversation.py), which ask
the same readings."""

from __future__ import annotations

import re

from rasa_sdk import Tracker

from actions.comparisons import names_other_procedure, test_discussed_before
from actions.local_answers import CLINIC_TOPIC_SLOT
from bot.asks.declines import asks_beyond_the_leaflets, asks_beyond_the_transplant
from bot.asks.definitions import generic_test_spans
from bot.asks.feelings import (
    mentions_a_feeling,
)
from bot.asks.how_it_is_done import asks_how_the_sample_is_taken
from bot.asks.page import page_next_step
from bot.asks.results import (
    opposite_result,
)
from bot.asks.risks import asks_about_risks
from bot.asks.sentences import MARROW_WORD
from bot.asks.sites import asks_if_the_site_is_usual, asks_where_they_take_it
from bot.followups import final_question, keeps_topic
from bot.knowledge import KnowledgeBase
from bot.leaflet_words import (
    asks_about_unfamiliar_term,
    defined_term_topic,
    defines_a_finding,
    defines_a_listed_finding,
    term_topic,
    unknown_rare_words,
    words,
)
from bot.procedures import ProcedureVocabulary
from bot.reactions import picks_up_the_answer, reacts_to_the_answer
from bot.replies import render
from bot.topics import PAGE_TOPICS, section_topics


def knowledge_base() -> KnowledgeBase:
    """The knowledge base in use (loaded once, re-read when the file changes)."""
    return KnowledgeBase.current()


def procedures_from_message(
    tracker: Tracker, known: ProcedureVocabulary | None = None
) -> list[str]:
    """The procedures the latest message names, in order, without repeats.

    The NLU pipeline has already normalised them
    (``bot.components.procedures.ProcedureEntities``), and the
    ``procedure`` slot is filled from the same entities by its ``from_entity`` mapping; the
    normalisation here covers button payloads and messages parsed by an older model. A value
    that is no test of the knowledge base is kept as it is (so it can be declined)."""
    known = known or knowledge_base().procedures()
    found: list[str] = []
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == "procedure":
            value = str(entity.get("value", "")).strip()
            procedure = known.normalize(value) or value or None
            if procedure and procedure not in found:
                found.append(procedure)
    if not found and (one := marrow_one(tracker, known)) is not None:
        found.append(one)
    return found


# "...and now they want a bone marrow one", "ok what about the marrow one" after another test
_MARROW_ONE = re.compile(r"\b(?:bone\s+)?marrow\s+one\b", re.IGNORECASE)


def marrow_one(tracker: Tracker, known: ProcedureVocabulary) -> str | None:
    """'ok what about a bone marrow one', no test discussed yet: the marrow test of the kind of
    the other test named last before ("how is a liver biopsy done" then "ok what about a bone
    marrow one": the bone marrow biopsy). Not beside another test in the same message ("is a
    lymph node biopsy the same as a bone marrow one" asks about that test)."""
    if (not _MARROW_ONE.search(tracker.latest_message.get("text") or "")
            or tracker.get_slot("procedure") is not None or names_other_procedure(tracker)):
        return None
    for parse in (event.get("parse_data") or {} for event in reversed(list(tracker.events))
                  if event.get("event") == "user"):
        others = [str(e.get("value") or "") for e in parse.get("entities") or []
                  if e.get("entity") == "other_procedure"]
        if others:
            kind = others[-1].split()[-1] if others[-1].split() else ""
            return known.normalize(f"bone marrow {kind}")
    return None


def named_in_order(tracker: Tracker, known: ProcedureVocabulary) -> list[tuple[int, int, str]]:
    """Where the latest message names a test, in order: (start, end, procedure id)."""
    found = []
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == "procedure" and "start" in entity and "end" in entity:
            procedure = known.normalize(str(entity.get("value", "")).strip())
            if procedure:
                found.append((int(entity["start"]), int(entity["end"]), procedure))
    return sorted(found)


def procedure_spans(tracker: Tracker) -> list[tuple[int, int]]:
    """Where the latest message names a test (character offsets of its procedure entities, or
    of "the marrow one" that :func:`marrow_one` reads as a test)."""
    spans = [
        (int(e["start"]), int(e["end"]))
        for e in tracker.latest_message.get("entities") or []
        if e.get("entity") == "procedure" and "start" in e and "end" in e
    ]
    text = tracker.latest_message.get("text") or ""
    if not spans and (one := _MARROW_ONE.search(text)) and marrow_one(
            tracker, knowledge_base().procedures()) is not None:
        spans.append(one.span())
    return spans


# "is a sternal tap the same thing as a bone marrow aspiration", "does iliac crest tap mean the
# aspiration": two names of one test, asked whether they are one
_ONE_AND_THE_SAME = re.compile(
    r"\b(?:same(?:\s+thing)?|another\s+(?:name|word)|other\s+(?:name|word)|also\s+called|"
    r"mean|means|meaning)\b", re.IGNORECASE)


# "is it the same thing as a sternal tap" about the aspiration: another name of the test discussed
_IT_THE_SAME_AS = re.compile(
    r"\b(?:it|this|that)\s+(?:\w+\s+)?(?:the\s+)?same(?:\s+thing)?\s+as\b|\banother\s+name\s+for\b"
    r"|\b(?:it|this|that)\s+(?:also\s+)?called\b", re.IGNORECASE)


def names_the_test_discussed_again(tracker: Tracker) -> bool:
    """The test discussed, named by another name and asked whether it is the same."""
    named = procedures_from_message(tracker)
    return (len(named) == 1 and named[0] == test_discussed_before(tracker)
            and bool(_IT_THE_SAME_AS.search(tracker.latest_message.get("text") or "")))


def names_one_test_twice(tracker: Tracker) -> bool:
    """Two different names of one test in the message, asked whether they are one."""
    text = tracker.latest_message.get("text") or ""
    found = [(text[int(e["start"]):int(e["end"])].lower(), e.get("value"))
             for e in tracker.latest_message.get("entities") or []
             if e.get("entity") == "procedure" and "start" in e and "end" in e]
    # a name inside another is the same name ("what does aspiration mean in bone marrow
    # aspiration" asks what the test is)
    names = {name for name, _ in found}
    names = {name for name in names if not any(name != other and name in other for other in names)}
    # "'iliac crest tap' is that the same as a bone marrow test": one name and the generic one
    generic = bool(found) and bool(generic_test_spans(text)) and bool(_SAME_AS.search(text))
    # "is an iliac crest tap a bone marrow test?": the name asked as a kind of marrow test
    asked = _IS_A_MARROW_TEST.search(text)
    kind = asked is not None and asked["name"].strip().lower() in {name for name, _ in found}
    return (len({value for _, value in found}) == 1 and (len(names) > 1 or generic or kind)
            and (bool(_ONE_AND_THE_SAME.search(text)) or kind))


# "Is that a biopsy or an aspiration??": which of the two tests a name is
_WHICH_OF_THE_TWO = re.compile(
    r"\b(?:an?\s+|the\s+)?(?:biopsy|aspiration|bma|bmb)\W+or\s+(?:an?\s+|the\s+)?(?:biopsy|aspiration|"
    r"bma|bmb)\b", re.IGNORECASE)


def name_asked_which_test(tracker: Tracker) -> tuple[str, bool] | None:
    """"My mum's letter says iliac crest tap. Is that a biopsy or an aspiration??": the test the
    other name is (and whether that test's leaflet lists it among its other names), asked which
    of the two it is (session 19, tests/dev/blind65)."""
    text = tracker.latest_message.get("text") or ""
    asked = _WHICH_OF_THE_TWO.search(text)
    if not asked:
        return None
    names = {(text[int(e["start"]):int(e["end"])], str(e.get("value")))
             for e in tracker.latest_message.get("entities") or []
             if e.get("entity") == "procedure" and "start" in e and "end" in e
             and not asked.start() <= int(e["start"]) < asked.end()}
    if len({value for _, value in names}) != 1:
        return None
    name, value = next(iter(names))
    document = knowledge_base().for_procedure(value)
    section = document.section("alternative_names") if document else None
    listed = section is not None and name.lower() in section.text().lower()
    return value, listed


_IS_A_MARROW_TEST = re.compile(
    r"^\W*(?:(?:so|and|but)\s+)?is\s+(?:an?\s+|the\s+)?(?P<name>(?:\w+\s+){1,4}?)(?:an?|the)\s+(?:(?:kind|type|"
    r"sort|form)\s+of\s+)?(?:bone\s+)?marrow\s+(?:test|exam|examination|biopsy|aspiration|procedure)"
    r"\W*$", re.IGNORECASE)
_SAME_AS = re.compile(r"\bsame\s+(?:thing\s+)?as\b|\b(?:another|other)\s+name\b|\balso\s+called\b",
                      re.IGNORECASE)


def first_test_discussed(tracker: Tracker) -> str | None:
    """The first test the ``procedure`` slot held in this conversation."""
    for event in tracker.events:
        if (event.get("event") == "slot" and event.get("name") == "procedure"
                and event.get("value")):
            return str(event["value"])
    return None


MAX_OUT_OF_SCOPE_FOLLOW_UP_WORDS = 6


def stays_declined(tracker: Tracker) -> bool:
    """Another test named, a task, or a question about treatment or prognosis: declined, however
    the conversation went."""
    return names_other_procedure(tracker) or asks_beyond_the_leaflets(
        tracker.latest_message.get("text"))


def could_be_follow_up(tracker: Tracker) -> bool:
    """A message the classifier declined may still be a follow-up: there was an earlier
    question, it is as short as a follow-up, does not :func:`stay declined <stays_declined>`
    and has no rare word that no document uses ("side effects of hydroxyurea?")."""
    text = tracker.latest_message.get("text")
    return (
        tracker.get_slot("topic") is not None
        and len(words(text)) <= MAX_OUT_OF_SCOPE_FOLLOW_UP_WORDS
        and not stays_declined(tracker)
        and not unknown_rare_words(text, knowledge_base())
    )


def follow_up_topic(tracker: Tracker) -> str | None:
    """The topic of a follow-up the classifier could not place ("and for a child?",
    "hematopoietic?" after a quoted answer), from the conversation (bot/leaflet_words.py); None
    when there is no earlier question."""
    last_topic = tracker.get_slot("topic")
    if last_topic is None:
        return None
    text = tracker.latest_message.get("text")
    if next_step := page_next_step(text, last_topic, tracker.get_slot("procedure") is not None):
        return next_step  # "where are they made?" after what stem cells are
    if keeps_topic(text):
        return last_topic
    if flipped := opposite_result(text, last_topic):
        return flipped  # "and if not?" after what normal results mean
    return term_topic(
        text, knowledge_base(), tracker.get_slot("procedure"), last_topic, PAGE_TOPICS)


def asks_about_an_unknown_term(tracker: Tracker) -> bool:
    """"what is flow cytometry?", "side effects of hydroxyurea": a short question about a term
    no document uses, naming no test (bot/leaflet_words.py): declined, whatever its topic words."""
    return not procedure_spans(tracker) and asks_about_unfamiliar_term(
        tracker.latest_message.get("text"), knowledge_base())


def asks_beyond_the_last_transplant_answer(tracker: Tracker) -> bool:
    """"why would someone need that?" right after what a transplant is: what the page does not
    say of a transplant (bot/asks/declines.py)."""
    return (tracker.get_slot("topic") == "transplant" and not procedure_spans(tracker)
            and asks_beyond_the_transplant(tracker.latest_message.get("text"), True))


def defines_a_finding_first(tracker: Tracker) -> bool:
    """"what is leukaemia?" before any test or answer: the leaflets only list such conditions
    among what abnormal results may be due to, never say what they are (bot/leaflet_words.py).
    In a conversation about a test, that list; after an answer, the answer that named it."""
    text = tracker.latest_message.get("text")
    return (tracker.get_slot("topic") is None and tracker.get_slot("procedure") is None
            and not procedure_spans(tracker)) and (
        defines_a_finding(text, knowledge_base())
        and not defines_a_listed_finding(text, knowledge_base()))


def defined_term(tracker: Tracker) -> str | None:
    """"whats MDS", "hematopoietic meaning": a word the test leaflets use in one section only
    (bot/leaflet_words.py defined_term_topic). That section is all they say of it, and where the
    patient met the word: quoted, whatever the conversation (session 17; for the conditions
    that only the abnormal results list names, blind sets 42-71 mostly label it so, blind24
    and earlier declined it)."""
    if stays_declined(tracker):
        return None
    return defined_term_topic(tracker.latest_message.get("text"), knowledge_base())


def sites_named(tracker: Tracker) -> list[str]:
    """The body sites the latest message names, as written (the spaCy pipeline's entity ruler)."""
    text = tracker.latest_message.get("text") or ""
    return [text[int(e["start"]):int(e["end"])] if "start" in e and "end" in e
            else str(e.get("value") or "")
            for e in tracker.latest_message.get("entities") or [] if e.get("entity") == "body_site"]


def asks_if_its_site_is_usual(tracker: Tracker, about_a_test: bool) -> bool:
    """'...going to be from his sternum, is that normal' about a test (``about_a_test``), or
    'they want to take marrow from my breast bone?? is that normal' naming the marrow."""
    text = tracker.latest_message.get("text") or ""
    return (about_a_test or bool(MARROW_WORD.search(text))) and asks_if_the_site_is_usual(
        text, sites_named(tracker))


def quoted_answer(tracker: Tracker) -> str | None:
    """The leaflet text the bot quoted last (the ``topic`` slot, for the test discussed); None
    after a clinic answer, after a turn that quoted nothing (a decline), or before any answer."""
    last_topic = tracker.get_slot("topic")
    if last_topic is None or tracker.get_slot(CLINIC_TOPIC_SLOT) is not None:
        return None
    said = last_bot_turn(tracker)
    if said and not any(_CITATION.search(text) for text in said):
        return None  # the last turn declined, or chatted: no leaflet text to pick up
    procedure = None if last_topic in PAGE_TOPICS else tracker.get_slot("procedure")
    return " ".join(section.text() for part in section_topics(last_topic)
                    for _, section in knowledge_base().find(part, procedure)) or None


def reacts_to_the_last_answer(tracker: Tracker) -> bool:
    """'fr??', 'a TUBE??', 'really thats it?' right after a leaflet answer."""
    return reacts_to_the_answer(tracker.latest_message.get("text"), quoted_answer(tracker))


def picks_up_the_last_answer(tracker: Tracker) -> bool:
    """'very rare? how rare are we talking', 'the platelets bit - so if mine are low i could
    bleed more easily?' right after a leaflet answer, not asking how it feels or its risks."""
    text = tracker.latest_message.get("text") or ""
    # a test named is no word picked up ("ok, for my aspiration, how i must prepare")
    for start, end in sorted(procedure_spans(tracker), reverse=True):
        text = f"{text[:start]}{' ' * (end - start)}{text[end:]}"
    return (picks_up_the_answer(text, quoted_answer(tracker))
            and not mentions_a_feeling(text) and not asks_about_risks(text))


MAX_WHICH_TEST_REPLY_WORDS = 10


# "not sure, its called a trephine on the letter", "mine's the biopsy": which test is one's own
_OWN_TEST_MARKER = re.compile(
    r"\b(?:letter|form|paperwork|says|said|called|mine|mines|mine'?s|i\s+think|apparently|"
    r"not\s+sure)\b", re.IGNORECASE)


_CITATION = re.compile(r"^Source: ", re.MULTILINE)


# "not sure", "dunno tbh", "no idea": the reply to "which test?" of someone who does not know
_UNSURE = re.compile(
    r"^\W*(?:(?:um+|erm|er|hmm|ok|okay|well|sorry|honestly|tbh)\W+)*(?:(?:i'?m\s+|im\s+)?not\s+"
    r"(?:sure|certain)|dunno|dno|idk|no\s+idea|no\s+clue|(?:i\s+)?(?:don'?t|dont|do\s+not)\s+know|"
    r"can'?t\s+remember|cant\s+remember|they\s+didn'?t\s+say)(?:\s+(?:tbh|really|sorry|lol|"
    r"which|yet|to\s+be\s+honest|which\s+one))*\W*$", re.IGNORECASE)


# "both i think", "both of them": the reply to "which test?" that names no one test
_BOTH = re.compile(
    r"^\W*(?:(?:um+|erm|er|hmm|ok|okay|well|prob(?:ably)?|i\s+think)\W+)*(?:both|the\s+two|all\s+of\s+them)"
    r"(?:\s+(?:of\s+them|tests|i\s+think|apparently|probably|actually))*\W*$", re.IGNORECASE)


def last_bot_turn(tracker: Tracker) -> list[str]:
    """What the bot said in its last turn, before the latest message (an answer may be followed
    by the feedback prompt)."""
    events = list(tracker.events)
    users = [i for i, event in enumerate(events) if event.get("event") == "user"]
    if users:
        events = events[: users[-1]]  # before the latest message (and the slots it set)
    said: list[str] = []
    for event in reversed(events):
        if event.get("event") == "user":
            break
        if event.get("event") == "bot":
            said.insert(0, str(event.get("text") or ""))
    return said


def asked_which_test(tracker: Tracker) -> bool:
    return render("ask_procedure") in last_bot_turn(tracker)


def answers_both_tests(tracker: Tracker) -> bool:
    """'both i think', or 'not sure' / 'dunno' (then what each test says), right after "which
    test?"."""
    text = tracker.latest_message.get("text") or ""
    return asked_which_test(tracker) and bool(_BOTH.match(text) or _UNSURE.match(text))


def answers_which_test(tracker: Tracker) -> bool:
    """The bot has just asked which test the question is about, and this short reply names one
    ("not sure, the letter says trephine", "it says aspirate in brackets"); or it answered for
    both tests, none being known, and the reply says which is one's own ("not sure, its called a
    trephine on the letter")."""
    text = tracker.latest_message.get("text")
    asked = asked_which_test(tracker)
    both_cited = any(len(_CITATION.findall(said)) > 1 for said in last_bot_turn(tracker))
    own = (both_cited and test_discussed_before(tracker) is None
           and bool(_OWN_TEST_MARKER.search(text or "")))
    return ((asked or own) and bool(procedures_from_message(tracker))
            and len(words(text)) <= MAX_WHICH_TEST_REPLY_WORDS
            and not _asks_its_own_question(tracker, text))


# "it's an aspiration they said. will she feel it?": the test named, then a question of its own
_OWN_QUESTION = re.compile(
    r"^\W*(?:will|would|can|could|does|do|is|are|how|what|why|when|where|should|whats|what's)\b",
    re.IGNORECASE)
MIN_OWN_QUESTION_WORDS = 4


def _asks_its_own_question(tracker: Tracker, text: str | None) -> bool:
    last = final_question(text)
    if not text or not last or "?" not in last or len(words(last)) < MIN_OWN_QUESTION_WORDS:
        return False
    begins = text.rindex(last)
    named_before = all(int(e.get("start", 0)) < begins
                       for e in tracker.latest_message.get("entities") or []
                       if e.get("entity") == "procedure")
    return named_before and bool(_OWN_QUESTION.match(last))


# stem cells named: "how do they collect them" on the page is about stem cells, test or no test
STEM_CELL_WORDS = re.compile(r"\bstem\b|\bcollect\w*|\bharvest\w*|\bdonor|\btransplant",
                             re.IGNORECASE)


def takes_the_marrow(tracker: Tracker, text: str) -> bool:
    """How or where the marrow is taken out, the marrow named or just described: "ok so how do
    they actually get the marrow out" after stem cells, "do they take it out of ur back or wat"
    right after what marrow is. The test, not how stem cells are collected."""
    if STEM_CELL_WORDS.search(text) or not (
            asks_how_the_sample_is_taken(text) or asks_where_they_take_it(text)):
        return False
    return bool(MARROW_WORD.search(text)) or tracker.get_slot("topic") == "bone_marrow"
