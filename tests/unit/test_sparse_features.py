"""bot.sparse_features gives scikit-learn's and SciPy's matrices, float for float."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from rasa.shared.nlu.training_data.loading import load_data
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.sparse_features import Tfidf, side_by_side

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = {  # the classifier's two vectorizers (bot.classifier._vectorizers)
    "char": {"analyzer": "char_wb", "ngram_range": (2, 4), "sublinear_tf": True, "min_df": 2},
    "word": {"analyzer": "word", "ngram_range": (1, 2), "sublinear_tf": True},
}


def _training_texts() -> list[str]:
    return [str(e.get("text")) for e in load_data(str(ROOT / "data" / "nlu")).intent_examples]


def _patient_texts() -> list[str]:
    """Every third message of the development sets: texts the training never saw."""
    texts = []
    for path in sorted((ROOT / "tests" / "dev").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        texts += [str(item["text"]) for item in data.get("messages") or []]
        texts += [str(turn["user"]) for conversation in data.get("conversations") or []
                  for turn in conversation["turns"]]
    return texts[::3] + ["", "?", "BMB", "a a a a a a a a"]


@pytest.fixture(scope="module")
def texts() -> tuple[list[str], list[str]]:
    return _training_texts(), _patient_texts()


def _same(a: csr_matrix, b: csr_matrix) -> bool:
    return (a.shape == b.shape and np.array_equal(a.indptr, b.indptr)
            and np.array_equal(a.indices, b.indices) and np.array_equal(a.data, b.data))


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_tfidf_is_scikit_learns_to_the_last_bit(texts, name):
    training, patients = texts
    ours, theirs = Tfidf(**SETTINGS[name]), TfidfVectorizer(**SETTINGS[name])
    assert _same(ours.fit_transform(training), theirs.fit_transform(training))
    ours, theirs = Tfidf(**SETTINGS[name]).fit(training), TfidfVectorizer(**SETTINGS[name])
    theirs.fit(training)
    assert len(patients) > 1000
    different = [t for t in patients if not _same(ours.transform([t]), theirs.transform([t]))]
    assert different == []
    assert _same(ours.transform(patients[:50]), theirs.transform(patients[:50]))


def test_tfidf_reads_a_new_idf_after_a_new_fit_or_load():
    vectorizer = Tfidf(analyzer="word")
    vectorizer.fit(["bone marrow", "bone"])
    first = vectorizer.transform(["marrow bone"])
    second = ["marrow marrow", "bone", "bone marrow", "marrow"]
    vectorizer.fit(second)
    assert _same(vectorizer.transform(["marrow bone"]),
                 TfidfVectorizer(analyzer="word").fit(second).transform(["marrow bone"]))
    assert not np.allclose(vectorizer.transform(["marrow bone"]).toarray(), first.toarray())
    loaded = Tfidf(analyzer="word")
    loaded.vocabulary_, loaded.idf_ = vectorizer.vocabulary_, vectorizer.idf_
    assert _same(loaded.transform(["marrow bone"]), vectorizer.transform(["marrow bone"]))


def test_side_by_side_is_hstack(texts):
    training, patients = texts
    char, word = (Tfidf(**SETTINGS[name]).fit(training) for name in ("char", "word"))
    rng = np.random.default_rng(7)
    for text in patients[:300]:
        dense = rng.standard_normal((1, 384)).astype(np.float32)
        dense[0, rng.integers(0, 384, 3)] = 0.0  # csr_matrix drops zeros: so must we
        parts = [char.transform([text]), word.transform([text])]
        assert _same(side_by_side(parts, dense), hstack([*parts, csr_matrix(dense)]).tocsr())
    several = [char.transform(patients[:4]), word.transform(patients[:4])]
    dense = rng.standard_normal((4, 384)).astype(np.float32)
    assert _same(side_by_side(several, dense), hstack([*several, csr_matrix(dense)]).tocsr())
