"""Follow-ups that ask the last question again, read against the conversation so far.

Patients ask the same thing for someone else ("and for a child?", "what about for my mum, she's
88"), for the other test ("what about the other one"), for the next step ("and after?"), or the
same practical question again after a clinic answer ("and for kids?", "n after?"):

* :func:`keeps_topic`: the same question again, for another person or the other test, or the
  next step of it -> the last topic;
* :func:`other_procedure`: "the other one" -> the one other test the clinic offers;
* :func:`reacts_to_the_answer`, :func:`picks_up_the_answer`, :func:`asks_which_kinds`: the
  answer just quoted, doubted ("fr??", "a TUBE??"), picked up ("very rare? how rare are we
  talking") or asked for more of ("wat kinds") -> that answer again;
* :func:`clinic_follow_up`: right after a clinic answer -> that practical question again.

Words picked up from the leaflet ("hematopoietic?") are read in :mod:`bot.leaflet_words`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from bot.asks.sentences import sentences
from bot.leaflet_words import one_edit, words

# --------------------------------------------------------------------------------------------
# The same question again: for someone else, the other test, the next step
# --------------------------------------------------------------------------------------------

_PERSON = (r"(?:a\s+|an\s+|my\s+|our\s+|the\s+|your\s+)?(?:little\s+|young\s+|old\s+|elderly\s+)?"
           r"(?:child|children|kid|kids|baby|babies|toddler|teen|teenager|son|daughter|boy|girl|"
           r"mum|mom|mother|mam|dad|father|husband|wife|partner|nan|gran|grandma|grandad|"
           r"grandpa|him|her|them|someone|adults?|older\s+people|elderly|old\s+people|"
           r"pensioner|(?:\d+\s*-?\s*)?(?:year|yr)s?[\s-]*olds?)")
_SAME_AGAIN = re.compile(
    r"^\W*(?:(?:and|n|&|but|so|ok|okay|what|how)\W+)*(?:about\W+|abt\W+)?"
    rf"(?:(?:for|with|in)\s+{_PERSON}\b"
    r"|at\s+(?:his|her|my|their|that|this)\s+age\b"
    r"|same\s+(?:(?:list|thing|answer|deal|rules|story|again)\s+)?(?:for|with)\b"
    r"|(?:the\s+)?other\s+(?:one|test|procedure)\b"
    r"|after(?:wards?)?\b|and\s+after\b)",
    re.IGNORECASE,
)

# The whole message only moves the last question to someone else: "is it the same for children",
# "what about for kids", "and for my mum, she's 88", "same for a 5 year old?"
_FILLER = (r"(?:and|but|so|ok|okay|what|how|about|abt|is|does|would|will|it|that|this|be|the|"
           r"same|also|any|different|similar|as|well|too)")
_ONLY_SHIFT = re.compile(
    rf"^\W*(?:{_FILLER}\W+)*(?:(?:for|with|in)\s+)?(?:an?\s+)?(?:\d+\s*(?:-\s*)?(?:years?|yrs?|yo)"
    rf"(?:\s*-?\s*old)?\s+)?{_PERSON}(?:\W+(?:too|then|though|as\s+well|also|aged?\s+\d+|\d+|"
    r"as\s+(?:for\s+)?(?:adults?|grown[\s-]?ups?|grownups|older\s+people|big\s+people|us)|"
    r"(?:she|he|they)(?:'s|\u2019s|s|\s+is|\s+are)\s+(?:only\s+)?\d+\w*(?:\s+(?:years?|yrs?)(?:\s+old)?)?|"
    r"(?:is|will|would)\s+(?:it|that)\s+(?:be\s+)?(?:the\s+)?(?:same|similar|different)))*"
    r"\W*$",
    re.IGNORECASE,
)


# Another moment of the test, asked right after how it is done or how it feels: the same question
# for that moment ("what about when the needle goes in", "and the bit where they actually take the
# marrow?"), not a question of its own ("and when will I get the results?").
_ANOTHER_MOMENT = re.compile(
    r"^\W*(?:(?:and|n|&|but|so|ok|okay)\W+)*(?:(?:what|how)\s+about\s+)?"
    r"(?:when\s+(?!(?:will|can|could|do|does|did|should|is|are|would|shall|might|may)\b)\w+"
    r"|during|while|once|the\s+(?:bit|part|moment|stage|step)\s+(?:where|when|that)|the\s+actual"
    # "n the bone part", "and the sucking bit?"
    r"|the\s+\w+\s+(?:bit|part)(?=\W*$)"
    # "what about afterwards?", "and after?"
    r"|after(?:wards?)?(?=\W*$))\b",
    re.IGNORECASE,
)
MOMENT_TOPICS = frozenset({"how_performed", "sensation"})


def asks_about_another_moment(text: str | None, last_topic: str | None) -> bool:
    """After how the test is done or feels, the message asks the same about another moment."""
    return last_topic in MOMENT_TOPICS and bool(_ANOTHER_MOMENT.search(text or ""))


def final_question(text: str | None) -> str | None:
    """The last sentence of a message that first tells and then asks ("my son is 9 and needs one
    too. what about him?"); None for one sentence, or when an earlier sentence asks too."""
    parts = sentences(text)
    if len(parts) < 2 or any("?" in part for part in parts[:-1]):
        return None
    return parts[-1]


def only_shifts_subject(text: str | None) -> bool:
    """The message asks the last question again for someone else and nothing more (or tells
    something before or after: "my son is 9 and he needs one too. what about him?", "what about
    kids? my daughter is only 3")."""
    last = final_question(text)
    if _ONLY_SHIFT.match(text or "") or (last and _ONLY_SHIFT.match(last)):
        return True
    parts = sentences(text)
    return (len(parts) > 1 and bool(_ONLY_SHIFT.match(parts[0]))
            and not any("?" in part for part in parts[1:]))


_BARE_TEST_FILLER = frozenset(
    "and or but so ok okay what whats what's about abt how on for with the a an same then too "
    "also one in of that this for if instead case test procedure please pls now same process "
    "thing way having getting he she they hes shes im n wat wot do does did 2 its own alone itself "
    "by".split()
)


# words that name a topic, in "is the aspiraton prep the same", "is the aspiration done for the
# same reasns": the same question when they name the last topic
TOPIC_WORDS = {
    "preparation": frozenset("prep preparation preparing prepare ready beforehand before".split()),
    "purpose": frozenset("reason reasons reasn reasns why purpose point for done find show pick "
                         "up detect thing things".split()),
    "risks": frozenset("risk risks risky riskier dangers danger dangerous safe safer".split()),
    "sensation": frozenset("pain painful hurt hurts hurting sore feel feeling".split()),
    "how_performed": frozenset("done procedure process method needle bone bones place site spot "
                               "where".split()),
    "normal_results": frozenset("results result normal list".split()),
    "abnormal_results": frozenset("results result abnormal list conditions condition find show "
                                  "pick up detect thing things".split()),
    "alternative_names": frozenset("names name called".split()),
}


def only_names_a_test(
    text: str | None, spans: Iterable[tuple[int, int]], last_topic: str | None = None
) -> bool:
    """'and on a biopsy?', 'what about the trephine then', 'and the biopsy, is that worse?': a
    test named (``spans``: where, in ``text``) and nothing else but the last question (or words
    that name ``last_topic``: "is the aspiraton prep the same")."""
    text = text or ""
    spans = sorted(spans)
    if not spans or asks_what_the_next_name_is(text[:spans[0][0]]):
        return False  # "and what's a biopsy then" asks what the test is
    rest, position = [], 0
    for start, end in spans:
        rest.append(text[position:start])
        position = end
    rest.append(text[position:])
    remainder = " ".join(rest)
    if _COMPARED.search(remainder.strip()) or _SAME_WITH.fullmatch(remainder.strip()):
        return True
    remaining = words(remainder)
    if all(word in _BARE_TEST_FILLER for word in remaining):
        return True
    # "is the aspirate the same", "is it the same for the biopsy they might do too", "Is the
    # trephine used for that as well?", "the trephine, does that do the same job?" (not "how is
    # the biopsy different", which asks what it is)
    topic_words = TOPIC_WORDS.get(last_topic or "", frozenset())
    if last_topic in _FINDING_TOPICS:
        topic_words = topic_words | _FINDING_WORDS
    return (bool(_SAME_MARKER.search(remainder)) and not _HOW_DIFFERENT.search(remainder)
            and all(word in _BARE_TEST_FILLER or word in _SAME_WORDS or word in topic_words
                    for word in remaining))


# what says "the same question" once the test is taken out of the message
_SAME_MARKER = re.compile(
    r"\b(?:same(?!\s+(?:thing\s+)?as\b)|similar(?!\s+to\b)|different(?!\s+(?:from|to|than)\b)|"
    r"as\s+well|too|also|"
    r"used\s+for\s+(?:that|this|it))\b", re.IGNORECASE)
_SAME_WORDS = frozenset(
    "is are was will would could can might may be same similar as well too also used job thing "
    "different like it other needle needles way deal story rules answer again".split())
# "and can the aspiration spot it too" right after what the biopsy finds (not after its normal
# results: finding something is what the test is for)
_FINDING_WORDS = frozenset("spot find detect show pick up see diagnose catch".split())
_FINDING_TOPICS = frozenset({"abnormal_results", "purpose"})
# "how is the biopsy different" asks what it is ("what about for the aspiration, same deal?" asks
# the last question again)
_HOW_DIFFERENT = re.compile(r"\b(?:how|what(?!\s+about)|why|in\s+what\s+way)\b", re.IGNORECASE)


_OTHER = re.compile(r"(?:^\W*(?:(?:and|n|&|ok|okay|so|what\s+about)\W+)*|\b(?:the|that)\s+)other\s+"
                    r"(?:one|test|procedure)\b", re.IGNORECASE)


# "is it the same with bma", "would that be the same for the biopsy": the last question, for it
_SAME_WITH = re.compile(
    r"\W*(?:(?:and|so|ok|okay|but)\W+)*(?:(?:is|does|would|will)\s+(?:it|that|this)|"
    r"(?:are|do|would|will)\s+(?:they|those|these))\s+(?:be\s+)?"
    r"(?:(?:the\s+)?same|differ|different|any\s+different|change)\s+(?:with|for|on|in)"
    r"(?:\s+(?:the|a|an))?\W*",
    re.IGNORECASE,
)
# "and what's a", "what is the": what the test named next is
_WHAT_IS_BEFORE = re.compile(
    r"\b(?:wh?at(?:'s|s|\s+is|\s+are|\s+r)|define|meaning\s+of)\s+(?:a|an|the)?\s*$", re.IGNORECASE)


def asks_what_the_next_name_is(before: str) -> bool:
    """``before`` (the text up to a name) ends asking what that is: "and what's a", "define"."""
    return bool(_WHAT_IS_BEFORE.search(before))


_COMPARED = re.compile(
    r"\b(?:is|does|would|will)\s+(?:that|it|this)\s+(?:one\s+)?(?:be\s+)?"
    r"(?:any\s+)?(?:worse|better|the\s+same|similar|different)\W*$",
    re.IGNORECASE,
)


# "could you put that more simply?", "I don't understand", "what does that mean?" right after an
# answer: the same answer again (the bot can only quote the leaflets' own words)
_SAY_AGAIN = re.compile(
    r"^\W*(?:(?:sorry|so|ok|okay|um|erm|but|and|hmm|please)\W+)*"
    r"(?:(?:can|could|would)\s+(?:you|u)\s+(?:please\s+)?(?:put|say|explain|word|phrase|repeat)"
    r"\s+(?:that|it|this)\b(?:\s+(?:more\s+)?(?:simply|simpler|again|differently|in\s+"
    r"(?:plain|simple|simpler|other)\s+(?:english|words|terms)))?"
    r"|(?:i\s+)?(?:don'?t|dont|do\s+not|didn'?t|didnt)\s+(?:understand|get)(?:\s+(?:it|that|this))?"
    r"|what\s+does\s+(?:that|this)\s+(?:mean|stand\s+for)|(?:in\s+)?(?:plain|simple)\s+(?:english|words)"
    r"(?:\s+please)?|say\s+(?:that|it)\s+again|huh|(?:i'?m\s+)?confused)\W*(?:please|pls)?\W*$",
    re.IGNORECASE,
)


def asks_to_say_it_again(text: str | None) -> bool:
    """'could you put that more simply?', 'I don't understand', 'what does that mean?'."""
    return bool(_SAY_AGAIN.match(text or ""))


def keeps_topic(text: str | None) -> bool:
    """'and for a child?', 'what about for my mum, she's 88', 'same for the trephine?', 'what
    about the other one', '..., is that worse?': the last question again."""
    return bool(_SAME_AGAIN.search(text or "") or _COMPARED.search(text or "")
                or asks_to_say_it_again(text))


# --------------------------------------------------------------------------------------------
# A reaction to the answer just quoted
# --------------------------------------------------------------------------------------------

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


# (answer words are singular: bot.leaflet_words.words)
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


# "bak to the first one", "ok back to mine", "going back to hers": the test the conversation began
# with, after another was discussed
_BACK_TO_THE_FIRST = re.compile(
    r"\b(?:back|bak|go(?:ing)?\s+back|returning)\s+to\s+(?:the\s+)?(?:first|1st|original|mine|hers|"
    r"his|theirs|my\s+(?:one|test)|her\s+(?:one|test)|his\s+(?:one|test)|their\s+(?:one|test))\b",
    re.IGNORECASE)


def returns_to_the_first_test(text: str | None) -> bool:
    return bool(text and _BACK_TO_THE_FIRST.search(text))


# "n the other test?", "what about the other one": nothing but the other test
_ONLY_THE_OTHER = re.compile(
    r"^\W*(?:(?:and|n|&|ok|okay|so|what\s+about|how\s+about|wat\s+about|abt|same\s+for)\W+)*"
    r"(?:the\s+|that\s+)?other\s+(?:one|test|procedure)(?:\s+(?:then|too|as\s+well|though|tho))?\W*$",
    re.IGNORECASE)


def only_asks_the_other_test(text: str | None) -> bool:
    return bool(text and _ONLY_THE_OTHER.match(text))


def other_procedure(text: str | None, current: str | None, offered: Iterable[str]) -> str | None:
    """'the other one' when the clinic offers exactly one test besides ``current``."""
    if current is None or not _OTHER.search(text or ""):
        return None
    others = [p for p in offered if p != current]
    return others[0] if len(others) == 1 else None




# --------------------------------------------------------------------------------------------
# After a clinic answer: the same practical question again
# --------------------------------------------------------------------------------------------

# "and the results?" right after a practical question (how long it takes, staying in): when the
# results come, the clinic's answer
_RESULTS_ONLY = re.compile(
    r"^\W*(?:(?:and|n|&|so|ok|okay|what|how|about|abt|with|for)\W+)*(?:the\s+|my\s+)?"
    r"results?\W*$", re.IGNORECASE)
# "and PE?", "n swimming?", "what about work": a short fragment that only adds a subject
_CONNECTOR = re.compile(r"^\W*(?:and|n|&|plus|also|what\s+about|how\s+about|abt|same\s+for)\b",
                        re.IGNORECASE)
MAX_CLINIC_FRAGMENT_WORDS = 3
RESULTS_TIMING = "results_timing"


def clinic_follow_up(
    text: str | None, last_local_topic: str, test_spans: Iterable[tuple[int, int]],
    leaflet_question: bool,
) -> str | None:
    """Right after the clinic's answer to ``last_local_topic``: "and the results?" is when the
    results come; "and for kids?", "what about after?", "what about the biopsy", "n swimming?"
    ask ``last_local_topic`` again. ``leaflet_question``: the classifier is sure the message asks
    a leaflet topic ("and is it safe?"), which a fragment then is."""
    if not text:
        return None
    if _RESULTS_ONLY.match(text):
        return RESULTS_TIMING
    if only_shifts_subject(text) or only_names_a_test(text, test_spans):
        return last_local_topic
    if leaflet_question:
        return None
    if _SAME_AGAIN.match(text) and len(words(text)) <= MAX_CLINIC_FRAGMENT_WORDS + 1:
        return last_local_topic  # "what about after?", "n after?"
    if _CONNECTOR.match(text) and len(words(text)) <= MAX_CLINIC_FRAGMENT_WORDS:
        return last_local_topic  # "and PE?"
    return None
