"""Deterministic red-flag detection (bot/redflags/ + bot/vocabulary/red_flags.yml).

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
    ("my dad is still bleeding from where they put the needle in", "bleeding"),
    ("she can't get the bleeding to stop, it's been 2 hours", "bleeding"),
    ("we cant make the blood stop", "bleeding"),
    ("i've been thinking of taking all my pills", "suicidal"),
    ("thinking about swallowing all the tablets", "suicidal"),
    ("thinking of ending things", "suicidal"),
    ("i've got the pills ready", "suicidal"),
    ("help, he's bleeding", "bleeding"),
    ("honestly i just want to kms", "suicidal"),
    ("heavy pressure behind my breastbone that wont go away", "chest_pain"),
    ("the bleeding won't go away", "bleeding"),
    ("thinking about unaliving myself", "suicidal"),
    ("i wrote goodbye letters to my kids", "suicidal"),
    ("i don't want to wake up tomorrow", "suicidal"),
    ("i want to sleep forever", "suicidal"),
    ("i'm going to end it tonight", "suicidal"),
    ("everyone would be better without me", "suicidal"),
    ("i can't cope anymore, i want out", "suicidal"),
    ("i'm a burden to everyone, they'd be happier if i was dead", "suicidal"),
    ("my throat is closing up", "breathing"),
    ("breathing is really weird and noisy", "breathing"),
    ("can barely get air in", "breathing"),
    ("he's turning blue", "breathing"),
    ("my heart hurts", "chest_pain"),
    ("he's really drowsy and we can't keep him awake", "fainting"),
    ("i can't bear it anymore the pain", "severe_pain"),
    ("i think i'm dying", "fainting"),
    ("i just want it all to be over", "suicidal"),
    ("i've thought about jumping", "suicidal"),
    ("no point carrying on if it's cancer", "suicidal"),
    ("he's having a seizure", "fainting"),
    ("she's having a fit", "fainting"),
    ("she's not responding to us", "fainting"),
    ("he went grey and dropped to the floor", "fainting"),
    ("my dad is pale and clammy", "fainting"),
    ("i'm vomiting blood", "bleeding"),
    ("a lump is swelling up fast where they did the biopsy", "bleeding"),
    ("the wound has opened up and is bleeding", "bleeding"),
    ("my son is shaking uncontrollably and burning hot", "infection"),
    ("i've got rigors since the aspiration", "infection"),
    ("i can't go on like this anymore", "suicidal"),
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
    "i'm still bleeding a little from the site, is that normal?",
    "is it normal to be still bleeding?",
    "should i keep taking all my pills before the biopsy?",
    "i'm thinking of taking all my pills with me to the hospital",
    "thinking of ending things with my boyfriend before the biopsy",
    "my mum will have a fit when she hears about the biopsy",
    "i'm dying to know the results",
    "my fever went away this morning",
    "I felt faint during it but the nurse gave me some water",
    "i don't want to be a burden to my family after the biopsy, can i drive home?",
    "i can't cope with the waiting, when do results come?",
    "we ran 10 kms yesterday, can i still have the biopsy?",
    "i'm going to end it early if it hurts too much, is that allowed?",
    "will my throat be sore from the sedation?",
    "can you write a goodbye note for my nurse",
    "i feel like i'm dying of nerves before the biopsy",
    "what happens if i have a seizure during the biopsy?",
    "he's not responding to the antibiotics",
    "is vomiting blood a side effect?",
    "will the bruise get bigger after the biopsy?",
    "i was thinking about jumping in the shower after",
    "the plaster fell on the floor, can I reuse it?",
    "does the pain relief fit in with my other meds",
    "can i get the bleeding to stop with pressure if it happens?",
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


# ---------------------------------------------------------------------------------------------
# The patient-language grid. Every category is crossed with the same axes:
#   voice:    I / a parent about a child / a partner / an adult child about a parent / she-he
#   time:     "since the biopsy yesterday", "for an hour", "right now", "won't stop", "keeps"
#   register: texting, typos, UK / US words
#   long:     context first, the symptom at the end
#   indirect: passive or descriptive ("there's blood everywhere", "lips are blue")
# and the negative grid uses the same words in questions about risk, worries, the past and
# negations.
# ---------------------------------------------------------------------------------------------

GRID: dict[str, list[tuple[str, str]]] = {
    "bleeding": [
        # voice
        ("I've been bleeding for an hour and it won't stop", "voice/time"),
        ("my daughter's biopsy site is bleeding and won't stop", "voice"),
        ("my husband is bleeding heavily from his hip", "voice"),
        ("mum is bleeding a lot from where they took the sample", "voice"),
        ("she's bleeding really badly from the biopsy site", "voice"),
        ("my son's hip is pouring blood", "voice"),
        # time
        ("it's been bleeding for an hour", "time"),
        ("the bleeding hasn't stopped since this morning", "time"),
        ("since the biopsy yesterday it keeps bleeding", "time"),
        ("pressed on it for 20 minutes and it's still bleeding", "time"),
        ("right now blood is running down my leg", "time"),
        ("the site is still oozing blood after 3 hours", "time"),
        # register
        ("cant stop the bleedin", "register"),
        ("bleading wont stop from my hip", "register"),
        ("its bleeding loads and loads", "register"),
        ("hip wont stop bleedin since the bma", "register"),
        # long
        (
            "Had my BMA this morning and everything went fine, but when I got home I noticed "
            "blood running down my leg and it hasn't stopped",
            "long",
        ),
        # indirect
        ("there's blood everywhere", "indirect"),
        ("blood is dripping down my leg and won't stop", "indirect"),
        ("blood keeps coming out of the hole", "indirect"),
        ("my wife's hip has been bleeding since lunchtime", "voice/time"),
        ("the site has been bleeding all evening", "time"),
        ("blood is trickling down his back", "indirect"),
        ("its been pouring blood for 20 mins", "register"),
        ("I started bleeding during the biopsy and it still hasn't stopped", "long"),
        ("the hole where they took the marrow wont stop bleeding", "indirect"),
        ("been bleeding on and off all day and its getting worse", "time"),
    ],
    "dressing": [
        ("I've soaked through 4 band-aids already", "voice/register"),
        ("my son's dressing is soaked", "voice"),
        ("my husband's bandage is soaked through with blood", "voice"),
        ("mum's plaster is drenched in blood", "voice"),
        ("her dressing is completely soaked", "voice"),
        ("dad's bleeding through everything", "voice"),
        ("the dressing keeps filling up with blood", "time"),
        ("dressing soaked again, changed it twice already", "time"),
        ("the plaster has been soaked since the biopsy yesterday", "time"),
        ("the bandaid is saturated", "register"),
        ("plaster soakin wet with blood", "register"),
        ("the dresing is soked", "register"),
        ("the plaster's soaked", "register"),
        (
            "Had my BMA this morning and everything went fine, but now the plaster is soaked "
            "through and blood is running down my leg",
            "long",
        ),
        (
            "We got back from the hospital at lunchtime and she was fine, but now her dressing "
            "is soaked red and her trousers are covered in blood",
            "long",
        ),
        ("the bandage is drenched", "indirect"),
        ("blood has soaked through the gauze and onto the sheets", "indirect"),
        ("my bandage is dripping with blood", "indirect"),
        ("blood is leaking out from under the dressing", "indirect"),
        ("the dressing is sodden", "indirect"),
        ("my daughter's plaster is soaked through", "voice"),
        ("his bandage keeps filling with blood", "voice/time"),
        ("grandad is bleeding through his dressing", "voice"),
        ("bleeding thru my jeans", "register"),
        ("blood soaking thru the plaster", "register"),
        ("the dressing is soaked from the bleeding", "indirect"),
    ],
    "infection": [
        ("I've got a fever since the biopsy yesterday", "voice/time"),
        ("my son has a temperature of 39 tonight", "voice"),
        ("my husband is burning up and shivering", "voice"),
        ("mum's running a temperature since her biopsy", "voice"),
        ("she's got a fever of 38.7", "voice"),
        ("my daughter's biopsy site looks infected", "voice"),
        ("my temperature just went up to 39", "time"),
        ("temp is 102F since this morning", "time/register"),
        ("38.5c and shivery", "register"),
        ("temp 38.5c", "register"),
        ("feaver and chills since yesterday", "register"),
        ("thermometer reading 38.4", "register"),
        ("got a temp of 101 and the hip is red", "register"),
        (
            "Biopsy was on Monday and it healed fine at first, but today the area around the "
            "site is hot, red and really swollen",
            "long",
        ),
        ("the site is hot and red and there's pus", "indirect"),
        ("shivering and burning up", "indirect"),
        ("the biopsy site is swollen and oozing yellow stuff", "indirect"),
        ("the puncture site is weeping pus", "indirect"),
        ("the wound is red and angry and leaking", "indirect"),
        ("my hip is all red and hot where they did the biopsy", "indirect"),
        ("my partner's temp is 39.4", "voice"),
        ("my little girl is burning up, 38.9", "voice"),
        ("his site is red hot and oozing", "voice"),
        ("temp 101.3F", "register"),
        ("103 fever", "register"),
        ("she's been vomiting and has a temp of 38.8", "long"),
        ("I had my biopsy last week and now I have a fever", "long"),
    ],
    "severe_pain": [
        ("I'm screaming in pain right now", "voice/time"),
        ("my son is screaming in pain", "voice"),
        ("my husband is in so much pain he can't move", "voice"),
        ("mum is in terrible pain from her hip", "voice"),
        ("she's crying in agony", "voice"),
        ("the pain is a 10 out of 10 since this morning", "time"),
        ("pain is 9/10 and getting worse", "time"),
        ("the pain is unbearable and the painkillers aren't working", "time"),
        ("i cant cope with the pain anymore", "register"),
        ("the pain is unbareable", "register"),
        ("my hip is in excrutiating pain right now", "register"),
        ("pain so bad im shaking", "register"),
        ("worst pain i've ever had in my life", "register"),
        (
            "The procedure itself was ok and they gave me painkillers, but since about an hour "
            "ago the pain in my hip has become unbearable",
            "long",
        ),
        ("the painkillers arent touching it, the pain is horrendous", "indirect"),
        ("the pain is so bad I can't walk", "indirect"),
        ("the pain is through the roof", "indirect"),
        ("im in severe pain and the painkillers arent working", "indirect"),
        ("he is screaming with pain", "voice"),
        ("my daughter is writhing in agony", "voice"),
        ("pain 10 outta 10", "register"),
        ("the pain is off the charts", "indirect"),
    ],
    "chest_pain": [
        ("I've had chest pain since the sternal tap yesterday", "voice/time"),
        ("my husband has chest pains", "voice"),
        ("dad is complaining of chest pain", "voice"),
        ("she's got a pain in her chest", "voice"),
        ("my son says his chest hurts", "voice"),
        ("mum's chest is hurting badly", "voice"),
        ("chest pain right now", "time"),
        ("tight chest since the sedation", "time"),
        ("chset pain since the sternal biopsy", "register"),
        ("chest is really tight cant get comfy", "register"),
        ("pain in my chest going down my left arm", "register"),
        (
            "They did the sample from my breastbone this morning and I was fine at first but "
            "now I have this pressure in the middle of my chest",
            "long",
        ),
        ("my chest is tight and heavy", "indirect"),
        ("my chest feels heavy", "indirect"),
        ("my chest feels like an elephant is sitting on it", "indirect"),
        ("crushing feeling in my chest", "indirect"),
        ("sharp pain in my chest when i breathe", "indirect"),
        ("he says his chest feels tight", "voice"),
        ("mum has a pain across her chest", "voice"),
        ("my husband is grey and sweaty and says his chest is crushing", "long"),
    ],
    "breathing": [
        ("she can't breathe", "voice"),
        ("my son can't breathe properly", "voice"),
        ("my husband is struggling to breathe", "voice"),
        ("mum is gasping for air", "voice"),
        ("he's gasping", "voice"),
        ("her lips are blue", "voice"),
        ("I can barely breathe right now", "time"),
        ("struggling for breath since the biopsy yesterday", "time"),
        ("cant breathe properly", "register"),
        ("i'm having trouble brething", "register"),
        ("can hardly breath", "register"),
        ("i cant get my breath", "register"),
        (
            "Came home after the biopsy this afternoon, had a nap, and woke up and now I can't "
            "catch my breath",
            "long",
        ),
        ("gasping", "indirect"),
        ("lips are blue", "indirect"),
        ("I feel like I'm suffocating", "indirect"),
        ("breathing is really difficult since the sedation", "indirect"),
        ("dad's breathing is very fast and shallow", "indirect"),
        ("I'm so short of breath I can't talk", "indirect"),
        ("she cant catch her breath", "voice"),
        ("my boy is struggling to get his breath", "voice"),
        ("i cnt breathe properly rn", "register"),
        ("lips going blue", "indirect"),
    ],
    "fainting": [
        ("I fainted twice since the biopsy yesterday", "voice/time"),
        ("my son passed out", "voice"),
        ("my husband fainted in the kitchen", "voice"),
        ("mum collapsed", "voice"),
        ("she's fainted", "voice"),
        ("my wife passed out and won't wake up", "voice"),
        ("he's unconscious", "voice"),
        ("I keep blacking out", "time"),
        ("I keep nearly fainting", "time"),
        ("i'm about to faint", "time"),
        ("feel like im gonna pass out", "register"),
        ("i feel really dizy and faint", "register"),
        ("he blacked out for a few seconds", "register"),
        (
            "The nurse said I could go home after an hour, and I was okay in the car, but when "
            "I got out I passed out on the driveway",
            "long",
        ),
        ("passed out in the bathroom", "indirect"),
        ("everything went black and I woke up on the floor", "indirect"),
        ("she's not responding", "indirect"),
        ("dad collapsed on the floor and isn't waking up", "indirect"),
        ("dad keeps fainting", "voice/time"),
        ("my mum fainted and isnt waking up", "voice"),
        ("she collapsed in the A&E car park", "register"),
        ("he won't wake up", "voice"),
    ],
    "suicidal": [
        ("I don't want to be here anymore", "voice"),
        ("my son says he wants to kill himself", "voice"),
        ("my husband keeps saying he wants to die", "voice"),
        ("mum says she doesn't want to live anymore", "voice"),
        ("she's talking about ending her life", "voice"),
        ("ive been thinking about ending it all since the results", "time"),
        ("i keep thinking about hurting myself", "time"),
        ("thinking about ending it", "register"),
        ("no point going on", "register"),
        ("wanna kill myslef", "register"),
        ("i want to end it", "register"),
        (
            "The biopsy results came back and it's the cancer again, and honestly I don't see "
            "any point in carrying on",
            "long",
        ),
        ("I want to hurt myself", "indirect"),
        ("i feel like ending it", "indirect"),
        ("i cant do this anymore, i want to die", "indirect"),
        ("i'm thinking of taking all my tablets at once", "indirect"),
        ("everyone would be better off if I wasn't here", "indirect"),
        ("i want to disappear forever", "indirect"),
        ("my son keeps saying he wants to end it all", "voice"),
        ("she said she wants to kill herself", "voice"),
        ("he's talking about taking all his pills at once", "voice"),
        ("i just want it all to end", "indirect"),
        ("i dont wanna be here anymore", "register"),
        ("i wish i could just disappear forever", "indirect"),
    ],
}

GRID_ORDINARY: list[str] = [
    # the same words in questions about risk or the future
    "is heavy bleeding common after a biopsy?",
    "will I get a fever from it?",
    "how long does the pain last?",
    "what if it bleeds when I get home?",
    "is chest pain a side effect?",
    "does it hurt to breathe after a sternal tap?",
    "could it bleed a lot?",
    "is fainting normal during the test?",
    "can my son's dressing get soaked in the bath?",
    "what should I do if my husband faints?",
    "what if I cant stop the bleeding?",
    "should I go to A&E if it keeps bleeding?",
    "when should I go to A&E?",
    "how do I know if the site is infected?",
    "what temperature should I call at?",
    "does a bone marrow biopsy cause chest pain?",
    "will I be in agony afterwards?",
    "can the sedation make you stop breathing?",
    "is it normal to shiver after sedation?",
    "how much pain is normal after a biopsy?",
    "is blood on the dressing normal?",
    "is pus normal?",
    "my wife is asking if she will bleed a lot",
    "can I take a bath if the dressing gets wet?",
    "how long should I keep the plaster on?",
    "what are the signs of a heart attack?",
    # worries about what may happen
    "I'm scared I'll pass out at the sight of the needle",
    "my son is terrified he'll faint",
    "I'm scared the pain will be unbearable",
    "I'm worried I won't be able to breathe lying on my front",
    "he was worried he'd pass out but he was fine",
    # the past, and things that have got better
    "my fever went away, can I still have the test?",
    "I had chest pain last year",
    "my daughter had a fever last week, can she still have the biopsy?",
    "mum's fever has gone down now",
    "I fainted once when I had blood taken as a child",
    "i used to faint at the sight of blood",
    "the bleeding stopped after I pressed on it",
    # negation and reassuring facts
    "no bleeding, just a bit sore",
    "not bleeding anymore",
    "no fever and the site looks fine",
    "no chest pain, just tired",
    "not feeling faint anymore",
    "the dressing is dry",
    "the pain is about 3 out of 10",
    "temp is 37.2, is that ok?",
    "I don't want to be here all day, how long does it take?",
    # second wave: the new patterns' own look-alikes
    "what if it's bleeding and won't stop?",
    "how long has it been bleeding for usually?",
    "it bled a little and then stopped",
    "the bleeding stopped but the dressing is a bit damp",
    "can blood run down my leg after the biopsy?",
    "will blood keep coming out after I get home?",
    "is it normal for blood to leak under the dressing?",
    "how do I know if the bleeding is getting worse?",
    "the bleeding has stopped and the bruise is getting worse",
    "the dressing was soaked in iodine",
    "the bandage got soaked when I showered",
    "i'm scared it will bleed through the dressing",
    "what do I do if blood is running down my leg?",
    "i'm thinking of ending the appointment early",
    "i want to end it early if it hurts too much",
    "can i take all my tablets at once in the morning?",
    "I want to take all my tablets together before the test",
    "my fever went down after paracetamol",
    "my fever has gone, when can I book the biopsy?",
    "my temperature went up to 37.5",
    "will my temp go up to 38?",
    "if her temp goes over 38 what should I do",
    "she's not responding to the painkillers",
    "he isn't responding to antibiotics",
    "I called the clinic and they're not responding",
    "my husband won't wake me up for my appointment",
    "my husband didn't wake up during the procedure",
    "the sedation was great, everything went black and I woke up when it was done",
    "he didn't faint, he just felt dizzy",
    "I had chest pain last week but it's gone now",
    "I had chest pain last year and now it's fine",
    "the pain in my chest from the sternal tap went away",
    "is it normal that the pain is going down my leg?",
    "does it feel like someone is sitting on your chest?",
    "will I be crying in pain?",
    "my son cried in pain during the biopsy, will the next one hurt less?",
    "my mum can't breathe through her nose since she has a cold",
    "she's been fine, no bleeding and no fever",
]

# "dressing" (a soaked dressing / bandage / plaster) is reported as the bleeding category.
GRID_CATEGORY = {"dressing": "bleeding"}
GRID_CASES = [
    pytest.param(text, GRID_CATEGORY.get(group, group), id=f"{group}-{axis}-{index}")
    for group, cases in GRID.items()
    for index, (text, axis) in enumerate(cases)
]


@pytest.mark.parametrize("text, category", GRID_CASES)
def test_grid_patient_language_is_a_red_flag(text: str, category: str) -> None:
    flag = detect(text)
    assert flag is not None, f"no red flag in {text!r}"
    assert flag.category == category, f"{text!r}: {flag}"
    assert flag.matched and flag.matched in redflags.normalize_text(text)


@pytest.mark.parametrize("text", GRID_ORDINARY)
def test_grid_same_words_about_risk_past_or_negated_are_not_red_flags(text: str) -> None:
    assert detect(text) is None, f"{text!r}: {detect(text)}"


def test_grid_covers_every_axis_of_every_group() -> None:
    assert len(GRID) == 8
    assert {GRID_CATEGORY.get(group, group) for group in GRID} == set(CATEGORIES)
    for group, cases in GRID.items():
        assert len(cases) >= 15, group
        axes = {part for _, axis in cases for part in axis.split("/")}
        assert {"voice", "time", "register", "long", "indirect"} <= axes, (group, axes)
    assert len(GRID_ORDINARY) >= 40


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


def test_pattern_entry_with_unless_next(tmp_path: Path) -> None:
    rules = tmp_path / "red_flags.yml"
    rules.write_text(
        "words: {}\n"
        "suppress: {}\n"
        "categories:\n"
        "  fainting:\n"
        "    phrases:\n"
        "      - pattern: 'not responding'\n"
        "        unless_next: [to]\n",
        encoding="utf-8",
    )
    nlp = bot_nlp.get_pipeline()
    assert redflags.detect_doc(nlp("she is not responding"), str(rules)) == RedFlag(
        "fainting", "not responding"
    )
    assert redflags.detect_doc(nlp("she is not responding to it"), str(rules)) is None
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "words: {}\nsuppress: {}\ncategories:\n  fainting:\n    phrases:\n"
        "      - {unless_next: [to]}\n",
        encoding="utf-8",
    )
    with pytest.raises(redflags.RulesError, match="pattern"):
        redflags.load_rules(str(bad))


@pytest.mark.parametrize(
    "text, flagged",
    [
        # a past-time marker puts the symptom in the past ...
        ("my daughter had a fever last week", False),
        ("I had chest pain last year", False),
        # ... unless it starts a period lasting until now, or the message moves on to now
        ("I've had a fever since last week", True),
        ("I had my biopsy last week and now I have a fever", True),
        ("I started bleeding last week and it hasn't stopped", True),
        ("my fever started last week and it's still high", True),
        # a symptom that is over
        ("my fever went away", False),
        ("mum's fever has gone down now", False),
        ("the pain in my chest from the sternal tap went away", False),
        # ... but not pain spreading, nor something else that went away
        ("pain in my chest going down my left arm", True),
        ("I have chest pain and the bruise has gone", True),
        # "about" + a time is not "asking about"
        ("since about an hour ago the pain in my hip has become unbearable", True),
        ("I read about unbearable pain after a biopsy", False),
    ],
)
def test_past_and_resolved_context(text: str, flagged: bool) -> None:
    assert (detect(text) is not None) is flagged, f"{text!r}: {detect(text)}"


@pytest.mark.parametrize(
    "text, category",
    [
        # a negation before "stop" says the symptom goes on
        ("she can't stop throwing up blood", "bleeding"),
        ("it hasn't stopped bleeding", "bleeding"),
        ("the pain won't stop and it's unbearable", "severe_pain"),
        ("nothing stops the bleeding", "bleeding"),
        ("he isn't breathing properly", "breathing"),
        ("i dont think i can go on living", "suicidal"),
        ("i cant get my temperature down its 39.5", "infection"),
    ],
)
def test_a_negated_stop_means_the_symptom_goes_on(text: str, category: str) -> None:
    flag = detect(text)
    assert flag is not None and flag.category == category, f"{text!r}: {flag}"


@pytest.mark.parametrize(
    "text",
    [
        "the bleeding stopped an hour ago",
        "I don't have a fever",
        "he isn't breathing through his nose because of a cold",
        "I don't think I can carry on working the day after the biopsy",
        "my chest pain has stopped",
    ],
)
def test_a_plain_negation_still_counts(text: str) -> None:
    assert detect(text) is None, f"{text!r}: {detect(text)}"


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


# ---------------------------------------------------------------------------------------------
# Second grid round: emergencies in patients' own words, by mechanism.
#   question:  the red flag is inside a question or a practical request ("... is that normal?",
#              "should I take ibuprofen?", "can I still shower?", "what should I do?", "why ...")
#   severity:  how bad it is, without the usual keyword ("can't stand up for the pain", "9/10",
#              "painkillers aren't touching it", "went all floppy", "won't clot")
#   sign:      the thing itself described ("smells bad", "red streaks", "band round his chest")
#   voice:     a parent about a child, a partner, an adult child about a parent
#   register:  texting, typos
# The negatives are the same words about risk, the future, general facts and mild symptoms.
# ---------------------------------------------------------------------------------------------

GRID2: dict[str, list[tuple[str, str]]] = {
    "bleeding": [
        ("is it normal that I'm still bleeding through the second dressing?", "question"),
        ("still bleeding thru 2 pads, should I take ibuprofen?", "question/register"),
        ("why does it keep bleeding?", "question"),
        ("it keeps seeping after an hour of pressure, is that normal?", "question/severity"),
        ("my son's hip won't clot, what should I do?", "question/voice"),
        ("there's a puddle of blood on the bed, should we go in?", "question/severity"),
        ("mum has bled through two dressings since teatime", "voice/severity"),
        ("he's soaked the bed with blood", "voice/severity"),
        ("my husband's wound keeps bleeding and bleeding, what do i do", "voice/question"),
        ("dads been bleeding since we got home and its not slowing down", "voice/register"),
        ("the blood just keeps coming, can I still shower?", "question"),
        ("the bleeding won't clot even with pressure", "severity"),
        ("its still oozing after an hour of pressing on it", "severity/register"),
        ("blood wont clot, been pressing 40 mins", "severity/register"),
        ("why does my hip keep bleeding?", "question"),
        ("I've been holding pressure for 20 mins and it's still bleeding", "severity"),
        ("the bleeding is not slowing down at all", "severity"),
    ],
    "dressing": [
        ("is it normal that the dressing is soaked red already?", "question"),
        ("I'm on my third dressing and it's soaked again", "severity"),
        ("her bandage is full of blood again, should we come in?", "question/voice"),
        ("blood's coming through the dressing, what should I do?", "question"),
        ("we've gone through 4 plasters in an hour", "voice/severity"),
        ("the sheets are soaked with blood, is that normal?", "question"),
        ("his pyjamas are soaked red", "voice/severity"),
        ("can I still shower? the dressing is soaked through with blood", "question"),
        ("bled thru 2 pads already", "register/severity"),
        ("blood seeping out the sides of the plaster and it wont stop", "register"),
        ("blood has soaked the sheets overnight, is that normal after a bma?", "question/severity"),
        ("my daughter has bled through the new plaster, should I change it?", "voice/question"),
        ("the 2nd dressing is soaked too", "severity"),
        ("what do I do, the dressing is soaked", "question"),
        ("the blood has gone through the bandage and onto the sofa", "severity"),
        ("soaked bandage, what do I do?", "question/register"),
        ("I've changed the bandage three times and it's still bleeding", "severity"),
    ],
    "infection": [
        ("the site is oozing yellow stuff, is that normal?", "question/sign"),
        ("the wound smells bad and is leaking, what should I do?", "question/sign"),
        ("is it normal that the wound smells bad?", "question/sign"),
        ("there are red streaks spreading up my leg from the site", "sign"),
        ("the hip is hot to touch and I'm shivery, can I take paracetamol?", "question/sign"),
        ("temperature of 38.3 since last night, should I call?", "question"),
        ("my daughter is hot and shivery tonight after her bma", "voice/sign"),
        ("my husband has a temp of 38.4, can he take paracetamol?", "question/voice"),
        ("mum's temperature is 38.2 and she's confused", "voice"),
        ("the site is weeping and smells funny", "sign"),
        ("im hot and shaking, is that normal after the biopsy?", "question/register"),
        ("my hip is hot, red and throbbing, should I take ibuprofen?", "question/sign"),
        ("the puncture site is leaking green gunk", "sign"),
        ("there's a red line going up from the wound", "sign"),
        ("dad's wound stinks and it's oozing", "voice/sign"),
        ("how do I know, the site is hot and red", "question/sign"),
        ("the wound is oozing and throbbing", "sign"),
    ],
    "severe_pain": [
        ("what can I take, the pain in my hip is unbearable and getting worse", "question"),
        ("why does it hurt so much I can't even stand up?", "question/severity"),
        ("I can't stand up for the pain", "severity"),
        ("i cant walk for the pain", "severity/register"),
        ("my son can't move his leg it hurts so much", "voice/severity"),
        ("worst pain of my life, is that normal?", "question/severity"),
        ("pain is 9/10 what can I take", "question/severity"),
        ("the painkillers aren't touching it, should I take more?", "question/severity"),
        ("mum is crying with the pain, what do we do", "voice/question"),
        ("it hurts so much I can't move", "severity"),
        ("is it normal that it hurts so bad im crying?", "question/register"),
        ("the pain is 10/10 even after co-codamol", "severity"),
        ("it hurts too much to move, can i take more codeine?", "question/severity"),
        ("he's in that much pain he can't get out of bed", "voice/severity"),
        ("my hip is so painful I cant put any weight on my leg", "severity/register"),
        ("the co-codamol isn't touching it", "severity"),
        ("he can barely walk for the pain", "voice/severity"),
        ("it hurts that much I'm in tears", "severity"),
    ],
    "chest_pain": [
        ("chest feels heavy when I breathe in", "sign"),
        ("is it normal my chest hurts when I breathe in?", "question"),
        ("why does my chest hurt so much?", "question"),
        ("dad says it feels like a band round his chest", "voice/sign"),
        ("there's a weight on my chest, should I lie down?", "question/sign"),
        ("pain spreading from my chest into my jaw", "sign"),
        ("squeezing in my chest, is that the sedation?", "question/sign"),
        ("my husband is clutching his chest", "voice/sign"),
        ("it feels like someone is sitting on my chest, is that normal?", "question/sign"),
        ("my chestt hurts can i take paracetamol", "register/question"),
        ("mum's got pains in her chest and left arm, should we wait for the GP?", "voice/question"),
        ("is it normal that my chest feels tight?", "question"),
        ("why is my chest so tight?", "question"),
    ],
    "breathing": [
        ("can't catch my breath walking to the loo", "severity"),
        ("wheezing and lips going blue", "sign"),
        ("I get breathless just walking to the toilet, is that normal?", "question/severity"),
        ("why can't I get a full breath?", "question"),
        ("my son is breathing really fast and his ribs are sucking in", "voice/sign"),
        ("she's panting and can't finish a sentence", "voice/severity"),
        ("i can't get enough air in, what should I do?", "question"),
        ("my husband is fighting for breath, should I call?", "voice/question"),
        ("cant breath properly wen i lie down is that the sedation", "question/register"),
        ("dad's breathing is all rattly and he's grey", "voice/sign"),
        ("my chest is tight and i'm wheezing, can I use my inhaler?", "question"),
        ("his breathing sounds funny and he's really pale", "voice/sign"),
        ("I feel like I'm drowning when I lie down", "sign"),
    ],
    "fainting": [
        ("I blacked out in the shower, is that normal?", "question"),
        ("my wife keeled over in the kitchen", "voice"),
        ("he went all floppy and grey", "voice/sign"),
        ("nearly passed out twice since i got home", "register"),
        ("my son went limp and didn't answer me", "voice/sign"),
        ("i came round on the bathroom floor, what should i do?", "question/sign"),
        ("dad keeps nodding off and we can't wake him properly", "voice/sign"),
        ("she fell and won't wake up properly", "voice/sign"),
        ("I almost fainted twice, should I lie down?", "question"),
        ("my legs gave way and I hit the floor", "sign"),
        ("i keep feeling like i'm going to pass out when i stand, is that normal?", "question"),
        ("my daughter went floppy and her eyes rolled back", "voice/sign"),
        ("mum just slumped over at the table", "voice/sign"),
        ("we can't wake her up", "voice/sign"),
    ],
    "suicidal": [
        ("I can't do this anymore", "indirect"),
        ("my family would be better off without me", "indirect"),
        ("I've been looking up how many pills it would take", "indirect"),
        ("what's the point of any of it", "indirect"),
        ("i cant do this any more, whats the point", "indirect/register"),
        ("i don't want to be alive anymore", "indirect"),
        ("my dad says he's had enough of living", "voice"),
        ("my son says there's no point in living, what should I do?", "voice/question"),
        ("honestly I'd be better off dead", "indirect"),
        ("i wish i could go to sleep and not wake up", "indirect"),
        ("my wife said everyone would be better off without her", "voice"),
        ("ive been looking up ways to end it", "indirect/register"),
        ("what's the point in carrying on", "indirect"),
        ("nobody would even notice if i was gone", "indirect"),
        ("what's the point of it all", "indirect"),
        ("i've had enough of life", "indirect"),
        ("she's been googling how to overdose", "voice"),
        ("I've taken an overdose", "indirect"),
        ("my son says he's going to hurt himself tonight", "voice"),
        ("i have a bottle of pills and i want to take them all", "indirect"),
    ],
}

GRID2_ORDINARY: list[str] = [
    # the brief's own examples: risk, the future, mild symptoms
    "is heavy bleeding common?",
    "what if I get a fever?",
    "how long does the pain last?",
    "will it hurt a lot?",
    "is it normal to be sore for a few days?",
    "can I take paracetamol for the soreness?",
    "does it hurt more than a blood test?",
    "I'm terrified it will be unbearable",
    "it's a bit sore today",
    "slight bruising",
    "a little spot of blood on the plaster",
    # pain: future, general and mild
    "will it hurt so much that I can't walk afterwards?",
    "does it hurt so much you can't walk?",
    "will I be able to walk after the biopsy?",
    "how long until I can walk normally?",
    "I can't walk far anyway because of my arthritis, will that matter?",
    "can I take ibuprofen if the pain gets bad?",
    "what's the worst pain people get after a biopsy?",
    "is the pain usually 9/10?",
    "the pain is about 2/10 today",
    "the painkillers are working well",
    "the painkillers aren't really working, it's still a bit sore",
    "do the painkillers make you drowsy?",
    "will I need strong painkillers?",
    "I'm worried I'll be crying with pain",
    "will I be in tears from the pain?",
    "my hip is a bit achy, can I take paracetamol?",
    "it hurts a bit when I sit down",
    "it hurts when I walk, is that normal?",
    "can I walk the dog tomorrow or will it hurt too much?",
    "why does the biopsy hurt more than a blood test?",
    # bleeding and dressings
    "my blood doesn't clot well because of my low platelets, is that a problem?",
    "how long does it take for the site to clot?",
    "will the dressing soak through if I shower?",
    "how many dressings should I bring?",
    "should I change the dressing tomorrow?",
    "I soaked the bandage in the shower by accident, should I change it?",
    "I went through the dressing instructions with the nurse",
    "a tiny bit of blood on the dressing, is that ok?",
    "there's a small spot of blood on the plaster",
    "how much blood loss is normal?",
    "could the bleeding soak through the bed?",
    "should I bring a towel in case it soaks the bed?",
    "will it keep bleeding after I get home?",
    "why do some people bleed a lot after a biopsy?",
    "it oozed a little bit last night but it's stopped now",
    # infection
    "the site is slightly pink, is that normal?",
    "does the wound smell if it's infected?",
    "what does an infected wound smell like?",
    "the plaster smells of antiseptic",
    "is it normal for it to ooze a little clear fluid?",
    "will I get red streaks if it gets infected?",
    "my temp is 37.1, all good",
    "it's hot and sunny today, can I sit in the garden?",
    "can I have hot and cold drinks after the sedation?",
    # chest and breathing
    "does it hurt to breathe in after a sternal tap?",
    "will my chest hurt after the sternal aspiration?",
    "how long does your chest hurt for after a sternal tap?",
    "why does my chest need to be cleaned before a sternal tap?",
    "can I use my inhaler before the biopsy?",
    "I have asthma, will the sedation affect my breathing?",
    "why can't I eat before the sedation?",
    "is it normal for breathing to be fast under sedation?",
    "what does it mean if your breathing sounds funny?",
    # fainting
    "what if I faint when I see the needle?",
    "do people ever pass out during the test?",
    "I felt a bit lightheaded but I'm fine now",
    "the plaster fell on the floor, can I reuse it?",
    "I dropped my phone on the floor during the biopsy lol",
    "my legs feel a bit wobbly after the sedation",
    "my arm went a bit numb, is that normal?",
    # suicidal look-alikes: no despair
    "I can't do this test, I'm too scared",
    "I can't do this on my own, can my husband come with me?",
    "i cant do this without sedation",
    "I can't do this tomorrow, can we rebook?",
    "what's the point of the test if the scan was clear?",
    "what's the point of any of these tests?",
    "what's the point of any of it if the results don't change anything?",
    "how many pills should I take before the biopsy?",
    "how many painkillers can I take in a day?",
    "I looked up how many paracetamol I can take in a day",
    "I'm so tired of waiting for results",
    "I wish I could just sleep through the whole procedure",
    "my son can't wait to go home",
    "would anyone notice if I skipped the fasting?",
    "I soaked the bed with sweat last night, is that normal?",
    "my chest is a bit sore where they did the sternal tap",
    'fever after a bone marrow biopsy, is that common?',
    "what's worse, the bleeding or the fever?",
    'what should I look out for, the leaflet mentions fever and chills',
    'why do some people faint after the biopsy?',
    'why does the biopsy cause bleeding?',
    'why would it keep bleeding?',
    'why does it hurt more on the left side?',
    'will my chest feel tight after the sedation?',
    'is it normal that your chest hurts after a sternal tap?',
    'does the dressing get soaked when you shower?',
    'can the plaster get soaked in the bath?',
    'will it hurt too much to walk afterwards?',
    "what if the painkillers don't work at all?",
    "I can't sleep for worrying about the results",
    "I can't walk far, will they give me a wheelchair?",
    "I've had enough of waiting",
    "I can't do this anymore without my husband there, can he come?",
    'how many tablets will it take to clear the infection?',
    'I looked up ways to reduce the pain',
    "I just want to go to sleep during it and not wake up until it's done",
    'the wound smells of iodine',
    "does the wound smell bad when it's infected?",
    'hot and cold packs for the bruise?',
    "my blood won't clot well, does that matter?",
    'drowning in forms here lol',
    "I'm crying because I'm scared of the biopsy",
    'a little bit of oozing on the plaster',
    'i came round from the sedation quickly',
    "will the puncture site keep bleeding once I get home",
    "what happens if I take too many paracetamol by mistake?",
    "I'm scared I'm going to hurt myself getting off the couch",
    "should I take them all before the test?",
    "will I need to change the dressing if it's still bleeding?",
]


def test_grid2_is_big_enough() -> None:
    assert {GRID_CATEGORY.get(group, group) for group in GRID2} == set(CATEGORIES)
    for group, cases in GRID2.items():
        assert len(cases) >= 12, group
    assert len(GRID2_ORDINARY) >= 60


GRID2_CASES = [
    pytest.param(text, GRID_CATEGORY.get(group, group), id=f"{group}-{axis}-{index}")
    for group, cases in GRID2.items()
    for index, (text, axis) in enumerate(cases)
]


@pytest.mark.parametrize("text, category", GRID2_CASES)
def test_grid2_emergency_in_patient_words_is_a_red_flag(text: str, category: str) -> None:
    flag = detect(text)
    assert flag is not None, f"no red flag in {text!r}"
    assert flag.category == category, f"{text!r}: {flag}"
    assert flag.matched and flag.matched in redflags.normalize_text(text)


@pytest.mark.parametrize("text", GRID2_ORDINARY)
def test_grid2_risk_future_and_mild_are_not_red_flags(text: str) -> None:
    assert detect(text) is None, f"{text!r}: {detect(text)}"


def test_the_independent_development_set_of_emergencies():
    """tests/dev/emergencies.yml: 150 emergencies and 100 look-alikes written by an author who saw
    neither these rules nor the held-out sets. Every emergency is caught; at most 2 look-alikes
    (a past fever with "still" later in the sentence; a past chill resolved after a comma) are
    flagged."""
    import yaml

    from bot import PROJECT_ROOT

    data = yaml.safe_load((PROJECT_ROOT / "tests" / "dev" / "emergencies.yml").read_text())
    missed = [e["text"] for e in data["emergencies"] if redflags.detect(e["text"]) is None]
    flagged = [o["text"] for o in data["ordinary"] if redflags.detect(o["text"]) is not None]
    assert missed == []
    assert len(flagged) <= 2, flagged


def test_the_second_independent_development_set_of_emergencies():
    """tests/dev/emergencies2.yml: 140 emergencies and 90 look-alikes by another author who saw
    neither the rules nor the other sets (buried in long messages, asked as questions, other
    people, colloquial). 139 are caught (the one missed, "should I be worried about a pain in my
    chest that's spreading...", reads as a general question); the look-alikes flagged are
    figurative or past ("nearly collapsed laughing", "used to self-harm"), at most 9."""
    import yaml

    from bot import PROJECT_ROOT

    data = yaml.safe_load((PROJECT_ROOT / "tests" / "dev" / "emergencies2.yml").read_text())
    missed = [e["text"] for e in data["emergencies"] if redflags.detect(e["text"]) is None]
    flagged = [o["text"] for o in data["ordinary"] if redflags.detect(o["text"]) is not None]
    assert len(missed) <= 1, missed
    assert len(flagged) <= 9, flagged


@pytest.mark.parametrize("text", [
    "is it normal that he's bled through 3 dressings since lunch? it's still going",
    "should I be worried that I can't catch my breath?",
    "Should I be worried that the pad is heavy and dripping and blood's run all the way down "
    "to my knee?",
])
def test_a_question_that_takes_the_symptom_as_a_fact_is_a_red_flag(text):
    assert detect(text) is not None


@pytest.mark.parametrize("text", [
    "is it normal that your chest hurts after a sternal tap?",
    "should I be worried about a fever after a biopsy?",
])
def test_a_general_question_is_still_not_a_red_flag(text):
    assert detect(text) is None, detect(text)


def test_the_development_set_of_emergencies_inside_conversations():
    """tests/dev/emergency_conversations.yml: 50 conversations by an author who saw neither the
    rules nor the other sets, one emergency turn each among ordinary questions with alarm words.
    Every emergency turn is caught (the last one by the onset in the message: "Is it normal to
    have chest pain when I breathe in? Started this morning and it's getting sharper"); no
    other turn is flagged."""
    import yaml

    from bot import PROJECT_ROOT

    path = PROJECT_ROOT / "tests" / "dev" / "emergency_conversations.yml"
    turns = [t for c in yaml.safe_load(path.read_text())["conversations"] for t in c["turns"]]
    emergencies = [t["user"] for t in turns if t["expect"] == "emergency"]
    others = [t["user"] for t in turns if t["expect"] != "emergency"]
    assert len(emergencies) == 50
    assert [t for t in emergencies if redflags.detect(t) is None] == []
    assert [t for t in others if redflags.detect(t) is not None] == []


@pytest.mark.parametrize("text, flagged", [
    ("is it normal to be short of breath after sedation? it started an hour ago", True),
    ("is it normal to have chest pain after a biopsy?", False),
    ("what are the risks of bleeding? I started my period this morning", False),
    ("what if I get chest pain after the sternal tap? I'm getting more nervous", False),
])
def test_a_question_about_chest_pain_or_breathing_with_its_onset_is_a_red_flag(text, flagged):
    assert (detect(text) is not None) is flagged, detect(text)


@pytest.mark.parametrize("text, flagged", [
    ("honestly how bad is the trephine, people online say it's agony", False),
    ("apparently it's agony", False),
    ("my husband says the pain is unbearable", True),  # his own report, not hearsay
    ("it keeps coming even though I've pressed on it for 20 minutes", True),
    ("the back of my trousers was wet and it's blood, quite a lot of it", True),
    ("the pain in my hip has suddenly gone through the roof, 10 out of 10", True),
])
def test_hearsay_is_not_a_report_and_new_phrasings_are(text, flagged):
    assert (detect(text) is not None) is flagged, detect(text)


@pytest.mark.parametrize("name", [
    "fresh_messages.yml", "fresh_conversations.yml", "fresh_chats.yml"])
def test_the_session_6_development_sets_emergencies_and_nothing_else(name):
    """tests/dev/fresh_*.yml (written by authors who saw neither the rules nor the other sets):
    every emergency caught, no other message or turn flagged."""
    import yaml

    from bot import PROJECT_ROOT

    data = yaml.safe_load((PROJECT_ROOT / "tests" / "dev" / name).read_text())
    items = [(m["text"], m["expect"]) for m in data.get("messages") or []] + [
        (t["user"], t["expect"]) for c in data.get("conversations") or [] for t in c["turns"]]
    emergencies = [text for text, expect in items if expect == "emergency"]
    others = [text for text, expect in items if expect != "emergency"]
    assert emergencies
    assert [t for t in emergencies if redflags.detect(t) is None] == []
    assert [t for t in others if redflags.detect(t) is not None] == []



@pytest.mark.parametrize("text", [
    "I can't breathe a word of this to my mum yet, how do I tell her I'm having a biopsy",
    "last time I had a BMA I felt faint afterwards but was fine after a biscuit",
    "My uncle collapsed after his biopsy back in 2019 but it turned out to be low blood sugar",
    "what happens right after they pull the needle out? i bleed a lot from normal blood tests",
])
def test_idioms_and_what_happened_before_are_not_red_flags(text):
    assert detect(text) is None, detect(text)



@pytest.mark.parametrize("text, flagged", [
    # a conditional that says it is happening now is a report
    ("do I need to go to A&E if I've got a temperature of 38.5 now? had my biopsy 3 days ago",
     True),
    ("should I ring someone if the dressing keeps filling with blood? changed it twice already",
     True),
    ("should I go to A&E if it keeps bleeding?", False),
    ("what should I do if the site starts bleeding when I get home?", False),
    ("what if I've got a temperature of 38.5 tomorrow?", False),
    ("what should I do if I get a fever after the test?", False),
    # it nearly happened
    ("I nearly fainted when I saw the price of the hospital parking", False),
    ("the results nearly gave me a heart attack, good news though!", False),
    ("I keep nearly blacking out when I stand up since the biopsy", True),
    # a habit or the last time
    ("I fainted at my last blood test, will I faint again?", False),
    ("I always feel faint around needles, can I lie down for it?", False),
    ("it's injections I hate. I've fainted at jabs before. Does the numbing sting?", False),
    ("it's bleeding more than before, the dressing is soaked", True),
    ("the dressing is soaked, I've never bled like this before", True),
    # painkillers that do nothing, in more words
    ("mum had her bma today, she's moaning in pain and the tablets they sent her home with aren't"
     " helping", True),
    ("I have very strong pain now in the back, I take 2 paracetamol but no change", True),
    ("She's been anaemic for months and the iron tablets aren't helping, why check her marrow?",
     False),
    ("the throbbing is unbearable, getting worse every hour", True),
    # suicidal, non-native and texting
    ("I am thinking to finish my life, I am tired of this illness", True),
    ("kms fr, cant face another needle", True),
    ("the hospital is 20 kms away, how do I get there?", False),
    # someone else's test, a tendency (session 7, tests/dev/blind8_messages.yml)
    ("My friend said hers was agony and now I can't sleep for worrying. Is it really that bad?",
     False),
    ("she bruises easy and bleeds a lot, should she tell them", False),
    ("she's bleeding a lot from the biopsy site and it won't stop", True),
])
def test_session_7_rules(text, flagged):
    assert (detect(text) is not None) is flagged, detect(text)



@pytest.mark.parametrize("text, flagged", [
    # someone else's test, told to ask about one's own
    ("my dad bled a lot after his, should I be worried for mine?", False),
    ("my friend's was agony, will mine be too?", False),
    ("my colleague got a fever after her biopsy, she was fine but it put me off", False),
    ("my dad bled a lot after his biopsy and it's still going, will mine?", True),  # now
    ("my husband had his biopsy and he is bleeding heavily, will mine be like that?", True),
    # new phrasings (tests/dev/emergencies6.yml)
    ("is it normal? changed the dressing 3 times already", True),
    ("the bed is wet with blood from where they did the aspirate", True),
    ("can't put any weight on my leg since the biopsy, screaming when I move", True),
    ("I'm panting just sitting still", True),
    ("I can't get enough air", True),
    ("taken the max painkillers and it's still agony", True),
    ("I've been cutting myself since the diagnosis", True),
    # history
    ("I had terrible pain for a week after my last trephine, is that usual?", False),
    ("My son had a temperature on Monday but it went by Tuesday, his biopsy is Friday", False),
])
def test_session_7_stories_and_new_phrasings(text, flagged):
    assert (detect(text) is not None) is flagged, detect(text)


@pytest.mark.parametrize("text, flagged", [
    # an overdose planned, by the patient or someone they tell about (tests/dev/emergencies7.yml)
    ("I plan to take an overdose tonight", True),
    ("my son says he is going to take an overdose", True),
    ("I don't want to take an overdose of paracetamol by accident", False),
    # cardiac pain behind the breastbone, not the soreness of a sternal aspiration
    ("crushing pain behind my breastbone since an hour ago", True),
    ("a bit sore behind the breastbone where they took the sample", False),
    # a measured fever asked about is a fever had
    ("is it normal to run a temperature of 38.7 the day after the biopsy?", True),
    ("is it normal to have a temperature of 37.4 after the test?", False),
    ("what if I get a fever of 38 after the test?", False),
    # someone the patient heard about, asked about in general
    ("a woman on the ward got an infection after hers, is that common?", False),
    ("someone in my group bled loads, how can I avoid that?", False),
    ("my neighbour is bleeding heavily after his biopsy, is that common?", True),
    ("my cousin can't breathe after her sedation, is that common?", True),
    # figures of speech and history
    ("the thought of that needle makes me want to faint", False),
    ("almost had a heart attack when the results letter arrived", False),
    ("had a heart attack 10 yrs ago, is sedation safe?", False),
    # waiting as the thing that is agony (tests/dev/blind12_messages.yml), not a report
    ("the not knowing is agony", False),
    ("the waiting is killing me, when do results come?", False),
    ("I'm waiting for the ambulance and the bleeding won't stop", True),
    ("I can't wait any longer, the pain is agony", True),
])
def test_session_8_rules(text, flagged):
    assert (detect(text) is not None) is flagged, detect(text)


@pytest.mark.parametrize("text, flagged", [
    # the reason for the test, not a report (tests/dev/blind14_messages.yml)
    ("Ive had loads of infections and fevers this year and now theyre sending me for a bone "
     "marrow aspiration", False),
    ("he gets breathless on the stairs, that's why they want a biopsy", False),
    ("breathless climbing up to the ward", False),
    # still reports
    ("I'm breathless walking to the toilet since the biopsy", True),
    ("he is breathless and his lips are blue", True),
    ("I have a fever this morning after my biopsy", True),
])
def test_session_9_rules(text, flagged):
    assert (detect(text) is not None) is flagged, detect(text)


@pytest.mark.parametrize("name, caught_at_least, flagged_at_most", [
    # 160 emergencies, 100 look-alikes (session 6; measures the second line, never trained on).
    # The rules alone caught 110 and flagged 5 when it arrived. Flagged:
    # "the results nearly gave me a heart attack" and "my sister bled loads after hers" were
    # fixed in session 7.
    ("emergencies3.yml", 114, 0),
    # 140 / 140 (session 7, then the second line's training data): 110 caught, 6 flagged on
    # arrival. Still flagged: "I'd rather die than sit in that waiting room" (the same words say
    # both) and "my friend said her biopsy bled loads, does that happen often?".
    ("emergencies4.yml", 119, 2),
    # 140 / 160 hard look-alikes (session 7; only measures: never read, never trained on):
    # 113 caught and 20 flagged before session 7's rule changes.
    ("emergencies5.yml", 115, 8),
    # 60 / 240 look-alikes (session 7, then training data): 52 caught, 17 flagged on arrival.
    ("emergencies6.yml", 59, 8),
    # 60 / 240 look-alikes in six groups (session 8): 53 caught, 11 flagged on arrival. Still
    # flagged: "I'd rather die than go through that again" (kept, see emergencies4), a mother's
    # fever after her chemo, a spot that bled and stopped. (Breathless on stairs with COPD is no
    # longer flagged since session 9.)
    ("emergencies7.yml", 56, 3),
    # 70 / 200 look-alikes in six groups (session 17, written blind, then a development set):
    # the rules alone caught 50 and flagged 6 on arrival; the whole pipeline 67 and 9.
    ("emergencies8.yml", 52, 5),
    # 70 / 200 look-alikes in six groups (session 18, written blind, then a development set):
    # the rules alone caught 50 and flagged 11 on arrival. Still flagged: four mentions of
    # suicide in the past (suicidal thoughts always count), a friend's "worst pain of her
    # life", an inhaler used "when I'm breathless".
    ("emergencies9.yml", 69, 6),
    # 70 / 200 look-alikes in six groups (session 19, written blind, then a development set):
    # the rules alone caught 62 and flagged 6 on arrival. Still flagged: a cousin's fever "and
    # ended up in hospital", a story of a biopsy that "got infected". Missed by the rules (the
    # learned second line catches them): "8/10 pain ... cant sit cant lie cant stand, crying",
    # "I can't bend or walk and it's shooting down my leg, getting worse every hour".
    ("emergencies10.yml", 68, 2),
])
def test_blind_development_sets_of_emergencies_by_the_rules(
        name, caught_at_least, flagged_at_most):
    """Sets written by authors who saw neither the rules nor the other sets: what the rules
    alone catch and flag (the learned second line, bot/safety_net.py, catches more)."""
    import yaml

    from bot import PROJECT_ROOT

    data = yaml.safe_load((PROJECT_ROOT / "tests" / "dev" / name).read_text())
    caught = [e["text"] for e in data["emergencies"] if redflags.detect(e["text"]) is not None]
    flagged = [o["text"] for o in data["ordinary"] if redflags.detect(o["text"]) is not None]
    assert len(caught) >= caught_at_least
    assert len(flagged) <= flagged_at_most


def test_fainted_once_at_a_blood_test_is_history():
    assert detect("He fainted once at a blood test and now he's convinced he'll pass out") is None
    assert detect("he fainted at the hospital just now") is not None


@pytest.mark.parametrize("text, flagged", [
    # how a child takes tests and a faint at someone's last blood test, not reports
    # (tests/dev/blind20_conversations.yml)
    ("she screams every time, does it actually hurt that much or is it fear", False),
    ("She fainted at her last blood test and she's been on edge all week", False),
    ("he fainted at his last blood test, is that a problem", False),
    # still reports
    ("he's screaming every time he moves his leg, nothing is helping", True),
    ("she screams every time i touch the plaster", True),
    ("she screams every time someone goes near her hip since the biopsy", True),
    ("she just fainted in the car park after her biopsy", True),
])
def test_session_10_rules(text, flagged):
    assert (detect(text) is not None) is flagged, detect(text)


@pytest.mark.parametrize("text, flagged", [
    # a faint in a year gone by, and the risks the nurse told about
    # (tests/dev/blind29_conversations.yml)
    ("I had a bone marrow aspiration in 2019 which was very painful, and I fainted in the "
     "corridor afterwards. What will the trephine feel like compared with that?", False),
    ("I fainted in 2019 at my last biopsy", False),
    ("the nurse said serious bleeding or infection is rare but how rare is rare", False),
    # still reports
    ("I had my biopsy in 2019 and now I fainted in the kitchen", True),
    ("I'm bleeding heavily and it won't stop, is that rare", True),
    ("I have a fever and chills after my biopsy", True),
])
def test_session_11_rules(text, flagged):
    assert (detect(text) is not None) is flagged, detect(text)


@pytest.mark.parametrize("text, flagged", [
    # (session 11, tests/dev/blind33_conversations.yml) a question opened with "yo", what the
    # test investigates, a symptom that comes with anxiety
    ("yo does a bmb hurt like hell", False),
    ("they think an infection is behind my fevers, can the aspiration find that", False),
    ("i get short of breath when im anxious, how much will the aspirate hurt", False),
    ("she gets breathless when shes stressed", False),
    # still reports
    ("yo im bleeding loads and it wont stop", True),
    ("I get short of breath when I walk since the biopsy", True),
    ("i have a fever of 39 now and they dont know what is causing it", True),
])
def test_session_11_more_rules(text, flagged):
    assert (detect(text) is not None) is flagged, detect(text)


@pytest.mark.parametrize("text, flagged", [
    # (session 11, measure-only sets after their one measurement) iron tablets, a belief about
    # the pain, a bleeding tendency, fevers that are the reason for the test
    ("My father has been anaemic for a while and they couldn't find out why, the iron tablets "
     "did nothing. Can you tell me why they would do this test?", False),
    ("he's convinced it's going to be agony, is it?", False),
    ("do they need to know that I bleed a lot from small cuts", False),
    ("I've had fevers on and off for weeks that nobody can explain and now they're talking about "
     "a bone marrow test. Can it find infections?", False),
    # still reports
    ("the painkillers did nothing", True),
    ("the pain is agony", True),
    ("I've had a fever for weeks since the biopsy", True),
    ("rigors on and off all afternoon, had the trephine done on wednesday", True),
])
def test_session_11_measure_only_rules(text, flagged):
    assert (detect(text) is not None) is flagged, detect(text)


@pytest.mark.parametrize("text, flagged", [
    # (session 13, tests/dev/blind12, blind13, blind45, blind46) the symptom the test is to find
    # the cause of, a little bleeding asked about, a serious bleed feared
    ("so basically ive had bruises everywhere and my gums keep bleeding and now theyre saying i "
     "need a bone marrow biopsy to find out why, is it gonna be really painful", False),
    ("theres a little bit of bleeding coming through the plaster, normal?", False),
    ("I dont want to end up with a serious bleed from the aspirate, how likely is that", False),
    # still reports
    ("a little bit of bleeding at first but now its soaked through the plaster", True),
    ("theres a little bit of bleeding coming through the plaster and it wont stop", True),
    ("bleeding heavily from the biopsy site, do i need a test to find out why", True),
    ("my hip keeps bleeding since the biopsy, they want another test to find out why", True),
    ("my nose keeps bleeding and wont stop, its been an hour", True),
    ("Should I call 999? Chest pain on and off for the last hour", True),
    ("bleeding really heavy from where they did the aspiration help", True),
    # a past marker that dates the test after "since" starts a period lasting until now
    ("temp 102 F and chills since my son's bone marrow biopsy on monday", True),
    ("he has a temp of 39 since his biopsy on monday", True),
])
def test_session_13_rules(text, flagged):
    assert (detect(text) is not None) is flagged, detect(text)


@pytest.mark.parametrize("text, flagged", [
    # (session 15, tests/dev/blind47, blind50) a symptom before the test, or one the test is to
    # explain, asked "how would the test help": the reason for the test
    ("my husband has had on and off temperatures for a while, how will the biopsy help", False),
    ("I was getting night sweats and a fever the week before, what are they checking for", False),
    ("she had a high temperature the day before her marrow test, is that why they did it", False),
    ("my son gets nosebleeds and the gp wants a marrow test to see whats causing them", False),
    # still reports: now, measured, or tied to the test
    ("fever of 39.5 now, how would the biopsy help with that", True),
    ("he's had fevers up to 39.8, how would the biopsy help", True),
    ("I've got a temperature of 39 since the aspiration, how does the test help", True),
    ("rigors on and off all afternoon, had the trephine done on wednesday", True),
    ("fever and shivering since the day before yesterday after my biopsy and still going", True),
])
def test_session_15_rules(text, flagged):
    assert (detect(text) is not None) is flagged, detect(text)


@pytest.mark.parametrize("text, flagged", [
    # (session 16, tests/dev/blind48) a symptom through a season, the reason for the test; a
    # follow-up asking how often, texted without "?"
    ("I've had a fever and infections on and off all winter and now they want a marrow biopsy. "
     "Is that what it's for?", False),
    ("she's had nosebleeds for the past few months, is that why they want the aspiration", False),
    ("and serious bleeding, how common", False),
    ("heavy bleeding after the biopsy how likely", False),
    # still reports: now, in the first person, or tied to the test
    ("I've had a fever on and off all winter and today it's 39.5", True),
    ("fevers all winter and since the biopsy I'm burning up", True),
    ("serious bleeding from my hip, how common is that", True),
    ("i have a fever of 39 how common is that after a biopsy", True),
])
def test_session_16_rules(text, flagged):
    assert (detect(text) is not None) is flagged, detect(text)


@pytest.mark.parametrize("text, flagged", [
    # (session 17, tests/dev/emergencies8) blood brought up; sudden confusion; a story about
    # someone else's test asking how likely it is
    ("i've been throwing up bright red blood for the last half hour", True),
    ("my mum is really confused and doesn't know where she is since the test", True),
    ("grandad keeps talking nonsense and doesnt recognise me tonight", True),
    ("she doesn't know where she is supposed to go for the test", False),
    ("he doesn't recognise the name of the test", False),
    ("a woman in my support group got an infection after hers, how likely is that", False),
    # (session 17, tests/dev/blind60) the bloodstream written as two words; a habit
    ("hw do they collect stem cells frm the blood stream", False),
    ("the blood streams out of my hip", True),
    ("blood is streaming out of the hole", True),
    ("He won't read the leaflet himself because it makes him feel faint. Could you walk me "
     "through it?", False),
    ("the pain is making me feel faint", True),
])
def test_session_17_rules(text, flagged):
    assert (detect(text) is not None) is flagged, detect(text)


@pytest.mark.parametrize("text, flagged", [
    # (session 18, tests/dev/emergencies9) a negated modal with its subject left out tells
    ("can't stay awake, keep drifting off mid sentence", True),
    ("cant remember if it hurts", False),
    ("can't I eat before?", False),
    # blood through clothes and furniture, that won't stop seeping, that pools, wells up
    ("it's still coming through her leggings", True),
    ("the bed is soaked from under the plaster, it wont stop seeping", True),
    ("changed her pad for the 4th time in an hour", True),
    ("a nosebleed that won't stop", True),
    ("a swelling under the skin that keeps getting bigger", True),
    ("it's pooling in my hand", True),
    ("dark red welling up through his t-shirt", True),
    # pain that makes someone sick or sob, relief that does nothing, at the site
    ("my hip hurts so badly I'm being sick", True),
    ("the site is so sore she's rocking and sobbing", True),
    ("took 2 co-codamol and nothing", True),
    ("excruciating at the aspiration site", True),
    # chest, breathing, collapse, overdose, no point
    ("a crushing ache right across my chest", True),
    ("sudden sharp stabbing in my chest", True),
    ("I can only say a couple of words at a time", True),
    ("his breathing has gone really slow", True),
    ("dad's slumped in his chair not responding to us", True),
    ("he went down on the floor, out cold", True),
    ("she's hard to rouse", True),
    ("she's swallowed a load of paracetamol", True),
    ("dont see the point of anything any more", True),
    ("I don't see the point of it, why do they need a biopsy", False),
    # over, or a habit: past the old window, after "but it ...", during the last test
    ("I was a bit short of breath after the stairs but it settled once I sat down", False),
    ("bleeding a lot but it hasn't stopped", True),
    ("my mum can't breathe properly, she's gone a funny colour", True),
    ("I keep blacking out when I stand up, I've ended up on the floor twice", True),
    ("The feverish feeling I had after my flu jab went away in a day", False),
    ("I felt faint during the last aspiration but they laid me down", False),
    ("My husband gets a fever with nearly every chemo cycle", False),
    ("I get recurrent fevers from my autoimmune condition", False),
])
def test_session_18_rules(text, flagged):
    assert (detect(text) is not None) is flagged, detect(text)


@pytest.mark.parametrize("text, flagged", [
    # (session 18, tests/dev/blind56) one time, in the past, told right after the symptom
    ("I fainted during a blood test once and now I've got a bone marrow aspiration booked", False),
    ("once I stood up I fainted", True),
    ("I fainted once today", True),
    ("I fainted once already", True),
])
def test_session_18_once(text, flagged):
    assert (detect(text) is not None) is flagged, detect(text)


@pytest.mark.parametrize("text, flagged", [
    # (session 19, tests/dev/emergencies10.yml) new report forms
    ("every time I let go of the wound it spurts again", True),
    ("the site gushes out when I stand up", True),
    ("will it spurt out when they take the needle out?", False),
    ("I'm sitting on the bridge near the hospital", True),
    ("standing on the edge of the roof", True),
    ("slurring his words since he got home", True),
    ("the redness round the plaster has spread across my back", True),
    ("shaking with a thermometer reading of 38.4", True),
    ("it hurts so much and I can't move my leg at all", True),
    # someone else's test, before: "when she had hers"
    ("my gran nearly fainted at the sight of blood when she had hers", False),
    ("when he had his they took it from his hip and it bled through his shirt", False),
    # all well again later in the sentence
    ("had a temp of 37.9 last night, it's back to normal today", False),
    ("my son had a fever the night of his test, GP said it was a cold, he's fine now", False),
    ("she fainted in the kitchen, she's fine now", False),
    ("had a fever last night and it's still 38.5, she's fine now", True),
    ("my fever is 39, he's not fine now", True),
    ("my wife is bleeding heavily, the kids are fine now", True),
])
def test_session_19_rules(text, flagged):
    assert (detect(text) is not None) is flagged, detect(text)


@pytest.mark.parametrize("text, flagged", [
    # (tests/dev/blind74) the symptom why a test is wanted, someone's account of how a test went
    ("Hi, sorry this is long. My nan is 88 and lives with us, she's been really tired and "
     "breathless and her bloods came back strange, so now the hospital want to do a bone marrow "
     "test. What actually happens during it?", False),
    ("he gets breathless and his counts are low so they are sending him for a marrow test", False),
    ("my friend had a bone marrow biopsy and said it was the worst pain of her life, is that "
     "normal?", False),
    ("my sister had a trephine and told me it was the worst pain ever, will mine be like that",
     False),
    # still reports: now, a test had before, a report, or the account told as happening now
    ("she's really breathless so they want to do a chest test now", True),
    ("I had my biopsy this morning and now I'm breathless so they want to do a test", True),
    ("after the aspiration he got breathless, so they want to do a scan", True),
    ("my mum had her biopsy and said it was the worst pain of her life, now she can't stand", True),
    ("she said it was the worst pain she has ever felt and it is still getting worse", True),
])
def test_symptom_why_a_test_is_wanted_and_accounts_of_a_test(text, flagged):
    assert (detect(text) is not None) is flagged, detect(text)


def test_running_only_the_rules_a_message_can_match_finds_every_match():
    # bot/redflags/patterns.py files each rule under the words of one required token; the
    # matches must be those of one Matcher of every rule, on every emergency set's messages
    import yaml

    from bot.redflags.patterns import _matcher_for, matches
    from bot.redflags.text import normalize_text

    nlp = bot_nlp.get_pipeline()
    texts = set()
    for path in sorted((Path(__file__).parents[1] / "dev").glob("emergenc*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for kind in ("emergencies", "ordinary"):
            texts.update(str(item["text"]) for item in data.get(kind) or [])
        for conversation in data.get("conversations") or []:
            texts.update(str(turn["user"]) for turn in conversation["turns"])
    assert len(texts) > 2000
    full, _ = _matcher_for(nlp.vocab)
    matched = 0
    for text in sorted(texts):
        doc = nlp(normalize_text(text))
        expected = sorted(set(full(doc)), key=lambda m: (m[1], m[2], m[0]))
        found, _ = matches(doc)
        assert found == expected, text
        matched += bool(found)
    assert matched > 1000  # most of these messages match some rule
