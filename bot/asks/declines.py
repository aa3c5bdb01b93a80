"""Messages the leaflets do not answer whatever their topic words (a task, treatment or
prognosis, donating, making the marrow make more) and thanks that asks nothing."""

from __future__ import annotations

import re

from bot.asks.definitions import page_subject_defined_last
from bot.asks.sentences import sentences
from bot.asks.statements import is_statement

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
    rf"^(?:(?:[^?]*?[.,!;:-]|ok|okay|great|perfect|brilliant|brill|lovely|ace|awesome|cool|nice|"
    rf"amazing|fab|fantastic|wonderful|excellent|sweet|super)\s*)?{_THANKS}"
    r"(?:\s+(?:doctor|doc|nurse|bot|again|x+|mate|love|then|anyway|anyways|tho|though))*\W*$",
    re.IGNORECASE,
)
# "cheers thats really helpful", "thanks, that helps a lot": thanks, then how it helped
_THANKS_THEN_PRAISE = re.compile(
    rf"^\W*{_THANKS}\W+(?:(?:that'?s|thats|that\s+(?:was|is)|this\s+(?:was|is)|it'?s|its|you'?re|"
    r"ur|u\s+r|that|it)\s+)?(?:\w+\s+){0,2}?(?:helpful|helps|helped|useful|great|brilliant|good|"
    r"clear|clearer|reassuring|kind|amazing|lovely|perfect|informative)(?:\s+(?:a\s+lot|thanks?|"
    r"cheers|x+))?\W*$",
    re.IGNORECASE)
# "ok thank you, hes resting now", "thanks, my wife will drive": thanks, then a few words that
# only tell (not "thanks, but it still hurts", "thanks, I have another question", "thanks, my hip
# is really sore now" or a test named) (session 19, blind44)
_THANKS_THEN_TOLD = re.compile(
    rf"^\W*(?:(?:ok|okay|right|great|lovely)\W+)?{_THANKS}\s*[,.!;:\u2013\u2014-]+\s*"
    r"(?!.*\b(?:but|though|tho|still|question|questions|ask|asking|wondering|wonder|confused|"
    r"worried|scared|worse|help|need|what|how|why|when|where|which|sore|pain|painful|hurts?|"
    r"aches?|aching|bleed\w*|blood|swollen|fever|temperature|dizzy|sick|biopsy|aspiration|"
    r"marrow|test|bma|bmb|trephine)\b)[a-z][^?]*$",
    re.IGNORECASE)
MAX_CLOSING_THANKS_WORDS = 14
_ASKS = re.compile(r"^\W*(?:what|how|why|when|where|which|who|is|are|can|could|will|would|do|"
                   r"does|should)\b", re.IGNORECASE)


def is_closing_thanks(text: str | None) -> bool:
    return bool(
        text and "?" not in text and len(text.split()) <= MAX_CLOSING_THANKS_WORDS
        and not _ASKS.search(text) and (_CLOSING_THANKS.search(text.strip())
                                        or _THANKS_THEN_PRAISE.search(text.strip())
                                        or _THANKS_THEN_TOLD.search(text.strip()))
    )


# "what treatment options are there?", "is MDS curable", "what's the survival rate", "does that
# mean it's terminal?": the leaflets say nothing about treatment or prognosis, whatever topic
# words the question has. Only the asking forms: "my mum is having chemo, will it hurt?" is not.
_TREATMENT_OR_PROGNOSIS = re.compile(
    r"\b(?:what|which)\s+(?:are\s+(?:the\s+)?|is\s+(?:the\s+)?)?(?:\w+\s+){0,2}?"
    r"(?:treatments?|therap(?:y|ies)|chemo(?:therapy)?)\s+(?:options?\s+)?"
    r"(?:are\s+there|is\s+there|will|would|do|does|can|could|should|for|is|are)\b"
    r"|\btreatment\s+options?\b"
    r"|\bwh?at(?:'s|\u2019s|s|\s+is|\s+would\s+be)\s+(?:the\s+)?(?:treatment|cure)\s+(?:if|for|when)\b"
    r"|\bhow\s+(?:is|are|do|does|would|will|can)\s+(?:\w+\s+){0,3}?treat(?:ed)?\b"
    r"|\b(?:is|are)\s+(?:\w+\s+){0,2}?(?:curable|treatable|terminal|fatal|incurable)\b"
    r"|\bcan\s+(?:\w+\s+){0,2}?be\s+(?:cured|treated)\b"
    r"|\bhow\s+well\s+(?:does|do|will|would|did)\s+(?:that|the|this|it|these|those)?\s*(?:\w+\s+)?"
    r"(?:drugs?|medicines?|medications?|treatments?|chemo\w*|tablets?|injections?)\s+(?:\w+\s+)?work"
    r"|\bsurvival\s+(?:chances?|odds|stats|statistics)\b"
    # "what are the chances it actually works for her", "if it turns out to be leukaemia whats the
    # treatment"
    r"|\bchances?\s+(?:that\s+|of\s+)?(?:it|the\s+transplant|the\s+treatment|the\s+chemo\w*|"
    r"treatment|a\s+transplant)\s+(?:actually\s+|really\s+)?(?:works?|working|succeeds?|success)\b"
    r"|\bwh?at(?:'s|\u2019s|s|\s+is|\s+would\s+be)\s+(?:the\s+)?(?:treatment|cure)\W*$"
    # "is aplastic anemia hereditary": what an illness is like, which no document says
    r"|\b(?:is|are|was|can)\s+(?:\w+\s+){1,3}?(?:h[ae]r[ei]dit[ae]ry|inherit(?:ed|able)|genetic|"
    r"contagious|catching|infectious)\b(?!\s+(?:tests?|testing))|\bruns?\s+in\s+(?:the\s+)?famil\w+"
    # "is leukaemia something she could have inherited from us"
    r"|\b(?:could|can|might|did|would)\s+(?:\w+\s+){0,2}?(?:have\s+)?inherit(?:ed)?\b"
    # "she will die?", "is he going to die" (not "can you die from a biopsy", its risks)
    r"|\b(?:(?:will|is|are|am)\s+(?:she|he|i|they|we|my\s+\w+)\s+(?:going\s+to\s+|gonna\s+)?|"
    r"(?:she|he|i|they|we|my\s+\w+)\s+(?:will|is\s+going\s+to|are\s+going\s+to|gonna)\s+)"
    r"die\b(?!\s+(?:from|during|of|in|because)\b)"
    # "and what happens to her treatment if it has"
    r"|\bwhat\s+happens\s+(?:to|with)\s+(?:my|his|her|their|the|our)\s+(?:treatment|chemo\w*)\b"
    r"|\b(?:survival\s+rates?|life\s+expectancy|prognosis|outlook|chances?\s+of\s+(?:survival|"
    r"surviving|recovery)|odds\s+of\s+surviving)\b"
    r"|\b(?:able\s+to|going\s+to|gonna|manage\s+to|(?:be|been|being)\s+used\s+to)\s+"
    r"(?:treat|cure|fix|repair|heal)\b"
    # "do they treat it with a stem cell transplant?": which treatment (session 16)
    r"|\b(?:do|does|will|would|can|could)\s+(?:they|you|doctors?|the\s+doctors?)\s+(?:usually\s+|"
    r"normally\s+|ever\s+|sometimes\s+)?treat\s+(?:it|this|that|him|her|them|me|\w+)\s+with\s+"
    r"(?:a\s+|an\s+)?(?:(?:stem\s+cell|bone\s+marrow)\s+)?(?:transplant|chemo\w*|radiotherapy|"
    r"radiation|drugs?|medications?|steroids?|immunotherapy|targeted)\b"
    r"|\bwhat\s+(?:would|will|do|does|can)\s+(?:they|the\s+doctors?|doctors?|the\s+team)\s+do\s+"
    r"(?:if|when|about)\s+(?:it|she|he|i|they|that)\s*(?:'s|s|is|are|turns?\s+out|comes?\s+back)"
    r"|\b(?:will|would|do|does)\s+(?:i|he|she|they|we|my\s+\w+)\s+(?:end\s+up\s+)?(?:need|needing|"
    r"have\s+to\s+have|get|getting|having)\s+(?:a\s+)?(?:bone\s+marrow\s+|stem\s+cell\s+)?"
    r"(?:transplant|chemo\w*|treatment|radiotherapy)\b"
    # "does chemo kill them off": what a treatment does to the marrow
    r"|\b(?:does|do|will|would|can)\s+(?:the\s+)?(?:chemo\w*|radiotherapy|radiation|treatment)\s+"
    r"(?:\w+\s+)?(?:kill|destroy|damage|wipe|harm|affect)\w*\b"
    r"|\bhow\s+long\s+(?:do|does|will|would|can|could)\s+(?:i|he|she|they|we|you|someone|people|"
    r"my\s+\w+|\w+)\s+(?:have\s+(?:left|to\s+live)|live|survive)\b"
    r"|\bhow\s+(?:many\s+years|long)\s+(?:do|does|can|will|would)\s+(?:people|patients|someone|you|"
    r"i|he|she|they)\s+(?:usually\s+|normally\s+|typically\s+)?(?:live|survive)\b"
    # "if it turns out to be leukaemia how long will she have", "how long has he got left"
    r"|\bhow\s+long\s+(?:will|would|do|does|has|have)\s+(?:i|he|she|they|we|my\s+\w+)\s+"
    r"(?:have|got)(?:\s+left)?\W*$"
    # "does chemo feel painful going in"
    r"|\b(?:does|do|will|is|would)\s+(?:the\s+)?(?:chemo\w*|radiotherapy|infusions?)\s+(?:\w+\s+)?"
    r"(?:hurt|painful|feel|sting|burn)\w*\b"
    r"|\b(?:mean|means)\s+(?:it'?s|its|it\s+is|he'?s|she'?s|i'?m|i\s+am|they'?re)\s+"
    r"(?:terminal|dying|fatal|incurable)\b"
    # "if its leukaemia what are my chances", "what are the odds it's spread" (not "what are the
    # chances of an infection", the risks)
    r"|\b(?:what|wat)(?:'s|s)?\s+(?:(?:are|r|is)\s+)?(?:my|his|her|their|our|your)\s+(?:chances|odds)\b"
    r"(?!\s+of\s+(?:\w+\s+)?(?:bleed\w*|infect\w*|complication\w*|pain|bruis\w*|problems?|side))"
    r"|\b(?:odds|chances?|likelihood)\s+(?:that\s+|of\s+)?(?:it|it'?s|its|the\s+\w+|cancer|"
    r"leuka?emia|lymphoma)\s+(?:has\s+|have\s+|being\s+|is\s+)?(?:spread|come\s+back|returned)\b"
    # "Which chemo works best for myeloma?": which treatment, which the leaflets do not say
    r"|\bwhich\s+(?:chemo\w*|treatments?|drugs?|medicines?|medications?|therap\w+)\s+(?:\w+\s+)?"
    r"(?:works?|is|are)\s+(?:the\s+)?best\b"
    # "what's the chance it turns out to be cancer", "how likely is it that he has leukaemia": how
    # likely an illness is, which only the care team can say
    r"|\b(?:odds|chances?|likelihood|probability|how\s+likely)\s+(?:is\s+(?:it\s+)?|are\s+)?(?:that\s+|of\s+)?"
    r"(?:it|this|he|she|they|i|my\s+\w+)?\s*(?:\w+\s+){0,2}?(?:turns?\s+out\s+(?:to\s+be\s+)?|"
    # "whats the chance its cancer though"
    r"(?:it'?s|it\u2019s|its)\s+|(?:is|being|"
    r"has|have|will\s+be|would\s+be)\s+(?:got\s+)?|be\s+)(?:a\s+)?(?:cancer\w*|leuka?emia|lymphoma|"
    r"myeloma|something\s+(?:serious|bad|nasty))\b"
    # "how often should my mum get her bloods checked": follow-up care
    r"|\bhow\s+often\s+(?:should|do|does|will|would)\s+(?:\w+\s+){0,3}?(?:get|have)\s+(?:\w+\s+)?"
    r"(?:bloods?|blood\s+tests?|counts?)\b",
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
    r"(?:donat(?:e|es|ing)|giv(?:e|ing)\s+(?:me\s+|him\s+|her\s+|them\s+)?(?:some\s+(?:of\s+)?)?"
    r"(?:mine|(?:my|his|her)\s+(?:own\s+)?(?:marrow|bone\s+marrow|stem\s+cells?|platelets))\b|"
    r"be(?:come|coming|ing)?\s+a\s+(?:\w+\s+){0,3}?donor|"
    # "can you sell your stem cells", "do donors get paid"
    r"sell(?:ing)?\s+(?:\w+\s+){0,2}?(?:marrow|stem\s+cells|cells|blood|platelets|plasma)|"
    r"get\s+paid)"
    r"|(?<!like\s)(?<!as\s)(?<!than\s)\b(?:give|giving|donate|donating)\s+blood\b|\bblood\s+donations?\b"
    # "My brother want give me his stem cell"
    r"|\b(?:want|wants|wanted|wanting|offer\w*|going)\s+(?:to\s+)?giv(?:e|ing)\s+(?:me|him|her|them|you)\s+"
    r"(?:some\s+(?:of\s+)?)?(?:his|her|my|their)\s+(?:own\s+)?(?:marrow|bone\s+marrow|stem\s+cells?)\b"
    r"|\b(?:a|be\s+a|been\s+a)\s+(?:good\s+|possible\s+)?match\s+for\b"
    r"|\bdonors?\s+(?:register|registry|list|get|need|have)\b|\bsign\s+up\s+(?:\w+\s+){0,5}?donor|\bsign\s+up\s+to\s+(?:be\s+a\s+)?donat|\b(?:matching|suitable)\s+donors?\b",
    re.IGNORECASE,
)


# "my sister is donating stem cells for her little boy. how do they collect them?": how stem
# cells are collected, whoever gives them
_HOW_COLLECTED = re.compile(
    r"\bhow\s+(?:do|does|will|would|are|is|r)\s+(?:they|you|it|them|the\s+cells|stem\s+cells)\s+"
    r"(?:\w+\s+){0,2}?(?:collect|collected|harvest|harvested|get\s+them|taken|take\s+them|removed)\b",
    re.IGNORECASE,
)


# "My brother is donating stem cells for me and they said he needs injections first to 'move
# them into the blood'. How does that work?": the injections before a collection, which that
# section describes
_MOBILISED = re.compile(
    r"\b(?:injections?|jabs?|growth\s+factors?|g-?csf)\b[^?]*\b(?:into|in)\s+(?:the\s+|his\s+|her\s+|"
    r"my\s+)?(?:blood|bloodstream)\b", re.IGNORECASE)


# a question that stands on its own once the donation has been told: more than a few words
MIN_OWN_QUESTION_WORDS = 5


def _donation_only_told(text: str) -> bool:
    """"My son is donating stem cells to his cousin and he's dreading a needle in his bone. Can
    stem cells be taken from the blood instead of the marrow?": the donation is told before a
    question of its own, which is then what is asked (not "My brother wants to donate. Is that
    possible?", which asks about the donation)."""
    parts = sentences(text)
    asked = [part for part in parts if "?" in part] or parts[-1:]
    if len(parts) < 2 or any(_DONATING.search(part) for part in asked + parts[-1:]):
        return False  # "... How do I sign up to donate bone marrow? Is there an age limit?"
    question = asked[-1]
    words = re.findall(r"[\w']+", question)
    return len(words) >= MIN_OWN_QUESTION_WORDS and not (
        len(words) <= MIN_OWN_QUESTION_WORDS + 1 and _POINTS_BACK.search(question))


def asks_about_donating(text: str | None) -> bool:
    if not text or not _DONATING.search(text) or _HOW_COLLECTED.search(text):
        return False
    if _MOBILISED.search(text) or _donation_only_told(text):
        return False
    # "...they want to test if i can donate. what is a stem cell?": what the page says
    return page_subject_defined_last(text) is None


# "does bone broth help your bone marrow?", "how can I raise my platelet count?", "what foods
# help make more stem cells": the leaflets say what marrow makes, not how to make it make more.
_COUNTS = (r"(?:bone\s+)?marrow|blood(?:\s+counts?)?|platelets?(?:\s+counts?)?|"
           r"(?:stem\s+|red\s+|white\s+|blood\s+)?cells|ha?emoglobin|immune\s+system|counts?|"
           r"iron\s+levels?")
_BOOSTING = re.compile(
    rf"(?:\b(?:broth|diet|foods?|eat|eating|drinks?|supplements?|vitamins?|herbs?|herbal|juices?|"
    rf"iron|pills|tablets)\b"
    rf"|\b(?:how\s+(?:can|could|do|should)\s+(?:i|we|you|he|she)|what\s+can\s+(?:i|we|you|he|she)\s+"
    rf"do\s+to|ways?\s+to|how\s+to|is\s+there\s+(?:a\s+way|anything)\s+to)\b)"
    rf".*\b(?:help|helps|good|better|boost|boosts|improve|improves|strengthen|raise|raises|increase|"
    rf"increases|build|builds|make|makes)\s+(?:\w+\s+){{0,2}}?(?:{_COUNTS})\b"
    # "how can i get my platelets up before the biopsy"
    rf"|\b(?:get|bring|push|put)\s+(?:my|his|her|their|the|your)?\s*(?:{_COUNTS})\s+(?:back\s+)?"
    rf"(?:up|higher)\b",
    re.IGNORECASE,
)


# "is eating bone marrow from the butcher good for you": marrow as food
_EATING_MARROW = re.compile(
    r"\b(?:eat|eating|eats|ate|cook|cooking)\s+(?!(?:\w+\s+){0,1}?(?:before|after|until|till|"
    r"since|for|ahead)\b)(?:\w+\s+){0,2}?(?:bone\s+)?marrow\b"
    # "is bone marrow good to eat, like in bone broth"
    r"|\bmarrow\s+(?:\w+\s+){0,3}?(?:to\s+eat|for\s+eating)\b|\bbone\s+broth\b"
    # "how much does it cost to freeze stem cells privately": banking stem cells
    r"|\b(?:freez\w*|froze|frozen|bank\w*|stor(?:e|ed|ing))\s+(?:\w+\s+){0,2}?stem\s+cells?\b"
    r"|\bstem\s+cell\s+bank\w*|\bcord\s+blood\b", re.IGNORECASE)


def asks_how_to_boost_the_marrow(text: str | None) -> bool:
    return bool(text and (_BOOSTING.search(text) or _EATING_MARROW.search(text)))


# "what are the side effects of the G-CSF injections?", "what does a FISH test on the marrow look
# for?", "JAK2 mutation test what is it": another treatment's side effects, or a laboratory test
# the leaflets do not describe (not "any side effects from the hip needle test", the risks)
_OTHER_TREATMENT_OR_LAB_TEST = re.compile(
    r"\bside[\s-]*effects?\s+(?:of|from)\s+(?:\w+\s+){0,3}?(?:(?<!numbing\s)(?<!local\s)"
    r"(?<!anaesthetic\s)(?<!anesthetic\s)(?:injections?|jabs?)|drugs?|medicines?|"
    r"medications?|chemo\w*|g-?csf|growth\s+factors?|filgrastim|tablets|pills|steroids?|"
    r"radiotherapy|treatments?|infusions?)\b"
    # "what side effects do the growth factor injections have"
    r"|\bside[\s-]*effects?\s+(?:do|does|will|would|can|could|might)\s+(?:the\s+|these\s+|those\s+)?"
    r"(?:\w+\s+){0,3}?(?:(?<!numbing\s)(?<!local\s)(?:injections?|jabs?)|drugs?|medicines?|"
    r"medications?|chemo\w*|tablets|pills|steroids?|infusions?)\s+(?:have|cause|give)\b"
    # the vegetable (session 18, tests/dev/blind27): "how do you grow a vegetable marrow"
    r"|\bvegetable\s+marrows?\b|\bmarrows?\s+(?:seeds?|plants?|recipes?|soup|chutney)\b"
    # stem cells sold for looks or youth, which the page does not describe
    r"|\bcosmetic\w*\b|\bbelly\s+fat\b|\banti[\s-]*(?:ag(?:e|e?ing)|wrinkle)\b"
    # "can stem cells regrow teeth": other uses of stem cells, which the page does not describe
    r"|\b(?:regrow|grow\s+back|regenerate)\s+(?:\w+\s+)?(?:teeth|tooth|hair|limbs?|organs?|knees?|"
    r"joints?|cartilage|spines?|nerves?|hearts?|brains?|skin)\b"
    r"|\bstem\s+cells?\s+(?:face\s+|skin\s+|beauty\s+|anti[\s-]*ag(?:e|e?ing)\s+)?(?:clinics?|facials?|creams?|"
    r"serums?|shots?|face\s*lifts?|facelifts?|botox|fillers?|hair|implants?|knee\s+injections?)\b"
    r"|\b(?:fish|jak2|bcr[\s-]*abl|flow\s+cytometry|cytogenetics?|karyotyp\w*|pcr|ngs|mrd|"
    r"minimal\s+residual|immunophenotyp\w*|next[\s-]*generation\s+sequencing|mutation)\s+"
    r"(?:test|tests|testing|analysis|studies|study|panel|screen)\b"
    # "what is flow cytometry": a laboratory technique by name
    r"|\bwhat(?:'s|s|\s+is|\s+are|\s+does)\s+(?:an?\s+|the\s+)?(?:fish|jak2|flow\s+cytometry|"
    r"cytogenetics?|karyotyp\w*|pcr|ngs|mrd|immunophenotyp\w*|next[\s-]*generation\s+sequencing)\b"
    # "filgrastim injections giving me bone pain, is that normal"
    r"|\b(?:g-?csf|filgrastim|pegfilgrastim|neupogen|neulasta|zarzio|lenograstim)\s+"
    r"(?:\w+\s+)?(?:is|are|giving|gives|gave|causing|causes|caused|making|makes|made)\b"
    # "whats the growth factor injection like to have"
    r"|\b(?:g-?csf|filgrastim|growth\s+factors?)\s+(?:injections?|jabs?|shots?)\s+(?:\w+\s+){0,2}?"
    r"(?:like|hurt|hurts|painful|feel)\b"
    # "do steroids mess up your blood counts", "the iron tablets im on make me sick as a dog, is
    # that normal": what one's medicines do, which the leaflets do not say
    r"|\b(?:steroids?|tablets?|pills?|meds|medications?|medicines?|drugs?|chemo\w*|antibiotics?|"
    r"metformin|warfarin|aspirin|iron)\s+(?:\w+\s+){0,2}?(?:mess\w*\s+(?:up|with)|affect\w*|lower\w*|"
    r"raise\w*|drop\w*|reduce\w*|change\w*)\s+(?:\w+\s+){0,2}?(?:blood\s+)?(?:counts?|levels?|"
    r"platelets?|results?)\b"
    r"|\b(?:tablets?|pills?|meds|medications?|medicines?|injections?|jabs?)\s+(?:\w+\s+){0,3}?"
    r"(?:make|makes|making|made|give|gives|giving|gave)\s+(?:me|him|her|them)\s+(?:feel\s+)?"
    r"(?:so\s+|really\s+|very\s+)?(?:sick|nauseous|queasy|dizzy|tired|ill|constipated|"
    r"headaches?|rashes?|diarrh?o?ea)\b"
    # "should i be taking iron tablets for it": a treatment for what the test may find
    r"|\b(?:take|taking|start|starting|be\s+on)\s+(?:\w+\s+)?(?:iron|folic\s+acid|b12|vitamins?)\s*"
    r"(?:tablets?|pills?|supplements?|injections?)?\s+for\s+(?:it|this|that|the\s+\w+|my\s+\w+)\b"
    # "My wife has been prescribed filgrastim injections. What side effects should we watch
    # for?": a medicine's side effects, asked after it was named
    r"|\b(?:prescribed|been\s+given|started\s+on|put\s+on)\s+(?:\w+\s+){0,3}?(?:injections?|"
    r"tablets?|pills?|medicines?|medications?|drugs?|g-?csf|filgrastim|pegfilgrastim)\b[^?]*?"
    r"\bside[\s-]*effects?\b(?!\s+(?:of|from|for|with)\s+(?:the|a|my|this|that|his|her)\s+(?:\w+\s+)?"
    r"(?:biopsy|aspiration|aspirate|test|procedure|trephine))"
    # "what's the name and dose of the chemo they use", "what iron tablets should she take": which
    # medicine and how much, which the leaflets do not say (not what to stop before the test)
    r"|\bwh?at(?:'s|s|\s+is|\s+are)\s+the\s+(?:name|names|dose|doses|dosage)\s+(?:and\s+(?:\w+\s+)?)?of\s+"
    r"(?:the\s+)?(?:chemo\w*|drugs?|"
    r"medicines?|medications?|injections?)\b"
    r"|\bwhat\s+(?:iron\s+|vitamin\s+)?(?:tablets?|pills?|supplements?|vitamins?|meds|medicines?)\s+"
    r"(?:should|can|could|do|would)\s+(?:i|she|he|we|they)\s+(?:take|give|buy|use)\b"
    r"(?![^?]*\b(?:before|stop|stopping|avoid|beforehand|after|afterwards|pain|sore|ache|hurts?)\b)"
    # other stem cells and transplant complications the page does not describe
    r"|\bembryonic\b|\bembryos?\s+stem\s+cells?\b|\bgraft[\s-]*(?:versus|vs\.?|v|against)[\s-]*host\b|\bgvhd\b"
    # "What causes aplastic anaemia?", "does drinking alcohol damage your bone marrow": what
    # causes an illness or harms the marrow, which no document says
    r"|(?<!find\s)(?<!show\s)(?<!tell\s)(?<!see\s)(?<!out\s)(?<!know\s)(?<!check\s)"
    r"\bwhat\s+(?:causes|caused|can\s+cause|could\s+cause)\s+(?:\w+\s+){0,2}?(?:ana?emia|leuka?emia|"
    r"lymphoma|myeloma|mds|myelodysplas\w*|myelofibrosis|itp|cancer|low\s+(?:platelets|counts?|"
    r"blood\s+counts?))\b"
    r"|\b(?:alcohol|drinking|smoking|vaping|cannabis|weed)\b[^?]*\b(?:damage|damages|harm|harms|hurt|"
    r"affect|affects|destroy|destroys|bad\s+for)\s+(?:\w+\s+){0,2}?(?:bone\s+)?marrow\b"
    # "what does hypocellular marrow mean": a term of a marrow report, which no document explains
    r"|\bwhat\s+(?:does|do|is|are)\s+(?:an?\s+)?(?:\w+\s+)?(?:hyper-?cellular|hypo-?cellular|"
    r"normo-?cellular|cellularity|blasts?|dysplas\w*|fibrosis|reticulin|megakaryocytes?|"
    r"sideroblasts?|paraprotein|dry\s+tap)\b"
    # "she said it might be a dry tap, what does that mean": a report's term, however asked
    r"|\bdry\s+tap\b",
    re.IGNORECASE,
)


def asks_about_another_treatment_or_lab_test(text: str | None) -> bool:
    return bool(text and _OTHER_TREATMENT_OR_LAB_TEST.search(text))


# The page says one thing of a transplant: a "bone marrow transplant" is really a transplant of
# stem cells, which is how one works. Why someone needs one, whether it hurts, step by step, its
# risks and recovery: none of the documents says ("how do they collect stem cells for a
# transplant" is collection).
_TRANSPLANT = re.compile(r"\btransplant\w*\b", re.IGNORECASE)
_BEYOND_WHAT_IT_IS = re.compile(
    r"\b(?:how\s+long|why|hurt\w*|pain\w*|risk\w*|dangerous|safe|success\w*|recover\w*|surviv\w*|"
    r"side[\s-]+effects?|reject\w*|step\s+by\s+step|after|afterwards|chances?)\b", re.IGNORECASE)
_ABOUT_THE_CELLS = re.compile(
    r"\b(?:collect\w*|harvest\w*|taken?\s+from|come\s+from|comes\s+from|get\s+(?:them|the\s+\w+)|"
    r"same|really|call|calls|called|calling|referred\s+to|known\s+as|named|termed|say|says|said|"
    r"mean\w*|difference|different|what\s+(?:even\s+|exactly\s+|"
    # (not "what are the chances the transplant works")
    r"actually\s+)?(?:is|are)(?!\s+the\s+(?:chances?|odds|risks?))|whats|what's|actual|literally|"
    r"one\s+person|giving|given|"
    r"what\s+happens|is\s+that\s+what"
    # "is it a marrow transplant or a stem cell one": the page's one point, asked as a choice
    r"|(?:bone\s+)?marrow\s+(?:transplant\s+)?or\s+(?:an?\s+)?stem[\s-]+cells?"
    r"|stem[\s-]+cells?\s+(?:transplant\s+|one\s+)?or\s+(?:an?\s+)?(?:bone\s+)?marrow"
    # a transplant as the context of a question about the test
    r"|tests?|testing|biops\w*|aspirat\w*|trephine|bma|bmb|samples?)\b",
    re.IGNORECASE)


_POINTS_BACK = re.compile(r"\b(?:that|it|one|this)\b", re.IGNORECASE)


def asks_beyond_the_transplant(text: str | None, after_transplant: bool = False) -> bool:
    """A question (not "the consultant mentioned a transplant might come up after the BMA");
    ``after_transplant``: right after the transplant answer, "why would someone need that?"
    asks it of the transplant."""
    named = bool(text and (_TRANSPLANT.search(text)
                           or (after_transplant and _POINTS_BACK.search(text))))
    return bool(text and named and _BEYOND_WHAT_IT_IS.search(text)
                and not _ABOUT_THE_CELLS.search(text) and not is_statement(text))


# "does it always find it?", "can it miss it?", "how accurate is it": how reliable the test is,
# which no document says (why it is done lists what it may show, not how often it does)
_ACCURACY = re.compile(
    r"\b(?:does|do|will|would|can|could)\s+(?:it|the\s+\w+|they)\s+(?:always|ever|definitely|100%?)\s+"
    r"(?:find|show|detect|pick|catch|spot)\w*"
    r"|\b(?:can|could|might|may|do|does)\s+(?:it|the\s+\w+|they)\s+(?:\w+\s+)?(?:miss|misses|missed)\b"
    r"|\bhow\s+(?:accurate|reliable)\b|\bfalse\s+(?:negative|positive)s?\b|\baccuracy\b"
    # "Would a biopsy have found something the aspirate missed?"
    r"|\b(?:the|an?|that|this|my|his|her)\s+(?:\w+\s+)?(?:missed|didn'?t\s+(?:find|show|pick\s+up))\b",
    re.IGNORECASE)


def asks_how_accurate(text: str | None) -> bool:
    return bool(text and _ACCURACY.search(text))


# "whats a normal white cell count", "how many red cells shud a healthy person have", "what stage
# is lymphoma if its in the bone marrow", "does it hurt the donor", "what does that mean for him
# day to day": blood count values, staging, donors and life with an illness, which no document
# gives
_VALUES_STAGES_DONORS = re.compile(
    r"\b(?:normal|healthy|average|usual|good|safe)\s+(?:\w+\s+)?(?:white|red|platelet|neutrophil|"
    r"blood|wbc|rbc|hb|ha?emoglobin)\s+(?:cell\s+|blood\s+cell\s+)?(?:counts?|levels?|ranges?|numbers?)\b"
    r"|\bhow\s+(?:many|much|high|low)\s+(?:platelets?|hb|ha?emoglobin|neutrophils?)\s+(?:do|does|should|must)\s+"
    r"(?:i|he|she|you|we|they)\s+(?:need|have\s+to|got\s+to)\b"
    r"|\bhow\s+many\s+(?:red|white)\s+(?:blood\s+)?cells\s+(?:\w+\s+){0,2}?(?:should|shud|does|do|"
    r"would|is|are)\b"
    r"|\b(?:what|which|wat)\s+(?:stage|grade)\s+(?:is|of|would|will|does)\s+(?:\w+\s+){0,2}?"
    r"(?:lymphoma|leuka?emia|cancer|myeloma|cll|cml|aml|mds|hodgkin\w*|disease|illness|it)\b"
    # "what number of platelets counts as low", "what is classed as a low white count"
    r"|\bwhat\s+(?:\w+\s+){0,3}?(?:platelets?|counts?|hb|ha?emoglobin|neutrophils?|levels?|"
    r"numbers?)\s+(?:\w+\s+){0,2}?(?:counts?|classed|classified|considered)\s+as\s+(?:a\s+|too\s+)?"
    r"(?:low|high|normal|dangerous|safe)\b"
    # "what's a dangerous platelet level", "what platelet level is dangerous", "what should my
    # platelet count be"
    r"|\bwh?at(?:'s|\u2019s|s|\s+is)?\s+(?:a\s+|the\s+)?(?:dangerous|safe|normal|low|high|bad|good)\s+"
    r"(?:platelet|white\s+(?:blood\s+)?cell|red\s+(?:blood\s+)?cell|blood|hb|ha?emoglobin|neutrophil)s?\s+"
    r"(?:counts?|levels?|numbers?)\b"
    r"|\bwhat\s+(?:platelet|white\s+(?:blood\s+)?cell|red\s+(?:blood\s+)?cell|blood|hb|ha?emoglobin|"
    r"neutrophil)s?\s+(?:counts?|levels?|numbers?)\s+(?:is|are|would\s+be|counts\s+as)\s+(?:too\s+)?"
    r"(?:dangerous|safe|normal|low|high|bad|good)\b"
    r"|\bwhat\s+should\s+(?:my|his|her|their|our|your|the)\s+(?:platelet|white\s+(?:blood\s+)?cell|"
    r"red\s+(?:blood\s+)?cell|blood|hb|ha?emoglobin|neutrophil)s?\s*(?:counts?|levels?|numbers?)?\s+be\b"
    r"|\b(?:counts?|classed|classified|considered)\s+as\s+(?:a\s+)?(?:low|high|normal)\s+"
    r"(?:platelet|white|red|blood|hb|ha?emoglobin|neutrophil)\w*\s+(?:cell\s+)?(?:counts?|levels?)\b"
    r"|\b(?:hurt\w*|painful|pain|risk\w*|safe|dangerous)\s+(?:\w+\s+)?(?:for\s+)?the\s+donors?\b"
    r"|\bmean\s+for\s+(?:\w+\s+)?(?:day[\s-]+to[\s-]+day|long[\s-]+term)\b|\blife\s+expectancy\b"
    # "my dog's vet wants to do a bone marrow aspirate on him": the leaflets are about people
    r"|(?<!walk\s)(?<!walks\s)(?<!walking\s)(?<!feed\s)(?<!feeding\s)(?<!after\s)"
    r"\b(?:my|our|the|his|her)\s+(?:dog|cat|pet|puppy|kitten|horse)(?:'s|s)?\b[^.?!]*\b(?:biops\w*|"
    r"aspirat\w*|marrow|test|vet)\b|\bvets?\b|\bfor\s+(?:dogs|cats|animals|pets)\b"
    # "dads platelets are 45, is that dangerous": what someone's own figure means, which only the
    # care team can say
    r"|\b(?:platelets?|plt|hb|ha?emoglobin|white\s+(?:cell\s+|blood\s+cell\s+)?count|wbc|"
    r"neutrophils?|ferritin|(?:blood\s+)?counts?)\s+(?:count\s+|levels?\s+)?(?:is|are|was|were|of|"
    r"at|=|:|came\s+back\s+(?:at|as))?\s*(?:only\s+|just\s+|about\s+|around\s+)?\d[\d.,]*\b"
    r"[^.?!]{0,30}\b(?:dangerous|normal|bad|ok|okay|worrying|serious|low|high|good|concerning|"
    r"safe)\b"
    # "is there some other way to find out instead of this": another way than the test
    r"|\b(?:other|another|different|alternative)\s+ways?\s+(?:to|of)\s+(?:find\w*\s+out|check\w*|"
    r"test\w*|diagnos\w*|know)\b|\balternatives?\s+to\s+(?:a|an|the|this|having|it)\b",
    re.IGNORECASE)


def asks_values_stages_or_donors(text: str | None) -> bool:
    return bool(text and _VALUES_STAGES_DONORS.search(text))


def asks_beyond_the_leaflets(text: str | None) -> bool:
    """A task ("write me a poem"), a question about treatment or prognosis, donating, making the
    marrow make more, another treatment's side effects or a laboratory test the leaflets do not
    describe: out of scope."""
    return (is_task_request(text) or asks_treatment_or_prognosis(text)
            or asks_about_donating(text) or asks_how_to_boost_the_marrow(text)
            or asks_about_another_treatment_or_lab_test(text) or asks_beyond_the_transplant(text)
            or asks_how_accurate(text) or asks_values_stages_or_donors(text))
