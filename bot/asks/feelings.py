"""How the test feels, as patients ask it: comparisons, ratings, how long it hurts, and
which part of "what to expect" a question asks."""

from __future__ import annotations

import re

from bot.asks.risks import RISK_WORDS
from bot.asks.sentences import sentences

# "how long does the soreness last?", or "how long does that last?" right after how it feels:
# how long it hurts (the leaflet's "How the Test will Feel"), not how long the test takes
_HOW_LONG_IT_LASTS = re.compile(
    r"\bhow\s+long\b.*\b(?:lasts?|lasting|go(?:es)?\s+(?:on|away)|stays?|lingers?|wears?\s+off|"
    r"settles?|to\s+(?:go|settle|wear\s+off|ease))\b",
    re.IGNORECASE,
)
_FEELING = re.compile(
    r"\b(?:pain|painful|hurt|hurts|hurting|sore|soreness|ache|aches|aching|achy|discomfort|"
    r"tender|tenderness|sting|stinging|burning|throbbing|bruise|bruising|pressure|sharp|pinch|"
    r"pinching|pulling|tugging|horrible|awful|nasty|worst|uncomfortable)\b",
    re.IGNORECASE,
)
_THAT = re.compile(r"\b(?:it|that|this|the\s+feeling)\b", re.IGNORECASE)


# "for how many seconds roughly?" right after how it feels (which says "a few seconds")
_HOW_MANY_SECONDS = re.compile(r"\bhow\s+many\s+(?:seconds|secs|minutes|mins)\b", re.IGNORECASE)
# "and for how long?", "how long for" right after how it feels: how long that feeling lasts (a
# bare "how long?" asks how long the test takes)
_HOW_LONG_FRAGMENT = re.compile(
    r"^\W*(?:(?:and|but|so|ok|okay|oh)\W+)*(?:for\s+how\s+long|how\s+long\s+for|(?:it\s+|that\s+)?"
    r"lasts?\s+(?:for\s+)?how\s+long)"
    r"(?:\s+(?:tho|though|then|roughly|usually))?\W*$",
    re.IGNORECASE)


def asks_how_long_it_hurts(text: str | None, last_topic: str | None) -> bool:
    """'how long does the pain last' (or 'how long does that last', 'for how many seconds?',
    'and for how long?' after how it feels)."""
    if text and last_topic == "sensation" and (
            _HOW_MANY_SECONDS.search(text) or _HOW_LONG_FRAGMENT.match(text)):
        return True
    if not text or not _HOW_LONG_IT_LASTS.search(text):
        return False
    return bool(_FEELING.search(text) or (last_topic == "sensation" and _THAT.search(text)))


# "is it worse than a blood test?", "scale of 1-10 how bad is a BMA", "how painful is the
# trephine?": a comparison or a rating of the experience is how it feels (but not "is it riskier
# than...", nor a rating of the results)
_HOW_IT_FEELS = re.compile(
    r"\b(?:worse|better|more\s+painful|less\s+painful|more\s+uncomfortable|as\s+bad|as\s+painful|"
    r"as\s+sore|hurts?\s+more|more\s+sore)\s+(?:than|as|then(?=\s+(?:an?|the|my|having|getting|"
    r"normal|regular|usual|ordinary|when)\b))\b"  # "worse then a normal blood test" (a typo)
    r"|\bhow\s+(?:bad|painful|sore|uncomfortable|horrible|awful)\s+(?:is|are|was|will|does|would)\b"
    r"|\bhow\s+(?:bad|painful|sore|uncomfortable|horrible|awful)\s+(?:it|this|that)\s+(?:is|will|would|was)\b"
    # "which one is worse then", "which hurts more" (the two tests compared)
    r"|\bwhich\s+(?:one\s+|test\s+|of\s+(?:them|the\s+two|those)\s+)?(?:is|was|will\s+be|would\s+be|"
    r"hurts?|feels?)\s+(?:\w+\s+)?(?:worse|the\s+worst|more\s+painful|most\s+painful|less\s+painful|"
    r"more|less)\b(?!\s+(?:risky|dangerous|serious|accurate|reliable|likely))"
    # "does it feel different to the aspirate", "would it feel any different for a child"
    r"|\b(?:does|do|will|would|did|might|could)\s+(?:\w+\s+){1,3}?(?:feel|hurt)\s+(?:any\s+|much\s+|"
    r"very\s+)?(?:different|differently|the\s+same)\b"
    r"|\bscale\s+(?:of\s+)?(?:1|one|0|zero)\s*(?:-|to)\s*(?:10|ten)\b|\bout\s+of\s+(?:10|ten)\b"
    # "is it actually that bad", "will his be as bad" (session 13)
    r"|\b(?:is|will|would|was|does)\s+(?:it|that|this|his|hers|mine|theirs|the\s+\w+)\s+(?:be\s+|"
    r"going\s+to\s+be\s+|gonna\s+be\s+)?(?:really\s+|actually\s+|honestly\s+|even\s+)?"
    r"(?:that|as|so)\s+bad\b(?!\s+(?:for|to)\b)"
    # "how bad tho compared to getting blood taken", "is that gonna be worse?"
    r"|\bhow\s+(?:bad|painful|sore)\b.*\b(?:compared|vs|versus)\b"
    # "like how bad tho", "how painful really": the fragment alone
    r"|^\W*(?:(?:like|so|and|but|ok|okay|n)\W+)*how\s+(?:bad|painful|sore|much\s+does\s+it\s+hurt)"
    r"(?:\s+(?:is\s+it|tho|though|really|exactly|honestly))*\W*$"
    r"|\b(?:is|will|would|was)\s+(?:it|that|this|the\s+\w+)\s+(?:gonna\s+be\s+|going\s+to\s+be\s+|"
    r"be\s+)?(?:any\s+|even\s+|much\s+)?(?:worse|more\s+painful)\W*$"
    # "... sounds horrible. does that hurt?", "will it sting"
    r"|\b(?:does|will|would|did|is)\s+(?:it|that|this|the\s+\w+)\s+(?:going\s+to\s+|gonna\s+)?"
    r"(?:hurt|sting|ache)\b"
    # "how will it feel for him", "what does it feel like"
    r"|\bhow\s+(?:will|does|would|did|is|might)\s+(?:it|that|this|the\s+\w+)\s+(?:going\s+to\s+)?feel\b"
    r"|\bwhat\s+(?:will|does|would|did|might)\s+(?:it|that|this|the\s+\w+)\s+(?:\w+\s+)?feel\s+like\b"
    # "partner's having a bmb friday whats it feel like" (the "does" dropped)
    r"|\bwh?at(?:'s|\u2019s|s)\s+(?:it|that|this)\s+feel\s+like\b"
    # "they'll do the aspiration first, what's that part like", "what is the biopsy really like"
    r"|\bwhat(?:'s|\u2019s|s|\s+is|\s+was|\s+will\s+be)\s+(?:it|that|this|the\s+(?:procedure|test|"
    r"aspiration|biopsy|bma|bmb|trephine|numbing|injection))(?:\s+(?:part|bit|one))?\s+"
    r"(?:actually\s+|really\s+|honestly\s+)?like\b"
    # numbing the bone itself: "can they numb the inside of the bone?", "can't they numb it
    # properly", "why tho if they numb it first" (the biopsy leaflet: "the inside of the bone
    # cannot be numbed"); not "do they numb the area first?", how it is done
    r"|\bnumb\w*\s+(?:\w+\s+){0,3}?(?:inside|itself|properly|completely|fully|the\s+bone)\b"
    r"|\b(?:can'?t|cannot|can\s+not)\s+(?:they|you|u)\s+(?:just\s+)?numb\b"
    r"|\bif\s+(?:they|you|u)\s+numb\b"
    # "why can't the interior of the bone be anaesthetised"
    r"|\b(?:inside|interior|middle)\s+of\s+the\s+bone\s+(?:\w+\s+){0,3}?(?:numb\w*|ana?esthe\w*|frozen)\b"
    # "what would I feel if I am awake"
    r"|\bwhat\s+(?:will|would|do|does|might|could|did)\s+(?:i|he|she|they|you|u|we)\s+feel\b"
    # "Will I be able to feel them taking the core of bone?", "will he feel anything"
    r"|\b(?:will|would|can|do|does|did)\s+(?:i|he|she|they|you|u|we|my\s+\w+)\s+(?:be\s+able\s+to\s+)?"
    r"feel\s+(?:it|that|this|them|anything|much|a\s+lot|the\s+\w+)\b"
    # "I'm trying to work out how much it's going to hurt her" (session 17)
    r"|\bhow\s+(?:much|badly)\s+(?:it|this|that|the\s+\w+)(?:'s|\u2019s|\s+is|\s+will|'ll|\s+would)?\s+"
    r"(?:going\s+to\s+|gonna\s+)?(?:hurt|sting|ache)\b"
    # "she keeps asking if it will hurt": the question, told
    r"|\b(?:if|whether)\s+(?:it|this|that|the\s+\w+)\s+(?:will|would|is\s+going\s+to|is\s+gonna|gonna)\s+"
    r"(?:hurt|sting|be\s+(?:painful|sore))\b",
    re.IGNORECASE,
)
_NOT_A_FEELING = re.compile(
    rf"\b(?:{RISK_WORDS}|results?|infections?|bleeding|recovery|heal|healing)\b",
    re.IGNORECASE,
)
# the leaflet topics such a question is sometimes taken for
FEELING_LOOK_ALIKES = frozenset({"overview", "how_performed", "risks", "alternative_names",
                                 "purpose"})


def asks_how_it_feels(text: str | None) -> bool:
    """A sentence that asks how it feels and not about its risks or results ("...referred for a
    bone marrow examination following some unusual results. I would like to understand how
    uncomfortable it will be for him." asks how it feels)."""
    return bool(text) and any(
        _HOW_IT_FEELS.search(part) and not _NOT_A_FEELING.search(part)
        for part in sentences(text) or [text])


# "had my BMA this morning and my hip is proper achy now, is that normal": how it feels, not
# what normal results are
_ACHE_NORMAL = re.compile(
    r"\b(?:achy|aching|aches|sore|tender|stiff|throbbing|hurts|hurting|painful)\b"
    r"[^?]*\b(?:is|it'?s|its)\s+(?:that|this|it)?\s*(?:normal|ok|okay|expected|usual)\b",
    re.IGNORECASE)


def asks_if_an_ache_is_normal(text: str | None) -> bool:
    return bool(text and _ACHE_NORMAL.search(text))


def mentions_a_feeling(text: str | None) -> bool:
    """A word for a feeling ("sore", "hurt", "horrible") or a question about one."""
    return bool(text and (_FEELING.search(text) or _HOW_IT_FEELS.search(text)))


# "What should I expect?", "what am I in for?" ask both how the test is done and how it feels.
# A question the classifier put there without asking what to expect asks one of them: "what's it
# like having a marrow aspiration?", "how will it feel for him?" is how it feels; "can you tell me
# what it involves?", "walk me through it" is how it is done.
_WHAT_TO_EXPECT = re.compile(
    r"\b(?:expect\w*|in\s+for|go(?:es|ing)?\s+through|went\s+through|experience)\b",
    re.IGNORECASE,
)
_EXPECT_TO_FEEL = re.compile(
    r"\bexpect\s+(?:to\s+feel|it\s+to\s+(?:feel|hurt)|(?:him|her|them|me)\s+to\s+feel)\b",
    re.IGNORECASE)
_HOW_IT_IS_FELT = re.compile(
    r"(?<!\bi\s)(?<!\bwe\s)(?<!'d\s)(?<!\bwould\s)\blike\b|\b(?:feel\w*|felt|hurt\w*|pain\w*|sore\w*|bad|worse|uncomfortable|discomfort|"
    r"agony|sting\w*|ache\w*)\b",
    re.IGNORECASE,
)

_HOW_IT_IS_DONE = re.compile(
    r"\b(?:happens?|happening|involves?|involved|done|steps?|process|through\s+it)\b",
    re.IGNORECASE,
)


def expectation_part(text: str | None) -> str:
    """'expectations' (both sections) when the message asks what to expect or asks both ("talk me
    through what happens and what I'll feel"), else 'sensation' or 'how_performed', whichever
    part it asks."""
    if text and _EXPECT_TO_FEEL.search(text):
        return "sensation"  # "what should I expect to feel"
    if not text or _WHAT_TO_EXPECT.search(text):
        return "expectations"
    if asks_how_it_feels(text):
        return "sensation"  # "On a scale of 1 to 10 how bad is a sternal tap? ...ever had done."
    felt, done = _HOW_IT_IS_FELT.search(text), _HOW_IT_IS_DONE.search(text)
    if felt and done:
        return "expectations"
    return "sensation" if felt else "how_performed"


# being put to sleep, asked ("will she be asleep?") rather than told ("...on Monday under
# sedation.")
_SEDATION_WORDS = re.compile(
    r"\b(?:sedat\w*|asleep|sleep|put\s+under|general\s+ana?esthe\w*|knocked\s+out|gas\s+and\s+air|"
    r"awake)\b", re.IGNORECASE)

# a sentence that tells: it ends in a full stop, or says the test is done under sedation
_TOLD_SENTENCE = re.compile(
    r"\.\s*$|\b(?:is|has|have|having|will\s+be)\s+(?:\w+\s+){0,8}?(?:under|with)\s+(?:\w+\s+)?"
    r"(?:sedation|general|ana?esthe\w*)\b", re.IGNORECASE)


def asks_how_it_feels_not_sedation(text: str | None) -> bool:
    """"My daughter ... has to have a bone marrow aspiration on Monday under sedation. She keeps
    asking if it will hurt": how it feels, the sedation only told."""
    if not asks_how_it_feels(text):
        return False
    return not any(_SEDATION_WORDS.search(_IF_SEDATED.sub("", part))
                   and ("?" in part or not _TOLD_SENTENCE.search(part))
                   for part in sentences(text) or [text or ""])


# "what will she feel if she is awake": the sedation a condition of the question, not asked
_IF_SEDATED = re.compile(
    r"\b(?:if|when|while)\s+(?:she|he|i|they|we|you|my\s+\w+|her|him)(?:'s|s|\s+is|\s+are|\s+am|"
    r"'m|'re|\s+stays?|\s+remains?|\s+gets?)\s+(?:still\s+|fully\s+|wide\s+)?(?:awake|asleep|"
    r"sedated|conscious)\b", re.IGNORECASE)


# "oh god", "yikes", "that sounds scary", "im dreading it even more now": a worried reaction to
# the answer, asking nothing (acknowledged more warmly than "ok")
_WORRIED = re.compile(
    r"\b(?:oh\s+(?:god|no|dear|crikey|crap|my\s+(?:god|word|gosh))|god|yikes|eek|omg|ugh|jeez|"
    r"ouch|oof|gosh|scar(?:y|es|ed|ing)|terrif\w*|awful|horrible|grim|rough|dread\w*|nervous|"
    r"petrified|not\s+loving|wimp|phobi\w*|hate\s+needles|(?:scared|afraid|frightened)\s+of\s+needles)\b",
    re.IGNORECASE)


def reacts_with_worry(text: str | None) -> bool:
    return bool(text and _WORRIED.search(text))


# "what will I feel and how long does it take": two questions, how it feels asked first
_THEN_HOW_LONG = re.compile(r"(?:\band\b|[,;.?!])\s*(?:also\s+)?how\s+long\b", re.IGNORECASE)


def asks_how_it_feels_then_how_long(text: str | None) -> bool:
    """How it feels asked first, then how long the test takes: both are asked."""
    if not text or not (then := _THEN_HOW_LONG.search(text)):
        return False
    return asks_how_it_feels(text[: then.start()]) and not asks_how_long_it_hurts(
        text[then.start():], None)
