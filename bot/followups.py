"""Follow-ups that ask the last question again, read against the conversation so far.

Patients ask the same thing for someone else ("and for a child?", "what about for my mum, she's
88"), for the other test ("what about the other one"), for the next step ("and after?"), or the
same practical question again after a clinic answer ("and for kids?", "n after?"):

* :func:`keeps_topic`: the same question again, for another person or the other test, or the
  next step of it -> the last topic;
* :func:`other_procedure`: "the other one" -> the one other test the clinic offers;
* :func:`clinic_follow_up`: right after a clinic answer -> that practical question again.

A reaction to the answer just quoted ("fr??", "very rare? how rare are we talking") is read in
:mod:`bot.reactions`; words picked up from the leaflet ("hematopoietic?") in
:mod:`bot.leaflet_words` (rare words: :mod:`bot.rare_words`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.asks.sentences import sentences
from bot.rare_words import words

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
    r"|after(?:wards?)?\b|and\s+after\b"
    # "and then what", "then what happens", "what happens next": the next step of the answer
    r"|then\s+what(?:\s+happens)?\W*$|(?:what\s+)?happens\s+next\W*$|next\W*$)",
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
    "by part bit side".split()
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
    if _WHAT_IS_THAT_AFTER.match(text[spans[-1][1]:]):
        return False  # "what about an aspiration, what's that" asks what the test is
    rest, position = [], 0
    for start, end in spans:
        rest.append(text[position:start])
        position = end
    rest.append(text[position:])
    # "And for the biopsy, if they end up doing one as well?": whether it is done is no question
    remainder = _IF_IT_IS_DONE.sub(" ", " ".join(rest))
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


_IF_IT_IS_DONE = re.compile(
    r"\b(?:if|in\s+case)\s+(?:they|he|she|i|we|you)\s+(?:end\s+up\s+|also\s+|have\s+to\s+)?"
    r"(?:do|doing|does|did|need|needs|have|has|having|get|gets|getting)\s+(?:one|it|that|them|both)"
    r"(?:\s+(?:as\s+well|too|also))?\b", re.IGNORECASE)
# what says "the same question" once the test is taken out of the message
_SAME_MARKER = re.compile(
    r"\b(?:same(?!\s+(?:thing\s+)?as\b)|similar(?!\s+to\b)|different(?!\s+(?:from|to|than)\b)|"
    r"as\s+well|too|also|"
    r"used\s+for\s+(?:that|this|it))\b", re.IGNORECASE)
_SAME_WORDS = frozenset(
    "is are was will would could can might may be same similar as well too also used job thing "
    "different like it other needle needles way deal story rules answer again stuff".split())
# "and can the aspiration spot it too" right after what the biopsy finds (not after its normal
# results: finding something is what the test is for)
# ("and does the biopsy check for the same stuff?", session 17)
_FINDING_WORDS = frozenset("spot find detect show pick up see diagnose catch check checks look "
                           "looks".split())
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
# ", what's that", " - what is it?": what the test just named is
_WHAT_IS_THAT_AFTER = re.compile(
    r"\W*(?:(?:and|so|but)\W+)?(?:wh?at(?:'s|s|\s+is)|wot\s+is|wots?)\s+(?:that|it|this|that\s+one)"
    r"(?:\s+(?:then|exactly|again|one))?\W*$", re.IGNORECASE)
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
    r"|what\s+(?:does|do)\s+(?:that|this|all\s+that|all\s+this)\s+(?:actually\s+|even\s+|really\s+|exactly\s+)?"
    r"(?:mean|stand\s+for)|what'?s\s+(?:that|this)\s+mean|meaning|(?:in\s+)?(?:plain|simple)\s+(?:english|words)"
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
