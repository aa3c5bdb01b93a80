"""What the latest message asks, read against the conversation: :func:`read_topic`, the readings
of bot/asks/ and bot/followups.py for the classifier's topic, each allowed to replace only the
topics it is taken for (the gates below). Used by the answering action, "did you mean" and the
decline (actions/conversation.py), which ask the same readings."""

from __future__ import annotations

import re

from rasa_sdk import Tracker

from actions.comparisons import (
    compared_with_the_test_discussed,
    compares_with_another_test,
    subject_of_a_comparison,
)
from actions.local_answers import CLINIC_TOPIC_SLOT
from actions.readings import (
    STEM_CELL_WORDS,
    answers_both_tests,
    answers_which_test,
    asks_if_its_site_is_usual,
    defined_term,
    knowledge_base,
    named_in_order,
    names_one_test_twice,
    names_the_test_discussed_again,
    picks_up_the_last_answer,
    procedure_spans,
    procedures_from_message,
    reacts_to_the_last_answer,
    sites_named,
    takes_the_marrow,
)
from bot.asks.circumstances import (
    PREPARATION_LOOK_ALIKES,
    asks_what_to_tell_them,
    names_a_bleeding_problem,
    names_a_risk,
    tells_own_health,
)
from bot.asks.definitions import asks_the_difference_between_the_two
from bot.asks.feelings import (
    FEELING_LOOK_ALIKES,
    asks_how_it_feels,
    asks_how_long_it_hurts,
    asks_if_an_ache_is_normal,
    expectation_part,
)
from bot.asks.how_it_is_done import (
    asks_about_both_together,
    asks_about_the_needle,
    asks_how_it_is_done,
    asks_how_it_is_performed,
    asks_how_much_they_take,
    asks_how_the_sample_is_taken,
    asks_what_happens_to_the_sample,
    asks_what_is_put_on_after,
    asks_what_they_take,
    asks_what_they_will_do,
)
from bot.asks.page import (
    asks_how_stem_cells_are_collected,
    asks_when_stem_cells_are_released,
    asks_where_stem_cells_are,
    page_next_step,
    page_step_named,
)
from bot.asks.purpose import (
    PURPOSE_LOOK_ALIKES,
    asks_about_spread_or_response,
    asks_bare_why,
    asks_if_that_is_the_reason,
    asks_what_it_can_find,
    asks_what_it_is_for,
    asks_what_it_will_show,
    asks_what_marrow_makes,
    asks_whats_that_for,
    asks_whether_too,
    asks_why_it_is_needed,
    asks_why_they_take_it_out,
)
from bot.asks.results import (
    ABNORMAL_LOOK_ALIKES,
    NOTHING_FOUND_LOOK_ALIKES,
    RESULT_TOPICS,
    asks_if_nothing_is_found,
    asks_what_a_finding_means,
    asks_what_it_may_show,
    opposite_result,
    results_part,
)
from bot.asks.risks import (
    RISK_LOOK_ALIKES,
    asks_about_catching_an_infection,
    asks_about_risks,
    asks_how_often_it_happens,
    compares_danger,
    tells_what_is_seen_at_the_site,
)
from bot.asks.sentences import question_part
from bot.asks.sites import (
    asks_about_another_place,
    asks_where_a_site_is,
    asks_where_it_is_done,
    asks_where_they_take_it,
    asks_which_bone,
    asks_why_it_is_taken_there,
)
from bot.asks.statements import is_statement
from bot.followups import (
    asks_about_another_moment,
    asks_to_say_it_again,
    final_question,
    only_asks_the_other_test,
    only_names_a_test,
    only_shifts_subject,
)
from bot.leaflet_words import (
    asks_whether_it_can_find,
    asks_which_kinds_it_finds,
    names_a_finding,
    relates_a_finding_to_the_test,
)
from bot.reactions import asks_which_kinds
from bot.topics import INFORM_INTENT, PAGE_TOPICS

BOTH_TOGETHER_LOOK_ALIKES = frozenset({None, "how_performed", "overview", "expectations"})

# The classifier topics each reading may replace: the topics it is taken for, and its own (a
# reading that agrees with the likeliest topic decides for "did you mean"); None: no topic
_FEELING_GATE = FEELING_LOOK_ALIKES | {None, "sensation"}
_SPREAD_GATE = frozenset({None, "purpose", "abnormal_results", "results"})
_WHY_KEPT = frozenset({"purpose", "preparation", "risks", "sensation"})
# "Mum's consultant said her marrow isn't making enough cells. What is bone marrow meant to
# make?": what the marrow makes, whatever the message told first
_MARROW_MAKES_GATE = frozenset({"bone_marrow", "abnormal_results", "normal_results", "purpose",
                                None})
_WHAT_IT_IS = frozenset({"overview", "alternative_names"})
# what marrow is or makes, just quoted (after stem cells, "take some out" is their collection)
_MARROW_DESCRIBED = frozenset({"bone_marrow", "blood_cells"})
# the page's answers about what marrow and its cells are, after which "and where is the marrow
# taken from in my test" is how the test takes it (not how stem cells are collected)
_WHAT_MARROW_IS = frozenset({"bone_marrow", "stem_cells", "blood_cells"})
_WORSE_OR_BETTER = re.compile(r"\b(?:worse|better|more\s+painful|hurts?\s+more)\b", re.IGNORECASE)
# what a reason or a worry told before the question is taken for: "...because her blood count came
# back odd. I'm honestly terrified... What actually happens to her on the day?"
_REASON_TOLD_GATE = frozenset({"purpose", "risks", "preparation", "abnormal_results"})
_BOTH_TOGETHER_GATE = BOTH_TOGETHER_LOOK_ALIKES | PAGE_TOPICS
_HOW_IT_IS_DONE_GATE = frozenset({None, "overview", "how_performed", "expectations",
                                  "alternative_names"})
_WHERE_TAKEN_GATE = _HOW_IT_IS_DONE_GATE | {"bone_marrow"}
_WHAT_TAKEN_GATE = _HOW_IT_IS_DONE_GATE | {"risks", "sensation"}
_TAKEN_LOOK_ALIKES = PAGE_TOPICS - {"bone_marrow"}
_WHAT_THEY_WILL_DO_GATE = _HOW_IT_IS_DONE_GATE | {"preparation"}
_SHOW_GATE = ABNORMAL_LOOK_ALIKES | {None, "abnormal_results"}
_FINDING_GATE = ABNORMAL_LOOK_ALIKES | {"abnormal_results"}
_PURPOSE_GATE = PURPOSE_LOOK_ALIKES | {"purpose"}
_RESULT_WORD = re.compile(r"\bresults?\b", re.IGNORECASE)
_PREPARATION_GATE = PREPARATION_LOOK_ALIKES | {"preparation"}
_RISK_GATE = RISK_LOOK_ALIKES | {"risks"}
_INFECTION_CAUGHT_GATE = _RISK_GATE | {"purpose", None}

# what stem cells are, asked on its own (or as the last sentence)
_WHAT_ARE_STEM_CELLS = re.compile(
    r"^\W*(?:(?:so|and|but|ok|okay|sorry)\W+)*(?:wh?at(?:'s|s)?|what\s+(?:are|is|r))\s+"
    r"(?:exactly\s+|even\s+|actually\s+|really\s+)?(?:are\s+|is\s+|r\s+)?(?:a\s+)?stem\s+cells?"
    r"(?:\s+(?:exactly|actually|then|anyway))?\W*$", re.IGNORECASE)


_SAME_OR_DIFFERENT = re.compile(r"\b(?:same|similar|different|differ|differs|compare[sd]?)\b",
                                re.IGNORECASE)


def asks_how_the_tests_differ(tracker: Tracker) -> bool:
    """'is it the same as an aspiration' while the biopsy is discussed: what each test is (not
    'is it worse than the aspiration', how it feels)."""
    text = tracker.latest_message.get("text") or ""
    spans = procedure_spans(tracker)
    named = procedures_from_message(tracker)
    # ... or the first of the two tests named, compared with the second: "how is the biopsy
    # different from the aspiration"
    return bool(_SAME_OR_DIFFERENT.search(text)) and not asks_how_it_feels(text) and (
        compared_with_the_test_discussed(tracker, spans, named) is not None
        or subject_of_a_comparison(text, named_in_order(tracker, knowledge_base().procedures()))
        is not None)


# "it", "that": a question pointing back at what the message told first
_POINTS_BACK = re.compile(r"\b(?:it|that|this|them|those)\b", re.IGNORECASE)


def _the_question_asked(text: str | None) -> str | None:
    """The message's last sentence when the sentences before only tell and it does not point back
    at them ("...her GP thinks she may have MDS. ... What is the test used to diagnose?"), else
    the whole message ("my mum has myeloma. can the biopsy pick it up?")."""
    last = final_question(text)
    return last if last and not _POINTS_BACK.search(last) else text


def read_topic(tracker: Tracker, topic: str | None) -> tuple[str | None, bool]:
    """What the latest message asks, read against the conversation, for the classifier's
    ``topic``: (the topic to answer, whether a reading of the message decided it rather than the
    classifier). None: the test was only named (the last question, for it)."""
    last_topic = tracker.get_slot("topic")
    text = tracker.latest_message.get("text")
    if flipped := opposite_result(text, last_topic):
        return flipped, True  # "and if not?" after what normal results mean
    if last_topic is not None and (answers_which_test(tracker) or answers_both_tests(tracker)):
        return None, True  # the question asked before "which test?", for that test (or both)
    if (term := defined_term(tracker)) is not None:
        return term, True  # "hematopoietic meaning": the one section that uses the word
    if last_topic is not None and only_shifts_subject(text):
        return last_topic, True  # "is it the same for children?": the last question again
    if not procedures_from_message(tracker) and (step := page_step_named(text, last_topic)):
        return step, True  # "and bone marrow?" after stem cells (session 18, blind63)
    if last_topic is not None and (
            asks_which_kinds(text) or reacts_to_the_last_answer(tracker)
            or picks_up_the_last_answer(tracker)
            or (asks_to_say_it_again(text) and tracker.get_slot(CLINIC_TOPIC_SLOT) is None)):
        return last_topic, True  # "wat kinds", "a TUBE??", "what does that stand for"
    if last_topic == "risks" and asks_how_often_it_happens(text):
        return "risks", True  # "how rare" right after the risks
    named = set(procedures_from_message(tracker))
    asked = final_question(text) or question_part(text or "")
    if (asks_the_difference_between_the_two(text) and not named) or (
            len(named) > 1 and asks_the_difference_between_the_two(asked)):
        # "...The team want a bone marrow biopsy and an aspiration on thursday. How are the two
        # different?", "im down for an aspiration AND a biopsy on the same day, whats the
        # difference between them"
        return "overview", True  # "whats the difference between the two anyway": each test
    if names_one_test_twice(tracker) or names_the_test_discussed_again(tracker):
        return "alternative_names", True  # "is a sternal tap the same thing as a BMA"
    if asks_how_the_tests_differ(tracker):
        return "overview", True  # "is it the same as an aspiration" about the biopsy
    if topic in {"transplant", "stem_cells", "bone_marrow"} and asks_how_stem_cells_are_collected(
            text):
        return "stem_cell_collection", True  # "...how they actually get the stem cells out of me"
    if topic in PAGE_TOPICS and _WHAT_ARE_STEM_CELLS.match(final_question(text) or text or ""):
        return "stem_cells", True  # "...harvesting my stem cells... What exactly are stem cells?"
    if not procedures_from_message(tracker) and (next_step := page_next_step(
            text, last_topic, tracker.get_slot("procedure") is not None)):
        return next_step, True  # "and then what do they do with them?"
    if (topic in PAGE_TOPICS | {None} and not procedures_from_message(tracker)
            and asks_when_stem_cells_are_released(text, last_topic)):
        return "stem_cells", True  # "when do the stem cells leave the marrow?"
    if not procedures_from_message(tracker) and asks_where_stem_cells_are(text, last_topic):
        return "stem_cell_collection", True  # "are there stem cells in ordinary blood"
    if asks_about_another_moment(text, last_topic) and not asks_how_it_feels(text):
        return last_topic, True  # "what about when the needle goes in?" after how it feels
    if (last_topic is not None and only_names_a_test(text, procedure_spans(tracker), last_topic)
            and not asks_how_it_is_done(text)):  # not "and what's the process for an aspiration?"
        if last_topic in _WHAT_IT_IS and _WORSE_OR_BETTER.search(text or ""):
            return "sensation", True  # "what about the biopsy, is that worse" after what it is
        return None, True  # "and on a biopsy?": the last question, for that test
    if last_topic is not None and only_asks_the_other_test(text):
        return last_topic, True  # "n the other test?": the last question, for the other test
    if (last_topic == "preparation" and topic in _PREPARATION_GATE | {None}
            and is_statement(text) and tells_own_health(text)
            and not procedures_from_message(tracker)):
        return "preparation", True  # "I also have a bleeding disorder" after the preparation
    if not compares_danger(text) and compares_with_another_test(tracker):
        return "sensation", True  # "more than a normal blood test?" after how it feels
    if topic in _FEELING_GATE and (
            asks_how_it_feels(text) or asks_how_long_it_hurts(text, last_topic)):
        return "sensation", True  # "is it worse than a blood test?"
    if topic in _INFECTION_CAUGHT_GATE and asks_about_catching_an_infection(text):
        return "risks", True  # "could the bone marrow aspiration give me an infection"
    if (topic in {"purpose", "overview"}
            and names_a_finding(_the_question_asked(text), knowledge_base())
            and not asks_about_spread_or_response(text)):
        return "abnormal_results", True  # "can the aspiration detect myeloma?"
    if (topic == "risks" and asks_which_kinds_it_finds(text)
            and not asks_about_catching_an_infection(text) and not names_a_risk(text)):
        return "abnormal_results", True  # "what kinds of infection can it find" (session 17)
    # a statement naming the test tells why it is done ("...to see if it has got into her
    # marrow", "they want to do a BMB to find out why"): what the test is, not a question
    told = ((tracker.latest_message.get("intent") or {}).get("name") == INFORM_INTENT
            and is_statement(text))
    if asks_about_spread_or_response(text) and (
            asks_whether_it_can_find(text) or asks_what_it_is_for(text)) and (
            topic in _SPREAD_GATE) and not told:
        return "purpose", True  # "could it also show whether his cancer has spread?"
    if last_topic == "purpose" and asks_whether_too(text) and asks_about_spread_or_response(text):
        return "purpose", True  # "and whether the chemo worked?" after why the test is done
    if compares_danger(text):
        return "risks", True  # "from the chest bone is more dangerous?"
    if topic in {None, "normal_results", "results"} and asks_if_an_ache_is_normal(text):
        return "sensation", True  # "my hip is proper achy now, is that normal"
    about_a_test = last_topic not in PAGE_TOPICS and bool(
        tracker.get_slot("procedure") or procedures_from_message(tracker))
    if (about_a_test or procedures_from_message(tracker)) and asks_why_it_is_taken_there(text):
        return "how_performed", True  # "is that why they take the biopsy from the hip?"
    if about_a_test and asks_bare_why(text):
        return "purpose", True  # "how come?" after "they want to do a sternal tap on me"
    if (last_topic in _MARROW_DESCRIBED and tracker.get_slot("procedure")
            and asks_why_they_take_it_out(text)):
        # "why would they want to take some of his out" after what marrow is or makes, in a
        # conversation about his test: why the test is done (after stem cells: their collection)
        return "purpose", True
    if about_a_test and (asks_why_it_is_needed(text) or asks_if_that_is_the_reason(text)) and (
            topic not in _WHY_KEPT):
        return "purpose", True  # "how come they needed a bit of his bone anyway"
    if asks_if_its_site_is_usual(tracker, about_a_test):
        return "how_performed", True  # "...going to be from his sternum, is that normal"
    if about_a_test and (asks_which_bone(text) or asks_how_the_sample_is_taken(text)
                         or asks_where_they_take_it(text)
                         or asks_where_it_is_done(text, sites_named(tracker))
                         or asks_where_a_site_is(text, sites_named(tracker))):
        return "how_performed", True  # "wat bone", "so its from my chest?" about a test
    if last_topic in _WHAT_MARROW_IS and takes_the_marrow(tracker, text):
        # "and how will they get it out of me", "do they take it out of ur back or wat" right
        # after what marrow is: "it" is the marrow, which the test takes
        return "how_performed", True
    if (topic in _WHERE_TAKEN_GATE and last_topic not in PAGE_TOPICS
            and asks_where_they_take_it(text)):
        return "how_performed", True  # "where on the body do they take the marrow from?"
    if topic in _BOTH_TOGETHER_GATE and not told and asks_about_both_together(
            final_question(text) or text):
        # "do they do both at once?" (not "booked in for a bone marrow aspiration and biopsy
        # together on monday", told: what each test is)
        return "how_performed", True
    if topic == "how_performed" and asks_what_it_can_find(text):
        return "purpose", True  # "wat can a bone marow test pick up"
    # in a conversation about a test, what is taken out is the test's sample, whatever stem-cell
    # topic the classifier heard in "taking out" ("what exactly are they taking out of him"; not
    # "what is bone marrow even, like what are they taking out", what marrow is)
    taken_gate = _WHAT_TAKEN_GATE | (
        _TAKEN_LOOK_ALIKES if about_a_test and not STEM_CELL_WORDS.search(text or "")
        else frozenset())
    if topic in taken_gate and asks_how_much_they_take(text):
        return "how_performed", True  # "how much do they take out", "a lot of marrow?"
    if topic in taken_gate and asks_what_they_take(text):
        return "overview", True  # "what is it they're actually taking out? marrow? bone?"
    if (last_topic == "how_performed" and topic in _HOW_IT_IS_DONE_GATE
            and asks_about_another_place(text)):
        return "how_performed", True  # "can they use a different one" after which bone
    if topic not in PAGE_TOPICS and asks_what_is_put_on_after(text):
        return "how_performed", True  # "will they put a dressing on after"
    if topic in _HOW_IT_IS_DONE_GATE | {"sensation"} and asks_about_the_needle(text):
        return "how_performed", True  # "What is the needle like?"
    if topic in _HOW_IT_IS_DONE_GATE and asks_how_it_is_done(text):
        return "how_performed", True  # "could you explain what it involves?"
    if topic in _HOW_IT_IS_DONE_GATE and asks_how_it_is_performed(final_question(text)):
        return "how_performed", True  # "my letter says ... how is the trephine bit done"
    if (topic in _REASON_TOLD_GATE and (question := final_question(text))
            and asks_how_it_is_done(question) and not asks_why_it_is_needed(question)):
        # "...the haematologist wants to check her marrow. What will they actually do to her?":
        # the question asked after the reason told
        return "how_performed", True
    if (topic in _REASON_TOLD_GATE and (question := final_question(text))
            and asks_about_risks(question)):
        return "risks", True  # "...to see why his blood counts are low. Is it risky at his age?"
    if topic in _WHAT_THEY_WILL_DO_GATE and asks_what_they_will_do(text):
        return "how_performed", True  # "...what they're actually going to do to him"
    if last_topic not in PAGE_TOPICS and asks_what_happens_to_the_sample(text):
        return "how_performed", True  # "what do they do with the sample?"
    if topic in _SHOW_GATE and asks_what_it_will_show(text):
        return "purpose", True  # "what will it show", "what might it find"
    if (topic in _SHOW_GATE or (topic == "risks" and not names_a_risk(text)
                                and not asks_about_catching_an_infection(text))) and (
            asks_what_it_may_show(text)):  # "what conditions can turn up on an aspirate"
        return "abnormal_results", True  # "what kind of things can they find from it"
    if (topic in _FINDING_GATE or (about_a_test and topic in {None, "bone_marrow"})) and (
            asks_what_a_finding_means(text)):
        return "abnormal_results", True  # "what does that mean then, if they do find it"
    results_unnamed = topic == "results" and not _RESULT_WORD.search(text or "")
    # "and why the platelets? what are they actually looking for" about a test: its blood-cell
    # words are what the test looks at, not the question
    cells_of_a_test = about_a_test and topic in {"blood_cells", "bone_marrow"}
    if (topic in _PURPOSE_GATE or results_unnamed or cells_of_a_test) and asks_what_it_is_for(text):
        return "purpose", True  # "wat is the trephine actually for?"
    if (topic in _PURPOSE_GATE | {None} and (about_a_test or procedures_from_message(tracker))
            and asks_whats_that_for(text)):
        return "purpose", True  # "...having an aspiration from her hip next week, what's that for"
    if topic in _PREPARATION_GATE and names_a_bleeding_problem(text):
        return "preparation", True  # "what if i have a bleeding disorder" (session 17)
    if topic in _PREPARATION_GATE and asks_what_to_tell_them(text):
        return "preparation", True  # "is that something to bring up before her BMA?"
    if topic is None and relates_a_finding_to_the_test(text, knowledge_base()):
        return "abnormal_results", True  # "MDS and bone marrow biopsy", taken for the test named
    if topic is None and asks_whether_it_can_find(text) and not told:
        if (names_a_finding(text, knowledge_base())
                and not asks_about_spread_or_response(text)):
            return "abnormal_results", True  # "can it pick up myeloma", taken for a near miss
        return "purpose", True  # "can the biopsy confirm it?", taken for the test only named
    if topic in _RISK_GATE | {"sensation"} and tells_what_is_seen_at_the_site(text):
        return "risks", True  # "theres a small spot of blood on it, is that expected"
    asked = final_question(text) or text or ""
    if (topic == "bone_marrow" and asks_what_marrow_makes(text)) or (
            topic in _MARROW_MAKES_GATE and not procedures_from_message(tracker)
            and "marrow" in asked.lower() and asks_what_marrow_makes(asked)):
        return "blood_cells", True  # "what the marrow is making?"
    if topic in _RISK_GATE and asks_about_risks(text):
        return "risks", True  # "what should I watch out for after?", "complications?"
    if topic == "expectations":
        return expectation_part(text), False  # "what's it like having a BMA?": how it feels
    if topic in NOTHING_FOUND_LOOK_ALIKES and asks_if_nothing_is_found(text):
        return "normal_results", True  # "what if they find nothing wrong"
    if topic == "results":
        part = results_part(text)  # "what are they hoping to see in a good result?"
        if part == "results" and last_topic in RESULT_TOPICS:
            return last_topic, False  # "does the aspiration show that too?" after abnormal
        return part, False
    return topic, False
