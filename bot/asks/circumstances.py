"""The patient's own medicines and health, in a conversation about a test."""

from __future__ import annotations

import re

from bot.asks.risks import RISK_WORDS

# In a conversation about a test, what the patient says about their own medicines or health
# ("I take aspirin daily", "can I still take my normal tablets?", "he's 79 and diabetic, is he
# more at risk?") is about getting ready for that test or its risks, not another subject: the
# leaflets' preparation sections list the medicines, allergies and pregnancy to tell the
# provider about.
_OWN_MEDICINES = re.compile(
    r"\b(?:tablets?|pills?|medicines?|medications?|meds|aspirin|warfarin|blood\s+thinners?|"
    r"anticoagulants?|insulin|allerg(?:y|ies|ic)|pregnant|pregnancy|breast\s*feeding|"
    r"supplements?|ibuprofen|nsaids?|steroids?|clopidogrel|apixaban|rivaroxaban|metformin|"
    r"antibiotics?|react(?:s|ed)?\s+badly|bad\s+reactions?|reactions?\s+to)\b",
    re.IGNORECASE,
)
_OWN_RISK = re.compile(
    r"\b(?:risk|risks|risky|riskier|safe|safer|dangerous|more\s+likely|bleed|bleeding|bleeds|"
    r"infections?)\b", re.IGNORECASE)
# Before the test, not the pain relief after it: "should I stop my ibuprofen before the BMB?"
# (one vocabulary for both readings: bot/asks/results.py reads pain relief with it)
BEFORE_THE_TEST_WORDS = (r"before|beforehand|night\s+before|morning\s+of|stop|stopping|pause|"
                         r"hold\s+off")
_BEFORE_THE_TEST = re.compile(
    rf"\b(?:{BEFORE_THE_TEST_WORDS}|tell|let\s+(?:the|them|him|her|my)\b[\w\s]{{0,20}}\bknow)\b",
    re.IGNORECASE)
_AFTER_THE_TEST = re.compile(r"\b(?:after|afterwards|afterward|once\s+it'?s\s+done)\b",
                             re.IGNORECASE)


def asks_about_own_medicines_before(text: str | None) -> bool:
    """'should I stop my ibuprofen before the BMB?', 'mum is on aspirin and steroids, what should
    she let the doctor know?': getting ready for the test (the leaflets' preparation), not the
    clinic's pain relief afterwards."""
    return bool(text and _OWN_MEDICINES.search(text) and _BEFORE_THE_TEST.search(text)
                and not _AFTER_THE_TEST.search(text))


# bleeding problems, which the preparation says to tell the provider about (asked about a risk,
# "I am a haemophilia carrier. Is the bone marrow test more risky for me?", they are the risks)
_BLEEDING_PROBLEMS = re.compile(
    r"\b(?:ha?emophilia\w*|bleeding\s+(?:disorders?|problems?)|clotting\s+(?:disorders?|problems?)|"
    r"von\s+willebrand\w*"
    # "I bruise really easily, does that matter" (session 16): a bleeding problem
    r"|bruis(?:e|es|ing)\s+(?:really\s+|very\s+|so\s+|quite\s+)?(?:easily|easy|a\s+lot)|easy\s+bruising)\b",
    re.IGNORECASE)


# a risk asked in so many words, beside a bleeding problem named ("bleeding" in "bleeding
# disorder" is its name, not a question about bleeding)
_RISK_WORDS = (rf"{RISK_WORDS}|danger|more\s+likely|"
               r"bleed|bleeds|bled|bleeding(?!\s+(?:disorders?|problems?))")
_RISK_IN_WORDS = re.compile(rf"\b(?:{_RISK_WORDS})\b", re.IGNORECASE)
_ASKED_RISK = re.compile(rf"\b(?:{_RISK_WORDS}|infections?)\b", re.IGNORECASE)


def names_a_risk(text: str | None) -> bool:
    """A risk asked in so many words ("any serious risks", "is it safe", "will she bleed"; an
    infection may be a finding as well as a risk)."""
    return bool(text and _RISK_IN_WORDS.search(text))


def names_a_bleeding_problem(text: str | None) -> bool:
    """'what if i have a bleeding disorder', 'she has a bleeding disorder, will that be an
    issue': a bleeding problem to tell the provider about (the preparation), with no risk asked
    in so many words ("is it riskier with haemophilia?" asks the risks)."""
    return bool(text and _BLEEDING_PROBLEMS.search(text) and not _ASKED_RISK.search(text))


def circumstance_topic(text: str | None) -> str | None:
    """'preparation' for one's own medicines, allergies or pregnancy, 'risks' for 'is it riskier
    for him?'; None otherwise."""
    if not text:
        return None
    if _OWN_MEDICINES.search(text):
        return "preparation"
    if _OWN_RISK.search(text):
        return "risks"
    if _BLEEDING_PROBLEMS.search(text):
        return "preparation"  # "does haemophilia in the family matter for it"
    return None


# "is that something to bring up before her BMA?", "should we mention it to them?", "do they need
# to know?": what to tell the provider beforehand is the leaflets' preparation
_WHAT_TO_TELL = re.compile(
    r"\b(?:something|anything|things?)\s+(?:else\s+)?(?:(?:i|we|she|he|they)\s+)?(?:should\s+|need\s+to\s+|"
    r"must\s+|ought\s+to\s+|to\s+)?(?:bring\s+up|mention|raise|flag|tell\s+(?:them|the\s+\w+))\b"
    r"|\b(?:should|do|must|shall)\s+(?:i|we|she|he|they)\s+(?:\w+\s+)?(?:bring\s+(?:it|this|that)\s+"
    r"up|bring\s+up|mention|raise|flag\s+up|tell\s+(?:them|the\s+\w+)|let\s+(?:them|the\s+\w+)\s+know)\b"
    r"|\b(?:do|does|should|would)\s+(?:they|the\s+(?:doctors?|team|nurses?|consultant))\s+"
    r"(?:need\s+to\s+)?know\b"
    # "he's got a bleeding disorder as well does that matter", "i take ibuprofen, is that relevant"
    r"|\b(?:i|he|she|they|we)(?:'s|'ve|'m|\s+\w+)\b[^?]*"
    r"\b(?:does|would|will|is|could)\s+(?:that|it|this)\s+(?:\w+\s+)?(?:matter|count|relevant|make\s+a\s+"
    r"difference|change\s+anything)\b"
    # "anything else i should know before i go in", "what do we need to do beforehand"
    r"|\b(?:anything|what)\s+(?:else\s+)?(?:(?:should|do|must|does)\s+(?:i|we|she|he|they)|"
    r"(?:i|we|she|he|they)\s+(?:should|must|need\s+to|have\s+to|ought\s+to))\s+(?:need\s+to\s+)?"
    r"(?:know|do|bring)\b(?:\s+\w+){0,3}?\s+(?:before(?:\s+(?:i|we|she|he|they)\s+go\s+in|"
    r"\s+the\s+\w+)|beforehand|ahead\s+of\s+(?:it|time|the\s+\w+))\b"
    # "...under general anaesthetic next week. Is there anything we need to do to prepare her?"
    r"|\b(?:anything|what)\s+(?:else\s+)?(?:do|should|must|can)?\s*(?:i|we|she|he|they)\s+"
    r"(?:\w+\s+){0,2}?(?:do\s+to\s+)?(?:prepare|get\s+ready)\b",
    re.IGNORECASE,
)
PREPARATION_LOOK_ALIKES = frozenset({"risks", "overview", "purpose", "sensation", "how_performed",
                                     "expectations"})


def asks_what_to_tell_them(text: str | None) -> bool:
    """Whether something should be told to the team beforehand: the preparation (not after the
    test: "should I tell them if it bleeds after?")."""
    return bool(text and _WHAT_TO_TELL.search(text) and not _AFTER_THE_TEST.search(text))


# "I also have a bleeding disorder, von willebrands", "he takes warfarin", "I'm on steroids": one's
# own health or medicines, told
_TELLS_OWN_HEALTH = re.compile(
    r"\b(?:i|he|she|they|we|my\s+\w+)\s+(?:also\s+|do\s+|does\s+)?(?:have|has|had|take|takes|"
    r"got|suffers?|(?:am|is|are)\s+(?:also\s+)?(?:on|allergic|pregnant|diabetic|epileptic))\b"
    r"|\b(?:i'?m|im|he'?s|hes|she'?s|shes)\s+(?:also\s+)?(?:on|allergic|pregnant|diabetic|"
    r"epileptic|anaemic|anemic)\b"
    # "I bruise and bleed easily too": a bleeding problem told
    r"|\b(?:i|he|she|they|we|my\s+\w+)\s+(?:also\s+)?(?:bruises?|bleeds?)(?:\s+and\s+(?:bruises?|bleeds?))?"
    r"\s+(?:very\s+|really\s+)?(?:easily|a\s+lot)\b",
    re.IGNORECASE)


def tells_own_health(text: str | None) -> bool:
    return bool(text and _TELLS_OWN_HEALTH.search(text))


MAX_MEDICINE_FOLLOW_UP_WORDS = 8
# the pain relief after the test, or the sedation during it: not one's own medicines to tell
_NOT_ONES_OWN_MEDICINE = re.compile(
    r"\b(?:pain|painkillers?|sore|soreness|ache|aches|relief|sleep|asleep|sedat\w*|relax\w*|"
    r"during|knock\w*|put\s+under|gas)\b", re.IGNORECASE)


def adds_own_medicine(text: str | None) -> bool:
    """'she's on aspirin as well', 'and her aspirin?': one more of one's own medicines told or
    named, in a few words (not the pain relief after the test, "can I take ibuprofen after?", nor
    the sedation during it, "They give him medicine to sleep during?")."""
    return bool(text and len(text.split()) <= MAX_MEDICINE_FOLLOW_UP_WORDS
                and _OWN_MEDICINES.search(text) and not _AFTER_THE_TEST.search(text)
                and not _NOT_ONES_OWN_MEDICINE.search(text))
