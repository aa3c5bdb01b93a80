"""When a matched symptom happened: a past marker or year puts it in the past, "since the test"
starts a period lasting until now, an onset says it is happening, a "resolved" marker says it is
over."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from bot.redflags.text import _has_words

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc


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


# how many words after a match may say it happened one time, in the past
PAST_AFTER_WINDOW = 5
_ALREADY = frozenset({"already"})  # "I fainted once already": today's


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
    if match is not None:
        after = words[match[1] - start : match[1] - start + PAST_AFTER_WINDOW]
        for k, word in enumerate(after):
            if word in present:
                break  # "I fainted once today"
            if word in ctx.get("past_after_match", set()) and (
                    k + 1 >= len(after) or after[k + 1] not in present | _ALREADY):
                return True  # "I fainted during a blood test once" (not "once I stood up ...")
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


# how many words after a symptom may tell that it is over ("the feverish feeling I had after
# my flu jab went away")
RESOLVED_WINDOW = 10
# a negation just before a "resolved" marker: the symptom is NOT over
_NOT_OVER = frozenset({"not", "n't", "nt", "n\u2019t", "never", "wont", "hasnt", "havent",
                       "didnt", "doesnt", "isnt", "wasnt", "cant", "no"})


def _over(words: list[str], ctx: dict[str, Any]) -> bool:
    not_before = ctx.get("resolved_not_before", set())
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


# what a clause after "but" starts with when it goes on about the symptom: "... but it settled"
_CONTRASTS = frozenset({"but", "though"})
_BACK_REFERENCES = frozenset({"it", "that", "this", "they", "which", "he", "she", "i"})


def _resolved(doc: Doc, end: int, clause_end: int, ctx: dict[str, Any],
              sentence_end: int | None = None) -> bool:
    """'my fever went away', 'mum's fever has gone down now', 'short of breath after the stairs
    but it settled once I sat down': the symptom is over (but not 'pain going down my arm')."""
    stops = ctx.get("resolved_window_stop", set())
    words: list[str] = []
    stopped_at = None
    for i in range(end, min(end + RESOLVED_WINDOW, clause_end)):  # not past "and"
        if doc[i].lower_ in stops:
            stopped_at = i
            break
        words.append(doc[i].lower_)
    if _over(words, ctx):
        return True
    if stopped_at is None or sentence_end is None:
        return False
    if _all_clear_later(doc, end, sentence_end, ctx):
        return True
    across = ctx.get("resolved_across", set())
    j = stopped_at
    while j < sentence_end and doc[j].lower_ in across:
        j += 1
    skipped = {doc[k].lower_ for k in range(stopped_at, j)}
    if not skipped & _CONTRASTS or j >= sentence_end or doc[j].lower_ not in _BACK_REFERENCES:
        return False
    markers = ctx.get("resolved_across_markers", set())
    following = [doc[k].lower_ for k in range(j + 1, min(j + 4, sentence_end))]
    return _has_words(following, markers) and not any(w in _NOT_OVER for w in following)


# how the writer says someone is well again: "he's fine now", "it's back to normal today"
_ALL_CLEAR_VERBS = frozenset({"'s", "s", "is", "'m", "m", "am", "are", "'re", "re", "was", "were",
                              "seems", "seemed", "looks", "looked", "feels", "felt"})


_STILL = frozenset({"still", "keeps", "keep", "continues", "again"})


def _all_clear_later(doc: Doc, start: int, sentence_end: int, ctx: dict[str, Any]) -> bool:
    """Later in the sentence, a clause that says all is well again ("had a temp of 37.9 last
    night, it's back to normal today"; "a fever the night of his aspiration, GP said it was a
    cold, he's fine now"): someone or the symptom, a form of "be" or "seem", then one of
    ``resolved_all_clear`` (session 19, tests/dev/emergencies10.yml)."""
    markers = ctx.get("resolved_all_clear", set())
    for k in range(start, sentence_end - 2):
        if doc[k].lower_ in _STILL:
            return False  # "... and it's still 38.5, ..."
        if doc[k].lower_ not in _BACK_REFERENCES or doc[k + 1].lower_ not in _ALL_CLEAR_VERBS:
            continue
        following = [doc[j].lower_ for j in range(k + 2, min(k + 6, sentence_end))]
        if any(w in _NOT_OVER for w in following[:1]):
            continue  # "he's not fine now"
        if any(following[:len(m)] == list(m) for m in markers):
            return True
    return False


def _approximate_time(doc: Doc, i: int, ctx: dict[str, Any]) -> bool:
    """'about an hour', 'around 20 minutes': 'about' here is not 'asking about'."""
    units = ctx.get("time_units", set())
    following = [doc[j].lower_ for j in range(i + 1, min(i + 4, len(doc)))]
    if len(following) >= 2 and (following[0] in {"a", "an"} or following[0].isdigit()):
        return following[1] in units
    return False
