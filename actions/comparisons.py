"""Another test named beside the marrow tests: what it is compared with ("is it worse than a blood
test?"), the test discussed compared with an everyday needle, or another test preferred or asked
about. Read by the answering action and the decline (actions/conversation.py)."""

from __future__ import annotations

import re

from rasa_sdk import Tracker

from bot.asks.definitions import generic_test_spans
from bot.asks.feelings import asks_how_it_feels
from bot.asks.how_it_is_done import asks_if_done_the_same_way, takes_the_liquid_alongside
from bot.asks.purpose import asks_if_that_is_the_reason, asks_why_it_is_needed
from bot.asks.sentences import sentences
from bot.followups import asks_what_the_next_name_is, final_question


def names_other_procedure(tracker: Tracker) -> bool:
    """The message is about another test ("a breast biopsy", "an MRI")."""
    entities = tracker.latest_message.get("entities") or []
    return any(e.get("entity") == "other_procedure" for e in entities)


# "is it worse than a blood test?": the other test is what this one is compared with
# ("then": "worse then a normal blood test", a typo)
_BASELINE = re.compile(
    r"\b(?:than|then|as|compared\s+(?:to|with)|vs\.?|versus|like)\s+(?:\w+\s+){0,3}$",
    re.IGNORECASE)


def ends_in_a_comparison(text: str) -> bool:
    """The text ends where a comparison's other side begins ("is it worse than a ", "like a ")."""
    return bool(_BASELINE.search(text))


def compares_with_another_test(tracker: Tracker) -> bool:
    """'is it worse than a blood test?', 'more painful than having blood taken': how this test
    feels, compared with the other test named; not a question about that test."""
    text = tracker.latest_message.get("text") or ""
    if not (asks_how_it_feels(text) or _WORSE.search(text) or (
            tracker.get_slot("topic") == "sensation" and _MORE_OR_LESS.search(text))):
        return False  # "more than a normal blood test?" right after how it feels
    others = [e for e in tracker.latest_message.get("entities") or []
              if e.get("entity") == "other_procedure" and "start" in e]
    # "Is it worse than a blood test? I'm fine with blood tests.": the everyday needle named
    # again is still the comparison
    baselines = [ends_in_a_comparison(text[: int(e["start"])]) for e in others]
    # "I go lightheaded even at blood draws. Is the marrow test going to be loads worse than
    # that?", "I'm fine with blood tests but ... is it worse than having blood taken": the
    # everyday needle told, then compared with
    compared = any(baselines) or bool(_THAN_THAT.search(text) or _THAN_A_NEEDLE.search(text))
    return compared and all(
        baseline or _EVERYDAY_NEEDLE.search(str(e.get("value") or ""))
        for baseline, e in zip(baselines, others, strict=True))


_THAN_THAT = re.compile(r"\bthan\s+(?:that|those|them|this|these)\b", re.IGNORECASE)
_THAN_A_NEEDLE = re.compile(
    r"\bthan\s+(?:having\s+|getting\s+|a\s+|an\s+|my\s+|the\s+|normal\s+|ordinary\s+)*(?:blood\s+"
    r"(?:taken|drawn|tests?|draws?)|jabs?|injections?|a\s+needle)\b", re.IGNORECASE)


_WORSE = re.compile(r"\b(?:worse|more\s+painful|less\s+painful|hurts?\s+more)\b", re.IGNORECASE)
_MORE_OR_LESS = re.compile(r"\b(?:more|less|worse|better|than|compared|vs|versus)\b", re.IGNORECASE)


# the test being discussed, compared with another: "is it like a blood test", "is this the same
# as a lumbar puncture"
_THIS_TEST = re.compile(
    r"^\W*(?:(?:so|and|but|ok|okay)\W+)*(?:is|was|will|would|does)\s+(?:it|this|that)\s+(?:be\s+)?"
    r"(?:\w+\s+)?(?:like|same\s+as|similar\s+to|different\s+(?:from|to|than))\b",
    re.IGNORECASE)


# what patients compare a marrow test with when they ask what it is like (another biopsy or a
# scan stays declined: the leaflets do not describe those)
_EVERYDAY_NEEDLE = re.compile(
    r"\b(?:blood\s+(?:tests?|draws?|samples?|taken)|jabs?|injections?|vaccin\w*|cannulas?|drips?)\b",
    re.IGNORECASE)


def compares_the_test_discussed(tracker: Tracker) -> bool:
    """'is it like a blood test then?': the test being discussed (the ``procedure`` slot),
    compared with an everyday needle; or 'is it done the same way as the liver one was?', with
    any other test in how it is done; not a question about that."""
    text = tracker.latest_message.get("text") or ""
    others = [str(e.get("value") or "") for e in tracker.latest_message.get("entities") or []
              if e.get("entity") == "other_procedure"]
    return tracker.get_slot("procedure") is not None and bool(others) and (
        (all(_EVERYDAY_NEEDLE.search(value) for value in others)
         and any(_THIS_TEST.search(part) for part in sentences(text)))
        or asks_if_done_the_same_way(text))


# "is an MRI better than a bone marrow biopsy?": which test is better, not how one feels
_BETTER = re.compile(r"\b(?:better|more\s+accurate|more\s+reliable)\b", re.IGNORECASE)


# "what's a lumbar puncture, is it like a bone marrow aspiration": what the other test is
_WHAT_IS = re.compile(r"\bwh?at(?:'s|\u2019s|s|\s+is|\s+are)\s+(?:an?\s+|the\s+)?$", re.IGNORECASE)


def prefers_another_test(tracker: Tracker) -> bool:
    """Whether another test (a scan, another biopsy; not an everyday needle) would be better, or
    what another test is: declined, even when the test discussed is compared with it."""
    text = tracker.latest_message.get("text") or ""
    others = [e for e in tracker.latest_message.get("entities") or []
              if e.get("entity") == "other_procedure"]
    if any("start" in e and _WHAT_IS.search(text[: int(e["start"])]) for e in others):
        return True
    return (bool(others) and bool(_BETTER.search(text))
            and not any(_EVERYDAY_NEEDLE.search(str(e.get("value") or "")) for e in others))


def asks_about_the_other_test_named_last(tracker: Tracker, text: str) -> bool:
    """"my mum had a bone marrow biopsy last week and now they want a liver biopsy, what does
    that involve", "... what is a lumbar puncture?": the test named last is another, and the
    question after it (or just before it) is about that."""
    entities = [e for e in tracker.latest_message.get("entities") or []
                if e.get("entity") in ("procedure", "other_procedure") and "start" in e]
    if not entities:
        return False
    last = max(entities, key=lambda e: int(e["start"]))
    after = text[int(last.get("end", last["start"])):]
    before = text[: int(last["start"])]
    if _ALREADY_HAD.search(re.split(r"[.?!]", before)[-1]):
        return False  # "...needs a BMA and he has already had so many blood tests. How is it done"
    # "...as well as the marrow test and I panicked. what is a lumbar puncture?"
    return last.get("entity") == "other_procedure" and (
        (bool(_ASKS_OF_IT.search(after)) and not ends_in_a_comparison(before)
         and not asks_if_that_is_the_reason(after)  # ", is that what it's checking"
         # "... at blood draws. Is the marrow test going to be loads worse than that?"
         and not (generic_test_spans(after) and _THAN_THAT.search(after)))
        or asks_what_the_next_name_is(before))


# other tests had before, told as history in their own sentence ("he has already had so many
# blood tests"): not the test the question after them asks about
_ALREADY_HAD = re.compile(
    r"\b(?:already|(?:has|have|'s|'ve)\s+had|so\s+many|lots\s+of|loads\s+of|plenty\s+of)\s+"
    r"(?:\w+\s+){0,3}$", re.IGNORECASE)


# "..., what does that involve", "... - how is it done": a question about what was just named
_ASKS_OF_IT = re.compile(
    r"^\W*(?:(?:and|so|but)\s+)?(?:what|how|is|does|will|would|can)\b[^.?!]*\b(?:that|it|this|one)\b",
    re.IGNORECASE)


# ", is that what it's checking": a question in a clause of its own after what was told
_QUESTION_CLAUSE = re.compile(
    r",\s*(?:(?:so|and|but)\s+)?(?:is|are|was|does|do|did|would|could|can|will|why|how|what)\s+"
    r"(?:that|this|it|they|these|those)\b[^,]*$", re.IGNORECASE)


def _everyday_needles_only(tracker: Tracker) -> list[dict]:
    """The other tests the message names (with offsets) when every one is an everyday needle
    (a blood test, a jab); empty otherwise."""
    others = [e for e in tracker.latest_message.get("entities") or []
              if e.get("entity") == "other_procedure" and "start" in e]
    if all(_EVERYDAY_NEEDLE.search(str(e.get("value") or "")) for e in others):
        return others
    return []


def everyday_needle_only_told(tracker: Tracker, text: str) -> bool:
    """'what happens right after they pull the needle out? i bleed a lot from normal blood
    tests': an everyday needle named only in a sentence that tells, beside a question that names
    no other test."""
    if not (others := _everyday_needles_only(tracker)):
        return False
    parts = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[^.?!]+[.?!]*", text)]

    def part_of(entity: dict) -> tuple[int, int, str] | None:
        return next((p for p in parts if p[0] <= int(entity["start"]) < p[1]), None)

    told = all((part := part_of(e)) is not None and "?" not in part[2] for e in others)
    asked = any("?" in part[2] and not any(part[0] <= int(e["start"]) < part[1] for e in others)
                for part in parts)
    return told and asked


def other_test_only_told(tracker: Tracker, text: str) -> bool:
    """"She fainted at her last blood test and she's been on edge all week. Is there anything she
    should tell them before they start?": another test named only in what the message tells
    before its final question, in a conversation about a test; the question is about that test."""
    if tracker.get_slot("procedure") is None:
        return False
    last = final_question(text)
    clause = _QUESTION_CLAUSE.search(last or text)
    if last is None and clause is None:
        return False
    asked_from = text.rfind(last) if last is not None else 0
    if clause is not None:
        asked_from += clause.start()  # "her platelets were low on the blood test, is that what..."
    return all(int(e.get("start", len(text))) < asked_from
               for e in tracker.latest_message.get("entities") or []
               if e.get("entity") == "other_procedure")


# "how is it different to the aspirate", "is it worse than the biopsy": the test being discussed
# ("it") compared with the other marrow test, named last ("is it the same with bma" is not a
# comparison: it asks the last question for the BMA)
_IT_COMPARED = re.compile(
    r"\b(?:it|this|that|this\s+one|that\s+one|mine)\s+(?:\w+\s+){0,3}?(?:(?:different|differ|"
    r"compare[sd]?)\s+(?:to|from|than|with)|(?:worse|better|more\s+\w+|less\s+\w+)\s+than|"
    r"similar\s+to|same\s+as)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)


def why_with_a_blood_test_told(tracker: Tracker, text: str) -> bool:
    """'why do i need this test, my blood test was abnormal': why the test is needed, asked in a
    clause of its own, with a blood test (an everyday needle) only told beside it (not "why do i
    need a blood test")."""
    if not (others := _everyday_needles_only(tracker)):
        return False
    why = [m for m in re.finditer(r"[^,.;!?]+", text) if asks_why_it_is_needed(m.group())]
    return bool(why) and not any(m.start() <= int(e["start"]) < m.end() for m in why
                                 for e in others)


# "is a breast biopsy done the same way as a bone marrow biopsy", "is a skin biopsy the same as a
# bone marrow biopsy": the other test is the subject, asked about (not "is a bone marrow biopsy
# anything like a breast biopsy", the marrow test asked about)
_SUBJECT_ASKED = re.compile(
    r"^\W*(?:(?:so|and|but|ok|okay|also)\W+)*(?:is|are|was|were|does|do|would|will)\s+"
    r"(?:a|an|the|my|his|her|their)?\s*$", re.IGNORECASE)
_LIKENED = re.compile(r"\b(?:same|similar|like|different|differ|compare[sd]?)\b", re.IGNORECASE)


def likens_another_test_to_ours(tracker: Tracker) -> bool:
    """The message asks whether another test is like a marrow test named after it."""
    text = tracker.latest_message.get("text") or ""
    named = sorted((int(e["start"]), int(e["end"]), e.get("entity"))
                   for e in tracker.latest_message.get("entities") or []
                   if e.get("entity") in ("procedure", "other_procedure") and "start" in e)
    if len(named) < 2 or named[0][2] != "other_procedure":
        return False
    ours = next((n for n in named if n[2] == "procedure"), None)
    return (ours is not None and bool(_SUBJECT_ASKED.match(text[:named[0][0]]))
            and bool(_LIKENED.search(text[named[0][1]:ours[0]])))


def test_discussed_before(tracker: Tracker) -> str | None:
    """The test the ``procedure`` slot held before the latest message (which may have set it)."""
    value = before = None
    for event in tracker.events:
        if event.get("event") == "user":
            before = value
        elif event.get("event") == "slot" and event.get("name") == "procedure":
            value = event.get("value")
    return str(before) if before else None


def takes_the_liquid_within(tracker: Tracker, describing: str | None, named: list[str]) -> bool:
    """'do they do the aspiration bit at the same time' while the biopsy is discussed (or "for
    the biopsy, ..."): the liquid sample taken as part of the test whose leaflet describes it
    (``describing``; ``named``: the tests the message names)."""
    if describing is None or not takes_the_liquid_alongside(tracker.latest_message.get("text")):
        return False
    return describing in named or test_discussed_before(tracker) == describing


def compared_with_the_test_discussed(
    tracker: Tracker, spans: list[tuple[int, int]], named: list[str]
) -> str | None:
    """'how is it different to the aspirate' while the biopsy is discussed: the biopsy, the
    subject of the comparison (``spans``/``named``: where the message names which tests)."""
    text = tracker.latest_message.get("text") or ""
    discussed = test_discussed_before(tracker)
    if len(spans) != 1 or len(named) != 1 or discussed in (None, named[0]):
        return None
    return discussed if _IT_COMPARED.search(text[: spans[0][0]]) else None


# "is a BMA the same as a biopsy", "how is the biopsy different from the aspiration": the test named
# first is what the question is about (not "the difference between a BMA and a BMB", "BMA vs BMB")
_COMPARED_WITH = re.compile(
    r"\b(?:same(?:\s+thing)?\s+as|similar\s+to|different\s+(?:from|to|than)|differs?\s+from|"
    r"compared?\s+(?:to|with)|like)\b", re.IGNORECASE)
_BETWEEN = re.compile(r"\b(?:between|differences?|vs\.?|versus)\b", re.IGNORECASE)


def subject_of_a_comparison(text: str, named: list[tuple[int, int, str]]) -> str | None:
    """The test a question compares with the other marrow test named after it: the first of two
    (``named``: where the message names each test, in order, with its id), when a comparison
    joins them. What each test is (its overview) says how it differs from the other."""
    tests = list(dict.fromkeys(procedure for _, _, procedure in named))
    if len(tests) != 2:
        return None
    first = named[0]
    second = next(entry for entry in named if entry[2] != first[2])
    if _BETWEEN.search(text[: second[0]]):
        return None
    return first[2] if _COMPARED_WITH.search(text[first[1]: second[0]]) else None
