"""What the test is for, as patients ask it: "wat is the trephine actually for?", "what is the
biopsy supposed to show them?" ask why the test is done, not what it is."""

from __future__ import annotations

import re

# the test itself, not a part of it ("the hollow needle part, what's that for" is how it is done)
_THE_TEST = (r"(?:(?:the|a|an|this|my|his|her|their|your)\s+)?(?:it|test|procedure|biopsy|biospy|"
             # "wat is a bone marow biopsy for": marrow typed with a slip
             r"aspiration|aspiraton|asperation|aspirate|trephine|bma|bmb|(?:bone\s+)?m[ae]r+[oa]w\s+"
             r"(?:test|biopsy|aspiration|aspirate|sample|examination|exam)|core\s+biopsy)")
_WHAT_IT_IS_FOR = re.compile(
    # "what else is it done for", "what is it actually for at her age": the circumstance after
    # "for" is the patient's, not what the test is for
    rf"\bwh?at(?:\s+else)?\s*(?:is|'s|s|are|r)\s+{_THE_TEST}\s+(?:\w+\s+)?(?:actually\s+|actualy\s+|"
    r"even\s+|exactly\s+|really\s+|needed\s+|done\s+)?for(?:(?:\s+(?:anyway|anyways|then|exactly|tho|"
    r"though|again))?\s*(?:[?.!,;]|$)|\s+(?:at\s+(?:his|her|my|their|your)\s+age|in\s+(?:his|her|my|"
    r"their|your)\s+case|besides|apart\s+from|other\s+than|except)\b)"
    # "my insurance company wants to know what a bone marrow aspiration is for"
    rf"|\bwhat\s+{_THE_TEST}\s+(?:is|was|are)\s+(?:actually\s+|really\s+|needed\s+|done\s+)?for\b"
    # "what do they look for in a bone marrow biopsy"
    r"|\bwhat\s+(?:do|does|will|would)\s+(?:they|the\s+doctors?|the\s+lab|it)\s+(?:actually\s+|really\s+|"
    r"usually\s+)?(?:look|check|test)\s+for\b"
    # "is that what my aspiration is for" (after the transplant)
    rf"|\b(?:is|was)\s+(?:that|this|it)\s+what\s+{_THE_TEST}\s+(?:is|was)\s+(?:\w+\s+)?for\b"
    r"|\b(?:supposed|meant|going|trying|hoping)\s+to\s+(?:show|find|tell|see|check|look\s+for|"
    r"rule\s+out)\b"
    r"|\bwhat\s+(?:are|r|is|would|will)\s+(?:they|the\s+doctors?|he|she)\s+(?:be\s+)?"
    r"(?:actually\s+|really\s+|exactly\s+)?(?:looking|lookin|checking|testing)(?:\s+for)?\b"
    r"|\bwh?at(?:'|\u2019)?s\s+(?:it|the\s+test|the\s+biopsy|the\s+aspiration)\s+(?:looking|lookin|checking|testing)\s+for\b"
    # "nobody has explained what they're looking for"
    r"|\bwhat\s+(?:they|the\s+doctors?|he|she)(?:'re|\u2019re|\s+are|'ll\s+be|\s+will\s+be|\s+is|'s)\s+"
    r"(?:looking|lookin|checking|testing|hoping)\s+(?:for|to\s+find|in|at)\b"
    # "what do they test the fluid for"
    r"|\bwhat\s+(?:do|does|will|are)\s+(?:they|you|the\s+lab)\s+(?:test|check|look\s+at|examine)\w*\s+"
    r"(?:(?:the|it|this|that|her|his|my)\s+)?(?:\w+\s+)?for\b"
    # "do both tests look for the same diseases?" (session 17): what they are for, compared
    r"|\b(?:look|looks|looking|check|checks|checking|test|tests|testing|screen|screens|find|finds|"
    r"detect|detects|pick\s+up|picks\s+up|diagnose|diagnoses)\s+(?:for\s+)?(?:the\s+)?same\s+"
    r"(?:things?|stuff|diseases?|conditions?|problems?|illness(?:es)?|cancers?)\b"
    # non-native: "for what is this test"
    r"|^\W*for\s+what\s+(?:is|are|they)\b"
    # "theyre doing a bone marrow biopsy, is that to see if its spread"
    r"|\b(?:is|was)\s+(?:that|it|this)\s+(?:to|for|so\s+they\s+can)\s+(?:see|check|find\s+out|look)\b",
    re.IGNORECASE,
)
# the topics such a question is taken for
PURPOSE_LOOK_ALIKES = frozenset({"overview", "alternative_names", "how_performed", "transplant",
                                 "expectations", "bone_marrow"})


# "can it tell whether lymphoma has spread?": why the test is done says it may show whether a
# cancer has spread or responded to treatment, whichever cancer is named
_SPREAD_OR_RESPONSE = re.compile(
    r"\b(?:spread|spreading|spreads|responded|responding|response\s+to\s+(?:the\s+)?treatment|"
    r"treatment\s+(?:is\s+working|has\s+worked|(?:is\s+|has\s+)?work(?:ed|ing))|"
    r"(?:chemo\w*|treatment)(?:'s|\u2019s)?\s+(?:\w+\s+)?(?:worked|is\s+working)|"
    # "to see whether the cancer has got into my bones"
    r"(?:got|gone|moved|travelled|traveled)\s+in(?:to)?\s+(?:my|his|her|their|the)\s+(?:bones?|marrow)|"
    # "how does that show whether he's in remission?"
    r"in\s+remission|remission)\b",
    re.IGNORECASE)


def asks_about_spread_or_response(text: str | None) -> bool:
    return bool(text and _SPREAD_OR_RESPONSE.search(text))


# "and whether the chemo worked?", "and if the chemo's worked?": one more thing the test may show,
# asked as a fragment after why it is done
_AND_WHETHER = re.compile(
    r"^\W*(?:and|or|also|plus|n|&)\W+(?:also\s+)?(?:to\s+(?:see|check|find\s+out|tell)\s+)?"
    r"(?:whether|wether|if)\b", re.IGNORECASE)


def asks_whether_too(text: str | None) -> bool:
    return bool(text and _AND_WHETHER.match(text))


# "my mum's having an aspiration from her hip next week, what's that for": the test named, asked
# what it is for (not "the hollow needle part, what's that for", how it is done)
_WHATS_THAT_FOR = re.compile(
    r"\bwh?at(?:'s|s|\s+is)\s+(?:that|this|it)\s+(?:\w+\s+)?for\W*$", re.IGNORECASE)
_A_PART = re.compile(
    r"\b(?:part|bit|needle|tube|step|thing|cream|injection|jab|plaster|dressing|gown|drug|"
    r"medicine|tablet|form|scan)\b", re.IGNORECASE)


def asks_whats_that_for(text: str | None) -> bool:
    return bool(text and (found := _WHATS_THAT_FOR.search(text))
                and not _A_PART.search(text[: found.start()]))


# "what the marrow is making?", "What does bone marrow produce?": the page's blood cells ("Like a
# factory, bone marrow produces the cells..."), not what marrow is
_WHAT_MARROW_MAKES = re.compile(
    r"\bwh?at\s+(?:\w+\s+){0,3}?(?:(?:bone\s+)?marrow|it)\s+(?:is\s+|does\s+|do\s+)?"
    r"(?:actually\s+|really\s+|exactly\s+)?(?:mak(?:e|es|ing)|produc(?:e|es|ing)|creat(?:e|es|ing)|form(?:s|ing)?)\b"
    r"|\bwh?at\s+(?:does|do|is)\s+(?:the\s+)?(?:bone\s+)?marrow\s+(?:\w+\s+){0,2}?(?:mak\w*|produc\w*)\b"
    # "marrow is producing what things exactly", "is marrow the stuff that makes your blood", "is
    # bone marrow where blood gets made"
    r"|\bmarrow\s+(?:is\s+|does\s+)?(?:mak\w*|produc\w*|creat\w*)\s+what\b"
    r"|\bmarrow\s+(?:is\s+|the\s+|a\s+|\w+\s+){0,3}?(?:that|which|where|what)\s+(?:\w+\s+){0,2}?"
    r"(?:makes?|produces?|creates?|made|produced|created)\s+(?:\w+\s+){0,2}?blood\b"
    r"|\bmarrow\s+(?:\w+\s+){0,2}?(?:where|what)\s+(?:the\s+|your\s+|our\s+)?blood\s+"
    r"(?:\w+\s+){0,2}?(?:made|produced|created|comes?\s+from)\b",
    re.IGNORECASE)


def asks_what_marrow_makes(text: str | None) -> bool:
    return bool(text and _WHAT_MARROW_MAKES.search(text))


def asks_what_it_is_for(text: str | None) -> bool:
    return bool(text and _WHAT_IT_IS_FOR.search(text))


# "what will it show", "what might it find", "whats it going to show": what the test is looking
# for, asked ahead of it (not "what could it show", "what kind of things can it find", "what
# will an abnormal one show": what abnormal results may be due to)
_WHAT_IT_WILL_SHOW = re.compile(
    rf"\bwh?at(?:'|\u2019)?s?\s+(?:(?:will|might|would)\s+{_THE_TEST}|(?:is\s+)?{_THE_TEST}\s+"
    r"(?:going\s+to|gonna|meant\s+to))\s+(?:actually\s+|even\s+)?(?:show|find|tell|reveal|"
    r"pick\s+up|detect|see)\b",
    re.IGNORECASE)
_KINDS_OR_RESULTS = re.compile(
    r"\b(?:kinds?|sorts?|types?|things?|stuff|else|other|normal|abnormal|bad|good|clear|results?|"
    r"report)\b", re.IGNORECASE)


# "how come they needed a bit of his bone anyway", "why do they have to take her marrow at all":
# why the test is done (not "why do they take it from the hip", how it is done)
_WHY_NEEDED = re.compile(
    r"\b(?:why|y|how\s+come)\s+(?:do|does|did|would|are|is)?\s*(?:they|he|she|the\s+doctors?|you|i|we)\s+"
    r"(?:\w+\s+)?(?:need|needs|needed|want|wants|wanted|have\s+to|has\s+to|had\s+to)\s+(?:to\s+)?"
    r"(?:take|get|do|have)?\s*(?:a\s+(?:bit|piece|sample)\s+of\s+)?(?:his|her|my|their|your|the|a|some|"
    r"this|that|it|one)?\s*(?:marrow|bone|sample|biopsy|aspiration|test|it|one|bma|bmb|trephine)\b"
    r"(?![^?]*\b(?:from|there|where|hip|chest|back|breastbone)\b)"
    # "is it only done if your blood count comes back wrong": when the test is needed
    r"|\b(?:is|are)\s+(?:it|they|the\s+test|the\s+biopsy|the\s+aspiration)\s+(?:only|just|usually|"
    r"always|normally)\s+(?:done|needed|given|used)\s+(?:if|when|because|for)\b",
    re.IGNORECASE)


# "and why would they take some out" (right after what bone marrow is): why the test is done
_WHY_TAKE_IT = re.compile(
    r"\b(?:why|y|how\s+come)\s+(?:would|do|does|did|are|will|should)\s+(?:they|the\s+doctors?|you)\s+"
    r"(?:even\s+|ever\s+|actually\s+)?(?:(?:want|need|have)\s+to\s+)?"
    r"(?:take|taking|remove|removing|get|getting|draw|drawing)\s+"
    # "why would they want to take some of his out" (session 19, blind68)
    r"(?:some|any|it|marrow|a\s+bit|a\s+sample|bits?)(?:\s+of\s+(?:it|the\s+marrow|his|hers|mine|"
    r"yours|theirs))?\s+(?:out|away)\b",
    re.IGNORECASE)


# "and why would they bother at his age": why it is done at all
_WHY_BOTHER = re.compile(
    r"\b(?:why|y|how\s+come)\s+(?:would|do|does|did|are|is|should)\s+(?:they|the\s+doctors?|"
    r"the\s+hospital|you)\s+(?:even\s+)?(?:bother|botherin\w*)\b", re.IGNORECASE)


# "why can't they just do a blood test instead", "cant they just use my blood test": why the
# marrow itself is needed (session 18, tests/dev/blind47, patients)
_WHY_NOT_A_BLOOD_TEST = re.compile(
    r"\b(?:why\s+)?(?:can'?t|cant|cannot|couldn'?t|could\s*n'?t|don'?t|dont|wouldn'?t|not)\s+"
    r"(?:they|you|we|the\s+doctors?)\s+(?:just\s+)?(?:do|use|take|check|run|get|look\s+at)\s+"
    r"(?:\w+\s+){0,3}?blood(?:\s+(?:tests?|sample|work|count))?\b", re.IGNORECASE)


def asks_why_not_a_blood_test(text: str | None) -> bool:
    return bool(text and _WHY_NOT_A_BLOOD_TEST.search(text))


def asks_why_they_take_it_out(text: str | None) -> bool:
    """'and why would they take some out', said of the marrow just described."""
    return bool(text and _WHY_TAKE_IT.search(text))


def asks_why_it_is_needed(text: str | None) -> bool:
    return bool(text and (_WHY_NEEDED.search(text) or _WHY_BOTHER.search(text)
                          or _WHY_TAKE_IT.search(text) or asks_why_not_a_blood_test(text)))


# "wat can a bone marow test pick up": what the test can find, taken for how it is done ("pick
# up", "take")
_WHAT_IT_CAN_FIND = re.compile(
    r"\bwh?at\s+(?:else\s+|sort\s+of\s+things\s+|things\s+)?(?:can|could|will|might|would|does|do)\s+"
    r"(?:a|an|the|it|this|that|they|my|his|her)\b[^?]*?\b(?:pick\w*\s+up|find|detect|diagnose|"
    r"reveal|spot|catch)\b", re.IGNORECASE)


def asks_what_it_can_find(text: str | None) -> bool:
    return bool(text and _WHAT_IT_CAN_FIND.search(text))


def asks_what_it_will_show(text: str | None) -> bool:
    return bool(text and _WHAT_IT_WILL_SHOW.search(text) and not _KINDS_OR_RESULTS.search(text))


# "y?", "but why?", "how come?": why, typed as short as it gets (the question mark tells "y" from
# "yes")
_BARE_WHY = re.compile(
    r"^\W*(?:(?:and|but|so|ok|okay|n)\W+)?(?:(?:y|wy|why+)\s*\?+"
    # "how come?", "why's that?", "why tho", "what for?", "for what reason?"
    r"|(?:how\s+come|why'?s\s+that|why\s+(?:tho|though|is\s+that|exactly)|what\s+for|"
    r"for\s+what\s+reason)\s*\??)\W*$",
    re.IGNORECASE)


def asks_bare_why(text: str | None) -> bool:
    return bool(text and _BARE_WHY.match(text))


# "my full blood count was abnormal, is that the reason", "her platelets were low, is that what
# it's checking": a finding told, asked as the reason for the test
_IS_THAT_THE_REASON = re.compile(
    r"\b(?:is|was|would|could)\s+(?:that|this|it)\s+(?:be\s+)?(?:the\s+(?:reason|cause)|why"
    # not "is that why they call it a sternal tap": its name (session 19, blind72)
    r"(?!\s+(?:they|you|we|people|doctors?|it'?s|its|it\s+is)\s+(?:call|called|name|named)\b)"
    # "My CBC showed low platelets. Is that a typical reason?" (session 19, blind66)
    r"|(?:the|an?)\s+(?:usual|typical|common|normal|main|likely|good|standard|possible)\s+reason"
    r"|the\s+(?:usual|typical|common|normal|main|likely|possible)\s+cause)\b(?!\s+(?:it|she|he|i)\s+"
    r"(?:hurts?|bleed\w*|bruis\w*|aches?))"
    r"|\b(?:is|was)\s+(?:that|this)\s+what\s+(?:it'?s|its|it\s+is|they'?re|theyre|they\s+are|the\s+"
    r"(?:test|doctors?)\s+(?:is|are))\s+(?:checking|looking|testing|going\s+to\s+check|trying\s+to)\b",
    re.IGNORECASE)


def asks_if_that_is_the_reason(text: str | None) -> bool:
    return bool(text and _IS_THAT_THE_REASON.search(text))
