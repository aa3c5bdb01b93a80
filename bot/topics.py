"""The table of answerable topics: topic id -> the intent that asks it and a patient-facing label.

Topic ids are the canonical section topics of the knowledge base (see bot/knowledge.py). The
answering action (actions/answer.py) is driven by this table; nothing here holds medical text.
"""

from __future__ import annotations

import re

# topic id -> label shown on "did you mean" buttons
TOPIC_LABELS: dict[str, str] = {
    "overview": "What the test is",
    "how_performed": "How the test is done",
    "preparation": "How to prepare",
    "sensation": "Whether it hurts",
    "purpose": "Why the test is done",
    "normal_results": "What normal results mean",
    "abnormal_results": "What abnormal results mean",
    "risks": "Risks of the test",
    "alternative_names": "Other names for the test",
    "bone_marrow": "What bone marrow is",
    "stem_cells": "What stem cells are",
    "blood_cells": "The types of blood cells",
    "stem_cell_collection": "How stem cells are collected",
    "transplant": "What a bone marrow transplant is",
    "expectations": "What to expect",
    "results": "What the results show",
}

# Topics answered with more than one section: "what should I expect during the biopsy?" is how
# the test is done and how it feels; "what do the results show?" is what normal and abnormal
# results mean. Every other topic is answered with its own section.
COMPOSITE_TOPICS: dict[str, tuple[str, ...]] = {
    "expectations": ("how_performed", "sensation"),
    # "what do the results show?", "and the results?": neither normal nor abnormal named
    "results": ("normal_results", "abnormal_results"),
}

# Topics of the page that is about no one procedure (bone marrow and stem cells). After one of
# them, a follow-up that names no test stays on that page: "what are stem cells?" then "how do
# they get them?" is how stem cells are collected, not how the biopsy is done.
PAGE_TOPICS: frozenset[str] = frozenset(
    {"bone_marrow", "stem_cells", "blood_cells", "stem_cell_collection", "transplant"}
)
PAGE_FOLLOW_UPS: dict[str, str] = {"how_performed": "stem_cell_collection"}
# What is done with stem cells once collected is the transplant: "and then what do they do with
# them?", "what happens to them once they're collected?" right after how they are collected.
_AFTER_COLLECTION = re.compile(
    r"\bthen\s+what\b"
    r"|\bwhat\s+(?:happens|do\s+they\s+do|is\s+done|are\s+they\s+used\s+for)\s+(?:to|with|for)?\s*"
    r"(?:them|it|the\s+cells|the\s+stem\s+cells)\b"
    r"|\bonce\s+(?:they'?re|they\s+are|they\s+have\s+been|it'?s)\s+(?:collected|taken|out|harvested)\b",
    re.IGNORECASE,
)


# What marrow does is make the blood cells: "and what does it do?" right after what bone marrow is.
_WHAT_IT_DOES = re.compile(
    r"\bwhat\s+(?:does|do|is)\s+(?:it|that|marrow|bone\s+marrow)\s+(?:do|doing|make|making|"
    r"produce|producing|for)\b",
    re.IGNORECASE,
)


def page_next_step(text: str | None, last_topic: str | None) -> str | None:
    """The page's next section for a follow-up about what was just quoted: 'transplant' for "and
    then what do they do with them?" after how stem cells are collected, 'blood_cells' for "and
    what does it do?" after what bone marrow is; else None."""
    if not text:
        return None
    if last_topic == "stem_cell_collection" and _AFTER_COLLECTION.search(text):
        return "transplant"
    if last_topic == "bone_marrow" and _WHAT_IT_DOES.search(text):
        return "blood_cells"
    return None

# "What is a bone marrow biopsy?" is about the test, not about bone marrow: a question that only
# asks what a named procedure is gets that procedure's overview, whatever the classifier thought of
# the words "bone marrow" (bot.components.DefinitionQuestions sets the intent). Tight on purpose:
# the procedure (``PROC`` below) must be all that is asked about, so "what is the risk of a
# biopsy" is not a definition.
_FILLER = r"(?:(?:so|ok|okay|and|but|hi|hello|hey|sorry|please|pls|um|erm)\W+)*"
_ARTICLE = r"(?:(?:a|an|the|this|that|my|your)\s+)?"
_HEDGE = r"(?:(?:exactly|actually|even|really|again|then|please|pls|thing|test|procedure)\W*)*"
_DEFINITION = re.compile(
    rf"^\W*{_FILLER}(?:what(?:'|\u2019)?s|whats|wat(?:s|\s+is)|what\s+(?:is|are|r)|"
    rf"what\s+(?:exactly\s+)?is|define|definition\s+of|meaning\s+of|explain|describe|"
    rf"(?:can|could)\s+(?:you|u)\s+(?:explain|describe|define)|tell\s+me\s+(?:about|what)|"
    rf"what\s+does)\s+{_HEDGE}{_ARTICLE}{_HEDGE}PROC\W*{_HEDGE}"
    rf"(?:is|mean|means|stand\s+for|meaning)?\W*{_HEDGE}$"
    rf"|^\W*{_FILLER}{_ARTICLE}PROC\W*(?:meaning|definition|means|mean|explained)\W*$"
    # "it says an aspiration may also be done, what's that?"
    rf"|PROC\b[^.?!]*[,;:-]\s*(?:so\s+)?(?:what(?:'|\u2019)?s|whats|wats?|what\s+is)\s+(?:that|this|it)\W*$",
    re.IGNORECASE,
)
# The tests named together, without saying which: "a bone marrow test", "the marrow sample".
_GENERIC_TEST = re.compile(
    r"\b(?:bone\s+)?marrow\s+(?:tests?|samples?|procedures?|exam(?:ination)?s?)\b", re.IGNORECASE)
_ONLY_NAMED = re.compile(rf"^\W*{_FILLER}{_ARTICLE}PROC\W*$", re.IGNORECASE)


def generic_test_spans(text: str | None) -> list[tuple[int, int]]:
    """Where the message names the marrow tests without saying which."""
    return [m.span() for m in _GENERIC_TEST.finditer(text or "")]


# Practical questions the documents do not answer and each clinic answers its own way
# (clinic profile `local_answers`). topic id -> how the bot names the subject.
LOCAL_TOPIC_LABELS: dict[str, str] = {
    "duration": "how long the test takes",
    "fasting": "eating and drinking before the test",
    "driving": "driving or getting home afterwards",
    "sedation": "sedation, gas and air or anaesthetic",
    "who_performs": "who does the test",
    "hospital_stay": "whether you need to stay in hospital",
    "results_timing": "when and how you get your results",
    "bathing": "showering and bathing afterwards",
    "activity": "exercise and work afterwards",
    "pain_relief": "pain relief afterwards",
    "cost": "cost and insurance",
}

INTENT_PREFIX = "ask_"

# A patient talking about their own results ("my results", "my report came back") gets the general
# text plus a statement that only their care team can interpret them.
_OWN_RESULTS = re.compile(
    r"\b(my|mine|our|his|her|their)\b[\w\s']{0,25}\b(results?|reports?|counts?|numbers|findings)\b"
    r"|\b(results?|reports?)\b[\w\s']{0,20}\b(came|come|are|were|is|was)\s+(back|in|out)\b"
    r"|\b(reports?|results?|biopsy|aspirate|aspiration|sample|trephine)\s+"
    r"(says|said|shows|showed|found|reads|mentions|mentioned)\b",
    re.IGNORECASE,
)


def intent_for(topic: str) -> str:
    return f"{INTENT_PREFIX}{topic}"


def topic_for(intent: str | None, table: dict[str, str] = TOPIC_LABELS) -> str | None:
    """The topic of ``table`` asked by an intent, or None when it asks none of them."""
    if intent and intent.startswith(INTENT_PREFIX):
        topic = intent[len(INTENT_PREFIX):]
        if topic in table:
            return topic
    return None


def section_topics(topic: str) -> tuple[str, ...]:
    """The knowledge-base topics quoted for ``topic``: itself, or a composite's parts."""
    return COMPOSITE_TOPICS.get(topic, (topic,))


def is_definition_question(text: str | None, span: tuple[int, int] | None) -> bool:
    """"what is a BMA?", "define bone marrow biopsy", "trephine meaning?": the message only asks
    what the procedure at ``span`` (start, end in ``text``) is."""
    if not text or span is None:
        return False
    start, end = span
    if not 0 <= start < end <= len(text):
        return False
    asked = f"{text[:start]}PROC{text[end:]}".strip()
    generic = bool(_GENERIC_TEST.fullmatch(text[start:end]))
    return bool(_DEFINITION.search(asked) or (generic and _ONLY_NAMED.search(asked)))


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
    r"erythroid|megakaryocytes?|fibrosis|reticulin|sideroblasts?|dysplasia|dysplastic|clonal|"
    r"monoclonal|paraprotein|plasma\s+cells?)\b",
    re.IGNORECASE,
)


def asks_about_own_findings(text: str | None) -> bool:
    """"my report says 8% blasts, is that bad?": the patient's own results, with the findings
    themselves. Only the care team can interpret those; the leaflets' general text is not an
    answer (bot/replies.yml own_results)."""
    return bool(text and mentions_own_results(text) and _FINDINGS.search(text))


def local_topic_for(intent: str | None) -> str | None:
    return topic_for(intent, LOCAL_TOPIC_LABELS)


def mentions_own_results(text: str | None) -> bool:
    return bool(text and _OWN_RESULTS.search(text))


# "how long does the soreness last?", or "how long does that last?" right after how it feels:
# how long it hurts (the leaflet's "How the Test will Feel"), not how long the test takes
_HOW_LONG_IT_LASTS = re.compile(
    r"\bhow\s+long\b.*\b(?:lasts?|lasting|go(?:es)?\s+(?:on|away)|stays?|lingers?|wears?\s+off|"
    r"settles?|to\s+(?:go|settle|wear\s+off|ease))\b",
    re.IGNORECASE,
)
_FEELING = re.compile(
    r"\b(?:pain|painful|hurt|hurts|hurting|sore|soreness|ache|aches|aching|achy|discomfort|"
    r"tender|tenderness|sting|stinging|burning|throbbing|bruise|bruising|pressure)\b",
    re.IGNORECASE,
)
_THAT = re.compile(r"\b(?:it|that|this|the\s+feeling)\b", re.IGNORECASE)


# "for how many seconds roughly?" right after how it feels (which says "a few seconds")
_HOW_MANY_SECONDS = re.compile(r"\bhow\s+many\s+(?:seconds|secs|minutes|mins)\b", re.IGNORECASE)


def asks_how_long_it_hurts(text: str | None, last_topic: str | None) -> bool:
    """'how long does the pain last' (or 'how long does that last', 'for how many seconds?'
    after how it feels)."""
    if text and last_topic == "sensation" and _HOW_MANY_SECONDS.search(text):
        return True
    if not text or not _HOW_LONG_IT_LASTS.search(text):
        return False
    return bool(_FEELING.search(text) or (last_topic == "sensation" and _THAT.search(text)))


# "write me a poem about bone marrow", "translate bone marrow biopsy into Polish", "tell me a
# joke about platelets": a task, not a question the leaflets answer, whatever its topic words.
_TASK_REQUEST = re.compile(
    r"^\W*(?:(?:hi|hey|hello|ok|okay|so|please|pls|plz)\W+)*"
    r"(?:(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+)?)?"
    r"(?:write|translate|summari[sz]e|compose|draft|rewrite|paraphrase|draw|sing|code|"
    r"make\s+up|tell\s+me\s+a\s+(?:joke|story|poem|riddle)|"
    r"give\s+me\s+a\s+(?:joke|poem|story|recipe|riddle))\b",
    re.IGNORECASE,
)


def is_task_request(text: str | None) -> bool:
    return bool(text and _TASK_REQUEST.search(text))


# "my wife will take me then. thank you", "gracias", "ok that helps, cheers": a message that ends
# by thanking, with no question in it, is thanks, whatever the statement before it was about.
_THANKS = (r"(?:thanks?(?:\s+(?:you|u|ya|so\s+much|a\s+lot|again|very\s+much))*|thank\s+you(?:\s+"
           r"(?:so|very)\s+much)?|ty|thx|tyvm|cheers|ta|many\s+thanks|much\s+appreciated|gracias|"
           r"merci|danke|grazie|obrigad[ao]|dziekuje|dzi\u0119kuj\u0119|spasibo|shukran|asante)")
_CLOSING_THANKS = re.compile(
    rf"^(?:(?:[^?]*?[.,!;:-]|ok|okay|great|perfect|brilliant|lovely)\s*)?{_THANKS}"
    r"(?:\s+(?:doctor|doc|nurse|bot|again|x+|mate|love|then))*\W*$",
    re.IGNORECASE,
)
MAX_CLOSING_THANKS_WORDS = 14
_ASKS = re.compile(r"^\W*(?:what|how|why|when|where|which|who|is|are|can|could|will|would|do|"
                   r"does|should)\b", re.IGNORECASE)


def is_closing_thanks(text: str | None) -> bool:
    return bool(
        text and "?" not in text and len(text.split()) <= MAX_CLOSING_THANKS_WORDS
        and not _ASKS.search(text) and _CLOSING_THANKS.search(text.strip())
    )


# "what treatment options are there?", "is MDS curable", "what's the survival rate", "does that
# mean it's terminal?": the leaflets say nothing about treatment or prognosis, whatever topic
# words the question has. Only the asking forms: "my mum is having chemo, will it hurt?" is not.
_TREATMENT_OR_PROGNOSIS = re.compile(
    r"\b(?:what|which)\s+(?:are\s+(?:the\s+)?|is\s+(?:the\s+)?)?(?:\w+\s+){0,2}?"
    r"(?:treatments?|therap(?:y|ies)|chemo(?:therapy)?)\s+(?:options?\s+)?"
    r"(?:are\s+there|is\s+there|will|would|do|does|can|could|should|for|is|are)\b"
    r"|\btreatment\s+options?\b"
    r"|\bhow\s+(?:is|are|do|does|would|will|can)\s+(?:\w+\s+){0,3}?treat(?:ed)?\b"
    r"|\b(?:is|are)\s+(?:\w+\s+){0,2}?(?:curable|treatable|terminal|fatal|incurable)\b"
    r"|\bcan\s+(?:\w+\s+){0,2}?be\s+(?:cured|treated)\b"
    r"|\b(?:survival\s+rates?|life\s+expectancy|prognosis|outlook|chances?\s+of\s+(?:survival|"
    r"surviving|recovery)|odds\s+of\s+surviving)\b"
    r"|\b(?:able\s+to|going\s+to|gonna|manage\s+to)\s+(?:treat|cure|fix)\b"
    r"|\bwhat\s+(?:would|will|do|does|can)\s+(?:they|the\s+doctors?|doctors?|the\s+team)\s+do\s+"
    r"(?:if|when|about)\s+(?:it|she|he|i|they|that)\s*(?:'s|s|is|are|turns?\s+out|comes?\s+back)"
    r"|\b(?:will|would|do|does)\s+(?:i|he|she|they|we|my\s+\w+)\s+(?:need|have\s+to\s+have|get)\s+"
    r"(?:a\s+)?(?:transplant|chemo\w*|treatment|radiotherapy)\b"
    r"|\bhow\s+long\s+(?:do|does|will|would|can|could)\s+(?:i|he|she|they|we|you|someone|people|"
    r"my\s+\w+|\w+)\s+(?:have\s+(?:left|to\s+live)|live|survive)\b"
    r"|\b(?:mean|means)\s+(?:it'?s|its|it\s+is|he'?s|she'?s|i'?m|i\s+am|they'?re)\s+"
    r"(?:terminal|dying|fatal|incurable)\b",
    re.IGNORECASE,
)


def asks_treatment_or_prognosis(text: str | None) -> bool:
    return bool(text and _TREATMENT_OR_PROGNOSIS.search(text))


# "is donating bone marrow painful?", "what does being a donor involve?", "could I give some of
# mine to my sister?": the leaflets are about having the test, and say nothing about donating.
# Only a question about donating: "I'm thinking about donating. How would they collect my stem
# cells?" asks how stem cells are collected.
_DONATING = re.compile(
    r"\b(?:is|does|would|will|can|could|do|am|should|how)\s+(?:\w+\s+){0,3}?"
    r"(?:donat(?:e|es|ing)|giv(?:e|ing)\s+(?:some\s+(?:of\s+)?)?(?:mine|(?:my|his|her)\s+(?:own\s+)?"
    r"(?:marrow|bone\s+marrow|stem\s+cells|platelets))\b|"
    r"be(?:come|coming|ing)?\s+a\s+(?:\w+\s+){0,3}?donor)"
    r"|\bdonors?\s+(?:register|registry|list|get|need|have)\b|\bsign\s+up\s+(?:\w+\s+){0,5}?donor|\b(?:matching|suitable)\s+donors?\b",
    re.IGNORECASE,
)


def asks_about_donating(text: str | None) -> bool:
    return bool(text and _DONATING.search(text))


# "does bone broth help your bone marrow?", "how can I raise my platelet count?", "what foods
# help make more stem cells": the leaflets say what marrow makes, not how to make it make more.
_COUNTS = (r"(?:bone\s+)?marrow|blood(?:\s+counts?)?|platelets?(?:\s+counts?)?|"
           r"(?:stem\s+|red\s+|white\s+|blood\s+)?cells|ha?emoglobin|immune\s+system|counts?|"
           r"iron\s+levels?")
_BOOSTING = re.compile(
    rf"(?:\b(?:broth|diet|foods?|eat|eating|drinks?|supplements?|vitamins?|herbs?|herbal|juices?)\b"
    rf"|\b(?:how\s+(?:can|could|do|should)\s+(?:i|we|you|he|she)|what\s+can\s+(?:i|we|you|he|she)\s+"
    rf"do\s+to|ways?\s+to|how\s+to|is\s+there\s+(?:a\s+way|anything)\s+to)\b)"
    rf".*\b(?:help|helps|good|better|boost|boosts|improve|improves|strengthen|raise|raises|increase|"
    rf"increases|build|builds|make|makes)\s+(?:\w+\s+){{0,2}}?(?:{_COUNTS})\b",
    re.IGNORECASE,
)


def asks_how_to_boost_the_marrow(text: str | None) -> bool:
    return bool(text and _BOOSTING.search(text))


def asks_beyond_the_leaflets(text: str | None) -> bool:
    """A task ("write me a poem"), a question about treatment or prognosis, donating or making
    the marrow make more: out of scope."""
    return (is_task_request(text) or asks_treatment_or_prognosis(text)
            or asks_about_donating(text) or asks_how_to_boost_the_marrow(text))


# "is it worse than a blood test?", "scale of 1-10 how bad is a BMA", "how painful is the
# trephine?": a comparison or a rating of the experience is how it feels (but not "is it riskier
# than...", nor a rating of the results)
_HOW_IT_FEELS = re.compile(
    r"\b(?:worse|better|more\s+painful|less\s+painful|more\s+uncomfortable|as\s+bad|as\s+painful|"
    r"as\s+sore|hurts?\s+more|more\s+sore)\s+(?:than|as)\b"
    r"|\bhow\s+(?:bad|painful|sore|uncomfortable|horrible|awful)\s+(?:is|are|was|will|does|would)\b"
    r"|\bscale\s+(?:of\s+)?(?:1|one|0|zero)\s*(?:-|to)\s*(?:10|ten)\b|\bout\s+of\s+(?:10|ten)\b"
    # "how bad tho compared to getting blood taken", "is that gonna be worse?"
    r"|\bhow\s+(?:bad|painful|sore)\b.*\b(?:compared|vs|versus)\b"
    r"|\b(?:is|will|would|was)\s+(?:it|that|this|the\s+\w+)\s+(?:gonna\s+be\s+|going\s+to\s+be\s+|"
    r"be\s+)?(?:any\s+|even\s+|much\s+)?(?:worse|more\s+painful)\W*$"
    # "how will it feel for him", "what does it feel like"
    r"|\bhow\s+(?:will|does|would|did|is|might)\s+(?:it|that|this|the\s+\w+)\s+(?:going\s+to\s+)?feel\b"
    r"|\bwhat\s+(?:will|does|would|did|might)\s+(?:it|that|this|the\s+\w+)\s+(?:\w+\s+)?feel\s+like\b"
    # numbing the bone itself: "can they numb the inside of the bone?", "can't they numb it
    # properly", "why tho if they numb it first" (the biopsy leaflet: "the inside of the bone
    # cannot be numbed"); not "do they numb the area first?", how it is done
    r"|\bnumb\w*\s+(?:\w+\s+){0,3}?(?:inside|itself|properly|completely|fully|the\s+bone)\b"
    r"|\b(?:can'?t|cannot|can\s+not)\s+(?:they|you|u)\s+(?:just\s+)?numb\b"
    r"|\bif\s+(?:they|you|u)\s+numb\b",
    re.IGNORECASE,
)
_NOT_A_FEELING = re.compile(
    r"\b(?:risks?|risky|riskier|dangerous|safe|safer|complications?|results?|infections?|"
    r"bleeding|recovery|heal|healing)\b",
    re.IGNORECASE,
)
# the leaflet topics such a question is sometimes taken for
FEELING_LOOK_ALIKES = frozenset({"overview", "how_performed", "risks", "alternative_names",
                                 "purpose"})


def asks_how_it_feels(text: str | None) -> bool:
    return bool(text and _HOW_IT_FEELS.search(text) and not _NOT_A_FEELING.search(text))


# "What should I expect?", "what am I in for?" ask both how the test is done and how it feels.
# A question the classifier put there without asking what to expect asks one of them: "what's it
# like having a marrow aspiration?", "how will it feel for him?" is how it feels; "can you tell me
# what it involves?", "walk me through it" is how it is done.
_WHAT_TO_EXPECT = re.compile(
    r"\b(?:expect\w*|in\s+for|go(?:es|ing)?\s+through|went\s+through|experience)\b",
    re.IGNORECASE,
)
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
    if not text or _WHAT_TO_EXPECT.search(text):
        return "expectations"
    felt, done = _HOW_IT_IS_FELT.search(text), _HOW_IT_IS_DONE.search(text)
    if felt and done:
        return "expectations"
    return "sensation" if felt else "how_performed"


# In a conversation about a test, what the patient says about their own medicines or health
# ("I take aspirin daily", "can I still take my normal tablets?", "he's 79 and diabetic, is he
# more at risk?") is about getting ready for that test or its risks, not another subject: the
# leaflets' preparation sections list the medicines, allergies and pregnancy to tell the
# provider about.
_OWN_MEDICINES = re.compile(
    r"\b(?:tablets?|pills?|medicines?|medications?|meds|aspirin|warfarin|blood\s+thinners?|"
    r"anticoagulants?|insulin|allerg(?:y|ies|ic)|pregnant|pregnancy|breast\s*feeding|"
    r"supplements?|ibuprofen|nsaids?|steroids?|clopidogrel|apixaban|rivaroxaban|metformin)\b",
    re.IGNORECASE,
)
_OWN_RISK = re.compile(
    r"\b(?:risk|risks|risky|riskier|safe|safer|dangerous|more\s+likely|bleed|bleeding|bleeds|"
    r"infections?)\b", re.IGNORECASE)
# Before the test, not the pain relief after it: "should I stop my ibuprofen before the BMB?"
_BEFORE_THE_TEST = re.compile(
    r"\b(?:before|beforehand|night\s+before|morning\s+of|stop|stopping|pause|hold\s+off|tell|"
    r"let\s+(?:the|them|him|her|my)\b[\w\s]{0,20}\bknow)\b", re.IGNORECASE)
_AFTER_THE_TEST = re.compile(r"\b(?:after|afterwards|afterward|once\s+it'?s\s+done)\b",
                             re.IGNORECASE)


def asks_about_own_medicines_before(text: str | None) -> bool:
    """'should I stop my ibuprofen before the BMB?', 'mum is on aspirin and steroids, what should
    she let the doctor know?': getting ready for the test (the leaflets' preparation), not the
    clinic's pain relief afterwards."""
    return bool(text and _OWN_MEDICINES.search(text) and _BEFORE_THE_TEST.search(text)
                and not _AFTER_THE_TEST.search(text))


def circumstance_topic(text: str | None) -> str | None:
    """'preparation' for one's own medicines, allergies or pregnancy, 'risks' for 'is it riskier
    for him?'; None otherwise."""
    if not text:
        return None
    if _OWN_MEDICINES.search(text):
        return "preparation"
    if _OWN_RISK.search(text):
        return "risks"
    return None
