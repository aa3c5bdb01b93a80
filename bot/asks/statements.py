"""Whether a message tells rather than asks: "had my bone marrow biopsy this morning" is a
statement, "biopsy pain" a question typed short. Read by the NLU component for statements that
name a test (bot/components/statements.py) and by the answering action's readings."""

from __future__ import annotations

import re

# A statement names the test and asks nothing: "had my bone marrow biopsy this morning", "my dad
# has a BMA on friday for low platelets". Nothing in it is a question: no "?", no sentence that
# opens like one (after greetings and fillers), no "I wanted to ask / know".
_OPENING_FILLERS = re.compile(
    r"^(?:(?:hi|hiya|hey|hello|ok|okay|so|well|um+|er+|right|and|but|also|oh|sorry|thanks|"
    r"thank\s+you|(?:good\s+)?(?:morning|afternoon|evening))\b[\s,.!:-]*)+",
    re.IGNORECASE,
)
_QUESTION_WORDS = (r"what|whats|what's|wat|wot|wht|how|hows|how's|hw|why|y|wy|when|whens|where|"
                   r"wheres|whereabouts|which|who|whos|whom|whose")
_QUESTION_OPENING = re.compile(
    rf"^(?:{_QUESTION_WORDS}|can|cn|could|cud|will|would|wud|should|shud|shall|is|isnt|"
    r"are|arent|r|do|does|doesnt|did|am|may|might|must|any|anything|tell|explain|describe|"
    r"define|please|pls|plz|help|info|information)\b"
    # "dose a bone marow biospy hert": "does" typed as "dose"
    r"|^dose\s+(?:it|a|an|the|this|that|he|she|they|my|his|her)\b",
    re.IGNORECASE,
)
_ASKING = re.compile(
    # ("know", but not "ok good to know": told, not asked)
    r"\b(?:ask|asking|(?<!good\sto\s)(?<!nice\sto\s)(?<!useful\sto\s)know|wondering|wonder|curious|question|questions|explain|tell\s+me|"
    r"info|information|unsure|not\s+sure|please|pls|plz"
    # "I want to understand what could go wrong with the marrow test"
    r"|(?:i|we)\s+(?:really\s+|just\s+)?(?:want|wanted|would\s+like|need|needed)\s+to\s+"
    r"(?:understand|find\s+out)"
    # "walk me thru the bone marrow test pls": a request
    r"|(?:walk|talk|take|run|go)\s+(?:me|us)\s+(?:through|thru|over))\b",
    re.IGNORECASE,
)
_GREETING_OPENING = re.compile(
    r"^\W*(?:hi+|hiya|heya|hey+|hel+o+|hallo+|hullo|howdy|g'?day|hola|bonjour|ciao|good\s+(?:morning|afternoon|"
    r"evening|day)\b|(?:morning|mornin|afternoon|evening)\s*[!,.])", re.IGNORECASE)


# "I've got a question about...", "quick q re my BMA", "can I ask something about": a question
# announced, not asked
_ANNOUNCED_QUESTION = re.compile(
    r"\b(?:i(?:'ve|\s+have)?\s+(?:got\s+)?(?:a\s+|some\s+|one\s+|a\s+few\s+|few\s+)?(?:quick\s+|small\s+)?"
    r"(?:question|questions|qs?|query|queries)|quick\s+(?:question|q)|can\s+i\s+ask\s+(?:you\s+)?"
    r"(?:something|a\s+question|a\s+few\s+things)"
    # "hello, question about my little boy's bone marrow biopsy"
    r"|(?:(?<=[,.!]\s)|(?<=[,.!]))(?:a\s+)?(?:quick\s+|small\s+)?(?:question|query)"
    r"(?=\s+(?:about|re|regarding)\b))"
    r"\b(?:\s+(?:about|re|regarding|on|for))?",
    re.IGNORECASE)


# "..., and I would appreciate some information": a general request about the test named, which
# is what the test is
_INFO_REQUEST = re.compile(
    r"[\s,;]*(?:and\s+|so\s+)?(?:i\s+)?(?:would|'d|\u2019d)\s+(?:really\s+|greatly\s+)?"
    r"(?:appreciate|like|love|welcome)\s+(?:some|any|more|a\s+bit\s+of|a\s+little)?\s*"
    r"(?:info(?:rmation)?|details|guidance)(?:\s+(?:about|on|regarding)\s+(?:it|this|that|the\s+\w+))?"
    r"\W*$", re.IGNORECASE)
# "... just wanted to know a bit about it first": the same request, in a last sentence of its own
_KNOW_ABOUT_IT = re.compile(
    r"(?:^|[.!]\s*)(?:(?:i|we)\s+)?(?:just\s+|really\s+)?(?:want|wanted|wanting|would\s+like|'d\s+like)\s+"
    r"to\s+(?:know|learn|understand|find\s+out)\s+(?:a\s+(?:bit|little)|a\s+bit\s+more|more|something)\s+"
    r"about\s+(?:it|this|that|the\s+\w+)(?:\s+(?:first|beforehand|before(?:hand)?))?\W*$"
    # "...I'm trying to understand what it is before we go in." (session 17)
    r"|(?:^|[.!]\s*)(?:(?:i'?m|i\s+am|we'?re|we\s+are|i|we)\s+)?(?:just\s+|really\s+)?(?:trying|want|"
    r"wanted|wanting|would\s+like|'d\s+like|need)\s+to\s+(?:understand|know|work\s+out|figure\s+out)\s+"
    r"what\s+(?:it|this|that|the\s+\w+)\s+(?:actually\s+|really\s+|even\s+)?is"
    r"(?!\s+(?:for|like|used|looking|testing|checking|done)\b)(?:\s+[\w']+){0,4}\W*$",
    re.IGNORECASE)
# "hes also having a bone marrow aspiration first, why is that": a clause after a comma that asks
_ASKING_CLAUSE = re.compile(
    r",\s*(?:(?:so|and|but|ok)\s+)?(?:why|how\s+come|how\s+(?:do|does|is|will|long|much|bad)|"
    r"(?:what|wat)\s+(?:is|are|do|does|will|should|can|would)|(?:whats|what'?s|wats|wat'?s)\s+"
    r"(?:it|that|this|the|a|an|involved|going|happening)\b|(?:is|are|will|would|should|can|"
    r"could|do|does|shud|cud|wud)\s+(?:i|he|she|we|they|you|it|that|this|there|"
    # "i have a weak immune system, could the bone marrow aspiration give me an infection"
    r"the|my|his|her|their|your|a|an)\b)", re.IGNORECASE)


# "...she doesnt like surprises which bone do they take it from": a question in a question's word
# order at the end of a message typed without punctuation
_TRAILING_QUESTION = re.compile(
    r"\b(?:which|what|wat|how|where|when|why)\s+(?:\w+\s+){0,3}?(?:do|does|did|will|would|can|could|"
    r"should|is|are)\s+(?:they|you|u|it|i|he|she|we)\b[^.!]*$", re.IGNORECASE)


# "ITP can they see it on marrow aspiration": a condition put first, then a question in a
# question's word order, typed without punctuation
_FRONTED_QUESTION = re.compile(
    r"^\W*(?:\w+\s+){1,3}?(?:can|could|will|would|do|does)\s+(?:they|you|u|it|the\s+\w+)\s+"
    r"(?:\w+\s+)?(?:see|find|detect|spot|pick|show|tell|diagnose|confirm)\b", re.IGNORECASE)


# what tells rather than asks although an asking word is in it: "anaemia they cant explain",
# "I'm asking for her because she's too tired to type"
_TOLD_ASKING = re.compile(
    r"\b(?:(?:can'?t|cannot|can\s+not|couldn'?t|could\s+not|no\s+one\s+can|nobody\s+can)\s+explain"
    r"|(?:i'?m|i\s+am|im)\s+asking\s+(?:for|on\s+behalf\s+of)\s+(?:him|her|them|my\s+\w+))\b",
    re.IGNORECASE)


# when the test is, in a message typed short: "bmb 2moro 😬", "trephine tomoro, scared"
_WHEN_BOOKED = re.compile(
    r"\b(?:tomorrow|tomoz|tomorow|tomoro|tommorow|tmrw|tmr|2moro|2morrow|2mrw|today|tonight|"
    r"(?:on|this|next)\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day|next\s+(?:week|wk)|"
    r"this\s+(?:morning|afternoon))\b", re.IGNORECASE)


def is_statement(text: str | None) -> bool:
    """The message tells, it does not ask (see the patterns above); 4 words or more."""
    if text and _GREETING_OPENING.match(text):
        text = _ANNOUNCED_QUESTION.sub("", text).rstrip(" ?")
    if text:
        text = _TOLD_ASKING.sub("", _KNOW_ABOUT_IT.sub("", _INFO_REQUEST.sub("", text)))
    short = len(text.split()) < 4 if text else True
    if short and text and _WHEN_BOOKED.search(text):
        short = False  # "bmb 2moro", "trephine tomoro, scared": when it is, told short
    if (not text or "?" in text or _ASKING.search(text) or short
            or _ASKING_CLAUSE.search(text) or _TRAILING_QUESTION.search(text)
            or _FRONTED_QUESTION.search(text)):
        return False  # a fragment ("biopsy pain") is a question typed short
    sentences = [part.strip() for part in re.split(r"[.!;\n]+", text) if part.strip()]
    return bool(sentences) and not any(
        _QUESTION_OPENING.match(_OPENING_FILLERS.sub("", sentence)) for sentence in sentences
    )


def requests_information(text: str | None) -> bool:
    """"..., and I would appreciate some information", "... just wanted to know a bit about it
    first": a general request about the test named."""
    return bool(text and (_INFO_REQUEST.search(text) or _KNOW_ABOUT_IT.search(text)))


_QUESTION_WORD_FIRST = re.compile(rf"^\W*(?:{_QUESTION_WORDS})\b", re.IGNORECASE)


def opens_with_a_question_word(text: str | None) -> bool:
    """'hw is it dun': a question typed without its question mark."""
    return bool(text and _QUESTION_WORD_FIRST.match(text))


def opens_with_greeting(text: str | None) -> bool:
    """The message opens with a greeting: "hi, my son has a biopsy tomorrow", "g'day, ..."."""
    return bool(text and _GREETING_OPENING.match(text))
