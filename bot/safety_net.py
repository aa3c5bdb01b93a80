"""The second line of the safety layer: a learned estimate that a message is an emergency.

The red-flag rules (bot/redflags/) decide first, deterministically. They catch what their patterns
say, and people in trouble do not always say it that way ("went down like a sack of spuds in the
hallway", "the towel under me is red through and through", "I've written the letters to my
kids"). This component gives every message the probability that it is an emergency, and
``bot.components.red_flag_guard.RedFlagGuard`` treats a message the rules missed as an
emergency when that
probability is at least its ``net_min`` (set high, so that alarm words alone never do).

What it learns from:

* emergencies: the ``emergency`` examples of the NLU data and ``data/safety/emergencies.yml``
  (written blind to the rules by the authors of the development sets of emergencies);
* not emergencies: every other NLU example and ``data/safety/look_alikes.yml``, messages with alarm
  words that are questions, past events, worries or figures of speech ("this waiting is killing
  me").

Features: character 2-4 grams (typos, "chess pain") and the sentence embedding the pipeline already
computed (bot.featurizers.SentenceEmbeddings), in a logistic regression. Stored as plain arrays and
JSON, like the intent classifier: no pickle.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot import PROJECT_ROOT
from bot.fingerprint import modules_fingerprint
from bot.sentence_encoder import get_encoder

logger = logging.getLogger(__name__)

PROBABILITY_KEY = "emergency_probability"
EMERGENCY_INTENT = "emergency"
SAFETY_DIR = PROJECT_ROOT / "data" / "safety"
_WHITE_SPACE = re.compile(r"\s\s+")


def _texts(path: Path, key: str) -> list[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [str(t) for t in data.get(key) or [] if str(t).strip()]


def _vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=2,
                           lowercase=True)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class EmergencyNet(GraphComponent):
    """Sets ``emergency_probability`` on every message; decides nothing itself."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "C": 10.0,
            "embedding_weight": 2.0,
            "emergencies": str(SAFETY_DIR / "emergencies.yml"),
            "look_alikes": str(SAFETY_DIR / "look_alikes.yml"),
            "max_iter": 3000,
        }

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage,
                 resource: Resource) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.vectorizer: TfidfVectorizer | None = None
        self.coef = np.zeros(0, dtype=np.float32)
        self.intercept = 0.0

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> EmergencyNet:
        return cls(config, model_storage, resource)

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """Retrain when this module or its two data files change (Rasa only fingerprints the
        NLU data it reads itself)."""
        merged = {**cls.get_default_config(), **config}
        files = "".join(Path(merged[key]).read_text(encoding="utf-8")
                        for key in ("emergencies", "look_alikes") if Path(merged[key]).exists())
        return modules_fingerprint(__name__) + hashlib.sha256(files.encode()).hexdigest()

    # ---- features ------------------------------------------------------------------------

    def _embedding(self, message: Message | None, text: str) -> np.ndarray:
        if message is not None:
            _, sentence = message.get_dense_features(TEXT)
            if sentence is not None:
                return np.asarray(sentence.features, dtype=np.float32).reshape(-1)
        return get_encoder().encode(text).reshape(-1)

    def _features(self, texts: list[str], embeddings: np.ndarray) -> csr_matrix:
        assert self.vectorizer is not None
        weight = float(self.config["embedding_weight"])
        return hstack([self.vectorizer.transform(texts), csr_matrix(embeddings * weight)]).tocsr()

    # ---- training --------------------------------------------------------------------------

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        texts = [str(e.get(TEXT)) for e in examples]
        labels = [e.get(INTENT) == EMERGENCY_INTENT for e in examples]
        rows = [self._embedding(e, t) for e, t in zip(examples, texts, strict=True)]
        for key, label in (("emergencies", True), ("look_alikes", False)):
            path = Path(self.config[key])
            extra = _texts(path, key) if path.exists() else []
            texts += extra
            labels += [label] * len(extra)
            rows += [self._embedding(None, t) for t in extra]
        if not any(labels) or all(labels):
            return self._resource
        self.vectorizer = _vectorizer().fit(texts)
        model = LogisticRegression(C=float(self.config["C"]), max_iter=int(self.config["max_iter"]),
                                   class_weight="balanced", random_state=42)
        model.fit(self._features(texts, np.vstack(rows)), labels)
        self.coef = model.coef_.reshape(-1).astype(np.float32)
        self.intercept = float(model.intercept_[0])
        self.persist()
        return self._resource

    # ---- prediction ------------------------------------------------------------------------

    def _char_score(self, text: str) -> float:
        """The character n-grams' part of the score, computed as the fitted ``TfidfVectorizer``
        would (char_wb 2-4, sublinear tf, l2 norm) without its per-call overhead (0.03 ms
        instead of 0.2 ms; every message goes through here)."""
        assert self.vectorizer is not None
        vocabulary = self.vectorizer.vocabulary_
        counts: dict[int, int] = {}
        for word in _WHITE_SPACE.sub(" ", text.lower()).split():
            padded = f" {word} "
            for n in range(2, 5):
                for i in range(len(padded) - n + 1):
                    index = vocabulary.get(padded[i:i + n])
                    if index is not None:
                        counts[index] = counts.get(index, 0) + 1
        if not counts:
            return 0.0
        indices = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        values = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts))))
        values *= self.vectorizer.idf_[indices]
        return float(values @ self.coef[indices] / (np.linalg.norm(values) or 1.0))

    def probability(self, message: Message) -> float | None:
        text = message.get(TEXT)
        if self.vectorizer is None or not isinstance(text, str) or not text.strip():
            return None
        size = len(self.vectorizer.vocabulary_)
        embedding = self._embedding(message, text) * float(self.config["embedding_weight"])
        score = self._char_score(text) + float(embedding @ self.coef[size:]) + self.intercept
        return float(1.0 / (1.0 + np.exp(-score)))

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            probability = self.probability(message)
            if probability is not None:
                message.set(PROBABILITY_KEY, probability)
        return messages

    # ---- storage ---------------------------------------------------------------------------

    def persist(self) -> None:
        assert self.vectorizer is not None
        with self._model_storage.write_to(self._resource) as directory:
            meta = {"vocabulary": {k: int(v) for k, v in self.vectorizer.vocabulary_.items()},
                    "intercept": self.intercept}
            (directory / "emergency_net.json").write_text(json.dumps(meta), encoding="utf-8")
            np.savez(directory / "emergency_net.npz", coef=self.coef,
                     idf=self.vectorizer.idf_.astype(np.float64))

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> EmergencyNet:
        component = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as directory:
                meta = json.loads((directory / "emergency_net.json").read_text(encoding="utf-8"))
                with np.load(directory / "emergency_net.npz", allow_pickle=False) as arrays:
                    component.coef = arrays["coef"]
                    idf = arrays["idf"]
        except (ValueError, FileNotFoundError):
            logger.debug("No trained EmergencyNet in resource %s", resource.name)
            return component
        component.intercept = float(meta["intercept"])
        component.vectorizer = _vectorizer()
        component.vectorizer.vocabulary_ = meta["vocabulary"]
        component.vectorizer.idf_ = idf
        return component

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        pass
