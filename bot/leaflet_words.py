"""Words a patient picks up from the leaflet, and words no leaflet uses.

After a quoted answer, patients pick up its words ("hematopoietic?", "whats CLL", "brest bone??").
Out of context these look like off-topic questions; in a conversation they have one reading:

* :func:`term_topic`: a rare word of the message that the current test's leaflet (or the bone
  marrow and stem cells page) uses in few sections -> the section that uses it, preferring the
  one just quoted;
* :func:`names_a_finding`: a condition named only where abnormal results are listed;
* :func:`asks_about_unfamiliar_term`: "what is flow cytometry?" about a term no document uses.

Rare words are those of :mod:`bot.rare_words`. Nothing here holds medical text: the words come
from the knowledge base.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from functools import lru_cache

from bot.knowledge import KnowledgeBase
from bot.rare_words import (
    MIN_LENGTH,
    common_words,
    kb_terms,
    kb_words,
    one_edit,
    procedure_name_words,
    rare,
    section_words,
    words,
)

# --------------------------------------------------------------------------------------------
# A word picked up from the leaflet
# --------------------------------------------------------------------------------------------


def _matches(message_words: list[str], terms: dict[str, set[str]]) -> list[set[str]]:
    """For each term of the message (a word, or two words written as one: "brest bone"), the
    topics of the sections that use it; typos of six letters or more are forgiven."""
    candidates = [w for w in message_words if len(w) >= MIN_LENGTH]
    candidates += [a + b for a, b in zip(message_words, message_words[1:], strict=False)]
    found = []
    for word in candidates:
        if word in terms:
            found.append(terms[word])
        elif len(word) >= 6:
            near = [t for t in terms if len(t) >= 6 and one_edit(word, t)]
            if len(near) == 1:
                found.append(terms[near[0]])
    return found


# "what's a CBC?", "what does neuroblastoma mean": the leaflets use such words, never define them
_DEFINITION = re.compile(
    r"^\W*(?:(?:and|so|ok|okay|but|sorry)\W+)*(?:what(?:'|\u2019)?s|whats|wats?|what\s+(?:is|are|r|does)"
    r"|define|meaning|explain)\b|\b(?:mean|means|meaning|stand\s+for)\W*$",
    re.IGNORECASE,
)


_DEFINITION_WORDS = frozenset(
    "what whats wat wats wot is are a an the does do mean means meaning define definition of s "
    "exactly actually that this then again so and ok stand for they it them these those even "
    "in english plain simple words please pls wht whts on list".split())
# words a definition question adds to the word it asks about ("haematopoietic cells what are they")
_GENERIC_NOUNS = frozenset("cell cells tissue tissues word term thing".split())


def term_topic(
    text: str | None, kb: KnowledgeBase, procedure: str | None, last_topic: str | None,
    page_topics: Iterable[str] = (),
) -> str | None:
    """The section a word of the message points to, in the leaflet the conversation is about:
    the one just quoted if it uses the word, else the first that uses every such word of the
    message (or, failing that, any); ``None`` when no rare word of it is in the leaflet."""
    # "what's a CBC?": quoting a section that uses the word would not say what it is; but the
    # section just quoted, where the patient read it, and the list of conditions abnormal results
    # may be due to ("whats CLL": "Chronic lymphocytic leukemia (CLL)", a cancer of the marrow)
    # do, for a bare name ("whats CLL", not "whats a normal platelet count")
    definition = bool(_DEFINITION.search(text or ""))
    message_words = words(text)
    if definition and len([w for w in message_words if w not in _DEFINITION_WORDS]) != 1:
        return None
    documents = [d for d in kb.documents if procedure is not None and d.procedure == procedure]
    if last_topic in set(page_topics) or procedure is None:
        documents += [d for d in kb.documents if d.procedure is None]
    terms = kb_terms(kb)
    for document in documents:
        hits = _matches(message_words, terms.get(document.id, {}))
        if not hits:
            continue
        if last_topic is not None and any(last_topic in topics for topics in hits):
            return last_topic
        if definition:
            listed = any("abnormal_results" in topics for topics in hits)
            return "abnormal_results" if listed else None
        common = set.intersection(*hits) or set.union(*hits)
        # the first in the leaflet's order ("iliac crest": how it is done, then other names)
        return next(s.topic for s in document.sections if s.topic in common)
    return None


MAX_FINDING_NAME_WORDS = 3
_PAGE_WORDS: dict[int, tuple[KnowledgeBase, frozenset[str]]] = {}


def _page_words(kb: KnowledgeBase) -> frozenset[str]:
    """Every word of the pages about no one test (bone marrow and stem cells), once per
    knowledge base."""
    cached = _PAGE_WORDS.get(id(kb))
    if cached is None or cached[0] is not kb:
        found = frozenset(w for d in kb.documents if not d.procedure
                          for section in section_words(d).values() for w in section)
        cached = _PAGE_WORDS[id(kb)] = (kb, found)
    return cached[1]


def defines_a_finding(text: str | None, kb: KnowledgeBase) -> bool:
    """'what is leukaemia?', 'whats CLL', 'myelofibrosis meaning': what a condition is, named in
    a leaflet among what abnormal results may be due to. The leaflets never say what such a
    condition is (after an answer that listed it, :func:`term_topic` points back to it)."""
    return any("abnormal_results" in topics for topics in _defined_finding_topics(text, kb))


def defines_a_listed_finding(text: str | None, kb: KnowledgeBase) -> bool:
    """:func:`defines_a_finding` for a condition the leaflets name only in that list, not among
    what the test is done for ('whats MDS', 'myelofibrosis meaning'; not 'what is leukaemia'):
    the list is where the patient met the word, and all the leaflets say of it."""
    return defined_term_topic(text, kb) == "abnormal_results"


# the sections whose words patients meet on a report or a letter and ask about ("whats a CBC",
# which the purpose section spells out in passing, stays a near miss)
_DEFINED_BY_RESULTS = frozenset({"normal_results", "abnormal_results"})


def defined_term_topic(text: str | None, kb: KnowledgeBase) -> str | None:
    """The one results section of the test leaflets that uses the word a definition question
    asks about ('hematopoietic meaning': the normal results; 'what is coccidioidomycosis': the
    abnormal results), when every word asked is that section's; else None. Not a test's own
    name ('what is a sternal tap': what the test is) and not a word the bone marrow and stem
    cells page uses ('what are platelets')."""
    if points_back_to_a_listed_finding(text, kb):
        return "abnormal_results"
    topics = _defined_finding_topics(text, kb)
    asked = [w for w in words(_definition_asked(text))
             if w not in _DEFINITION_WORDS and w not in _GENERIC_NOUNS]
    if not topics or procedure_name_words(kb) & set(asked):
        return None
    # the sections that use every word asked ("hairy cell leukaemia": the abnormal results, not
    # why the test is done, which names leukaemia only): nothing else asked of it ("what are the
    # symptoms of myeloma")
    fits = [topic for topic in set.intersection(*topics)
            if all(_in_section(w, _section_words_of(kb, topic)) for w in asked)]
    if len(fits) != 1 or fits[0] not in _DEFINED_BY_RESULTS:
        return None  # 'what is leukaemia': why the test is done and what results may mean
    return fits[0]


def _in_section(word: str, section: frozenset[str]) -> bool:
    """``word`` is one of the section's, or one slip away ('polycythemia vara')."""
    return word in section or (len(word) >= 4 and any(
        one_edit(word, t) for t in section if len(t) >= 4))


def points_back_to_a_listed_finding(text: str | None, kb: KnowledgeBase) -> bool:
    """"they found MDS on my bone marrow aspiration, what is that", "the doctor mentioned
    neuroblastoma ..., what is that": "that" is a condition named before it that only the
    abnormal results list names."""
    asked = _definition_asked(text)
    if not text or asked == text or not _DEFINITION.search(asked) or any(
            w not in _DEFINITION_WORDS for w in words(asked)):
        return False
    before = words(text[: text.rfind(asked)])
    terms = kb_terms(kb)
    return any("abnormal_results" in topics and "purpose" not in topics
               for document in kb.documents if document.procedure
               for topics in _matches(before, terms.get(document.id, {})))


_TOPIC_WORDS: dict[int, tuple[KnowledgeBase, dict[str, frozenset[str]]]] = {}


def _section_words_of(kb: KnowledgeBase, topic: str) -> frozenset[str]:
    """The words of the test leaflets' sections on ``topic``, once per knowledge base."""
    cached = _TOPIC_WORDS.get(id(kb))
    if cached is None or cached[0] is not kb:
        by_topic: dict[str, set[str]] = {}
        for document in kb.documents:
            if document.procedure:
                for name, found in section_words(document).items():
                    by_topic.setdefault(name, set()).update(found)
        cached = _TOPIC_WORDS[id(kb)] = (kb, {t: frozenset(ws) for t, ws in by_topic.items()})
    return cached[1].get(topic, frozenset())


def _definition_asked(text: str | None) -> str:
    """The part of ``text`` that asks for a definition: "the doctor say maybe CML, what is
    CML" and "whats CLL, i saw it on the list" ask "what is CML", "whats CLL"."""
    parts = [part.strip() for part in re.split(r"[,.;!?]+", text or "") if part.strip()]
    if len(parts) > 1 and _DEFINITION.search(parts[-1]):
        return parts[-1]
    # "whats CLL, i saw it on the list": the definition first, then where the word was met
    if len(parts) > 1 and _DEFINITION.search(parts[0]) and not any(
            _DEFINITION.search(part) for part in parts[1:]):
        return parts[0]
    return text or ""


def _defined_finding_topics(text: str | None, kb: KnowledgeBase) -> list[set[str]]:
    """The topics of each leaflet passage naming what a definition question asks about."""
    if not text:
        return []
    text = _definition_asked(text)  # "the doctor say maybe CML, what is CML"
    if not _DEFINITION.search(text):
        return []
    named = [w for w in words(text) if w not in _DEFINITION_WORDS and w not in _GENERIC_NOUNS]
    if not 0 < len(named) <= MAX_FINDING_NAME_WORDS:
        return []
    if _page_words(kb) & set(named):
        return []  # "what are platelets": the bone marrow and stem cells page says
    terms = kb_terms(kb)
    return [set(topics) for document in kb.documents if document.procedure
            for topics in _matches(named, terms.get(document.id, {}))]


# "is ITP one of them", "is myeloma on that list": a condition asked about among those listed
_ONE_OF_THEM = re.compile(
    r"\b(?:is|are|r)\s+(?:\w+\s+){1,4}?(?:one\s+of\s+(?:them|those|these|the\s+\w+)|on\s+(?:the|that|"
    r"this)\s+list|among\s+(?:them|those|these)|included)\b", re.IGNORECASE)
_CAN_IT_FIND = re.compile(
    r"\b(?:can|could|will|would|does|do|might|may)\b.*\b(?:detect|show|find|pick\w*\s+(?:\w+\s+)?up|"
    r"diagnose|tell|see|spot|confirm|rule\s+out|reveal"
    # "can lymphoma be found with a marrow aspiration"
    r"|be\s+(?:found|detected|seen|spotted|diagnosed|confirmed|picked\s+up|shown|ruled\s+out))\b",
    re.IGNORECASE,
)


def asks_whether_it_can_find(text: str | None) -> bool:
    """'can the biopsy confirm it', 'will it show that': what the test can find."""
    return bool(text and _CAN_IT_FIND.search(text))


_KINDS = re.compile(r"\b(?:infections?|diseases?|conditions?|cancers?|illness(?:es)?)\b",
                    re.IGNORECASE)
# "will they find out if I get an infection": the kind is a condition of the question, not found
_AS_A_CONDITION = re.compile(r"\bif\b", re.IGNORECASE)


def asks_which_kinds_it_finds(text: str | None) -> bool:
    """'what kinds of infection can it find', 'can it pick up diseases': what the test can find,
    asked by kind (not 'will they find out if I get an infection')."""
    return bool(text and asks_whether_it_can_find(text) and _KINDS.search(text)
                and not _AS_A_CONDITION.search(text))


# "what does ITP have to do with bone marrow aspiration", "MDS and bone marrow biopsy": a
# condition asked about beside the test
_BESIDE_THE_TEST = re.compile(
    r"\bhave\s+to\s+do\s+with\b|\b(?:related|linked|connected)\s+to\b|\b(?:link|connection|"
    r"relation)\s+(?:between|with)\b"
    r"|^\W*(?:\w+\W+){1,3}?and\s+(?:an?\s+|the\s+)?(?:bone\s+marrow\s+)?(?:biopsy|aspiration|aspirate|"
    r"test|bma|bmb|trephine)\W*$", re.IGNORECASE)


def names_a_finding(text: str | None, kb: KnowledgeBase) -> bool:
    """The message asks whether the test can find a condition that a leaflet lists only among
    what abnormal results may be due to ("can the aspiration detect myeloma", "can the marrow
    test pick up ITP", "is ITP one of them", "what does ITP have to do with bone marrow
    aspiration"): the purpose sections name only anemia, infections and leukemia."""
    return bool(_CAN_IT_FIND.search(text or "") or _ONE_OF_THEM.search(text or "")
                or _BESIDE_THE_TEST.search(text or "")) and _names_a_listed_finding(text, kb)


def relates_a_finding_to_the_test(text: str | None, kb: KnowledgeBase) -> bool:
    """"MDS and bone marrow biopsy", "what does ITP have to do with the aspiration": a condition
    only the abnormal results list names, asked about beside the test, even worded as a
    statement."""
    return bool(_BESIDE_THE_TEST.search(text or "")) and _names_a_listed_finding(text, kb)


def _names_a_listed_finding(text: str | None, kb: KnowledgeBase) -> bool:
    message_words = words(text)
    terms = kb_terms(kb)
    return any(
        "abnormal_results" in topics and "purpose" not in topics
        for document in kb.documents if document.procedure
        for topics in _matches(message_words, terms.get(document.id, {}))
    )


# texting forms of common words, missing from the table of common English words
_TEXTING = frozenset("wats whats wots abt pls plz thx tho cuz coz ppl".split())


def unknown_rare_words(text: str | None, kb: KnowledgeBase) -> set[str]:
    """Rare words of the message that no document uses ("hydroxyurea", "osteoporosis")."""
    every = kb_words(kb)
    message = {w for w in words(text) if len(w) >= 4 and w not in every and w not in _TEXTING}
    if not message:
        return set()
    return rare(message)


MIN_COMMON_TYPO_LENGTH = 6


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


@lru_cache(maxsize=1)
def _common_with_one_letter_less() -> frozenset[str]:
    """The common words and each of them with one letter left out (what a typo of one is)."""
    return frozenset(
        variant for word in common_words() if len(word) >= MIN_COMMON_TYPO_LENGTH
        for variant in (word, *_deletions(word)))


def typo_of_a_common_word(word: str) -> bool:
    """"involvd" (involved), "proceedure" (procedure): one letter left out, added or changed in
    a common English word of 6 letters or more."""
    if len(word) < MIN_COMMON_TYPO_LENGTH - 1:
        return False
    variants = _common_with_one_letter_less()
    common = common_words()
    return word in variants or any(
        d in variants if len(d) >= MIN_COMMON_TYPO_LENGTH - 1 else d in common
        for d in _deletions(word))


def unfamiliar_terms(text: str | None, kb: KnowledgeBase) -> set[str]:
    """:func:`unknown_rare_words` that are not a typo of a word the documents use ("cytometry",
    "hydroxyurea", but not "biospy", "asperation" or "cels") nor of a common English word
    ("involvd")."""
    unknown = unknown_rare_words(text, kb)
    if not unknown:
        return set()
    known = kb_words(kb) | {
        w for d in kb.documents
        for name in (d.procedure_name or "", *d.procedure_aliases) for w in words(name)}
    return {w for w in unknown if not difflib.get_close_matches(w, known, n=1, cutoff=0.8)
            and not typo_of_a_common_word(w) and not _one_slip_from(w, known)}


def _one_slip_from(word: str, known: set[str]) -> bool:
    """A short word one slip from a word the documents use ("cels", "tyep"), which the 0.8
    similarity of longer words misses."""
    return any(one_edit(word, k) for k in known if abs(len(k) - len(word)) <= 1)


# "what is flow cytometry?", "what are the side effects of hydroxyurea", "neutropenia meaning":
# a question only about a term no document uses is about something the leaflets do not cover.
_ASKS_WHAT_A_TERM_IS = re.compile(
    r"^\W*(?:(?:so|ok|okay|and|hi|hey|hello|sorry|please|pls|also)\W+)*"
    r"(?:what(?:'|\u2019)?s|whats|wats?|wot|what\s+(?:is|are|r|does)|define|definition\s+of|"
    r"meaning\s+of|explain|tell\s+me\s+about|(?:what\s+are\s+)?(?:the\s+)?side\s+effects?\s+of)\b"
    # not "wat if they find smth bad", "wot do they do": another question typed short
    r"(?!\s+(?:if|about|abt|do|does|did|will|would|can|could|should|happens?|happened|else|they|"
    r"he|she|i|we|you|u)\b)"
    r"|\b(?:what\s+is\s+(?:it|that|this)|meaning|mean)\W*$",
    re.IGNORECASE,
)
MAX_TERM_QUESTION_WORDS = 8
_MARROW_OR_STEM = ("marrow", "stem")


def _about_marrow_or_stem_cells(text: str) -> bool:
    """'marrow' or 'stem', or a typo of 'marrow' ("marow", "marrrow")."""
    return any(w in _MARROW_OR_STEM or (len(w) >= 5 and one_edit(w, "marrow"))
               for w in words(text))


def asks_about_unfamiliar_term(text: str | None, kb: KnowledgeBase) -> bool:
    """A short "what is X" (or "side effects of X") whose X no document uses, and that is not
    about marrow or stem cells ("what's stem cell mobilisation" is how they are collected)."""
    return bool(
        text
        and len(words(text)) <= MAX_TERM_QUESTION_WORDS
        and not _about_marrow_or_stem_cells(text)
        and _ASKS_WHAT_A_TERM_IS.search(text)
        and unfamiliar_terms(text, kb)
    )
