"""A patient talking about their own results, and the findings only their care team can read."""

from __future__ import annotations

import re

from bot.asks.sentences import sentences

# A patient talking about their own results ("my results", "my report came back") gets the general
# text plus a statement that only their care team can interpret them.
_OWN_RESULTS = re.compile(
    r"\b(my|mine|our|his|her|their)\b[\w\s']{0,25}\b(results?|reports?|counts?|numbers|findings)\b"
    r"|\b(results?|reports?)\b[\w\s']{0,20}\b(came|come|are|were|is|was)\s+(back|in|out)\b"
    r"|\b(reports?|results?|biopsy|aspirate|aspiration|sample|trephine)\s+"
    r"(says|said|say|shows|showed|show|found|reads|mentions|mentioned)\b"
    # "it says cellularity 30%, is that normal for me" (its findings are read with _FINDINGS)
    r"|^\W*(?:(?:and|so|but|ok|okay|well)\W+)?(?:it|that|this|the\s+letter)\s+(says|said|shows|showed)\b"
    r"|\b(my|his|her|their)\s+(aspirate|aspiration|biopsy|sample|trephine)\s+(was|were|is|came\s+back)\b",
    re.IGNORECASE,
)


def mentions_own_results(text: str | None) -> bool:
    return bool(text and _OWN_RESULTS.search(text))


# What a lab report gives, that only the care team can read for a patient: measured numbers,
# percentages, ratios, and the report's own terms ("my report says 8% blasts, is that bad?").
# A number is a measurement when it has a unit or follows what was measured or reported ("my
# count came back at 45"); an age or a date is not ("My son is 9 and his blood count came back
# strange twice. Why would a child need that?" asks why the test is done).
_FINDINGS = re.compile(
    r"\d\s*(?:%|per\s*cent|percent|g/d?l|x\s*10|mmol|/l\b)"
    r"|\b(?:results?|reports?|counts?|levels?|platelets?|plts|hb|ha?emoglobin|wbc|neutrophils?|"
    r"says|said|shows?|showed|back|at|of)\W+(?:[a-z]+\W+){0,3}?\d+(?:\.\d+)?(?!\s*(?:-|\s)?(?:yo|y/?o|yrs?|years?|months?|weeks?|days?|"
    r"hours?|am|pm|th|st|nd|rd|times)\b)"
    r"|%|\b(?:blasts?|cellularity|hyper-?cellular|hypo-?cellular|normo-?cellular|ratio|"
    r"karyotype|cytometry|cytogenetics?|fish|mutations?|translocations?|cd\d+|m:e|myeloid|"
    r"erythroid|megakaryocytes?|fibrosis|reticulin|sideroblasts?|dysplasia|dysplastic|clonal|dry\s+tap|"
    r"monoclonal|paraprotein|plasma\s+cells?)\b",
    re.IGNORECASE,
)


# "my platelets are 90, is that low?": one's own count with its number, and the number itself
# asked about (not "my platelets are 900 and they want a biopsy. why?", which asks why)
_OWN_COUNT = re.compile(
    r"\b(?:my|our|his|her|their)\s+(?:\w+\s+)?(?:platelets?|plts|bloods|levels?|hb|ha?emoglobin|"
    r"wbc|neutrophils|blasts|ferritin|white\s+(?:cell\s+)?count|red\s+(?:cell\s+)?count|ldh|crp|esr|"
    r"mcv|b12|folate|iron|lymphocytes|neuts|wcc|rbc|hct|inr|creatinine|calcium|paraprotein)\b"
    r"[^.?!]{0,20}?\d",
    re.IGNORECASE,
)
_ASKS_ABOUT_THE_NUMBER = re.compile(
    r"\b(?:is|are)\s+(?:that|this|it|they|these|those)\s+(?:\w+\s+)?(?:low|high|bad|good|normal|"
    r"ok|okay|worrying|serious|dangerous|too\s+\w+)\b|\bwhat\s+does\s+(?:that|this|it)\s+mean\b"
    r"|\bwhat\s+does\s+(?:that|this|it)\s+(?:number\s+)?mean\b|\bshould\s+i\s+(?:be\s+)?worr",
    re.IGNORECASE,
)


# "... What sort of abnormal findings does this test turn up?": after telling one's findings, a
# last sentence that asks what the test finds in general (the leaflet answers it; the reply then
# adds that only the care team can read one's own)
_GENERAL_LAST_QUESTION = re.compile(
    r"\b(?:what|which)\s+(?:sorts?|kinds?|types?)\s+of\b"
    r"|\bone\s+of\s+the\s+(?:things|conditions|causes)\b|\ban\s+abnormal\s+result\b"
    # "...say normal cellularity. what is a normal result"
    r"|\bwhat(?:'s|\u2019s|s|\s+is|\s+are)\s+(?:a\s+)?normal\s+results?\b"
    r"|\bwhat\s+(?:counts|is\s+classed|is\s+classified)\s+as\s+(?:a\s+)?normal\b"
    r"|\b(?:does|do|can|could|will)\s+(?:this|the|a|these)\s+(?:test|tests|biopsy|biopsies|"
    r"aspiration|aspirations|procedure|trephine|bmb|bma)\b",
    re.IGNORECASE,
)
_ABOUT_THEIRS = re.compile(
    r"\b(?:that|this|it|mine|my|her|his|their|our)\s+(?:\w+\s+)?(?:mean|means|bad|serious|normal|"
    r"worrying)\b", re.IGNORECASE)


# "they were 38, is that dangerous" (after "my platelets r low"): a value told of what was said
_VALUE_TOLD = re.compile(
    r"^\W*(?:(?:and|but|so|well|ok|okay)\W+)?(?:they|it|mine|his|hers|theirs|the\s+count)\s*"
    r"(?:'re|are|were|was|is|'s|r|came\s+back|come\s+back)\s+(?:at\s+|only\s+|about\s+|around\s+|"
    r"like\s+)?\d+(?:\.\d+)?\b(?!\s*(?:-|\s)?(?:yo|y/?o|yrs?|years?|months?|weeks?|days?|hours?|am|pm|"
    r"mins?|minutes?)\b)", re.IGNORECASE)


# "I had my BMB three weeks ago and the letter says 'reactive marrow'. What's that?": a term
# quoted from one's own letter or report that is not the name of the test or where it is done
_QUOTED_FROM_MINE = re.compile(
    r"\b(?:letter|report|results?|it|they)\s+(?:says|said|say|mentions|mentioned|reads|put|puts|"
    r"wrote|writes)\s+['\"\u2018\u201c]([^'\"\u2019\u201d]{3,40})['\"\u2019\u201d]", re.IGNORECASE)
_TEST_OR_SITE = re.compile(
    r"\b(?:aspirat\w*|biops\w*|trephine|bma|bmb|tap|iliac|crest|sternal|sternum|posterior|"
    r"anterior|hip|pelvi\w*|needle|sample|sampling|examination|exam|test|procedure|sedation|"
    r"local|anaesthetic|anesthetic)\b", re.IGNORECASE)
_ASKS_WHAT_IT_MEANS = re.compile(
    r"\bwh?at(?:'s|s|\s+is|\s+does)\s+(?:that|this|it)\b|\bmean\b|\bmeaning\b", re.IGNORECASE)


def quotes_a_term_of_own_results(text: str | None) -> bool:
    found = _QUOTED_FROM_MINE.search(text or "")
    return bool(found and not _TEST_OR_SITE.search(found.group(1))
                and _ASKS_WHAT_IT_MEANS.search(text or ""))


# "...for her low white count, she's 88 and frail": an age told, not a measurement
_AGE_TOLD = re.compile(
    r"\b(?:(?:he|she|i|they|we|mum|dad|gran|grandad|nan)\s*(?:'s|\u2019s|'m|\u2019m|\s+is|\s+am|"
    r"\s+are|'re|\u2019re|\s+was)|aged?)\s+(?:only\s+|just\s+|nearly\s+|almost\s+)?\d+\b",
    re.IGNORECASE)


def _findings(text: str) -> bool:
    return bool(_FINDINGS.search(_AGE_TOLD.sub(" ", text)))


def asks_about_own_findings(text: str | None) -> bool:
    """"my report says 8% blasts, is that bad?", "my platelets are 90, is that low?": the
    patient's own results, with the findings themselves. Only the care team can interpret
    those; the leaflets' general text is not an answer (bot/replies.yml own_results)."""
    if not text:
        return False
    if mentions_own_results(text) and _findings(text):
        last = (sentences(text) or [text])[-1]
        general = (last != text.strip() and _GENERAL_LAST_QUESTION.search(last)
                   and not _findings(last) and not _ABOUT_THEIRS.search(last))
        return not general
    return bool((_OWN_COUNT.search(text) or _VALUE_TOLD.search(text))
                and _ASKS_ABOUT_THE_NUMBER.search(text)
                or _TERM_ON_THE_REPORT.search(text) or _READ_MINE.search(text)
                or quotes_a_term_of_own_results(text))


# "Can you read my biopsy results if I paste them in?": a request to read one's own report
_READ_MINE = re.compile(
    r"\b(?:read|interpret|look\s+(?:at|over)|check|go\s+(?:through|over)|translate|decode)\s+"
    r"(?:my|his|her|their|our)\s+(?:\w+\s+){0,2}?(?:results?|report|reports|numbers|bloods)\b"
    r"|\b(?:paste|copy|upload|send|type)\s+(?:them|it|my\s+\w+|the\s+(?:results?|report))\s+"
    r"(?:in|into|here|to\s+you)\b",
    re.IGNORECASE)


# "what does dry tap mean on my report": a term of one's own report
_TERM_ON_THE_REPORT = re.compile(
    r"\bwhat\s+(?:does|do|is)\s+(?!(?:normal|abnormal|bma|bmb|aspirat\w*|biops\w*|trephine)\b)"
    r"(?:\w+\s+){1,4}?mean\s+(?:on|in)\s+(?:my|his|her|their|our)\s+(?:\w+\s+)?(?:report|results?)\b",
    re.IGNORECASE)
