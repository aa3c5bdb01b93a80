"""bot/classifier.py: the hybrid intent classifier trains, persists as plain arrays, reloads and
predicts the same; it generalises through the sentence embedding."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.classifier import HybridIntentClassifier
from bot.featurizers import SentenceEmbeddings

EXAMPLES = {
    "ask_sensation": ["does it hurt", "is it painful", "will I feel the needle",
                      "how sore will I be", "is the test uncomfortable"],
    "ask_preparation": ["how do I prepare", "what should I do before the test",
                        "do I need to get ready", "anything to do beforehand",
                        "how to prepare for the biopsy"],
    "greet": ["hello", "hi there", "good morning", "hey", "hiya"],
}


def message(text: str, intent: str | None = None) -> Message:
    tokens = [Token(word, 0) for word in text.split()] or [Token(text, 0)]
    data = {"text": text, TOKENS_NAMES["text"]: tokens}
    if intent:
        data["intent"] = intent
    return Message(data=data)


@pytest.fixture(scope="module")
def featurizer() -> SentenceEmbeddings:
    return SentenceEmbeddings({**SentenceEmbeddings.get_default_config(),
                               "alias": "sentence_embeddings"}, "sentence_embeddings")


def _train(storage: LocalModelStorage, featurizer, examples_by_intent: dict[str, list[str]],
           name: str = "classifier") -> HybridIntentClassifier:
    context = ExecutionContext(GraphSchema({}), "1")
    examples = [message(t, intent) for intent, texts in examples_by_intent.items() for t in texts]
    featurizer.process(examples)
    classifier = HybridIntentClassifier.create(
        HybridIntentClassifier.get_default_config(), storage, Resource(name), context)
    classifier.train(TrainingData(examples))
    return classifier


def _reconfigured(classifier: HybridIntentClassifier, **config: Any) -> HybridIntentClassifier:
    """The same trained classifier with other settings."""
    copy = HybridIntentClassifier({**classifier.config, **config}, classifier._model_storage,
                                  classifier._resource)
    copy.vectorizers, copy.classes = classifier.vectorizers, classifier.classes
    copy._set_weights(classifier.coef, classifier.intercept)
    return copy


@pytest.fixture(scope="module")
def trained(tmp_path_factory, featurizer):
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    classifier = _train(storage, featurizer, EXAMPLES)
    loaded = HybridIntentClassifier.load(
        HybridIntentClassifier.get_default_config(), storage, Resource("classifier"),
        ExecutionContext(GraphSchema({}), "1"))
    return classifier, loaded


def classify(classifier, featurizer, text: str) -> Message:
    [parsed] = featurizer.process([message(text)])
    classifier.process([parsed])
    return parsed


def test_trained_classifier_predicts_its_examples(trained, featurizer):
    classifier, _ = trained
    for intent, texts in EXAMPLES.items():
        for text in texts:
            assert classify(classifier, featurizer, text).get("intent")["name"] == intent


def test_unseen_wording_is_understood_through_the_embedding(trained, featurizer):
    classifier, _ = trained
    parsed = classify(classifier, featurizer, "will it be agony")
    assert parsed.get("intent")["name"] == "ask_sensation"
    ranking = parsed.get("intent_ranking")
    assert [r["name"] for r in ranking][0] == "ask_sensation"
    assert abs(sum(r["confidence"] for r in ranking) - 1.0) < 1e-5


def test_the_model_reloads_from_plain_arrays_and_predicts_the_same(trained, featurizer):
    classifier, loaded = trained
    for text in ("is it going to sting", "what do I bring", "good evening"):
        a = classify(classifier, featurizer, text).get("intent_ranking")
        b = classify(loaded, featurizer, text).get("intent_ranking")
        assert [r["name"] for r in a] == [r["name"] for r in b]
        assert np.allclose([r["confidence"] for r in a], [r["confidence"] for r in b], atol=1e-5)


def test_an_untrained_classifier_leaves_messages_alone(tmp_path, featurizer):
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "1")
    empty = HybridIntentClassifier.load(HybridIntentClassifier.get_default_config(), storage,
                                        Resource("missing"), context)
    parsed = classify(empty, featurizer, "hello")
    assert parsed.get("intent") is None


def _parsed(nlp, text: str) -> Message:
    from rasa.nlu.constants import SPACY_DOCS

    msg = message(text)
    msg.set(SPACY_DOCS["text"], nlp(text.lower()))
    return msg


def test_test_names_are_neutral_for_the_features():
    """The classifier and the encoder read every test's name the same way, including a test
    added later: topics never belong to one test, and a new leaflet needs no retraining."""
    from bot import nlp as bot_nlp
    from bot.featurizers import PROCEDURE_TOKEN, neutral_text
    from bot.knowledge import KnowledgeBase
    from bot.procedures import Procedure, ProcedureVocabulary

    known = KnowledgeBase.load().procedures()
    extra = Procedure("lumbar-puncture", "lumbar puncture", ("lumbar puncture",))
    pipeline = bot_nlp.build_pipeline(
        procedures=ProcedureVocabulary.from_procedures([*known.procedures, extra]))
    for text in ("does a bone marrow biopsy hurt?", "Does a BMA hurt?",
                 "does a lumbar puncture hurt?"):
        parsed = _parsed(pipeline, text)
        assert neutral_text(parsed).lower() == "does a test hurt?"
        assert neutral_text(parsed, PROCEDURE_TOKEN).lower() == f"does a {PROCEDURE_TOKEN} hurt?"
    # another test with no leaflet keeps its name (it is declined, not answered)
    assert neutral_text(_parsed(pipeline, "does a colonoscopy hurt?")) == (
        "does a colonoscopy hurt?")
    # without a spaCy doc the text is used as it is
    assert neutral_text(message("does a BMA hurt?")) == "does a BMA hurt?"
    # a test's name with a typo the ruler misses, with the marrow words before it (session 11)
    assert neutral_text(_parsed(pipeline, "wat hapens in a bone marow aspirashun")) == (
        "what happens in a test")  # shorthand written out, a slip read (session 19)


@pytest.mark.parametrize("text, read", [
    ("and if it comes back not normal?", "and if it comes back abnormal?"),
    ("what if his results aren't normal", "what if his results are abnormal"),
    ("what if they arent normal", "what if they are abnormal"),
    ("what does a normal result mean", "what does a normal result mean"),
    ("is it not normal to feel pressure", "is it abnormal to feel pressure"),
])
def test_a_negated_normal_reads_abnormal(text: str, read: str) -> None:
    from bot.featurizers import negations_read

    assert negations_read(text) == read


@pytest.mark.parametrize("text, read", [
    ("y do they do it", "why do they do it"),
    ("wat r the risks", "what are the risks"),
    ("hw do i prep b4 my bmb", "how do i prep before my bmb"),
    ("y", "y"),  # a yes, not a why
    ("is it safe y or n", "is it safe y or n"),
    ("lol ok", "ok"),  # laughter says nothing about what is asked
    ("haha does it hurt tho", "does it hurt tho"),
    ("lol", "lol"),
    ("wat can go rong", "what can go wrong"),  # session 17
    ("wut is it bout", "what is it about"),
])
def test_texting_shorthand_is_written_out(text: str, read: str) -> None:
    from bot.featurizers import shorthand_read

    assert shorthand_read(text) == read


@pytest.mark.parametrize("text, part", [
    ("After my diagnosis they booked me a biopsy. Can you walk me through how it's done?",
     "Can you walk me through how it's done?"),
    ("I need a bone marrow biopsy before my transplant, what's the biopsy for?",
     "what's the biopsy for?"),
    ("Is it painful? I am really scared of needles.", "Is it painful?"),
    ("does it hurt?", None),  # one part: the whole message
    ("what is it? and does it hurt?", None),  # two questions: the whole message decides
    # a relative clause is not a question; a request that names nothing leaves the question
    ("The doctor said the results will help them work out why my platelets keep dropping, which "
     "is scary enough. But what I really want to know is how much the bone marrow biopsy hurts. "
     "Can you tell me?",
     "But what I really want to know is how much the bone marrow biopsy hurts."),
    # with no question, a request to explain asks
    ("Honestly I'm terrified of needles. I just need someone to explain how the biopsy is done.",
     "I just need someone to explain how the biopsy is done."),
    ("My daughter is 6 and needs a BMB. What will they do during it? I want to explain it to her.",
     "What will they do during it?"),
])
def test_the_question_part_of_a_message(text, part):
    from bot.asks.sentences import question_part

    assert question_part(text) == part


def test_an_unsure_message_is_decided_by_its_question_part(trained, featurizer):
    """Context that matches nothing leaves the whole message unsure; its question decides."""
    classifier, _ = trained
    focused = _reconfigured(classifier, question_focus=0.4, unsure_below=0.99)
    text = "My neighbour drove me in and the parking was a nightmare. Does it hurt?"
    assert classify(focused, featurizer, text).get("intent")["name"] == "ask_sensation"
    assert classify(focused, featurizer, text).get("intent")["confidence"] > 0.4
    off = classify(classifier, featurizer, text).get("intent")["confidence"]
    assert off != classify(focused, featurizer, text).get("intent")["confidence"]


@pytest.fixture(scope="module")
def trained_with_declines(tmp_path_factory, featurizer):
    declines = ["my blood count came back strange", "my results were odd twice",
                "my count came back low again", "what's the weather like", "tell me a joke"]
    return _train(LocalModelStorage(tmp_path_factory.mktemp("storage_oos")), featurizer,
                  {**EXAMPLES, "out_of_scope": declines}, "classifier_oos")


def test_a_message_declined_for_what_it_tells_is_decided_by_its_question(
        trained_with_declines, featurizer):
    """'My blood count came back strange twice. Does it hurt?': the telling part looks like a
    patient's own results; the question part decides when out of scope is not sure."""
    classifier = trained_with_declines
    text = "My blood count came back strange twice and my count came back low. Does it hurt?"
    assert classify(classifier, featurizer, text).get("intent")["name"] == "out_of_scope"
    focused = _reconfigured(classifier, question_focus=0.3, oos_unsure_below=0.99,
                            oos_question_focus=0.3)
    assert classify(focused, featurizer, text).get("intent")["name"] == "ask_sensation"
    off = _reconfigured(classifier, question_focus=0.3, oos_unsure_below=0.99,
                        oos_question_focus=0.0)  # off: out of scope stays
    assert classify(off, featurizer, text).get("intent")["name"] == "out_of_scope"
