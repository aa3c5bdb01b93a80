"""Does a match count? Negations, questions about the general case, the past, other people, and the
rules' exceptions.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

from bot.redflags.model import ALWAYS, REPORT
from bot.redflags.patterns import _Rules
from bot.redflags.text import _SUBJECT_PRONOUNS, _Structure

# --------------------------------------------------------------------------------------------
# Does a match count?
# --------------------------------------------------------------------------------------------


def _negated(doc: Doc, start: int, clause_start: int, window: int, ctx: dict[str, Any]) -> bool:
    negations = ctx.get("negations", set())
    ignored_after = ctx.get("negation_ignored_before", set())
    raising = ctx.get("negation_raising", set())
    restart = ctx.get("declarative_restart", set()) | ctx.get("first_person", set())
    continuing = ctx.get("negation_continuing", set())
    for i in range(start - 1, clause_start - 1, -1):
        word = doc[i].lower_
        if word not in negations:
            continue
        following = doc[i + 1].lower_ if i + 1 < len(doc) else ""
        if following in ignored_after:
            continue  # "I don't know, ..."
        if following in continuing or (
            word in continuing and any(doc[j].lower_ in negations for j in range(max(0, i - 2), i))
        ):
            continue  # "can't stop shaking", "hasn't stopped bleeding": it goes on
        if word == "no" and following in restart:
            continue  # "no I'm bleeding a lot": an answer, not a negation
        if start - i <= window or following in raising:
            return True  # "no fever" / "I don't think I have a fever"
    return False


def _has_words(words: list[str], markers: set[tuple[str, ...]]) -> bool:
    return any(
        tuple(words[i : i + len(marker)]) == marker
        for marker in markers
        for i in range(len(words) - len(marker) + 1)
    )


def _happening_now(doc: Doc, begin: int, end: int, ctx: dict[str, Any]) -> bool:
    """After a conditional word: the rest of the message says it is happening now, and nothing
    in it says later ("if I've got a temperature of 38.5 now", "if it keeps filling with
    blood" vs "if it starts bleeding when I get home")."""
    words = [doc[i].lower_ for i in range(begin, end)]
    return _has_words(words, ctx.get("conditional_present", set())) and not _has_words(
        words, ctx.get("conditional_future", set())
    )


def about_someone_elses_test(doc: Doc, ctx: dict[str, Any]) -> bool:
    """The message tells how someone else's test went and asks about one's own, with nothing
    said to be happening now ("my dad bled a lot after his, should I be worried for mine?", "my
    friend's was agony, will mine be too?"): a story, not a report."""
    words = [token.lower_ for token in doc]
    return (
        _has_words(words, ctx.get("other_test_markers", set()))
        and _has_words(words, ctx.get("own_test_markers", set()))
        and not _has_words(words, ctx.get("story_present_markers", set()))
    )


def _near_miss(
    doc: Doc, start: int, clause: tuple[int, int], sentence: tuple[int, int], ctx: dict[str, Any]
) -> bool:
    """"I nearly fainted when I saw the parking bill": it nearly happened, as a reaction."""
    before = ctx.get("near_miss_before", set())
    if not any(doc[i].lower_ in before for i in range(clause[0], start)):
        return False
    if any(doc[i].lower_ in ctx.get("near_miss_now", set()) for i in range(*clause)):
        return False
    words = [doc[i].lower_ for i in range(*sentence)]
    return _has_words(words, ctx.get("near_miss_reactions", set()))


def _conditional(
    doc: Doc,
    start: int,
    clause_start: int,
    in_question: bool,
    ctx: dict[str, Any],
    message_end: int | None = None,
) -> bool:
    conditionals = ctx.get("conditionals", set())
    question_conditionals = ctx.get("question_conditionals", set())
    for i in range(clause_start, start):
        word = doc[i].lower_
        previous = doc[i - 1].lower_ if i > 0 else ""
        if word in conditionals:
            if word == "if" and previous in {"as", "like"}:
                continue  # "it feels as if ..."
            if message_end is not None and _happening_now(doc, i + 1, message_end, ctx):
                continue
            return True
        if word == "case" and previous == "in":
            return True
        if in_question and word in question_conditionals:
            return True
    return False


def _past_year(doc: Doc, sentence_start: int, match: tuple[int, int], clause_end: int,
               ctx: dict[str, Any]) -> bool:
    """"in / back in" a year before this one, in the match's clause or earlier in its sentence
    with nothing between it and the match saying now: "I fainted in 2019", "I had a bone marrow
    aspiration in 2019 which was very painful, and I fainted in the corridor afterwards"
    (tests/dev/blind29_conversations.yml)."""
    this_year = date.today().year
    present = ctx.get("present_markers", set())
    for i in range(sentence_start + 1, clause_end):
        word = doc[i].lower_
        if doc[i - 1].lower_ == "in" and word.isdigit() and 1900 <= int(word) < this_year:
            return not any(doc[j].lower_ in present for j in range(i + 1, match[0]))
    return False


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


def _minimized(doc: Doc, start: int, end: int, clause: tuple[int, int],
               ctx: dict[str, Any]) -> bool:
    """Bleeding told as a little, with nothing in the clause saying it goes on or grows: "a
    little bit of bleeding coming through the plaster, normal?"."""
    words = [doc[i].lower_ for i in range(clause[0], start)]
    if not _has_words(words, ctx.get("minimized_before", set())):
        return False
    unless = ctx.get("minimized_unless", set())
    return not any(doc[i].lower_ in unless for i in range(clause[0], clause[1]) if
                   not start <= i < end)


MAX_ANXIOUS_HABIT_GAP = 4


def _anxious_habit(doc: Doc, start: int, end: int, clause_end: int, ctx: dict[str, Any]) -> bool:
    """"i get short of breath when im anxious": a symptom told as a habit of anxiety."""
    verbs = ctx.get("anxious_habit_verbs", set())
    if not any(doc[i].lower_ in verbs for i in range(max(start - 2, 0), end)):
        return False
    links = ctx.get("anxious_habit_links", set())
    for i in range(end, min(clause_end, len(doc))):
        if doc[i].lower_ in links:
            stop = min(i + 1 + MAX_ANXIOUS_HABIT_GAP, len(doc))
            words = [doc[j].lower_ for j in range(i + 1, stop)]
            return _has_words(words, ctx.get("anxious_states", set()))
    return False


def _ends_in_the_past(words: list[str], ctx: dict[str, Any]) -> bool:
    """The clause ends with a past marker: "I've fainted at jabs before"."""
    words = [word for word in words if any(ch.isalnum() for ch in word)]
    for marker in ctx.get("past_markers_at_end", set()):
        size = len(marker)
        if len(words) > size and tuple(words[-size:]) == marker:
            perfect = any(word in ctx.get("past_at_end_perfect", set()) for word in words)
            if "never" in words:
                return False  # "I've never bled like this before": a first, now
            return perfect and words[-size - 1] not in ctx.get("past_at_end_not_after", set())
    return False


MAX_SINCE_THE_TEST = 8


def _dates_the_test_since(before: list[str], since: set[str], ctx: dict[str, Any]) -> bool:
    """The words before a past marker are "since" and then the test: the marker dates the test,
    the start of a period that lasts until now ("since the biopsy on monday")."""
    tests = ctx.get("chronic_tied_to_test", set())
    at = next((k for k in range(len(before) - 1, -1, -1) if before[k] in since), None)
    return at is not None and any(word in tests for word in before[at + 1:])


def _has_past_marker(
    doc: Doc, start: int, end: int, ctx: dict[str, Any], match: tuple[int, int] | None = None
) -> bool:
    """A past-time marker in the clause ("years ago", "last week") puts the match in the past,
    unless it is the start of a period lasting until now ("since last week", "for weeks now")
    or the clause moves on to now between the marker and the match ("I had the biopsy last
    week and now I have a fever")."""
    words = [doc[i].lower_ for i in range(start, end)]
    if _ends_in_the_past(words, ctx):
        return True  # "I've fainted at jabs before"
    since = ctx.get("past_marker_since", set())
    present = ctx.get("present_markers", set())
    continuing = ctx.get("continuing_markers", set())
    for marker in ctx.get("past_markers", set()):
        size = len(marker)
        for i in range(len(words) - size + 1):
            if tuple(words[i : i + size]) != marker:
                continue
            if i > 0 and words[i - 1] in since:
                continue  # "since last week", "ever since as a child"
            if _dates_the_test_since(words[max(0, i - MAX_SINCE_THE_TEST): i], since, ctx):
                continue  # "chills since my son's bone marrow biopsy on monday"
            if any(word in continuing for word in words[i + size :]):
                continue  # "my fever started last week and is still high"
            if match is not None:
                if match[0] <= start + i < match[1]:
                    continue  # "bleeding last week and it hasn't stopped"
                if start + i < match[0]:
                    between = words[i + size : match[0] - start]
                    if any(word in present for word in between):
                        continue  # "... last week and now I have a fever"
            return True
    return False


# the symptom has started or is getting worse: "started this morning", "it's getting sharper"
ONSET = re.compile(
    r"\b(?:started|starting|began|begun|came\s+on|come\s+on)\b[^.?!]{0,30}?"
    r"\b(?:this\s+(?:morning|afternoon|evening)|tonight|today|just\s+now|last\s+night|"
    r"(?:an?|\d+|few|couple\s+of)\s+(?:hours?|hrs?|minutes?|mins?)\s+ago)\b"
    r"|\b(?:getting|got|gotten|becoming|growing)\s+(?:worse|sharper|stronger|tighter|heavier|"
    r"more\s+painful)\b",
    re.IGNORECASE,
)


# a negation just before a "resolved" marker: the symptom is NOT over
_NOT_OVER = frozenset({"not", "n't", "nt", "n\u2019t", "never", "wont", "hasnt", "havent",
                       "didnt", "doesnt", "isnt", "wasnt", "cant", "no"})


def _resolved(doc: Doc, end: int, clause_end: int, ctx: dict[str, Any]) -> bool:
    """'my fever went away', 'mum's fever has gone down now': the symptom is over (but not
    'pain going down my arm')."""
    not_before = ctx.get("resolved_not_before", set())
    stops = ctx.get("resolved_window_stop", set())
    words: list[str] = []
    for i in range(end, min(end + 6, clause_end)):  # up to 6 words, not past "and"
        if doc[i].lower_ in stops:
            break
        words.append(doc[i].lower_)
    for marker in ctx.get("resolved_after", set()):
        size = len(marker)
        for i in range(len(words) - size + 1):
            if tuple(words[i : i + size]) != marker:
                continue
            if i + size < len(words) and words[i + size] in not_before:
                continue
            if any(w in _NOT_OVER for w in words[max(0, i - 3) : i]):
                continue  # "won't go away", "hasn't stopped", "never went down": not over
            return True
    return False


def _approximate_time(doc: Doc, i: int, ctx: dict[str, Any]) -> bool:
    """'about an hour', 'around 20 minutes': 'about' here is not 'asking about'."""
    units = ctx.get("time_units", set())
    following = [doc[j].lower_ for j in range(i + 1, min(i + 4, len(doc)))]
    if len(following) >= 2 and (following[0] in {"a", "an"} or following[0].isdigit()):
        return following[1] in units
    return False


def _inverted(doc: Doc, start: int, clause_start: int, ctx: dict[str, Any]) -> bool:
    """'will I have a fever', 'will blood gush out': an auxiliary right before the match, or
    before its subject ('will the dressing soak through', 'does the dressing get soaked').
    Not after 'why' ('why does it keep bleeding' asks about something that IS happening)."""
    subject = ctx.get("inverted_subject_words", set())
    i, steps = start - 1, 0
    while i >= clause_start and steps < 4 and doc[i].lower_ in subject:
        i, steps = i - 1, steps + 1
    if i < 0:
        return False
    aux = doc[i].lower_
    if aux not in ctx.get("inverted_before", set()):
        return False
    before = doc[i - 1].lower_ if i >= 1 else ""
    if before in ctx.get("presupposing_openers", set()) and aux in {"do", "does", "did"}:
        return False
    # "what should I do I have a fever": 'do' is the main verb of the earlier question.
    return before not in _SUBJECT_PRONOUNS


def _worried(doc: Doc, start: int, clause_start: int, ctx: dict[str, Any]) -> bool:
    worry = ctx.get("worry_before", set())
    reset = ctx.get("worry_reset", set())
    worried = False
    for i in range(clause_start, start):
        word = doc[i].lower_
        if word in worry:
            worried = True
        elif word in reset:
            worried = False
    return worried


def _counts(
    doc: Doc,
    start: int,
    end: int,
    kind: str,
    category: str,
    rules: _Rules,
    structure: _Structure,
    unless_next: frozenset[str] = frozenset(),
    onset: bool = False,
) -> bool:
    """``onset``: the message also says the symptom has started or is getting worse ("Is it
    normal to have chest pain when I breathe in? Started this morning and it's getting
    sharper"), so a question about it (in ``onset_categories``) is about what is happening."""
    ctx = rules.context
    onset = onset and category in ctx.get("onset_categories", set())
    if end < len(doc) and doc[end].lower_ in ctx.get("not_followed_by", set()):
        return False
    if end < len(doc) and doc[end].lower_ in unless_next:
        return False
    following = end + int(end < len(doc) and doc[end].lower_ in ctx.get("object_determiners", ()))
    if following < len(doc) and doc[following].lower_ in ctx.get("not_followed_by_object", ()):
        return False  # "passed out the leaflets"
    clause = structure.clause_of[start]
    clause_start, clause_end = structure.clause_bounds[clause]
    sentence = structure.sentence_of[start]
    window = rules.negation_window.get(category, ctx.get("negation_window", 3))
    if _negated(doc, start, clause_start, window, ctx):
        return False
    if kind == ALWAYS:
        return True
    hearsay = ctx.get("hearsay_before", set())
    if any(doc[i].lower_ in hearsay for i in range(clause_start, start)):
        return False  # "people online say it's agony"
    if _has_past_marker(doc, clause_start, clause_end, ctx, (start, end)):
        return False  # "my mum fainted during her biopsy years ago"
    if _investigated(doc, clause_start, clause_end, start, ctx):
        return False  # "they think an infection is behind my fevers"
    if _chronic(doc, clause_start, clause_end, structure.sentence_bounds[sentence][1], ctx):
        return False  # "I've had fevers on and off for weeks that nobody can explain"
    if _investigated_after(doc, end, structure.sentence_bounds[sentence],
                           (clause_start, clause_end), ctx):
        return False  # "... and now they say I need a biopsy to find out why"
    if _asks_how_the_test_helps(doc, start, end, (clause_start, clause_end), ctx):
        return False  # "he's had on and off fevers too, how would the aspiration help"
    if category == "bleeding" and _minimized(doc, start, end, (clause_start, clause_end), ctx):
        return False  # "a little bit of bleeding coming through the plaster, normal?"
    if start > 0 and doc[start - 1].lower_ in ctx.get("not_preceded_by", set()):
        return False  # "the iron tablets did nothing"
    if _anxious_habit(doc, start, end, clause_end, ctx):
        return False  # "i get short of breath when im anxious"
    if _past_year(doc, structure.sentence_bounds[sentence][0], (start, end), clause_end, ctx):
        return False  # "I had an aspiration in 2019 ..., and I fainted in the corridor"
    if _resolved(doc, end, clause_end, ctx):
        return False  # "my fever went away"
    sentence_start, sentence_end = structure.sentence_bounds[sentence]
    if _near_miss(doc, start, (clause_start, clause_end), (sentence_start, sentence_end), ctx):
        return False  # "I nearly fainted when I saw the parking bill"
    in_question = structure.sentence_question[sentence]
    if _conditional(doc, start, clause_start, in_question, ctx, len(doc)):
        return False
    if kind == REPORT:
        if _inverted(doc, start, clause_start, ctx):
            return False
        # "I'm worried my temp is 38.6": a measured number is a fact, not a worry.
        measured = any(ch.isdigit() for ch in doc[start:end].text)
        # "should I be worried that I can't catch my breath?": the worry is the question's
        presupposed = structure.sentence_presupposes[sentence]
        return measured or presupposed or not _worried(doc, start, clause_start, ctx)
    # PHRASE
    if structure.clause_interrogative[clause] and not onset:
        return False
    before = ctx.get("hypothetical_before", set())
    if any(
        doc[i].lower_ in before and not _approximate_time(doc, i, ctx)
        for i in range(clause_start, start)
    ) or _has_words([doc[i].lower_ for i in range(clause_start, start)],
                    ctx.get("hypothetical_phrases_before", set())):
        return False  # "I don't want to end up with a serious bleed"
    after = ctx.get("hypothetical_after", set())
    # "serious bleeding or infection is rare": past a second symptom joined by or / and
    following = end + 2 if end + 1 < clause_end and doc[end].lower_ in {"or", "and"} else end
    if any(doc[i].lower_ in after for i in range(following, min(following + 3, clause_end))):
        return False
    asks_how_often = _has_words([doc[i].lower_ for i in range(end, sentence_end)],
                                ctx.get("how_often_after", set()))
    if (
        not onset
        and (structure.sentence_qmark[sentence] or asks_how_often)
        and not structure.sentence_question[sentence]
        and not structure.sentence_first_person[sentence]
        and (structure.clause_qmark[clause] or not structure.clause_statement[clause])
    ):
        # "heavy bleeding after a biopsy?", "fever after a biopsy, is that common?": a
        # search-style question; but "the site is oozing pus, is that normal?" is a statement
        # followed by a question.
        return False
    return True
