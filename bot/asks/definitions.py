"""What a message asks about a procedure's name: "what is a BMA?", "a bone marrow test"."""

from __future__ import annotations

import re

from bot.asks.sentences import question_part, sentences

# "What is a bone marrow biopsy?" is about the test, not about bone marrow: a question that only
# asks what a named procedure is gets that procedure's overview, whatever the classifier thought of
# the words "bone marrow" (bot.components.questions.DefinitionQuestions sets the intent).
# Tight on purpose:
# the procedure (``PROC`` below) must be all that is asked about, so "what is the risk of a
# biopsy" is not a definition.
_FILLER = (r"(?:(?:so|ok|okay|and|but|hi|hello|hey|sorry|please|pls|um|erm|wait|hang\s+on|"
           r"hold\s+on|oh|huh)\W+)*")
_ARTICLE = r"(?:(?:a|an|the|this|that|my|your)\s+)?"
_HEDGE = (r"(?:(?:exactly|actually|even|really|again|then|please|pls|thing|test|procedure|anyway|"
          r"anyways)\W*)*")
_QUOTE = "[\"'\u2018\u201c]?"
# "aspiration meaning in medical terms", "what does that mean in english lol": said plainly
_PLAINLY = (r"(?:\W*(?:in\s+(?:medical|plain|simple|normal|layman'?s|laymans|everyday)\s+"
            r"(?:terms|english|words|language)|in\s+english|lol|haha|pls|please"
            # "what does BMB mean on my appointment card", "what does BMA stand for, never heard
            # of it": where it was read, or that it is new
            r"|(?:on|in)\s+(?:my|the|his|her|their|mum'?s|dad'?s)\s+(?:\w+\s+)?(?:card|letter|"
            r"form|paperwork|referral|notes|appointment|leaflet)|(?:i'?ve\s+|i\s+have\s+)?"
            r"never\s+heard\s+of\s+(?:it|that|this|them)(?:\s+before)?"
            # "what's a trephine btw, the letter mentions that word too" (session 19, blind66)
            r"|btw|by\s+the\s+way|(?:the|my|his|her|their)\s+(?:\w+\s+)?(?:card|letter|form|"
            r"paperwork|referral|notes|leaflet|report|doctor|consultant|nurse)\s+(?:mentions|"
            r"mentioned|says|said|uses|used|has|had)\s+(?:that|this|it|the)?\s*(?:word|term|name)?"
            r"(?:\s+too|\s+as\s+well|\s+a\s+lot)?))*")
# "wat is an aspirashun of the bone marow": the name turned round
_OF_MARROW = r"(?:\s+(?:of|from)\s+(?:the\s+)?(?:bone\s+)?ma?rr?ow)?"
_DEFINITION = re.compile(
    rf"^\W*{_FILLER}(?:what(?:'|\u2019)?s|whats|wat(?:s|\s+is)|what\s+(?:is|are|r)|"
    rf"what\s+(?:exactly\s+|even\s+|actually\s+|really\s+)?is|define|definition\s+of|meaning\s+of|"
    rf"explain|describe|"
    rf"(?:can|could)\s+(?:you|u)\s+(?:explain|describe|define)|tell\s+me\s+(?:about|what)|"
    rf"what\s+does|what\s+means)\s+{_HEDGE}{_ARTICLE}{_HEDGE}{_QUOTE}PROC{_OF_MARROW}\W*{_HEDGE}"
    rf"(?:is|mean|means|stand\s+for|meaning)?{_PLAINLY}\W*{_HEDGE}$"
    rf"|^\W*{_FILLER}{_ARTICLE}PROC\W*(?:meaning|definition|means|mean|explained|stands?\s+for)"
    rf"{_PLAINLY}\W*$"
    # "trephine = ?"
    rf"|^\W*{_FILLER}{_ARTICLE}PROC\s*=\s*\?*\W*$"
    # "is that what a bone marrow aspiration is?", "and how is the biopsy different"
    rf"|^\W*{_FILLER}is\s+(?:that|this|it)\s+what\s+{_ARTICLE}PROC\s+is\W*$"
    rf"|^\W*{_FILLER}how\s+(?:is|does)\s+{_ARTICLE}PROC\s+(?:different|differ)\W*$"
    # "she needs a BMB. what even is that?? she's only 9": what the test just named is
    rf"|PROC\W*\s(?:so\s+)?(?:what(?:'|\u2019)?s|whats|wats?|what)\s+(?:even\s+|exactly\s+|"
    rf"actually\s+)?(?:is\s+)?(?:that|this|it)\s*(?:[?!.]+(?:\s+[^?]*)?)?$"
    # "it says an aspiration may also be done, what's that?"
    rf"|PROC\b[^.?!]*[,;:-]\s*(?:so\s+)?(?:what(?:'|\u2019)?s|whats|wats?|what\s+is)\s+(?:that|this|it)\W*$"
    # "letter says 'iliac crest aspirate' - what does that mean in english lol"
    rf"|^\W*{_FILLER}(?:(?:the\s+|my\s+)?(?:letter|form|paper|note|doctor|it)\s+(?:says|said|calls\s+it|"
    rf"mentions|reads)\s+)?{_ARTICLE}{_QUOTE}PROC\W*\s*[,;:-]+\s*(?:so\s+)?what\s+does\s+(?:that|this|it)\s+"
    rf"(?:even\s+|actually\s+)?mean{_PLAINLY}\W*$",
    re.IGNORECASE,
)
# The tests named together, without saying which: "a bone marrow test", "the marrow sample".
_GENERIC_TEST = re.compile(
    r"\b(?:bone\s+)?marrow\s+(?:tests?|samples?|procedures?|exam(?:ination)?s?|thing|check)\b"
    r"|\bhip\s*(?:bone\s+)?(?:tests?|procedures?)\b", re.IGNORECASE)
_ONLY_NAMED = re.compile(rf"^\W*{_FILLER}{_ARTICLE}PROC\W*$", re.IGNORECASE)


# "whats the difference between the two anyway", "how do they differ": what each test is
_THE_TWO_COMPARED = re.compile(
    r"^\W*(?:(?:so|and|but|ok|okay|sorry|wait|hang\s+on|hold\s+on|oh|huh)\W+)*(?:(?:what(?:'s|s|\s+is)|wats)\s+the\s+difference"
    r"(?:\s+between\s+(?:the\s+two|the\s+2|them|both|those|these|the\s+tests|the\s+two\s+tests))?"
    r"|how\s+(?:do|are)\s+(?:they|the\s+two|the\s+tests)\s+(?:differ|different))"
    r"(?:\s+(?:anyway|then|tho|though|exactly|again))*\W*$", re.IGNORECASE)


def asks_the_difference_between_the_two(text: str | None) -> bool:
    return bool(text and _THE_TWO_COMPARED.search(text))


def generic_test_spans(text: str | None) -> list[tuple[int, int]]:
    """Where the message names the marrow tests without saying which."""
    return [m.span() for m in _GENERIC_TEST.finditer(text or "")]


# a last sentence that only asks what the test named before it is
_WHAT_IS_THAT = re.compile(
    r"^\W*(?:(?:so|and|but|ok|okay|sorry|wait|hang\s+on|hold\s+on|oh|huh)\W+)*(?:what(?:'|\u2019)?s|whats|wats?|what\s+is|what)\s+"
    r"(?:exactly\s+|even\s+|actually\s+|really\s+)?(?:is\s+)?(?:that|this|it)"
    r"(?:\s+(?:test|procedure|thing|one))?(?:\s+(?:exactly|actually|then|anyway))?\W*$",
    re.IGNORECASE)


def definition_in_a_sentence(text: str | None, spans: list[tuple[int, int]]) -> bool:
    """A message that tells and, in one sentence of its own, asks only what a procedure is ("the
    letter also says trephine. what's a trephine anyway", "What means 'aspirate'? The doctor
    wrote also this word."): no other sentence asks anything."""
    if not text:
        return False
    placed, position = [], 0
    for part in sentences(text):
        start = text.index(part, position)
        placed.append((start, part))
        position = start + len(part)
    if len(placed) < 2:
        return False
    if (len(spans) == 1 and _WHAT_IS_THAT.match(placed[-1][1]) and spans[0][1] <= placed[-1][0]
            and not any("?" in part for _, part in placed[:-1])):
        return True  # "...she needs a bone marrow biopsy after her blood count came back odd.
        #              What exactly is that test?"
    for start, sentence in placed:
        inside = [(s - start, e - start) for s, e in spans
                  if start <= s and e <= start + len(sentence)]
        if len(inside) != 1 or not is_definition_question(sentence, inside[0]):
            continue
        others = [part for begin, part in placed if begin != start]
        return not any("?" in part for part in others)
    return False


def definition_in_the_question_part(text: str | None, spans: list[tuple[int, int]]) -> bool:
    """A message that tells, then asks in a clause of its own only what a procedure is: "the
    letter says they might do an aspiration as well, what is an aspiration" (session 19,
    tests/dev/blind78)."""
    part = question_part(text) if text else None
    start = text.rfind(part) if text and part else -1
    if start < 0:
        return False
    inside = [(s - start, e - start) for s, e in spans if start <= s and e <= start + len(part)]
    return len(inside) == 1 and is_definition_question(part, inside[0])


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


# "...they want to test if i can donate. what is a stem cell?", "what even is a bone marrow
# transplant?": the last sentence asks what a subject of the stem-cell page is
_DEFINES_A_PAGE_SUBJECT = re.compile(
    r"^\W*(?:(?:so|and|but|ok|okay|sorry|um|wait|hang\s+on|hold\s+on|oh|huh)\W+)*(?:wh?at(?:'s|\u2019s|s)?|what\s+(?:is|are|r))\s+"
    r"(?:(?:even|exactly|actually|really)\s+)?(?:is\s+|are\s+)?(?:a\s+|an\s+)?"
    r"(?:(?P<transplant>(?:(?:bone\s+marrow|stem\s+cell)\s+)?transplants?)|(?P<stem_cells>stem\s*cells?)"
    r"|(?P<bone_marrow>bone\s+marrow))"
    r"(?:\s+(?:exactly|actually|then|anyway|even))?\W*$", re.IGNORECASE)


def page_subject_defined_last(text: str | None) -> str | None:
    """The stem-cell page's topic whose subject the message's last sentence asks to define."""
    parts = sentences(text or "")
    if not parts:
        return None
    # the last sentence, or its last clause ("i have to get a bone marrow thing next week, wat
    # even is bone marrow")
    last = parts[-1]
    match = _DEFINES_A_PAGE_SUBJECT.match(last) or _DEFINES_A_PAGE_SUBJECT.match(
        last.rsplit(",", 1)[-1])
    if match:
        return match.lastgroup
    # "my dad's consultant mentioned harvesting his stem cells, what are they?": the plural
    # subject named last before "what are they"
    asked = _WHAT_ARE_THEY.search(text or "")
    if not asked:
        return None
    named = list(_PLURAL_PAGE_SUBJECT.finditer((text or "")[:asked.start()]))
    return named[-1].lastgroup if named else None


_WHAT_ARE_THEY = re.compile(
    r"(?:^|[.?!,;:-]\s*)(?:(?:so|and|but|ok|okay|um|wait)\W+)*(?:wh?at|wot)\s+(?:are|r)\s+"
    r"(?:(?:even|exactly|actually)\s+)?(?:they|those|these|them)(?:\s+(?:exactly|actually|then|even|"
    r"anyway))?\W*$", re.IGNORECASE)
_PLURAL_PAGE_SUBJECT = re.compile(
    r"\b(?:(?P<transplant>(?:bone\s+marrow\s+|stem\s+cell\s+)?transplants)|(?P<stem_cells>stem\s*cells))\b",
    re.IGNORECASE)
