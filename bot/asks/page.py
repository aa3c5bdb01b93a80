"""What a follow-up asks on the bone marrow and stem cells page (the page about no one test):
its next section ("and then what do they do with them?" after the collection), a pronoun for
what it just described, another of its subjects named, where stem cells are kept."""

from __future__ import annotations

import re

from bot.asks.sentences import MARROW_WORD
from bot.topics import PAGE_TOPICS

# What is done with stem cells once collected is the transplant: "and then what do they do with
# them?", "what happens to them once they're collected?" right after how they are collected.
_AFTER_COLLECTION = re.compile(
    r"\bthen\s+what\b"
    r"|\bwhat\s+(?:happens|do\s+they\s+do|is\s+done|are\s+they\s+used\s+for)\s+(?:to|with|for)?\s*"
    r"(?:them|it|the\s+cells|the\s+stem\s+cells)\b"
    r"|\bonce\s+(?:they'?re|they\s+are|they\s+have\s+been|it'?s)\s+(?:collected|taken|out|harvested)\b"
    # "and once they've collected them that's the transplant?"
    r"|\b(?:once|after)\s+(?:they'?ve|they\s+have|they)\s+(?:collected|taken|harvested|got)\s+"
    r"(?:them|it|the\s+(?:stem\s+)?cells)\b",
    re.IGNORECASE,
)


# What marrow does is make the blood cells: "and what does it do?" right after what bone marrow is.
_WHAT_IT_DOES = re.compile(
    r"\bwhat\s+(?:does|do|is)\s+(?:it|that|marrow|bone\s+marrow)\s+"
    r"(?:actually\s+|really\s+|even\s+|exactly\s+)?(?:do|doing|make|making|"
    r"produce|producing|for)\b",
    re.IGNORECASE,
)


# Where the cells just described are made or live: "where are they made" right after the blood
# cells, "where do they live in the body" right after stem cells, is that section (the marrow
# makes them), not how stem cells are collected or the test is done.
_WHERE_MADE = re.compile(
    r"\bwhere\s+(?:are|do|is|does)\s+(?:they|these|those|them|it|the\s+cells|blood\s+cells|"
    r"stem\s+cells)\s+(?:\w+\s+)?(?:made|produced|come\s+from|created|formed|from|live|living|"
    r"found|located|kept|stored)\b"
    # "and where are they normally"
    r"|^\W*(?:(?:and|so|but|ok|okay)\W+)?where\s+(?:are|r)\s+(?:they|these|those|stem\s+cells)"
    r"(?:\s+(?:normally|usually|mostly|found|kept|located|in\s+the\s+body))*\W*$"
    # "where do all of these get made", "where they are made in the body?"
    r"|\bwhere\b(?:\s+\w+){0,5}?\s+(?:made|produced|created|formed|manufactured)\b",
    re.IGNORECASE,
)
_SAME_SECTION_WHERE_MADE = frozenset({"blood_cells", "stem_cells"})
# "where do the cells come from" right after the transplant: where stem cells are collected
_WHERE_CELLS_COME_FROM = re.compile(
    r"\bwhere\s+(?:do|does|will|would|are)\s+(?:the\s+|these\s+|those\s+)?(?:stem\s+)?(?:cells|they|it)\s+"
    # "where do the cells for it come from"
    r"(?:for\s+(?:it|that|the\s+transplant|him|her|them)\s+)?"
    r"(?:\w+\s+)?(?:come\s+from|from|taken\s+from|collected\s+from|get\s+(?:taken|collected))\b",
    re.IGNORECASE)
_FOR_A_TRANSPLANT = re.compile(r"\b(?:transplant\w*|donor|donat\w*|donation)\b", re.IGNORECASE)
# "so what are they actually giving him then", "why call it bone marrow then" right after the
# transplant: what it really is, that section
_WHAT_IS_TRANSPLANTED = re.compile(
    r"\bwhat\s+(?:are|r|do|does|will|would|is)\s+(?:they|the\s+doctors?|he|she|you|it)\s+(?:\w+\s+)?"
    r"(?:giving|give|gives|putting|put|transplanting|transplant|replacing|replace)\b"
    r"|\bwhy\s+(?:do\s+they\s+|does\s+everyone\s+|would\s+they\s+|is\s+it\s+)?call(?:ed|s)?\s+"
    r"(?:it\s+)?(?:a\s+|that\s+)?(?:bone\s+)?marrow\b",
    re.IGNORECASE)
# "why would chemo be used for that", "what are the injections for" right after the collection:
# the drugs that move stem cells into the blood, which that section names
_MOBILISING = re.compile(
    r"\b(?:chemo\w*|growth\s+factors?|injections?|jabs?|drugs?)\b", re.IGNORECASE)
# "is it out of the bone or the blood", "from my blood or from my bones?": where stem cells are
# collected from, asked right after how they are collected
_BONE_OR_BLOOD = re.compile(
    r"\b(?:bones?|marrow|hip)\s+or\s+(?:\w+\s+){0,3}?(?:the\s+|my\s+|your\s+)?blood\b"
    r"|\bblood\s+or\s+(?:\w+\s+){0,3}?(?:the\s+|my\s+|your\s+)?(?:bones?|marrow|hip)\b"
    # "can the cells come from his sister's blood instead of her bones"
    r"|\b(?:bones?|marrow|hip|blood)\s+(?:instead\s+of|rather\s+than)\s+(?:\w+\s+){0,2}?"
    r"(?:bones?|marrow|hip|blood)\b",
    re.IGNORECASE)
# Where the marrow is: "where is it in the body", "where is the marrow found" on the page is what
# bone marrow is (inside the bones), not how stem cells are collected or the test is done.
_WHERE_IS_MARROW = re.compile(
    r"^\W*(?:(?:and|so|ok|okay|but)\W+)*(?:where(?:'|\u2019)?s|where\s+(?:is|exactly\s+is|abouts\s+is))"
    r"\s+(?:it|that|the\s+(?:bone\s+)?marrow|bone\s+marrow|marrow)\b"
    r"(?:\s+(?:found|located|kept|exactly))?(?:\s+in\s+(?:the|your|my|our)\s+body)?\W*$"
    r"|^\W*(?:(?:and|so|ok|okay|but)\W+)*where\s+in\s+the\s+body\s+(?:is|are)\s+(?:it|they|the\s+marrow|"
    r"bone\s+marrow)\W*$",
    re.IGNORECASE,
)


# "Nobody has explained how they actually get the stem cells out of me": how stem cells are
# collected, whatever the message says about the transplant they are for
_HOW_COLLECTED = re.compile(
    r"\b(?:get|getting|take|taking|collect\w*|harvest\w*|extract\w*|remove|removing)\s+(?:the\s+|my\s+|"
    r"his\s+|her\s+|their\s+|your\s+)?stem\s+cells?\s+(?:out|from)\b"
    r"|\bhow\s+(?:are|do|will|would|is|were)\s+(?:they\s+|the\s+|my\s+|his\s+|her\s+)?stem\s+cells?\s+"
    r"(?:\w+\s+)?(?:collected|harvested|taken|removed|extracted|got|gotten)\b", re.IGNORECASE)


def asks_how_stem_cells_are_collected(text: str | None) -> bool:
    return bool(text and _HOW_COLLECTED.search(text))


# Where stem cells are kept in the body: "are there stem cells in ordinary blood", "are they only
# in the bones", "where are most of them, blood or bone": the
# section on stem cells in the bloodstream ("Normally, most of the stem cells in the body are in
# the bone marrow and there are only very small numbers in the bloodstream"). Said of stem cells
# named, or of "they / them / any" while the page is about stem cells (``_STEM_CELL_SUBJECTS``).
_IN_THE_BLOOD = re.compile(
    r"\b(?:are|is|r)\s+(?:there|they|stem\s+cells?|(?:the|any|many|much|lots\s+of|a\s+lot\s+of)"
    r"(?:\s+stem\s+cells?)?)\s+(?:\w+\s+){0,4}?in\s+(?:the\s+|your\s+|ur\s+|my\s+|our\s+|his\s+|"
    r"her\s+)?(?:(?:normal|ordinary|regular|everyday|circulating)\s+){0,2}(?:blood|bloodstream)\b"
    r"|\b(?:only|just|all|mostly|always)\s+(?:found\s+|kept\s+)?in\s+(?:the\s+|your\s+|ur\s+)?"
    r"(?:bone\s+marrow|marrow|bones?)\b"
    r"|\bwhere\s+(?:are|r)\s+(?:most|the\s+most)\s+of\s+(?:them|the\s+stem\s+cells)\b"
    r"|\bin\s+the\s+bloodstream\b"
    # "in the blood too?", "and theyre normally where" (after stem cells)
    r"|^\W*(?:(?:and|so|but|ok|okay)\W+)?(?:are\s+they\s+|any\s+)?in\s+(?:the\s+|your\s+|ur\s+)?blood"
    r"(?:stream)?(?:\s+(?:too|as\s+well|also|then|normally))?\W*$"
    r"|\b(?:they(?:'|\u2019)?re|theyre|they\s+are|are\s+they)\s+(?:normally|usually|mostly)\s+where\b"
    # "do we have stem cells floating around in our blood"
    r"|\bstem\s+cells?\s+(?:\w+\s+){0,3}?in\s+(?:the\s+|your\s+|ur\s+|our\s+|my\s+)?"
    r"(?:normal\s+|ordinary\s+)?blood\b",
    re.IGNORECASE)
# ... not how they get there ("when are they released into the blood"), nor what they are
_MOVING = re.compile(r"\b(?:releas\w*|leav\w*|mov\w*|stimulat\w*|get\w*\s+(?:\w+\s+)?into)\b"
                     r"|\bwh?at\s+(?:are|r|is)\s+(?:\w+\s+)?stem\s+cells?\b", re.IGNORECASE)
_STEM_CELLS_NAMED = re.compile(r"\bstem\s*cells?\b", re.IGNORECASE)
_OTHER_SUBJECT = re.compile(
    r"\b(?:red|white)\s+(?:blood\s+)?cells?\b|\bplatelets?\b|\bcancer|\bleuka?emia|\bchemo",
    re.IGNORECASE)
_STEM_CELL_SUBJECTS = frozenset({"stem_cells", "stem_cell_collection", "transplant"})


# "when do the stem cells leave the marrow?", "when do they go into the blood", "where do stem
# cells come from in the body": their development in the marrow and release when mature, which
# the section on stem cells tells (not where cells come from for a transplant)
_WHEN_RELEASED = re.compile(
    r"\bwhen\s+(?:do|does|are|is|will|would)\s+(?:they|stem\s+cells?|the\s+(?:stem\s+|blood\s+)?cells|"
    r"blood\s+cells)\s+"
    r"(?:\w+\s+)?(?:released|leave|go\s+(?:in)?to|get\s+into|enter|move\s+into|come\s+out)\b"
    r"|\bwhere\s+(?:do|does)\s+stem\s+cells?\s+(?:normally\s+|usually\s+|actually\s+)?come\s+from\b",
    re.IGNORECASE)


def asks_when_stem_cells_are_released(text: str | None, last_topic: str | None) -> bool:
    """'when do the stem cells leave the marrow?' (or "they" after the stem cells or blood
    cells): the section on stem cells."""
    if not text or not _WHEN_RELEASED.search(text) or _FOR_A_TRANSPLANT.search(text):
        return False
    # "when do the cells leave the marrow and go into the blood": cells leaving the marrow
    leaving_the_marrow = bool(_THE_CELLS.search(text) and MARROW_WORD.search(text))
    return (bool(_STEM_CELLS_NAMED.search(text)) or leaving_the_marrow
            or last_topic in {"stem_cells", "blood_cells"}
            or (last_topic in _STEM_CELL_SUBJECTS and bool(MARROW_WORD.search(text))))


_THE_CELLS = re.compile(r"\b(?:the|blood)\s+cells\b", re.IGNORECASE)


# "what makes them move out of the marrow", "why would they be in my blood if they normally live
# in the marrow": how stem cells are made to move into the blood, which the same section tells
_MADE_TO_MOVE = re.compile(
    r"\bwhat\s+(?:makes|gets|causes|tells|pushes)\s+(?:them|stem\s+cells?|the\s+(?:stem\s+)?cells)\s+"
    r"(?:to\s+)?(?:move|go|come|leave|get|spill)\b"
    r"|\bwhy\s+(?:would|are|do|will)\s+(?:they|stem\s+cells?|the\s+(?:stem\s+)?cells)\s+(?:\w+\s+)?"
    r"(?:be\s+)?in\s+(?:my|the|your|his|her)\s+blood"
    # "what do they give her to make the cells move into the blood"
    r"|\bmake\s+(?:them|stem\s+cells?|the\s+(?:stem\s+)?cells)\s+(?:move|go|come|leave|get|spill)\b",
    re.IGNORECASE)


def asks_where_stem_cells_are(text: str | None, last_topic: str | None) -> bool:
    """'are there stem cells in normal blood', 'are they only in the bones' (after stem cells),
    'what makes them move out of the marrow': where stem cells are kept and how they are made to
    move into the blood, the section on stem cells in the bloodstream."""
    if not text or _OTHER_SUBJECT.search(text):
        return False
    about = _STEM_CELLS_NAMED.search(text) or last_topic in _STEM_CELL_SUBJECTS
    if about and _MADE_TO_MOVE.search(text):
        return True
    if _MOVING.search(text):
        return False
    return bool(about and (_IN_THE_BLOOD.search(text) or _BONE_OR_BLOOD.search(text)))


# A pronoun for what the page just described, asked why it is needed or what it is for ("why do
# I need those?" after the injections before a collection, "what's it for?" after what bone
# marrow is) or what it is ("what are those exactly" after the transplant, which is of stem cells)
_OPENER = r"^\W*(?:(?:and|so|but|ok|okay|um|right|hmm)\W+)*"
_PLURAL = r"(?:those|them|they|these|theyre|they're)"
_SINGULAR = r"(?:it|that|this)"
_WHY_PRONOUN = (r"(?:why|how\s+come)\b(?:\s+\w+){{0,4}}?\s+{0}"
                r"(?:\s+(?:then|for|anyway|exactly))?\W*$")
_FOR_PRONOUN = (r"(?:what|wat|wot)(?:'s|\u2019s|s|\s+is|\s+are|\s+r)\s+{0}\s+(?:needed\s+)?for"
                r"(?:\s+(?:then|anyway|exactly))?\W*$")
_WHAT_PRONOUN = (r"(?:what|wat|wot)(?:\s+(?:are|r|is)|'s|\u2019s|s)\s+{0}"
                 r"(?:\s+(?:exactly|actually|then|again|anyway|even))?\W*$")


def _pronoun_question(form: str, pronoun: str) -> re.Pattern[str]:
    return re.compile(_OPENER + form.format(pronoun), re.IGNORECASE)


_WHY_THOSE = _pronoun_question(_WHY_PRONOUN, _PLURAL)
_WHY_IT = _pronoun_question(_WHY_PRONOUN, _SINGULAR)
_FOR_THOSE = _pronoun_question(_FOR_PRONOUN, _PLURAL)
_FOR_IT = _pronoun_question(_FOR_PRONOUN, _SINGULAR)
_WHAT_ARE_THOSE = _pronoun_question(_WHAT_PRONOUN, _PLURAL)
_WHAT_IS_IT = _pronoun_question(_WHAT_PRONOUN, _SINGULAR)
# what a page subject is for / why it is needed: what marrow does is make the blood cells; the
# transplant's reasons are not on the page (declined elsewhere)
_WHAT_FOR = {"bone_marrow": "blood_cells", "blood_cells": "blood_cells",
             "stem_cells": "stem_cells", "stem_cell_collection": "stem_cell_collection"}
# what the plural is: the stem cells a collection or transplant is of
_WHAT_THOSE_ARE = {"stem_cells": "stem_cells", "stem_cell_collection": "stem_cells",
                   "transplant": "stem_cells", "blood_cells": "blood_cells"}


# "what about the 3 kinds of blood cells they turn into", "and stem cells?": on the page, a
# follow-up that only names another of its subjects asks about that subject
_PAGE_SUBJECTS = (
    (re.compile(r"\b(?:blood\s+cells?|(?:red|white)\s+(?:blood\s+)?cells?|platelets?)\b", re.I),
     "blood_cells"),
    (re.compile(r"\bstem\s*cells?\b", re.I), "stem_cells"),
    (re.compile(r"\b(?:bone\s+)?marrow\b", re.I), "bone_marrow"),
    (re.compile(r"\btransplants?\b", re.I), "transplant"),
)
_ONLY_A_SUBJECT = re.compile(
    r"^\W*(?:(?:and|so|but|ok|okay|n)\W+)*(?:(?:what|wat|how)\s+(?:about|abt|bout)\s+|and\s+)"
    r"(?:the\s+|those\s+|these\s+)?(?:(?:\d+|three|different|other)\s+)?"
    r"(?:(?:kinds?|types?|sorts?)\s+of\s+)?(?:the\s+)?"
    r"(\w+(?:\s+\w+)?(?:\s+\w+)?)"
    # a relative clause saying which: "they turn into", "it makes", "that come from them"
    r"(?:\s+(?:that|which|they|it)(?:\s+\w+){1,3})?\W*$", re.IGNORECASE)


def names_another_page_subject(text: str | None, last_topic: str | None) -> str | None:
    """On the page, the topic of another of its subjects that a follow-up only names."""
    if not text or last_topic not in PAGE_TOPICS:
        return None
    match = _ONLY_A_SUBJECT.match(text)
    if not match:
        return None
    for pattern, topic in _PAGE_SUBJECTS:
        if pattern.search(match.group(1)):
            return topic if topic != last_topic else None
    return None


_FROM_A_PLACE = re.compile(r"^\W*(?:(?:and|so|but|ok|okay)\W+)?(?:from|in|into|out\s+of)\b",
                           re.IGNORECASE)


def page_step_named(text: str | None, last_topic: str | None) -> str | None:
    """On the page, a follow-up that names where it goes: another of the page's subjects ("and
    bone marrow?" after stem cells), or what follows the collection ("once they've collected
    them that's the transplant?"). Read before the words it shares with the answer just quoted."""
    if not _FROM_A_PLACE.match(text or "") and (
            subject := names_another_page_subject(text, last_topic)):
        return subject  # (not "and from the marrow?", where stem cells are collected from)
    if last_topic == "stem_cell_collection" and text and _AFTER_COLLECTION.search(text):
        return "transplant"
    return None


def page_pronoun_question(text: str | None, last_topic: str | None,
                          test_discussed: bool = False) -> str | None:
    """The page's section for a pronoun question about what it just described; "it" only when
    no test is being discussed (then "why do I need it" is about the test)."""
    if not text or last_topic not in PAGE_TOPICS:
        return None
    singular_too = not test_discussed
    if _WHY_THOSE.match(text) or _FOR_THOSE.match(text) or (
            singular_too and (_WHY_IT.match(text) or _FOR_IT.match(text))):
        return _WHAT_FOR.get(last_topic)
    if _WHAT_ARE_THOSE.match(text):
        return _WHAT_THOSE_ARE.get(last_topic)
    if singular_too and last_topic == "bone_marrow" and _WHAT_IS_IT.match(text):
        return "bone_marrow"
    return None


# "how do they get them out of someone", "how do you collect them": how stem cells are collected,
# said of them right after the page's stem cells, collection or transplant
_GETTING_THEM_OUT = re.compile(
    r"\bhow\s+(?:do|does|will|would|are|is|can)\s+(?:they|you|u|doctors?|the\s+doctors?)\s+(?:\w+\s+)?"
    r"(?:get|take|collect|harvest|remove|extract)\s+(?:them|the\s+cells|those|these)\b",
    re.IGNORECASE)
# "how do they become proper blood cells", "how do stem cells turn into blood": the stem cells'
# development, which that section tells
_HOW_THEY_BECOME = re.compile(
    r"\bhow\s+(?:do|does|will|would|are|is|can)\s+(?:they|stem\s+cells?|the\s+stem\s+cells?|the\s+cells)\s+"
    r"(?:\w+\s+)?(?:become|turn\s+into|develop(?:\s+into)?|grow\s+into|change\s+into|mature)\b",
    re.IGNORECASE)


def page_next_step(text: str | None, last_topic: str | None,
                   test_discussed: bool = False) -> str | None:
    """The page's next section for a follow-up about what was just quoted: 'transplant' for "and
    then what do they do with them?" after how stem cells are collected, 'blood_cells' for "and
    what does it do?" after what bone marrow is; else None."""
    if not text:
        return None
    if pronoun := page_pronoun_question(text, last_topic, test_discussed):
        return pronoun
    if subject := names_another_page_subject(text, last_topic):
        return subject
    if last_topic == "stem_cell_collection" and _AFTER_COLLECTION.search(text):
        return "transplant"
    if last_topic in {"stem_cell_collection", "transplant"} and _BONE_OR_BLOOD.search(text):
        return "stem_cell_collection"
    if last_topic == "bone_marrow" and _WHAT_IT_DOES.search(text):
        return "blood_cells"
    if last_topic in _STEM_CELL_SUBJECTS and _GETTING_THEM_OUT.search(text):
        return "stem_cell_collection"  # "how do they get them out of someone for a transplant?"
    if last_topic in {"stem_cells", "blood_cells"} and _HOW_THEY_BECOME.search(text):
        return "stem_cells"  # "how do they become proper blood cells"
    if _WHERE_CELLS_COME_FROM.search(text) and _FOR_A_TRANSPLANT.search(text):
        return "stem_cell_collection"  # "where do they come from for the transplant"
    if last_topic in _SAME_SECTION_WHERE_MADE and _WHERE_MADE.search(text):
        return last_topic
    if last_topic == "transplant" and _WHERE_CELLS_COME_FROM.search(text):
        return "stem_cell_collection"  # "where do the cells come from" after the transplant
    if last_topic == "transplant" and _WHAT_IS_TRANSPLANTED.search(text):
        return "transplant"  # "so what are they actually giving him then"
    if last_topic == "stem_cell_collection" and _MOBILISING.search(text):
        return "stem_cell_collection"  # "why would chemo be used for that"
    if last_topic in PAGE_TOPICS and _WHERE_IS_MARROW.match(text):
        return "bone_marrow"
    return None
