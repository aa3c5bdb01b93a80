"""Deterministic red-flag detection (bot/redflags.py + bot/vocabulary/red_flags.yml).

Two big tables: messages that MUST raise a red flag (with the expected category), and ordinary
questions that must NOT. When you change red_flags.yml, add the message that prompted the change
to one of the tables.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import spacy

from bot import nlp as bot_nlp
from bot import redflags
from bot.redflags import CATEGORIES, RedFlag, detect, emergency_reply

RED_FLAGS: list[tuple[str, str]] = [
    # --- bleeding ---------------------------------------------------------------------------
    ("I'm bleeding a lot from where they did the biopsy", "bleeding"),
    ("Im bleeding heavily", "bleeding"),
    ("HELP im bleeding everywhere", "bleeding"),
    ("the bleeding won't stop", "bleeding"),
    ("it wont stop bleeding", "bleeding"),
    ("cant stop bleeding", "bleeding"),
    ("bleeding wont stop what do i do", "bleeding"),
    ("Heavy bleeding from the biopsy site", "bleeding"),
    ("still bleedin a lot after the aspiration", "bleeding"),
    ("Its been 2 hours and its still bleeding a lot", "bleeding"),
    ("my bandage is soaked with blood", "bleeding"),
    ("the dressing has soaked through", "bleeding"),
    ("I've soaked through 3 dressings", "bleeding"),
    ("my dressing is drenched", "bleeding"),
    ("the plaster is full of blood", "bleeding"),
    ("blood is pouring out of my hip", "bleeding"),
    ("blood all over my sheets", "bleeding"),
    ("there is so much blood", "bleeding"),
    ("the site keeps bleeding", "bleeding"),
    ("I've bled through the bandage", "bleeding"),
    ("is it normal that it won't stop bleeding?", "bleeding"),
    ("No, I'm bleeding a lot", "bleeding"),
    ("I dont know what to do im bleeding a lot", "bleeding"),
    ("after the biopsy yesterday my dressing is soaked and I'm scared", "bleeding"),
    ("bleeeeding sooo much", "bleeding"),
    ("I\u2019m bleeding really badly", "bleeding"),
    # --- infection --------------------------------------------------------------------------
    ("I have a fever after the biopsy", "infection"),
    ("i've got a high temperature and chills", "infection"),
    ("My temp is 39.2", "infection"),
    ("my temperature is 38.5", "infection"),
    ("I have a temp of 38", "infection"),
    ("running a fever since last night", "infection"),
    ("im feverish and shivering", "infection"),
    ("I feel feverish", "infection"),
    ("got the chills", "infection"),
    ("fever and chills", "infection"),
    ("the site is red, hot and swollen", "infection"),
    ("the biopsy site looks red and swollen and there's yellow pus", "infection"),
    ("it's oozing pus", "infection"),
    ("I think the biopsy site is infected", "infection"),
    ("redness around the site is spreading", "infection"),
    ("is it normal that i have a fever after a bone marrow biopsy?", "infection"),
    ("no bleeding but i have a fever", "infection"),
    ("My 5 year old has a fever after her bone marrow aspiration", "infection"),
    # --- severe pain ------------------------------------------------------------------------
    ("the pain is unbearable", "severe_pain"),
    ("the pain is unbearable please help", "severe_pain"),
    ("I'm in excruciating pain", "severe_pain"),
    ("severe pain in my hip", "severe_pain"),
    ("the pain is getting worse and worse", "severe_pain"),
    ("I can't take the pain anymore", "severe_pain"),
    ("my back is killing me", "severe_pain"),
    ("pain is 10/10", "severe_pain"),
    ("pain 9 out of 10", "severe_pain"),
    ("it hurts like hell", "severe_pain"),
    ("worst pain of my life", "severe_pain"),
    ("im in agony", "severe_pain"),
    ("the pain in my hip is getting worse", "severe_pain"),
    # --- chest pain -------------------------------------------------------------------------
    ("I have chest pain", "chest_pain"),
    ("my chest hurts", "chest_pain"),
    ("I have pain in my chest", "chest_pain"),
    ("chest feels tight", "chest_pain"),
    ("tightness in my chest after the sternal tap", "chest_pain"),
    ("crushing chest pain", "chest_pain"),
    ("I think I'm having a heart attack", "chest_pain"),
    ("The doctor said no heavy lifting, I have chest pain", "chest_pain"),
    # --- breathing --------------------------------------------------------------------------
    ("I can't breathe", "breathing"),
    ("i cant breath properly", "breathing"),
    ("I cant catch my breath", "breathing"),
    ("I'm short of breath", "breathing"),
    ("i feel breathless", "breathing"),
    ("I'm struggling to breathe", "breathing"),
    ("having trouble breathing since the sedation", "breathing"),
    ("difficulty breathing", "breathing"),
    ("my lips are turning blue", "breathing"),
    # --- fainting ---------------------------------------------------------------------------
    ("I passed out", "fainting"),
    ("i passed out in the shower", "fainting"),
    ("i fainted when i stood up", "fainting"),
    ("When I stood up I fainted", "fainting"),
    ("I nearly fainted", "fainting"),
    ("my husband collapsed after his biopsy", "fainting"),
    ("my son fainted after the procedure", "fainting"),
    ("I feel like I'm going to faint", "fainting"),
    ("i think i'm going to pass out", "fainting"),
    ("I feel faint", "fainting"),
    ("keep blacking out", "fainting"),
    # --- suicidal ---------------------------------------------------------------------------
    ("I want to die", "suicidal"),
    ("I just want to die", "suicidal"),
    ("i just wanna die", "suicidal"),
    ("i'm having suicidal thoughts", "suicidal"),
    ("i have been thinking about suicide", "suicidal"),
    ("I want to kill myself", "suicidal"),
    ("Sometimes I think about killing myself", "suicidal"),
    ("I don't want to live anymore", "suicidal"),
    ("I'm thinking of ending my life", "suicidal"),
    ("life is not worth living anymore", "suicidal"),
    ("what if I want to end it all", "suicidal"),
    ("everyone would be better off without me", "suicidal"),
    ("im not going to kill myself but i feel hopeless", "suicidal"),
    # suicidal comes first when several categories match
    ("I'm bleeding a lot and I want to die", "suicidal"),
    # --- typed on a phone: shorthand, typos, no apostrophes, no space after commas ----------
    ("im bleeding thru the dressing", "bleeding"),
    ("bled throu my bandage in an hour", "bleeding"),
    ("the bleedding wont stop", "bleeding"),
    ("its bleeding realy bad,what do i do", "bleeding"),
    ("bleeding v heavily from the hip", "bleeding"),
    ("soakd thru 2 dressings already", "bleeding"),
    ("blood wont stop coming out of the site", "bleeding"),
    ("is it normal that im bleedng thru the plaster?", "bleeding"),
    ("the dressing is soaked thru,help", "bleeding"),
    ("got a feverr and chils", "infection"),
    ("ive got a temprature of 38.9", "infection"),
    ("im shiverring and burning up", "infection"),
    ("its excruciatng", "severe_pain"),
    ("it hurts unbearibly", "severe_pain"),
    ("realy bad pain in my hip", "severe_pain"),
    ("pain is rly rly bad", "severe_pain"),
    ("brething is realy hard", "breathing"),
    ("i cant breth", "breathing"),
    ("i cnt breathe", "breathing"),
    ("im so breathles", "breathing"),
    ("lips r turning blue", "breathing"),
    ("i passed out,then woke up on the floor", "fainting"),
    ("i fainetd after the biopsy", "fainting"),
    ("i feel v faint", "fainting"),
    ("i feel like im goin to faint", "fainting"),
    ("im gona pass out", "fainting"),
    ("i collapsd in the kitchen", "fainting"),
    ("my chset hurts", "chest_pain"),
    ("chest pian since the sternal tap", "chest_pain"),
    ("i want to kil myslef", "suicidal"),
    # --- a temperature given as a number ----------------------------------------------------
    ("fever of 102 since the biopsy", "infection"),
    ("temp 39.2", "infection"),
    ("38.5 temperature since my biopsy", "infection"),
    ("i have a 38.6 temp and feel awful", "infection"),
    ("thermometer says 39.1", "infection"),
    ("my temperature is 101.5f", "infection"),
    ("running 38.9 since last night", "infection"),
    ("took my temperature its 38.8", "infection"),
    ("hi,my temp is 39", "infection"),
    ("temp:39,chills", "infection"),
    ("why is my temp 39?", "infection"),
    ("im worried my temp is 38.6", "infection"),  # a measured number is not a worry
    # --- severe pain with words in between and the site described in words ------------------
    ("the pain where they took the marrow is unbearable", "severe_pain"),
    ("my hip where they did it is in agony", "severe_pain"),
    ("the spot they put the needle in is excruciating", "severe_pain"),
    ("the pain in my lower back from the biopsy is unbearible", "severe_pain"),
    ("pain from where the needle went in is realy unbearable", "severe_pain"),
    ("my back where they took the sample is killing me", "severe_pain"),
    ("its unbearable", "severe_pain"),
    ("this is the worst ever pain", "severe_pain"),
    # --- breathing, said idiomatically ------------------------------------------------------
    ("having trouble catching my breath", "breathing"),
    ("i cant seem to catch my breth", "breathing"),
    ("struggling for air since the sedation", "breathing"),
    ("im gasping", "breathing"),
    ("out of breath just sitting here", "breathing"),
    ("my breathing is laboured", "breathing"),
    ("im wheezing since the sedation", "breathing"),
]

ORDINARY: list[str] = [
    # the examples from the brief
    "will I bleed after a biopsy?",
    "what are the risks?",
    "is there a risk of infection?",
    "can it cause serious bleeding?",
    "does it hurt a lot?",
    "how painful is the biopsy?",
    "is fever a side effect?",
    "what is chest x-ray",
    "can I die from a bone marrow biopsy?",
    # hypothetical questions about symptoms
    "will I have a fever after the biopsy?",
    "what if I get a fever?",
    "what temperature counts as a fever?",
    "when should I call about a fever?",
    "can you get a fever from the anaesthetic",
    "is it ok to have a slight fever",
    "do i need to worry about fever",
    "if the bleeding won't stop what should I do",
    "what should I do if the dressing gets soaked with blood?",
    "what should I do when the bleeding doesn't stop?",
    "how do I stop the bleeding if it starts again",
    "how long will it keep bleeding?",
    "can I shower or will the bandage get soaked?",
    "will there be a lot of blood?",
    "how much bleeding is normal after a bone marrow biopsy",
    "Is heavy bleeding common?",
    "will it bleed heavily?",
    "I'm on blood thinners, will I bleed more?",
    "is bleeding through the dressing normal?",
    "heavy bleeding after biopsy?",
    "what to do in case of heavy bleeding",
    "tell me about infection risk",
    "what are the signs of infection?",
    "how do I know if it is infected?",
    "what if it gets infected?",
    "is it normal for the site to be a bit red?",
    "could I faint during the procedure?",
    "what if I pass out?",
    "is it common to feel faint afterwards?",
    "if I feel faint should I lie down",
    "will I be unconscious during sedation?",
    "is shortness of breath a side effect of sedation?",
    "will I be able to breathe normally under sedation?",
    "can the pain be severe?",
    "will the pain get worse?",
    "how long will the pain last?",
    "is severe pain normal after a biopsy",
    "what does chest pain after a sternal aspiration mean?",
    "what happens if I have chest pain?",
    "do you do a chest x-ray before?",
    # worries, history and negation
    "I'm scared I'm going to faint during the biopsy",
    "I'm worried about heavy bleeding because I'm on warfarin",
    "I'm scared of bleeding",
    "I'm nervous about the needle",
    "my mum fainted during her biopsy years ago, will I?",
    "I had a fever last month before my diagnosis",
    "I've had heavy bleeding with previous biopsies",
    "I have a history of fainting",
    "no fever, no bleeding, just a bit sore",
    "I'm not bleeding a lot",
    "I don't have a fever",
    "I don't think I have a fever",
    "the bleeding has stopped",
    "the pain is so much better today",
    "I don't feel like I'm going to faint",
    # not about symptoms at all
    "I don't want to die",
    "I'm not suicidal",
    "am I going to die?",
    "I don't want to wake up during the biopsy",
    "should I take all my pills before the biopsy?",
    "I'm dying to know my results",
    "do they take a lot of blood tests?",
    "how much blood do they take?",
    "can I take paracetamol for the pain?",
    "does a sternal tap hurt",
    "my red blood cells are low",
    "it's hot today, can I go swimming?",
    "a little bruising and soreness",
    "my hip hurts a lot",
    "i have a question about fever",
    "Will it hurt?",
    "hello",
    "",
    # questions about temperatures, and temperatures that are not a fever now
    "will the fever come down if I take paracetamol?",
    "is it normal to have a slight temperature after?",
    "is it normal to have a temperature after the biopsy?",
    "what temperature is too high after a biopsy?",
    "is 38 a fever?",
    "should i call if my temp goes over 38?",
    "what if my temp is 38.5?",
    "is a temp of 38.5 dangerous after a biopsy?",
    "if your temp is over 38 call the team",
    "my temperature was 37.2 this morning",
    "I had a temp of 39 last year with the flu",
    "my biopsy is at 10.30 tomorrow",
    # real words close to red-flag words are not typos
    "can I feed my baby after the sedation?",
    "it took fewer than 20 minutes",
    "my dog is a rare breed",
    "that would be a breach of confidentiality",
    "the room smelled of bleach",
    "the doctor was very brief",
    "I play the reed in a band",
    "should I bring a pail in case I'm sick?",
    "the bruise is a fainter colour today",
    "the nurse passed out the leaflet",
    "they passed out leaflets about aftercare",
    "im chosing a date for the biopsy",
    "I love chilis, can I eat them before?",
    "the bleep of the machine kept me awake",
    "i went thru the forms",
    # typos and shorthand inside questions, negations and worries
    "is bleedding a common side effect?",
    "what are the chances of a feverr?",
    "wat if i get a fevr?",
    "i dont have a fevr",
    "no feverr no chills",
    "im not bleeding thru",
    "i'm v nervous about the needle",
    "can i have a bath tmrw?",
    # pain and breathing: questions, worries, and something else being unbearable
    "the pain where they took the marrow is manageable",
    "is the pain where they take the marrow unbearable?",
    "will the pain in my hip be excruciating?",
    "I'm scared the pain where they go in will be excruciating",
    "the pain is fine but the waiting is unbearable",
    "the pain in my hip isnt too bad",
    "how long will i be out of breath after sedation?",
    "is it normal to be out of breath after the sedation?",
    "can sedation make it hard to catch your breath?",
    "what if i cant catch my breath?",
    "will i be gasping for air?",
    "is wheezing a side effect?",
    "im not out of breath at all",
]


@pytest.mark.parametrize("text, category", RED_FLAGS)
def test_red_flag_detected(text: str, category: str) -> None:
    flag = detect(text)
    assert flag is not None, f"no red flag in {text!r}"
    assert flag.category == category, f"{text!r}: {flag}"
    assert flag.matched and flag.matched in redflags.normalize_text(text)


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_message_is_not_a_red_flag(text: str) -> None:
    assert detect(text) is None


def test_tables_are_big_enough_and_cover_every_category() -> None:
    assert len(RED_FLAGS) >= 40
    assert len(ORDINARY) >= 40
    per_category = Counter(category for _, category in RED_FLAGS)
    for category in CATEGORIES:
        assert per_category[category] >= 5, category
    assert set(per_category) == set(CATEGORIES)


def test_rules_file_defines_every_category_in_order() -> None:
    rules = redflags.load_rules()
    assert rules.categories == list(CATEGORIES)
    assert {rule.category for rule in rules.rules} == set(CATEGORIES)


def test_detect_with_an_explicit_saved_pipeline(tmp_path: Path) -> None:
    nlp = spacy.load(bot_nlp.save(tmp_path / "model"))
    assert detect("the bleeding won't stop", nlp) == RedFlag("bleeding", "bleeding won't stop")
    assert detect("can it cause serious bleeding?", nlp) is None


def test_detect_doc_on_a_lower_cased_doc() -> None:
    nlp = bot_nlp.get_pipeline()
    doc = nlp(redflags.normalize_text("I Passed Out"))
    assert redflags.can_reuse_doc(doc, "I Passed Out")
    assert redflags.detect_doc(doc) == RedFlag("fainting", "i passed out")
    assert not redflags.can_reuse_doc(nlp("I Passed Out"), "I Passed Out")  # not lower-cased


def test_normalize_text() -> None:
    assert redflags.normalize_text("I\u2019m BLEEEEDING sooooo much") == "i'm bleeding soo much"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Im bleedding thru the dressing", "im bleeding through the dressing"),
        ("its realy bad,what do i do", "its really bad, what do i do"),
        ("feverr?im scared", "fever? im scared"),
        ("v sore hip.it hurts", "very sore hip. it hurts"),
        ("temp 38,5 at 10.30, e.g. now", "temp 38,5 at 10.30, e.g. now"),
        ("cnt breth w/o gasping", "can't breath without gasping"),
        ("i can't, don't, won't", "i can't, don't, won't"),  # contractions are left alone
    ],
)
def test_normalize_text_for_messages_typed_on_a_phone(text: str, expected: str) -> None:
    assert redflags.normalize_text(text) == expected


@pytest.mark.parametrize(
    "typo, word",
    [
        ("feverr", "fever"),
        ("fevr", "fever"),
        ("bleedding", "bleeding"),
        ("bleedng", "bleeding"),
        ("unbearible", "unbearable"),
        ("brething", "breathing"),
        ("breth", "breath"),
        ("tempreture", "temperature"),
        ("excruciatng", "excruciating"),
        ("pian", "pain"),
        ("chset", "chest"),
        ("unconsious", "unconscious"),
        ("hurtin", "hurting"),
    ],
)
def test_misspelt_key_words_are_corrected(typo: str, word: str) -> None:
    assert redflags.correct_word(typo) == word


@pytest.mark.parametrize(
    "word",
    (
        "feed fewer breed breach bleach brief reed pail paint fainter feint fiver hart trough "
        "though sweating shopping stepping chosing facinating intented infective bled passes "
        "blob fee zzzz"
    ).split(),
)
def test_real_words_and_other_typos_are_not_corrected(word: str) -> None:
    assert redflags.correct_word(word) == word


def test_no_dictionary_word_is_corrected() -> None:
    """Every English word near a key word must be in red_flags.yml `real_words`."""
    lookups = pytest.importorskip("spacy_lookups_data")
    from spacy.util import load_language_data

    table = load_language_data(lookups.en["lemma_lookup"])
    words = {w for w in set(table) | set(table.values()) if w.isascii() and w.isalpha()}
    corrected = {w: redflags.correct_word(w) for w in words if w.islower()}
    wrong = sorted(f"{w} -> {c}" for w, c in corrected.items() if c != w)
    assert not wrong, f"add these to real_words in red_flags.yml: {wrong}"


def test_typos_section_is_checked(tmp_path: Path) -> None:
    base = "words: {}\nsuppress: {}\ncategories:\n  bleeding:\n    phrases: [heavy bleeding]\n"
    bad = {
        "typos:\n  key_words: [pus]\n": "4\\+ letters",
        "typos:\n  shorthand:\n    no: not\n": "quotes",
        "typos:\n  shorthand: [thru]\n": "word: replacement",
        "typos:\n  shorthand:\n    two words: x\n": "one word",
    }
    for index, (typos, message) in enumerate(bad.items()):
        rules = tmp_path / f"red_flags_{index}.yml"
        rules.write_text(base + typos, encoding="utf-8")
        with pytest.raises(redflags.RulesError, match=message):
            redflags.load_rules(str(rules))


def test_negated_slots_and_regex_word_lists(tmp_path: Path) -> None:
    rules = tmp_path / "red_flags.yml"
    rules.write_text(
        "words:\n"
        "  gap: [and, is]\n"
        "  hot: ['/^3[89]$/', boiling]\n"
        "suppress: {}\n"
        "categories:\n"
        "  infection:\n"
        "    phrases: ['temp !@gap? !@gap? @hot']\n",
        encoding="utf-8",
    )
    nlp = bot_nlp.get_pipeline()

    def found(text: str) -> RedFlag | None:
        return redflags.detect_doc(nlp(text), str(rules))

    assert found("temp now 39") == RedFlag("infection", "temp now 39")
    assert found("temp boiling") == RedFlag("infection", "temp boiling")
    assert found("temp 37") is None
    assert found("temp and 39") is None
    assert found("temp is 39") is None


def test_red_flag_to_dict() -> None:
    assert RedFlag("bleeding", "won't stop bleeding").to_dict() == {
        "category": "bleeding",
        "matched": "won't stop bleeding",
    }


def test_unquoted_yes_no_in_rules_is_an_error(tmp_path: Path) -> None:
    rules = tmp_path / "red_flags.yml"
    rules.write_text(
        "words: {}\nsuppress:\n  negations: [no, not]\ncategories:\n"
        "  bleeding:\n    phrases: [heavy bleeding]\n",
        encoding="utf-8",
    )
    with pytest.raises(redflags.RulesError, match="quotes"):
        redflags.load_rules(str(rules))


def test_unknown_word_list_is_an_error(tmp_path: Path) -> None:
    rules = tmp_path / "red_flags.yml"
    rules.write_text(
        "words: {}\nsuppress: {}\ncategories:\n  bleeding:\n    phrases: ['@nope bleeding']\n",
        encoding="utf-8",
    )
    with pytest.raises(redflags.RulesError, match="@nope"):
        redflags.load_rules(str(rules))


# ---------------------------------------------------------------------------------------------
# emergency_reply
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("category", [c for c in CATEGORIES if c != "suicidal"])
def test_emergency_reply_tells_to_call_now(category: str) -> None:
    reply = emergency_reply(RedFlag(category, "x"))
    lines = reply.splitlines()
    assert len(lines) == 2
    assert lines[0] == "Please call 911 now or go to the nearest emergency department."
    assert "cannot help with emergencies" in lines[1]
    assert "care team" in lines[1]


def test_emergency_reply_for_suicidal_gives_the_crisis_line_first() -> None:
    reply = emergency_reply(RedFlag("suicidal", "want to die"))
    first, second = reply.splitlines()
    assert first.startswith("If you are thinking about suicide or ending your life")
    assert "call or text 988 now" in first
    assert "immediate danger, call 911" in first
    assert "cannot help with emergencies" in second


def test_emergency_reply_uses_the_clinic_numbers() -> None:
    reply = emergency_reply(RedFlag("bleeding", "x"), emergency_number="999", crisis_line="111")
    assert reply.splitlines()[0].startswith("Please call 999 now")
    assert "911" not in reply
    suicidal = emergency_reply(
        RedFlag("suicidal", "x"), emergency_number="112", crisis_line="116 123"
    )
    assert "116 123" in suicidal and "112" in suicidal
    assert "988" not in suicidal and "911" not in suicidal


def test_emergency_reply_without_a_known_category() -> None:
    assert emergency_reply(RedFlag("unspecified", "")).startswith("Please call 911 now")
    assert emergency_reply(None).startswith("Please call 911 now")


@pytest.mark.parametrize(
    "text",
    [
        "honestly i don't see the point in living anymore",
        "i dont see the point anymore",
        "whats the point of living",
        "life is pointless now",
        "i cant go on anymore",
        "i just want to go to sleep and never wake up again",
        "i dont want to wake up ever again",
    ],
)
def test_hopelessness_is_a_suicidal_red_flag(text):
    flag = detect(text)
    assert flag is not None and flag.category == "suicidal", text


@pytest.mark.parametrize(
    "text",
    [
        "what is the point of the biopsy",
        "i dont see the point of the test",
        "whats the point of the biopsy if results take weeks",
        "i dont want to wake up during the biopsy",
        "will I wake up during it",
        "can they go on to do the biopsy after the aspiration",
    ],
)
def test_questions_about_the_point_of_the_test_are_not_red_flags(text):
    assert detect(text) is None, text
