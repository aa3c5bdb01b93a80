"""A symptom told as the reason for the test, not as a complication of it: what the test is to
find out, how it would help, a symptom that has gone on for weeks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

from bot.redflags.text import _has_words


def _investigated(doc: Doc, clause_start: int, clause_end: int, start: int,
                  ctx: dict[str, Any]) -> bool:
    """Before the symptom, what the test looks for the cause of, with nothing in the clause
    saying now: "they think an infection is behind my fevers"."""
    present = ctx.get("present_markers", set())
    if any(doc[i].lower_ in present for i in range(clause_start, clause_end)):
        return False
    words = [doc[i].lower_ for i in range(clause_start, start)]
    return _has_words(words, ctx.get("investigated_before", set()))


def _investigated_after(doc: Doc, end: int, sentence: tuple[int, int], clause: tuple[int, int],
                        ctx: dict[str, Any]) -> bool:
    """After the symptom in its sentence, a test named and then what it is to find out: "my gums
    keep bleeding and now they're saying I need a bone marrow biopsy to find out why"."""
    sentence_start, sentence_end = sentence
    tests = ctx.get("chronic_tied_to_test", set())
    test_site = ctx.get("test_site_words", set())
    if _tied_to_the_test(doc, *clause, ctx) or any(
            doc[i].lower_ in test_site or (i < end and doc[i].lower_ in tests)
            for i in range(sentence_start, sentence_end)):
        return False  # "bleeding heavily from the biopsy site, do I need a test to find out why"
    named = next((i for i in range(end, sentence_end) if doc[i].lower_ in tests), None)
    if named is None:
        return False
    words = [doc[i].lower_ for i in range(named + 1, sentence_end)]
    return _has_words(words, ctx.get("investigated_after", set()))


MAX_HOW_IT_HELPS_GAP = 5


def _asks_how_the_test_helps(doc: Doc, start: int, end: int, clause: tuple[int, int],
                             ctx: dict[str, Any]) -> bool:
    """After the symptom, "how would the aspiration help": the symptom is what the test is to
    explain ("he's had on and off fevers too, how would the aspiration help"), unless its clause
    ties it to the test or says now, or the clause measures it ("fevers up to 39")."""
    if _tied_to_the_test(doc, *clause, ctx) or any(
            ch.isdigit() for ch in doc[clause[0]:clause[1]].text):
        return False
    present = ctx.get("present_markers", set())
    if any(doc[i].lower_ in present for i in range(*clause)):
        return False
    tests = ctx.get("chronic_tied_to_test", set())
    modals = ctx.get("how_it_helps_modals", set())
    verbs = ctx.get("how_it_helps_verbs", set())
    for i in range(end, len(doc) - 1):
        if doc[i].lower_ != "how" or doc[i + 1].lower_ not in modals:
            continue
        for j in range(i + 2, min(i + 2 + MAX_HOW_IT_HELPS_GAP, len(doc))):
            if doc[j].lower_ in tests:
                return any(doc[k].lower_ in verbs for k in range(j + 1, min(j + 3, len(doc))))
    return False


def _tied_to_the_test(doc: Doc, clause_start: int, clause_end: int, ctx: dict[str, Any]) -> bool:
    """"since the biopsy", "after the test" in the clause: a complication of the test."""
    tied = ctx.get("chronic_tied_to_test", set())
    return any(
        doc[i].lower_ in {"since", "after"} and any(
            doc[j].lower_ in tied for j in range(i + 1, min(i + 4, clause_end)))
        for i in range(clause_start, clause_end))


def _chronic(doc: Doc, clause_start: int, clause_end: int, sentence_end: int,
             ctx: dict[str, Any]) -> bool:
    """The clause says the symptom has gone on for weeks or nobody can explain it, and does not
    tie it to the test: the reason for the test, not a complication of it. Unless the rest of
    the sentence measures it or says today ("on and off all winter and today it's 39.5");
    "and now they want a biopsy" is the test, not the symptom."""
    words = [doc[i].lower_ for i in range(clause_start, clause_end)]
    if not _has_words(words, ctx.get("chronic_markers", set())):
        return False
    today = ctx.get("present_markers", set()) - {"now"}
    if any(doc[i].lower_ in today or any(ch.isdigit() for ch in doc[i].text)
           for i in range(clause_start, sentence_end)):
        return False
    return not _tied_to_the_test(doc, clause_start, clause_end, ctx)


def _test_wanted_after(doc: Doc, end: int, sentence: tuple[int, int], clause: tuple[int, int],
                       ctx: dict[str, Any]) -> bool:
    """After the symptom in its sentence, "so now the hospital want to do a bone marrow test": the
    symptom is why a test is wanted ("she's been really tired and breathless and her bloods came
    back strange, so now the hospital want to do a bone marrow test"), unless the sentence names
    a test or its site before, or the symptom's clause says now."""
    sentence_start, sentence_end = sentence
    tests = ctx.get("chronic_tied_to_test", set())
    test_site = ctx.get("test_site_words", set())
    present = ctx.get("present_markers", set())
    if _tied_to_the_test(doc, *clause, ctx) or any(
            doc[i].lower_ in test_site or (i < end and doc[i].lower_ in tests)
            for i in range(sentence_start, sentence_end)) or any(
            doc[i].lower_ in present for i in range(*clause)):
        return False
    words = [doc[i].lower_ for i in range(end, sentence_end)]
    connectors = ctx.get("test_wanted_connectors", set())
    wanting = ctx.get("test_wanted_verbs", set())
    for i in range(len(words)):
        if not any(tuple(words[i:i + len(c)]) == c for c in connectors):
            continue
        verb = next((j for j in range(i + 1, len(words)) if words[j] in wanting), None)
        return verb is not None and any(w in tests for w in words[verb + 1:])
    return False
