"""bot/leaflet_words.py: words picked up from the leaflet, and words no leaflet uses."""

from __future__ import annotations

import pytest

from bot import leaflet_words
from bot.knowledge import KnowledgeBase
from bot.topics import PAGE_TOPICS


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.current()


@pytest.mark.parametrize(
    "text, procedure, last_topic, expected",
    [
        # the section just quoted uses the word: stay on it
        ("hematopoietic?", "biopsy", "normal_results", "normal_results"),
        ("leukemia?", "aspiration", "abnormal_results", "abnormal_results"),
        # else the only section of that test's leaflet that uses it
        ("ITP?", "aspiration", "sensation", "abnormal_results"),
        ("CLL?", "aspiration", "purpose", "abnormal_results"),
        ("neuroblastoma too?", "biopsy", "purpose", "abnormal_results"),
        # the leaflets never define such words: "what is X" gets the section just quoted, where
        # the patient read it, or the list of conditions abnormal results may be due to
        ("whats CLL", "aspiration", "purpose", "abnormal_results"),
        ("what's a CBC", "biopsy", "purpose", "purpose"),
        ("neuroblastoma, what does that mean", "biopsy", "purpose", "abnormal_results"),
        ("what's a CBC", "aspiration", "purpose", None),  # not in that leaflet
        ("whats a normal platelet count anyway", "aspiration", "purpose", None),  # not a name
        ("a syringe?? like a normal one", "biopsy", "risks", "how_performed"),
        # two sections use it: the first in the leaflet
        ("bloodstream??", None, "transplant", "stem_cells"),
        ("spongy?", None, "transplant", "bone_marrow"),
        # a typo of a long word is forgiven; plurals are singular
        ("myelofibrossis?", "biopsy", "purpose", "abnormal_results"),
        ("platelets?", None, "blood_cells", "blood_cells"),
        # common words never decide; words no leaflet uses neither
        ("what about the needle", "biopsy", "sensation", None),
        ("dry tap", "aspiration", "how_performed", None),
        ("hydroxyurea?", "biopsy", "risks", None),
        # a word only the other test's leaflet uses says nothing about this one
        ("neuroblastoma?", "aspiration", "purpose", None),
    ],
)
def test_term_topic(kb, text, procedure, last_topic, expected):
    assert leaflet_words.term_topic(text, kb, procedure, last_topic, PAGE_TOPICS) == expected


def test_unknown_rare_words(kb):
    assert leaflet_words.unknown_rare_words("side effects of hydroxyurea?", kb) == {"hydroxyurea"}
    assert leaflet_words.unknown_rare_words("leukemia?", kb) == set()
    assert leaflet_words.unknown_rare_words("and for my mum", kb) == set()


def test_can_it_pick_it_up():
    # (session 11, tests/dev/blind28_conversations.yml)
    from bot.leaflet_words import asks_whether_it_can_find

    assert asks_whether_it_can_find("what about the aspiration, can that pick it up too")
    assert asks_whether_it_can_find("can it pick up leukaemia")


def test_which_kinds_it_finds():
    # (session 17, tests/dev/blind57) asked by kind, not as the condition of another question
    assert leaflet_words.asks_which_kinds_it_finds("what kinds of infection can it find")
    assert leaflet_words.asks_which_kinds_it_finds("can a bone marrow test pick up diseases")
    assert not leaflet_words.asks_which_kinds_it_finds("will they find out if i get an infection")
    assert not leaflet_words.asks_which_kinds_it_finds("what kinds of infection are there")


def test_a_finding_asked_in_the_passive(kb):
    # (session 15, tests/dev/blind49) "can X be found with the test": what abnormal results may be
    # due to, when X is listed only there
    assert leaflet_words.asks_whether_it_can_find("can myeloma be picked up on a bone marrow test")
    assert leaflet_words.names_a_finding("could amyloidosis be detected with a trephine", kb)
    assert not leaflet_words.names_a_finding("can I be seen by a nurse for my biopsy", kb)
    # ... or among those listed
    assert leaflet_words.names_a_finding("and is myelofibrosis on that list", kb)
    assert not leaflet_words.names_a_finding("is my mum one of them", kb)


def test_a_short_word_one_slip_from_the_documents_is_no_unfamiliar_term(kb):
    # (session 18, tests/dev/blind62) "cels", "tyeps": typos of the page's words
    assert not leaflet_words.unfamiliar_terms("whats the job of white cels", kb)
    assert not leaflet_words.unfamiliar_terms("what are the 3 tyeps of blood cells", kb)
    assert leaflet_words.unfamiliar_terms("what is flow cytometry", kb) == {"cytometry"}


def test_a_condition_only_the_abnormal_results_list_names(kb):
    # session 17: what the leaflets say of it is that list; leukaemia is also why the test is done
    from bot.leaflet_words import defines_a_finding, defines_a_listed_finding

    for text in ("whats MDS", "myelofibrosis meaning", "what is aplastic anaemia"):
        assert defines_a_listed_finding(text, kb), text
    assert defines_a_finding("what is leukaemia", kb)
    assert not defines_a_listed_finding("what is leukaemia", kb)
    assert not defines_a_listed_finding("what are platelets", kb)
    assert not defines_a_listed_finding("what are the symptoms of multiple myeloma", kb)
    assert defines_a_listed_finding("what is myleofibrosis", kb)  # a slip


@pytest.mark.parametrize("text, topic", [
    ("hematopoietic meaning", "normal_results"),  # the normal results section's word
    ("what are hematopoietic cells", "normal_results"),
    ("what is coccidioidomycosis", "abnormal_results"),
    ("what does MDS stand for", "abnormal_results"),
    ("what is leukemia", None),  # also why the test is done
    ("what is a sternal tap", None),  # the test's own name: what the test is
    ("what is the iliac crest", None),
    ("what are platelets", None),  # the bone marrow and stem cells page
    ("what are the symptoms of multiple myeloma", None),  # more than the word
    ("whats a CBC", None),  # the purpose section spells it out in passing: a near miss
    ("what is hairy cell leukaemia", "abnormal_results"),  # not why the test is done
    ("what is polycythemia vara", "abnormal_results"),  # a slip
    # "that": a condition named before, only in the abnormal results list
    ("they found MDS on my bone marrow aspiration, what is that", "abnormal_results"),
    ("my mum has leukaemia, what is that", None),
    ("they want to do a biopsy, what is that", None),
    # the definition first, then where the word was met (session 20, blind83/blind84)
    ("whats CLL, i saw it on the list", "abnormal_results"),
    ("what does 'hematopoietic' mean, it was in the bit about the biopsy results",
     "normal_results"),
    ("what is leukaemia, my mum has it", None),
])
def test_a_word_one_section_uses_is_defined_by_that_section(kb, text, topic):
    from bot.leaflet_words import defined_term_topic

    assert defined_term_topic(text, kb) == topic


@pytest.mark.parametrize("text, related", [
    ("what does ITP have to do with bone marrow aspiration", True),
    ("MDS and bone marrow biopsy", True),
    ("is myeloma linked to the biopsy", True),
    ("leukaemia and bone marrow biopsy", False),  # also why the test is done
    ("pain and bone marrow biopsy", False),
    ("what does my age have to do with the biopsy", False),
])
def test_a_listed_finding_asked_beside_the_test(kb, text, related):
    from bot.leaflet_words import relates_a_finding_to_the_test

    assert relates_a_finding_to_the_test(text, kb) is related


def test_accented_letters_are_read_as_typed(kb):
    from bot.leaflet_words import defined_term_topic, words

    assert words("Waldenström") == ["waldenstrom"]
    assert defined_term_topic(
        "my husband's bone marrow biopsy results mention waldenstrom. what is that",
        kb) == "abnormal_results"
