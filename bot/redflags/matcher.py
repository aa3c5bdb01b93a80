"""Does a match count? Negations, questions about the general case, other people, and the
rules' exceptions; when it happened is read in bot/redflags/timing.py, a symptom told as the
reason for the test in bot/redflags/reasons.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

from bot.redflags.model import ALWAYS, REPORT
from bot.redflags.patterns import _Rules
from bot.redflags.reasons import (
    _asks_how_the_test_helps,
    _chronic,
    _investigated,
    _investigated_after,
    _test_wanted_after,
)
from bot.redflags.text import _SUBJECT_PRONOUNS, _has_words, _Structure
from bot.redflags.timing import _approximate_time, _has_past_marker, _past_year, _resolved

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


def _hearsay_told(doc: Doc, clause_start: int, sentence: tuple[int, int], start: int,
                  ctx: dict[str, Any]) -> bool:
    """Before the symptom in its clause, someone's account of how a test went ("said it was"),
    with nothing in the sentence saying now."""
    present = ctx.get("present_markers", set())
    if any(doc[i].lower_ in present for i in range(*sentence)):
        return False
    words = [doc[i].lower_ for i in range(clause_start, start)]
    return _has_words(words, ctx.get("hearsay_phrases_before", set()))


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
    if _hearsay_told(doc, clause_start, structure.sentence_bounds[sentence], start, ctx):
        return False  # "my friend had one and said it was the worst pain of her life"
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
    sentence_start, sentence_end = structure.sentence_bounds[sentence]
    if _resolved(doc, end, clause_end, ctx, sentence_end):
        return False  # "my fever went away", "... but it settled"
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
    if _test_wanted_after(doc, end, structure.sentence_bounds[sentence],
                          (clause_start, clause_end), ctx):
        return False  # "...tired and breathless, so now they want to do a bone marrow test"
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
