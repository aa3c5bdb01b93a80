"""A retrieval baseline for the evaluation: Okapi BM25 over the knowledge-base sections.

It answers a message with the best-scoring section, or declines it as out of scope when even
the best score is below a threshold. It is a *comparison system* for ``python -m tools.evaluate``
(what would plain keyword search over the same documents achieve?), never used by the bot.

* Okapi BM25, k1 = 1.5, b = 0.75, with the non-negative idf
  ``log(1 + (N - n + 0.5) / (n + 0.5))``; each distinct query term counts once.
* One BM25 "document" per knowledge-base section: its heading followed by its text.
* Tokenizer: lower case, runs of letters/digits, a short list of English function words
  dropped, light suffix stemming (plurals, -ing, -ed, -ful, -ly; see :func:`stem`).
* Topic: the top section's topic. Procedure: the procedure the message names (the terms of
  the knowledge base's procedure names) when it names exactly one, else the top section's
  document's procedure.
* Out of scope: top score below the threshold. The threshold is tuned on the training data
  (``data/nlu``: examples of the ``ask_<topic>`` intents against ``out_of_scope`` examples),
  never on the held-out set; see :func:`tune_threshold`.

Depends on the standard library, PyYAML and ``bot.knowledge`` only.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot import PROJECT_ROOT
from bot.knowledge import Document, KnowledgeBase, Section
from bot.topics import INTENT_PREFIX

K1 = 1.5
B = 0.75
NLU_DIR = PROJECT_ROOT / "data" / "nlu"
TOPIC_INTENT_PREFIX = INTENT_PREFIX
OUT_OF_SCOPE_INTENT = "out_of_scope"

# English function words: they carry no topic and only add noise to the scores.
STOPWORDS = frozenset(
    """
    a about above after again all am an and any are as at be been before being below between
    both but by can could did do does doing done down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out
    over own same she should so some such than that the their theirs them themselves then there
    these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours yourself yourselves im ive id dont doesnt
    isnt arent wont cant didnt whats hows wheres whos thats theres s t ll re ve d m u ur pls
    please really actually exactly just like get got also
    """.split()
)

_TOKEN = re.compile(r"[a-z0-9]+")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'"})
_VOWEL = re.compile(r"[aeiouy]")
_DOUBLE = re.compile(r"([bdfgmnprt])\1$")


def stem(word: str) -> str:
    """Light suffix stripping: "biopsies" -> "biopsy", "bleeding" -> "bleed", "painful" -> "pain".

    Deliberately simple (a few English suffixes, no dictionary); both queries and sections go
    through it, so it only has to be consistent, not linguistically right.
    """
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            root = word[: -len(suffix)]
            if _VOWEL.search(root) and not root.endswith("e"):  # "bleed", "seeing" stay
                word = root[:-1] if _DOUBLE.search(root) else root
            break
    for suffix in ("ful", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return word


def tokenize(text: str) -> list[str]:
    """Lower-cased, stemmed content words of ``text``."""
    words = _TOKEN.findall((text or "").translate(_QUOTES).lower().replace("'", ""))
    return [stem(word) for word in words if word not in STOPWORDS]


class BM25Index:
    """Okapi BM25 over a fixed list of texts."""

    def __init__(self, texts: Iterable[str], k1: float = K1, b: float = B) -> None:
        self.k1 = k1
        self.b = b
        self.docs = [Counter(tokenize(text)) for text in texts]
        self.lengths = [sum(doc.values()) for doc in self.docs]
        self.avg_length = (sum(self.lengths) / len(self.lengths)) if self.lengths else 0.0
        frequency: Counter[str] = Counter()
        for doc in self.docs:
            frequency.update(doc.keys())
        n = len(self.docs)
        self.idf = {
            term: math.log(1 + (n - count + 0.5) / (count + 0.5))
            for term, count in frequency.items()
        }

    def scores(self, query: str) -> list[float]:
        """The BM25 score of every text for ``query``, in the order of the texts."""
        terms = set(tokenize(query))
        result = []
        for doc, length in zip(self.docs, self.lengths, strict=True):
            norm = self.k1 * (1 - self.b + self.b * length / (self.avg_length or 1.0))
            score = 0.0
            for term in terms:
                tf = doc.get(term, 0)
                if tf:
                    score += self.idf[term] * tf * (self.k1 + 1) / (tf + norm)
            result.append(score)
        return result


# --------------------------------------------------------------------------------------------
# Procedure words
# --------------------------------------------------------------------------------------------


def procedures_named(text: str) -> list[str]:
    """The procedures ("aspiration", "biopsy") the text names, in order of first mention."""
    return KnowledgeBase.current().procedures().named(text)


# --------------------------------------------------------------------------------------------
# The retrieval system
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ranked:
    score: float
    document: Document
    section: Section


@dataclass(frozen=True)
class Decision:
    """What the BM25 system does with a message."""

    message: str
    score: float  # best BM25 score
    in_scope: bool
    matches: tuple[tuple[Document, Section], ...]  # the quoted section(s); empty if declined

    @property
    def topic(self) -> str | None:
        return self.matches[0][1].topic if self.matches else None


class BM25Retriever:
    """Every section of the knowledge base, ranked by BM25 for a message."""

    def __init__(self, kb: KnowledgeBase, threshold: float = 0.0, k1: float = K1, b: float = B):
        self.kb = kb
        self.threshold = threshold
        self.entries = [(d, s) for d in kb.documents for s in d.sections]
        self.index = BM25Index((f"{s.heading}\n{s.text()}" for _, s in self.entries), k1, b)

    def rank(self, message: str) -> list[Ranked]:
        scored = zip(self.index.scores(message), self.entries, strict=True)
        # stable sort: on equal scores (identical sections) document order decides
        ranked = sorted(scored, key=lambda item: -item[0])
        return [Ranked(score, doc, sec) for score, (doc, sec) in ranked]

    def top_score(self, message: str) -> float:
        return max(self.index.scores(message), default=0.0)

    def decide(self, message: str) -> Decision:
        ranked = self.rank(message)
        best = ranked[0] if ranked else None
        if best is None or best.score < self.threshold or best.score <= 0:
            return Decision(message, best.score if best else 0.0, False, ())
        named = procedures_named(message)
        procedure = named[0] if len(named) == 1 else best.document.procedure
        matches = self.kb.find(best.section.topic, procedure) if best.document.procedure else []
        if not matches:
            matches = [(best.document, best.section)]
        return Decision(message, best.score, True, (matches[0],))


# --------------------------------------------------------------------------------------------
# Threshold tuning on the training data (never on the held-out set)
# --------------------------------------------------------------------------------------------

_ANNOTATION = re.compile(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\{[^}]*\}")


def training_examples(nlu_dir: Path = NLU_DIR) -> tuple[list[str], list[str]]:
    """(in-scope, out-of-scope) example texts from the Rasa NLU training files."""
    in_scope: list[str] = []
    out_of_scope: list[str] = []
    for path in sorted(nlu_dir.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("nlu") or []:
            intent = item.get("intent")
            if not intent or not item.get("examples"):
                continue
            texts = [
                _ANNOTATION.sub(lambda m: m.group(1) or m.group(2), line.strip()[1:].strip())
                for line in str(item["examples"]).splitlines()
                if line.strip().startswith("-")
            ]
            if intent == OUT_OF_SCOPE_INTENT:
                out_of_scope += texts
            elif intent.startswith(TOPIC_INTENT_PREFIX):
                in_scope += texts
    return in_scope, out_of_scope


@dataclass(frozen=True)
class Tuning:
    threshold: float
    in_scope_kept: float  # share of in-scope training examples scoring >= threshold
    out_of_scope_declined: float  # share of out-of-scope training examples below it
    n_in_scope: int
    n_out_of_scope: int

    @property
    def balanced_accuracy(self) -> float:
        return (self.in_scope_kept + self.out_of_scope_declined) / 2


def tune_threshold(retriever: BM25Retriever, nlu_dir: Path = NLU_DIR) -> Tuning:
    """The top-score threshold that best separates in-scope from out-of-scope training examples
    (highest balanced accuracy; on a tie the midpoint of the best range is used)."""
    in_scope, out_of_scope = training_examples(nlu_dir)
    if not in_scope or not out_of_scope:
        raise ValueError(f"{nlu_dir}: need both ask_* and out_of_scope examples to tune")
    pos = sorted(retriever.top_score(t) for t in in_scope)
    neg = sorted(retriever.top_score(t) for t in out_of_scope)
    values = sorted(set(pos) | set(neg))
    midpoints = [(a + c) / 2 for a, c in zip(values, values[1:], strict=False)]
    candidates = [values[0], *midpoints, values[-1] + 1]

    def rates(threshold: float) -> tuple[float, float]:
        kept = sum(score >= threshold for score in pos) / len(pos)
        declined = sum(score < threshold for score in neg) / len(neg)
        return kept, declined

    scored = [(sum(rates(t)) / 2, t) for t in candidates]
    best = max(score for score, _ in scored)
    tied = [t for score, t in scored if math.isclose(score, best)]
    threshold = (tied[0] + tied[-1]) / 2 if len(tied) > 1 else tied[0]
    # keep the midpoint only if it scores as well as the best (the tied range is contiguous)
    if not math.isclose(sum(rates(threshold)) / 2, best):
        threshold = tied[0]
    kept, declined = rates(threshold)
    return Tuning(round(threshold, 4), kept, declined, len(pos), len(neg))


def tuned_retriever(kb: KnowledgeBase | None = None, nlu_dir: Path = NLU_DIR) -> tuple[
    BM25Retriever, Tuning
]:
    """A retriever over ``kb`` with its threshold tuned on ``nlu_dir``."""
    retriever = BM25Retriever(kb or KnowledgeBase.load())
    tuning = tune_threshold(retriever, nlu_dir)
    retriever.threshold = tuning.threshold
    return retriever, tuning
