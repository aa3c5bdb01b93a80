"""bot/followups.py: the same question again: for someone else, the other test, a clinic answer."""

from __future__ import annotations

import pytest

from bot import followups


@pytest.mark.parametrize(
    "text, keeps",
    [
        ("and for a child?", True),
        ("what about for my mum, she's 88", True),
        ("at his age?", True),
        ("same for the trephine one?", True),
        ("what about the other one", True),
        ("and after they've got it?", True),
        ("and the biopsy, is that worse?", True),
        ("and bleeding?", False),
        ("for how long?", False),
        ("is it worse than a blood test", False),
        ("what is it for", False),
    ],
)
def test_keeps_topic(text, keeps):
    assert followups.keeps_topic(text) is keeps


def test_other_procedure():
    offered = ["aspiration", "biopsy"]
    assert followups.other_procedure("what about the other one", "biopsy", offered) == (
        "aspiration")
    assert followups.other_procedure("and the other test?", "aspiration", offered) == "biopsy"
    assert followups.other_procedure("the other one", None, offered) is None
    assert followups.other_procedure("the other one", "biopsy", [*offered, "lp"]) is None
    assert followups.other_procedure("what about the biopsy", "aspiration", offered) is None


@pytest.mark.parametrize(
    "text, only",
    [
        ("is it the same for children", True),
        ("what about for kids", True),
        ("and for my mum, she's 88", True),
        ("same for a 5 year old?", True),
        ("for my dad too?", True),
        ("how about in children?", True),
        ("is it the same for kids, does it hurt more", False),
        ("what about for kids with leukemia", False),
        ("is it the same as a biopsy", False),
    ],
)
def test_only_shifts_subject(text, only):
    assert followups.only_shifts_subject(text) is only


@pytest.mark.parametrize(
    "text, name, only",
    [
        ("and on a biopsy?", "biopsy", True),
        ("what about the trephine then", "trephine", True),
        ("and the biopsy, is that worse?", "biopsy", True),
        ("same for the BMA?", "BMA", True),
        ("and the biopsy, where do they do it?", "biopsy", False),
        ("what is a biopsy", "biopsy", False),
        ("is it the same with bma", "bma", True),
        ("would that be the same for the biopsy?", "biopsy", True),
        ("is it the same as a biopsy", "biopsy", False),
        ("biopsy risks", "biopsy", False),
    ],
)
def test_only_names_a_test(text, name, only):
    start = text.index(name)
    assert followups.only_names_a_test(text, [(start, start + len(name))]) is only


def test_without_a_test_named_it_is_not_a_bare_test():
    assert followups.only_names_a_test("and on a biopsy?", []) is False


@pytest.mark.parametrize("text, leaflet, expected", [
    ("and the results?", False, "results_timing"),
    ("what about for kids?", False, "driving"),
    ("n after?", False, "driving"),
    ("and PE?", False, "driving"),
    ("and bleeding?", True, None),  # the classifier is sure it is a leaflet question
    ("does it hurt?", False, None),  # not a follow-up of the practical question
    ("what do the results show about leukaemia?", False, None),
])
def test_after_a_clinic_answer(text, leaflet, expected):
    from bot.followups import clinic_follow_up

    assert clinic_follow_up(text, "driving", [], leaflet) == expected


@pytest.mark.parametrize("text, spans, expected", [
    ("same for kids as grown ups?", [], True),
])
def test_the_same_question_for_someone_else(text, spans, expected):
    from bot.followups import only_shifts_subject

    assert only_shifts_subject(text) is expected


def test_a_test_named_with_same_process_is_the_last_question_for_it():
    from bot.followups import only_names_a_test

    text = "ok and the aspiration he's having too, same process?"
    start = text.index("aspiration")
    assert only_names_a_test(text, [(start, start + len("aspiration"))])
    text = "and the aspiration he's having, is it painful?"
    assert not only_names_a_test(text, [(8, 18)])


# ---- session 9 (tests/dev/blind13-15): reactions to the answer, the list, the same for a test

@pytest.mark.parametrize("text, name, only", [
    ("is the aspirate the same", "aspirate", True),
    ("is it the same for the biopsy they might do too", "biopsy", True),
    ("Is the trephine used for that as well?", "trephine", True),
    ("and the other one, the trephine, does that do the same job?", "trephine", True),
    ("is the biopsy like that too", "biopsy", True),
    # what the test is, or another question
    ("and how is the biopsy different", "biopsy", False),
    ("is it the same thing as a sternal tap", "sternal tap", False),  # other names
    ("is the biopsy done under sedation too", "biopsy", False),
    ("what is the biopsy", "biopsy", False),
])
def test_the_same_question_for_another_test(text, name, only):
    start = text.lower().index(name)
    assert followups.only_names_a_test(text, [(start, start + len(name))]) is only


def test_what_does_that_stand_for_is_the_same_answer_again():
    assert followups.asks_to_say_it_again("what does that stand for")
    assert not followups.asks_to_say_it_again("what does BMA stand for")


def test_what_does_that_actually_mean_is_the_same_answer_again():
    # session 17: "what does that actually mean" after the abnormal results (blind64)
    for text in ("what does that actually mean", "what does all that mean?", "whats that mean",
                 "meaning?", "ok so what does this even mean"):
        assert followups.asks_to_say_it_again(text), text
    for text in ("what does MDS actually mean", "what does that mean for my treatment",
                 "meaning of trephine"):
        assert not followups.asks_to_say_it_again(text), text


def test_the_other_one_typed_short():
    offered = ["aspiration", "biopsy"]
    assert followups.other_procedure("other one?", "biopsy", offered) == "aspiration"
    assert followups.other_procedure("n the other test", "aspiration", offered) == "biopsy"
    assert followups.other_procedure("any other test I need?", "biopsy", offered) is None


def test_session_10_same_question_and_back_to_the_first():
    from bot.followups import keeps_topic, only_names_a_test, returns_to_the_first_test

    text = "and is the aspiraton prep the same"
    span = [(text.index("aspiraton"), text.index("aspiraton") + 9)]
    assert only_names_a_test(text, span, "preparation")
    assert not only_names_a_test(text, span, "risks")  # prep names another topic
    assert keeps_topic("same list for the other one?")
    assert returns_to_the_first_test("bak to the first one, how do they do it")
    assert returns_to_the_first_test("going back to hers, does she have to tell them")
    assert not returns_to_the_first_test("when can she go back to work")


def test_a_definition_is_not_a_test_only_named_and_differ_is_the_same_question():
    # (session 12, tests/dev/blind37_conversations.yml, blind39_conversations.yml)
    from bot.asks.page import page_next_step
    from bot.followups import only_names_a_test

    text = "and what's a biopsy then"
    start = text.index("biopsy")
    assert not only_names_a_test(text, [(start, start + 6)], "alternative_names")
    text = "Does that differ for a trephine?"
    start = text.index("trephine")
    assert only_names_a_test(text, [(start, start + 8)], "risks")
    # where stem cells live, right after what they are, is that section
    assert page_next_step("where do they live in the body", "stem_cells") == "stem_cells"


def test_session_12_blind42_follow_ups():
    from bot.asks.page import page_next_step
    from bot.reactions import asks_which_kinds, picks_up_the_answer, reacts_to_the_answer

    # a short form of the answer's word, the first part of a word written as one
    assert reacts_to_the_answer("only a few secs? honestly?",
                                "This feeling lasts for only a few seconds.")
    assert reacts_to_the_answer("from blood??", "Stem cells can be collected from the bloodstream.")
    assert reacts_to_the_answer("infections too?", "This test is used to diagnose: Infections")
    # "what about" + the answer's words; " like " after them
    preparation = "Tell the provider: If you have bleeding problems"
    assert picks_up_the_answer("what abt bleeding problems", preparation)
    assert picks_up_the_answer("bleeding problems like haemophilia?", preparation)
    assert not picks_up_the_answer("what about the risks", preparation)
    assert asks_which_kinds("with what?")
    # the page's next sections
    assert page_next_step("where do the cells come from", "transplant") == "stem_cell_collection"
    assert page_next_step("and where are they normally", "stem_cells") == "stem_cells"
    # a question about a word of the answer is not the answer picked up
    assert not picks_up_the_answer("whats bone marrow like then",
                                   "Stem cells are blood cells ... in the bone marrow.")
    assert page_next_step("why would chemo be used for that",
                          "stem_cell_collection") == "stem_cell_collection"


@pytest.mark.parametrize("text, last_topic, where", [
    # (session 15, tests/dev/blind47, blind49) where stem cells are kept: in the marrow, very few in
    # the blood, the section on stem cells in the bloodstream
    ("do we have stem cells floating around in our blood", None, True),
    ("r there any in ur blood", "stem_cells", True),
    ("are they just in the bones then", "transplant", True),
    ("where are most of them, blood or marrow?", "stem_cell_collection", True),
    ("are stem cells always in the bone marrow", None, True),
    ("and are they normally where, the marrow?", "stem_cells", True),
    ("any in the blood then", "transplant", True),
    # not where they are: what they are, their release, another subject
    ("when are the stem cells released into the blood", None, False),
    ("do stem cells stay in the marrow until they grow up", None, False),
    ("what are stem cells in the blood for then", None, False),
    ("what are stem cells", None, False),
    ("are the red cells in the blood made by them", "stem_cells", False),
    ("is there any blood in the marrow sample", "how_performed", False),
    ("in the blood as well?", "risks", False),
])
def test_where_stem_cells_are_kept(text, last_topic, where):
    from bot.asks.page import asks_where_stem_cells_are

    assert asks_where_stem_cells_are(text, last_topic) is where


@pytest.mark.parametrize("text, last_topic, test_discussed, expected", [
    # (session 16, tests/dev/blind48, blind52) a pronoun for what the page just described
    ("why do I need those?", "stem_cell_collection", False, "stem_cell_collection"),
    ("what's it for?", "bone_marrow", False, "blood_cells"),
    ("what are those exactly", "transplant", False, "stem_cells"),
    ("what are they for", "blood_cells", True, "blood_cells"),  # plural: the page's subject
    ("why do i need it", "stem_cells", False, "stem_cells"),
    ("why do i need it", "stem_cells", True, None),  # "it": the test being discussed
    ("why do they need them", "transplant", False, None),  # not on the page
    ("what are the side effects", "stem_cells", False, None),  # names its subject
    ("why do I need those?", "risks", False, None),  # not after the page
    ("and what are those cells for", "stem_cells", False, None),  # cells named: which ones?
    ("where do they come from for the transplant", "stem_cells", False, "stem_cell_collection"),
    ("and where do the cells for it come from", "transplant", False, "stem_cell_collection"),
])
def test_a_pronoun_for_what_the_page_described(text, last_topic, test_discussed, expected):
    from bot.asks.page import page_next_step

    assert page_next_step(text, last_topic, test_discussed) == expected


@pytest.mark.parametrize("text, last_topic, expected", [
    # (session 16, tests/dev/blind48, blind28) on the page, a follow-up only naming another of
    # its subjects
    ("what about the 3 kinds of blood cells they turn into", "transplant", "blood_cells"),
    ("and the blood cells they turn into?", "stem_cells", "blood_cells"),
    ("what about stem cells", "transplant", "stem_cells"),
    ("and the marrow?", "stem_cells", "bone_marrow"),
    ("what about the biopsy", "stem_cells", None),  # a test: the last question for it
    ("and how are the stem cells collected", "stem_cells", None),  # a question of its own
    ("what about white cells", "risks", None),  # not on the page
])
def test_a_follow_up_naming_another_subject_of_the_page(text, last_topic, expected):
    from bot.asks.page import page_next_step

    assert page_next_step(text, last_topic) == expected


@pytest.mark.parametrize("text, test, only_named", [
    # (session 16, tests/dev/blind7, blind22) the last question for another test, with "if they
    # do one" or "part"
    ("And for the biopsy, if they end up doing one as well?", "biopsy", True),
    ("and the aspiration part?", "aspiration", True),
    ("and the biopsy, what if they do it twice", "biopsy", False),
    ("and the biopsy side of things, how long is recovery", "biopsy", False),
])
def test_another_test_named_with_a_condition_or_a_part(text, test, only_named):
    from bot.followups import only_names_a_test

    start = text.index(test)
    assert only_names_a_test(text, [(start, start + len(test))], "risks") is only_named


@pytest.mark.parametrize("text, keeps", [
    # (session 16, tests/dev/blind55) the next step of the answer just quoted
    ("and then what", True), ("then what happens", True), ("what happens next", True),
    ("what happens next to the sample", False), ("whats next for me", False),
])
def test_then_what_keeps_the_topic(text, keeps):
    assert followups.keeps_topic(text) is keeps


def test_then_what_after_the_collection_is_still_the_transplant():
    from bot.asks.page import page_next_step

    assert page_next_step("and then what", "stem_cell_collection") == "transplant"


@pytest.mark.parametrize("text, last_topic, expected", [
    # (session 16, tests/dev/blind50, blind55) how stem cells are got out, how they develop
    ("how do they get them out of someone for a transplant?", "transplant", "stem_cell_collection"),
    ("how do they become proper blood cells", "stem_cells", "stem_cells"),
    ("how do stem cells turn into blood cells", "blood_cells", "stem_cells"),
    ("how do they get them out", "risks", None),  # not after the page
])
def test_how_stem_cells_are_got_out_and_develop(text, last_topic, expected):
    from bot.asks.page import page_next_step

    assert page_next_step(text, last_topic) == expected
