"""bot/sentence_encoder.py: BERT's uncased WordPiece and the MiniLM encoder run with NumPy."""

from __future__ import annotations

import numpy as np
import pytest

from bot.sentence_encoder import DIMENSION, get_encoder, model_dir


@pytest.fixture(scope="module")
def encoder():
    return get_encoder()


def test_the_model_comes_from_the_installed_package_not_a_hub():
    directory = model_dir()
    assert "site-packages" in str(directory)
    assert (directory / "model.safetensors").stat().st_size > 80_000_000


def test_wordpiece_matches_berts_uncased_vocabulary(encoder):
    # [CLS] hello , i ' m [SEP] in bert-base-uncased's vocabulary
    assert encoder.tokenizer.encode("Hello, I'm") == [101, 7592, 1010, 1045, 1005, 1049, 102]
    # accents stripped, unknown words split into pieces, never empty
    assert encoder.tokenizer.encode("Café") == encoder.tokenizer.encode("cafe")
    assert len(encoder.tokenizer.encode("haematopoietic")) > 3
    assert encoder.tokenizer.encode("") == [101, 102]


def test_long_messages_are_cut_to_the_models_length(encoder):
    assert len(encoder.tokenizer.encode("word " * 1000)) == 128


def test_embeddings_are_unit_vectors_and_deterministic(encoder):
    a = encoder.encode("will it hurt?")
    assert a.shape == (DIMENSION,)
    assert abs(float(np.linalg.norm(a)) - 1.0) < 1e-5
    assert np.array_equal(a, encoder.encode("will it hurt?"))


def test_paraphrases_are_closer_than_other_questions(encoder):
    def similarity(x: str, y: str) -> float:
        return float(encoder.encode(x) @ encoder.encode(y))

    assert similarity("will it hurt", "is it painful") > 0.6
    assert similarity("will it hurt", "how do I get ready for the test") < 0.3
    assert similarity("A man is eating food.", "A man is eating a piece of bread.") > 0.7
    assert similarity("A man is eating food.", "The girl is carrying a baby.") < 0.1


def test_the_featurizer_adds_a_sentence_embedding(encoder):
    from rasa.nlu.constants import TOKENS_NAMES
    from rasa.nlu.tokenizers.tokenizer import Token
    from rasa.shared.nlu.training_data.message import Message

    from bot.featurizers import SentenceEmbeddings

    featurizer = SentenceEmbeddings({**SentenceEmbeddings.get_default_config(),
                                     "alias": "sentence_embeddings"}, "sentence_embeddings")
    message = Message(data={"text": "does it hurt", TOKENS_NAMES["text"]: [
        Token("does", 0), Token("it", 5), Token("hurt", 8)]})
    featurizer.process([message])
    sequence, sentence = message.get_dense_features("text")
    assert sequence.features.shape == (3, DIMENSION)
    assert sentence.features.shape == (1, DIMENSION)
    assert np.allclose(sentence.features[0], encoder.encode("does it hurt"))
