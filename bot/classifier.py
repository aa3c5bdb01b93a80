"""Rasa NLU intent classifier: logistic regression over what a message says and what it means.

Features, concatenated:

* character n-grams (2-4, within words), tf-idf: robust to phone typos ("painfull", "biospy");
  the names of tests are replaced by one token first (:func:`bot.featurizers.neutral_text`),
  so a topic never belongs to one test and a leaflet for another test needs no retraining;
* word uni- and bigrams, tf-idf: the exact phrasing the training examples taught;
* the message's sentence embedding (``bot.featurizers.SentenceEmbeddings``, all-MiniLM-L6-v2),
  scaled by ``embedding_weight``: the *meaning*, so wording no example used still lands near
  the examples that mean the same.

Why not DIET: on this project's training data (3-fold cross-validation, `rasa test nlu
--cross-validation` and the same folds in scikit-learn) DIET on word + char n-grams reached
0.79 F1, DIET with the embedding added 0.81, a linear model on the embedding alone 0.85-0.86, and
this combination 0.88. It also trains in seconds and answers in well under a millisecond.
docs/evaluation.md has the measurements.

The trained model is stored as plain arrays and JSON (vocabularies, idf weights, coefficients):
no pickle, nothing executable in the model file. Probabilities are the multinomial softmax of the
linear scores, as scikit-learn's ``predict_proba`` computes them.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

from bot.asks.sentences import question_part
from bot.featurizers import PROCEDURE_TOKEN, neutral_text
from bot.fingerprint import modules_fingerprint
from bot.sentence_encoder import get_encoder
from bot.sparse_features import Tfidf, side_by_side

logger = logging.getLogger(__name__)

RANKING_LENGTH = 10
OUT_OF_SCOPE_INTENT = "out_of_scope"


def _vectorizers(config: dict[str, Any]) -> dict[str, Tfidf]:
    char_min, char_max = config["char_ngrams"]
    word_min, word_max = config["word_ngrams"]
    return {
        "char": Tfidf(analyzer="char_wb", ngram_range=(char_min, char_max), sublinear_tf=True,
                      min_df=2, lowercase=True),
        "word": Tfidf(analyzer="word", ngram_range=(word_min, word_max), sublinear_tf=True,
                      lowercase=True),
    }


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class HybridIntentClassifier(GraphComponent, IntentClassifier):
    """Intent = argmax of a logistic regression over tf-idf n-grams + the sentence embedding."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "C": 20.0,  # inverse regularisation strength, chosen by cross-validation
            "embedding_weight": 2.0,
            "char_ngrams": [2, 4],
            "word_ngrams": [1, 2],
            "max_iter": 3000,
            # A message with one question among parts that tell something, which the whole
            # message left the classifier unsure of (top probability below ``unsure_below``, or
            # within ``unsure_margin`` of the second; the "did you mean" thresholds):
            # its question part alone (bot.asks.sentences.question_part) decides when that is at
            # least this sure. 0: off. (Not for a message taken for out of scope: "my ferritin is
            # 900, is my marrow ok" is out of scope because of what it tells.)
            "question_focus": 0.0,
            "unsure_below": 0.3,
            "unsure_margin": 0.05,
            # A message with one question among parts that tell something, taken for out of
            # scope at less than ``oos_unsure_below``: its question part decides when that is a
            # topic at least ``oos_question_focus`` sure ("My blood count came back strange and
            # now they want a trephine. Can you walk me through what they do?": the telling part
            # looked like a patient's own results). 0: off.
            "oos_unsure_below": 0.0,
            "oos_question_focus": 0.0,
        }

    @staticmethod
    def required_packages() -> list[str]:
        return ["sklearn"]

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage,
                 resource: Resource) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.vectorizers: dict[str, Tfidf] = {}
        self.classes: list[str] = []
        self._set_weights(np.zeros((0, 0), dtype=np.float32), np.zeros(0, dtype=np.float32))

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """Retrain when the text the n-grams read changes (bot.featurizers.neutral_text)."""
        return modules_fingerprint(__name__, "bot.featurizers", "bot.components.procedures",
                                   "bot.sparse_features", "bot.spelling", "bot.rare_words",
                                   "bot.asks.sentences")

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> HybridIntentClassifier:
        return cls(config, model_storage, resource)

    # ---- features ------------------------------------------------------------------------

    def _embeddings(self, messages: list[Message]) -> np.ndarray:
        rows = []
        for message in messages:
            _, sentence = message.get_dense_features(TEXT)
            if sentence is None:
                raise ValueError("HybridIntentClassifier needs bot.featurizers.SentenceEmbeddings "
                                 "before it in the pipeline")
            rows.append(np.asarray(sentence.features).reshape(-1))
        return np.vstack(rows) * float(self.config["embedding_weight"])

    def _features(self, messages: list[Message]) -> csr_matrix:
        texts = [neutral_text(m, PROCEDURE_TOKEN) for m in messages]
        return self._combined(texts, self._embeddings(messages))

    def _combined(self, texts: list[str], embeddings: np.ndarray) -> csr_matrix:
        """The n-grams of ``texts`` beside their (already weighted) sentence embeddings."""
        parts = [v.transform(texts) for v in self.vectorizers.values()]
        return side_by_side(parts, embeddings)

    # ---- training --------------------------------------------------------------------------

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if not examples:
            return self._resource
        self.vectorizers = _vectorizers(self.config)
        texts = [neutral_text(e, PROCEDURE_TOKEN) for e in examples]
        for vectorizer in self.vectorizers.values():
            vectorizer.fit(texts)
        model = LogisticRegression(C=float(self.config["C"]), max_iter=int(self.config["max_iter"]),
                                   class_weight="balanced", random_state=42)
        model.fit(self._features(examples), [e.get(INTENT) for e in examples])
        self.classes = [str(c) for c in model.classes_]
        self._set_weights(model.coef_.astype(np.float32), model.intercept_.astype(np.float32))
        self.persist()
        return self._resource

    # ---- prediction ------------------------------------------------------------------------

    def _set_weights(self, coef: np.ndarray, intercept: np.ndarray) -> None:
        """``coef`` (classes, features) as stored, and the (features, classes) float64 copy that
        scoring multiplies: a sparse row times ``coef.T`` would copy and widen all of ``coef``
        for every message (about 2 ms of the classifier's 5), for the same floats."""
        self.coef, self.intercept = coef, intercept
        self._weights = np.ascontiguousarray(coef.T, dtype=np.float64)

    def _softmax(self, features: csr_matrix) -> np.ndarray:
        scores = features @ self._weights + self.intercept
        scores = np.exp(scores - scores.max(axis=1, keepdims=True))
        return scores / scores.sum(axis=1, keepdims=True)

    def probabilities(self, messages: list[Message]) -> np.ndarray:
        return self._softmax(self._features(messages))

    def _question_probabilities(self, message: Message) -> np.ndarray | None:
        """The probabilities of the message's question part alone, when it has one."""
        ngram_text = question_part(neutral_text(message, PROCEDURE_TOKEN))
        sentence_text = question_part(neutral_text(message))
        if ngram_text is None or sentence_text is None:
            return None
        embedding = get_encoder().encode(sentence_text).reshape(1, -1)
        weighted = embedding * float(self.config["embedding_weight"])
        return self._softmax(self._combined([ngram_text], weighted))[0]

    def _focus_on_the_question(self, message: Message, row: np.ndarray) -> np.ndarray:
        """``row``, or the question part's probabilities where they decide (``question_focus``,
        ``oos_question_focus``)."""
        needed = float(self.config["question_focus"])
        if needed <= 0:
            return row
        first, second = np.sort(row)[::-1][:2] if len(row) > 1 else (row.max(), 0.0)
        if first < float(self.config["unsure_below"]) or first - second < float(
                self.config["unsure_margin"]):
            return self._question_decides(message, row, needed)
        declined = self.classes[int(np.argmax(row))] == OUT_OF_SCOPE_INTENT
        declined_needs = float(self.config["oos_question_focus"])
        if declined and declined_needs > 0 and first < float(self.config["oos_unsure_below"]):
            return self._question_decides(message, row, declined_needs)
        return row

    def _question_decides(self, message: Message, row: np.ndarray, needed: float) -> np.ndarray:
        """The question part's probabilities when it names a topic at least ``needed`` sure."""
        question = self._question_probabilities(message)
        if question is None:
            return row
        top = int(np.argmax(question))
        if question[top] < needed or self.classes[top] == OUT_OF_SCOPE_INTENT:
            return row
        return question

    def process(self, messages: list[Message]) -> list[Message]:
        if not self.classes:
            return messages
        ready = [m for m in messages if isinstance(m.get(TEXT), str) and m.get(TEXT)]
        if not ready:
            return messages
        rows = [self._focus_on_the_question(message, row)
                for message, row in zip(ready, self.probabilities(ready), strict=True)]
        for message, row in zip(ready, rows, strict=True):
            order = np.argsort(-row)[:RANKING_LENGTH]
            ranking = [{"name": self.classes[i], "confidence": float(row[i])} for i in order]
            message.set(INTENT, dict(ranking[0]), add_to_output=True)
            message.set("intent_ranking", ranking, add_to_output=True)
        return messages

    # ---- storage ---------------------------------------------------------------------------

    def persist(self) -> None:
        with self._model_storage.write_to(self._resource) as directory:
            meta = {"classes": self.classes, "vectorizers": {}}
            arrays = {"coef": self.coef, "intercept": self.intercept}
            for name, vectorizer in self.vectorizers.items():
                meta["vectorizers"][name] = {k: int(v) for k, v in vectorizer.vocabulary_.items()}
                arrays[f"idf_{name}"] = vectorizer.idf_.astype(np.float64)
            (directory / "classifier.json").write_text(json.dumps(meta), encoding="utf-8")
            np.savez(directory / "classifier.npz", **arrays)

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> HybridIntentClassifier:
        component = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as directory:
                meta = json.loads((directory / "classifier.json").read_text(encoding="utf-8"))
                with np.load(directory / "classifier.npz", allow_pickle=False) as arrays:
                    component._set_weights(arrays["coef"], arrays["intercept"])
                    idf = {name: arrays[f"idf_{name}"] for name in meta["vectorizers"]}
        except (ValueError, FileNotFoundError):
            logger.debug("No trained HybridIntentClassifier in resource %s", resource.name)
            return component
        component.classes = list(meta["classes"])
        component.vectorizers = _vectorizers(component.config)
        for name, vectorizer in component.vectorizers.items():
            vectorizer.vocabulary_ = meta["vectorizers"][name]
            vectorizer.idf_ = idf[name]
        return component

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        pass
