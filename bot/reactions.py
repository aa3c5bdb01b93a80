"""A reaction to the answer just quoted, read against that answer's words.

* :func:`reacts_to_the_answer`: the answer doubted or repeated back ("fr??", "a TUBE??",
  "few seconds really??") -> that answer again;
* :func:`picks_up_the_answer`: its words picked up with a short question about them ("very
  rare? how rare are we talking") -> that answer again;
* :func:`asks_which_kinds`: more of the list just quoted ("wat kinds", "like what?").
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.rare_words import one_edit, words

# words that react ("fr??", "really thats it?", "seriously?") or only point back at the answer
_REACTION_WORDS = frozenset(
    "really rly fr seriously srsly honestly truly actually omg wow wait what wat so and n but oh "
    "ok okay hang on no way is that thats it its all only just true right how the a an for real "
    "very in on of at to from into with my your their there they them those these bit bits part "
    "parts thing one mean meaning means too also".split())
# a reaction on its own is one of these: "really??", "fr", "is that it?", "that's all?"
_DISBELIEF = re.compile(
    r"\b(?:really|rly|fr|seriously|srsly|for\s+real|no\s+way|is\s+that\s+(?:it|all|true|right)|"
    r"(?:that'?s|thats|that\s+is)\s+(?:it|all))\b", re.IGNORECASE)
# asked back: a question or exclamation mark, a word of doubt, or the answer's words in quotes
_ASKS_BACK = re.compile(
    r"[?!]|\b(?:really|rly|fr|seriously|srsly)\b|['\"\u2018\u201c]\w[^'\"]*\w['\"\u2019\u201d]",
    re.IGNORECASE)
MAX_REACTION_WORDS = 6
# "what actually is bone marrow?", "whats a trephine exactly": what a thing is (the words after
# "what is" that are not reaction words name the thing), asked, not the answer doubted
_WHAT_IS_A_THING = re.compile(
    r"^\W*(?:(?:so|and|n|but|ok|okay|sorry|um)\W+)*(?:wh?at|wot)"
    r"(?:\s+(?:actually|exactly|even|really|rly))*(?:'s|s|\s+is|\s+are|\s+r)\s+"
    r"(?:(?:actually|exactly|even|really|rly)\s+)*(?:is\s+|are\s+)?(?:a\s+|an\s+|the\s+)?"
    r"\w", re.IGNORECASE)
_CONDITION = re.compile(r"\b(?:if|whether|unless)\b", re.IGNORECASE)


def reacts_to_the_answer(text: str | None, answer: str | None) -> bool:
    """'fr??', 'really thats it?', 'a TUBE??', 'few seconds really??', "how rare is 'very rare'":
    right after a quoted ``answer``, a short message that only doubts it or repeats its words
    back asks for that answer again."""
    message = words(text)
    if not text or not answer or not message or len(message) > MAX_REACTION_WORDS:
        return False
    if not _ASKS_BACK.search(text) or _CONDITION.search(text):
        return False  # "and if its abnormal?" asks what follows, not the answer again
    rest = [word for word in message if word not in _REACTION_WORDS]
    if not rest:
        return bool(_DISBELIEF.search(text))
    if _WHAT_IS_A_THING.match(text):
        return False  # "what actually is bone marrow?" right after an overview: a definition
    answer_words, answer_words_and_pairs = _vocabulary(answer)

    def in_answer(word: str, quoted: frozenset[str]) -> bool:
        return word in quoted or (
            len(word) >= MIN_TYPO_LENGTH and any(one_edit(word, q) for q in quoted))

    joined = {word for pair in _pairs(rest)
              if in_answer(pair[0] + pair[1], answer_words_and_pairs) for word in pair}
    return all(word in joined or in_answer(word, answer_words) for word in rest)


@lru_cache(maxsize=64)
def _vocabulary(answer: str) -> tuple[frozenset[str], frozenset[str]]:
    """The answer's words, and its words plus each two neighbours written as one ("breast bone"
    / "breastbone"), for a word typed as it sounds ("brest bone??"). Answers are leaflet
    sections, so each is read once per process."""
    answer_words = words(answer)
    pairs = {a + b for a, b in _pairs(answer_words)}
    # "only a few secs?" after "...a few seconds": a word's short form; "from blood??" after
    # "...from the bloodstream": the first part of a word written as one
    extra = {short for word in answer_words for short in _SHORT_FORMS.get(word, ())}
    extra |= {word[:len(head)] for word in answer_words for head in _COMPOUND_HEADS
              if word.startswith(head) and len(word) > len(head)}
    return frozenset(answer_words) | extra, frozenset(answer_words) | frozenset(pairs) | extra


# (answer words are singular: bot.rare_words.words)
_SHORT_FORMS = {"second": ("secs", "sec"), "minute": ("mins", "min"), "hour": ("hrs", "hr")}
_COMPOUND_HEADS = ("blood", "breast", "bone")


def _pairs(items: list[str]) -> list[tuple[str, str]]:
    return list(zip(items, items[1:], strict=False))


MIN_TYPO_LENGTH = 5


# "very rare? how rare are we talking", "bleeding problems - i bruise really easily, does that
# count", "the platelets bit - so if mine are low...": the answer's own words first, then a short
# question about them
# (" like ", " such as ": "bleeding problems like haemophilia?" right after the preparation)
_HEAD = re.compile(
    r"^(.{3,60}?)(?:\s+-\s+|\s*[?:;]+\s*|\s*\.{2,}\s*|\s*\(|,\s+|\s+like\s+|\s+such\s+as\s+)(.*)$")
MAX_AFTER_THE_ECHO_WORDS = 14
_KINDS_OF = re.compile(
    r"^\W*(?:(?:and|so|ok|okay|n)\W+)*(?:what|wat|which|wich)\s+(?:kinds?|types?|sorts?)\s+of\s+"
    r"([a-z]{3,30})\W*$", re.IGNORECASE)
_WHAT_ABOUT = re.compile(
    r"^\W*(?:(?:and|so|but|ok|okay|n)\W+)?(?:what|wat|how)\s+(?:about|abt|bout)\s+(?:the\s+)?"
    r"(.{3,60}?)\W*$", re.IGNORECASE)


def picks_up_the_answer(text: str | None, answer: str | None) -> bool:
    """The message opens with words of the ``answer`` just quoted (as :func:`reacts_to_the_answer`
    reads them) and goes on with a short question about them."""
    about = _WHAT_ABOUT.match((text or "").strip())
    if about and answer and words(about.group(1)) and reacts_to_the_answer(
            f"{about.group(1)}?", answer):
        return True  # "what abt bleeding problems" right after the preparation
    kinds = _KINDS_OF.match((text or "").strip())
    if kinds and answer and reacts_to_the_answer(f"{kinds.group(1)}?", answer):
        return True  # "what kinds of leukaemia" right after the abnormal results
    match = _HEAD.match((text or "").strip())
    if not match or not answer:
        return False
    head, rest = match.group(1), match.group(2)
    if _WHAT_IS_IT.match(head):
        return False  # "whats bone marrow like then" asks what it is, not the answer again
    return (bool(words(head)) and reacts_to_the_answer(f"{head}?", answer)
            and len(words(rest)) <= MAX_AFTER_THE_ECHO_WORDS and not _WHAT_IS_IT.match(rest))


# "bone marrow? what is that": what a word of the answer is, read elsewhere
_WHAT_IS_IT = re.compile(r"^\W*(?:so\s+)?(?:wh?at(?:'s|s)?|what\s+(?:is|are|does))\b",
                         re.IGNORECASE)


# "wat kinds", "which types?", "like what?", "such as?": more of the list just quoted
_WHICH_KINDS = re.compile(
    r"^\W*(?:(?:and|n|so|ok|okay|but|um)\W+)*(?:(?:what|wat|wot|which|wich)\s+(?:kinds?|types?|sorts?|"
    r"ones?)(?:\s+of\s+(?:things?|stuff|ones?|diseases?|conditions?|problems?|illness\w*))?|"
    r"(?:like|such\s+as)(?:\s+what)?|for\s+(?:example|instance)|eg|e\.g\.?|examples?|what\s+else|"
    r"with\s+what|using\s+what|what\s+with)\W*$"
    # "he was already told he has CLL, is that one of them"
    r"|\b(?:is|are)\s+(?:that|it|this|those|these|they|\w+)\s+(?:one\s+of\s+(?:them|those|the\s+\w+)|on\s+"
    r"(?:the|that)\s+list)\W*$",
    re.IGNORECASE)


def asks_which_kinds(text: str | None) -> bool:
    """'wat kinds', 'which types?', 'like what?', '..., is that one of them': the list just
    quoted."""
    return bool(text and _WHICH_KINDS.search(text))
