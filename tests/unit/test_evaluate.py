"""The evaluation harness (tools/evaluate.py) without servers: the reply classifier on real replies
(built by the real answering code from the knowledge base, bot/replies.yml and domain.yml), the
scoring rules, the metrics and the report."""

from __future__ import annotations

import json

import pytest

from actions.answer import render_answer
from bot.knowledge import KnowledgeBase
from bot.profile import ClinicProfile, current_profile
from bot.redflags import RedFlag, emergency_reply
from bot.replies import render
from tools import evaluate as ev


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


@pytest.fixture(scope="module")
def classifier(kb) -> ev.ReplyClassifier:
    return ev.ReplyClassifier(kb)


@pytest.fixture(scope="module")
def scorer(classifier) -> ev.Scorer:
    return ev.Scorer(classifier)


def ev_templates():
    from bot.replies import templates

    return templates()


def answer(kb, topic, procedure=None):
    """What action_answer_question sends for (topic, procedure)."""
    return [{"recipient_id": "t", "text": render_answer(kb.find(topic, procedure))}]


def said(*texts, buttons=None):
    replies = [{"recipient_id": "t", "text": text} for text in texts]
    if buttons:
        replies[-1]["buttons"] = buttons
    return replies


def ask_which_test():
    return said(render("ask_procedure"), buttons=[
        {"title": "Bone marrow aspiration",
         "payload": "/inform_procedure" + json.dumps({"procedure": "aspiration"})},
        {"title": "Bone marrow biopsy",
         "payload": "/inform_procedure" + json.dumps({"procedure": "biopsy"})},
    ])


def expect(topic=None, procedure=None, kind=ev.ANSWER):
    return ev.Expected(kind, topic, procedure)


# ------------------------------------------------------------------------------ classifier


def test_answer_is_classified_by_the_quoted_section(classifier, kb):
    outcome = classifier.classify(answer(kb, "sensation", "biopsy"))
    assert outcome.kind == ev.K_ANSWER
    assert outcome.sections == ("bone-marrow-biopsy/sensation",)
    assert outcome.verbatim
    assert classifier.label(outcome) == "sensation/biopsy"


def test_every_section_is_recognised(classifier, kb):
    for document in kb.documents:
        for section in document.sections:
            outcome = classifier.classify(said(render_answer([(document, section)])))
            assert outcome.sections == (section.id,)


def test_identical_risks_quoted_once_with_both_citations(classifier, kb):
    replies = answer(kb, "risks")
    text = replies[0]["text"]
    assert text.count(kb.find("risks")[0][1].text()) == 1  # quoted once
    outcome = classifier.classify(replies)
    assert set(outcome.sections) == {"bone-marrow-aspiration/risks", "bone-marrow-biopsy/risks"}
    assert classifier.label(outcome) == "risks/aspiration+biopsy"


def test_citations_tell_identical_texts_apart(classifier, kb):
    outcome = classifier.classify(answer(kb, "risks", "biopsy"))
    assert outcome.sections == ("bone-marrow-biopsy/risks",)


def test_section_text_without_citation_still_counts(classifier, kb):
    outcome = classifier.classify(said(kb.find("stem_cells")[0][1].text()))
    assert outcome.kind == ev.K_ANSWER
    assert outcome.sections == ("bone-marrow-and-stem-cells/stem_cells",)


def test_cited_but_altered_text_is_not_verbatim(classifier, kb):
    text = render_answer(kb.find("sensation", "biopsy")).replace("sharp sting", "small sting")
    outcome = classifier.classify(said(text))
    assert outcome.sections == ("bone-marrow-biopsy/sensation",)
    assert not outcome.verbatim


def test_answer_followed_by_own_results_note_is_an_answer(classifier, kb):
    replies = answer(kb, "abnormal_results", "biopsy") + said(render("own_results"))
    outcome = classifier.classify(replies)
    assert outcome.kind == ev.K_ANSWER
    assert outcome.sections == ("bone-marrow-biopsy/abnormal_results",)


def test_which_test_question(classifier):
    outcome = classifier.classify(ask_which_test())
    assert outcome.kind == ev.K_CLARIFY
    assert outcome.buttons[0].startswith("/inform_procedure")


def test_out_of_scope_fallback_and_did_you_mean(classifier):
    assert classifier.classify(said(render("out_of_scope"))).kind == ev.K_DECLINED
    assert classifier.classify(said(render("fallback"))).kind == ev.K_FALLBACK
    outcome = classifier.classify(said(render("did_you_mean"), buttons=[
        {"title": "Whether it hurts", "payload": "/ask_sensation"},
        {"title": "Risks of the test", "payload": "/ask_risks"},
        {"title": "Talk to the clinic", "payload": "/ask_human"},
    ]))
    assert outcome.kind == ev.K_DID_YOU_MEAN
    assert outcome.suggestions == ("sensation", "risks")


def test_clinic_referral_counts_as_declining(classifier, scorer):
    if "local_unanswered" not in ev_templates():
        pytest.skip("no local_unanswered reply in bot/replies.yml")
    reply = render("local_unanswered", topic_label="cost and insurance")
    outcome = classifier.classify(said(reply))
    assert outcome.kind == ev.K_REFERRED
    assert scorer.correct(expect(kind=ev.OUT_OF_SCOPE), outcome)
    assert not scorer.correct(expect("risks", "biopsy"), outcome)


def test_clinic_answer_split_over_messages(classifier):
    if "local_answer" not in ev_templates():
        pytest.skip("no local_answer reply in bot/replies.yml")
    text = render("local_answer", answer="You can drive home the next day.")
    outcome = classifier.classify(said(*text.split("\n\n")))
    assert outcome.kind == ev.K_CLINIC_ANSWER


def test_templates_match_with_any_profile(kb):
    profile = ClinicProfile(clinic_name="St Elsewhere", phone="0", opening_hours="never",
                            emergency_number="112", crisis_line="116 123")
    classifier = ev.ReplyClassifier(kb, profile=profile)
    assert classifier.classify(said(render("greet", profile=profile))).kind == ev.K_SMALLTALK
    assert classifier.classify(said(render("out_of_scope", profile=profile))).kind == (
        ev.K_DECLINED
    )
    question = render("ask_question", profile=profile, procedure_name="bone marrow biopsy")
    assert classifier.classify(said(question)).kind == ev.K_ASK_QUESTION


def test_smalltalk_label_names_the_reply(classifier):
    outcome = classifier.classify(said(render("bot_challenge")))
    assert classifier.label(outcome) == "smalltalk (bot_challenge)"


@pytest.mark.parametrize("template", ["greet", "goodbye", "capabilities", "bot_challenge",
                                      "human"])
def test_smalltalk_replies(classifier, template):
    outcome = classifier.classify(said(render(template)))
    assert outcome.kind == ev.K_SMALLTALK
    assert not outcome.emergency_anywhere  # greet/human mention "call 911 now" too


def test_domain_responses(classifier):
    responses = ev.domain_responses()
    for text in responses.get("utter_thank", []):
        assert classifier.classify(said(text)).kind == ev.K_SMALLTALK
    # "Okay. What would you like to know?" is told apart from a greeting/goodbye/thanks reply
    for text in responses.get("utter_affirm", []) + responses.get("utter_deny", []):
        assert classifier.classify(said(text)).kind == ev.K_ACKNOWLEDGED


def test_answers_split_into_paragraphs_by_the_rest_channel(classifier, kb):
    # Rasa's REST channel sends each "\n\n"-separated part of a text as its own message.
    text = render_answer(kb.find("how_performed", "biopsy"))
    replies = said(*text.split("\n\n"))
    assert len(replies) > 2
    outcome = classifier.classify(replies)
    assert outcome.sections == ("bone-marrow-biopsy/how_performed",)
    assert outcome.verbatim


@pytest.mark.parametrize("category", ["bleeding", "infection", "chest_pain", "suicidal"])
def test_emergency_reply(classifier, category):
    profile = current_profile()
    text = emergency_reply(RedFlag(category, "x"), profile.emergency_number, profile.crisis_line)
    outcome = classifier.classify(said(text))
    assert outcome.kind == ev.K_EMERGENCY


def test_emergency_numbers_come_from_the_profile(kb):
    profile = ClinicProfile(clinic_name="Test clinic", phone="1", opening_hours="always",
                            emergency_number="112", crisis_line="116 123")
    classifier = ev.ReplyClassifier(kb, profile=profile)
    assert classifier.classify(said(emergency_reply(None, "112", "116 123"))).kind == (
        ev.K_EMERGENCY
    )
    suicidal = emergency_reply(RedFlag("suicidal", "x"), "112", "116 123")
    assert classifier.classify(said(suicidal)).kind == ev.K_EMERGENCY
    assert classifier.classify(said(emergency_reply(None))).kind != ev.K_EMERGENCY  # 911


def test_emergency_must_come_first(classifier, scorer):
    late = classifier.classify(said(render("greet"), emergency_reply(None)))
    assert late.kind != ev.K_EMERGENCY
    assert late.emergency_anywhere
    assert not scorer.correct(expect(kind=ev.EMERGENCY), late)


def test_no_reply_and_unknown_text(classifier):
    assert classifier.classify([]).kind == ev.K_NO_REPLY
    assert classifier.classify(said("Something the bot never says.")).kind == ev.K_OTHER


# ------------------------------------------------------------------------------ scoring rules


def test_procedure_named_needs_that_procedures_section(classifier, scorer, kb):
    biopsy = classifier.classify(answer(kb, "sensation", "biopsy"))
    assert scorer.correct(expect("sensation", "biopsy"), biopsy)
    assert not scorer.correct(expect("sensation", "aspiration"), biopsy)
    assert not scorer.correct(expect("how_performed", "biopsy"), biopsy)


def test_identical_risks_count_for_either_procedure(classifier, scorer, kb):
    both = classifier.classify(answer(kb, "risks"))
    for procedure in ("aspiration", "biopsy", None):
        assert scorer.correct(expect("risks", procedure), both)
    # one procedure's citation only: right for that procedure, not for the other one
    biopsy_only = classifier.classify(answer(kb, "risks", "biopsy"))
    assert scorer.correct(expect("risks", "biopsy"), biopsy_only)
    assert not scorer.correct(expect("risks", "aspiration"), biopsy_only)


def test_both_different_texts_are_not_right_for_one_procedure(classifier, scorer, kb):
    both = classifier.classify(answer(kb, "overview"))  # "difference between bma and bmb"
    assert scorer.correct(expect("overview", None), both)
    assert not scorer.correct(expect("overview", "biopsy"), both)


def test_null_procedure_accepts_either_procedure(classifier, scorer, kb):
    for procedure in ("aspiration", "biopsy"):
        outcome = classifier.classify(answer(kb, "preparation", procedure))
        assert scorer.correct(expect("preparation", None), outcome)


def test_null_procedure_accepts_which_test_for_that_topic(classifier, scorer, kb):
    asked = classifier.classify(ask_which_test())
    resolved = ev.replace(asked, resolved=classifier.classify(answer(kb, "sensation",
                                                                      "aspiration")))
    assert scorer.correct(expect("sensation", None), resolved)
    assert classifier.label(resolved) == "asked which test (sensation)"
    # ... but not for another topic, nor without knowing the topic
    assert not scorer.correct(expect("purpose", None), resolved)
    assert not scorer.correct(expect("sensation", None), asked)
    # ... nor when the message named the test
    assert not scorer.correct(expect("sensation", "biopsy"), resolved)


def test_which_test_is_wrong_when_the_documents_agree(classifier, scorer, kb):
    asked = classifier.classify(ask_which_test())
    resolved = ev.replace(asked, resolved=classifier.classify(answer(kb, "risks", "biopsy")))
    assert not scorer.documents_differ("risks")
    assert scorer.documents_differ("sensation")
    assert not scorer.correct(expect("risks", None), resolved)


def test_stem_cell_page_topics(classifier, scorer, kb):
    outcome = classifier.classify(answer(kb, "transplant"))
    assert scorer.correct(expect("transplant", None), outcome)
    assert not scorer.correct(expect("stem_cells", None), outcome)


def test_out_of_scope_emergency_smalltalk_rules(classifier, scorer, kb):
    declined = classifier.classify(said(render("out_of_scope")))
    did_you_mean = classifier.classify(said(render("did_you_mean")))
    topic = classifier.classify(answer(kb, "risks", "biopsy"))
    emergency = classifier.classify(said(emergency_reply(RedFlag("bleeding", "x"))))
    greet = classifier.classify(said(render("greet")))
    assert scorer.correct(expect(kind=ev.OUT_OF_SCOPE), declined)
    assert not scorer.correct(expect(kind=ev.OUT_OF_SCOPE), did_you_mean)
    assert not scorer.correct(expect(kind=ev.OUT_OF_SCOPE), topic)
    assert scorer.correct(expect(kind=ev.EMERGENCY), emergency)
    assert not scorer.correct(expect(kind=ev.EMERGENCY), topic)
    assert not scorer.correct(expect("risks", "biopsy"), emergency)
    assert scorer.correct(expect(kind=ev.SMALLTALK), greet)
    acknowledged = classifier.classify(said(ev.domain_responses()["utter_affirm"][0]))
    assert acknowledged.kind == ev.K_ACKNOWLEDGED
    assert scorer.correct(expect(kind=ev.SMALLTALK), acknowledged)
    assert not scorer.correct(expect("risks", "biopsy"), acknowledged)
    assert not scorer.correct(expect(kind=ev.SMALLTALK), declined)


# ------------------------------------------------------------------------------ data, metrics


def test_heldout_files_parse():
    messages = ev.load_messages()
    conversations = ev.load_conversations()
    assert len(messages) >= 200 and len(conversations) >= 12
    kinds = {m.expected.kind for m in messages}
    assert kinds == {ev.ANSWER, ev.OUT_OF_SCOPE, ev.EMERGENCY, ev.SMALLTALK}
    assert ev.Expected.parse({"topic": "risks", "procedure": None}).label == "risks/either"
    with pytest.raises(ValueError):
        ev.Expected.parse("chitchat")


@pytest.mark.parametrize("name", ["second", "third"])
def test_later_heldout_sets_parse_with_classes_topic_lists_and_clinic_label(name):
    directory = ev.HELDOUT_SETS[name]
    messages = ev.load_messages(directory / "messages.yml")
    conversations = ev.load_conversations(directory / "conversations.yml")
    assert len(messages) >= 150 and len(conversations) >= 25
    assert sum(len(c.turns) >= 3 for c in conversations) >= 10
    classes = {m.cls for m in messages} | {t.cls for c in conversations for t in c.turns}
    assert {"procedure_memory", "ellipsis", "definition", "compound", "near_miss"} <= classes
    either = ev.Expected.parse({"topic": ["purpose", "abnormal_results"], "procedure": "biopsy"})
    assert either.topics == ("purpose", "abnormal_results")
    assert either.label == "purpose|abnormal_results/biopsy"
    assert ev.Expected.parse("clinic").kind == ev.CLINIC


def test_a_topic_list_accepts_any_of_its_sections_and_nothing_else(kb, classifier, scorer):
    either = ev.Expected.parse({"topic": ["purpose", "abnormal_results"], "procedure": "biopsy"})
    for topic in ("purpose", "abnormal_results"):
        assert scorer.correct(either, classifier.classify(answer(kb, topic, "biopsy")))
    assert not scorer.correct(either, classifier.classify(answer(kb, "risks", "biopsy")))
    assert not scorer.correct(either, classifier.classify(answer(kb, "purpose", "aspiration")))


def test_clinic_label_is_right_for_the_referral_only(classifier, scorer):
    clinic = ev.Expected.parse("clinic")
    referral = said(render("local_unanswered", topic_label="how long the test takes"))
    assert scorer.correct(clinic, classifier.classify(referral))
    assert not scorer.correct(clinic, classifier.classify(said(render("out_of_scope"))))


class ScriptedBot:
    """Replies from a table, like the REST channel would; records what it was sent."""

    def __init__(self, kb, table):
        self.kb = kb
        self.table = table
        self.sent: list[tuple[str, str]] = []

    def say(self, sender, text):
        self.sent.append((sender, text))
        return self.table[text]() if callable(self.table[text]) else self.table[text]


def test_harness_metrics_and_report(kb, classifier, scorer):
    table = {
        "does a biopsy hurt": answer(kb, "sensation", "biopsy"),
        "will it hurt": ask_which_test(),
        '/inform_procedure{"procedure": "aspiration"}': answer(kb, "sensation", "aspiration"),
        "how safe is it": answer(kb, "risks"),
        "what's the weather": said(render("out_of_scope")),
        "tell me a joke": said(render("did_you_mean")),
        "can i get a fever from it": said(emergency_reply(RedFlag("infection", "fever"))),
        "i'm bleeding a lot": said(emergency_reply(RedFlag("bleeding", "bleeding"))),
        "hello": said(render("greet")),
    }
    bot = ScriptedBot(kb, table)
    messages = [
        ev.Message("does a biopsy hurt", expect("sensation", "biopsy")),
        ev.Message("will it hurt", expect("sensation", None)),
        ev.Message("how safe is it", expect("risks", None)),
        ev.Message("what's the weather", expect(kind=ev.OUT_OF_SCOPE)),
        ev.Message("tell me a joke", expect(kind=ev.OUT_OF_SCOPE)),
        ev.Message("can i get a fever from it", expect("risks", None)),
        ev.Message("i'm bleeding a lot", expect(kind=ev.EMERGENCY)),
        ev.Message("hello", expect(kind=ev.SMALLTALK)),
    ]
    harness = ev.Harness(bot, scorer, "test")
    results = harness.run_messages(messages)
    assert [r.correct for r in results] == [True, True, True, True, False, False, True, True]
    # every message in its own conversation; the clarification answered in the same one
    senders = [s for s, _ in bot.sent]
    assert len(set(senders)) == len(messages)
    assert bot.sent[2] == (bot.sent[1][0], '/inform_procedure{"procedure": "aspiration"}')

    metrics = ev.Metrics(results, ev._label_fn(classifier, detail=False))
    assert str(metrics.answers) == "75.0% (3/4)"
    assert metrics.oos_declined.hits == 1 and metrics.oos_not_forced.hits == 2
    assert metrics.emergency_recall.value == 1.0
    assert [r.text for r in metrics.false_emergencies] == ["can i get a fever from it"]
    assert metrics.confusions() == [
        (("out_of_scope", "did you mean"), 1), (("risks/either", "emergency"), 1)
    ]

    conversation = ev.Conversation("clarify", (
        ev.Message("will it hurt", expect("sensation", None)),
        ev.Message("hello", expect(kind=ev.SMALLTALK)),
    ))
    sent_before = len(bot.sent)
    turns = harness.run_conversations([conversation])
    assert [r.correct for r in turns] == [True, True]
    # the patient types the next turn: the button is pressed in a copy of the conversation, even
    # after its first turn, so the conversation itself never hears it
    conversation_sender = bot.sent[sent_before][0]
    assert [t for s, t in bot.sent[sent_before:] if s == conversation_sender] == [
        "will it hurt", "hello"]
    assert [t for s, t in bot.sent[sent_before:] if s != conversation_sender] == [
        "will it hurt", '/inform_procedure{"procedure": "aspiration"}']
    main = ev.SystemRun("chosen pipeline", "config.yml", metrics,
                        ev.Metrics(turns, metrics.label))
    passed = {t.name: t.passed for t in ev.targets(main)}
    # answers 75% < 97%, turns 100%, out of scope 50% < 95%, emergencies 100%, 1 false emergency
    assert list(passed.values()) == [False, True, False, True, False]

    report = ev.render_report(main, [], {"date": "today"}, kb)
    for needle in ("## Targets", "FAIL", "can i get a fever from it", "## All failures (2)",
                   "tell me a joke", "## Multi-turn conversations", "Skipped (`--no-baselines`)"):
        assert needle in report


def test_bm25_system_goes_through_the_same_classifier(kb, classifier, scorer):
    from tools import bm25

    retriever, _ = bm25.tuned_retriever(kb)
    bot = ev.Bm25Bot(retriever)
    outcome = classifier.classify(bot.say("s", "is a bone marrow biopsy painful"))
    assert scorer.correct(expect("sensation", "biopsy"), outcome)
    assert classifier.classify(bot.say("s", "who won the football")).kind == ev.K_DECLINED


def test_default_pipeline_config_is_purely_default():
    config = ev.default_pipeline_config()
    assert "pipeline" not in config
    assert config["recipe"] == "default.v1" and config["language"] == "en"
    import yaml

    ours = yaml.safe_load(ev.CONFIG_FILE.read_text(encoding="utf-8"))
    assert config["policies"] == ours["policies"]
