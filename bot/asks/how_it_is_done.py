"""How the test is done, as patients ask it: "what it involves", "what do they do with the
sample?", "do they do both at once?", "what are they taking out?" (where from:
bot/asks/sites.py)."""

from __future__ import annotations

import re

from bot.asks.risks import RISK_WORDS

# "Could you explain what it involves?", "what will they do exactly", "what do they do with the
# sample?": how the test is done, when the classifier took it for what the test is
_ASKS_HOW_IT_IS_DONE = re.compile(
    r"\bhow\s+(?:it|that|this)\s+(?:really\s+|actually\s+)?works\b|\bhow\s+does\s+(?:it|that|this|"
    r"the\s+(?:aspiration|aspirate|biopsy|trephine)(?:\s+one)?)\s+(?:really\s+|actually\s+)?work\b"
    r"|\bwhat\s+(?:an?|the)\s+(?:\w+\s+){0,4}?involves\b"
    # "how?", "and how exactly?": the bare question word, after a test was named
    r"|^\W*(?:(?:and|so|but|ok|okay|n)\W+)?(?:how|hw)(?:\s+(?:exactly|tho|though|so|do\s+they\s+do\s+it|"
    # "hw is it dun" (texting)
    r"(?:is|s)\s+it\s+(?:done|dun|don)))?\W*$"
    r"|\bwhat\s+happens\s+(?:in|during)\s+(?:that|this|the)\s+(?:part|bit|one|procedure|test)\b"
    # "wat hapens in a bone marow aspirashun", "what goes on during his biopsy" (session 16)
    # "Please what is happen in the test?", "what will happen during his biopsy"
    r"|\bwh?at\s+(?:actually\s+|exactly\s+)?(?:happens|hapens|happns|goes\s+on|will\s+happen|"
    r"(?:is|is\s+going\s+to)\s+happen(?:ing)?|happen)\s+(?:in|during)\s+"
    r"(?:a|an|the|my|his|her|their|your)\s+(?:\w+\s+){0,2}(?:\w*asp\w*|\w*bio\w*|test|procedure|"
    r"bma|bmb|trephine|tap)\b"
    # "and whats the actual procedure", "what's the process like?" (not "in simple terms, what is
    # the procedure?", what it is)
    r"|\bwh?at(?:'s|\u2019s|s|\s+is)\s+the\s+(?:(?:actual|whole|real)\s+(?:procedure|process)|"
    r"process|(?:procedure|process)\s+like)\W*$"
    # "and what's the procedure for his biopsy": the steps, not what the test is
    r"|\bwh?at(?:'s|\u2019s|s|\s+is)\s+the\s+(?:procedure|process)\s+(?:for|of|with|during|in)\s+"
    r"(?:it|that|this|(?:his|her|my|the|a|an|your|their)\s+(?:\w+\s+){0,2}(?:biopsy|aspiration|aspirate|"
    r"test|bma|bmb|trephine|tap))\b"
    # "What actually happens to her on the day?", "so what happens during it" (not "what happens
    # if...", "what happens after")
    r"|\bwhat\s+(?:actually\s+|exactly\s+|really\s+)?happens(?:\s+to\s+(?:me|him|her|them|us|my\s+\w+|"
    r"our\s+\w+))?\s+(?:on\s+the\s+day|during\s+(?:it|the\s+(?:test|procedure))|in\s+there|when\s+"
    r"they\s+do\s+it)\b"
    r"|(?:^|[.?!]\s*)\W*(?:(?:so|and|but|ok|okay)\W+)?what\s+(?:actually\s+|exactly\s+|really\s+)?"
    r"happens(?:\s+to\s+(?:me|him|her|them|us|my\s+\w+|our\s+\w+))?\s*(?:\?|$)"
    r"|\b(?:what\s+(?:it|this|that|the\s+\w+)\s+involves|what(?:'s|\s+is)\s+involved|what\s+does\s+"
    r"(?:it|this|that|the\s+\w+)\s+involve|step\s+by\s+step|start\s+to\s+finish)\b"
    # "hows that one done", "how is the biopsy actually performed"
    r"|\bhow\s*(?:is|'s|s|\u2019s|are|r)\s+(?:that|this|(?:that|this|the|a|an)\s+(?:\w+\s+)?one|"
    r"the\s+(?!results?\b)\w+)\s+(?:actually\s+|usually\s+|normally\s+)?(?:done|dun|performed|"
    r"carried\s+out)\b"
    # "so what exactly will they do to me"
    r"|\bwhat\s+(?:exactly\s+|actually\s+)?(?:will|do|does|would|are|is)\s+(?:they|the\s+doctors?|"
    r"the\s+nurses?|he|she)\s+"
    r"(?:(?:actually|physically|exactly|really)\s+)?(?:going\s+to\s+|gonna\s+)?"
    r"(?:actually\s+|physically\s+|exactly\s+)?do(?:\s+(?:exactly|to\s+(?:me|him|her|them)))?\b"
    r"(?!\s+with\s+(?:the\s+|my\s+)?results)"
    # "How exactly is the marrow drawn out during an iliac crest tap?": how the sample is taken
    r"|\bhow\s+(?:exactly\s+|actually\s+)?(?:is|are|do\s+they\s+get|will\s+they\s+get)\s+(?:the\s+)?"
    r"(?:bone\s+)?(?:marrow|sample|fluid|liquid|core|bone)\s+(?:\w+\s+)?(?:drawn|taken|removed|"
    r"sucked|extracted|got|gotten|pulled|out)\b",
    re.IGNORECASE,
)
# "what do they do with the sample?", "what are they going to do with what they took out": the
# leaflet's how it is done says where the sample goes
_WITH_THE_SAMPLE = re.compile(
    r"\bwhat\s+(?:do|does|will|would|are|is)\s+(?:they|the\s+lab|the\s+doctors?)\s+(?:going\s+to\s+)?"
    r"do\s+with\s+(?:the\s+(?:sample|samples|marrow|bone|fluid|core|bit)|what\s+(?:they|he|she)\s+"
    r"(?:took|take|taken|takes|got))\b"
    # "and then what happens to it", "what happens to the sample after"
    r"|\bwhat\s+happens\s+(?:to|with)\s+(?:it|the\s+(?:sample|samples|marrow|fluid|core|bit))\b"
    # "what does the lab do with it": the lab named, "it" is the sample
    r"|\bwhat\s+(?:do|does|will|would)\s+(?:the\s+)?(?:lab|labs|laboratory|pathologists?)\s+"
    r"(?:actually\s+|then\s+)?do\s+with\s+(?:it|them|that)\b"
    # "hows the sample checked", "how do they examine the marrow they take"
    r"|\bhow\s*(?:is|'s|s|are|\u2019s)\s+(?:the|my|her|his|their|a)\s+(?:marrow\s+|bone\s+)?"
    r"(?:sample|samples|marrow|fluid|core|aspirate)\s+(?:actually\s+|then\s+)?(?:checked|examined|"
    r"tested|analy[sz]ed|looked\s+at|processed)\b"
    r"|\bhow\s+(?:do|does|will)\s+(?:they|the\s+lab)\s+(?:check|examine|test|analy[sz]e|look\s+at)\s+"
    r"(?:the|my|her|his|their)\s+(?:marrow\s+|bone\s+)?(?:sample|samples|fluid|core|aspirate)\b"
    # "where does the sample go after"
    r"|\bwhere\s+(?:does|do|will)\s+(?:the|my|her|his|their)\s+(?:marrow\s+)?(?:sample|samples|fluid|"
    r"core)\s+go\b",
    re.IGNORECASE,
)
# "how do they get the fluid out", "how will they take the marrow": how the sample is taken
_HOW_TAKEN = re.compile(
    r"\bhow\s+(?:do|does|will|would|can|are|is)\s+(?:they|you|he|she|the\s+doctors?)\s+(?:going\s+to\s+)?"
    r"(?:actually\s+)?(?:get|take|draw|suck|pull|remove|extract)\w*\s+(?:the\s+|a\s+|some\s+)?"
    r"(?:\w+\s+)?(?:fluid|liquid|marrow|sample|bone|core|bit|piece|it)\b",
    re.IGNORECASE,
)


# "do they do both at once?", "will they take the liquid sample at the same time?", "which one
# goes first": the two tests done together, which the leaflet of one describes
_BOTH_TOGETHER = re.compile(
    r"\b(?:both|the\s+two|them\s+both|2)\b[^.?!]*\b(?:together|at\s+once|in\s+one\s+go|"
    r"(?:at\s+)?the\s+same\s+time|same\s+day|one\s+after\s+the\s+other)\b"
    r"|\b(?:do|does|will|would|can|could)\s+(?:they|you|he|she)\s+(?:\w+\s+){0,2}?(?:do|have|get|take)\s+"
    r"(?:both|the\s+two|them\s+both)\b"
    r"|\bwhich\s+(?:one\s+|test\s+|bit\s+|of\s+them\s+)?(?:goes|comes|is\s+done|happens|do\s+they\s+do|"
    r"will\s+they\s+do|will\s+be\s+done|is\s+first)\s+(?:\w+\s+)?first\b"
    # "So is the aspirate done first and the same needle moved", "is the fluid bit done first",
    # "is the aspirate usually taken before the core?", "is the aspiration done at the same time"
    r"|\b(?:is|are|does|do)\s+the\s+(?:aspirat\w*|biops\w*|trephine|core|(?:liquid|fluid)(?:\s+\w+)?)"
    r"(?:\s+(?:bit|part|sample))?\s+(?:usually\s+|normally\s+|always\s+)?(?:done|taken|go|goes|come|"
    r"comes)\s+(?:first(?!\s+thing)|before\s+the\s+\w+|at\s+the\s+same\s+time)\b"
    # "do they use the same needle for both", "Same needle repositioned, or a second one?"
    r"|\bsame\s+needle\b[^.?!]*\b(?:both|repositioned|moved|or\s+a\s+(?:second|different|new|"
    r"another))\b"
    r"|\b(?:take|do|get|draw(?:\s+off)?|suck(?:\s+out)?|remove)\s+(?:the\s+|some\s+of\s+the\s+)?"
    r"(?:\w+\s+){0,2}?(?:sample|one|test|aspiration|aspirate|biopsy|liquid|fluid|marrow)\s+(?:first\s+)?"
    r"(?:at\s+the\s+same\s+(?:time|appointment|visit|session)|as\s+well|too|first)"
    # "will they take liquid marrow as well or just the core?"
    r"(?:\s+or\s+(?:just|only)\s+(?:the\s+)?\w+)?\W*$"
    # "will they also suck out some liquid marrow", "do they also take a fluid sample"
    r"|\balso\s+(?:take|do|get|draw|suck|remove)\s+(?:out\s+|off\s+)?(?:the\s+|some\s+|a\s+)?"
    r"(?:\w+\s+){0,2}?(?:liquid|fluid|aspirate|aspiration)\b"
    # "will they do the trephine and the aspirate at the same time"
    r"|\band\s+(?:the\s+|an?\s+)?(?:\w+\s+){0,2}(?:aspirat\w*|biops\w*|trephine|core|bma|bmb|sample|fluid|"
    r"liquid|marrow)\s+(?:at\s+the\s+same\s+time|together|at\s+once|"
    r"in\s+one\s+go|on\s+the\s+same\s+day)\b",
    re.IGNORECASE,
)


def asks_about_both_together(text: str | None) -> bool:
    return bool(text and _BOTH_TOGETHER.search(text))


# "do they do the aspiration bit at the same time", "and if they also suck out the liquid?",
# "why would they take an aspirate during it as well": the liquid sample taken as part of the test
# discussed, which the leaflet of that test describes (not "the aspiration he's having too, same
# process?", the other test asked about in its own right, nor "does the aspiration hurt as well")
_LIQUID_PART = (r"(?:an?\s+|the\s+)?(?:\w+\s+)?(?:aspirat\w*|asperat\w*|liquid|fluid)"
                r"(?:\s+(?:bit|part|sample|marrow))?")
_TAKEN_ALONGSIDE = re.compile(
    r"\b(?:do|done|doing|take|taking|taken|took|suck(?:s|ed|ing)?(?:\s+out)?|draw(?:s|n|ing)?"
    r"(?:\s+off)?|withdraw\w*|remov\w+|get|getting)\s+(?:out\s+)?" + _LIQUID_PART + r"\b",
    re.IGNORECASE)
_ALONGSIDE = re.compile(
    r"\b(?:at\s+the\s+same\s+time|alongside|as\s+well|too|also|first|during\s+(?:it|the\s+\w+)|"
    r"in\s+the\s+same\s+go|before\s+(?:it|the\s+(?:biopsy|trephine|core)))\b", re.IGNORECASE)
_HAVING_IT_TOO = re.compile(
    r"\b(?:having|getting|had|booked\s+for)\s+(?:\w+\s+)?(?:too|as\s+well|also)\b", re.IGNORECASE)
# "the letter says they might do an aspiration as well, what is an aspiration": told, then what
# the other test is asked in a clause of its own (its overview, not the test discussed)
_THEN_WHAT_IT_IS = re.compile(
    r"[,;\u2013\u2014-]\s*(?:(?:so|but|and|ok)\s+)?(?:what(?:'s|\u2019s|s|\s+is)|whats)\s+"
    r"(?:exactly\s+)?(?:an?|the|that)\b", re.IGNORECASE)


def takes_the_liquid_alongside(text: str | None) -> bool:
    """The liquid sample (the aspiration) taken as part of another test, in one sentence."""
    return any(_TAKEN_ALONGSIDE.search(s) and _ALONGSIDE.search(s) and not _HAVING_IT_TOO.search(s)
               and not _THEN_WHAT_IT_IS.search(s) for s in re.split(r"(?<=[.?!])\s+", text or ""))


def asks_how_the_sample_is_taken(text: str | None) -> bool:
    return bool(text and _HOW_TAKEN.search(text))


# "I just want to know what they're actually going to do to him": what will be done, said in a
# message the classifier took for the preparation ("...under a general on Monday")
_WHAT_THEY_WILL_DO = re.compile(
    r"\bwhat\s+(?:they(?:'re|\u2019re|re|\s+are)|the\s+doctors?\s+(?:are|is|will))\s+"
    r"(?:actually\s+|really\s+|exactly\s+)?(?:going\s+to|gonna)\s+do\s+(?:to|with)\s+"
    r"(?:me|him|her|them|my\s+\w+|his\s+\w+|her\s+\w+)\b"
    # "what they will do to him?"
    r"|\bwhat\s+(?:they|the\s+doctors?)\s+(?:will|'ll|would)\s+(?:actually\s+|really\s+)?do\s+(?:to|with)\s+"
    r"(?:me|him|her|them|my\s+\w+|his\s+\w+|her\s+\w+)\b"
    # "Can you tell me what they'll actually be doing", "what will they be doing to her"
    r"|\bwhat\s+(?:(?:they|the\s+doctors?)\s*(?:will|'ll|\u2019ll)|will\s+(?:they|the\s+doctors?))\s+"
    r"(?:actually\s+|really\s+|exactly\s+)?be\s+doing(?:\s+(?:to|with)\s+(?:me|him|her|them|my\s+\w+|"
    r"his\s+\w+|her\s+\w+))?\s*(?:[?.!]|$)",
    re.IGNORECASE)


# "what is it they're actually taking out? marrow? bone?", "What is it they actually remove from
# me?": what the test takes, which each test's overview says (liquid marrow, or a piece of bone
# with marrow in it); not where from ("what bone do they take it from") nor how
_WHAT_THEY_TAKE = re.compile(
    r"\bwh?at\s+(?:is\s+it\s+|exactly\s+|actually\s+)?(?:(?:do|does|will|would|are|r|did)\s+)?"
    r"(?:they|they'?re|theyre|they\s+are|the\s+doctors?|you|u)\s+(?:(?:actually|exactly|really|"
    r"going\s+to|gonna|want\s+to|need\s+to|would\s+be|will\s+be|be)\s+)*(?:take|taking|"
    r"remove|removing|draw|drawing|suck|sucking)\b(?!\s+(?:it\s+|the\s+\w+\s+)?from\s+(?:the|my|his|her|a)\b)"
    r"(?!\s+(?:it\s+)?(?:out\s+)?(?:with|using)\b)",
    re.IGNORECASE)
# "how much marrow do they take", "how big a piece do they remove", "how much do they take out",
# "do they take a lot of marrow out": how much, which how the test is done says ("a small sample
# of bone marrow fluid", "a tiny sample, or core")
_HOW_MUCH_TAKEN = re.compile(
    r"\bhow\s+(?:much|big(?:\s+of)?(?:\s+an?)?)\s+(?:(?:(?:bone\s+)?marrow|bone|fluid|liquid|sample|"
    r"piece|bit|core|blood)\s+)?(?:do|does|will|would|did|are|is)\s+(?:they|you|u|the\s+doctors?)\s+"
    r"(?:\w+\s+)?(?:take|taking|remove|removing|draw|drawing|need|get|suck|sucking)\b"
    r"|\b(?:take|taking|remove|removing|draw|drawing|suck|sucking)\s+(?:out\s+)?"
    r"(?:a\s+lot|loads|lots|much)(?:\s+of\s+(?:(?:bone\s+)?marrow|bone|fluid|liquid)\b|"
    r"(?:\s+of\s+it)?\s+out\b)",
    re.IGNORECASE)


def asks_what_they_take(text: str | None) -> bool:
    return bool(text and _WHAT_THEY_TAKE.search(text))


def asks_how_much_they_take(text: str | None) -> bool:
    return bool(text and _HOW_MUCH_TAKEN.search(text))


def asks_what_they_will_do(text: str | None) -> bool:
    return bool(text and _WHAT_THEY_WILL_DO.search(text))


# "ok and the procedure itself", "how about the procedure itself?" (not "how risky is the
# procedure itself at her age", its risks)
_ITSELF = re.compile(r"\b(?:procedure|process)\s+itself\b", re.IGNORECASE)
_HOW_RISKY_IS = re.compile(
    rf"\bhow\s+(?:{RISK_WORDS}|painful|sore|bad|serious|uncomfortable)\s+(?:is|was|will|would|are)\b",
    re.IGNORECASE)


def asks_how_it_is_done(text: str | None) -> bool:
    return bool(text and (_ASKS_HOW_IT_IS_DONE.search(text)
                          or (_ITSELF.search(text) and not _HOW_RISKY_IS.search(text))))


# "how is the trephine bit done", "how is it actually performed" (not "... under sedation", the
# clinic's), asked after what the message tells (session 18, blind22)
_HOW_IS_IT_DONE = re.compile(
    r"\bhow\s+(?:is|are|will)\s+(?:it|that(?:\s+one)?|this(?:\s+one)?|they|the\s+(?:\w+\s+){0,2}?(?:aspiration|aspirate|"
    r"biopsy|trephine|test|procedure|bit|part|one|sample))\s+(?:actually\s+|usually\s+|normally\s+)?"
    r"(?:be\s+)?(?:done|performed|carried\s+out)\b(?!\s+(?:under|with|while|whilst|asleep|awake|by|"
    r"at|in))",
    re.IGNORECASE)


def asks_how_it_is_performed(text: str | None) -> bool:
    return bool(text and _HOW_IS_IT_DONE.search(text))


def asks_what_happens_to_the_sample(text: str | None) -> bool:
    return bool(text and _WITH_THE_SAMPLE.search(text))


# "What is the needle like?", "how big is the needle", "is the biopsy needle the same?": the
# needle, which how the test is done describes
_THE_NEEDLE = re.compile(
    r"^\W*(?:(?:and|so|but|ok|okay)\W+)?(?:(?:what(?:'s|s|\s+is)|wats?)\s+the\s+(?:\w+\s+)?needle\s+like"
    r"|how\s+(?:big|long|thick|wide|large)\s+(?:is|are)\s+the\s+(?:\w+\s+)?needles?"
    r"|what\s+(?:kind|sort|type|size)\s+of\s+needle(?:\s+(?:is\s+it|do\s+they\s+use|is\s+used))?"
    r"|is\s+the\s+(?:\w+\s+)?needle\s+(?:the\s+same|different|bigger|smaller|longer|thicker)"
    # "how many needles is it" (one, repositioned for the biopsy, or another)
    r"|how\s+many\s+needles(?:\s+(?:is\s+it|are\s+there|do\s+they\s+use|will\s+(?:there\s+be|they\s+use)))?)"
    r"\W*$",
    re.IGNORECASE)


def asks_about_the_needle(text: str | None) -> bool:
    return bool(text and _THE_NEEDLE.search(text))


# "Is it done the same way as the liver one was?", "do they do it the same way as a breast
# biopsy": the test discussed, compared with another test in how it is done (not "is a liver
# biopsy done the same way", the other test asked about)
_DONE_THE_SAME_WAY = re.compile(
    r"^\W*(?:(?:so|and|but|ok|okay)\W+)*(?:(?:is|was|will|would)\s+(?:it|this|mine|this\s+one)\s+"
    r"(?:be\s+)?(?:done|performed|carried\s+out)\s+(?:in\s+)?(?:the\s+)?same\s+(?:way\s+)?(?:as|like)"
    r"|(?:do|does|will|would)\s+(?:they|you)\s+do\s+(?:it|this|mine)\s+(?:in\s+)?the\s+same\s+way\s+"
    r"(?:as|like))\b", re.IGNORECASE)


def asks_if_done_the_same_way(text: str | None) -> bool:
    return bool(text and _DONE_THE_SAME_WAY.search(text))


# "will they put a dressing on after", "do i get a plaster on after", "or is it stitches?": what is
# put on the skin at the end, which how the test is done says ("Pressure and then a bandage are
# applied"); not keeping it dry, taking it off, or blood on it (the clinic's, and the risks)
_COVERING = r"(?:plaster|dressing|bandage|band-?aid)s?"
_THE_DRESSING = re.compile(
    r"\b(?:put|puts|putting|stick|sticks|apply|applies|give|get|have|be)\s+(?:me\s+|him\s+|her\s+|"
    rf"you\s+|u\s+)?(?:a|any|some|the)\s+{_COVERING}(?:\s+or\s+(?:a\s+)?{_COVERING})?\s+on\b"
    r"|\bor\s+(?:is\s+it\s+|do\s+they\s+use\s+)?stitches\b"
    # "does she need stitches or just a plaster", "will I have stitches after"
    r"|\b(?:need|needs|have|get|gets|be\s+given|do\s+they\s+(?:do|use|put\s+in))\s+(?:any\s+|some\s+|a\s+)?"
    rf"(?:stitches|sutures|{_COVERING})\b", re.IGNORECASE)
_DRESSING_CARE = re.compile(
    r"\b(?:shower\w*|bath\w*|wet|dry|wash\w*|swim\w*|off|remove\w*|change\w*|blood\w*|bleed\w*|"
    r"ooz\w*|allerg\w*|react\w*|rash|itch\w*)\b", re.IGNORECASE)


def asks_what_is_put_on_after(text: str | None) -> bool:
    return bool(text and _THE_DRESSING.search(text) and not _DRESSING_CARE.search(text))
