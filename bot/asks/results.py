"""Which results a question asks about: "what are they hoping to see in a good result" is what
normal results mean, "what if it's not normal" what abnormal results mean; "and the results?"
both (bot/topics.py COMPOSITE_TOPICS)."""

from __future__ import annotations

import re

from bot.asks.circumstances import BEFORE_THE_TEST_WORDS

_GOOD = re.compile(
    r"\b(?:good|normal|healthy|clear|fine|ok|okay|all\s+clear|nothing\s+wrong|negative)\s+"
    r"(?:\w+\s+){0,3}?(?:results?|report|outcome|sample|aspirate|biopsy|marrow)\b"
    r"|\b(?:results?|report|it|they)\s+(?:is|are|come\s+back|comes\s+back|came\s+back)\s+"
    r"(?:all\s+)?(?:normal|good|clear|fine|ok|okay)\b",
    re.IGNORECASE,
)
_BAD_WORDS = r"bad|abnormal|not\s+normal|worrying|positive|unusual"
_BAD = re.compile(rf"\b(?:{_BAD_WORDS}|wrong|off)\b", re.IGNORECASE)


RESULT_TOPICS = frozenset({"normal_results", "abnormal_results"})
# "and if not?", "what if it isn't?", "and if they're not normal": the other results, right after
# one of them
_IF_NOT = re.compile(
    r"^\W*(?:(?:and|but|so|ok|okay|n)\W+)*(?:what\s+)?if\s+(?:(?:it|they|the\s+results?|"
    r"(?:it|they)(?:'|\u2019)?(?:s|re)|theyre|its)\s+)?(?:(?:is|are|do|does|come|comes)\s+)?"
    r"(?:not|isn'?t|aren'?t|don'?t|doesn'?t|no)\b(?:\s+(?:normal|good|fine|clear|ok|okay))?\W*$",
    re.IGNORECASE,
)


# "and a bad one?", "what about an abnormal result": the kind of result named, right after one
# of them (session 19, blind72)
_KIND_NAMED = re.compile(
    r"^\W*(?:(?:and|but|so|ok|okay|n|what\s+about|how\s+about|about)\W+)+(?:an?\s+|the\s+)?"
    rf"(?:(?P<bad>{_BAD_WORDS})|"
    r"(?P<good>good|normal|healthy|clear|negative))\s*(?:one|result|results|report|outcome)?\W*$",
    re.IGNORECASE,
)


def opposite_result(text: str | None, last_topic: str | None) -> str | None:
    """Right after normal (or abnormal) results, "and if not?" (or "And if it isn't fine, what
    kinds of things could it be?", the condition in a clause of its own) asks the other; "and a
    bad one?" asks the kind it names."""
    if last_topic not in RESULT_TOPICS or not text:
        return None
    if kind := _KIND_NAMED.match(text):
        return "abnormal_results" if kind.group("bad") else "normal_results"
    if not (_IF_NOT.match(text) or _IF_NOT.match(re.split(r"[,;]", text, maxsplit=1)[0])):
        return None
    return "abnormal_results" if last_topic == "normal_results" else "normal_results"


# "what does that mean then, if they do find it", "what happens if they find something": what
# a finding means is the abnormal results (not why the test is done)
_IF_THEY_FIND = re.compile(
    r"\bif\s+(?:they|it|the\s+(?:test|biopsy|aspiration|sample|results?))\s+(?:do\s+|does\s+)?"
    r"(?:find|finds|found|show|shows|showed|pick\w*\s+up|detects?|detected|come\s+back\s+with)\s+"
    r"(?:it|something|anything|that|this|cancer|leuka?emia|lymphoma|\w+)\b",
    re.IGNORECASE,
)
ABNORMAL_LOOK_ALIKES = frozenset({"purpose", "results", "normal_results"})
# "what would it mean if its in his marrow", "what does it mean if they find it": the same, said
# of the illness being there
_WHAT_IF_THERE = re.compile(
    r"\bwhat\s+(?:would|does|will|did|could)\s+(?:it|that)\s+mean\s+(?:for\s+\w+\s+)?if\s+"
    r"(?:it|they|the\s+\w+)\s*(?:'s|s|is|are|was|were|has|have|do|does|did)?\s*"
    r"(?:in|found|there|spread|got|gone)\b",
    re.IGNORECASE,
)


def asks_what_a_finding_means(text: str | None) -> bool:
    return bool(text and (_IF_THEY_FIND.search(text) or _WHAT_IF_THERE.search(text)))


# "what kind of things can they find from it", "what could her results show": what may be found
_WHAT_IT_MAY_SHOW = re.compile(
    r"\b(?:what|wat|wot)\s+(?:\w+\s+){0,3}?(?:could|can|might|would|will|may)\s+(?:\w+\s+){0,3}?"
    r"(?:show|find|reveal|pick\s+up|detect|turn\s+up|point\s+to|indicate)\b"
    # "which cancers can it pick up", "what kinds of infections could it find"
    r"|\b(?:which|what)\s+(?:kinds?\s+of\s+|types?\s+of\s+|sorts?\s+of\s+)?(?:cancers?|diseases?|"
    r"conditions?|infections?|illness\w*|disorders?|leuka?emias?)\s+(?:can|could|will|might|does|do|would)\s+"
    r"(?:it|they|the\s+\w+|a\s+\w+)\s+(?:\w+\s+)?(?:pick\s+up|find|show|detect|spot|diagnose|catch)\b"
    # "What might they have found?", "what could it have shown"
    r"|\bwhat\s+(?:could|might|may|would)\s+(?:they|it|the\s+\w+)\s+have\s+(?:found|shown|seen|picked\s+up|"
    r"detected)\b",
    re.IGNORECASE,
)


# "what if they find nothing wrong", "and if nothing shows up?", "what if it doesn't show
# anything": the results being normal
_NOTHING_FOUND = re.compile(
    # asked as a condition ("what if", "and if", "when"), not told ("had a camera, nothing found")
    r"\b(?:if|when|suppose|supposing|in\s+case)\b[^.?!]{0,40}?(?:"
    r"\b(?:find|finds|found|show|shows|showed|see|sees|saw|pick\s+up|picks\s+up)\s+nothing\b"
    r"|\bnothing\s+(?:is\s+|was\s+|gets?\s+)?(?:wrong|found|abnormal|shows?\s+up|showed\s+up|"
    r"turns?\s+up|comes?\s+up)\b"
    r"|\b(?:do\s*n'?t|doesn'?t|didn'?t|dont|doesnt|didnt|do\s+not|does\s+not)\s+(?:find|show|see|"
    r"pick\s+up)\s+anything\b)",
    re.IGNORECASE)
NOTHING_FOUND_LOOK_ALIKES = frozenset({"abnormal_results", "results"})


def asks_if_nothing_is_found(text: str | None) -> bool:
    return bool(text and _NOTHING_FOUND.search(text))


_NORMAL_WORD = re.compile(r"\b(?:normal|fine|clear|healthy|good|ok|okay)\b", re.IGNORECASE)


# "ok and the result what might it show": an opening "ok" is not a result being fine
_OPENING_OK = re.compile(r"^\W*(?:ok+|okay|okey|k|right|alright|fine)\b[\s,.!]*", re.IGNORECASE)


def asks_what_it_may_show(text: str | None) -> bool:
    """'what kind of things can they find from it' (not 'what would a normal bmb show')."""
    text = _OPENING_OK.sub("", text or "")
    return bool(text and _WHAT_IT_MAY_SHOW.search(text) and not _NORMAL_WORD.search(text))


def results_part(text: str | None) -> str:
    """'normal_results', 'abnormal_results', or 'results' (both) when neither is asked."""
    text = _OPENING_OK.sub("", text or "")
    if asks_what_it_may_show(text):
        return "abnormal_results"
    good = bool(text and _GOOD.search(text))
    bad = bool(text and _BAD.search(text))
    if good and not bad:
        return "normal_results"
    if bad and not good:
        return "abnormal_results"
    return "results"


# "when will they know whats wrong with me", "how soon do we find out": when the results come, a
# practical question each clinic answers (not what the results mean)
_WHEN_KNOWN = re.compile(
    r"\b(?:when|how\s+soon|how\s+long\s+(?:until|till|til|before))\s+(?:will|do|would|can|could|"
    r"should)?\s*(?:i|we|they|you|he|she|the\s+doctors?)\s+(?:\w+\s+)?(?:know|hear|find\s+out|"
    r"get\s+(?:the\s+|my\s+|his\s+|her\s+)?(?:results?|answers?))\b"
    r"|\bhow\s+long\s+(?:until|till|til|before)\s+(?:i|we|they)\s+know\b",
    re.IGNORECASE)


# "how long till she can walk the dog again", "when can he get back to normal": when daily life
# goes on after the test, which each clinic answers (exercise and work afterwards)
_BACK_TO_NORMAL = re.compile(
    r"\b(?:how\s+(?:long|soon)\s+(?:until|till|til|before)|when)\s+(?:can|will|could|should)?\s*"
    r"(?:i|she|he|they|we|you|my\s+\w+)\s+(?:\w+\s+)?(?:can\s+|be\s+able\s+to\s+)?(?:walk|go\s+back|get\s+back|"
    r"return|carry|lift|play|run|garden|look\s+after|pick\s+up|do\s+(?:normal|everyday|the\s+\w+))\b",
    re.IGNORECASE)


def asks_when_back_to_normal(text: str | None) -> bool:
    return bool(text and _BACK_TO_NORMAL.search(text))


def asks_when_results_come(text: str | None) -> bool:
    return bool(text and _WHEN_KNOWN.search(text))


# "can i give her calpol when we get home", "what can he take for the pain after": pain relief
# after the test, which each clinic answers
_PAIN_RELIEF_AFTER = re.compile(
    r"\b(?:give|giving|take|taking|have|use|using)\s+(?:\w+\s+){0,2}?(?:calpol|paracetamol|"
    r"acetaminophen|tylenol|panadol|ibuprofen|nurofen|neurofen|advil|motrin|co-?codamol|codeine|"
    r"painkillers?|pain\s+killers?|pain\s+relief|something\s+for\s+(?:the\s+)?pain)\b"
    r"|\bwhat\s+(?:can|could|should)\s+(?:i|she|he|they|we|my\s+\w+)\s+(?:take|have|give\s+\w+)\s+for\s+"
    r"(?:the\s+)?(?:pain|soreness|ache)\b", re.IGNORECASE)


# (not a medicine taken every day, asked about before the test: the preparation)
_BEFOREHAND = re.compile(
    rf"\b(?:{BEFORE_THE_TEST_WORDS}|daily|every\s+day|regularly)\b", re.IGNORECASE)


def asks_about_pain_relief(text: str | None) -> bool:
    return bool(text and _PAIN_RELIEF_AFTER.search(text) and not _BEFOREHAND.search(text))
