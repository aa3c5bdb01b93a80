"""Where the sample is taken, as patients ask it: "wat bone", "so its from my chest?", "where on
me is that even", "...from his sternum, is that normal", "can they use a different one": how the
test is done says (the pelvic or breast bone; sometimes another bone)."""

from __future__ import annotations

import re

from bot.asks.feelings import mentions_a_feeling
from bot.asks.risks import RISK_WORDS
from bot.asks.sentences import MARROW_WORD, asked_sentences

# "wat bone", "which bone do they use?": where the sample is taken, how the test is done
_WHICH_BONE = re.compile(
    r"^\W*(?:(?:and|so|ok|okay|n|but)\W+)*(?:wat|what|which|wich|wot)\s+bones?\b"
    r"(?:\s+(?:do|will|would|does|is|are)\s+(?:they|you|it)\b[^?!.]*)?\W*$",
    re.IGNORECASE,
)


# "is that why they take the biopsy from the hip?", "so that's why they do it there": where the
# sample is taken, after what marrow is
_WHY_THERE = re.compile(
    r"\b(?:is\s+that|that'?s|thats|is\s+this|this\s+is)\s+why\s+(?:they|you|the\s+doctors?)\s+"
    r"(?:\w+\s+){0,4}?(?:from\s+the\s+\w+|there|in\s+the\s+(?:hip|chest|back|breastbone|pelvis))\b"
    # "why from the hip", "why the hip", "why do they take it from the back of the hip"
    r"|\b(?:why|y|how\s+come)\s+(?:(?:do|does|did|is|are|would|will)\s+(?:they|you|it|the\s+doctors?)\s+"
    r"(?:\w+\s+){0,3}?)?(?:from|in|at|the|use\s+the)\s+(?:the\s+)?(?:back\s+of\s+the\s+)?(?:hip|hips|hipbone|"
    r"chest|back|breastbone|sternum|pelvis|pelvic\s+bone|iliac\s+crest|shin|leg)\b",
    re.IGNORECASE)


def asks_why_it_is_taken_there(text: str | None) -> bool:
    return bool(text and _WHY_THERE.search(text))


def asks_which_bone(text: str | None) -> bool:
    return bool(text and _WHICH_BONE.match(text))


# "so its from my chest?", "Does it always have to be the hip?", "Is in the chest?": a short
# question about the place the sample is taken from (a body site the pipeline found)
MAX_SITE_QUESTION_WORDS = 9
_SITE_QUESTION = re.compile(
    r"^\W*(?:(?:so|and|but|ok|okay|oh|wait|like)\W+)*(?:is|does|do|will|can|could|would|has|its|"
    r"it'?s|from|in|into|on|always|only|which|where)\b", re.IGNORECASE)


# "is bleeding from the breastbone common after it?": a risk of the site, not where it is done
_A_RISK = re.compile(
    rf"\b(?:{RISK_WORDS}|bleed\w*|bled|infect\w*|bruis\w*|damage\w*|danger\w*|risk\w*|"
    r"side\s+effects?|scar\w*|puncture\s+\w+\s+organ)\b", re.IGNORECASE)
# where a sample may be taken, in words the entity ruler leaves out ("chest", "back")
_SITE_WORDS = re.compile(r"\b(?:chest|back|spine|bum|leg)\b", re.IGNORECASE)


def asks_where_it_is_done(text: str | None, sites: list[str]) -> bool:
    """``sites``: the body sites the message names; one (or "chest", "back") must be in the
    question itself."""
    if not text:
        return False
    # each question of the message ("they said sternal tap?? like in my CHEST??")
    questions = asked_sentences(text)
    return any(
        len(question.split()) <= MAX_SITE_QUESTION_WORDS
        and (any(site.lower() in question.lower() for site in sites)
             or bool(_SITE_WORDS.search(question)))
        and bool(_SITE_QUESTION.match(question)) and not MARROW_WORD.search(question)
        and not mentions_a_feeling(question) and not _A_RISK.search(question)
        for question in questions)


# "my father's aspiration is going to be from his sternum, is that normal", "they want to take
# marrow from my breast bone?? is that normal": whether the place named is the usual one, which
# how the test is done says (the pelvic or breast bone; sometimes another bone)
_USUAL = re.compile(
    r"\b(?:is|isn'?t)\s+(?:that|this|it)\s+(?:\w+\s+)?(?:normal|usual|standard|common|typical|"
    r"ok|okay|right|unusual)\b", re.IGNORECASE)
_BLOOD = re.compile(r"\bblood\b", re.IGNORECASE)
_FROM_A_SITE = re.compile(
    r"\b(?:from|in|into|out\s+of|through)\s+(?:the|my|his|her|their|your|ur)\s+(?:\w+\s+)?$",
    re.IGNORECASE)


def asks_if_the_site_is_usual(text: str | None, sites: list[str]) -> bool:
    """``sites``: the body sites the message names, as written."""
    if (not text or not _USUAL.search(text) or mentions_a_feeling(text) or _A_RISK.search(text)
            or _BLOOD.search(text)):
        return False
    lowered = text.lower()
    return any(_FROM_A_SITE.search(lowered[:lowered.find(site.lower())])
               for site in sites if site.lower() in lowered)


# "Where on the body do they take the marrow from?", "where on me is that even", "pelvic bone
# meaning my hip?", "is it even my back or is it my hip": where the sample is taken from (not
# where marrow is, nor where stem cells are collected)
_SITE = r"(?:lower\s+)?(?:back|hip|hips|chest|spine|breastbone|breast\s+bone|pelvis|bum|sternum)"
_WHERE_TAKEN = re.compile(
    r"\bwhere\s+(?:on\s+(?:the|my|your|his|her)\s+body\s+)?(?:do|will|would|did|does|are|r)\s+"
    r"(?:they|you|u|the\s+doctors?|the\s+nurses?)\s+(?:\w+\s+)?(?:take|taking|get|getting|draw|"
    r"drawing|put|putting|stick|sticking|insert|inserting|go|going)\b"
    r"|\bwhere\s+on\s+(?:me|him|her|them|(?:my|the|his|her|your)\s+body)\b"
    # "...she doesnt like surprises which bone do they take it from"
    r"|\b(?:which|what|wat|wich)\s+bones?\s+(?:do|will|would|does|is|are)\s+(?:they|you|u|the\s+doctors?)\s+"
    r"(?:\w+\s+)?(?:take|taking|use|using|go|going|get|getting)\b"
    # "and where in the body does it come from"
    r"|\bwhere\s+(?:in|on|from)\s+(?:the|my|his|her|your)\s+body\s+(?:does|do|will|is|would)\s+"
    r"(?:it|they|the\s+\w+)\s+(?:come|coming|taken|get|got|take)\b"
    rf"|\b(?:meaning|mean|means|as\s+in)\s+(?:my|the|his|her|your)\s+{_SITE}\b"
    # "chest??", "from the hip?": a site alone, asked
    rf"|^\W*(?:(?:and|or|so|n)\W+)?(?:(?:from|in|on|into|through)\s+)?(?:the\s+|my\s+|his\s+|her\s+|"
    rf"ur\s+|your\s+)?{_SITE}(?:\s+(?:bone|too|then|instead))?\s*\?+\W*$"
    rf"|\b(?:my|the|his|her|your)\s+{_SITE}\s+or\s+(?:is\s+it\s+)?(?:(?:in|from)\s+)?"
    rf"(?:my|the|his|her|your)\s+{_SITE}\b"
    # the question word last, as said by someone learning English or in disbelief: "they take
    # from where?", "it's taken from where exactly"
    r"|\b(?:they|you|u|doctors?)\s+(?:\w+\s+)?(?:take|taking|get|getting|draw|drawing|stick|put|go|"
    r"going)\s+(?:it\s+|them\s+|the\s+\w+\s+)?(?:from|in|into)\s+where\b"
    r"|\b(?:taken|drawn|removed)\s+(?:out\s+)?from\s+where\b"
    # "where from?", "and from where?" (session 18, blind63)
    r"|^\W*(?:(?:and|so|ok|okay)\W+)?(?:where\s+from|from\s+where)\W*$"
    # "and where is the marrow taken from in my test" (session 17)
    r"|\bwhere\s+(?:is|are|was|will|would|does)\s+(?:it|the\s+\w+|that|this)\s+(?:be\s+)?"
    r"(?:taken|drawn|removed|extracted)\s+(?:out\s+)?(?:from|of)\b"
    # a site named as the place it is taken from: "do they take it out of ur back or wat"
    rf"|\b(?:take|taking|get|getting|draw|drawing)\s+(?:it|the\s+\w+)\s+(?:out\s+)?(?:of|from)\s+"
    rf"(?:ur|your|my|his|her|the)\s+{_SITE}\b",
    re.IGNORECASE)
_STEM = re.compile(r"\bstem\b", re.IGNORECASE)


def asks_where_they_take_it(text: str | None) -> bool:
    return bool(text and _WHERE_TAKEN.search(text) and not _STEM.search(text))


# "It also says 'posterior iliac crest'. Where on earth is that?": where a site just named is
_WHERE_IS_THAT = re.compile(
    r"\bwhere\s+(?:on\s+earth\s+|exactly\s+|abouts\s+|tf\s+)?(?:is|s)\s+(?:that|this|it)\b"
    r"|\bwhere(?:'s|s)\s+(?:that|this)\b", re.IGNORECASE)


def asks_where_a_site_is(text: str | None, sites: list[str]) -> bool:
    """``sites``: the body sites the message names."""
    return bool(text and sites and _WHERE_IS_THAT.search(text))


# "can they use a different one" right after which bone: another bone, which how the test is
# done says ("Sometimes, another bone is selected")
_ANOTHER_PLACE = re.compile(
    r"\bdifferent\s+(?:one|bone(?!\s+marrow)|place|site|spot|area|side)\b"
    r"|\b(?:another|other)\s+(?:bone(?!\s+marrow)|place|site|spot|area|side|part\s+of\s+the\s+body)\b",
    re.IGNORECASE)


def asks_about_another_place(text: str | None) -> bool:
    return bool(text and _ANOTHER_PLACE.search(text))
