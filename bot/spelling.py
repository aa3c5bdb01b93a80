"""Words typed with a slip, read as the words meant.

Patients type on phones: "dose it hert", "is the bma dangrous", "wheer do they put the neelde".
Both the sentence encoder and the classifier's n-grams read the message through
:func:`spelling_read` (bot.featurizers.neutral_text), so a slip does not move the question to
another topic. Two readings, both for a word that is not an English word itself:

* a topic's key word typed with one slip is that key word (:data:`TOPIC_KEY_WORDS`), from 4 letters;
* any other word of 5+ letters one slip away from a common English word is the most frequent
  such word (bot/vocabulary/common_words.txt lists them most frequent first), unless it is an
  English word itself. English words are the word forms of spaCy's lemma tables
  (``spacy-lookups-data``, from WordNet: no slips in them, unlike the web's word frequencies,
  which list "tomorow" and "pregancy"); bot/vocabulary/uncommon_words.txt keeps those one slip
  from a common word ("sternal", "woozy", "nodule"), written by ``python -m bot.spelling``.
"""

from __future__ import annotations

import re
import string
from functools import lru_cache
from pathlib import Path

from bot.nlp import load_vocabulary
from bot.rare_words import COMMON_WORDS_FILE, common_words, lookups_table, one_edit

# A topic's key word typed with one slip ("dose it hert", "is it panful", "is the bma dangrous"),
# read as that word. Only a word that is not an English word itself (bot.rare_words.
# common_words) and only for these words: the topics' own vocabulary, long enough that one slip
# still says which word was meant.
TOPIC_KEY_WORDS = (
    "hurt", "hurts", "painful", "pain", "sore", "dangerous", "risky", "risks", "bleeding",
    "bleed", "infection", "infected", "prepare", "preparation", "normal", "abnormal", "results",
    "result", "needle", "numbing", "anaesthetic", "anesthetic", "sedation", "sedated", "asleep",
    "procedure", "transplant", "collected", "collect", "platelets", "uncomfortable", "diagnose",
    # session 18 (tests/dev/blind62: "complicatons from bone marow biopsy?", "white cels"): the
    # words of the risks, the page and the tests' names
    "complications", "complication", "cells", "types", "marrow", "blood", "expect", "biopsy",
    "aspiration", "trephine",
    # session 19 (tests/dev/blind65: "how to get redy for bone marrow aspirtion"): getting ready,
    # recovering, the sample, bruising
    "ready", "recovery", "recover", "sample", "bruise", "bruising",
    # their other forms, kept as typed
    "bleeds", "anaesthetics", "preparations", "transplants", "platelet", "sedate", "procedures",
    "aspirations", "biopsies", "bloods", "marrows", "cell", "type", "expects", "trephines",
    "samples", "sampled", "bruises", "bruised", "recovers", "recovered", "recovering",
)
_LONG_WORD = re.compile(r"\b[a-z]{4,}\b", re.IGNORECASE)
_INSIDE_A_SENTENCE = re.compile(r"\w[\s,]*$")
_APOSTROPHES = ("'", "\u2019")

# Any other word: from this length (shorter ones are one slip from too many words)
MIN_SLIP_LENGTH = 5
UNCOMMON_WORDS_FILE = Path(__file__).parent / "vocabulary" / "uncommon_words.txt"
# Words no lemma table lists ("cannot" is written "can not" there; everyday words of texting and
# of insurance), and a test's name typed with two slips, which the spaCy pipeline reads
NOT_SLIPS = ("aplastic", "cannot", "copay", "copays", "yikes", "hallo", "footy", "ciggie",
             "ciggies", "thurs", "sucky", "trefine")
# A common word with its ending typed without the apostrophe: "couldnt", "thats", "theyve"
_ENDINGS_WITHOUT_APOSTROPHE = ("nt", "s", "ve", "re", "ll", "d", "m")


@lru_cache(maxsize=1)
def _common_word_ranks() -> dict[str, int]:
    """Each common word's place in the list, the most frequent first."""
    listed = COMMON_WORDS_FILE.read_text(encoding="utf-8").split()
    return {word: rank for rank, word in enumerate(listed)}


@lru_cache(maxsize=1)
def kept_words() -> frozenset[str]:
    """Words kept as typed though one slip from a common word: uncommon English words, the words
    of the entity vocabulary (bot/vocabulary/*.yml: "iliac", "trephine") and :data:`NOT_SLIPS`."""
    listed = UNCOMMON_WORDS_FILE.read_text(encoding="utf-8").split()
    tagged = {word for entries in load_vocabulary().values() for terms in entries.values()
              for term in terms for word in term.split()}
    return frozenset(listed) | tagged | frozenset(NOT_SLIPS)


def load_word_lists() -> None:
    """Read the word lists now (at start-up), not when the first patient's message comes."""
    kept_words()
    _common_word_ranks()


def one_slip_variants(word: str) -> set[str]:
    """Every string one letter added, dropped, changed or two neighbours swapped from ``word``."""
    letters = string.ascii_lowercase
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in splits if b}
            | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            | {a + c + b[1:] for a, b in splits if b for c in letters}
            | {a + c + b for a, b in splits for c in letters}) - {word}


def common_word_meant(word: str) -> str | None:
    """The most frequent common word one slip away from ``word`` (lower case, not a common
    word), unless ``word`` is short, an English word or a common word with its ending typed
    without the apostrophe ("couldnt", "thats", "theyve"); else None."""
    if len(word) < MIN_SLIP_LENGTH or word in kept_words():
        return None
    ranks = _common_word_ranks()
    if any(word.endswith(end) and word[:-len(end)] in ranks for end in _ENDINGS_WITHOUT_APOSTROPHE):
        return None
    return min((v for v in one_slip_variants(word) if v in ranks), key=ranks.__getitem__,
               default=None)


def english_words() -> set[str]:
    """Every word form in spaCy's English lemma tables (``spacy-lookups-data``)."""
    lookup = lookups_table("lemma_lookup")
    forms = set(lookup) | set(lookup.values())
    for table in (lookups_table("lemma_index"), lookups_table("lemma_exc")):
        for listed in table.values():
            for entry in listed:
                forms.update(entry if isinstance(entry, list) else [entry])
    return forms


def write_uncommon_words(path: Path = UNCOMMON_WORDS_FILE) -> int:
    """Regenerate the uncommon-words file; returns the word count."""
    common = common_words()
    uncommon = sorted(w for w in english_words()
                      if w.isalpha() and w.islower() and len(w) >= MIN_SLIP_LENGTH
                      and w not in common and one_slip_variants(w) & common)
    path.write_text("\n".join(uncommon) + "\n", encoding="utf-8")
    return len(uncommon)


@lru_cache(maxsize=256)
def spelling_read(text: str) -> str:
    """``text`` with a word typed with one slip written as the word meant (cached: the
    featurizer and the classifier read the same message more than once)."""
    common = common_words()

    def read(match: re.Match[str]) -> str:
        word = match.group(0)
        lower = word.lower()
        if lower in common or lower in TOPIC_KEY_WORDS:
            return word
        if word[0].isupper() and word[1:].islower() and _INSIDE_A_SENTENCE.search(
                text[: match.start()]):
            return word  # a name ("the weather in Leeds"), not a slip of "bleeds"
        key = next((key for key in TOPIC_KEY_WORDS if one_edit(lower, key)), None)
        if key is not None:
            return key
        if word.isupper() or text[match.end():match.end() + 1] in _APOSTROPHES:
            return word  # an abbreviation ("ALL", "CMML"), or "couldn't" typed
        return common_word_meant(lower) or word

    return _LONG_WORD.sub(read, text)


if __name__ == "__main__":  # pragma: no cover
    print(f"{write_uncommon_words()} uncommon words -> {UNCOMMON_WORDS_FILE}")
