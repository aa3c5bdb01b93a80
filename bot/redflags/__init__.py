"""Deterministic red-flag detection: runs on every message before any ML.

The patterns live in ``bot/vocabulary/red_flags.yml`` (written to be read and edited by
clinical staff; the file explains its small pattern language). They are compiled here into a
spaCy ``Matcher`` over ``LOWER`` and ``LEMMA`` using the project's own pipeline
(``bot.nlp``), so inflections ("bled", "hurts") and listed typos ("bleedin") match.

Before matching, :func:`normalize_text` makes phone-typed messages look like what the patterns
expect (all of it configured in the ``typos:`` section of red_flags.yml):

* lower case, straight quotes, "sooo" -> "soo", a space after "," / "?" / "." glued to the
  next word ("biopsy,now");
* shorthand replaced as whole words ("thru" -> "through", "rly" -> "really", "v" -> "very");
* a misspelt *key word* corrected ("feverr", "bleedding", "brething" -> "fever", "bleeding",
  "breathing"): a word of 4+ letters that is not a known word (red_flags.yml ``real_words``
  plus every word the rules file mentions) and is within edit distance 1 of a key word, with
  the same first letter. Key words of 8+ letters allow 2 edits when the first three letters
  agree and the word is at most one letter longer. Real words near key words ("feed",
  "fewer", "breach", "pail") are never changed.

A match only counts if its context says the person is reporting something happening now:

* negated matches do not count ("no fever", "I'm not bleeding a lot");
* *phrases* do not count in a question ("can it cause heavy bleeding?"), after "if"
  ("what if I get a fever?"), next to "risk/chance/side effect", or after words like
  "will/worried/might";
* *reports* ("it won't stop bleeding", "I have a fever") count even inside a question
  ("is it normal that I have a fever?"), but not after "if" or in an inverted question
  ("will I have a fever?", "will the dressing soak through?": the auxiliary may come before
  the subject) - except after "why" ("why does it keep bleeding?" is about something that is
  happening);
* a statement followed by a separate question counts ("the site is oozing pus, is that
  normal?", "what can I take, the pain is unbearable"); a verbless one does not ("fever after
  a biopsy, is that common?");
* ``always`` categories (suicidal) count everywhere unless negated;
* a past-time marker in the clause ("last week", "years ago") makes a match history, unless
  it starts a period lasting until now ("since last week") or "now / today / still" comes
  between it and the match ("I had the biopsy last week and now I have a fever");
* a symptom followed by its end ("my fever went away", "has gone down") does not count;
* a pattern entry ``{pattern: ..., unless_next: [words]}`` does not count when the next word
  is one of those ("she's not responding" vs "she's not responding to the antibiotics").

Public API: :class:`RedFlag`, :func:`detect`, :func:`detect_doc`, :func:`emergency_reply`,
:data:`CATEGORIES`."""

from __future__ import annotations

from bot.redflags.api import can_reuse_doc, detect, detect_doc, emergency_reply
from bot.redflags.model import CATEGORIES, RULES_FILE, RedFlag, RulesError
from bot.redflags.patterns import load_rules
from bot.redflags.text import correct_word, normalize_text

__all__ = [
    "CATEGORIES",
    "RULES_FILE",
    "RedFlag",
    "RulesError",
    "can_reuse_doc",
    "correct_word",
    "detect",
    "detect_doc",
    "emergency_reply",
    "load_rules",
    "normalize_text",
]
