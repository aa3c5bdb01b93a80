"""What can go wrong, as patients ask it: "what should I watch out for after my BMA?", "are there
complications?", "is it normal to have a tiny spot of blood on the plaster?" ask about the risks
(the red-flag layer has already taken what is an emergency now)."""

from __future__ import annotations

import re

# the words that ask about a risk in so many words, shared by the readings that must not take a
# risk question for something else (each adds its own further words)
RISK_WORDS = r"risks?|risky|riskier|safe|safer|dangerous|complications?"

_WATCH_FOR = re.compile(
    r"(?:\bwatch\s+(?:out\s+)?for|\blook\s+out\s+for|\b(?:should|must)\s+(?:i|we|you|he|she)\s+look\s+for"
    r"|\bdo\s+(?:i|we)\s+(?:need\s+to\s+)?look\s+for)\b(?!\s+(?:results?|the\s+results?|a\s+letter|a\s+call))"
    r"|\b(?:warning\s+)?signs?\s+(?:of\s+(?:a\s+)?(?:problem|complication|infection|trouble)|to\s+"
    r"(?:look|watch)|that\s+something)"
    r"|\bcomplications?\b"
    # "what should make me go back to the doctor after, like warning signs"
    r"|\b(?:warning\s+signs?|red\s+flags?)\b(?!\s+(?:of|for)\b)"
    # "whats the worst that could happen"
    r"|\bworst\s+(?:that|thing\s+that|case)\s+(?:could|can|might|would)?\s*(?:happen|go\s+wrong)\b"
    r"|\bworst\s+case\s+scenario\b"
    # "what if something goes wrong", "could anything go wrong" (not "find something wrong")
    r"|\b(?:some|any)thing(?:'s|\u2019s|s|\s+has|\s+had)?\s+(?:\w+\s+)?(?:goes|go|went|going|gone)\s+"
    r"wrong\b"
    r"|\bwhat\s+(?:could|can|might|may|would)\s+(?:possibly\s+|actually\s+)?go\s+wrong\b"
    # "Is it risky at his age?", "is it safe for children" (the whole question: not "is it safe to
    # drive after", the clinic's), also as the last sentence ("they go into her BREASTBONE?? is
    # that dangerous")
    r"|(?:^|[.?!]\s*)\W*(?:(?:and|but|so|ok|okay)\W+)?(?:is|are|will|would)\s+(?:it|this|that|the\s+\w+)\s+"
    r"(?:\w+\s+)?(?:risky|dangerous|safe)(?:\s+(?:at\s+(?:his|her|my|their|your)\s+age|for\s+(?:him|her|"
    r"them|me|kids|children|a\s+child|older\s+people|the\s+elderly)))?\W*$"
    # "and after, any risks?", "risks?", "r there risks", "any dangers"
    r"|\b(?:any|the|what|wat|r\s+there|are\s+there)\s+(?:\w+\s+)?(?:risks?|dangers?)\b(?!\s+(?:of|to)\s+(?:the\s+)?(?:\w+\s+)?(?:cancer|disease|leuka?emia))"
    r"|^\W*risks?\W*$"
    r"|\bhow\s+(?:rare|common|likely|often)\s+(?:is|are)\s+(?:an?\s+)?(?:infections?|bleeding|"
    r"bruising|nerve\s+damage|problems?|side\s+effects?)\b"
    r"|\bwhat(?:'s|\s+is|s)\s+normal\s+and\s+what(?:'s|\s+is|s)?\s+not\b",
    re.IGNORECASE,
)
_IS_IT_NORMAL = re.compile(
    r"\b(?:is|it'?s)\s+(?:it|that|this)?\s*(?:normal|ok|okay|expected|usual)\b", re.IGNORECASE)
_OBSERVED = re.compile(
    r"\b(?:blood|bleed|bleeding|bled|bruise|bruised|bruising|spot|spots|ooz\w*|swelling|swollen|"
    r"plaster|dressing|bandage|red|redness|lump)\b",
    re.IGNORECASE,
)
_RESULTS = re.compile(r"\b(?:results?|reports?|counts?|levels?|cells?|sample)\b", re.IGNORECASE)
# the topics such a question is taken for
RISK_LOOK_ALIKES = frozenset({"normal_results", "abnormal_results", "results", "how_performed",
                              "preparation", "overview", "expectations"})


# "from the chest bone is more dangerous?", "is the biopsy riskier": a comparison of danger
_COMPARES_DANGER = re.compile(
    r"\b(?:more|less)\s+(?:dangerous|risky|of\s+a\s+risk)\b|\b(?:riskier|safer)\b", re.IGNORECASE)


# "how rare", "how common tho": how often, asked of the risks just quoted
_HOW_OFTEN_FRAGMENT = re.compile(
    r"^\W*(?:(?:and|but|so|ok|okay|n)\W+)?how\s+(?:rare|common|likely|often|frequent)"
    r"(?:\s+(?:is\s+(?:it|that|this)|are\s+(?:they|those|these)|tho|though|exactly|really|"
    r"r\s+they))*\W*$"
    # "is that common?", "is it rare tho", "does that happen often", "does it happen a lot"
    r"|^\W*(?:(?:and|but|so|ok|okay|n)\W+)?(?:is|are|r)\s+(?:that|it|this|they|those|these)\s+"
    r"(?:very\s+|really\s+|actually\s+)?(?:common|rare|likely|frequent|usual)"
    r"(?:\s+(?:tho|though|at\s+all|then))?\W*$"
    r"|^\W*(?:(?:and|but|so|ok|okay|n)\W+)?(?:does|do)\s+(?:that|it|this|they|those|these)\s+"
    r"happen\s+(?:often|a\s+lot|much|very\s+often|to\s+many\s+people)\W*$", re.IGNORECASE)


def asks_how_often_it_happens(text: str | None) -> bool:
    return bool(text and _HOW_OFTEN_FRAGMENT.match(text))


def compares_danger(text: str | None) -> bool:
    return bool(text and _COMPARES_DANGER.search(text))


# "theres a tiny bit of blood on the plaster", "is a bit of oozing from the site normal": what is
# seen at the site after the test, told or asked about
_SEEN_AT_THE_SITE = re.compile(
    r"\b(?:there'?s|theres|there\s+is|i\s+have|i'?ve\s+got|got|has|have)\s+(?:a\s+|some\s+)?"
    r"(?:(?:tiny|little|small|wee|bit)\s+)*(?:bit\s+of\s+|spot\s+of\s+|patch\s+of\s+|spots\s+of\s+)?"
    r"(?:blood|bleeding|oozing|ooze|bruising|a\s+bruise)\s+(?:on|through|from|coming|under|around|at)\b"
    r"|\bis\s+(?:a\s+|some\s+|the\s+)?(?:\w+\s+){0,6}?(?:oozing|ooze|bleeding|bruising|blood|"
    r"swelling)\s+(?:\w+\s+){0,4}?(?:normal|ok|okay|expected|usual)\b"
    # "Small spot of blood on the bandage this morning, is that expected", "woke up to a small
    # spot of blood on the plaster"
    r"|\b(?:bit|spot|spots|patch|drop|drops|dot|dots|smear|trace)\s+of\s+(?:blood|bleeding|oozing|"
    r"ooze)\s+(?:on|through|under|coming\s+through)\s+(?:the|my|his|her|their)\s+(?:plaster|"
    r"dressing|bandage|gauze|pad|site|wound)\b",
    re.IGNORECASE)


def tells_what_is_seen_at_the_site(text: str | None) -> bool:
    return bool(text and _SEEN_AT_THE_SITE.search(text) and not _RESULTS.search(text))


# "could the aspiration give me an infection", "can I pick up an infection from it": an infection
# caught from the test, one of its risks (not "can it pick up an infection", what it may find)
_CATCHING_AN_INFECTION = re.compile(
    r"\b(?:i|you|he|she|we|they|my\s+\w+)\s+(?:\w+\s+)?(?:get|catch|pick\s+up|develop)\s+"
    r"(?:an?\s+|any\s+)?infections?\s+(?:from|after|because\s+of|off)\b"
    r"|\b(?:give|gives|giving|cause|causes|lead\s+to)\s+(?:me|him|her|them|you|us|my\s+\w+)?\s*"
    r"(?:an?\s+|any\s+)?infections?\b",
    re.IGNORECASE)


def asks_about_catching_an_infection(text: str | None) -> bool:
    return bool(text and _CATCHING_AN_INFECTION.search(text))


def asks_about_risks(text: str | None) -> bool:
    """'what signs should I look out for after?', 'complications?', 'is it normal to bleed a
    little from where they did it?' (not 'is my count normal')."""
    if not text:
        return False
    if _RESULTS.search(text):
        return False  # "what should I look for in the results", "is my count normal"
    return bool(_WATCH_FOR.search(text) or (_IS_IT_NORMAL.search(text) and _OBSERVED.search(text))
                or _SEEN_AT_THE_SITE.search(text))
