"""bot/asks/: what a message asks, read from its words (the readings added in session 9, from the
blind development sets tests/dev/blind13-15; earlier ones are tested through the actions)."""

from __future__ import annotations

import pytest

from bot.asks.circumstances import asks_what_to_tell_them
from bot.asks.declines import asks_beyond_the_leaflets
from bot.asks.definitions import is_definition_question
from bot.asks.how_it_is_done import (
    asks_about_both_together,
    asks_how_it_is_done,
    asks_how_much_they_take,
    asks_how_the_sample_is_taken,
    asks_what_happens_to_the_sample,
    asks_what_is_put_on_after,
    takes_the_liquid_alongside,
)
from bot.asks.own_results import asks_about_own_findings
from bot.asks.purpose import asks_what_it_is_for, asks_what_it_will_show
from bot.asks.sites import asks_if_the_site_is_usual
from bot.asks.statements import is_statement


@pytest.mark.parametrize("text, declined", [
    ("if its leukaemia what are my chances", True),
    ("what are the odds it's spread", True),
    ("how often should my mum get her bloods checked", True),
    ("is it ok to give blood a few weeks after a bone marrow biopsy", True),
    ("whats the growth factor injection like to have", True),
    ("should i be taking iron tablets for it", True),
    ("are embryonic stem cells the same as the ones in marrow", True),
    ("he might have graft versus host disease. What is that?", True),
    # the leaflets answer these
    ("what are the chances of an infection", False),
    ("should I stop my iron tablets before the biopsy", False),
    ("or can it be done from a drip in your arm like giving blood", False),
])
def test_declines(text, declined):
    assert asks_beyond_the_leaflets(text) is declined


@pytest.mark.parametrize("text, name, definition", [
    ("what even is a bone marrow test", "bone marrow test", True),
    ("BMA stands for?", "BMA", True),
    ("is that what a bone marrow aspiration is", "bone marrow aspiration", True),
    ("and how is the biopsy different", "biopsy", True),
    ("the oncologist said my daughter needs a BMB. what even is that?? she's only 9", "BMB", True),
    ("they said BMA, whats that", "BMA", True),
    ("my dad needs a BMB, what is it like?", "BMB", False),
    ("I need a BMB. what is it like", "BMB", False),
    ("my dad needs a BMB. what is that for?", "BMB", False),
    # (session 15) asked to be said plainly
    ("trephine meaning in plain english pls", "trephine", True),
    ("what is a BMA in laymans terms", "BMA", True),
    ("the form says 'sternal tap' - what does that mean in simple words", "sternal tap", True),
    ("the form says sternal tap - what does that mean for the pain", "sternal tap", False),
    ("a bad result on the trephine - what does it mean?", "trephine", False),
])
def test_definitions(text, name, definition):
    start = text.index(name)
    assert is_definition_question(text, (start, start + len(name))) is definition


@pytest.mark.parametrize("text, statement", [
    ("my son has a biopsy tomorrow, I would like some info about it", True),
    ("I am 68. My consultant wishes to perform a bone marrow trephine to rule out myeloma, and I "
     "would appreciate some information.", True),
    ("booked for a BMB, dreading it", True),
    # a clause after a comma that asks
    ("hes also having a bone marrow aspiration first, why is that", False),
    ("allergic to penicillin and plasters, shud i say something b4 the aspiration", False),
])
def test_statements(text, statement):
    assert is_statement(text) is statement


@pytest.mark.parametrize("text, will_show, is_for", [
    ("what will it show", True, False),
    ("whats it going to show", True, True),
    ("what might it find", True, False),
    ("what could it show", False, False),  # what abnormal results may be due to
    ("what kind of things will it find", False, False),
    ("what will a normal one show", False, False),
    ("Nobody has explained what they're looking for, can you tell me", False, True),
])
def test_what_it_will_show_is_why_it_is_done(text, will_show, is_for):
    assert asks_what_it_will_show(text) is will_show
    assert asks_what_it_is_for(text) is is_for


@pytest.mark.parametrize("text, together", [
    ("Will they also draw off some of the fluid at the same time?", True),
    ("will they do the trephine and the aspirate at the same time", True),
    ("can they do the biopsy and bone marrow aspiration together", True),
    ("can I have tea and biscuits at the same time", False),
])
def test_both_tests_together(text, together):
    assert asks_about_both_together(text) is together


def test_how_the_sample_is_taken_and_what_happens_to_it():
    assert asks_how_the_sample_is_taken("how do they get the fluid out")
    assert asks_how_the_sample_is_taken("how will they take the marrow")
    assert not asks_how_the_sample_is_taken("how do they get the results to me")
    assert asks_what_happens_to_the_sample("and then what happens to it")
    # session 19: the lab named, how the sample is checked, where it goes
    assert asks_what_happens_to_the_sample("what does the lab do with it")
    assert asks_what_happens_to_the_sample("hows the sample checked")
    assert asks_what_happens_to_the_sample("how do they examine the fluid afterwards")
    assert asks_what_happens_to_the_sample("where does the sample go after")
    assert not asks_what_happens_to_the_sample("what do they do with it")  # "it": any subject
    assert not asks_what_happens_to_the_sample("how is the sample taken")
    assert asks_how_it_is_done("what does the doctor do during it")
    assert not asks_how_it_is_done("what does she do with the results")


@pytest.mark.parametrize("text, own", [
    ("what does dry tap mean on my report", True),
    ("what does normal mean on my aspirate report", False),  # what normal results are
    ("what does BMA mean on my appointment letter", False),  # what the test is
])
def test_a_term_on_ones_own_report(text, own):
    assert asks_about_own_findings(text) is own


def test_what_to_do_before_is_the_preparation():
    assert asks_what_to_tell_them("anything else i should know before i go in")
    assert asks_what_to_tell_them("what do we need to do before the biopsy")
    assert not asks_what_to_tell_them("anything i should know after")


def test_the_cancer_got_into_the_marrow_is_spread():
    from bot.asks.purpose import asks_about_spread_or_response

    assert asks_about_spread_or_response("Is this to see whether the cancer has got into my bones?")
    assert asks_about_spread_or_response("to see if his AML treatment has worked")
    assert not asks_about_spread_or_response("what will it show")


@pytest.mark.parametrize("text, declined", [
    ("how do they actually do a bone marrow transplant, step by step", True),
    ("does a bone marrow transplant hurt", True),
    ("why would someone need a stem cell transplant", True),
    ("does chemo feel painful going in", True),
    ("how is the marrow sample processed in the lab, what is flow cytometry", True),
    # what the page says of a transplant, and how stem cells are collected
    ("what is a bone marrow transplant", False),
    ("is a bone marrow transplant really stem cells", False),
    ("how do they collect stem cells for a transplant", False),
    ("the consultant mentioned a stem cell transplant might come up after the aspiration", False),
])
def test_beyond_what_the_page_says_of_a_transplant(text, declined):
    assert asks_beyond_the_leaflets(text) is declined


@pytest.mark.parametrize("text, declined", [
    ("does it always find it?", True),
    ("can it miss it?", True),
    ("how accurate is a bone marrow biopsy", True),
    ("can it find leukaemia", False),  # why it is done
])
def test_how_accurate_the_test_is_is_declined(text, declined):
    assert asks_beyond_the_leaflets(text) is declined


def test_more_shapes_of_how_it_is_done_and_both_together():
    assert asks_how_it_is_done("and how does the aspiration one work then")
    assert asks_about_both_together("So is the aspirate done first and the same needle moved?")


def test_closing_thanks_in_texting():
    from bot.asks.declines import is_closing_thanks

    assert is_closing_thanks("brill ta")
    assert is_closing_thanks("ace, cheers")
    # (session 19, blind44) thanks, then a few words that only tell
    assert is_closing_thanks("ok thank you, hes resting now")
    assert is_closing_thanks("thank you, my wife will drive")
    assert not is_closing_thanks("thanks, but it still hurts")
    assert not is_closing_thanks("thanks, i have another question")
    assert not is_closing_thanks("thanks, my hip is really sore now")
    assert not is_closing_thanks("thank you. the biopsy is on monday")


def test_session_9_last_shapes():
    from bot.asks.feelings import asks_how_it_feels

    assert asks_what_to_tell_them("bleeding problems - i bruise really easily, does that count")
    assert asks_what_to_tell_them("i take ibuprofen and fish oil, is that relevant")
    assert not asks_what_to_tell_them("is it going to hurt, does that matter")
    assert asks_how_it_feels("I would like to understand how uncomfortable it will be for him.")
    assert asks_what_it_is_for("what do they test the fluid for")


@pytest.mark.parametrize("text, declined", [
    # blood count values, staging, donors, life with an illness (tests/dev/blind20-22)
    ("whats a normal white cell count", True),
    ("how many red cells shud a healthy person have", True),
    ("what stage is lymphoma if its in the bone marrow", True),
    ("does it hurt the donor", True),
    ("My son's been diagnosed with ITP. What does that mean for him day to day?", True),
    ("what does hypocellular marrow mean", True),
    # still answered
    ("which stage of the biopsy hurts most", False),
    ("can i go about my day to day after", False),
    ("what is a normal result", False),
    ("is it normal for my blood count to drop", False),
    ("wat is the trephine actualy for? they said they need it for my staging", False),
])
def test_session_10_declines(text, declined):
    assert asks_beyond_the_leaflets(text) is declined


def test_session_10_shapes():
    from bot.asks.purpose import asks_why_it_is_needed
    from bot.asks.results import asks_what_a_finding_means
    from bot.asks.risks import asks_about_risks
    from bot.asks.sites import asks_where_they_take_it

    assert asks_where_they_take_it("Where on the body do they take the marrow from?")
    assert asks_where_they_take_it("iliac crest?? where on me is that even")
    assert asks_where_they_take_it("pelvic bone meaning my hip? or lower back")
    assert asks_where_they_take_it("is it even my back or is it my hip")
    assert not asks_where_they_take_it("where do they take the stem cells from")
    assert not asks_where_they_take_it("where is bone marrow")
    assert asks_about_risks("whats the worst that could happen")
    assert asks_what_a_finding_means("what would it mean if its in his marrow")
    assert not asks_what_a_finding_means("What does it mean if it comes back normal?")
    assert asks_why_it_is_needed("and why would they bother at his age")
    # a statement: nothing in it asks
    assert is_statement("im 29 and been exhausted for ages, bloods showed anaemia they cant "
                        "explain so now im getting a BMB friday")
    assert is_statement("My wife has a marrow aspirate every few months. I'm asking for her "
                        "because she's too tired to type tonight.")
    assert not is_statement("my mum has a BMA on friday, can you explain it to me")
    assert asks_about_own_findings("Can you read my biopsy results if I paste them in?")


def test_session_10_more_shapes():
    from bot.asks.circumstances import tells_own_health
    from bot.asks.declines import is_closing_thanks
    from bot.asks.feelings import asks_if_an_ache_is_normal
    from bot.asks.purpose import asks_what_it_is_for
    from bot.asks.results import opposite_result
    from bot.asks.risks import asks_about_risks

    assert is_closing_thanks("cheers thats really helpful")
    assert not is_closing_thanks("thanks that helps but is it painful")
    assert asks_about_risks("and after, any risks?")
    assert asks_about_risks("theres a tiny bit of blood on the plaster")
    # (session 19, tests/dev/blind68) asked in the last sentence, after a reaction
    assert asks_about_risks("they go into her BREASTBONE?? is that dangerous")
    assert not asks_about_risks("ok. is it safe to drive after")
    assert asks_about_risks("is a bit of oozing from the site normal")
    assert not asks_about_risks("is my count normal")
    assert asks_if_an_ache_is_normal("had my BMA this morning and my hip is proper achy now, "
                                     "is that normal")
    assert opposite_result("and if theyre not?", "normal_results") == "abnormal_results"
    # (session 19, blind72) the kind of result named, right after one of them
    assert opposite_result("and a bad one?", "normal_results") == "abnormal_results"
    assert opposite_result("what about a normal result", "abnormal_results") == "normal_results"
    assert opposite_result("and a bad one?", "risks") is None
    assert opposite_result("and a bad day?", "normal_results") is None
    assert asks_what_it_is_for("what are they lookin for in the fluid")
    assert tells_own_health("I also have a bleeding disorder, von willebrands")
    assert not tells_own_health("im really scared of needles")
    assert asks_beyond_the_leaflets("can i get tested to see if im a match for her")
    assert asks_beyond_the_leaflets("What's the treatment if it turns out to be aplastic anemia")
    assert not asks_beyond_the_leaflets(
        "why do some doctors say stem cell transplant and others say bone marrow transplant")
    assert asks_about_own_findings(
        "the doctor said my aspirate was a dry tap, does that mean something is wrong?")


def test_session_10_last_shapes():
    assert is_statement("my wife is having a bone marrow asperation tomorow at 9. she has MS as "
                        "well. just wanted to know a bit about it first")
    assert asks_about_own_findings("my ldh was 400 what does that mean")
    assert not asks_about_own_findings("what does that mean")
    assert asks_beyond_the_leaflets("how many platelets do i need to have before they'll do it")


def test_session_10_final_round():
    from bot.asks.definitions import definition_in_a_sentence
    from bot.asks.feelings import asks_how_it_feels
    from bot.followups import only_names_a_test

    assert asks_how_it_feels("My husband has been referred for a bone marrow examination "
                             "following some unusual results. I would like to understand how "
                             "uncomfortable it will be for him.")
    assert not asks_how_it_feels("is it painful or risky")
    text = ("My 15-year-old has been told she needs a bone marrow biopsy after her blood count "
            "came back odd. What exactly is that test?")
    start = text.index("bone marrow biopsy")
    assert definition_in_a_sentence(text, [(start, start + 18)])
    text = "would a biopsy find the same things"
    assert only_names_a_test(text, [(8, 14)], "abnormal_results")
    assert asks_beyond_the_leaflets("she said it might be a dry tap, what does that mean")


def test_a_request_is_not_a_statement_and_the_leaflets_are_about_people():
    assert not is_statement("walk me thru the bone marrow test pls, from lying down to the "
                            "plaster going on")
    assert asks_beyond_the_leaflets("my dog's vet wants to do a bone marrow aspirate on him, "
                                    "what's involved for dogs?")
    assert not asks_beyond_the_leaflets("how long till she can walk the dog again")


@pytest.mark.parametrize("text, declined", [
    # prognosis and treatment, in patients' words (session 11, tests/dev/blind29_conversations.yml)
    ("what are my survival chances if it is", True),
    ("and what happens to her treatment if it has", True),
    # what the page says of a transplant: its name
    ("my brother needs a stem cell transplant, why do they keep calling it a bone marrow "
     "transplant", False),
    ("what happens during the test", False),
    # another treatment's side effects, stem cells sold for looks (tests/dev/blind28, blind30)
    ("what side effects do the growth factor injections have", True),
    ("can you get stem cells from belly fat for cosmetic stuff", True),
    ("what side effects does the numbing injection have", False),
    ("how are stem cells collected", False),
])
def test_session_11_declines(text, declined):
    assert asks_beyond_the_leaflets(text) is declined


def test_session_11_shapes():
    # one's own findings read from what "it" or the results say
    assert asks_about_own_findings("it says cellularity 30%, is that normal for me")
    assert asks_about_own_findings("results say 8% blasts in the aspirate, is that bad")
    assert not asks_about_own_findings("It says I am booked for a bone marrow aspirate on the 14th")
    # what to do to get ready is the preparation
    assert asks_what_to_tell_them("Our 12 year old is having a bone marrow aspiration under "
                                  "general anaesthetic next week. Is there anything we need to do "
                                  "to prepare her?")
    assert not asks_what_to_tell_them("how long does it take to get ready for the results")
    assert asks_what_it_is_for("and why the platelets? what are they actually looking for")


def test_session_11_more_shapes():
    from bot.asks.purpose import asks_about_spread_or_response
    from bot.asks.results import asks_when_results_come

    # what a test missed is how accurate it is, which no document says
    assert asks_beyond_the_leaflets("Would a biopsy have found something the aspirate missed?")
    # whether someone is in remission is what the test may show
    assert asks_about_spread_or_response("how does that show whether he's in remission?")
    # when the results come is the clinic's
    assert asks_when_results_come("when will they know whats wrong with me")
    assert asks_when_results_come("how long till we know")
    assert not asks_when_results_come("when do they do the test")


def test_session_11_blind33_shapes():
    from bot.asks.circumstances import circumstance_topic
    from bot.asks.declines import asks_how_to_boost_the_marrow
    from bot.asks.risks import asks_how_often_it_happens
    from bot.asks.sites import asks_where_they_take_it

    # fasting before the test is not eating marrow
    assert not asks_how_to_boost_the_marrow("do i need to stop eating before the marrow thing")
    assert asks_how_to_boost_the_marrow("is eating bone marrow good for you")
    # what one's medicines do is not in the leaflets
    assert asks_beyond_the_leaflets("do steroids mess up your blood counts")
    assert asks_beyond_the_leaflets("the iron tablets im on make me sick as a dog, is that normal")
    assert not asks_beyond_the_leaflets("should i stop my steroids before")
    # a bleeding disorder told is the preparation
    assert circumstance_topic("does haemophilia in the family matter for it") == "preparation"
    # a value told back and asked about is one's own result
    assert asks_about_own_findings("they were 38, is that dangerous")
    assert not asks_about_own_findings("it takes 2 hours, is that normal")
    # fragments
    assert asks_how_often_it_happens("how rare")
    assert not asks_how_often_it_happens("how rare is leukaemia in children")
    assert asks_where_they_take_it("chest??")
    assert not asks_where_they_take_it("chest pain")
    # a question after a statement is not a statement
    assert not is_statement("got a bone marrow biopsy booked for thurs, whats it actually for")


def test_session_11_blind34_shapes():
    from bot.asks.purpose import asks_what_marrow_makes, asks_whats_that_for

    assert asks_beyond_the_leaflets("she will die?")
    assert not asks_beyond_the_leaflets("can you die from a bone marrow biopsy")
    assert asks_whats_that_for("my mum's having an aspiration from her hip next week, what's that "
                               "for")
    assert not asks_whats_that_for("the hollow needle part, whats that for")
    assert asks_what_marrow_makes("what the marrow is making?")
    assert asks_what_marrow_makes("What does bone marrow produce?")
    assert not asks_what_marrow_makes("what is bone marrow")


def test_session_11_own_report_terms_and_illnesses():
    # (tests/dev/blind30_messages.yml) a term quoted from one's own letter after the test
    assert asks_about_own_findings("I had my BMB three weeks ago and the letter says 'reactive "
                                   "marrow'. What's that? Nobody has rung me to explain.")
    # the name of the test or where it is done, quoted from the letter, is answered
    assert not asks_about_own_findings("letter says 'iliac crest aspirate' - what does that mean")
    assert not asks_about_own_findings("the letter says 'trephine', what is that")
    # what an illness is like
    assert asks_beyond_the_leaflets("is aplastic anemia hereditary")
    assert asks_beyond_the_leaflets("is CML hereditery")  # (session 19, blind65) a typo
    assert asks_beyond_the_leaflets("is myeloma inheritable")
    assert asks_beyond_the_leaflets("does leukaemia run in families")
    assert not asks_beyond_the_leaflets("is the biopsy a genetic test")


def test_the_difference_between_the_two_tests_asked_alone():
    from bot.asks.definitions import asks_the_difference_between_the_two

    assert asks_the_difference_between_the_two("whats the difference between the two anyway")
    assert asks_the_difference_between_the_two("so what is the difference?")
    # between other things (tests/dev/blind14_messages.yml)
    assert not asks_the_difference_between_the_two("stem cells vs blood cells whats the difference")


def test_session_12_readings():
    # (session 12, tests/dev/blind37-39 and a grid of follow-ups of my own)
    from bot.asks.declines import asks_about_another_treatment_or_lab_test
    from bot.asks.feelings import asks_how_it_feels, asks_how_it_feels_not_sedation
    from bot.asks.how_it_is_done import asks_how_it_is_done, asks_what_they_take
    from bot.asks.purpose import asks_bare_why, asks_if_that_is_the_reason
    from bot.asks.results import asks_about_pain_relief, opposite_result
    from bot.asks.risks import asks_about_risks, asks_how_often_it_happens
    from bot.asks.sites import asks_why_it_is_taken_there

    # how often, asked of the risks just quoted; why, as short as it gets
    assert asks_how_often_it_happens("is that common?")
    assert asks_how_often_it_happens("does that happen often")
    assert not asks_how_often_it_happens("is that common in kids with leukaemia")
    assert asks_bare_why("how come?") and asks_bare_why("why's that")
    assert not asks_bare_why("how come it hurts so much")
    # a finding told and asked as the reason for the test
    assert asks_if_that_is_the_reason("my full blood count was abnormal, is that the reason")
    assert asks_if_that_is_the_reason("her platelets were low, is that what it's checking")
    assert not asks_if_that_is_the_reason("is that why it hurts")
    # (session 19, blind66) "a typical reason"; but not a cause of something else
    assert asks_if_that_is_the_reason("My CBC showed low platelets. Is that a typical reason?")
    assert not asks_if_that_is_the_reason("is that a reason to worry")
    # (session 19, blind72) its name, not the reason for it
    assert not asks_if_that_is_the_reason("is that why they call it a sternal tap")
    assert not asks_if_that_is_the_reason("is that why its called a trephine")
    assert not asks_if_that_is_the_reason("is it a common cause of anaemia")
    # what happens on the day is how it is done; what happens if... is not
    assert asks_how_it_is_done("What actually happens to her on the day?")
    assert asks_how_it_is_done("I am scared. What happens?")
    assert not asks_how_it_is_done("If she bleeds a lot, what happens to her?")
    assert not asks_how_it_is_done("what happens after")
    # what could go wrong; whether it is risky, asked whole
    assert asks_about_risks("What could go wrong?")
    assert asks_about_risks("Is it risky at his age?")
    assert not asks_about_risks("is it safe to drive after")
    # a medicine's side effects, which medicine and how much: not in the leaflets
    assert asks_about_another_treatment_or_lab_test(
        "My wife has been prescribed filgrastim injections. What side effects should we watch for?")
    assert asks_about_another_treatment_or_lab_test("what iron tablets should she take")
    assert asks_about_another_treatment_or_lab_test(
        "what's the name and dose of the chemo they use to push them out")
    assert not asks_about_another_treatment_or_lab_test(
        "what medicines should i stop before the biopsy")
    assert not asks_about_another_treatment_or_lab_test(
        "what tablets should i take after for the pain")
    assert not asks_about_another_treatment_or_lab_test(
        "ive been prescribed blood thinners, what are the side effects of the biopsy for me")
    # how likely an illness is: only the care team can say
    assert asks_beyond_the_leaflets("what's the chance it turns out to be cancer")
    assert asks_beyond_the_leaflets("how likely is it that he has leukaemia")
    assert not asks_beyond_the_leaflets("what are the chances of infection")
    # pain relief after the test (the clinic's), not a daily medicine before it
    assert asks_about_pain_relief("can i give her calpol when we get home")
    assert not asks_about_pain_relief("I take ibuprofen daily, should I stop before the biopsy")
    # a greeting that announces a question about a test tells
    assert is_statement("hello, question about my little boy's bone marrow biopsy")
    # the question told ("she keeps asking if it will hurt"), the sedation only told
    assert asks_how_it_feels("She keeps asking if it will hurt and I don't know what to say.")
    assert asks_how_it_feels_not_sedation(
        "My daughter is 9 and has to have a bone marrow aspiration on Monday under sedation. "
        "She keeps asking if it will hurt.")
    assert not asks_how_it_feels_not_sedation("will it hurt if shes under sedation")
    assert asks_how_it_feels_not_sedation(
        "Why can't the interior of the bone be anaesthetised for the biopsy?")
    # why from the hip is how it is done
    assert not asks_what_they_take("how much does it hurt")
    assert asks_why_it_is_taken_there("why from the hip")
    assert not asks_why_it_is_taken_there("why does my hip hurt")
    # the condition in a clause of its own
    assert opposite_result("And if it isn't fine, what kinds of things could it be?",
                           "normal_results") == "abnormal_results"


def test_session_12_more_shapes():
    # (session 12, tests/dev/fresh_topics.yml, blind27/32/36_messages.yml)
    from bot.asks.feelings import asks_how_it_feels
    from bot.asks.results import asks_what_it_may_show

    # what causes an illness or harms the marrow; stem cells sold for looks; embryos
    assert asks_beyond_the_leaflets("What causes aplastic anaemia? My cousin has just been told")
    assert not asks_beyond_the_leaflets("can the biopsy find what causes anaemia")
    assert asks_beyond_the_leaflets("does drinking alcohol damage your bone marrow?")
    assert asks_beyond_the_leaflets("do stem cell face creams actually do anything")
    assert asks_beyond_the_leaflets("are embryo stem cells used in transplants")
    assert not asks_beyond_the_leaflets(
        "I thought stem cells were something to do with embryos. What are they in this context?")
    assert asks_beyond_the_leaflets("Which chemo works best for myeloma?")
    # what may have been found; whether one will feel it
    assert asks_what_it_may_show("What might they have found?")
    # (session 19, tests/dev/blind67) what an abnormal result can point to or indicate
    assert asks_what_it_may_show("what kind of things can an abnormal biopsy point to?")
    assert asks_what_it_may_show("what might that indicate")
    assert asks_how_it_feels("Will I be able to feel them taking the core of bone?")


def test_session_12_boosts_and_looking_for():
    from bot.asks.declines import asks_how_to_boost_the_marrow
    from bot.asks.risks import asks_about_risks

    assert asks_how_to_boost_the_marrow("how can i get my platelets up before the biopsy")
    assert not asks_how_to_boost_the_marrow("will they get the sample up to the lab fast")
    # what one should look for after is the risks; what the test looks for is not
    assert asks_about_risks("what should i look for after")
    assert not asks_about_risks("What is it usually done to look for?")
    assert not asks_about_risks("what do they look for")


def test_session_12_blind42_shapes():
    from bot.asks.definitions import is_definition_question
    from bot.asks.how_it_is_done import asks_about_the_needle
    from bot.asks.purpose import asks_if_that_is_the_reason
    from bot.asks.results import asks_what_it_may_show

    assert asks_if_that_is_the_reason("My platelets were low. Would that be the reason?")
    assert is_definition_question("trephine = ?", (0, 8))
    assert asks_what_it_may_show("which cancers can it pick up")
    assert asks_what_it_is_for("is that what my aspiration is for")
    assert asks_what_it_is_for("what do they look for in a bone marrow biopsy")
    # a question typed without punctuation at the end of what is told
    assert not is_statement("my mum is 80 and on blood thinners and they will do a marrow "
                            "aspiration next week she doesnt like surprises which bone do they "
                            "take it from")
    assert is_statement("my dad has a bone marrow biopsy on tuesday")
    assert not is_statement("dose a bone marow biospy hert")  # "does", typed "dose"
    assert asks_what_it_is_for("what's the aspiration for anyway")
    from bot.asks.feelings import asks_how_it_feels

    assert asks_how_it_feels("what would I feel if I am awake")
    assert asks_about_the_needle("What is the needle like?")
    assert asks_about_the_needle("Is the biopsy needle the same?")
    assert not asks_about_the_needle("whats the needle like, does it hurt")


def test_session_13_readings():
    # (session 13, tests/dev/blind44-46) what a message asks, read by mechanism
    from bot.asks.declines import asks_beyond_the_leaflets
    from bot.asks.feelings import (
        asks_how_it_feels,
        asks_how_it_feels_not_sedation,
        reacts_with_worry,
    )
    from bot.asks.page import page_next_step
    from bot.asks.purpose import asks_what_it_is_for, asks_why_it_is_needed
    from bot.asks.results import asks_if_nothing_is_found, asks_what_it_may_show, results_part
    from bot.asks.statements import is_statement

    # a question after a comma about "the" test; wanting to understand is asking
    assert not is_statement("i have a weak immune system, could the bone marrow aspiration give "
                            "me an infection")
    assert not is_statement("I want to understand what could go wrong with the marrow test")
    assert is_statement("my son is having a biopsy, the doctor wants to find out what is wrong")
    # what the test is for, asked indirectly or in non-native order
    assert asks_what_it_is_for("my insurance company wants to know what a bone marrow "
                               "aspiration is for")
    assert asks_what_it_is_for("What they are looking in the bone?")
    assert not asks_what_it_is_for("what bone marrow is for")
    # nothing found is the normal results; an opening "ok" is not a result being fine
    assert asks_if_nothing_is_found("ok back to his biopsy, what if they find nothing wrong")
    assert asks_if_nothing_is_found("and if it doesnt show anything?")
    assert not asks_if_nothing_is_found("what if they find something")
    assert not asks_if_nothing_is_found("Reason for the test?? iron not helping, had a camera "
                                        "down and up and nothing found")  # told, not asked
    assert asks_what_it_may_show("ok and the result what might it show")
    assert results_part("ok what does a normal result look like") == "normal_results"
    # being awake as the condition of a feeling question
    assert asks_how_it_feels_not_sedation("what will she feel if she is awake")
    assert not asks_how_it_feels_not_sedation("will she be awake")
    # someone's own figure, a transplant's chances: declined
    assert asks_beyond_the_leaflets("dads platelets are 45, is that dangerous")
    assert asks_beyond_the_leaflets("what are the chances the transplant works for her")
    assert not asks_beyond_the_leaflets("what are stem cells in a transplant")
    assert asks_beyond_the_leaflets("whats the chance its cancer though")
    assert asks_beyond_the_leaflets("is bone marrow good to eat, like in bone broth")
    assert asks_beyond_the_leaflets("how much does it cost to freeze stem cells privately")
    assert not asks_beyond_the_leaflets("how are stem cells collected and stored for him")
    assert asks_what_it_may_show("wat sort of things could it find")
    assert not asks_beyond_the_leaflets("what are the chances its an infection")
    # what a transplant really gives, right after the transplant
    assert page_next_step("so what are they actually giving him then", "transplant") == "transplant"
    assert page_next_step("why call it bone marrow then", "transplant") == "transplant"
    # "that bad" / "as bad" is how it feels; why they would take some out is why it is done
    assert asks_how_it_feels("is it actually that bad")
    assert asks_how_it_feels("my husband is having one too, will his be as bad")
    assert not asks_how_it_feels("is it that bad for you to have one")
    assert asks_why_it_is_needed("and why would they take some out")
    assert asks_why_it_is_needed("why would they want to take some of his out")  # session 19
    # a worried reaction
    assert reacts_with_worry("oh god") and reacts_with_worry("that sounds scary")
    assert not reacts_with_worry("that doesnt sound too bad")


def test_one_before_the_test_vocabulary_for_medicines_and_pain_relief():
    # (session 13) bot/asks/circumstances.py BEFORE_THE_TEST_WORDS, read by both
    from bot.asks.circumstances import asks_about_own_medicines_before
    from bot.asks.results import asks_about_pain_relief

    assert asks_about_pain_relief("what can i take for the pain after")
    assert not asks_about_pain_relief("can i take my painkillers the night before, or hold off?")
    assert asks_about_own_medicines_before("should i hold off my ibuprofen")


def test_session_15_what_marrow_makes_asked_other_ways():
    # (session 15, tests/dev/blind49, blind20) what marrow makes, the subject first or asked
    # yes / no: the blood cells it makes
    from bot.asks.purpose import asks_what_marrow_makes

    assert asks_what_marrow_makes("so bone marrow is making what exactly")
    assert asks_what_marrow_makes("is the marrow the bit that produces our blood")
    assert asks_what_marrow_makes("is marrow where your blood is made")
    assert not asks_what_marrow_makes("is marrow what they take out in the biopsy")
    assert not asks_what_marrow_makes("is the marrow sample what they send for testing")


def test_session_15_the_procedure_itself_is_how_it_is_done():
    from bot.asks.how_it_is_done import asks_how_it_is_done

    assert asks_how_it_is_done("and what about the process itself")
    assert asks_how_it_is_done("fine, the procedure itself then?")


def test_session_15_an_infection_caught_from_the_test_is_a_risk():
    from bot.asks.risks import asks_about_catching_an_infection

    assert asks_about_catching_an_infection("is there a chance the trephine gives him an infection")
    assert asks_about_catching_an_infection("could my son catch an infection from the aspirate")
    assert not asks_about_catching_an_infection("can the aspirate pick up an infection")
    assert not asks_about_catching_an_infection("could an infection cause low platelets")


def test_session_15_count_thresholds_and_stages_are_declined():
    # (session 15, tests/dev/blind47) what figure counts as low, the stage of a named leukaemia:
    # no document gives them
    from bot.asks.declines import asks_beyond_the_leaflets

    assert asks_beyond_the_leaflets("what platelet number is classed as low for a woman")
    assert asks_beyond_the_leaflets("is 1.2 considered as a low neutrophil count")
    assert asks_beyond_the_leaflets("which stage of AML is it when the marrow is involved")
    assert not asks_beyond_the_leaflets("what counts as a normal result on the trephine")
    assert not asks_beyond_the_leaflets("what is considered normal after the aspiration")


@pytest.mark.parametrize("text, how_done", [
    # (session 16, tests/dev/blind48, blind53) how the sample is taken, asked passively; what
    # they will do, with the adverb first
    ("How exactly is the marrow drawn out during an iliac crest tap?", True),
    ("how is the bone marrow taken", True),
    ("What are they actually going to do to me?", True),
    ("how is the sample tested", False),
    ("what are they going to do with the results", False),
    # (session 16, tests/dev/blind33) what happens in a test, typed with typos
    ("wat hapens in a bone marow aspirashun", True),
    ("what goes on during his biopsy", True),
    ("what happens in a bad result", False),
    ("what happens after the biopsy", False),
])
def test_how_it_is_done_asked_passively(text, how_done):
    assert asks_how_it_is_done(text) is how_done


@pytest.mark.parametrize("text, where", [
    # (session 16, tests/dev/blind48) the question word last
    ("they take from where?", True),
    ("its taken from where exactly", True),
    ("they take the stem cells from where", False),  # stem cells: how they are collected
    ("do they take it out of ur back or wat", True),
    ("where are you from", False),
])
def test_where_they_take_it_with_the_question_word_last(text, where):
    from bot.asks.sites import asks_where_they_take_it

    assert asks_where_they_take_it(text) is where


@pytest.mark.parametrize("text, statement", [
    # (session 16, tests/dev/blind47) "good to know" tells; wanting to know asks
    ("ok good to know", True),
    ("good to know thanks a lot", True),
    ("I want to know about the biopsy", False),
    ("good to know, does it hurt though", False),
])
def test_good_to_know_is_told(text, statement):
    assert is_statement(text) is statement


@pytest.mark.parametrize("text, declined", [
    # (session 16, tests/dev/blind55) donating told, what a page subject is asked last
    ("im 16 and my sister needs a transplant, they want to test if i can donate. what is a stem "
     "cell?", False),
    ("i'm a match for his bone marrow transplant. what even is a bone marrow transplant?", False),
    ("can i donate my stem cells to my sister?", True),
    ("is donating bone marrow painful?", True),
])
def test_donating_told_before_a_definition(text, declined):
    assert asks_beyond_the_leaflets(text) is declined


@pytest.mark.parametrize("text, declined", [
    # (session 19, tests/dev/blind65) the donation told, then a question of its own
    ("My son is donating stem cells to his cousin and he's dreading a needle in his bone. Can "
     "stem cells be taken from the blood instead of the marrow?", False),
    ("My sister is giving her stem cells for my transplant and they said she needs injections "
     "first. What are the injections for? She's nervous.", False),
    # ... but the question is about the donation
    ("My brother is donating his marrow to me. Is that possible?", True),
    ("My cousin needs a donor and I want to help. How do I sign up to donate bone marrow? Is "
     "there an age limit?", True),
    ("I'm a match for my dad. Can I give him my bone marrow?", True),
])
def test_donating_told_before_a_question_of_its_own(text, declined):
    assert asks_beyond_the_leaflets(text) is declined


@pytest.mark.parametrize("text, statement", [
    # (session 16, tests/dev/blind48, blind54) when the test is, told short
    ("bmb 2moro 😬", True),
    ("trephine tomoro, scared", True),
    ("biopsy pain", False),  # a question typed short
    ("results today?", False),
])
def test_when_the_test_is_told_short_is_a_statement(text, statement):
    assert is_statement(text) is statement


@pytest.mark.parametrize("text, declined", [
    # (session 16, tests/dev/blind55) which treatment
    ("do they treat it with a stem cell transplant?", True),
    ("would they treat him with chemo first", True),
    ("if it hurts after do they treat it with anything", False),  # pain relief: the clinic's
    # (session 19, tests/dev/blind61) stem cells used to treat something else
    ("could stem cells from it be used to fix her bad knee", True),
    ("what are stem cells used for", False),
])
def test_which_treatment_is_declined(text, declined):
    assert asks_beyond_the_leaflets(text) is declined


@pytest.mark.parametrize("text, how_done", [
    ("and what's the procedure for his biopsy", True),
    ("whats the process for a bone marrow biopsy", True),
    ("what is the procedure for results", False),
    ("how about the procedure itself?", True),
    ("hw is it dun", True),  # (session 19, tests/dev/blind68) texting
    # (session 19, tests/dev/blind68) how risky the steps are: the risks
    ("ok. how risky is the procedure itself at her age", False),
])
def test_the_procedure_for_a_test_is_how_it_is_done(text, how_done):
    assert asks_how_it_is_done(text) is how_done


def test_easy_bruising_and_the_injections_before_a_collection():
    # (session 16, tests/dev/blind53, blind54)
    from bot.asks.circumstances import circumstance_topic

    assert circumstance_topic("I bruise really easily, does that matter") == "preparation"
    assert not asks_beyond_the_leaflets(
        "My brother is donating stem cells for me and they said he needs injections first to "
        "'move them into the blood'. How does that work?")
    assert asks_beyond_the_leaflets("can i donate stem cells if i'm on injections")


@pytest.mark.parametrize("text, where", [
    # (session 16, tests/dev/blind16, blind52) the site asked in disbelief after the test named
    ("they said sternal tap?? like in my CHEST??", True),
    ("They're doing a sternal tap on my wife. Into her chest bone?!", True),
    ("is the chest more painful?", False),  # how it feels
    ("like what?", False),
    ("What does it mean if it comes back normal? Does that mean he's definitely fine?", False),
])
def test_the_site_asked_after_the_test_named(text, where):
    from bot.asks.sites import asks_where_it_is_done

    assert asks_where_it_is_done(text, []) is where


def test_the_marrow_thing_names_the_tests_together():
    # (session 16, tests/dev/blind25) "the bone marrow thing": the tests, not which
    from bot.asks.definitions import generic_test_spans

    assert generic_test_spans("how do they do the bone marrow thing, my nan is having it")
    assert generic_test_spans("is the marrow check painful")
    assert not generic_test_spans("what things are in bone marrow")


def test_session_17_readings():
    # (session 17, tests/dev/blind51, blind57, blind58)
    from bot.asks.circumstances import asks_what_to_tell_them
    from bot.asks.sites import asks_where_it_is_done, asks_where_they_take_it
    from bot.leaflet_words import asks_about_unfamiliar_term

    # a risk at the site, not where it is done
    assert not asks_where_it_is_done("is bleeding from the breastbone common after it?",
                                     ["breastbone"])
    assert asks_where_it_is_done("is it from the breastbone?", ["breastbone"])
    # where the marrow is taken from, asked passively
    assert asks_where_they_take_it("and where is the marrow taken from in my test")
    assert not asks_where_they_take_it("where are the stem cells taken from")
    # what to tell the team, with "else"
    assert asks_what_to_tell_them(
        "she has no bleeding problems that we know of, anything else we should tell them")
    # "wat if ..." is no question about what a term means
    from bot.knowledge import KnowledgeBase

    kb = KnowledgeBase.load()
    assert not asks_about_unfamiliar_term("wat if they find smth bad", kb)
    assert asks_about_unfamiliar_term("wats flow cytometry", kb)
    # stem cells sold for looks
    assert asks_beyond_the_leaflets("do those stem cell facelifts actually work")
    # how much it will hurt, asked inside a sentence
    from bot.asks.feelings import asks_how_it_feels

    assert asks_how_it_feels("I'm trying to work out how much it's going to hurt her")


@pytest.mark.parametrize("text, both", [
    # (session 17, tests/dev/blind37, blind39, blind54, blind58) the aspirate taken with the
    # biopsy: the leaflet that describes the two done together
    ("is the fluid bit done first", True),
    ("do they use the same needle for both", True),
    ("is the aspiration done at the same time", True),
    ("which will they do first", True),
    ("In a bone marrow biopsy, is the aspirate usually taken before the core?", True),
    ("Same needle repositioned, or a second one?", True),
    ("do they use the same needle for the numbing", False),
    ("is the biopsy done first thing in the morning", False),
])
def test_the_two_tests_done_together(text, both):
    from bot.asks.how_it_is_done import asks_about_both_together

    assert asks_about_both_together(text) is both


@pytest.mark.parametrize("text, last_topic, released", [
    # (session 17, tests/dev/blind7, blind26, blind49) when stem cells leave the marrow
    ("when do the stem cells leave the marrow?", None, True),
    ("where do stem cells come from in the body", None, True),
    ("when do they go into the blood", "stem_cells", True),
    ("when do they go into the blood", None, False),
    ("where do stem cells come from for a transplant", None, False),
])
def test_when_stem_cells_are_released(text, last_topic, released):
    from bot.asks.page import asks_when_stem_cells_are_released

    assert asks_when_stem_cells_are_released(text, last_topic) is released


@pytest.mark.parametrize("text", [
    # (session 17, tests/dev/blind59) "wait", "hang on" before what a test is
    "wait what's a trephine",
    "hang on, what is a trephine",
])
def test_a_definition_after_wait(text):
    start = text.index("trephine")
    assert is_definition_question(text, (start, start + len("trephine")))


@pytest.mark.parametrize("text, both", [
    # (session 18, tests/dev/blind56, blind63) the liquid marrow taken as well as the core
    ("Is it possible they will take a liquid sample at the same appointment?", True),
    ("will they also suck out some liquid marrow", True),
    ("will they take liquid marrow as well or just the core?", True),
    ("will they also take my blood pressure", False),
])
def test_the_liquid_marrow_taken_as_well(text, both):
    from bot.asks.how_it_is_done import asks_about_both_together

    assert asks_about_both_together(text) is both


@pytest.mark.parametrize("text, name", [
    # (session 18, tests/dev/blind62, blind63) where the name was read, that it is new, the name
    # turned round
    ("what does BMA stand for, never heard of it", "BMA"),
    ("what does BMB mean on my appointment card", "BMB"),
    ("wat is an aspirashun of the bone marow", "aspirashun"),
    # (session 19, tests/dev/blind66) "btw", where the word was seen
    ("what's a trephine btw, the letter mentions that word too", "trephine"),
    ("what is a BMB by the way, my consultant used the term", "BMB"),
])
def test_a_definition_with_an_aside(text, name):
    start = text.index(name)
    assert is_definition_question(text, (start, start + len(name)))


@pytest.mark.parametrize("text", [
    "what does a BMB involve on the day",
    "what is a BMB btw, does it hurt",
])
def test_a_definition_aside_is_not_another_question(text):
    start = text.index("BMB")
    assert not is_definition_question(text, (start, start + 3))


@pytest.mark.parametrize("text, subject", [
    # (session 18, tests/dev/blind56) "what are they?" after stem cells named
    ("my dad's consultant mentioned harvesting his stem cells, what are they?", "stem_cells"),
    ("they will collect stem cells from her blood. what are those exactly?", "stem_cells"),
    ("what are they", None),
    ("the biopsy and the aspiration, what are they?", None),
])
def test_what_are_they_after_a_page_subject(text, subject):
    from bot.asks.definitions import page_subject_defined_last

    assert page_subject_defined_last(text) == subject


@pytest.mark.parametrize("text, last_topic, step", [
    # (session 18, tests/dev/blind56, blind63) another subject of the page, or what follows the
    # collection, named in a follow-up
    ("and bone marrow?", "stem_cells", "bone_marrow"),
    ("and once they've collected them that's the transplant?", "stem_cell_collection",
     "transplant"),
    ("and stem cells?", "stem_cells", None),
    ("and from the marrow?", "stem_cell_collection", None),  # where they are collected from
    ("and bone marrow?", "risks", None),
])
def test_a_page_step_named(text, last_topic, step):
    from bot.asks.page import page_step_named

    assert page_step_named(text, last_topic) == step


@pytest.mark.parametrize("text, where", [
    # (session 18, tests/dev/blind63) "where from?" about the test
    ("where from?", True),
    ("and from where?", True),
    ("where from do stem cells come", False),
])
def test_where_from(text, where):
    from bot.asks.sites import asks_where_they_take_it

    assert asks_where_they_take_it(text) is where


def test_why_a_transplant_is_called_so_is_what_the_page_says():
    # (session 18, tests/dev/blind56) what a transplant is called, not beyond the page
    from bot.asks.declines import asks_beyond_the_transplant

    assert not asks_beyond_the_transplant(
        "Why is the procedure sometimes referred to as a bone marrow transplant?")
    assert asks_beyond_the_transplant("why would someone need a transplant")
    # (session 19, tests/dev/blind61) which of the two it is, asked as a choice
    assert not asks_beyond_the_transplant(
        "then the transplant afterwards, is it a marrow transplant or a stem cell one")
    assert asks_beyond_the_transplant("how long is the recovery after a stem cell transplant")


@pytest.mark.parametrize("text, last_topic, where", [
    # (session 18, tests/dev/blind59, blind60) how stem cells are made to move into the blood,
    # and two words before "blood"
    ("what makes them move out of the marrow", "stem_cells", True),
    ("Why would they be in my blood if they normally live in the marrow?",
     "stem_cell_collection", True),
    ("are there any stem cells in normal circulating blood", None, True),
    ("when are they released into the blood", "stem_cells", False),
    ("what makes them move out of the marrow", "risks", False),
    # (session 19, tests/dev/blind61) what is given to make them move
    ("what do they give her to make the cells move into the blood", "stem_cell_collection", True),
    ("what do they give her to make the cells move into the blood", None, False),
])
def test_stem_cells_made_to_move_into_the_blood(text, last_topic, where):
    from bot.asks.page import asks_where_stem_cells_are

    assert asks_where_stem_cells_are(text, last_topic) is where


@pytest.mark.parametrize("text, how", [
    # (session 18, tests/dev/blind22) "how is X done", asked after a statement naming both tests
    ("how is the trephine bit done", True),
    ("how is it done?", True),
    ("how is the test done under sedation", False),  # the clinic's
])
def test_how_is_it_done(text, how):
    from bot.asks.how_it_is_done import asks_how_it_is_performed

    assert asks_how_it_is_performed(text) is how


@pytest.mark.parametrize("text, beyond", [
    # (session 18, tests/dev/blind27) the vegetable
    ("how do you grow a vegetable marrow", True),
    ("any good marrow recipes", True),
    ("how is the marrow taken", False),
])
def test_the_vegetable_marrow_is_beyond_the_leaflets(text, beyond):
    from bot.asks.declines import asks_beyond_the_leaflets

    assert asks_beyond_the_leaflets(text) is beyond


# ---- session 17 ------------------------------------------------------------------------------


@pytest.mark.parametrize("text, feels", [
    ("they said they'll do the aspiration first, what's that part like", True),
    ("what is the biopsy really like", True),
    ("never had one before, what's it like", True),
    ("what's the needle like, is it huge?", False),  # what the needle is: how it is done
    ("what's the recovery like", False),
    ("what are the results like", False),
])
def test_what_it_is_like_asks_how_it_feels(text, feels):
    from bot.asks.feelings import asks_how_it_feels

    assert asks_how_it_feels(text) is feels


def test_a_greeting_typed_with_a_slip_announces_the_question():
    from bot.asks.statements import is_statement, opens_with_greeting

    assert is_statement("Hallo, I have question about bone marrow aspiration")
    for text in ("Hallo, I have question about bone marrow aspiration",
                 "helo i have some questions about my biopsy"):
        assert opens_with_greeting(text), text
    assert not opens_with_greeting("help, what do I do")


def test_why_they_picked_a_site_is_where_it_is_taken():
    from bot.asks.sites import asks_why_it_is_taken_there

    assert asks_why_it_is_taken_there("why did they pick the breastbone and not the hip")
    assert not asks_why_it_is_taken_there("why did they pick me for the biopsy")


@pytest.mark.parametrize("text, requests", [
    ("My wife has been exhausted for months and now the haematology team have booked a bone "
     "marrow biopsy for Wednesday. I'm trying to understand what it is before we go in.", True),
    ("He is booked for a bone marrow aspiration. We want to know what it actually is.", True),
    ("He is booked for a bone marrow aspiration. I want to know what it is for.", False),
    ("She is booked for a bone marrow biopsy. I'm trying to understand what it is like.", False),
])
def test_wanting_to_understand_what_the_test_is(text, requests):
    from bot.asks.statements import requests_information

    assert requests_information(text) is requests


def test_an_age_told_beside_a_count_is_not_a_finding():
    from bot.asks.own_results import asks_about_own_findings

    assert not asks_about_own_findings(
        "Gran's been told she needs a bone marrow test for her low white count, she's 88 and "
        "frail. Why do they need to look at the marrow?")
    assert asks_about_own_findings("her white count is 2.1 and she's 88, is that low?")
    assert asks_about_own_findings("my report says 8% blasts, is that bad?")


@pytest.mark.parametrize("text, alongside", [
    ("do they sometimes do the aspiration alongside it", True),
    ("for the biopsy, do they do the aspiration bit first?", True),
    ("and if they also suck out the liquid?", True),
    ("why would they take an aspirate during it as well", True),
    ("ok and the aspiration he's having too, same process?", False),
    ("does the aspiration hurt as well", False),
    ("will the biopsy be more painful than the aspiration", False),
    ("I had an aspiration first, now a biopsy", False),
    # (session 19, blind78) told, then what the other test is, in a clause of its own
    ("the letter says they might do an aspiration as well, what is an aspiration", False),
    ("they might do an aspiration as well - whats that", False),
])
def test_the_liquid_taken_alongside_another_test(text, alongside):
    assert takes_the_liquid_alongside(text) is alongside


@pytest.mark.parametrize("text, how_much", [
    ("how much marrow do they take", True),
    ("how much do they take out", True),
    ("do they take a lot of marrow out", True),
    ("how much does it cost", False),
    ("how much will it hurt", False),
    ("what exactly are they taking out of him", False),
    ("been getting loads of nosebleeds", False),
    ("My doctor seemed in a hurry and I didn't take much in.", False),
])
def test_how_much_they_take(text, how_much):
    assert asks_how_much_they_take(text) is how_much


@pytest.mark.parametrize("text, put_on", [
    ("will they put a dressing on after", True),
    ("do i get a plaster on after", True),
    ("do they put a dressing on afterwards or is it stitches?", True),
    ("can i shower with the dressing on after", False),
    ("when can i take the plaster off", False),
    ("is it normal to have a little blood on the plaster", False),
])
def test_what_is_put_on_after(text, put_on):
    assert asks_what_is_put_on_after(text) is put_on


@pytest.mark.parametrize("text", [
    "Small spot of blood on the bandage this morning, is that expected after a biopsy?",
    "Woke up to a small spot of blood on the plaster the morning after. Is a bit of that one of "
    "the expected things?",
])
def test_blood_seen_on_the_plaster_is_the_risks(text):
    from bot.asks.risks import asks_about_risks

    assert asks_about_risks(text)


@pytest.mark.parametrize("text, sites, usual", [
    ("my father's aspiration is going to be from his sternum, is that normal", ["sternum"], True),
    ("they want to take marrow from my breast bone?? is that normal", ["breast bone"], True),
    ("my hip is sore, is that normal", ["hip"], False),  # how it feels
    ("theres a bruise on my hip is that normal", ["hip"], False),  # the risks
    ("they did it in my hip, is that normal to ache", ["hip"], False),
])
def test_whether_the_site_is_the_usual_one(text, sites, usual):
    assert asks_if_the_site_is_usual(text, sites) is usual


@pytest.mark.parametrize("text", ["why do i need this test", "y do i need a bmb",
                                  "why do I need a bone marrow biopsy"])
def test_why_i_need_it(text):
    from bot.asks.purpose import asks_why_it_is_needed

    assert asks_why_it_is_needed(text)


@pytest.mark.parametrize("text, last_topic, released", [
    ("when do the cells leave the marrow and go into the blood", None, True),
    ("when do blood cells leave the marrow", None, True),
    ("when do they leave the marrow", "stem_cell_collection", True),
    ("when do they leave the hospital", None, False),
])
def test_when_cells_leave_the_marrow(text, last_topic, released):
    from bot.asks.page import asks_when_stem_cells_are_released

    assert asks_when_stem_cells_are_released(text, last_topic) is released


@pytest.mark.parametrize("text, how", [
    ("and whats the actual procedure", True),
    ("what's the process like?", True),
    ("In simple terms, what is the procedure?", False),  # what it is
])
def test_the_procedure_asked_about(text, how):
    assert asks_how_it_is_done(text) is how


def test_how_many_needles_is_about_the_needle():
    from bot.asks.how_it_is_done import asks_about_the_needle

    assert asks_about_the_needle("how many needles is it")
    assert not asks_about_the_needle("how many needles have you had")


# Session 20 (development sets blind75, blind76, blind81, blind82): readings by mechanism

@pytest.mark.parametrize("text, is_for", [
    ("what else is it done for besides leukemia", True),
    ("my mother is 84, the consultant wants a bone marrow biopsy, what is it actually for at her "
     "age", True),
    ("what is the test for children like", False),  # not what it is for
    ("wat is a bone marow biopsy for", True),  # marrow typed with a slip
])
def test_what_it_is_for_with_a_circumstance(text, is_for):
    assert asks_what_it_is_for(text) is is_for


@pytest.mark.parametrize("text, how", [
    ("Hello, my father have bone marrow biopsy in next week. Please what is happen in the test?",
     True),
    ("what will happen during his biopsy", True),
    ("they couldnt get enough liquid so now im getting a core biopsy instead. hows that one done",
     True),
    ("so what exactly will they do to me", True),
    ("how are the results done", False),
])
def test_how_it_is_done_asked_plainly(text, how):
    assert asks_how_it_is_done(text) is how


@pytest.mark.parametrize("text, will_do", [
    ("Can you tell me what they'll actually be doing", True),
    ("what will they be doing to him?", True),
    ("what will they be doing after", False),
])
def test_what_they_will_be_doing(text, will_do):
    from bot.asks.how_it_is_done import asks_what_they_will_do

    assert asks_what_they_will_do(text) is will_do


@pytest.mark.parametrize("text, put_on", [
    ("does she need stitches or just a plaster", True),
    ("do I need a plaster", True),
    ("when can I take the plaster off", False),  # the clinic's
])
def test_stitches_or_a_plaster(text, put_on):
    assert asks_what_is_put_on_after(text) is put_on


@pytest.mark.parametrize("text, feels", [
    ("does it feel different to the aspirate", True),
    ("would a trephine hurt any different", True),
    ("I feel different since the test", False),  # told, not asked
])
def test_whether_it_feels_different(text, feels):
    from bot.asks.feelings import asks_how_it_feels

    assert asks_how_it_feels(text) is feels


def test_what_marrow_is_actually_producing():
    from bot.asks.purpose import asks_what_marrow_makes

    assert asks_what_marrow_makes(
        "Why does the marrow matter so much, what is it actually producing?")


def test_a_bleeding_tendency_told():
    from bot.asks.circumstances import tells_own_health

    assert tells_own_health("I bruise and bleed easily too")
    assert tells_own_health("she bruises easily")
    assert not tells_own_health("is bruising easily after the test normal")


def test_a_general_normal_results_question_after_ones_own_report():
    # the leaflet's normal results, then that only the care team reads one's own
    assert not asks_about_own_findings(
        "results from mum's bone marrow aspirate say normal cellularity. what is a normal result")
    assert asks_about_own_findings("the report says normal cellularity, is that good for her")


def test_blood_instead_of_bones_after_the_transplant():
    from bot.asks.page import page_next_step

    assert page_next_step("can the cells come from his sister's blood instead of her bones",
                          "transplant") == "stem_cell_collection"


@pytest.mark.parametrize("text", [
    "how are stem cells used in anti-ageing treatments",  # the UK spelling
    "can stem cells regrow teeth",
])
def test_other_uses_of_stem_cells_are_near_misses(text):
    from bot.asks.declines import asks_about_another_treatment_or_lab_test

    assert asks_about_another_treatment_or_lab_test(text)


def test_whether_an_illness_is_inherited_is_a_near_miss():
    from bot.asks.declines import asks_treatment_or_prognosis

    assert asks_treatment_or_prognosis("is leukaemia something she could have inherited from us")
    assert not asks_treatment_or_prognosis("what do they do with the sample they inherit")


@pytest.mark.parametrize("text, value", [
    ("what's a dangerous platelet level", True),
    ("what platelet level is dangerous", True),
    ("what should my platelet count be", True),
    ("is a low platelet count dangerous for the biopsy", False),  # about the test
])
def test_a_count_value_asked_is_a_near_miss(text, value):
    from bot.asks.declines import asks_values_stages_or_donors

    assert asks_values_stages_or_donors(text) is value


# Session 20, development sets blind83 and blind84

def test_whats_it_feel_like_without_does():
    from bot.asks.feelings import asks_how_it_feels

    assert asks_how_it_feels("partner's having a bmb friday whats it feel like")


def test_lasts_how_long_after_how_it_feels():
    from bot.asks.feelings import asks_how_long_it_hurts

    assert asks_how_long_it_hurts("lasts how long", "sensation")
    assert not asks_how_long_it_hurts("lasts how long", None)  # how long the test takes


@pytest.mark.parametrize("text, risks", [
    ("what should make me go back to the doctor after, like warning signs", True),
    ("warning signs of leukaemia", False),  # of an illness: not the test's risks
])
def test_warning_signs_after_the_test(text, risks):
    from bot.asks.risks import asks_about_risks

    assert asks_about_risks(text) is risks


@pytest.mark.parametrize("text, declined", [
    ("what are the chances it actually works for her", True),
    ("if it turns out to be leukaemia whats the treatment", True),
    ("what's the treatment room like", False),
])
def test_whether_a_treatment_works_is_a_near_miss(text, declined):
    from bot.asks.declines import asks_treatment_or_prognosis

    assert asks_treatment_or_prognosis(text) is declined


@pytest.mark.parametrize("text, told", [
    ("ITP can they see it on marrow aspiration", False),  # asked, the condition put first
    ("the doctor said they can see it on the scan and now a biopsy", True),
])
def test_a_question_after_its_subject_is_no_statement(text, told):
    from bot.asks.statements import is_statement

    assert is_statement(text) is told


def test_when_the_test_is_needed_is_why_it_is_done():
    from bot.asks.purpose import asks_why_it_is_needed

    assert asks_why_it_is_needed("is it only done if your blood count comes back wrong")
    assert not asks_why_it_is_needed("is it only done in hospital")
