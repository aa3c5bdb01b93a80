"""bot/reactions.py: a reaction to the answer just quoted: doubted, picked up, more of its list."""

from __future__ import annotations

import pytest

from bot import reactions

# ---- session 9 (tests/dev/blind13-15): reactions to the answer, the list

RISKS = ("There may be some bleeding at the puncture site. More serious risks, such as serious "
         "bleeding or infection, are very rare.")
HOW = "A special needle is inserted into the bone. The needle has a tube attached to it."


@pytest.mark.parametrize("text, answer, reacts", [
    ("fr??", RISKS, True),
    ("really thats it?", RISKS, True),
    ("how rare is 'very rare'", RISKS, True),  # its words quoted back
    ("infection?", RISKS, True),
    ("a TUBE??", HOW, True),
    ("brest bone?? seriously", "or the breastbone (sternum)", True),  # typed as it sounds
    ("fat cells?? in marrow??", "Fat cells in the bone marrow", True),
    ("a tube", HOW, False),  # nothing asked back
    ("ok?", RISKS, False),  # no doubt, no word of the answer
    ("why?", RISKS, False),
    ("is it safe?", RISKS, False),  # "safe" is not a word of the answer
    ("how rare is very rare", RISKS, False),
    ("fr??", None, False),  # no answer quoted (after a clinic answer)
    ("really? bleeding and infection and more bleeding and infection", RISKS, False),  # too long
    # (session 16, tests/dev/blind48) what a thing of the answer is: a definition, asked
    ("what actually is bone marrow?", HOW + " bone marrow", False),
    ("whats a tube exactly?", HOW, False),
    ("what is it really?", HOW, True),  # nothing named: doubted
])
def test_reacts_to_the_answer(text, answer, reacts):
    assert reactions.reacts_to_the_answer(text, answer) is reacts


@pytest.mark.parametrize("text, kinds", [
    ("wat kinds", True), ("which types?", True), ("like what?", True), ("such as?", True),
    ("what kind of things", True), ("what kind of tests are there", False), ("types", False),
])
def test_asks_which_kinds(text, kinds):
    assert reactions.asks_which_kinds(text) is kinds


@pytest.mark.parametrize("text, answer, picks_up", [
    ("very rare? how rare are we talking", RISKS, True),
    ("bleeding problems - i bruise really easily, does that count",
     "Tell your provider if you have bleeding problems.", True),
    ("Only a few seconds? A friend told me hers was much longer than that.",
     "This feeling lasts for only a few seconds.", True),
    ("so its really stem cells? not actual marrow",
     "it is really a transplant of stem cells", True),
    # what a word of the answer is, or not the answer's words
    ("bone marrow? what is that", HOW + " bone marrow", False),
    ("ok thanks, what about the results", HOW, False),
    ("very rare? how rare are we talking", None, False),
])
def test_picks_up_the_answer(text, answer, picks_up):
    assert reactions.picks_up_the_answer(text, answer) is picks_up


def test_is_a_condition_one_of_them():
    from bot.reactions import asks_which_kinds

    assert asks_which_kinds("is ITP one of them")
    assert asks_which_kinds("is that one of them")


def test_which_kinds_of_a_word_of_the_answer():
    # (session 13, tests/dev/blind44_conversations.yml)
    answer = "Abnormal results may be due to cancers of the bone marrow (leukemia, lymphoma)."
    assert reactions.picks_up_the_answer("what kinds of leukaemia", answer)
    assert reactions.picks_up_the_answer("ok and what types of cancers", answer)
    assert not reactions.picks_up_the_answer("what kinds of tests", answer)
